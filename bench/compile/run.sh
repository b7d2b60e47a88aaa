#!/usr/bin/env bash
# Compile cost of the Rust crate `eventcat generate` writes, against typify
# (https://github.com/oxidecomputer/typify) fed the JSON Schemas eventcat
# wrote for the same catalog. Synthetic catalogs come from bench/catalog's
# gen-catalog (shaped like schema/, about 1.4 types per code). Not part of the
# test suite; the 3000-code size takes many minutes: run it on a quiet
# machine. Prints a markdown table and notes.
#
#   bench/compile/run.sh                        # 300 and 3000 codes
#   SIZES=30 bench/compile/run.sh               # quick smoke run
#   TOOLS=~/bench-tools bench/compile/run.sh    # keep cargo-typify between runs
#
# What is timed: the generated crate's own compilation, not its dependencies.
# Each crate is first built once (`cargo build --release` and `cargo check`:
# the warm-up, which builds serde, chrono... into the crate's dedicated target
# dir; its wall time is reported too, as "cold"), then `touch src/lib.rs` and
# time `cargo check`, then `touch` again and time `cargo build --release`
# (RUNS times each, median). CARGO_INCREMENTAL=0 throughout, so that the
# `cargo check` after a touch recompiles the whole crate instead of reusing
# the incremental cache (release builds are not incremental by default).
#
# The eventcat crate is OUT/rust as generated, copied to its own folder with
# one change: `[workspace]` appended to its Cargo.toml, so it builds
# standalone wherever WORK is (default features: no schemars, no proptest).
# The typify crate is `cargo typify --no-builder` of a bundled schema (see
# bundle-schema.py: every `$defs` type plus a `oneOf` of per-code envelopes;
# events.schema.json dispatches with if/then, which typify cannot type) in a
# crate depending on serde, serde_json, regress, chrono and uuid, as typify's
# output needs. `--no-builder`: eventcat generates no builders either.
# `--const-as-enum`: typify turns a `const` into an unchecked
# `serde_json::Value` (or a plain `String` with `type: string`), so the
# envelopes could not tell codes apart; a one-value `enum` is the same
# constraint and typify checks it.
#
# Then the eventcat crate is built with one family only (`cargo build
# --release --no-default-features --features F`, F the family with the
# median number of codes), timed the same way, and a note compares it with
# the whole crate's release build.
#
# Columns: catalog codes and types; per generator: generation wall seconds
# (eventcat: the whole `generate`, Rust + JSON Schema + docs; typify: the
# Rust only, from the bundled schema), lines and MB of src/lib.rs, Rust types
# (`pub struct|enum|type` items), cold build (warm-up: dependencies + crate,
# check then release), `cargo check` s and `cargo build --release` s of the
# crate alone (median), peak RSS of the release build.
#
# Environment: SIZES (default "300 3000"), RUNS (timed builds per crate,
# default 1), SEED (gen-catalog seed, default 1), WORK (folder for catalogs,
# crates and target dirs, default a temporary one, removed at the end; a given
# WORK is kept), TOOLS (where cargo-typify is installed, default $WORK/tools;
# an existing $TOOLS/bin/cargo-typify is reused), TYPIFY_VERSION (default
# 0.8.0), CARGO_TARGET_DIR (for eventcat and gen-catalog).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/bench/compile"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${SIZES:-300 3000}
RUNS=${RUNS:-1}
SEED=${SEED:-1}
TYPIFY_VERSION=${TYPIFY_VERSION:-0.8.0}
if [[ -z "${WORK:-}" ]]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
TOOLS=${TOOLS:-$WORK/tools}
export CARGO_INCREMENTAL=0

echo "== build (release)" >&2
cargo build --quiet --release --manifest-path "$ROOT/Cargo.toml" -p eventcat --bin eventcat --target-dir "$TARGET"
cargo build --quiet --release --manifest-path "$ROOT/bench/catalog/Cargo.toml" --target-dir "$TARGET"
EVENTCAT="$TARGET/release/eventcat"
GEN="$TARGET/release/gen-catalog"
TYPIFY="$TOOLS/bin/cargo-typify"
if [[ ! -x "$TYPIFY" ]]; then
  echo "== install cargo-typify $TYPIFY_VERSION into $TOOLS" >&2
  cargo install --quiet --locked --root "$TOOLS" --version "$TYPIFY_VERSION" cargo-typify
fi
echo "   $("$TYPIFY" typify --version)" >&2

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# timed LOG COMMAND...: runs COMMAND under GNU time, output to LOG; sets T
# (wall s) and M (peak RSS KiB). Returns COMMAND's status.
timed() {
  local log=$1; shift
  local rc=0
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$log" 2>&1 || rc=$?
  read -r T M < <(tail -n 1 "$WORK/time")
  return $rc
}

