//! The plan agrees with the templates: for the default, edge-case and
//! synthetic catalogs, under every combination of options, each support
//! item the plan asks for is referred to by the generated code, and each
//! one it leaves out is not (the templates print an item exactly when its
//! flag is set, so a flag the plan misses is an item used but missing, and
//! a flag set for nothing is dead code). Every item is seen both needed and
//! not needed. `tests/compile-edge` compiles some of these with warnings
//! denied.

use std::path::{Path, PathBuf};

use super::*;
use crate::emit::rust::{emit, module};

/// A flag of [`Uses`] and the text by which the generated code (outside the
/// item itself) refers to its item.
struct Item {
    /// The flag's name.
    name: &'static str,
    /// The flag.
    flag: fn(&Uses) -> bool,
    /// What uses the item: any of these strings.
    refs: &'static [&'static str],
}

/// The items checked; `formats`, the format newtypes and the `Wire` impls
/// are reached through other items only (and are public or trait impls,
/// which the compiler does not report unused).
const ITEMS: &[Item] = &[
    Item {
        name: "present",
        flag: |u| u.present,
        refs: &[
            "deserialize_with = \"support::present\"",
            "deserialize_with = \"present\"",
        ],
    },
    Item {
        name: "nullable",
        flag: |u| u.nullable,
        refs: &[
            "deserialize_with = \"support::nullable\"",
            "deserialize_with = \"nullable\"",
        ],
    },
    Item {
        name: "wire_fn",
        flag: |u| u.wire_fn,
        refs: &[
            "deserialize_with = \"support::wire\"",
            "deserialize_with = \"wire\"",
        ],
    },
    Item {
        name: "present_wire_fn",
        flag: |u| u.present_wire_fn,
        refs: &[
            "deserialize_with = \"support::present_wire\"",
            "deserialize_with = \"present_wire\"",
        ],
    },
    Item {
        name: "wire",
        flag: |u| u.wire,
        refs: &[
            "deserialize_with = \"support::wire\"",
            "deserialize_with = \"wire\"",
            "deserialize_with = \"support::present_wire\"",
            "deserialize_with = \"present_wire\"",
        ],
    },
    Item {
        name: "nullable_schema",
        flag: |u| u.nullable_schema,
        refs: &["with = \"support::Nullable<"],
    },
    Item {
        name: "schema_field",
        flag: |u| u.schema_field,
        refs: &["support::field("],
    },
    Item {
        name: "constant",
        flag: |u| u.constant,
        refs: &["consts::"],
    },
    Item {
        name: "arb_json",
        flag: |u| u.arb_json,
        refs: &["arbitrary::json()"],
    },
    Item {
        name: "arb_date",
        flag: |u| u.arb_date,
        refs: &["arbitrary::date()"],
    },
    Item {
        name: "arb_date_time",
        flag: |u| u.arb_date_time,
        refs: &["arbitrary::date_time()"],
    },
    Item {
        name: "arb_pattern",
        flag: |u| u.arb_pattern,
        refs: &["arbitrary::pattern("],
    },
    Item {
        name: "arb_chars",
        flag: |u| u.arb_chars,
        refs: &["arbitrary::chars("],
    },
    Item {
        name: "arb_bounded",
        flag: |u| u.arb_bounded,
        refs: &["arbitrary::Bounded"],
    },
    Item {
        name: "uuid",
        flag: |u| u.uuid,
        refs: &["uuid::"],
    },
    Item {
        name: "chrono",
        flag: |u| u.chrono,
        refs: &["chrono::"],
    },
];

/// Whether the code refers to the `BTreeMap` import: a `BTreeMap` not
/// written with its full path.
fn refers_to_btree_map(text: &str) -> bool {
    text.matches("BTreeMap").count() > text.matches("collections::BTreeMap").count()
}

/// Which items were seen needed (`.0`) and not needed (`.1`).
type Seen = Vec<(bool, bool)>;

