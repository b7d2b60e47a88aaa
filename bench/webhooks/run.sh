#!/usr/bin/env bash
# send -> listen on 127.0.0.1: deliveries per second end to end, and
# listen's handling time per delivery (p50/p99, from its own summary).
# Then the same deliveries to a peer receiver: the npm `standardwebhooks`
# package's verifier in a Node.js http server (tests/webhooks/interop.mjs;
# it verifies signatures only, no validation), when tests/webhooks has its
# node_modules (npm ci --prefix tests/webhooks).
# Settings: EVENTCAT (binary; default target/release/eventcat, built if
# missing), COUNT (random events per code, default 20), CONCURRENCY (default 4).
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTCAT=${EVENTCAT:-target/release/eventcat}
COUNT=${COUNT:-20}
CONCURRENCY=${CONCURRENCY:-4}
[ -x "$EVENTCAT" ] || cargo build --release -q --bin eventcat
export EVENTCAT_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$EVENTCAT" fixtures --count "$COUNT" > "$tmp/events.ndjson"
n=$(wc -l < "$tmp/events.ndjson")
"$EVENTCAT" listen --port 0 --max "$n" --timeout 300 > /dev/null 2> "$tmp/listen.err" &
lpid=$!
for _ in $(seq 100); do grep -q listening "$tmp/listen.err" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$tmp/listen.err" | head -1 | cut -d: -f2)
start=$(date +%s.%N)
"$EVENTCAT" send --to "http://127.0.0.1:$port/" --concurrency "$CONCURRENCY" "$tmp/events.ndjson" > /dev/null 2> "$tmp/send.err" || true
end=$(date +%s.%N)
wait "$lpid" || true
echo "events: $n ($(wc -c < "$tmp/events.ndjson") bytes), concurrency $CONCURRENCY, binary $EVENTCAT"
echo "send wall time: $(echo "$end - $start" | bc) s; deliveries/s: $(echo "$n / ($end - $start)" | bc)"
cat "$tmp/send.err"
grep '^received' "$tmp/listen.err"

if command -v node > /dev/null && [ -d tests/webhooks/node_modules/standardwebhooks ]; then
  node tests/webhooks/interop.mjs serve "$EVENTCAT_SECRET" "$n" > "$tmp/node.out" 2> "$tmp/node.err" &
  npid=$!
  for _ in $(seq 100); do grep -q listening "$tmp/node.err" && break; sleep 0.1; done
  port=$(grep -o 'listening on [0-9]*' "$tmp/node.err" | head -1 | awk '{print $3}')
  start=$(date +%s.%N)
  "$EVENTCAT" send --to "http://127.0.0.1:$port/" --concurrency "$CONCURRENCY" "$tmp/events.ndjson" > /dev/null 2> "$tmp/send-node.err" || true
  end=$(date +%s.%N)
  wait "$npid" || true
  echo "peer receiver (npm standardwebhooks, verify only): $(grep -c '^204' "$tmp/node.out") of $n verified"
  echo "send wall time: $(echo "$end - $start" | bc) s; deliveries/s: $(echo "$n / ($end - $start)" | bc)"
  cat "$tmp/send-node.err"
else
  echo "peer receiver skipped: node or tests/webhooks/node_modules missing"
fi
