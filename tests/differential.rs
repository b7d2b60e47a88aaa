//! Three judges, one verdict: on every event of `eventcat fixtures` (valid,
//! consumer and invalid kinds, every code) and on targeted edge-value
//! mutations of them, three independent readings of the default catalog
//! must agree.
//!
//! - **A, `eventcat validate`**: the CLI itself, run once on an NDJSON file
//!   holding every event (strict, as producers are held), and its library
//!   (`Validators`) on the same events.
//! - **B, boon**: an independent JSON Schema 2020-12 implementation (its own
//!   parser, `$ref` resolution, regexes and format checkers, with format
//!   assertions on) run on the emitted catalog-wide schema: strictly, and in
//!   the consumer reading (unknown fields allowed, extensible enums open).
//! - **C, the generated Rust types** (`generated/rust`), deserializing the
//!   event's text. Consumer verdict: it deserializes (into the typed variant
//!   of its code, or `Event::Unknown` for a code the catalog does not know).
//!   Producer verdict: it deserializes into its code's variant, holds no
//!   unrecognized value of an extensible enum, and serializes back to the
//!   same keys at every depth (so no undeclared field was dropped and no
//!   `null` turned into an absent key or back).
//!
//! The verdicts compared: A's CLI = A's library = B strict on every event;
//! C consumer = B consumer; C producer = A strict. The one documented
//! exception: the Rust types document value constraints (`pattern`,
//! `minimum`/`maximum`, lengths, item counts) on each field but do not
//! enforce them, so C may accept an event that A and B reject *only* for
//! such constraints. Such events are counted and reported; any other
//! difference fails the test with the event and each judge's reasons.
//!
//! Events per CI run: `EVENTCAT_DIFF_PER_KIND` random fixtures per kind and
//! per code (default 40), plus every targeted mutation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use eventcat::fixtures::{self, Kind};
use eventcat::validate::schema::Validators;
use eventcat_codegen::emit::json_schema::{catalog_schema, event_schema, Options};
use eventcat_codegen::model::Catalog;
use identity_webhooks_events::{Envelope, Event};
use serde_json::{json, Value};

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn per_kind() -> usize {
    std::env::var("EVENTCAT_DIFF_PER_KIND")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        eventcat_codegen::load(format!("{ROOT}/schema"))
            .unwrap_or_else(|d| panic!("{}", d.render(false)))
    })
}

// ------------------------------------------------------------ judge B: boon

struct Boon {
    schemas: boon::Schemas,
    strict: boon::SchemaIndex,
    consumer: boon::SchemaIndex,
}

fn boon() -> &'static Boon {
    static B: OnceLock<Boon> = OnceLock::new();
    B.get_or_init(|| {
        let strict = catalog_schema(
            catalog(),
            Options {
                allow_unknown_fields: false,
            },
        );
        let mut consumer = catalog_schema(
            catalog(),
            Options {
                allow_unknown_fields: true,
            },
        );
        common::open_extensible_enums(&mut consumer);
        let mut c = boon::Compiler::new();
        c.enable_format_assertions();
        c.register_format(boon::Format {
            name: "local-date-time",
            func: common::boon_local_date_time,
        });
        let mut schemas = boon::Schemas::new();
        let mut add = |loc: &str, mut schema: Value| {
            schema.as_object_mut().unwrap().remove("$id");
            c.add_resource(loc, schema).unwrap();
            c.compile(loc, &mut schemas)
                .unwrap_or_else(|e| panic!("boon does not compile {loc}: {e:#}"))
        };
        let strict = add("urn:judge:strict", strict);
        let consumer = add("urn:judge:consumer", consumer);
        Boon {
            schemas,
            strict,
            consumer,
        }
    })
}

