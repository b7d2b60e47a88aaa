#!/usr/bin/env bash
# Runs every benchmark of bench/ one after the other and keeps each one's
# output (table on stdout, progress on stderr) under bench/results/:
#
#   validate.txt  bench/validate/run.sh: validation throughput, eventcat vs a
#                 parse-only baseline, Ajv, Python jsonschema, fastjsonschema
#   codegen.txt   bench/codegen/run.sh: `eventcat generate` for 30 to 10 000 codes
#   compile.txt   bench/compile/run.sh: cargo check / build --release of the
#                 generated crate vs typify's, 300 and 3 000 codes
#
#   bench/run.sh                 # everything, defaults of each script (about an hour on 2 cores)
#   ONLY="codegen" bench/run.sh  # a subset: any of validate codegen compile
#
# Needs what the README's set-up gives (Rust) plus what the scripts install
# themselves: Node.js + npm (Ajv, from the npm registry), python3 with venv
# and pip (jsonschema, fastjsonschema, from PyPI), cargo-typify (crates.io).
# Every other environment variable is passed to the scripts (MB, RUNS,
# PEER_RUNS, SIZES, WORK...; see each script's header). Not part of the test
# suite. Run it on a quiet machine: wall times are shared with anything else
# running; each script prints the load average before and after.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/bench/results}
ONLY=${ONLY:-validate codegen compile}
mkdir -p "$OUT"
for b in $ONLY; do
  case $b in
    validate | codegen | compile) ;;
    *) echo "unknown benchmark \`$b\` (validate, codegen, compile)" >&2; exit 2 ;;
  esac
  echo "== $b ($(date -u +%H:%M:%S) UTC)" >&2
  start=$(date +%s)
  "$ROOT/bench/$b/run.sh" 2>&1 | tee "$OUT/$b.txt"
  echo "== $b took $(( $(date +%s) - start )) s" | tee -a "$OUT/$b.txt" >&2
done
