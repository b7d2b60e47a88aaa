//! `eventcat diff`: one minimal OLD/NEW pair per rule, harmless edits that
//! must report no break, acknowledgements, the binary's exit codes and
//! formats, the git revision loader, and the README's rule table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use eventcat::codegen::diff::{self, Change, Mode, Policy, Severity, RULES};
use eventcat::codegen::model::SourceFile;
use eventcat::codegen::Catalog;

mod common;
use common::{copy_dir, eventcat, git, text};

// ---------------------------------------------------------------- base catalog

const CATALOG: &str = r#"
[catalog]
name = "shop"
version = "1.0.0"

[envelope]
[envelope.fields.__type__]
const = "Event"
[envelope.fields.tenant]
type = "string"
pattern = "^[a-z]+$"
[envelope.fields.code]
[envelope.fields.data]
"#;

const FAMILY: &str = r#"
[family]
id = "shop"
title = "Shop"

[[event]]
code = "shop.order.created"
title = "Order created"
payload = "OrderEvent"

[[event]]
code = "shop.order.updated"
title = "Order updated"
payload = "OrderEvent"

[[event]]
code = "shop.order.legacy"
title = "Order changed (old)"
payload = "OrderEvent"
status = "deprecated"
deprecation = "Use shop.order.updated."

[[event]]
code = "shop.customer.created"
title = "Customer created"
payload = "CustomerEvent"
"#;

const TYPES: &str = r#"
[types.OrderEvent]
description = "An order."
fields.id = { type = "uuid" }
fields.total = { type = "Money", minimum = 0 }
fields.count = { type = "integer", maximum = 100 }
fields.status = { type = "OrderStatus" }
fields.channel = { type = "Channel" }
fields.note = { type = "string", optional = true, max_length = 200 }
fields.legacy_ref = { type = "string", optional = true, deprecated = "Use id." }
fields.coupon = { type = "string", nullable = true }
fields.kind = { const = "order" }
fields.items = { type = "array<Item>", min_items = 1 }
fields.meta = { type = "map<string>", optional = true }
fields.customer = { type = "Customer" }
fields.changes = { type = "partial<Customer>", optional = true }

[types.Money]
type = "number"

[types.OrderStatus]
values = ["open", "paid"]

[types.Channel]
values = ["web", "store"]
extensible = true

[types.Item]
fields.sku = { type = "string", pattern = "^[A-Z0-9]+$" }
fields.qty = { type = "integer" }

[types.Customer]
fields.email = { type = "email" }
fields.name = { type = "string" }

[types.CustomerEvent]
fields.customer = { type = "Customer" }
"#;

/// The files of a catalog, by relative path.
type Files = BTreeMap<String, String>;

fn base() -> Files {
    [
        ("catalog.toml", CATALOG),
        ("families/shop.toml", FAMILY),
        ("types/shop.toml", TYPES),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.to_string()))
    .collect()
}

/// Replaces `from` (which must occur exactly once) with `to` in `file`.
fn edit(files: &mut Files, file: &str, from: &str, to: &str) {
    let text = files
        .get_mut(file)
        .unwrap_or_else(|| panic!("no file {file}"));
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur once in {file}"
    );
    *text = text.replacen(from, to, 1);
}

/// Appends `text` to `file` (creating it).
fn append(files: &mut Files, file: &str, text: &str) {
    files.entry(file.to_string()).or_default().push_str(text);
}

fn load(files: &Files) -> Catalog {
    let sources = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: PathBuf::from("mem").join(p),
            text: t.clone().into(),
        })
        .collect();
    eventcat::codegen::load_sources(sources)
        .unwrap_or_else(|d| panic!("test catalog does not load:\n{}", d.render(false)))
}

fn compare(old: &Files, new: &Files) -> Vec<Change> {
    diff::compare(&load(old), &load(new))
}

fn rule_ids(changes: &[Change]) -> BTreeSet<&'static str> {
    changes.iter().map(|c| c.rule.id).collect()
}

fn show(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            format!(
                "  {} {:?} {} {:?} -> {:?}: {}\n",
                c.rule.id, c.codes, c.path, c.old, c.new, c.message
            )
        })
        .collect()
}

// ---------------------------------------------------------------- one case per rule

/// One minimal OLD/NEW pair: `edit_old` and `edit_new` change the base
/// catalog; `fires` is exactly the set of rules expected.
struct Case {
    rule: &'static str,
    fires: &'static [&'static str],
    edit_old: fn(&mut Files),
    edit_new: fn(&mut Files),
}

fn nothing(_: &mut Files) {}

