#!/usr/bin/env bash
# Throughput of `eventcat validate` against a parse-only baseline and peer
# validators (Ajv on Node.js; jsonschema and fastjsonschema on CPython), on
# one generated NDJSON file of events of the default catalog. Not part of the
# test suite; takes several minutes (the Python peers are slow). Prints a
# table (MB/s, events/s, peak memory, ratio to the baseline, invalid events
# found).
#
#   bench/validate/run.sh                 # 220 MB file, 3 runs of each
#   MB=500 RUNS=5 bench/validate/run.sh   # bigger file, more runs
#   MB=5 RUNS=1 bench/validate/run.sh     # smoke test
#   PEERS= bench/validate/run.sh          # eventcat and the baselines only
#
# The baselines and eventcat run in interleaved rounds; the peers after.
# Columns: wall seconds (median), MB/s and events/s from it, wall time as a
# multiple of the parse-only baseline's, CPU seconds (user + system, median),
# MB per CPU second, peak resident memory, invalid events the contender
# reported (`*`: not the generator's count, so it did not check the same
# contract; `-`: a parse-only baseline, no contract).
#
# Peers (bench/validate/ajv, bench/validate/python, each on 1 thread; their
# contracts and how they differ from eventcat's: bench/validate/PEERS.md)
# check the same file against the JSON Schemas `eventcat generate` writes for
# the same catalog, dispatching on `code` to the code's own schema as eventcat
# does, formats asserted. They are installed first: `npm ci` in bench/validate/ajv (needs
# node and npm), a virtualenv with bench/validate/python/requirements.txt
# (needs python3 >= 3.9 with venv and pip). A peer whose runtime is missing is
# skipped with a warning.
#
# Environment: MB (file size, default 220), RUNS (default 3), PEER_RUNS (runs
# of the slow peers, the Python ones, default 1), PEERS (which peers, default
# "ajv jsonschema fastjsonschema"; empty for none), INVALID_PER_MILLE
# (default 30), SEED (default 1), WORK (folder for the file, default a
# temporary one, removed at the end), VENV (the Python peers' virtualenv,
# default bench/validate/.venv, kept), CARGO_TARGET_DIR.
set -euo pipefail
# Decimal points, whatever the locale (EPOCHREALTIME, awk, sort -g).
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/validate"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
MB=${MB:-220}
RUNS=${RUNS:-3}
PEER_RUNS=${PEER_RUNS:-1}
PEERS=${PEERS-ajv jsonschema fastjsonschema}
VENV=${VENV:-$BENCH/.venv}
for p in $PEERS; do
  case $p in
    ajv | jsonschema | fastjsonschema) ;;
    *) echo "unknown peer \`$p\` in PEERS (ajv, jsonschema, fastjsonschema)" >&2; exit 2;;
  esac
done
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

# The peers validate against the JSON Schemas of the same catalog, generated
# now (not the checked-in generated/, which could be stale).
"$EVENTCAT" generate --catalog "$ROOT/schema" --out "$WORK/generated" >&2
SCHEMAS="$WORK/generated/json-schema"

has_peer() { [[ " $PEERS " == *" $1 "* ]]; }
drop_peer() { PEERS=$(tr ' ' '\n' <<<"$PEERS" | grep -vx "$1" | tr '\n' ' '); }
declare -A LABEL
if [[ -n "${PEERS// /}" ]]; then
  echo "== install peers ($PEERS)" >&2
fi
if has_peer ajv; then
  if command -v node >/dev/null && command -v npm >/dev/null; then
    npm ci --prefix "$BENCH/ajv" --no-audit --no-fund --loglevel=error >&2
    ajv_version=$(node -p "require('$BENCH/ajv/node_modules/ajv/package.json').version")
    LABEL[ajv]="Ajv $ajv_version, Node.js $(node --version)"
  else
    echo "WARNING: node or npm not found: Ajv skipped" >&2
    drop_peer ajv
  fi