fn boon_verdict(index: boon::SchemaIndex, event: &Value) -> Result<(), String> {
    boon().schemas.validate(event, index).map_err(|e| {
        format!("{e:#}")
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

// --------------------------------------------------------- judge A: library

fn strict() -> &'static Validators {
    static V: OnceLock<Validators> = OnceLock::new();
    V.get_or_init(|| Validators::new(catalog(), false).expect("schemas compile"))
}

/// A's violations as `kind at pointer`.
fn a_verdict(event: &Value) -> Result<(), Vec<(String, &'static str)>> {
    let (_, v) = strict().check(event);
    if v.is_empty() {
        Ok(())
    } else {
        Err(v.into_iter().map(|v| (v.pointer, v.kind)).collect())
    }
}

// ----------------------------------------------------------- judge C: Rust

fn rust_consumer(text: &str) -> Result<Envelope, String> {
    serde_json::from_str::<Envelope>(text).map_err(|e| e.to_string())
}

fn rust_producer(text: &str, input: &Value) -> Result<(), String> {
    let env = rust_consumer(text)?;
    if matches!(env.data, Event::Unknown(_)) {
        return Err("an unknown code".into());
    }
    let debug = format!("{env:?}");
    if debug.contains("Other(\"") || debug.contains("Unrecognized(\"") {
        return Err("holds an unrecognized value of an extensible enum".into());
    }
    let back = serde_json::to_value(&env).map_err(|e| e.to_string())?;
    let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
    shape(input, String::new(), &mut a);
    shape(&back, String::new(), &mut b);
    if a != b {
        let lost: Vec<_> = a.difference(&b).collect();
        let added: Vec<_> = b.difference(&a).collect();
        return Err(format!(
            "serializes back to other keys: lost {lost:?}, added {added:?}"
        ));
    }
    Ok(())
}

/// Every key path with whether its value is `null`.
fn shape(v: &Value, at: String, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                let p = format!("{at}/{k}");
                out.insert(format!("{p}{}", if v.is_null() { "=null" } else { "" }));
                shape(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                shape(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Violation kinds of value constraints the Rust types document but do not
/// enforce.
const UNENFORCED: [&str; 7] = [
    "pattern",
    "minimum",
    "maximum",
    "min-length",
    "max-length",
    "min-items",
    "max-items",
];

/// Where judge B is wrong, checked against the RFC: the edit, and why. The
/// test requires B to still accept each (so a fixed boon shows up) and A and
/// C to agree on it.
const B_DEVIATIONS: [(&str, &str); 1] = [(
    "email \"@example.com\"",
    "boon accepts an empty local part; RFC 5321 4.1.2 requires `Local-part = Dot-string / Quoted-string`, both non-empty",
)];

// ------------------------------------------------------- targeted mutations

/// An event to judge: its text (numbers as written) and where it comes from.
struct Case {
    origin: String,
    text: String,
}

/// Numbers are spliced into the text as written (`1.0`, `-0`, `2^64`...), so
/// judges reading text see them unchanged.
fn with_raw(event: &Value, pointer: &str, raw: &str) -> String {
    let mut e = event.clone();
    let marker = Value::String("\u{1}RAW\u{1}".into());
    match e.pointer_mut(pointer) {
        Some(slot) => *slot = marker,
        None => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            e.pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .expect("the parent of a new field is an object")
                .insert(key.to_string(), marker);
        }
    }
    serde_json::to_string(&e)
        .unwrap()
        .replace("\"\\u0001RAW\\u0001\"", raw)
}

fn resolve<'a>(root: &'a Value, mut s: &'a Value) -> &'a Value {
    for _ in 0..64 {
        match s.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.strip_prefix("#/$defs/").expect("local ref");
                s = &root["$defs"][name];
            }
            None => return s,
        }
    }
    panic!("a $ref chain longer than 64")
}

/// The non-null branch of a nullable schema (`anyOf: [X, {type: null}]`).
fn non_null<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    let s = resolve(root, s);
    match s.get("anyOf").and_then(Value::as_array) {
        Some(branches) => branches
            .iter()
            .map(|b| resolve(root, b))
            .find(|b| b.get("type") != Some(&json!("null")))
            .unwrap_or(s),
        None => s,
    }
}

/// Edge values for a scalar schema, as raw JSON text.
fn edges(s: &Value) -> Vec<(&'static str, String)> {
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let ty = |t: &str| {
        s.get("type") == Some(&json!(t))
            || s.get("type")
                .and_then(Value::as_array)
                .is_some_and(|a| a.contains(&json!(t)))
    };
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut strs = |label: &'static str, vals: &[&str]| {
        out.extend(vals.iter().map(|v| (label, q(v))));
    };
    match s.get("format").and_then(Value::as_str) {
        Some("uuid") => strs(
            "uuid",
            &[
                "DB4293BE-F585-41A4-AC95-FF5B3EA64A6F",
                "{db4293be-f585-41a4-ac95-ff5b3ea64a6f}",
                "db4293bef58541a4ac95ff5b3ea64a6f",
                "urn:uuid:db4293be-f585-41a4-ac95-ff5b3ea64a6f",
                "00000000-0000-0000-0000-000000000000",
                "db4293be-f585-41a4-ac95-ff5b3ea64a6",
            ],
        ),
        Some("date-time") => strs(
            "date-time",
            &[
                "2024-03-22T17:14:27Z",
                "2024-03-22t17:14:27z",
                "2024-03-22T17:14:27+01:00",
                "2024-03-22T17:14:27-00:00",
                "2024-03-22T17:14:27+0100",
                "2024-03-22T17:14:27.5Z",
                "2024-03-22T17:14:27.123456789Z",
                "2024-03-22T17:14:27.1234567891Z",
                "2016-12-31T23:59:60Z",
                "2024-03-22T17:14:60Z",
                "2024-03-22T17:14:27Z\n",
                "2024-03-22 17:14:27Z",
                "2024-02-30T10:00:00Z",
                "2024-03-22T17:14:27",
            ],
        ),
        Some("local-date-time") => strs(
            "local-date-time",
            &[
                "2024-03-22T17:14:27",
                "2024-03-22T17:14:27.5",
                "2024-03-22T17:14:27.123456789",
                "2024-03-22T17:14:27.1234567891",
                "2024-03-22T17:14:27Z",
                "2024-03-22T17:14:27+01:00",
                "2024-03-22t17:14:27",
                "2024-02-30T10:00:00",
                "2024-03-22T24:00:00",
                "2024-03-22T17:14",
            ],
        ),
        Some("date") => strs(
            "date",
            &[
                "1990-05-17",
                "1990-5-17",
                "+1990-05-17",
                "2024-02-29",
                "2023-02-29",
                "1990-05-17\n",
                "19900517",
            ],
        ),
        Some("email") => strs(
            "email",
            &[
                "a@b",
                "jeanne.martin@acme-corp.com",
                "\"joe bloggs\"@example.com",
                "a@@example.com",
                "a@b@example.com",
                "jeanne@[127.0.0.1]",
                "@example.com",
                "jeanne@",
                "jeanne martin@example.com",
            ],
        ),
        Some("uri") => strs(
            "uri",
            &[
                "https://example.com/a?b=c#d",
                "urn:isbn:0451450523",
                "mailto:jeanne@example.com",
                "foo/bar",
                "//example.com/a",
                "https://example.com/%zz",
                "https://example.com\\a",
                "https://example.com/a b",
                "https://[::1]:8080/",
            ],
        ),
        _ => {}
    }
    if s.get("pattern").is_some() {
        strs(
            "pattern",
            &[
                "٣٤٥٦٧٨٩",
                "345676543\n",
                "\u{ff13}\u{ff14}",
                "",
                "+33345676543",
            ],
        );
    }
    if let Some(n) = s.get("maxLength").and_then(Value::as_u64) {
        let n = n as usize;
        out.push(("length", q(&"😀".repeat(n))));
        out.push(("length", q(&"😀".repeat(n + 1))));
    }
    if let Some(n) = s.get("minLength").and_then(Value::as_u64) {
        let n = n as usize;
        out.push(("length", q(&"é".repeat(n))));
        out.push(("length", q(&"é".repeat(n.saturating_sub(1)))));
    }
    if ty("integer") {
        for raw in [
            "1",
            "1.0",
            "2e0",
            "1e2",
            "409.0",
            "4.09e2",
            "330e-1",
            "-0",
            "-0.0",
            "12.5",
            "1e-7",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
        ] {
            out.push(("integer", raw.into()));
        }
    } else if ty("number") {
        for raw in ["0", "-0", "1.5", "1e308", "-488345.92435013363", "\"1\""] {
            out.push(("number", raw.into()));
        }
    }
    out
}