const T: &str = "types/shop.toml";
const F: &str = "families/shop.toml";

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: "code-removed",
            fires: &["code-removed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    F,
                    "[[event]]\ncode = \"shop.order.updated\"\ntitle = \"Order updated\"\npayload = \"OrderEvent\"\n",
                    "",
                )
            },
        },
        Case {
            rule: "deprecated-code-removed",
            fires: &["deprecated-code-removed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    F,
                    "[[event]]\ncode = \"shop.order.legacy\"\ntitle = \"Order changed (old)\"\npayload = \"OrderEvent\"\nstatus = \"deprecated\"\ndeprecation = \"Use shop.order.updated.\"\n",
                    "",
                )
            },
        },
        Case {
            rule: "code-added",
            fires: &["code-added"],
            edit_old: nothing,
            edit_new: |f| {
                append(
                    f,
                    F,
                    "\n[[event]]\ncode = \"shop.order.paid\"\ntitle = \"Order paid\"\npayload = \"OrderEvent\"\n",
                )
            },
        },
        Case {
            rule: "code-status-changed",
            fires: &["code-status-changed"],
            edit_old: |f| {
                edit(
                    f,
                    F,
                    "title = \"Order updated\"\n",
                    "title = \"Order updated\"\nstatus = \"planned\"\n",
                )
            },
            edit_new: nothing,
        },
        Case {
            rule: "family-removed",
            fires: &["family-removed"],
            edit_old: |f| {
                append(
                    f,
                    "families/billing.toml",
                    "[family]\nid = \"billing\"\ntitle = \"Billing\"\n",
                )
            },
            edit_new: nothing,
        },
        Case {
            rule: "family-added",
            fires: &["family-added"],
            edit_old: nothing,
            edit_new: |f| {
                append(
                    f,
                    "families/billing.toml",
                    "[family]\nid = \"billing\"\ntitle = \"Billing\"\n",
                )
            },
        },
        Case {
            rule: "required-field-removed",
            fires: &["required-field-removed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.count = { type = \"integer\", maximum = 100 }\n",
                    "",
                )
            },
        },
        Case {
            rule: "optional-field-removed",
            fires: &["optional-field-removed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.note = { type = \"string\", optional = true, max_length = 200 }\n",
                    "",
                )
            },
        },
        Case {
            rule: "deprecated-field-removed",
            fires: &["deprecated-field-removed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.legacy_ref = { type = \"string\", optional = true, deprecated = \"Use id.\" }\n",
                    "",
                )
            },
        },
        Case {
            rule: "required-field-added",
            fires: &["required-field-added"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.qty = { type = \"integer\" }\n",
                    "fields.qty = { type = \"integer\" }\nfields.unit = { type = \"string\" }\n",
                )
            },
        },
        Case {
            rule: "optional-field-added",
            fires: &["optional-field-added"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.qty = { type = \"integer\" }\n",
                    "fields.qty = { type = \"integer\" }\nfields.gift = { type = \"boolean\", optional = true }\n",
                )
            },
        },
        Case {
            rule: "field-became-optional",
            fires: &["field-became-optional"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.id = { type = \"uuid\" }",
                    "fields.id = { type = \"uuid\", optional = true }",
                )
            },
        },
        Case {
            rule: "field-became-required",
            fires: &["field-became-required"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.note = { type = \"string\", optional = true,",
                    "fields.note = { type = \"string\",",
                )
            },
        },
        Case {
            rule: "field-became-nullable",
            fires: &["field-became-nullable"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.id = { type = \"uuid\" }",
                    "fields.id = { type = \"uuid\", nullable = true }",
                )
            },
        },
        Case {
            rule: "field-became-non-nullable",
            fires: &["field-became-non-nullable"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.coupon = { type = \"string\", nullable = true }",
                    "fields.coupon = { type = \"string\" }",
                )
            },
        },
        Case {
            rule: "field-deprecated",
            fires: &["field-deprecated"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "optional = true, max_length = 200 }",
                    "optional = true, max_length = 200, deprecated = \"Unused.\" }",
                )
            },
        },
        Case {
            rule: "type-changed",
            fires: &["type-changed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.qty = { type = \"integer\" }",
                    "fields.qty = { type = \"boolean\" }",
                )
            },
        },
        Case {
            rule: "type-widened",
            fires: &["type-widened"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.qty = { type = \"integer\" }",
                    "fields.qty = { type = \"number\" }",
                )
            },
        },
        Case {
            rule: "extensible-enum-widened",
            fires: &["extensible-enum-widened"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.channel = { type = \"Channel\" }",
                    "fields.channel = { type = \"string\" }",
                )
            },
        },
        Case {
            rule: "type-narrowed",
            fires: &["type-narrowed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.name = { type = \"string\" }",
                    "fields.name = { type = \"uuid\" }",
                )
            },
        },
        Case {
            rule: "const-changed",
            fires: &["const-changed"],
            edit_old: nothing,
            edit_new: |f| edit(f, T, "const = \"order\"", "const = \"purchase\""),
        },
        Case {
            rule: "rust-type-changed",
            fires: &["rust-type-changed"],
            // Both versions declare `LineItem`, shaped like `Item`; the new
            // one uses it for `items`.
            edit_old: |f| {
                append(
                    f,
                    T,
                    "\n[types.LineItem]\nfields.sku = { type = \"string\", pattern = \"^[A-Z0-9]+$\" }\nfields.qty = { type = \"integer\" }\n",
                )
            },
            edit_new: |f| {
                append(
                    f,
                    T,
                    "\n[types.LineItem]\nfields.sku = { type = \"string\", pattern = \"^[A-Z0-9]+$\" }\nfields.qty = { type = \"integer\" }\n",
                );
                edit(f, T, "type = \"array<Item>\"", "type = \"array<LineItem>\"");
            },
        },
        Case {
            rule: "off-wire-type-changed",
            fires: &["off-wire-type-changed"],
            edit_old: |f| append(f, T, "\n[types.Spare]\nfields.a = { type = \"string\" }\n"),
            edit_new: |f| {
                append(
                    f,
                    T,
                    "\n[types.Spare]\nfields.a = { type = \"string\", optional = true, max_length = 3 }\n",
                )
            },
        },
        Case {
            rule: "type-removed",
            fires: &["type-removed"],
            edit_old: |f| append(f, T, "\n[types.Unused]\ntype = \"string\"\n"),
            edit_new: nothing,
        },
        Case {
            rule: "type-added",
            fires: &["type-added"],
            edit_old: nothing,
            edit_new: |f| append(f, T, "\n[types.Unused]\ntype = \"string\"\n"),
        },
        Case {
            rule: "enum-value-added",
            fires: &["enum-value-added"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "values = [\"open\", \"paid\"]",
                    "values = [\"open\", \"paid\", \"shipped\"]",
                )
            },
        },
        Case {
            rule: "extensible-enum-value-added",
            fires: &["extensible-enum-value-added"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "values = [\"web\", \"store\"]",
                    "values = [\"web\", \"store\", \"app\"]",
                )
            },
        },
        Case {
            rule: "enum-value-removed",
            fires: &["enum-value-removed"],
            edit_old: nothing,
            edit_new: |f| edit(f, T, "values = [\"open\", \"paid\"]", "values = [\"open\"]"),
        },
        Case {
            rule: "enum-became-closed",
            fires: &["enum-became-closed"],
            edit_old: nothing,
            edit_new: |f| edit(f, T, "extensible = true\n", ""),
        },
        Case {
            rule: "enum-became-extensible",
            fires: &["enum-became-extensible"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "values = [\"open\", \"paid\"]",
                    "values = [\"open\", \"paid\"]\nextensible = true",
                )
            },
        },
        Case {
            rule: "catch-all-renamed",
            // Adding `other` is itself a new value.
            fires: &["catch-all-renamed", "extensible-enum-value-added"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "values = [\"web\", \"store\"]",
                    "values = [\"web\", \"store\", \"other\"]",
                )
            },
        },
        Case {
            rule: "constraint-tightened",
            fires: &["constraint-tightened"],
            edit_old: nothing,
            edit_new: |f| edit(f, T, "maximum = 100", "maximum = 50"),
        },
        Case {
            rule: "constraint-loosened",
            fires: &["constraint-loosened"],
            edit_old: nothing,
            edit_new: |f| edit(f, T, "max_length = 200", "max_length = 500"),
        },
        Case {
            rule: "pattern-changed",
            fires: &["pattern-changed"],
            edit_old: nothing,
            edit_new: |f| edit(f, T, "\"^[A-Z0-9]+$\"", "\"^[A-Z]+[0-9]*$\""),
        },
        Case {
            rule: "description-changed",
            fires: &["description-changed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "description = \"An order.\"",
                    "description = \"A customer's order.\"",
                )
            },
        },
        Case {
            rule: "example-changed",
            fires: &["example-changed"],
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    F,
                    "payload = \"CustomerEvent\"\n",
                    "payload = \"CustomerEvent\"\n\n[[event.example]]\njson = '''{\"__type__\": \"Event\", \"tenant\": \"acme\", \"code\": \"shop.customer.created\", \"data\": {\"customer\": {\"email\": \"a@example.com\", \"name\": \"Ann\"}}}'''\n",
                )
            },
        },
    ]
}

#[test]
fn each_rule_has_a_minimal_case_firing_exactly_it() {
    let cases = cases();
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.rule).collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|r| r.id)
        .filter(|id| !covered.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
    let mut failures = String::new();
    for case in &cases {
        let (mut old, mut new) = (base(), base());
        (case.edit_old)(&mut old);
        (case.edit_new)(&mut new);
        let changes = compare(&old, &new);
        let fired = rule_ids(&changes);
        let expected: BTreeSet<&str> = case.fires.iter().copied().collect();
        if fired != expected || !fired.contains(case.rule) {
            failures.push_str(&format!(
                "case `{}`: expected {expected:?}, fired {fired:?}\n{}",
                case.rule,
                show(&changes)
            ));
        }
    }
    assert!(failures.is_empty(), "{failures}");
    eprintln!("{} rule cases", cases.len());
}

