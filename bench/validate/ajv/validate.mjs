// Ajv peer of `eventcat validate`, for bench/validate/run.sh: checks an NDJSON
// file of events against the catalog's JSON Schemas (draft 2020-12, strict:
// undeclared fields rejected by the schemas' `additionalProperties: false`,
// formats asserted) and prints a one-line JSON summary on stdout: events,
// valid, invalid, malformed, unknown_code, no_code, seconds (total, schema
// compilation included), compile_seconds. Where its contract differs from
// eventcat's (format edge cases): bench/validate/PEERS.md.
//
//   node validate.mjs SCHEMA_DIR FILE.ndjson [--lines=chunk|readline] [--report]
//
// SCHEMA_DIR is the `json-schema` folder `eventcat generate` writes: one
// `<code>.schema.json` per event code, plus `events.schema.json`.
// --report prints every invalid event's number (1-based, blank lines not
// counted) and the first error on stderr (used by python/probe.py).
//
// Dispatch: like eventcat (src/validate/schema.rs, `Validators::check`), this
// reads the event's `code` and validates the event against that code's own
// compiled schema; an unknown code, a missing or non-string code, or a line
// that is not an object is invalid without schema validation. It does NOT
// validate against `events.schema.json`, whose `allOf` of 28 `if`/`then`
// pairs would make Ajv try every code's `if` on every event: work eventcat
// does not do, so that would not compare the same thing (and that schema
// says less on an unknown code: it is only an `enum` miss there).
//
// One difference in the work done: eventcat, on an invalid event (3% of the
// benchmark file), collects every error to report them; this only needs the
// verdict (Ajv's default `allErrors: false` stops at the first error).
//
// Formats: Ajv2020 asserts formats (`validateFormats: true`, the default)
// and, in strict mode, refuses to compile a schema with a format it does not
// know; ajv-formats ("full" mode) adds uuid, email, uri, date, date-time
// (with a required offset), and `local-date-time` is registered below with
// eventcat's meaning (codegen `is_local_date_time`).

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const args = process.argv.slice(2);
const opts = Object.fromEntries(
  args.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")),
);
const [schemaDir, file] = args.filter((a) => !a.startsWith("--"));
if (!schemaDir || !file) {
  console.error("usage: node validate.mjs SCHEMA_DIR FILE.ndjson [--lines=chunk|readline] [--discriminator=code] [--report]");
  process.exit(2);
}
const DISC = opts.discriminator ?? "code";
// --report: print every invalid event's number (1-based, blank lines not
// counted) and why on stderr, to compare verdicts with other contenders.
const REPORT = "report" in opts;
const start = process.hrtime.bigint();

// The same check as eventcat's `is_local_date_time`: YYYY-MM-DDTHH:MM:SS with
// an optional fraction (a dot and at least one digit), no offset; month
// 1-12, day within the month (leap years counted), hour < 24, minute < 60,
// second <= 60. (Byte-wise in Rust, UTF-16-unit-wise here: the same verdict,
// since any non-ASCII character fails both.)
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function num(s, from, to) {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}
export function isLocalDateTime(s) {
  if (s.length < 19) return false;
  if (s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":") return false;
  const year = num(s, 0, 4), month = num(s, 5, 7), day = num(s, 8, 10);
  const hour = num(s, 11, 13), minute = num(s, 14, 16), second = num(s, 17, 19);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return false;
  if (s.length > 19) {
    if (s.length < 21 || s[19] !== ".") return false;
    for (let i = 20; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  let days;
  switch (month) {
    case 1: case 3: case 5: case 7: case 8: case 10: case 12: days = 31; break;
    case 4: case 6: case 9: case 11: days = 30; break;
    case 2: days = leap ? 29 : 28; break;
    default: return false;
  }
  return day >= 1 && day <= days && hour < 24 && minute < 60 && second <= 60;
}

const ajv = new Ajv2020({
  strict: true, // unknown keywords and formats are compile errors
  validateFormats: true,
  allErrors: false,
});
addFormats(ajv); // every format, "full" mode
ajv.addFormat("local-date-time", { type: "string", validate: isLocalDateTime });
// The catalog's annotations (no validation meaning; the Rust crate ignores
// unknown keywords): declared so that strict mode accepts them.
for (const k of ["x-status", "x-extensible", "x-enum-descriptions", "x-partial-of"]) {
  ajv.addKeyword({ keyword: k });
}

// Compile once: code -> validator.
const tCompile = process.hrtime.bigint();
const validators = new Map();
for (const name of fs.readdirSync(schemaDir).sort()) {
  if (!name.endsWith(".schema.json") || name === "events.schema.json") continue;
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, name), "utf8"));
  const code = schema.properties?.[DISC]?.const;
  if (typeof code !== "string") throw new Error(`${name}: no const \`${DISC}\``);
  validators.set(code, ajv.compile(schema));
}
if (validators.size === 0) throw new Error(`no *.schema.json under ${schemaDir}`);
const compileSeconds = Number(process.hrtime.bigint() - tCompile) / 1e9;