# measure NAME DIR: warm-up then timed check / release builds of the crate in
# DIR, with its own target dir. Sets COLD, CHECK, RELEASE, RSS ("failed" if
# the crate does not build; the error is in $WORK/NAME.log).
measure() {
  local name=$1 dir=$2 target="$WORK/target-$1"
  local manifest="$dir/Cargo.toml" log="$WORK/$name.log"
  COLD=failed; CHECK=failed; RELEASE=failed; RSS=0
  local cold=0
  if ! timed "$log" cargo build --release --manifest-path "$manifest" --target-dir "$target"; then
    echo "   $name: cargo build --release FAILED:" >&2; grep -m5 -A5 '^error' "$log" >&2 || tail -n 20 "$log" >&2
    return 0
  fi
  cold=$T
  if ! timed "$log" cargo check --manifest-path "$manifest" --target-dir "$target"; then
    echo "   $name: cargo check FAILED:" >&2; grep -m5 -A5 '^error' "$log" >&2 || tail -n 20 "$log" >&2
    return 0
  fi
  COLD=$(awk -v a="$cold" -v b="$T" 'BEGIN {print a + b}')
  local checks=() releases=()
  for _ in $(seq "$RUNS"); do
    touch "$dir/src/lib.rs"
    timed "$log" cargo check --manifest-path "$manifest" --target-dir "$target"
    grep -q "Checking" "$log" || { echo "   $name: cargo check did not rebuild the crate" >&2; cat "$log" >&2; exit 1; }
    checks+=("$T")
    touch "$dir/src/lib.rs"
    timed "$log" cargo build --release --manifest-path "$manifest" --target-dir "$target"
    grep -q "Compiling" "$log" || { echo "   $name: cargo build did not rebuild the crate" >&2; cat "$log" >&2; exit 1; }
    releases+=("$T")
    (( M > RSS )) && RSS=$M
  done
  CHECK=$(printf '%s\n' "${checks[@]}" | median)
  RELEASE=$(printf '%s\n' "${releases[@]}" | median)
  echo "   $name: cold (deps + crate, release + check) $COLD s; check ${checks[*]} s; release ${releases[*]} s" >&2
}