#[test]
fn identical_catalogs_have_no_changes() {
    assert!(compare(&base(), &base()).is_empty());
}

/// Changes at or above `Warning` under the default policy.
fn breaks(changes: &[Change]) -> Vec<&Change> {
    let policy = Policy::default();
    changes
        .iter()
        .filter(|c| c.severity(&policy) > Severity::Info)
        .collect()
}

#[test]
fn reordering_fields_events_and_files_changes_nothing() {
    let old = base();
    let mut new = base();
    // Fields in another order.
    edit(
        &mut new,
        T,
        "fields.id = { type = \"uuid\" }\nfields.total = { type = \"Money\", minimum = 0 }\n",
        "fields.total = { type = \"Money\", minimum = 0 }\nfields.id = { type = \"uuid\" }\n",
    );
    // Events in another order.
    let family = new[F].clone();
    let (head, events) = family.split_once("[[event]]").unwrap();
    let mut blocks: Vec<&str> = events.split("[[event]]").collect();
    blocks.reverse();
    let reordered = format!(
        "{head}{}",
        blocks
            .iter()
            .map(|b| format!("[[event]]{}\n", b.trim_end()))
            .collect::<String>()
    );
    new.insert(F.into(), reordered);
    // Types split across two files, under other names.
    let types = new.remove(T).unwrap();
    let (a, b) = types.split_at(types.find("[types.Money]").unwrap());
    new.insert("types/b_orders.toml".into(), a.to_string());
    new.insert("types/a_rest.toml".into(), b.to_string());
    let changes = compare(&old, &new);
    assert!(changes.is_empty(), "{}", show(&changes));
}

#[test]
fn harmless_edits_report_no_break() {
    type Edit = fn(&mut Files);
    let harmless: [(&str, Edit); 5] = [
        ("descriptions and titles", |f| {
            edit(
                f,
                T,
                "description = \"An order.\"",
                "description = \"An order, as placed.\"",
            );
            edit(
                f,
                F,
                "title = \"Order created\"",
                "title = \"Order placed\"",
            );
            edit(
                f,
                T,
                "fields.qty = { type = \"integer\" }",
                "fields.qty = { type = \"integer\", description = \"How many.\" }",
            );
        }),
        ("an optional field", |f| {
            edit(
                f,
                T,
                "fields.name = { type = \"string\" }",
                "fields.name = { type = \"string\" }\nfields.phone = { type = \"string\", optional = true, nullable = true }",
            )
        }),
        ("a value in an extensible enum", |f| {
            edit(
                f,
                T,
                "values = [\"web\", \"store\"]",
                "values = [\"web\", \"store\", \"app\"]",
            )
        }),
        ("a code", |f| {
            append(
                f,
                F,
                "\n[[event]]\ncode = \"shop.customer.deleted\"\ntitle = \"Customer deleted\"\npayload = \"CustomerEvent\"\nstatus = \"planned\"\n",
            )
        }),
        ("a code's `since`, with the catalog's version raised", |f| {
            edit(
                f,
                "catalog.toml",
                "version = \"1.0.0\"",
                "version = \"1.1.0\"",
            );
            edit(
                f,
                F,
                "title = \"Order updated\"\n",
                "title = \"Order updated\"\nsince = \"1.1.0\"\n",
            )
        }),
    ];
    for (what, change) in harmless {
        let mut new = base();
        change(&mut new);
        let changes = compare(&base(), &new);
        assert!(!changes.is_empty(), "{what}: the edit was noticed");
        let b = breaks(&changes);
        assert!(b.is_empty(), "{what} reported a break:\n{}", show(&changes));
    }
}

#[test]
fn a_shared_type_change_is_one_change_per_path_with_every_code() {
    let mut new = base();
    edit(
        &mut new,
        T,
        "fields.email = { type = \"email\" }",
        "fields.email = { type = \"email\", optional = true }",
    );
    let changes = compare(&base(), &new);
    let paths: BTreeMap<&str, &Vec<String>> = changes
        .iter()
        .filter(|c| c.rule.id == "field-became-optional")
        .map(|c| (c.path.as_str(), &c.codes))
        .collect();
    // `changes` is `partial<Customer>`: every field is optional there already.
    assert_eq!(
        paths.keys().copied().collect::<Vec<_>>(),
        vec!["data.customer.email"],
        "{}",
        show(&changes)
    );
    let codes = paths["data.customer.email"];
    assert_eq!(
        codes,
        &vec![
            "shop.order.created".to_string(),
            "shop.order.updated".into(),
            "shop.order.legacy".into(),
            "shop.customer.created".into()
        ]
    );
    let c = changes
        .iter()
        .find(|c| c.rule.id == "field-became-optional")
        .unwrap();
    let line = new[T]
        .lines()
        .position(|l| l.starts_with("fields.email"))
        .unwrap()
        + 1;
    assert_eq!(
        c.location,
        format!("mem/types/shop.toml:{line}:8"),
        "points at the field in NEW"
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("required"), Some("optional"))
    );
}

#[test]
fn paths_go_through_arrays_and_maps() {
    let mut new = base();
    edit(
        &mut new,
        T,
        "fields.qty = { type = \"integer\" }",
        "fields.qty = { type = \"number\" }",
    );
    edit(
        &mut new,
        T,
        "type = \"map<string>\"",
        "type = \"map<integer>\"",
    );
    let changes = compare(&base(), &new);
    let paths: BTreeSet<(&str, &str)> = changes
        .iter()
        .map(|c| (c.rule.id, c.path.as_str()))
        .collect();
    assert!(
        paths.contains(&("type-widened", "data.items[].qty")),
        "{}",
        show(&changes)
    );
    assert!(
        paths.contains(&("type-changed", "data.meta{}")),
        "{}",
        show(&changes)
    );
}

#[test]
fn renaming_a_type_that_keeps_its_shape_is_only_a_source_break() {
    let mut new = base();
    edit(&mut new, T, "[types.Customer]", "[types.Client]");
    edit(&mut new, T, "fields.customer = { type = \"Customer\" }\nfields.changes = { type = \"partial<Customer>\"", "fields.customer = { type = \"Client\" }\nfields.changes = { type = \"partial<Client>\"");
    edit(
        &mut new,
        T,
        "[types.CustomerEvent]\nfields.customer = { type = \"Customer\" }",
        "[types.CustomerEvent]\nfields.customer = { type = \"Client\" }",
    );
    let changes = compare(&base(), &new);
    for c in &changes {
        assert!(
            c.rule.sides.iter().all(|s| *s == diff::Side::Source),
            "a wire rule fired: {}",
            show(&changes)
        );
    }
    let fired = rule_ids(&changes);
    assert!(
        fired.contains("rust-type-changed") && fired.contains("type-removed"),
        "{fired:?}"
    );
    let removed = changes
        .iter()
        .find(|c| c.rule.id == "type-removed" && c.path == "types.Customer")
        .unwrap();
    assert_eq!(removed.new.as_deref(), Some("Client"), "names the new type");
    // A source-only break is a warning whatever the mode, and nothing with
    // source not counted.
    for mode in [Mode::Backward, Mode::Forward, Mode::Full] {
        let p = Policy {
            mode,
            source: true,
            planned: false,
        };
        assert!(changes.iter().all(|c| c.severity(&p) <= Severity::Warning));
        assert!(changes.iter().any(|c| c.severity(&p) == Severity::Warning));
        let p = Policy {
            mode,
            source: false,
            planned: false,
        };
        assert!(changes.iter().all(|c| c.severity(&p) == Severity::Info));
    }
}

