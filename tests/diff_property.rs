//! Property test of `eventcat diff`'s sides against what the catalogs
//! accept: for random pairs of small catalogs (random edits of one base,
//! applied to the old or the new side) and the events the fixture generator
//! draws from them, whenever diff says a side does not break, the judges
//! agree:
//! - producer side clean: every event the old catalog accepts (the
//!   library's strict `validate`) is accepted by the new one;
//! - consumer side clean: every event the new catalog accepts is accepted by
//!   a consumer built on the old one (boon on the old catalog's consumer
//!   schema: unknown fields allowed, extensible enums open; a code the old
//!   catalog lacks goes to the consumer's fallback).
//!
//! Deterministic (a seeded runner) and bounded: `CASES` pairs (override
//! with `EVENTCAT_DIFF_PROP_CASES`), a few events per code and side.

use std::collections::BTreeMap;
use std::path::PathBuf;

use eventcat::codegen::diff::{self, Side};
use eventcat::codegen::model::SourceFile;
use eventcat::codegen::Catalog;
use eventcat::fixtures::{self, Kind};
use eventcat::validate::schema::Validators;
use eventcat_codegen::emit::json_schema::{catalog_schema, Options};
use proptest::prelude::*;
use serde_json::Value;

mod common;

const CASES: u32 = 200;
const EVENTS_PER_CODE: usize = 12;

const CATALOG: &str = r#"
[catalog]
name = "prop"
version = "1.0.0"

[envelope]
[envelope.fields.__type__]
const = "Event"
[envelope.fields.code]
[envelope.fields.data]

[family]
id = "shop"
title = "Shop"

[[event]]
code = "shop.order"
title = "Order"
payload = "Order"

[[event]]
code = "shop.customer"
title = "Customer"
payload = "Customer"
"#;

/// The base types, one editable line each; [`VARIANTS`] lists what each
/// line can become.
const LINES: &[&str] = &[
    "[types.Order]",
    r#"fields.id = { type = "string", pattern = "^[0-9]+$" }"#,
    r#"fields.count = { type = "integer", maximum = 100 }"#,
    r#"fields.status = { type = "OrderStatus" }"#,
    r#"fields.channel = { type = "Channel" }"#,
    r#"fields.kind = { const = "order" }"#,
    r#"fields.coupon = { type = "string", nullable = true }"#,
    r#"fields.note = { type = "string", optional = true }"#,
    r#"fields.extra = { type = "json", optional = true }"#,
    r#"fields.tags = { type = "array<string>", max_items = 3 }"#,
    "# slot",
    "[types.Customer]",
    r#"fields.name = { type = "string", min_length = 1 }"#,
    r#"fields.email = { type = "email", optional = true }"#,
    "[types.OrderStatus]",
    r#"values = ["open", "paid"]"#,
    "[types.Channel]",
    r#"values = ["web", "store"]"#,
    "extensible = true",
    "[types.Kind]",
    r#"values = ["order"]"#,
];

