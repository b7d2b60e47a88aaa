#!/usr/bin/env bash
# The compiled and the reference engine on the whole benchmark file: both
# JSON reports (`eventcat validate --format json`) must list the same
# invalid events with the same violations (pointer, kind, message, expected,
# found, in order). Prints the counts; exits 1 on any difference (the first
# ones are printed).
#
#   bench/validate/compare-engines.sh              # the 220 MB file of run.sh
#   MB=5 bench/validate/compare-engines.sh         # a quick look
#   bench/validate/compare-engines.sh FILE.ndjson  # any file of events of schema/
#
# Environment: MB (default 220), INVALID_PER_MILLE (default 30), SEED
# (default 1), CATALOG (default schema/), CARGO_TARGET_DIR, EVENTCAT (a
# built binary to use instead of building one). Needs python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/validate"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CATALOG=${CATALOG:-$ROOT/schema}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [[ -z "${EVENTCAT:-}" ]]; then
  cargo build --quiet --release --manifest-path "$ROOT/Cargo.toml" -p eventcat --bin eventcat --target-dir "$TARGET"
  EVENTCAT="$TARGET/release/eventcat"
fi
if [[ $# -ge 1 ]]; then
  FILE=$1
else
  cargo build --quiet --release --manifest-path "$BENCH/Cargo.toml" --target-dir "$TARGET"
  FILE="$WORK/events.ndjson"
  "$TARGET/release/gen-events" "$CATALOG" "$FILE" "${MB:-220}" "${INVALID_PER_MILLE:-30}" "${SEED:-1}" >&2
fi

for engine in compiled reference; do
  /usr/bin/time -f "$engine: %e s, %M KiB peak" "$EVENTCAT" validate --catalog "$CATALOG" \
    --engine "$engine" --format json "$FILE" >"$WORK/$engine.json" || true
done

python3 - "$WORK/compiled.json" "$WORK/reference.json" <<'PY'
import json, sys
from collections import OrderedDict

def load(path):
    with open(path) as f:
        doc = json.load(f)
    events = OrderedDict()
    for v in doc["violations"]:
        key = (v["file"], v["line"])
        events.setdefault(key, []).append(v)
    return doc, events

(ca, ea), (cb, eb) = load(sys.argv[1]), load(sys.argv[2])
diffs = [k for k in ea.keys() | eb.keys() if ea.get(k) != eb.get(k)]
print(f"compiled: {len(ea)} invalid events, {sum(map(len, ea.values()))} violations")
print(f"reference: {len(eb)} invalid events, {sum(map(len, eb.values()))} violations")
sa, sb = ca["summary"], cb["summary"]
if sa != sb:
    print("summaries differ:\n  compiled:  %s\n  reference: %s" % (sa, sb))
print(f"events whose reports differ: {len(diffs)}")
for k in sorted(diffs)[:5]:
    print(f"  {k[0]}:{k[1]}\n    compiled:  {ea.get(k)}\n    reference: {eb.get(k)}")
sys.exit(1 if diffs or sa != sb else 0)
PY