#[test]
fn modes_count_only_their_side() {
    // optional -> required breaks producers only (and Rust source).
    let mut new = base();
    edit(
        &mut new,
        T,
        "fields.note = { type = \"string\", optional = true,",
        "fields.note = { type = \"string\",",
    );
    let changes = compare(&base(), &new);
    assert_eq!(changes.len(), 1, "{}", show(&changes));
    let c = &changes[0];
    let sev = |mode, source| {
        c.severity(&Policy {
            mode,
            source,
            planned: false,
        })
    };
    assert_eq!(sev(Mode::Full, true), Severity::Error);
    assert_eq!(sev(Mode::Forward, true), Severity::Error);
    assert_eq!(
        sev(Mode::Backward, true),
        Severity::Warning,
        "still a source break"
    );
    assert_eq!(sev(Mode::Backward, false), Severity::Info);
    // required -> optional breaks consumers only (and Rust source).
    let mut new = base();
    edit(
        &mut new,
        T,
        "fields.id = { type = \"uuid\" }",
        "fields.id = { type = \"uuid\", optional = true }",
    );
    let c = &compare(&base(), &new)[0];
    assert_eq!(
        c.severity(&Policy {
            mode: Mode::Backward,
            source: true,
            planned: false,
        }),
        Severity::Error
    );
    assert_eq!(
        c.severity(&Policy {
            mode: Mode::Forward,
            source: false,
            planned: false,
        }),
        Severity::Info
    );
}

#[test]
fn envelope_changes_apply_to_every_code() {
    let mut new = base();
    edit(
        &mut new,
        "catalog.toml",
        "[envelope.fields.tenant]\ntype = \"string\"\npattern = \"^[a-z]+$\"\n",
        "",
    );
    let changes = compare(&base(), &new);
    assert_eq!(
        rule_ids(&changes),
        BTreeSet::from(["required-field-removed"])
    );
    assert_eq!(changes[0].path, "tenant");
    assert!(changes[0].codes.is_empty());
    assert!(
        changes[0].location.starts_with("mem/catalog.toml:"),
        "old location"
    );
}

#[test]
fn a_renamed_code_is_an_error_naming_the_new_code() {
    let mut new = base();
    edit(
        &mut new,
        F,
        "code = \"shop.order.updated\"",
        "code = \"shop.order.modified\"",
    );
    let changes = compare(&base(), &new);
    assert_eq!(
        rule_ids(&changes),
        BTreeSet::from(["code-removed", "code-added"])
    );
    let removed = changes
        .iter()
        .find(|c| c.rule.id == "code-removed")
        .unwrap();
    assert!(
        removed
            .message
            .contains("renamed to `shop.order.modified`?"),
        "{}",
        removed.message
    );
    assert_eq!(removed.severity(&Policy::default()), Severity::Error);
}

#[test]
fn recursive_types_and_aliases_terminate() {
    let recursive = |f: &mut Files| {
        edit(
            f,
            T,
            "fields.customer = { type = \"Customer\" }\nfields.changes",
            "fields.customer = { type = \"Customer\" }\nfields.tree = { type = \"Tree\", optional = true }\nfields.changes",
        );
        append(
            f,
            T,
            "\n[types.Tree]\nfields.label = { type = \"string\" }\nfields.children = { type = \"array<Tree>\" }\nfields.nested = { type = \"Nested\", optional = true }\n\n[types.Nested]\ntype = \"array<Nested>\"\n",
        );
    };
    let mut old = base();
    recursive(&mut old);
    assert!(compare(&old, &old).is_empty());
    let mut new = old.clone();
    edit(
        &mut new,
        T,
        "fields.label = { type = \"string\" }",
        "fields.label = { type = \"integer\" }",
    );
    edit(
        &mut new,
        T,
        "type = \"array<Nested>\"",
        "type = \"array<array<Nested>>\"",
    );
    let changes = compare(&old, &new);
    let found: BTreeSet<(&str, &str)> = changes
        .iter()
        .map(|c| (c.rule.id, c.path.as_str()))
        .collect();
    assert!(
        found.contains(&("type-changed", "data.tree.label")),
        "{}",
        show(&changes)
    );
    // Deeper copies of the same change are cut where the walk meets the type again.
    assert!(
        !found.contains(&("type-changed", "data.tree.children[].label")),
        "{}",
        show(&changes)
    );
    // `Nested` items went from `Nested` (an array) to an array of it: still arrays
    // all the way down, so the walk stops at the alias without a finding.
    assert!(
        changes.iter().all(|c| !c.path.contains("nested")),
        "{}",
        show(&changes)
    );
}

#[test]
fn output_order_is_deterministic() {
    let mut new = base();
    edit(
        &mut new,
        T,
        "values = [\"open\", \"paid\"]",
        "values = [\"open\", \"shipped\"]",
    );
    edit(
        &mut new,
        T,
        "fields.qty = { type = \"integer\" }",
        "fields.qty = { type = \"number\" }",
    );
    let a = compare(&base(), &new);
    let b = compare(&base(), &new);
    assert_eq!(a, b);
    assert!(a.len() >= 3, "{}", show(&a));
}

// ---------------------------------------------------------------- acknowledgements

const REMOVE_COUNT: &str = "fields.count = { type = \"integer\", maximum = 100 }\n";

fn judged(old: &Files, new: &Files) -> (Vec<Change>, Vec<usize>) {
    let (old, new) = (load(old), load(new));
    let mut changes = diff::compare(&old, &new);
    let unused = diff::acknowledge(&mut changes, &new.acknowledged, |o| new.locate(o));
    (changes, unused)
}

#[test]
fn acknowledging_by_path_or_every_code_passes_on_purpose() {
    let fails = |c: &[Change]| {
        c.iter()
            .any(|c| c.fails(&Policy::default(), Severity::Error))
    };
    let mut new = base();
    edit(&mut new, T, REMOVE_COUNT, "");
    assert!(fails(&judged(&base(), &new).0));

    // By path.
    let mut by_path = new.clone();
    append(&mut by_path, "catalog.toml", "\n[[acknowledge]]\nrule = \"required-field-removed\"\npath = \"data.count\"\nreason = \"Nobody read it.\"\n");
    let (changes, unused) = judged(&base(), &by_path);
    assert!(!fails(&changes));
    assert!(unused.is_empty());
    let ack = changes[0].acknowledged.as_ref().unwrap();
    assert_eq!(ack.reason, "Nobody read it.");
    assert!(
        ack.location.starts_with("mem/catalog.toml:"),
        "{}",
        ack.location
    );

    // By one code of three: not enough.
    let one = "\n[[acknowledge]]\nrule = \"required-field-removed\"\ncode = \"shop.order.created\"\nreason = \"v2\"\n";
    let mut by_one = new.clone();
    append(&mut by_one, "catalog.toml", one);
    assert!(fails(&judged(&base(), &by_one).0));

    // By every code it affects.
    let mut by_all = by_one.clone();
    for code in ["shop.order.updated", "shop.order.legacy"] {
        append(
            &mut by_all,
            "catalog.toml",
            &one.replace("shop.order.created", code),
        );
    }
    let (changes, unused) = judged(&base(), &by_all);
    assert!(!fails(&changes), "{}", show(&changes));
    assert!(unused.is_empty());

    // Another rule does not match; the acknowledgement is reported unused.
    let mut wrong = new.clone();
    append(&mut wrong, "catalog.toml", "\n[[acknowledge]]\nrule = \"optional-field-removed\"\npath = \"data.count\"\nreason = \"x\"\n");
    let (changes, unused) = judged(&base(), &wrong);
    assert!(fails(&changes));
    assert_eq!(unused, vec![0]);
}