/// Checks `text` against `uses`; `what` names the case in failures.
fn check(what: &str, text: &str, uses: &Uses, seen: &mut Seen) {
    for (item, seen) in ITEMS.iter().zip(seen.iter_mut()) {
        let planned = (item.flag)(uses);
        let used = item.refs.iter().any(|r| text.contains(r));
        assert_eq!(
            planned,
            used,
            "{what}: the plan says `{}` is {}needed, the code {}",
            item.name,
            if planned { "" } else { "not " },
            if used { "uses it" } else { "does not use it" },
        );
        seen.0 |= planned;
        seen.1 |= !planned;
    }
    assert_eq!(
        uses.btree_map,
        refers_to_btree_map(text),
        "{what}: btree_map"
    );
}

/// Every combination of the optional derives.
fn all_options() -> Vec<Options> {
    let ds = [Derive::Off, Derive::Feature, Derive::Always];
    ds.iter()
        .flat_map(|&schemars| {
            ds.iter()
                .map(move |&proptest| Options { schemars, proptest })
        })
        .collect()
}

/// Checks the crate and every module of `catalog`.
fn check_catalog(what: &str, catalog: &Catalog, seen: &mut Seen) {
    for opts in all_options() {
        let text = module(catalog, &opts);
        let plan = Plan::new(catalog, opts, None);
        check(
            &format!("{what} (module, {opts:?})"),
            &text,
            &plan.uses,
            seen,
        );
    }
    let files = emit(catalog);
    let plan = Plan::new(
        catalog,
        Options::CRATE,
        Some(families::Layout::new(catalog)),
    );
    let file = |end: &str| {
        files
            .iter()
            .find(|f| f.path.ends_with(end))
            .map(|f| f.contents.as_str())
            .unwrap_or_default()
    };
    let lib = file("lib.rs");
    check(&format!("{what} (crate)"), lib, &plan.uses, seen);
    // The crate depends on what its code names.
    let toml = file("Cargo.toml");
    assert_eq!(toml.contains("\nuuid = "), lib.contains("uuid::"), "{what}");
    assert_eq!(
        toml.contains("\nchrono = "),
        lib.contains("chrono::"),
        "{what}"
    );
}

/// The catalogs of this repository the emitter is tested on.
fn repository_catalogs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![
        root.join("schema"),
        root.join("tests/catalogs/special-chars"),
        root.join("tests/catalogs/changelog/v1"),
        root.join("tests/catalogs/changelog/v2"),
        root.join("tests/compile-edge/catalogs/bare"),
    ];
    for name in ["keywords", "recursion", "wire"] {
        dirs.push(root.join("tests/catalogs/edge").join(name));
    }
    dirs
}

#[test]
fn the_plan_is_what_the_templates_use() {
    let mut seen: Seen = vec![(false, false); ITEMS.len()];
    for dir in repository_catalogs() {
        let catalog = crate::load(&dir).unwrap_or_else(|d| panic!("{}", d.render(false)));
        check_catalog(&dir.display().to_string(), &catalog, &mut seen);
    }
    for seed in 1..=40 {
        let text = synthetic::catalog(seed);
        let mut files = crate::MemoryFiles::new("synthetic");
        files.insert("catalog.toml", text.as_bytes());
        let catalog =
            crate::load_from(&files).unwrap_or_else(|d| panic!("{}\n{text}", d.render(false)));
        check_catalog(&format!("synthetic catalog {seed}"), &catalog, &mut seen);
    }
    for (item, (needed, not_needed)) in ITEMS.iter().zip(seen) {
        assert!(needed && not_needed, "`{}` not seen both ways", item.name);
    }
}