/// Walks a valid event with the strict schema, producing targeted mutations:
/// edge values at every scalar, `null` and absence at every field, an
/// undeclared field in every object.
fn mutations(
    root: &Value,
    base: &Value,
    schema: &Value,
    event: &Value,
    at: &str,
    out: &mut Vec<(String, String)>,
) {
    let s = non_null(root, schema);
    match event {
        Value::Object(fields) => {
            out.push((
                format!("undeclared field in {at}"),
                with_raw(base, &format!("{at}/zz_undeclared"), "1"),
            ));
            let props = s.get("properties").and_then(Value::as_object);
            for (k, v) in fields {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push((format!("null at {p}"), with_raw(base, &p, "null")));
                out.push((format!("absent {p}"), without(base, &p)));
                let sub = props
                    .and_then(|m| m.get(k))
                    .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()));
                if let Some(sub) = sub {
                    mutations(root, base, sub, v, &p, out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = s.get("items") {
                for (i, v) in items.iter().enumerate().take(2) {
                    mutations(root, base, item, v, &format!("{at}/{i}"), out);
                }
            }
        }
        _ => {
            for (label, raw) in edges(s) {
                out.push((format!("{label} {raw} at {at}"), with_raw(base, at, &raw)));
            }
        }
    }
}

fn without(event: &Value, pointer: &str) -> String {
    let mut e = event.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    if let Some(Value::Object(m)) = e.pointer_mut(parent) {
        m.shift_remove(&key);
    }
    serde_json::to_string(&e).unwrap()
}

fn cases() -> Vec<Case> {
    let catalog = catalog();
    let n = per_kind();
    let mut out = Vec::new();
    for ev in &catalog.events {
        // The walk follows the code's own schema (the catalog-wide one
        // dispatches `data` on the code).
        let strict_schema = event_schema(
            catalog,
            ev,
            Options {
                allow_unknown_fields: false,
            },
        );
        for kind in [Kind::Valid, Kind::Consumer, Kind::Invalid] {
            let fx = fixtures::for_event(catalog, ev, kind, 7, n)
                .unwrap_or_else(|e| panic!("{}: fixtures: {e:?}", ev.code));
            for f in fx {
                out.push(Case {
                    origin: format!("fixtures {kind:?} {} {}", f.code, f.name),
                    text: serde_json::to_string(&f.event).unwrap(),
                });
            }
        }
        for (name, base) in [
            (
                "minimal",
                fixtures::edge::minimal(catalog, ev).expect("a minimal event"),
            ),
            (
                "maximal",
                fixtures::edge::maximal(catalog, ev).expect("a maximal event"),
            ),
        ] {
            let mut muts = Vec::new();
            mutations(&strict_schema, &base, &strict_schema, &base, "", &mut muts);
            for (what, text) in muts {
                out.push(Case {
                    origin: format!("mutation of {} {name}: {what}", ev.code),
                    text,
                });
            }
        }
    }
    if let Some(f) = fixtures::unknown_code_event(catalog) {
        out.push(Case {
            origin: "fixtures unknown code".into(),
            text: serde_json::to_string(&f.event).unwrap(),
        });
    }
    out
}

// ------------------------------------------------------------------ the test

#[derive(Default)]
struct Tally {
    events: usize,
    by_source: BTreeMap<String, usize>,
    a_valid: usize,
    b_strict_valid: usize,
    b_consumer_valid: usize,
    c_consumer_valid: usize,
    c_producer_valid: usize,
    unenforced: BTreeMap<&'static str, usize>,
    b_deviations: BTreeMap<String, usize>,
}

#[test]
fn three_judges_agree_on_every_event() {
    let cases = cases();
    // Judge A, the CLI: one run over all events, one per line.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.ndjson");
    let body: String = cases.iter().map(|c| format!("{}\n", c.text)).collect();
    std::fs::write(&file, body).unwrap();
    let out = common::eventcat(
        Path::new(ROOT),
        &[
            "validate",
            "--format",
            "json",
            "--quiet",
            file.to_str().unwrap(),
        ],
    );
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("validate --format json: {e}\n{}", common::text(&out.stderr)));
    let mut cli_invalid: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for v in report["violations"].as_array().unwrap() {
        let line = v["line"].as_u64().unwrap() as usize;
        cli_invalid
            .entry(line)
            .or_default()
            .push(format!("{} {}", v["pointer"], v["kind"]));
    }
    assert_eq!(
        report["summary"]["events"].as_u64(),
        Some(cases.len() as u64),
        "validate read every event"
    );

    let mut t = Tally::default();
    let mut disagreements: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        t.events += 1;
        let source = case.origin.split(' ').take(2).collect::<Vec<_>>().join(" ");
        *t.by_source.entry(source).or_default() += 1;
        let value: Value = serde_json::from_str(&case.text).unwrap();
        let a = a_verdict(&value);
        let cli = cli_invalid.get(&(i + 1));
        let b_strict = boon_verdict(boon().strict, &value);
        let b_consumer = boon_verdict(boon().consumer, &value);
        let unknown_code = value["code"]
            .as_str()
            .is_some_and(|c| catalog().event(c).is_none());
        let c_consumer = rust_consumer(&case.text).map(|_| ());
        let c_producer = rust_producer(&case.text, &value);
        t.a_valid += usize::from(a.is_ok());
        t.b_strict_valid += usize::from(b_strict.is_ok());
        t.b_consumer_valid += usize::from(b_consumer.is_ok());
        t.c_consumer_valid += usize::from(c_consumer.is_ok());
        t.c_producer_valid += usize::from(c_producer.is_ok());

        let mut why = Vec::new();
        if a.is_ok() != cli.is_none() {
            why.push("A: the CLI and the library differ");
        }
        if a.is_ok() != b_strict.is_ok() {
            why.push("strict: A and B differ");
        }
        // Only constraint violations the Rust types do not enforce may
        // separate C from A and B.
        let unenforced_only = |a: &Result<(), Vec<(String, &'static str)>>| {
            a.as_ref()
                .err()
                .is_some_and(|v| v.iter().all(|(_, k)| UNENFORCED.contains(k)))
        };
        if unknown_code {
            if c_consumer.is_err() || b_strict.is_ok() || a.is_ok() {
                why.push("unknown code: A and B must reject it, C must route it to Unknown");
            }
        } else {
            if c_producer.is_ok() != a.is_ok() {
                if c_producer.is_ok() && unenforced_only(&a) {
                    for (_, k) in a.as_ref().unwrap_err() {
                        *t.unenforced.entry(k).or_default() += 1;
                    }
                } else {
                    why.push("producer: C and A differ");
                }
            }
            if c_consumer.is_ok() != b_consumer.is_ok()
                && !(c_consumer.is_ok() && unenforced_only(&a))
            {
                why.push("consumer: C and B differ");
            }
        }
        // One class per disagreement and edit (position aside).
        let edit = case
            .origin
            .split_once(": ")
            .map(|(_, e)| e.split(" at /").next().unwrap_or(e))
            .unwrap_or("fixture");
        if B_DEVIATIONS.iter().any(|(e, _)| *e == edit)
            && b_strict.is_ok()
            && a.is_err()
            && c_consumer.is_err()
            && c_producer.is_err()
        {
            *t.b_deviations.entry(edit.to_string()).or_default() += 1;
            continue;
        }
        if !why.is_empty() {
            let class = format!("{why:?} {edit}");
            let entry = disagreements.entry(class).or_insert((0, String::new()));
            entry.0 += 1;
            if entry.1.is_empty() {
                let mut text = case.text.clone();
                if text.len() > 400 {
                    let cut = (0..=400).rev().find(|&i| text.is_char_boundary(i)).unwrap();
                    text.truncate(cut);
                    text.push_str("...");
                }
                entry.1 = format!(
                    "{}
  {text}
  A: {a:?}
  A (CLI): {cli:?}
  B strict: {b_strict:?}
  B consumer: {b_consumer:?}
  C consumer: {:?}
  C producer: {c_producer:?}",
                    case.origin,
                    c_consumer.as_ref().err(),
                );
            }
        }
    }
    eprintln!(
        "differential: {} events; by source: {:?}\n  valid per judge: A strict {}, B strict {}, B consumer {}, C consumer {}, C producer {}\n  accepted by C only for constraints the types do not enforce: {:?}\n  known deviations of B (A and C agree): {:?}",
        t.events,
        t.by_source,
        t.a_valid,
        t.b_strict_valid,
        t.b_consumer_valid,
        t.c_consumer_valid,
        t.c_producer_valid,
        t.unenforced,
        t.b_deviations
    );
    for (edit, why) in B_DEVIATIONS {
        assert!(
            t.b_deviations.contains_key(edit),
            "B no longer deviates on {edit} ({why}): remove it from B_DEVIATIONS"
        );
    }
    assert!(t.events >= 3000, "at least 3,000 events: {}", t.events);
    // Not vacuous: each judge accepts some events and rejects others.
    for (judge, valid) in [
        ("A", t.a_valid),
        ("B consumer", t.b_consumer_valid),
        ("C producer", t.c_producer_valid),
    ] {
        assert!(
            valid > t.events / 10 && valid < t.events * 9 / 10,
            "judge {judge} accepts {valid} of {}",
            t.events
        );
    }
    let split: usize = disagreements.values().map(|(n, _)| n).sum();
    let classes: Vec<String> = disagreements
        .iter()
        .map(|(class, (n, first))| format!("{n} × {class}\n  first: {first}"))
        .collect();
    assert!(
        disagreements.is_empty(),
        "{split} of {} events split the judges, in {} classes:\n\n{}",
        t.events,
        classes.len(),
        classes.join("\n\n")
    );
}
