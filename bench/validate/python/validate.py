"""Python peers of `eventcat validate`, for bench/validate/run.sh.

Checks an NDJSON file of events against the catalog's JSON Schemas and prints
a one-line JSON summary on stdout: events, valid, invalid, malformed,
unknown_code, no_code, seconds (total), compile_seconds.

    python validate.py --lib jsonschema|fastjsonschema SCHEMA_DIR FILE.ndjson [--report]

--report prints every invalid event's number (1-based, blank lines not
counted) and why on stderr, to compare verdicts with other contenders.

SCHEMA_DIR is the `json-schema` folder `eventcat generate` writes: one
`<code>.schema.json` per event code, plus `events.schema.json` (not used).

Dispatch, as eventcat does (src/validate/schema.rs, `Validators::check`): the
event's `code` picks that code's own schema, compiled once; an unknown code,
a missing or non-string code, or a line that is not a JSON object is invalid
without schema validation; a line that is not JSON (or not UTF-8) is
malformed (and invalid). Validating against `events.schema.json` instead
would make every event go through 28 `if`/`then` pairs: work eventcat does
not do. Only the verdict is computed (`is_valid`, or the first error), where
eventcat also collects every error of an invalid event (3% of the benchmark
file) to report them.

--lib jsonschema: `Draft202012Validator` (draft 2020-12, the schemas as
  emitted) with a `FormatChecker`, so formats are asserted: uuid, email and
  date from the standard library, date-time from `rfc3339-validator`, uri
  from `rfc3986-validator` (see requirements.txt; without them jsonschema
  silently skips those formats, so the script refuses to run if any format
  the schemas use has no checker), local-date-time registered below with
  eventcat's meaning.

--lib fastjsonschema: it implements drafts 4, 6 and 7 (2.x also has a few
  2019-09 formats), so each schema is given `$schema: draft-07` before
  compiling. Nothing else needs converting: the keywords the emitter uses
  (type, properties, required, additionalProperties, const, enum, anyOf,
  items, minItems, minimum, maximum, pattern, format) mean the same in
  draft 7, `$ref: "#/$defs/X"` resolves as a plain JSON pointer, and no `$ref`
  has validating siblings (draft 7 ignores them: checked below). Formats:
  date, date-time, email and uri are fastjsonschema's own regexes; uuid (not
  in draft 7) and local-date-time are given as custom formats. Unknown
  formats are skipped silently by fastjsonschema too: checked below.

Differences from eventcat's contract (none is exercised by the benchmark
file, whose values are well-formed or broken structurally; see
bench/validate/PEERS.md for the full list, and python/probe.py):
- `pattern` uses Python's `re.search`, where `$` also matches before a final
  newline: "123\\n" matches `^[0-9]+$` here, not in ECMA-262 (eventcat, Ajv).
- email: jsonschema only checks that the string contains "@"; fastjsonschema
  uses a loose regex; eventcat checks RFC 5321 syntax (email_address crate).
- uri: fastjsonschema's regex is `^\\w+:(/?/?)[^\\s]+$` (no RFC 3986 syntax).
- date-time: fastjsonschema also accepts an offset without colon (+0100).
"""

import argparse
import json
import os
import re
import sys
import time

DRAFT07 = "http://json-schema.org/draft-07/schema#"


def is_local_date_time(s):
    """eventcat's `is_local_date_time` (codegen/src/emit/json_schema.rs):
    YYYY-MM-DDTHH:MM:SS with an optional fraction (a dot and at least one
    digit), no offset; month 1-12, day within the month (leap years
    counted), hour < 24, minute < 60, second <= 60."""
    if not isinstance(s, str):
        return True  # formats only constrain strings
    if len(s) < 19 or not s.isascii():
        return False
    if s[4] != "-" or s[7] != "-" or s[10] != "T" or s[13] != ":" or s[16] != ":":
        return False
    parts = (s[0:4], s[5:7], s[8:10], s[11:13], s[14:16], s[17:19])
    # str.isdigit() is true for other Unicode digits: the string is ASCII here.
    if not all(p.isdigit() for p in parts):
        return False
    year, month, day, hour, minute, second = map(int, parts)
    frac = s[19:]
    if frac and not (len(frac) >= 2 and frac[0] == "." and frac[1:].isdigit()):
        return False
    leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
    if month in (1, 3, 5, 7, 8, 10, 12):
        days = 31
    elif month in (4, 6, 9, 11):
        days = 30
    elif month == 2:
        days = 29 if leap else 28
    else:
        return False
    return 1 <= day <= days and hour < 24 and minute < 60 and second <= 60


