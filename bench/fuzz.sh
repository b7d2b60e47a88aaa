#!/usr/bin/env bash
# Long fuzzing runs with cargo-fuzz (libFuzzer), one target after the other:
#   load      bytes -> catalog loader -> every output
#   validate  bytes -> event reader -> validator
#   markdown  text  -> description renderer (tags of its subset only)
# Needs a nightly toolchain and `cargo install cargo-fuzz`.
#
#   bench/fuzz.sh [SECONDS_PER_TARGET]   (default 3600)
#
# Crashes land in fuzz/artifacts/<target>/; turn each into a case of
# tests/hostile/ (the bounded proptest versions of the same targets run in
# `cargo test`). The corpus grows in fuzz/corpus/<target>/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-3600}"
mkdir -p corpus/load corpus/validate corpus/markdown
# Seeds: the repository's own catalogs, captured events and descriptions.
cp ../schema/catalog.toml corpus/load/schema.toml; cp catalog.toml corpus/load/base.toml
i=0; for f in ../tests/catalogs/edge/*/catalog.toml; do cp "$f" "corpus/load/edge-$i.toml"; i=$((i+1)); done
cp ../examples/captured/events.ndjson ../tests/payloads/*.json corpus/validate/
cp ../README.md ../CHANGELOG.md corpus/markdown/
for target in load validate markdown; do
  echo "== $target: ${secs} s"
  # -detect_leaks=0: `validate` runs worker threads, and LeakSanitizer
  # reports std's per-thread channel context, freed by thread-local
  # destructors it does not wait for (48 + 32 + 32 bytes, std's own), as a
  # leak: a false positive that would stop the run.
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$secs" -max_len=65536 \
    -detect_leaks=0 -print_final_stats=1 2>&1 | tee "fuzz-$target.log" | grep -E "^#[0-9]+.*(DONE|pulse)|stat::|ERROR|crash" || true
done
