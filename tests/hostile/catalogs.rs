//! Hostile catalogs: bytes, structure, sizes, names and references that
//! must give a located catalog error (exit 2), or load when they are valid.

use std::path::Path;

use crate::{append, replace, Case};

const LINT: &[&str] = &["lint", "--catalog", "cat"];
const GENERATE: &[&str] = &["generate", "--catalog", "cat", "--out", "out"];

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn raw(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("cat/catalog.toml")).unwrap()
}

/// An example of `f.one` with this JSON (or `file = ...` line).
fn example(dir: &Path, body: &str) {
    let t = String::from_utf8(raw(dir)).unwrap();
    let at = t.find("[types.One]").unwrap();
    let with = format!(
        "{}[[event.example]]\nname = \"x\"\n{body}\n\n{}",
        &t[..at],
        &t[at..]
    );
    write(dir, "cat/catalog.toml", with.as_bytes());
}

fn field(dir: &Path, name: &str, body: &str) {
    append(
        dir,
        &format!("\n[types.One.fields.{name}]\n{body}\ndescription = \"x\"\n"),
    );
}

/// The cases.
pub const CASES: &[Case] = &[
    Case {
        name: "catalog: invalid UTF-8 is located at the first bad byte",
        setup: |d| {
            let mut b = raw(d);
            let at = b.windows(6).position(|w| w == b"\"One.\"").unwrap() + 1;
            b[at] = 0xFF;
            write(d, "cat/catalog.toml", &b);
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "UTF-8"],
    },
    Case {
        name: "catalog: a UTF-8 byte-order mark loads",
        setup: |d| {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(raw(d));
            write(d, "cat/catalog.toml", &b);
        },
        args: LINT,
        exit: 0,
        expect: &["hostile 1.0.0"],
    },
    Case {
        name: "catalog: CRLF line ends load",
        setup: |d| {
            let t = String::from_utf8(raw(d)).unwrap().replace('\n', "\r\n");
            write(d, "cat/catalog.toml", t.as_bytes());
        },
        args: LINT,
        exit: 0,
        expect: &["hostile 1.0.0"],
    },
    Case {
        name: "catalog: BOM and CRLF together load",
        setup: |d| {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(
                String::from_utf8(raw(d))
                    .unwrap()
                    .replace('\n', "\r\n")
                    .bytes(),
            );
            write(d, "cat/catalog.toml", &b);
        },
        args: LINT,
        exit: 0,
        expect: &["hostile 1.0.0"],
    },
    Case {
        name: "catalog: an empty folder",
        setup: |d| std::fs::remove_file(d.join("cat/catalog.toml")).unwrap(),
        args: LINT,
        exit: 2,
        expect: &["no `.toml` files", "[catalog]"],
    },
    Case {
        name: "catalog: a missing folder",
        setup: |_| {},
        args: &["lint", "--catalog", "nowhere"],
        exit: 2,
        expect: &["nowhere"],
    },
    Case {
        name: "catalog: --catalog names a file",
        setup: |_| {},
        args: &["lint", "--catalog", "cat/catalog.toml"],
        exit: 2,
        expect: &["cat/catalog.toml"],
    },
    Case {
        name: "catalog: an empty catalog.toml",
        setup: |d| write(d, "cat/catalog.toml", b""),
        args: LINT,
        exit: 2,
        expect: &["[catalog]"],
    },
    Case {
        name: "catalog: a symlink loop among its folders ends",
        setup: |d| {
            #[cfg(unix)]
            std::os::unix::fs::symlink("..", d.join("cat/loop")).unwrap();
        },
        args: LINT,
        exit: 0,
        expect: &["hostile 1.0.0"],
    },
    Case {
        name: "catalog: TOML nested 10,000 deep",
        setup: |d| {
            let deep = format!(
                "\n[x]\ndeep = {}{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            );
            append(d, &deep);
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a 50 MB string is refused with the limit",
        setup: |d| {
            let big = "a".repeat(50 << 20);
            replace(
                d,
                "description = \"One.\"",
                &format!("description = \"{big}\""),
            );
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml", "MiB"],
    },
    Case {
        name: "catalog: a type holding itself through a required field",
        setup: |d| field(d, "next", "type = \"One\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "contains itself forever: One -> One"],
    },
    Case {
        name: "catalog: two types holding each other through required fields",
        setup: |d| {
            field(d, "other", "type = \"Two\"");
            append(
                d,
                "\n[types.Two]\ndescription = \"x\"\n\n[types.Two.fields.back]\ntype = \"One\"\ndescription = \"x\"\n",
            );
        },
        args: LINT,
        exit: 2,
        expect: &["contains itself forever"],
    },
    Case {
        name: "catalog: recursion through an optional field loads",
        setup: |d| field(d, "next", "type = \"One\"\noptional = true"),
        args: GENERATE,
        exit: 0,
        expect: &[],
    },
    Case {
        name: "catalog: a 1,000-link alias chain is refused",
        setup: |d| {
            let mut t = String::new();
            for i in 0..1000 {
                t.push_str(&format!(
                    "\n[types.A{i}]\ntype = \"A{}\"\ndescription = \"x\"\n",
                    i + 1
                ));
            }
            t.push_str("\n[types.A1000]\ntype = \"string\"\ndescription = \"x\"\n");
            append(d, &t);
            field(d, "alias", "type = \"A0\"");
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "256"],
    },
    Case {
        name: "catalog: an alias cycle",
        setup: |d| {
            append(
                d,
                "\n[types.X]\ntype = \"Y\"\ndescription = \"x\"\n\n[types.Y]\ntype = \"X\"\ndescription = \"x\"\n",
            );
            field(d, "cyc", "type = \"X\"");
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a non-ASCII event code",
        setup: |d| replace(d, "code = \"f.one\"", "code = \"f.ünï\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:23:8", "not a valid event code"],
    },
    Case {
        name: "catalog: a 10,000-character event code",
        setup: |d| {
            let code = format!("f.{}", "a".repeat(10_000));
            replace(d, "code = \"f.one\"", &format!("code = \"{code}\""));
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:23:8", "200"],
    },
    Case {
        name: "catalog: an event code with a slash",
        setup: |d| replace(d, "code = \"f.one\"", "code = \"f.a/b\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:23:8"],
    },
    Case {
        name: "catalog: an event code with ..",
        setup: |d| replace(d, "code = \"f.one\"", "code = \"f...\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:23:8"],
    },
    Case {
        name: "catalog: a family id with .. and a slash",
        setup: |d| {
            replace(d, "id = \"f\"", "id = \"../x\"");
            replace(d, "code = \"f.one\"", "code = \"../x.one\"");
        },
        args: GENERATE,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a type name with a slash",
        setup: |d| {
            append(
                d,
                "\n[types.\"A/B\"]\ntype = \"string\"\ndescription = \"x\"\n",
            );
        },
        args: GENERATE,
        exit: 2,
        expect: &["cat/catalog.toml:", "A/B"],
    },
    Case {
        name: "catalog: a type name that is ..",
        setup: |d| {
            append(
                d,
                "\n[types.\"..\"]\ntype = \"string\"\ndescription = \"x\"\n",
            );
        },
        args: GENERATE,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        // A JSON key may hold anything: it loads, and (as for every case)
        // nothing is written outside `--out`.
        name: "catalog: a field name with a slash and .. stays a JSON key",
        setup: |d| field(d, "\"../../x\"", "type = \"string\"\noptional = true"),
        args: GENERATE,
        exit: 0,
        expect: &[],
    },
    Case {
        name: "catalog: Rust keywords as field names generate",
        setup: |d| {
            for k in [
                "type", "fn", "self", "crate", "async", "r#try", "super", "_",
            ] {
                field(d, &format!("\"{k}\""), "type = \"string\"\noptional = true");
            }
        },
        args: GENERATE,
        exit: 0,
        expect: &[],
    },
    Case {
        name: "catalog: fields `self` and `Self` collide in Rust, located",
        setup: |d| {
            field(d, "self", "type = \"string\"");
            field(d, "Self", "type = \"string\"");
        },
        args: GENERATE,
        exit: 2,
        expect: &["cat/catalog.toml:", "both become the Rust field"],
    },
    Case {
        name: "catalog: an example file outside the catalog is refused",
        setup: |d| {
            write(d, "outside.json", b"{\"secret\": \"TOPSECRET\"}");
            example(d, "file = \"../../outside.json\"");
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "outside"],
    },
    Case {
        name: "catalog: an absolute example file is refused",
        setup: |d| example(d, "file = \"/etc/passwd\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a missing example file",
        setup: |d| example(d, "file = \"examples/none.json\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "examples/none.json"],
    },
    Case {
        name: "catalog: a binary example file",
        setup: |d| {
            write(
                d,
                "cat/examples/bin.json",
                &[0, 159, 146, 150, 0xFF, 0xFE, 1, 2],
            );
            example(d, "file = \"examples/bin.json\"");
        },
        args: LINT,
        exit: 2,
        expect: &["bin.json"],
    },
    Case {
        name: "catalog: an example that is not JSON",
        setup: |d| example(d, "json = '''{\"code\": \"f.one\", '''"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: an example that breaks its schema",
        setup: |d| {
            example(
                d,
                "json = '''{\"code\": \"f.one\", \"data\": {\"name\": 5}}'''",
            )
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "/data/name"],
    },
    Case {
        name: "catalog: an invalid regex is located at its field",
        setup: |d| field(d, "p", "type = \"string\"\npattern = '^[0-9+$'"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "the `pattern` of field `p`"],
    },
    Case {
        name: "catalog: a look-behind regex is a load error at its field",
        setup: |d| field(d, "p", "type = \"string\"\npattern = '(?<=a)b'"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "look-around"],
    },
    Case {
        name: "catalog: a look-ahead regex is a load error",
        setup: |d| field(d, "p", "type = \"string\"\npattern = '^(?!x)'"),
        args: GENERATE,
        exit: 2,
        expect: &["cat/catalog.toml:", "look-around"],
    },
    Case {
        name: "catalog: a back-reference is a load error",
        setup: |d| field(d, "p", "type = \"string\"\npattern = '(a)\\1'"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "the `pattern` of field `p`"],
    },
    Case {
        name: "catalog: minimum above maximum",
        setup: |d| field(d, "n", "type = \"integer\"\nminimum = 5\nmaximum = 1"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "lower bound is above"],
    },
    Case {
        name: "catalog: min_length above max_length",
        setup: |d| field(d, "s", "type = \"string\"\nmin_length = 9\nmax_length = 2"),
        args: LINT,
        exit: 2,
        expect: &["lower bound is above"],
    },
    Case {
        name: "catalog: a nan bound",
        setup: |d| field(d, "n", "type = \"number\"\nmaximum = nan"),
        args: LINT,
        exit: 2,
        expect: &["finite"],
    },
    Case {
        name: "catalog: a constraint that does not fit its type",
        setup: |d| field(d, "b", "type = \"boolean\"\npattern = 'x'"),
        args: LINT,
        exit: 2,
        expect: &["apply to string fields"],
    },
    Case {
        name: "catalog: string constraints through a chain of aliases to a string format fit",
        setup: |d| {
            append(d, "\n[types.A2]\ndescription = \"x\"\ntype = \"A1\"\n");
            append(d, "\n[types.A1]\ndescription = \"x\"\ntype = \"uuid\"\n");
            field(d, "a", "type = \"A2\"\noptional = true\nmax_length = 40");
        },
        args: LINT,
        exit: 0,
        expect: &["hostile 1.0.0"],
    },
    Case {
        name: "catalog: a pattern through a chain of aliases to an integer does not fit",
        setup: |d| {
            append(d, "\n[types.N2]\ndescription = \"x\"\ntype = \"N1\"\n");
            append(d, "\n[types.N1]\ndescription = \"x\"\ntype = \"integer\"\n");
            field(d, "n", "type = \"N2\"\noptional = true\npattern = 'x'");
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "apply to string fields"],
    },
    Case {
        name: "catalog: an envelope field named like the undeclared payload in Rust",
        setup: |d| {
            replace(
                d,
                "[envelope.fields.data]\ndescription = \"The payload.\"\n",
                "[envelope.fields.Data]\ntype = \"string\"\noptional = true\ndescription = \"x\"\n",
            )
        },
        args: LINT,
        exit: 2,
        expect: &[
            "cat/catalog.toml:14:18",
            "payload field `data` (not declared, so added)",
        ],
    },
    Case {
        name: "catalog: an empty enum",
        setup: |d| {
            append(d, "\n[types.E]\nvalues = []\ndescription = \"x\"\n");
            field(d, "e", "type = \"E\"");
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a type expression nested 100 deep",
        setup: |d| {
            let t = format!("{}string{}", "array<".repeat(100), ">".repeat(100));
            field(d, "deep", &format!("type = \"{t}\""));
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "levels"],
    },
    Case {
        name: "catalog: an unknown type, with a suggestion",
        setup: |d| field(d, "u", "type = \"Onee\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "One"],
    },
    Case {
        name: "catalog: a misspelt key, with a suggestion",
        setup: |d| field(d, "m", "type = \"string\"\noptinal = true"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "did you mean `optional`"],
    },
    Case {
        name: "catalog: a TOML syntax error",
        setup: |d| append(d, "\n[types.Broken\n"),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a duplicate TOML key",
        setup: |d| replace(d, "title = \"One\"", "title = \"One\"\ntitle = \"Two\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: a duplicate event code",
        setup: |d| {
            append(
                d,
                "\n[[event]]\ncode = \"f.one\"\ntitle = \"Again\"\npayload = \"One\"\ndescription = \"x\"\n",
            );
        },
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:", "f.one"],
    },
    Case {
        name: "catalog: [catalog] declared in two files",
        setup: |d| {
            write(
                d,
                "cat/other.toml",
                b"[catalog]\nname = \"again\"\nversion = \"1.0.0\"\ntitle = \"x\"\n",
            );
        },
        args: LINT,
        exit: 2,
        expect: &["other.toml"],
    },
    Case {
        name: "catalog: a payload that is not an object type",
        setup: |d| replace(d, "payload = \"One\"", "payload = \"string\""),
        args: LINT,
        exit: 2,
        expect: &["cat/catalog.toml:"],
    },
    Case {
        name: "catalog: NUL and control characters in texts generate",
        setup: |d| {
            replace(
                d,
                "description = \"One.\"",
                "description = \"a\\u0000b\\u001bc\"",
            )
        },
        args: GENERATE,
        exit: 0,
        expect: &[],
    },
];

#[test]
fn hostile_catalogs() {
    crate::run_cases(CASES);
}