/// Small random catalogs: every type expression, optional and nullable
/// fields, constants, constraints, recursion, envelope fields.
mod synthetic {
    /// A xorshift generator: the same catalogs on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    const LEAVES: [&str; 11] = [
        "string",
        "integer",
        "number",
        "boolean",
        "json",
        "uuid",
        "date",
        "date-time",
        "local-date-time",
        "email",
        "uri",
    ];

    /// A type expression naming only `names`.
    fn expr(rng: &mut Rng, names: &[String], depth: u32) -> String {
        match rng.below(10) {
            0 | 1 if depth < 2 => format!("array<{}>", expr(rng, names, depth + 1)),
            2 if depth < 2 => format!("map<{}>", expr(rng, names, depth + 1)),
            3 | 4 if !names.is_empty() => names[rng.below(names.len() as u64) as usize].clone(),
            _ => LEAVES[rng.below(LEAVES.len() as u64) as usize].to_string(),
        }
    }

    /// The body of a field (after its table header) of a type expression
    /// over `names`, or a constant.
    fn field(rng: &mut Rng, names: &[String], consts: &mut u64) -> String {
        let mut out = String::new();
        if rng.chance(10) {
            *consts += 1;
            out.push_str(&format!("const = \"C{}\"\n", *consts % 3));
        } else {
            let ty = expr(rng, names, 0);
            out.push_str(&format!("type = \"{ty}\"\n"));
            match ty.as_str() {
                "string" if rng.chance(30) => out.push_str("pattern = '^[a-z]{1,4}$'\n"),
                "string" if rng.chance(30) => out.push_str("min_length = 1\nmax_length = 5\n"),
                "integer" if rng.chance(30) => out.push_str("minimum = 0\nmaximum = 9\n"),
                t if t.starts_with("array<") && rng.chance(30) => {
                    out.push_str("min_items = 1\nmax_items = 2\n")
                }
                _ => {}
            }
            if rng.chance(30) {
                out.push_str("optional = true\n");
            }
            if rng.chance(25) {
                out.push_str("nullable = true\n");
            }
        }
        out.push_str("description = \"A field.\"\n");
        out
    }

    /// The catalog of `seed`.
    pub(super) fn catalog(seed: u64) -> String {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut consts = 0;
        let mut out = String::from(
            "[catalog]\nname = \"synthetic\"\nversion = \"1.0.0\"\ntitle = \"Synthetic\"\n\
             description = \"Random.\"\n\n[envelope]\ndiscriminator = \"code\"\n\
             payload = \"data\"\ndescription = \"The envelope.\"\n\n\
             [envelope.fields.code]\ndescription = \"The code.\"\n\n\
             [envelope.fields.data]\ndescription = \"The payload.\"\n\n",
        );
        let mut names: Vec<String> = Vec::new();
        for i in 0..rng.below(3) {
            let body = field(&mut rng, &names, &mut consts);
            out.push_str(&format!("[envelope.fields.env_{i}]\n{body}\n"));
        }
        out.push_str("[family]\nid = \"fam\"\ntitle = \"Family\"\n\n");
        let mut types = String::new();
        let mut objects = Vec::new();
        for i in 0..2 + rng.below(6) {
            match rng.below(10) {
                // The first type is an object: every catalog has an event.
                k if k <= 5 || i == 0 => {
                    let name = format!("O{i}");
                    let mut fields = String::new();
                    for j in 0..rng.below(6) {
                        let body = if rng.chance(10) {
                            // Recursion through an array or an optional field.
                            let ty = if rng.chance(50) {
                                format!("array<{name}>")
                            } else {
                                name.clone()
                            };
                            format!("type = \"{ty}\"\noptional = true\ndescription = \"Back.\"\n")
                        } else {
                            field(&mut rng, &names, &mut consts)
                        };
                        fields.push_str(&format!("[types.{name}.fields.f_{j}]\n{body}\n"));
                    }
                    let empty = if fields.is_empty() {
                        "fields = {}\n"
                    } else {
                        ""
                    };
                    types.push_str(&format!(
                        "[types.{name}]\ndescription = \"An object.\"\n{empty}\n{fields}"
                    ));
                    objects.push(name.clone());
                    names.push(name);
                }
                6 | 7 => {
                    let name = format!("A{i}");
                    let ty = if rng.chance(25) {
                        // A recursive alias: a newtype.
                        format!("array<{name}>")
                    } else {
                        expr(&mut rng, &names, 0)
                    };
                    types.push_str(&format!(
                        "[types.{name}]\ntype = \"{ty}\"\ndescription = \"An alias.\"\n\n"
                    ));
                    names.push(name);
                }
                _ => {
                    let name = format!("E{i}");
                    let extensible = rng.chance(50);
                    types.push_str(&format!("[types.{name}]\nvalues = [\"a\", \"b\"]\nextensible = {extensible}\ndescription = \"An enum.\"\n\n"));
                    names.push(name);
                }
            }
        }
        for (i, payload) in objects.iter().enumerate() {
            out.push_str(&format!(
                "[[event]]\ncode = \"fam.e{i}\"\ntitle = \"Event {i}\"\npayload = \"{payload}\"\n\n"
            ));
        }
        out + &types
    }
}