# uuid as eventcat checks it (jsonschema crate: uuid-simd `parse_hyphenated`):
# 8-4-4-4-12 hex digits, either case, nothing around.
UUID_RE = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\Z"


def walk(node, visit):
    if isinstance(node, dict):
        visit(node)
        for k, v in node.items():
            if k in ("examples", "enum", "const", "x-enum-descriptions"):
                continue
            walk(v, visit)
    elif isinstance(node, list):
        for v in node:
            walk(v, visit)


def formats_of(schema):
    found = set()
    walk(schema, lambda n: isinstance(n.get("format"), str) and found.add(n["format"]))
    return found


def load_schemas(schema_dir, disc):
    """code -> schema, from every per-code file."""
    out = {}
    for name in sorted(os.listdir(schema_dir)):
        if not name.endswith(".schema.json") or name == "events.schema.json":
            continue
        with open(os.path.join(schema_dir, name), encoding="utf-8") as f:
            schema = json.load(f)
        code = schema.get("properties", {}).get(disc, {}).get("const")
        if not isinstance(code, str):
            sys.exit(f"{name}: no const `{disc}`")
        out[code] = schema
    if not out:
        sys.exit(f"no *.schema.json under {schema_dir}")
    return out


def compile_jsonschema(schemas, report=False):
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(Draft202012Validator.FORMAT_CHECKER.checkers.keys())
    checker.checks("local-date-time")(is_local_date_time)
    used = set().union(*(formats_of(s) for s in schemas.values()))
    missing = used - set(checker.checkers)
    if missing:
        sys.exit(f"jsonschema has no checker for format(s) {sorted(missing)}: "
                 "install bench/validate/python/requirements.txt")
    # Formats really asserted (a FormatChecker that lacks a library, or a
    # validator built without one, would accept these).
    for fmt, bad in [("uuid", "not-a-uuid"), ("email", "nobody"), ("uri", "no scheme"),
                     ("date", "2023-02-30"), ("date-time", "2024-03-22T17:14:27"),
                     ("local-date-time", "2024-03-22T17:14:27Z")]:
        if fmt in used and Draft202012Validator({"format": fmt}, format_checker=checker).is_valid(bad):
            sys.exit(f"jsonschema does not assert format {fmt} ({bad!r} accepted)")
    out = {}
    for code, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        v = Draft202012Validator(schema, format_checker=checker)
        out[code] = v.is_valid if not report else reporting(v, report)
    return out


def compile_fastjsonschema(schemas, report=False):
    import fastjsonschema
    from fastjsonschema.draft07 import CodeGeneratorDraft07

    formats = {"uuid": UUID_RE, "local-date-time": is_local_date_time}
    known = set(CodeGeneratorDraft07.FORMAT_REGEXS) | set(formats)
    out = {}
    for code, schema in schemas.items():
        missing = formats_of(schema) - known
        if missing:
            sys.exit(f"fastjsonschema (draft 7) cannot check format(s) {sorted(missing)}")

        def no_ref_siblings(n):
            if "$ref" in n:
                extra = set(n) - {"$ref", "description", "title", "$comment", "examples"}
                if extra:
                    sys.exit(f"{code}: $ref with siblings {sorted(extra)}: draft 7 ignores them")

        walk(schema, no_ref_siblings)
        converted = dict(schema, **{"$schema": DRAFT07})
        validate = fastjsonschema.compile(converted, formats=formats)
        out[code] = checker_of(validate, fastjsonschema.JsonSchemaValueException, report)
    # Formats really asserted.
    probe = fastjsonschema.compile(
        {"$schema": DRAFT07, "properties": {f: {"format": f} for f in known}}, formats=formats)
    for fmt, bad in [("uuid", "not-a-uuid"), ("email", "nobody"), ("uri", "no scheme"),
                     ("date", "2023-02-30"), ("date-time", "2024-03-22T17:14:27"),
                     ("local-date-time", "2024-03-22T17:14:27Z")]:
        try:
            probe({fmt: bad})
        except fastjsonschema.JsonSchemaValueException:
            continue
        sys.exit(f"fastjsonschema does not assert format {fmt} ({bad!r} accepted)")
    return out