/// Per line of [`LINES`], what it can be edited into.
fn variants(line: usize) -> &'static [&'static str] {
    match line {
        1 => &[
            r#"fields.id = { type = "string", pattern = "^[0-9]{2,4}$" }"#,
            r#"fields.id = { type = "string", pattern = "^[0-9]*$" }"#,
            r#"fields.id = { type = "string", pattern = "^[1-9]+$" }"#,
            r#"fields.id = { type = "string" }"#,
            r#"fields.id = { type = "uuid" }"#,
        ],
        2 => &[
            r#"fields.count = { type = "integer", maximum = 50 }"#,
            r#"fields.count = { type = "integer" }"#,
            r#"fields.count = { type = "number", maximum = 100 }"#,
            r#"fields.count = { type = "integer", maximum = 100, optional = true }"#,
        ],
        3 => &[
            r#"fields.status = { type = "string" }"#,
            r#"fields.status = { type = "OrderStatus", nullable = true }"#,
        ],
        4 => &[
            r#"fields.channel = { type = "string" }"#,
            r#"fields.channel = { type = "OrderStatus" }"#,
        ],
        5 => &[
            r#"fields.kind = { type = "Kind" }"#,
            r#"fields.kind = { const = "sale" }"#,
            r#"fields.kind = { type = "string" }"#,
        ],
        6 => &[
            r#"fields.coupon = { type = "json" }"#,
            r#"fields.coupon = { type = "string", optional = true }"#,
            r#"fields.coupon = { type = "string" }"#,
            r#"fields.coupon = { type = "string", nullable = true, optional = true }"#,
        ],
        7 => &[
            r#"fields.note = { type = "string" }"#,
            "",
            r#"fields.note = { type = "string", optional = true, max_length = 3 }"#,
        ],
        8 => &[r#"fields.extra = { type = "string", optional = true }"#, ""],
        9 => &[
            r#"fields.tags = { type = "array<string>", max_items = 1 }"#,
            r#"fields.tags = { type = "array<integer>", max_items = 3 }"#,
            r#"fields.tags = { type = "array<string>" }"#,
        ],
        10 => &[
            r#"fields.added = { type = "string" }"#,
            r#"fields.added = { type = "string", optional = true }"#,
        ],
        12 => &[
            r#"fields.name = { type = "string" }"#,
            r#"fields.name = { type = "string", min_length = 3 }"#,
        ],
        13 => &[r#"fields.email = { type = "email" }"#, ""],
        15 => &[
            r#"values = ["open", "paid", "shipped"]"#,
            r#"values = ["open"]"#,
            r#"values = ["open", "PAID"]"#,
        ],
        17 => &[r#"values = ["web", "store", "app"]"#, r#"values = ["web"]"#],
        18 => &[""],
        _ => &[],
    }
}

/// One edit: line, variant, and whether it goes into the old catalog
/// (else the new one).
type Edit = (usize, usize, bool);

fn files(edits: &[Edit], old_side: bool) -> Vec<SourceFile> {
    let mut lines: Vec<String> = LINES.iter().map(|s| s.to_string()).collect();
    let mut done = BTreeMap::new();
    for &(line, variant, in_old) in edits {
        let vs = variants(line);
        if vs.is_empty() || in_old != old_side || done.contains_key(&line) {
            continue;
        }
        done.insert(line, ());
        lines[line] = vs[variant % vs.len()].to_string();
    }
    vec![
        SourceFile {
            path: PathBuf::from("mem/catalog.toml"),
            text: CATALOG.into(),
        },
        SourceFile {
            path: PathBuf::from("mem/types.toml"),
            text: (lines.join("\n") + "\n").into(),
        },
    ]
}

fn load(files: Vec<SourceFile>) -> Catalog {
    eventcat::codegen::load_sources(files)
        .unwrap_or_else(|d| panic!("test catalog does not load:\n{}", d.render(false)))
}

/// Valid events of every code of `c`, from the fixture generator.
fn events(c: &Catalog, seed: u64) -> Vec<Value> {
    c.events
        .iter()
        .flat_map(|ev| {
            fixtures::for_event(c, ev, Kind::Valid, seed, EVENTS_PER_CODE)
                .unwrap_or_else(|e| panic!("{}: fixtures: {e:?}", ev.code))
                .into_iter()
                .map(|f| f.event)
        })
        .collect()
}

fn strict_ok(v: &Validators, event: &Value) -> bool {
    v.check(event).1.is_empty()
}

/// The old consumer's judge.
struct Consumer {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
    codes: Vec<String>,
}

impl Consumer {
    fn new(c: &Catalog) -> Self {
        let mut schema = catalog_schema(
            c,
            Options {
                allow_unknown_fields: true,
            },
        );
        common::open_extensible_enums(&mut schema);
        schema.as_object_mut().unwrap().remove("$id");
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler.register_format(boon::Format {
            name: "local-date-time",
            func: common::boon_local_date_time,
        });
        let mut schemas = boon::Schemas::new();
        compiler.add_resource("urn:old:consumer", schema).unwrap();
        let index = compiler
            .compile("urn:old:consumer", &mut schemas)
            .expect("boon compiles the consumer schema");
        Consumer {
            schemas,
            index,
            codes: c.events.iter().map(|e| e.code.clone()).collect(),
        }
    }

    fn accepts(&self, event: &Value) -> Result<(), String> {
        let known = event["code"]
            .as_str()
            .is_some_and(|c| self.codes.iter().any(|k| k == c));
        if !known {
            return Ok(()); // the consumer's fallback for unknown codes
        }
        self.schemas
            .validate(event, self.index)
            .map_err(|e| format!("{e}"))
    }
}

fn cases() -> u32 {
    std::env::var("EVENTCAT_DIFF_PROP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

#[test]
fn clean_sides_agree_with_validate() {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let edit = (0..LINES.len(), 0..8usize, any::<bool>());
    let strategy = (proptest::collection::vec(edit, 1..4), any::<u64>());
    let mut tally = [0usize; 4];
    let tally_ref = std::cell::RefCell::new(&mut tally);
    let result = runner.run(&strategy, |(edits, seed)| {
        let old = load(files(&edits, true));
        let new = load(files(&edits, false));
        let changes = diff::compare(&old, &new);
        let breaks = |side| changes.iter().any(|c| c.breaks(side));
        let listed = || {
            changes
                .iter()
                .map(|c| format!("  {} {:?} {}: {}\n", c.rule.id, c.sides, c.path, c.message))
                .collect::<String>()
        };
        let mut t = tally_ref.borrow_mut();
        if !breaks(Side::Producer) {
            t[0] += 1;
            let (vo, vn) = (
                Validators::new(&old, false).unwrap(),
                Validators::new(&new, false).unwrap(),
            );
            for e in events(&old, seed) {
                if strict_ok(&vo, &e) {
                    t[1] += 1;
                    prop_assert!(
                        strict_ok(&vn, &e),
                        "diff says producers are safe, but an event valid under old is invalid under new: {e}\n{:?}\nchanges:\n{}",
                        vn.check(&e).1.iter().map(|v| &v.kind).collect::<Vec<_>>(),
                        listed()
                    );
                }
            }
        }
        if !breaks(Side::Consumer) {
            t[2] += 1;
            let vn = Validators::new(&new, false).unwrap();
            let consumer = Consumer::new(&old);
            for e in events(&new, seed) {
                if strict_ok(&vn, &e) {
                    t[3] += 1;
                    let verdict = consumer.accepts(&e);
                    prop_assert!(
                        verdict.is_ok(),
                        "diff says consumers are safe, but the old consumer rejects an event valid under new: {e}\n{}\nchanges:\n{}",
                        verdict.unwrap_err(),
                        listed()
                    );
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "{} pairs: producer side clean in {} ({} events checked), consumer side clean in {} ({} events checked)",
        cases(),
        tally[0],
        tally[1],
        tally[2],
        tally[3]
    );
    // The property must have been exercised on both sides.
    assert!(tally[1] > 0 && tally[3] > 0, "{tally:?}");
}