#[test]
fn acknowledgements_are_checked_by_the_loader() {
    let mut files = base();
    append(&mut files, "catalog.toml", "\n[[acknowledge]]\nrule = \"required-field-remove\"\ncode = \"shop.order.created\"\nreason = \"x\"\n\n[[acknowledge]]\nrule = \"code-removed\"\nreason = \"x\"\n");
    let sources = files
        .iter()
        .map(|(p, t)| SourceFile {
            path: PathBuf::from(p),
            text: t.clone().into(),
        })
        .collect();
    let err = eventcat::codegen::load_sources(sources)
        .unwrap_err()
        .render(false);
    assert!(
        err.contains("`required-field-remove` is not a rule"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `required-field-removed`?"),
        "{err}"
    );
    assert!(err.contains("needs a `code` or a `path`"), "{err}");
}

// ---------------------------------------------------------------- the binary

fn write(dir: &Path, files: &Files) {
    for (p, t) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
}

/// A temp folder with `old/` = base and `new/` = base edited.
fn pair(change: impl FnOnce(&mut Files)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("old"), &base());
    let mut new = base();
    change(&mut new);
    write(&tmp.path().join("new"), &new);
    tmp
}

#[test]
fn exit_codes_follow_fail_on_and_mode() {
    // Nothing changed: quiet, exit 0.
    let tmp = pair(|_| {});
    let out = eventcat(tmp.path(), &["diff", "old", "new"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "no changes\n");
    assert_eq!(text(&out.stderr), "");

    // A producer-only break: fails in full and forward, not in backward
    // without source.
    let tmp = pair(|f| edit(f, T, "maximum = 100", "maximum = 50"));
    let code = |args: &[&str]| eventcat(tmp.path(), args).status.code();
    assert_eq!(code(&["diff", "old", "new"]), Some(1));
    assert_eq!(code(&["diff", "old", "new", "--mode", "forward"]), Some(1));
    assert_eq!(code(&["diff", "old", "new", "--mode", "backward"]), Some(0));
    let out = eventcat(tmp.path(), &["diff", "old", "new"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("error[constraint-tightened]"), "{stdout}");
    assert!(stdout.contains("= path: data.count"), "{stdout}");
    assert!(stdout.contains("new/types/shop.toml:"), "{stdout}");
    assert!(text(&out.stderr).contains("breaking changes at or above `error`"));

    // Info only: passes unless failing on info.
    let tmp = pair(|f| {
        edit(
            f,
            T,
            "description = \"An order.\"",
            "description = \"An order!\"",
        )
    });
    let code = |args: &[&str]| eventcat(tmp.path(), args).status.code();
    assert_eq!(code(&["diff", "old", "new"]), Some(0));
    assert_eq!(
        code(&["diff", "old", "new", "--fail-on", "warning"]),
        Some(0)
    );
    assert_eq!(code(&["diff", "old", "new", "--fail-on", "info"]), Some(1));

    // A source-only break is a warning.
    let tmp = pair(|f| edit(f, T, "extensible = true\n", ""));
    let code = |args: &[&str]| eventcat(tmp.path(), args).status.code();
    assert_eq!(code(&["diff", "old", "new"]), Some(0));
    assert_eq!(
        code(&["diff", "old", "new", "--fail-on", "warning"]),
        Some(1)
    );
    assert_eq!(
        code(&[
            "diff",
            "old",
            "new",
            "--fail-on",
            "warning",
            "--ignore-source"
        ]),
        Some(0)
    );
}

#[test]
fn usage_and_catalog_errors_exit_2() {
    let tmp = pair(|f| {
        edit(
            f,
            T,
            "[types.Money]\ntype = \"number\"",
            "[types.Money]\ntype = \"numbr\"",
        )
    });
    let out = eventcat(tmp.path(), &["diff", "old", "new"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown type `numbr`"),
        "{}",
        text(&out.stderr)
    );
    // Not a folder, and (outside any repository) not a revision either.
    let out = eventcat(tmp.path(), &["diff", "old", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("`nope` is not a folder"),
        "{}",
        text(&out.stderr)
    );
    // One side only.
    let out = eventcat(tmp.path(), &["diff", "old"]);
    assert_eq!(out.status.code(), Some(2));
    // Both forms at once.
    let out = eventcat(tmp.path(), &["diff", "old", "new", "--base", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_and_markdown_reports() {
    let tmp = pair(|f| {
        edit(
            f,
            T,
            "values = [\"open\", \"paid\"]",
            "values = [\"open\", \"paid\", \"shipped\"]",
        );
        edit(
            f,
            T,
            "description = \"An order.\"",
            "description = \"An order | <b>bold</b>\"",
        );
        append(f, "catalog.toml", "\n[[acknowledge]]\nrule = \"enum-value-added\"\npath = \"data.status\"\nreason = \"Consumers were told in advance.\"\n");
    });
    let out = eventcat(tmp.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "acknowledged: {}",
        text(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["ok"], true);
    assert_eq!(v["counts"]["acknowledged"], 1);
    assert_eq!(v["counts"]["info"], 1);
    let first = &v["changes"][0];
    assert_eq!(first["rule"], "enum-value-added");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["new"], "shipped");
    assert_eq!(first["breaks"], serde_json::json!(["consumer", "source"]));
    assert_eq!(first["codes"].as_array().unwrap().len(), 3);
    assert_eq!(
        first["acknowledged"]["reason"],
        "Consumers were told in advance."
    );

    let out = eventcat(tmp.path(), &["diff", "old", "new", "--format", "markdown"]);
    let md = text(&out.stdout);
    assert!(
        md.starts_with("### Catalog changes: `old 1.0.0` → `new 1.0.0`"),
        "{md}"
    );
    assert!(
        md.contains("| Severity | Rule | Codes | Path | Change | Breaks | Where |"),
        "{md}"
    );
    assert!(
        md.contains("error, acknowledged: Consumers were told in advance."),
        "{md}"
    );
    assert!(
        md.contains("<details><summary>1 change that break nothing</summary>")
            || md.contains("<details><summary>1 change that breaks nothing</summary>"),
        "{md}"
    );
    assert!(!md.contains("<b>"), "catalog text is escaped: {md}");
    // Every table row has the header's number of cells.
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 8 || cells == 6, "{line}");
    }
}

#[test]
fn default_catalog_paths_reach_nested_arrays() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("schema");
    copy_dir(&root.join("schema"), &copy);
    let types = copy.join("types/dir_sync.toml");
    let t = std::fs::read_to_string(&types).unwrap();
    let from = "values = [\"mobile\", \"work\", \"home\", \"fax\", \"pager\", \"other\"]";
    assert_eq!(t.matches(from).count(), 1);
    let t = t
        .replace(
            from,
            "values = [\"mobile\", \"work\", \"home\", \"fax\", \"other\"]",
        )
        .replace("pager = \"A pager.\"\n", "");
    std::fs::write(&types, t).unwrap();
    let load =
        |p: &Path| eventcat::codegen::load(p).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let old = load(&root.join("schema"));
    let new = load(&copy);
    let changes = diff::compare(&old, &new);
    let removed: Vec<&Change> = changes
        .iter()
        .filter(|c| c.rule.id == "enum-value-removed")
        .collect();
    let paths: BTreeSet<&str> = removed.iter().map(|c| c.path.as_str()).collect();
    assert!(
        paths.contains("data.resource.changes.new_values.phone_numbers[].type"),
        "{paths:?}"
    );
    let c = removed
        .iter()
        .find(|c| c.path == "data.resource.changes.new_values.phone_numbers[].type")
        .unwrap();
    assert!(
        c.codes
            .contains(&"dir_sync.user.update.success".to_string()),
        "{:?}",
        c.codes
    );
    assert_eq!(c.old.as_deref(), Some("pager"));
    assert!(
        c.location.contains("types/dir_sync.toml:"),
        "{}",
        c.location
    );
    // And the default catalog against itself: nothing.
    assert!(diff::compare(&old, &old).is_empty());
}

// ---------------------------------------------------------------- git

#[test]
fn git_revisions_load_as_catalogs() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    let mut files = base();
    // An example in a file, which must be read at the revision too.
    edit(
        &mut files,
        F,
        "payload = \"CustomerEvent\"\n",
        "payload = \"CustomerEvent\"\n\n[[event.example]]\nfile = \"../examples/customer.json\"\n",
    );
    files.insert(
        "examples/customer.json".into(),
        r#"{"__type__": "Event", "tenant": "acme", "code": "shop.customer.created", "data": {"customer": {"email": "a@example.com", "name": "Ann"}}}"#.into(),
    );
    write(&repo.join("schema"), &files);
    std::fs::write(repo.join("README"), "not a catalog\n").unwrap();
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "v1"]);
    git(repo, &["tag", "v1"]);

    // The working tree: a required field removed.
    let types = repo.join("schema/types/shop.toml");
    let t = std::fs::read_to_string(&types).unwrap();
    std::fs::write(&types, t.replacen(REMOVE_COUNT, "", 1)).unwrap();

    let out = eventcat(repo, &["diff", "--base", "HEAD"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("error[required-field-removed]"), "{stdout}");
    assert!(
        stdout.contains("--> HEAD:schema/types/shop.toml:"),
        "old location: {stdout}"
    );
    assert!(stdout.contains("HEAD:schema -> schema:"), "{stdout}");

    // Same revision both sides, by `REV` and `REV:path`: nothing.
    let out = eventcat(repo, &["diff", "v1", "main:schema"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "no changes\n");

    // From a subfolder, `./` paths are relative to it.
    let out = eventcat(&repo.join("schema"), &["diff", "v1:./", "."]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // Commit the change: v1 -> HEAD compares two revisions.
    git(repo, &["commit", "-q", "-am", "v2"]);
    let out = eventcat(repo, &["diff", "v1", "HEAD", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["old"]["source"], "v1:schema");
    assert_eq!(v["changes"][0]["rule"], "required-field-removed");

    // Unknown revision, or a path with no catalog: exit 2 with a reason.
    let out = eventcat(repo, &["diff", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("`no-such-branch` is not a folder, and git does not know it as a revision"),
        "{}",
        text(&out.stderr)
    );
    let out = eventcat(repo, &["diff", "v1:nowhere", "schema"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("`v1:nowhere` holds no `.toml` file"),
        "{}",
        text(&out.stderr)
    );

    // A revision whose catalog does not load: its errors name `REV:path`.
    std::fs::write(&types, "[types.Broken\n").unwrap();
    git(repo, &["commit", "-q", "-am", "broken"]);
    let out = eventcat(repo, &["diff", "HEAD", "v1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("HEAD:schema/types/shop.toml"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_catalog_at_the_root_of_the_repository_names_its_files_rev_colon_path() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    // The last event (`shop.customer.created`) has its example in a file.
    let mut files = base();
    append(
        &mut files,
        F,
        "\n[[event.example]]\nfile = \"../examples/customer.json\"\n",
    );
    let example = serde_json::json!({
        "__type__": "Event", "tenant": "acme", "code": "shop.customer.created",
        "data": {"customer": {"email": "a@example.com", "name": "Ann"}},
    });
    files.insert("examples/customer.json".into(), example.to_string());
    write(repo, &files);
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "."],
        &["commit", "-q", "-m", "v1"],
    ] {
        git(repo, args);
    }

    // The example file is read at the revision: the same catalog both sides.
    let out = eventcat(repo, &["diff", "main:", "HEAD:"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // A change is located in the old catalog as `REV:file`.
    edit(&mut files, "types/shop.toml", REMOVE_COUNT, "");
    write(repo, &files);
    let out = eventcat(repo, &["diff", "main:", "."]);
    let report = text(&out.stdout);
    assert!(report.contains("--> main:types/shop.toml:"), "{report}");
    assert_eq!(out.status.code(), Some(1), "{report}");

    // Errors name `REV:file`, where they point and in their messages.
    std::fs::write(repo.join("types/shop.toml"), "[types.Broken\n").unwrap();
    std::fs::remove_file(repo.join("examples/customer.json")).unwrap();
    git(repo, &["commit", "-q", "-am", "broken"]);
    let out = eventcat(repo, &["diff", "HEAD:", "HEAD~1:"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("HEAD:types/shop.toml:"), "{stderr}");
    let missing = "`HEAD:families/../examples/customer.json`";
    assert!(stderr.contains(missing), "{stderr}");
    assert!(!stderr.contains("HEAD:/"), "{stderr}");
}

// ---------------------------------------------------------------- README

#[test]
fn readme_rule_table_matches_the_rule_table() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let begin = "<!-- diff-rules:begin (generated from codegen/src/diff/rules.rs; tests/diff.rs checks it) -->\n";
    let end = "<!-- diff-rules:end -->";
    let start = readme
        .find(begin)
        .expect("README has the rule table markers")
        + begin.len();
    let stop = readme[start..].find(end).expect("end marker") + start;
    let expected = diff::rules::markdown_table();
    assert!(
        readme[start..stop] == expected,
        "README's rule table is out of date; replace it with:\n{expected}"
    );
}

// ---------------------------------------------------------------- sides from accepted values

/// A catalog edit judged by what old and new accept: the rules and sides
/// expected, and the binary's exit code per argument list.
struct SideCase {
    what: &'static str,
    edit_old: fn(&mut Files),
    edit_new: fn(&mut Files),
    /// Every change expected: (rule, sides).
    changes: &'static [(&'static str, &'static [&'static str])],
    /// Exit codes for `--mode backward`, `--mode forward`, `--mode full`.
    exits: [i32; 3],
    /// More argument lists and their exit codes.
    more: &'static [(&'static [&'static str], i32)],
}

fn side_cases() -> Vec<SideCase> {
    vec![
        SideCase {
            what: "an extensible enum widened to string",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.channel = { type = \"Channel\" }",
                    "fields.channel = { type = \"string\" }",
                )
            },
            changes: &[("extensible-enum-widened", &["source"])],
            exits: [0, 0, 0],
            more: &[
                (&["--fail-on", "warning"], 1),
                (&["--fail-on", "warning", "--ignore-source"], 0),
            ],
        },
        SideCase {
            what: "a const turned into a closed enum with that one value",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.kind = { const = \"order\" }",
                    "fields.kind = { type = \"Kind\" }",
                );
                append(f, T, "\n[types.Kind]\nvalues = [\"order\"]\n");
            },
            changes: &[("rust-type-changed", &["source"]), ("type-added", &[])],
            exits: [0, 0, 0],
            more: &[(&["--fail-on", "warning", "--ignore-source"], 0)],
        },
        SideCase {
            what: "a nullable string turned into json",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.coupon = { type = \"string\", nullable = true }",
                    "fields.coupon = { type = \"json\" }",
                )
            },
            changes: &[("type-widened", &["consumer", "source"])],
            exits: [1, 0, 1],
            more: &[],
        },
        SideCase {
            what: "json turned into a nullable string",
            edit_old: |f| {
                edit(
                    f,
                    T,
                    "fields.coupon = { type = \"string\", nullable = true }",
                    "fields.coupon = { type = \"json\" }",
                )
            },
            edit_new: nothing,
            changes: &[("type-narrowed", &["producer", "source"])],
            exits: [0, 1, 1],
            more: &[],
        },
        SideCase {
            what: "a pattern narrowed to a strict subset",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "pattern = \"^[A-Z0-9]+$\"",
                    "pattern = \"^[A-Z0-9]{4,15}$\"",
                )
            },
            changes: &[("constraint-tightened", &["producer"])],
            exits: [0, 1, 1],
            more: &[],
        },
        SideCase {
            what: "a pattern widened to a strict superset",
            edit_old: |f| {
                edit(
                    f,
                    T,
                    "pattern = \"^[A-Z0-9]+$\"",
                    "pattern = \"^[A-Z0-9]{4,15}$\"",
                )
            },
            edit_new: nothing,
            changes: &[("constraint-loosened", &["consumer"])],
            exits: [0, 0, 0],
            more: &[
                (&["--mode", "backward", "--fail-on", "warning"], 1),
                (&["--mode", "forward", "--fail-on", "warning"], 0),
            ],
        },
        SideCase {
            what: "a pattern changed in a way eventcat does not decide",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "pattern = \"^[A-Z0-9]+$\"",
                    "pattern = \"^[A-Z]+[0-9]*$\"",
                )
            },
            changes: &[("pattern-changed", &["consumer", "producer"])],
            exits: [1, 1, 1],
            more: &[],
        },
        SideCase {
            what: "nullable swapped for optional on the same Option<T>",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "fields.coupon = { type = \"string\", nullable = true }",
                    "fields.coupon = { type = \"string\", optional = true }",
                )
            },
            changes: &[
                ("field-became-optional", &["consumer"]),
                ("field-became-non-nullable", &["producer"]),
            ],
            exits: [1, 1, 1],
            more: &[],
        },
        SideCase {
            what: "an extensible enum value's case (the Rust variant stays)",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "values = [\"web\", \"store\"]",
                    "values = [\"web\", \"STORE\"]",
                )
            },
            changes: &[
                ("enum-value-removed", &["producer"]),
                ("extensible-enum-value-added", &[]),
            ],
            exits: [0, 1, 1],
            // With the Rust side counted, this was a warning in backward mode.
            more: &[(&["--mode", "backward", "--fail-on", "warning"], 0)],
        },
        SideCase {
            what: "a closed enum value's case (the Rust variant stays)",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    T,
                    "values = [\"open\", \"paid\"]",
                    "values = [\"open\", \"PAID\"]",
                )
            },
            changes: &[
                ("enum-value-removed", &["producer"]),
                ("enum-value-added", &["consumer"]),
            ],
            exits: [1, 1, 1],
            more: &[],
        },
        SideCase {
            what: "an envelope key renamed while its Rust field name stays",
            edit_old: nothing,
            edit_new: |f| {
                edit(
                    f,
                    "catalog.toml",
                    "[envelope.fields.__type__]",
                    "[envelope.fields.type]",
                )
            },
            changes: &[
                ("required-field-removed", &["consumer", "producer"]),
                ("required-field-added", &["producer"]),
            ],
            exits: [1, 1, 1],
            more: &[],
        },
        SideCase {
            what: "a payload change of a planned code",
            edit_old: |f| {
                edit(
                    f,
                    F,
                    "title = \"Customer created\"\n",
                    "title = \"Customer created\"\nstatus = \"planned\"\n",
                )
            },
            edit_new: |f| {
                edit(
                    f,
                    F,
                    "title = \"Customer created\"\n",
                    "title = \"Customer created\"\nstatus = \"planned\"\n",
                );
                edit(
                    f,
                    T,
                    "[types.CustomerEvent]\nfields.customer = { type = \"Customer\" }",
                    "[types.CustomerEvent]\nfields.customer = { type = \"Customer\" }\nfields.at = { type = \"date-time\" }",
                );
            },
            changes: &[("required-field-added", &["producer", "source"])],
            exits: [0, 0, 0],
            more: &[
                (&["--planned"], 1),
                (&["--planned", "--mode", "backward"], 0),
                (&["--fail-on", "warning"], 1),
            ],
        },
    ]
}