fi
if has_peer jsonschema || has_peer fastjsonschema; then
  if command -v python3 >/dev/null; then
    [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$BENCH/python/requirements.txt" >&2
    py=$("$VENV/bin/python" -c 'import platform; import sys; print(platform.python_implementation(), "%d.%d" % sys.version_info[:2])')
    for lib in jsonschema fastjsonschema; do
      v=$("$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$lib'))")
      LABEL[$lib]="$lib $v, $py"
    done
  else
    echo "WARNING: python3 not found: the Python peers skipped" >&2
    drop_peer jsonschema
    drop_peer fastjsonschema
  fi
fi

echo "== generate $MB MB of events from $ROOT/schema" >&2
GEN=$("$TARGET/release/gen-events" "$ROOT/schema" "$FILE" "$MB" "$INVALID_PER_MILLE" "$SEED")
echo "$GEN" >&2
BYTES=$(stat -c %s "$FILE")
EXPECTED_INVALID=$(sed -E 's/.*"invalid":([0-9]+).*/\1/' <<<"$GEN")
cat "$FILE" >/dev/null # warm the page cache: every contender reads from memory

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# once NAME COMMAND...: one timed run; adds its wall seconds (from bash's
# microsecond clock: GNU time prints hundredths, too coarse for 0.3 s runs),
# CPU (user + system) seconds and peak RSS to NAME's records.
declare -A SECS CPU RSS FOUND WALLS CPUS
once() {
  local name=$1; shift
  local t0 t1 m u s
  t0=$EPOCHREALTIME
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || true
  t1=$EPOCHREALTIME
  # GNU time prints "Command exited with non-zero status N" first when it does.
  read -r _ m u s < <(tail -n 1 "$WORK/time")
  WALLS[$name]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}') "
  CPUS[$name]+="$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') "
  (( m > ${RSS[$name]:-0} )) && RSS[$name]=$m
  return 0
}

# summarize NAME: the median wall and CPU seconds of NAME's runs.
summarize() {
  SECS[$1]=$(tr ' ' '\n' <<<"${WALLS[$1]}" | grep . | median)
  CPU[$1]=$(tr ' ' '\n' <<<"${CPUS[$1]}" | grep . | median)
  echo "   $1: wall ${WALLS[$1]}s; cpu ${CPUS[$1]}s" >&2
}

# run NAME COMMAND...: RUNS timed runs (N_RUNS if set) in a row, summarized.
run() {
  local name=$1
  for _ in $(seq "${N_RUNS:-$RUNS}"); do once "$@"; done
  summarize "$name"
}