# measure_family NAME DIR: after `measure NAME DIR` (dependencies built),
# times `cargo build --release --no-default-features --features F` of the
# crate in DIR, F the family with the median number of codes in $CAT
# (RUNS times, median). Sets FAMILY, FAMILY_CODES, FAMILY_RELEASE.
measure_family() {
  local name=$1 dir=$2 target="$WORK/target-$1" log="$WORK/$1-family.log"
  read -r FAMILY_CODES FAMILY < <(for f in "$CAT"/families/*.toml; do
      printf '%s %s\n' "$(grep -c '^\[\[event\]\]' "$f")" "$(sed -nE 's/^id = "(.*)"$/\1/p' "$f" | head -n 1)"
    done | sort -n -k1,1 -k2,2 | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}')
  local releases=()
  for _ in $(seq "$RUNS"); do
    touch "$dir/src/lib.rs"
    timed "$log" cargo build --release --manifest-path "$dir/Cargo.toml" --target-dir "$target" --no-default-features --features "$FAMILY" \
      || { echo "   $name: one-family build FAILED:" >&2; tail -n 20 "$log" >&2; FAMILY_RELEASE=failed; return 0; }
    grep -q "Compiling" "$log" || { echo "   $name: one-family build did not rebuild the crate" >&2; cat "$log" >&2; exit 1; }
    releases+=("$T")
  done
  FAMILY_RELEASE=$(printf '%s\n' "${releases[@]}" | median)
  echo "   $name: one family ($FAMILY, $FAMILY_CODES codes) release ${releases[*]} s" >&2
}

# Rust items of a generated file.
count_types() { grep -cE '^\s*pub (struct|enum|type) ' "$1" || true; }

ROWS=()
NOTES=()
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for CODES in $SIZES; do
  CAT="$WORK/catalog-$CODES"
  OUT="$WORK/out-$CODES"
  EC="$WORK/crates/eventcat-$CODES"
  TY="$WORK/crates/typify-$CODES"
  rm -rf "$CAT" "$OUT" "$EC" "$TY"
  mkdir -p "$WORK/crates"
  echo "== $CODES codes" >&2
  echo "   gen-catalog: $("$GEN" --codes "$CODES" --out "$CAT" --seed "$SEED")" >&2
  TYPES=$("$EVENTCAT" lint --catalog "$CAT" | sed -nE '1s/.* ([0-9]+) types$/\1/p')

  # eventcat: the generated crate, made standalone.
  timed "$WORK/generate.log" "$EVENTCAT" generate --catalog "$CAT" --out "$OUT" || { cat "$WORK/generate.log" >&2; exit 1; }
  EC_GEN=$T
  cp -r "$OUT/rust" "$EC"
  printf '\n# Added by bench/compile/run.sh: build standalone.\n[workspace]\n' >>"$EC/Cargo.toml"

  # typify: the bundled schema, then a crate around its output.
  mkdir -p "$TY/src"
  python3 "$BENCH/bundle-schema.py" --const-as-enum "$OUT/json-schema" "$TY/schema.json" 2>/dev/null
  TY_GEN=failed
  if timed "$WORK/typify.log" "$TYPIFY" typify --no-builder -o "$TY/src/lib.rs" "$TY/schema.json"; then
    TY_GEN=$T
  else
    echo "   typify FAILED on the bundled schema:" >&2
    tail -n 20 "$WORK/typify.log" >&2
    NOTES+=("typify failed at $CODES codes: $(grep -m1 -iE 'error|panic' "$WORK/typify.log" || tail -n 1 "$WORK/typify.log")")
  fi
  cat >"$TY/Cargo.toml" <<EOF
# Written by bench/compile/run.sh around typify's output.
[package]
name = "typify-webhooks-events"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
chrono = { version = "0.4.31", default-features = false, features = ["std", "serde"] }
regress = "0.12"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
uuid = { version = "1", default-features = false, features = ["std", "serde"] }
EOF

  measure "eventcat-$CODES" "$EC"
  EC_ROW=("$EC_GEN" "$(wc -l <"$EC/src/lib.rs")" "$(stat -c %s "$EC/src/lib.rs")" "$(count_types "$EC/src/lib.rs")" "$COLD" "$CHECK" "$RELEASE" "$RSS")
  EC_DENY=$(grep -c 'deny_unknown_fields' "$EC/src/lib.rs" || true)
  EC_RELEASE=$RELEASE
  measure_family "eventcat-$CODES" "$EC"
  NOTES+=("$CODES codes: one family of $(ls "$CAT"/families/*.toml | wc -l) (\`--no-default-features --features $FAMILY\`, $FAMILY_CODES codes): release $FAMILY_RELEASE s, whole crate $EC_RELEASE s ($(awk -v a="$EC_RELEASE" -v b="$FAMILY_RELEASE" 'BEGIN {if (b > 0) printf "%.1f x faster", a / b; else print "n/a"}'))")
  if [[ "$TY_GEN" != failed ]]; then
    measure "typify-$CODES" "$TY"
    TY_ROW=("$TY_GEN" "$(wc -l <"$TY/src/lib.rs")" "$(stat -c %s "$TY/src/lib.rs")" "$(count_types "$TY/src/lib.rs")" "$COLD" "$CHECK" "$RELEASE" "$RSS")
    TY_DENY=$(grep -c 'deny_unknown_fields' "$TY/src/lib.rs" || true)
  else
    TY_ROW=(failed 0 0 0 failed failed failed 0)
    TY_DENY=0
  fi
  for gen in eventcat typify; do
    if [[ $gen == eventcat ]]; then r=("${EC_ROW[@]}"); else r=("${TY_ROW[@]}"); fi
    ROWS+=("$(awk -v c="$CODES" -v t="$TYPES" -v g="$gen" -v gs="${r[0]}" -v l="${r[1]}" -v b="${r[2]}" -v n="${r[3]}" \
      -v cold="${r[4]}" -v chk="${r[5]}" -v rel="${r[6]}" -v m="${r[7]}" \
      'BEGIN {printf "| %d | %d | %s | %s | %d | %.2f | %d | %s | %s | %s | %.0f |", c, t, g, gs, l, b/1e6, n, cold, chk, rel, m/1024}')")
  done
  NOTES+=("$CODES codes: \`#[serde(deny_unknown_fields)]\` on $EC_DENY eventcat items, $TY_DENY typify items; untagged enums in typify's output: $(grep -c 'serde(untagged)' "$TY/src/lib.rs" 2>/dev/null || echo 0)")
  rm -rf "$CAT" "$OUT"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "$(rustc --version); $("$TYPIFY" typify --version); CARGO_INCREMENTAL=0; $RUNS timed run(s) of each build (median)"
echo "load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER (other work on the machine slows wall times)"
echo "check s / release s: the generated crate alone, after \`touch src/lib.rs\` (its dependencies already built); cold s: the first check + release build, dependencies included"
echo
echo "| codes | catalog types | generator | generate s | lib.rs lines | lib.rs MB | Rust types | cold s | check s | release s | release peak MiB |"
echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${ROWS[@]}"
echo
printf -- '- %s\n' "${NOTES[@]}"
cat <<'EOF'
- How strict typify's types are (from this input; checked by reading its output): objects have
  `deny_unknown_fields` (the schemas say `additionalProperties: false`), so typify rejects fields
  the catalog does not declare where eventcat's types ignore them; extensible enums become closed
  enums (the schema lists the values and marks `x-extensible`, which typify ignores), where eventcat
  keeps unknown values in `Other(String)`; an optional field that is not nullable still accepts
  `null` and optional + nullable is one `Option` (absent and null are not told apart), where
  eventcat rejects the `null` and uses `Option<Option<T>>`; `minimum`/`maximum` are not checked
  (`i64`), nor are the `email` / `uri` formats (`String`); `pattern`s are checked with regress
  newtypes (one per field: the `local-date-time` pattern gives one type per field using it).
  The envelope is an untagged enum with one variant per code: deserializing tries the variants in
  order (cost grows with the number of codes), and an unknown code is an error where eventcat
  yields `Event::Unknown`.
EOF