def checker_of(validate, exc, report=False):
    def is_valid(event):
        try:
            validate(event)
            return True
        except exc as e:
            if report:
                print(report(), e.message[:200], file=sys.stderr)
            return False

    return is_valid


def reporting(validator, report):
    def is_valid(event):
        errors = list(validator.iter_errors(event))
        for e in errors[:1]:
            print(report(), e.json_path, e.validator, e.message[:200], file=sys.stderr)
        return not errors

    return is_valid


def reject_constant(name):
    # Python's json accepts NaN, Infinity and -Infinity; JSON (RFC 8259),
    # serde_json and JSON.parse do not.
    raise ValueError(f"not JSON: {name}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lib", choices=["jsonschema", "fastjsonschema"], required=True)
    p.add_argument("--discriminator", default="code")
    p.add_argument("--lines", choices=["chunk", "iter"], default="chunk",
                   help="chunk: read 4 MiB at a time and split (default); iter: `for line in file`")
    p.add_argument("--report", action="store_true",
                   help="print each invalid event's number and why on stderr")
    p.add_argument("schema_dir")
    p.add_argument("file")
    a = p.parse_args()
    start = time.perf_counter()
    disc = a.discriminator

    schemas = load_schemas(a.schema_dir, disc)
    compile_ = compile_jsonschema if a.lib == "jsonschema" else compile_fastjsonschema
    # With --report, the validators print why an event is invalid, after
    # its number (report() gives it).
    validators = compile_(schemas, a.report and (lambda: events))
    compile_seconds = time.perf_counter() - start

    decode = json.JSONDecoder(parse_constant=reject_constant).decode
    events = valid = malformed = unknown_code = no_code = schema_invalid = 0

    def lines_chunked(f):
        # A newline byte never occurs inside a multi-byte UTF-8 sequence:
        # splitting bytes on b"\n" is safe.
        rest = f.read(3)
        if rest == b"\xef\xbb\xbf":
            rest = b""  # a UTF-8 byte order mark, skipped as eventcat does
        while True:
            chunk = f.read(4 << 20)
            if not chunk:
                break
            parts = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
            rest = parts.pop()
            yield from parts
        if rest:
            yield rest

    def lines_iter(f):
        first = True
        for line in f:
            if first:
                first = False
                if line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
            yield line

    with open(a.file, "rb", buffering=1 << 20) as f:
        lines = lines_chunked(f) if a.lines == "chunk" else lines_iter(f)
        for raw in lines:
            if not raw.strip():
                continue  # blank lines are not events (eventcat skips them too)
            events += 1
            try:
                event = decode(raw.decode("utf-8"))
            except ValueError:  # JSONDecodeError and UnicodeDecodeError
                malformed += 1
                if a.report:
                    print(events, "malformed", file=sys.stderr)
                continue
            if not isinstance(event, dict):
                no_code += 1
                continue
            code = event.get(disc)
            if not isinstance(code, str):
                no_code += 1
                continue
            is_valid = validators.get(code)
            if is_valid is None:
                unknown_code += 1
                if a.report:
                    print(events, "unknown code", file=sys.stderr)
            elif is_valid(event):
                valid += 1
            else:
                schema_invalid += 1

    invalid = malformed + no_code + unknown_code + schema_invalid
    print(json.dumps({
        "contender": a.lib,
        "events": events,
        "valid": valid,
        "invalid": invalid,
        "malformed": malformed,
        "unknown_code": unknown_code,
        "no_code": no_code,
        "seconds": round(time.perf_counter() - start, 3),
        "compile_seconds": round(compile_seconds, 3),
    }, separators=(",", ":")))


if __name__ == "__main__":
    main()