# found NAME: the invalid count in a peer's one-line JSON summary (last run),
# or "failed" (and its error output) when there is none.
found() {
  local n
  n=$(sed -nE 's/.*"invalid":([0-9]+).*/\1/p' "$WORK/out")
  if [[ -z "$n" ]]; then
    echo "WARNING: $1 failed:" >&2
    tail -n 5 "$WORK/err" >&2
    n=failed
  else
    echo "   $1: $(cat "$WORK/out")" >&2
  fi
  FOUND[$1]=$n
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== measure ($RUNS runs each, median; $PEER_RUNS of the Python peers)" >&2
# The baselines and eventcat run in rounds, each contender once per round,
# so that a change of the machine's speed during the run (other work, a
# throttled core) weighs on all of them alike; the ratios #13 is held to are
# also taken round by round (see `per_round` below).
for _ in $(seq "$RUNS"); do
  once baseline "$TARGET/release/parse-baseline" "$FILE"
  EVENTS=$(sed -E 's/.*"events": ([0-9]+).*/\1/' "$WORK/out")
  once parse-value "$TARGET/release/parse-baseline" --value "$FILE"
  once validate-j1 "$EVENTCAT" validate --catalog "$ROOT/schema" -j 1 "$FILE"
  FOUND[validate-j1]=$(head -n 1 "$WORK/err" | sed -E 's/.* ([0-9]+) invalid.*/\1/')
  once validate-j2 "$EVENTCAT" validate --catalog "$ROOT/schema" -j 2 "$FILE"
  SUMMARY=$(head -n 1 "$WORK/err")
done
for name in baseline parse-value validate-j1 validate-j2; do summarize "$name"; done
GOT_INVALID=$(sed -E 's/.* ([0-9]+) invalid.*/\1/' <<<"$SUMMARY")
FOUND[validate-j2]=$GOT_INVALID
run validate-ref-j1 "$EVENTCAT" validate --catalog "$ROOT/schema" --engine reference -j 1 "$FILE"
FOUND[validate-ref-j1]=$(head -n 1 "$WORK/err" | sed -E 's/.* ([0-9]+) invalid.*/\1/')
if has_peer ajv; then
  run ajv node "$BENCH/ajv/validate.mjs" "$SCHEMAS" "$FILE"
  found ajv
fi
for lib in jsonschema fastjsonschema; do
  if has_peer "$lib"; then
    N_RUNS=$PEER_RUNS run "$lib" "$VENV/bin/python" "$BENCH/python/validate.py" --lib "$lib" "$SCHEMAS" "$FILE"
    found "$lib"
  fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "file: $(awk -v b="$BYTES" 'BEGIN {printf "%.1f MB", b/1e6}') NDJSON, $EVENTS events, $EXPECTED_INVALID invalid by construction"
echo "validate found: $SUMMARY"
echo "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (other work on the machine slows wall times; CPU seconds are less affected)"
if [[ "$GOT_INVALID" != "$EXPECTED_INVALID" ]]; then
  echo "WARNING: validate reported $GOT_INVALID invalid events, the generator made $EXPECTED_INVALID" >&2
fi
echo
printf '%-40s %8s %9s %11s %8s %9s %9s %9s %13s\n' "contender" "wall s" "MB/s" "events/s" "x parse" "CPU s" "CPU MB/s" "peak MiB" "invalid found"
base=${SECS[baseline]}
MISMATCH=()
for name in baseline parse-value validate-j1 validate-j2 validate-ref-j1 $PEERS; do
  s=${SECS[$name]}
  c=${CPU[$name]}
  case $name in
    baseline) label="parse only (serde IgnoredAny, 1 thread)";;
    parse-value) label="parse into serde_json::Value, 1 thread";;
    validate-j1) label="eventcat validate -j 1";;
    validate-j2) label="eventcat validate -j 2";;
    validate-ref-j1) label="validate --engine reference -j 1";;
    *) label=${LABEL[$name]};;
  esac
  inv=${FOUND[$name]:--}
  if [[ "$inv" != - && "$inv" != "$EXPECTED_INVALID" ]]; then
    MISMATCH+=("$label: $inv")
    inv="$inv*"
  fi
  awk -v l="$label" -v s="$s" -v c="$c" -v b="$BYTES" -v e="$EVENTS" -v m="${RSS[$name]}" -v base="$base" -v inv="$inv" \
    'BEGIN {printf "%-40s %8.3f %9.1f %11.0f %7.2fx %9.2f %9.1f %9.1f %13s\n", l, s, b/1e6/s, e/s, s/base, c, b/1e6/c, m/1024, inv}'
done
echo
# The ratios the compiled engine is held to (issue #13): of the medians, and
# the median of each round's ratio (A's and B's runs of the same round).
per_round() {
  paste <(tr ' ' '\n' <<<"${WALLS[$1]}" | grep .) <(tr ' ' '\n' <<<"${WALLS[$2]}" | grep .) |
    awk '{print $1 / $2}' | median
}
awk -v base="$base" -v j1="${SECS[validate-j1]}" -v j2="${SECS[validate-j2]}" -v ajv="${SECS[ajv]:-}" \
  -v r1="$(per_round baseline validate-j1)" -v r2="$(per_round validate-j1 validate-j2)" 'BEGIN {
  printf "validate -j 1 rate / parse-only rate: %.3f (median of the rounds: %.3f)\n", base / j1, r1
  printf "validate -j 2 speed-up over -j 1:     %.3f (median of the rounds: %.3f)\n", j1 / j2, r2
  if (ajv != "") printf "validate -j 1 events/s / Ajv events/s: %.2f\n", ajv / j1
}'
if (( ${#MISMATCH[@]} )); then
  echo
  echo "* invalid events found differ from the generator's $EXPECTED_INVALID: these contenders did not check the same contract (see bench/validate/PEERS.md):"
  printf '  %s\n' "${MISMATCH[@]}"
  for m in "${MISMATCH[@]}"; do echo "WARNING: $m invalid events, the generator made $EXPECTED_INVALID" >&2; done
fi
