#!/usr/bin/env bash
# Cost of `eventcat generate` as the catalog grows: synthetic catalogs of
# 30 to 10 000 event codes (bench/catalog's gen-catalog, shaped like schema/,
# about 1.4 types per code), each generated into an empty output folder, then
# generated again with nothing changed (which must write nothing). Not part of
# the test suite; the 10 000-code size takes minutes and GBs of memory: run it
# on a quiet machine. Prints a markdown table.
#
#   bench/codegen/run.sh                          # 30 300 3000 10000 codes, 3 runs each
#   SIZES="30 300" RUNS=1 bench/codegen/run.sh    # quick smoke run
#
# Per size: codes, families, types (as `eventcat lint` counts them, derived
# `partial<T>` included), the output (files, total MB, the Rust crate's
# src/lib.rs MB), `eventcat lint` wall seconds (one run), `eventcat generate`
# into an empty folder (median wall seconds, median CPU seconds = user +
# system, largest peak resident memory over RUNS runs, child processes
# included; the output folder is removed before each run), a second
# `generate` with nothing changed (median wall seconds over RUNS runs: the
# manifest's fingerprint and hashes match, so it renders nothing) with
# whether it wrote nothing: no file added, removed, resized or with a new
# modification time (`find -printf '%p %T@ %s'` before and after), and one
# `generate --force` with nothing changed (renders and compares everything,
# writes nothing: what a no-op run cost before the fingerprint).
#
# Environment: SIZES (event codes per catalog, default "30 300 3000 10000"),
# RUNS (default 3), SEED (gen-catalog seed, default 1), WORK (folder for the
# catalogs and outputs, default a temporary one, removed at the end; a given
# WORK is kept), CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${SIZES:-30 300 3000 10000}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
if [[ -z "${WORK:-}" ]]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

echo "== build (release)" >&2
cargo build --quiet --release --manifest-path "$ROOT/Cargo.toml" -p eventcat --bin eventcat --target-dir "$TARGET"
cargo build --quiet --release --manifest-path "$ROOT/bench/catalog/Cargo.toml" --target-dir "$TARGET"
EVENTCAT="$TARGET/release/eventcat"
GEN="$TARGET/release/gen-catalog"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# timed NAME COMMAND...: runs COMMAND once under GNU time; sets T (wall s),
# M (peak RSS KiB), C (user + system s). Stops the script if COMMAND fails.
timed() {
  local name=$1; shift
  if ! /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"; then
    echo "error: $name failed: $*" >&2
    tail -n 20 "$WORK/err" >&2
    exit 1
  fi
  # GNU time prints "Command exited with non-zero status N" first when it does.
  read -r T M u s < <(tail -n 1 "$WORK/time")
  C=$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')
}

# snapshot DIR: every file with its modification time and size, sorted.
snapshot() { find "$1" -type f -printf '%p %T@ %s\n' | sort; }

ROWS=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for CODES in $SIZES; do
  CAT="$WORK/catalog-$CODES"
  OUT="$WORK/out-$CODES"
  rm -rf "$CAT" "$OUT"
  echo "== $CODES codes" >&2
  echo "   gen-catalog: $("$GEN" --codes "$CODES" --out "$CAT" --seed "$SEED")" >&2

  timed lint "$EVENTCAT" lint --catalog "$CAT"
  LINT_S=$T
  # First line: "<name> <version>: N families, N event codes, N types".
  read -r FAMILIES TYPES < <(sed -nE '1s/.*: ([0-9]+) families, [0-9]+ event codes, ([0-9]+) types$/\1 \2/p' "$WORK/out")
  echo "   lint: $LINT_S s, $(head -n 1 "$WORK/out")" >&2

  times=(); cpus=(); rss=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT"
    timed generate "$EVENTCAT" generate --catalog "$CAT" --out "$OUT"
    times+=("$T"); cpus+=("$C")
    (( M > rss )) && rss=$M
  done
  GEN_S=$(printf '%s\n' "${times[@]}" | median)
  GEN_CPU=$(printf '%s\n' "${cpus[@]}" | median)
  echo "   generate (empty out): wall ${times[*]} s; cpu ${cpus[*]} s; peak $((rss / 1024)) MiB" >&2

  BEFORE=$(snapshot "$OUT")
  FILES=$(wc -l <<<"$BEFORE")
  BYTES=$(awk '{s += $NF} END {print s}' <<<"$BEFORE")
  LIB_BYTES=$(stat -c %s "$OUT/rust/src/lib.rs")

  noop=(); noop_rss=0
  for _ in $(seq "$RUNS"); do
    timed "generate (no-op)" "$EVENTCAT" generate --catalog "$CAT" --out "$OUT"
    noop+=("$T")
    (( M > noop_rss )) && noop_rss=$M
  done
  NOOP_S=$(printf '%s\n' "${noop[@]}" | median)
  timed "generate --force (no-op)" "$EVENTCAT" generate --force --catalog "$CAT" --out "$OUT"
  FORCE_S=$T
  AFTER=$(snapshot "$OUT")
  if [[ "$BEFORE" == "$AFTER" ]]; then
    NOTHING=yes
  else
    NOTHING=no
    echo "   WARNING: the no-op run changed the output:" >&2
    diff <(echo "$BEFORE") <(echo "$AFTER") | head -n 20 >&2 || true
  fi
  echo "   generate (nothing changed): wall ${noop[*]} s; peak $((noop_rss / 1024)) MiB; --force $FORCE_S s; wrote nothing: $NOTHING ($FILES files before, $(wc -l <<<"$AFTER") after)" >&2

  ROWS+=("$(awk -v c="$CODES" -v f="$FAMILIES" -v t="$TYPES" -v n="$FILES" -v b="$BYTES" -v l="$LIB_BYTES" \
    -v lint="$LINT_S" -v g="$GEN_S" -v cpu="$GEN_CPU" -v m="$rss" -v z="$NOOP_S" -v zm="$noop_rss" -v w="$NOTHING" -v fs="$FORCE_S" \
    'BEGIN {printf "| %d | %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f | %.0f | %s | %.2f |", c, f, t, n, b/1e6, l/1e6, lint, g, cpu, m/1024, z, zm/1024, w, fs}')")
  rm -rf "$CAT" "$OUT"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "eventcat generate, $RUNS runs per size (median wall/CPU, largest peak RSS); seed $SEED"
echo "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (other work on the machine slows wall times; CPU seconds are less affected)"
echo
echo "| codes | families | types | output files | output MB | lib.rs MB | lint s | generate s | generate CPU s | peak MiB | no-op s | no-op peak MiB | no-op wrote nothing | --force no-op s |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |"
printf '%s\n' "${ROWS[@]}"