let events = 0, valid = 0, malformed = 0, unknownCode = 0, noCode = 0, schemaInvalid = 0;

function check(line) {
  // Blank lines are not events (eventcat skips them too).
  if (line.length === 0 || line.trim().length === 0) return;
  events++;
  let value;
  try {
    value = JSON.parse(line);
  } catch {
    malformed++;
    if (REPORT) console.error(events, "malformed");
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    noCode++;
    return;
  }
  const code = value[DISC];
  if (typeof code !== "string") {
    noCode++;
    return;
  }
  const validate = validators.get(code);
  if (validate === undefined) {
    unknownCode++;
    if (REPORT) console.error(events, "unknown code");
    return;
  }
  if (validate(value)) valid++;
  else {
    schemaInvalid++;
    if (REPORT) {
      const e = validate.errors[0];
      console.error(events, e.instancePath, e.keyword, e.message);
    }
  }
}

// Reading: the default reads 4 MiB at a time with fs.readSync, decodes up to
// the last newline of the chunk in one go (a newline byte never occurs
// inside a multi-byte UTF-8 sequence, so the cut is safe) and splits the
// string; the incomplete last line is carried over to the next chunk.
// Decoding is strict, as serde_json's: a line that is not UTF-8 is malformed
// (Buffer#toString would silently replace bad bytes with U+FFFD; a fatal
// TextDecoder costs the same on this file). A UTF-8 byte order mark at the
// start of the file is skipped, as eventcat does.
// `--lines=readline` uses node:readline instead, for comparison: measured
// 15-25% slower end to end on a 40 MB file (2 cores, loaded machine).
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function splitLines(text) {
  let from = 0;
  for (;;) {
    const nl = text.indexOf("\n", from);
    if (nl < 0) {
      check(text.slice(from));
      return;
    }
    check(text.slice(from, nl));
    from = nl + 1;
  }
}

// Decodes and checks buf[from, to) (whole lines).
function checkBytes(buf, from, to) {
  let text;
  try {
    text = utf8.decode(buf.subarray(from, to));
  } catch {
    // Not UTF-8 somewhere: line by line, to count only the bad lines.
    let s = from;
    while (s <= to) {
      let e = buf.indexOf(10, s);
      if (e < 0 || e > to) e = to;
      let line;
      try {
        line = utf8.decode(buf.subarray(s, e));
      } catch {
        events++;
        malformed++;
        s = e + 1;
        continue;
      }
      check(line);
      s = e + 1;
    }
    return;
  }
  splitLines(text);
}

function readChunked() {
  const fd = fs.openSync(file, "r");
  let buf = Buffer.allocUnsafe(4 << 20);
  let have = 0; // bytes of buf holding data not yet split
  let first = true;
  for (;;) {
    if (have === buf.length) {
      // One line longer than the buffer: grow it.
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, have, buf.length - have, null);
    if (n === 0) break;
    have += n;
    if (first && have >= 3) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf.copy(buf, 0, 3, have);
        have -= 3;
      }
    }
    const last = buf.lastIndexOf(10, have - 1);
    if (last < 0) continue;
    checkBytes(buf, 0, last);
    buf.copy(buf, 0, last + 1, have);
    have -= last + 1;
  }
  if (have > 0) checkBytes(buf, 0, have); // last line without newline
  fs.closeSync(fd);
}

async function readLines() {
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of rl) check(line);
}

if ((opts.lines ?? "chunk") === "readline") await readLines();
else readChunked();

const invalid = malformed + noCode + unknownCode + schemaInvalid;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({
  contender: "ajv",
  events,
  valid,
  invalid,
  malformed,
  unknown_code: unknownCode,
  no_code: noCode,
  seconds: Number(seconds.toFixed(3)),
  compile_seconds: Number(compileSeconds.toFixed(3)),
}));