#[test]
fn sides_follow_what_old_and_new_accept_in_every_mode() {
    let mut failures = String::new();
    for case in side_cases() {
        let (mut old, mut new) = (base(), base());
        (case.edit_old)(&mut old);
        (case.edit_new)(&mut new);
        let changes = compare(&old, &new);
        let mut got: Vec<(&str, Vec<&str>)> = changes
            .iter()
            .map(|c| (c.rule.id, c.sides.iter().map(|s| s.as_str()).collect()))
            .collect();
        let mut want: Vec<(&str, Vec<&str>)> =
            case.changes.iter().map(|(r, s)| (*r, s.to_vec())).collect();
        got.sort();
        want.sort();
        if got != want {
            failures.push_str(&format!(
                "{}: expected {want:?}, got {got:?}\n{}",
                case.what,
                show(&changes)
            ));
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        write(&tmp.path().join("old"), &old);
        write(&tmp.path().join("new"), &new);
        let runs = ["backward", "forward", "full"]
            .iter()
            .zip(case.exits)
            .map(|(m, code)| (vec!["--mode", *m], code))
            .chain(case.more.iter().map(|(a, code)| (a.to_vec(), *code)));
        for (extra, code) in runs {
            let mut args = vec!["diff", "old", "new"];
            args.extend(&extra);
            let out = eventcat(tmp.path(), &args);
            if out.status.code() != Some(code) {
                failures.push_str(&format!(
                    "{}: `{}` exited {:?}, expected {code}\n{}",
                    case.what,
                    args.join(" "),
                    out.status.code(),
                    text(&out.stdout)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn planned_changes_are_marked_and_capped() {
    let mut old = base();
    edit(
        &mut old,
        F,
        "title = \"Customer created\"\n",
        "title = \"Customer created\"\nstatus = \"planned\"\n",
    );
    let mut new = old.clone();
    edit(
        &mut new,
        T,
        "[types.CustomerEvent]\nfields.customer = { type = \"Customer\" }",
        "[types.CustomerEvent]\nfields.customer = { type = \"Customer\" }\nfields.at = { type = \"date-time\" }",
    );
    edit(
        &mut new,
        T,
        "fields.email = { type = \"email\" }",
        "fields.email = { type = \"uuid\" }",
    );
    let changes = compare(&old, &new);
    // `Customer` is reached by available codes too: not capped there.
    assert!(
        changes
            .iter()
            .any(|c| c.path == "data.customer.email" && !c.planned && c.codes.len() > 1),
        "{}",
        show(&changes)
    );
    assert!(changes.iter().any(|c| c.planned), "{}", show(&changes));
    let strict = Policy {
        planned: true,
        ..Policy::default()
    };
    for c in &changes {
        if c.planned {
            assert_eq!(c.codes, ["shop.customer.created"]);
            assert!(c.severity(&Policy::default()) <= Severity::Warning);
            assert_eq!(c.severity(&strict), Severity::Error);
        } else {
            assert_eq!(c.severity(&Policy::default()), c.severity(&strict));
        }
    }
}

#[test]
fn messages_name_the_field_and_its_type() {
    let mut new = base();
    edit(&mut new, T, "fields.id = { type = \"uuid\" }\n", "");
    edit(&mut new, T, "maximum = 100", "maximum = 50");
    let changes = compare(&base(), &new);
    let msg = |rule: &str| {
        changes
            .iter()
            .find(|c| c.rule.id == rule)
            .map(|c| c.message.clone())
            .unwrap_or_else(|| panic!("no {rule}:\n{}", show(&changes)))
    };
    let m = msg("required-field-removed");
    assert!(
        m.starts_with("required field `data.id` (uuid) removed: "),
        "{m}"
    );
    let m = msg("constraint-tightened");
    assert!(
        m.starts_with("`maximum` of `data.count` (integer) now allows less"),
        "{m}"
    );
}

const EXAMPLE: &str = r#"
[[event.example]]
name = "A customer"
json = '''{"__type__": "Event", "tenant": "acme", "code": "shop.customer.created", "data": {"customer": {"email": "a@example.com", "name": "A"}}}'''
"#;

#[test]
fn example_notes_say_what_changed() {
    let mut old = base();
    append(&mut old, F, EXAMPLE);
    let mut new = old.clone();
    edit(&mut new, F, "\"name\": \"A\"", "\"name\": \"B\"");
    let changes = compare(&old, &new);
    assert_eq!(changes.len(), 1, "{}", show(&changes));
    let c = &changes[0];
    assert_eq!(c.rule.id, "example-changed");
    assert_eq!(c.message, "example `A customer` changed");
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (None, None),
        "no `1 example -> 1 example`"
    );
    let changes = compare(&base(), &old);
    assert_eq!(changes[0].message, "example `A customer` added");
    assert_eq!(changes[0].new.as_deref(), Some("1 example"));
}

#[test]
fn diff_rejects_examples_lint_rejects() {
    let tmp = pair(|f| append(f, F, &EXAMPLE.replace("\"a@example.com\"", "42")));
    let lint = eventcat(tmp.path(), &["lint", "--catalog", "new"]);
    assert_eq!(lint.status.code(), Some(2), "{}", text(&lint.stderr));
    let out = eventcat(tmp.path(), &["diff", "old", "new"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), text(&lint.stderr));
    assert!(
        text(&out.stderr).contains("new/families/shop.toml:"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn json_codes_tell_every_code_from_no_event() {
    let tmp = tempfile::tempdir().unwrap();
    let unused = "\n[types.Unused]\nfields.a = { type = \"string\" }\n";
    let mut old = base();
    append(&mut old, T, unused);
    let mut new = old.clone();
    edit(
        &mut new,
        T,
        "fields.a = { type = \"string\" }",
        "fields.a = { type = \"integer\" }",
    );
    edit(
        &mut new,
        "catalog.toml",
        "pattern = \"^[a-z]+$\"",
        "pattern = \"^[a-z]+\"",
    );
    write(&tmp.path().join("old"), &old);
    write(&tmp.path().join("new"), &new);
    let out = eventcat(tmp.path(), &["diff", "old", "new", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let by_rule = |r: &str| {
        v["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == r)
            .cloned()
            .unwrap_or_else(|| panic!("no {r}: {v:#}"))
    };
    assert_eq!(by_rule("constraint-loosened")["codes"], "all");
    assert_eq!(
        by_rule("off-wire-type-changed")["codes"],
        serde_json::json!([])
    );
}

#[test]
fn breaking_changes_need_a_version_bump() {
    // An acknowledged break: passes, but the version did not move enough.
    let ack = "\n[[acknowledge]]\nrule = \"required-field-removed\"\npath = \"data.id\"\nreason = \"Ids are gone.\"\n";
    let run = |old_v: &str, new_v: &str, extra: &[&str]| {
        let tmp = tempfile::tempdir().unwrap();
        let version = |v: &str| format!("version = \"{v}\"");
        let mut old = base();
        edit(
            &mut old,
            "catalog.toml",
            "version = \"1.0.0\"",
            &version(old_v),
        );
        let mut new = base();
        edit(
            &mut new,
            "catalog.toml",
            "version = \"1.0.0\"",
            &version(new_v),
        );
        edit(&mut new, T, "fields.id = { type = \"uuid\" }\n", "");
        append(&mut new, "catalog.toml", ack);
        write(&tmp.path().join("old"), &old);
        write(&tmp.path().join("new"), &new);
        let mut args = vec!["diff", "old", "new"];
        args.extend(extra);
        let out = eventcat(tmp.path(), &args);
        (
            out.status.code().unwrap(),
            text(&out.stdout),
            text(&out.stderr),
        )
    };
    let (code, stdout, _) = run("1.0.0", "1.1.0", &[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[version-bump]: 1 breaking change but the version goes from 1.0.0 to 1.1.0: breaking changes need a major version bump (at least 2.0.0)"), "{stdout}");
    let (code, stdout, stderr) = run("1.0.0", "1.1.0", &["--require-version-bump"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[version-bump]"), "{stdout}");
    assert!(stderr.contains("need a version bump"), "{stderr}");
    let (code, stdout, _) = run("1.0.0", "2.0.0", &["--require-version-bump"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("version-bump"), "{stdout}");
    // Below 1.0 a minor bump is enough; a patch is not.
    assert_eq!(run("0.3.0", "0.4.0", &["--require-version-bump"]).0, 0);
    let (code, stdout, _) = run("0.3.0", "0.3.1", &["--require-version-bump"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("need a minor version bump below 1.0 (at least 0.4.0)"),
        "{stdout}"
    );
    // JSON carries the verdict; by default it is a warning.
    let (code, stdout, _) = run("1.0.0", "1.0.1", &["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["version_bump"]["ok"], false);
    assert_eq!(v["version_bump"]["required"], "major");
    assert_eq!(v["ok"], true);
    // Without a break there is nothing to bump.
    let tmp = pair(|f| {
        edit(
            f,
            T,
            "description = \"An order.\"",
            "description = \"An order!\"",
        )
    });
    let out = eventcat(
        tmp.path(),
        &[
            "diff",
            "old",
            "new",
            "--require-version-bump",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version_bump"]["ok"], true);
    assert_eq!(v["version_bump"]["breaking"], 0);
}
