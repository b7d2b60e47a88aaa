#!/usr/bin/env bash
# Throughput of `eventcat validate` against a parse-only baseline, on one
# generated NDJSON file of events of the default catalog. Not part of the test
# suite; takes a few minutes. Prints a table (MB/s, events/s, peak memory,
# ratio to the baseline).
#
#   bench/validate/run.sh                 # 220 MB file, 3 runs of each
#   MB=500 RUNS=5 bench/validate/run.sh   # bigger file, more runs
#
# Columns: wall seconds (median), MB/s and events/s from it, wall time as a
# multiple of the parse-only baseline's, CPU seconds (user + system, median),
# MB per CPU second, peak resident memory.
#
# Environment: MB (file size, default 220), RUNS (default 3), INVALID_PER_MILLE
# (default 30), SEED (default 1), WORK (folder for the file, default a
# temporary one, removed at the end), CARGO_TARGET_DIR.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/validate"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
MB=${MB:-220}
RUNS=${RUNS:-3}
INVALID_PER_MILLE=${INVALID_PER_MILLE:-30}
SEED=${SEED:-1}
if [[ -z "${WORK:-}" ]]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
FILE="$WORK/events.ndjson"

echo "== build (release)" >&2
cargo build --quiet --release --manifest-path "$ROOT/Cargo.toml" -p eventcat --bin eventcat --target-dir "$TARGET"
cargo build --quiet --release --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET"
EVENTCAT="$TARGET/release/eventcat"

echo "== generate $MB MB of events from $ROOT/schema" >&2
GEN=$("$TARGET/release/gen-events" "$ROOT/schema" "$FILE" "$MB" "$INVALID_PER_MILLE" "$SEED")
echo "$GEN" >&2
BYTES=$(stat -c %s "$FILE")
EXPECTED_INVALID=$(sed -E 's/.*"invalid":([0-9]+).*/\1/' <<<"$GEN")
cat "$FILE" >/dev/null # warm the page cache: every contender reads from memory

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run NAME COMMAND...: RUNS timed runs; records the median wall and CPU
# (user + system) seconds and the largest peak RSS.
declare -A SECS CPU RSS
run() {
  local name=$1; shift
  local times=() cpus=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || true
    # GNU time prints "Command exited with non-zero status N" first when it does.
    read -r t m u s < <(tail -n 1 "$WORK/time")
    times+=("$t")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
    (( m > rss )) && rss=$m
  done
  SECS[$name]=$(printf '%s\n' "${times[@]}" | median)
  CPU[$name]=$(printf '%s\n' "${cpus[@]}" | median)
  RSS[$name]=$rss
  echo "   $name: wall ${times[*]} s; cpu ${cpus[*]} s" >&2
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== measure ($RUNS runs each, median)" >&2
run baseline "$TARGET/release/parse-baseline" "$FILE"
EVENTS=$(sed -E 's/.*"events": ([0-9]+).*/\1/' "$WORK/out")
run parse-value "$TARGET/release/parse-baseline" --value "$FILE"
run validate-j1 "$EVENTCAT" validate --catalog "$ROOT/schema" -j 1 "$FILE"
run validate-j2 "$EVENTCAT" validate --catalog "$ROOT/schema" -j 2 "$FILE"
SUMMARY=$(head -n 1 "$WORK/err")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
GOT_INVALID=$(sed -E 's/.* ([0-9]+) invalid.*/\1/' <<<"$SUMMARY")

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "file: $(awk -v b="$BYTES" 'BEGIN {printf "%.1f MB", b/1e6}') NDJSON, $EVENTS events, $EXPECTED_INVALID invalid by construction"
echo "validate found: $SUMMARY"
echo "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (other work on the machine slows wall times; CPU seconds are less affected)"
if [[ "$GOT_INVALID" != "$EXPECTED_INVALID" ]]; then
  echo "WARNING: validate reported $GOT_INVALID invalid events, the generator made $EXPECTED_INVALID" >&2
fi
echo
printf '%-40s %8s %9s %11s %8s %9s %9s %9s\n' "contender" "wall s" "MB/s" "events/s" "x parse" "CPU s" "CPU MB/s" "peak MiB"
base=${SECS[baseline]}
for name in baseline parse-value validate-j1 validate-j2; do
  s=${SECS[$name]}
  c=${CPU[$name]}
  case $name in
    baseline) label="parse only (serde IgnoredAny, 1 thread)";;
    parse-value) label="parse into serde_json::Value, 1 thread";;
    validate-j1) label="eventcat validate -j 1";;
    validate-j2) label="eventcat validate -j 2";;
  esac
  awk -v l="$label" -v s="$s" -v c="$c" -v b="$BYTES" -v e="$EVENTS" -v m="${RSS[$name]}" -v base="$base" \
    'BEGIN {printf "%-40s %8.2f %9.1f %11.0f %7.2fx %9.2f %9.1f %9.1f\n", l, s, b/1e6/s, e/s, s/base, c, b/1e6/c, m/1024}'
done
