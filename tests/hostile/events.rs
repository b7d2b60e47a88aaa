//! Hostile captured events for `eventcat validate`: bytes, sizes, depths and
//! numbers that must be reported at their line (and JSON pointer) while the
//! rest of the input is still checked.

use std::path::Path;

use crate::Case;

const GOOD: &str = r#"{"code":"f.one","data":{"name":"x"}}"#;
const VALIDATE: &[&str] = &["validate", "--catalog", "cat", "e.ndjson"];

fn write(dir: &Path, bytes: &[u8]) {
    std::fs::write(dir.join("e.ndjson"), bytes).unwrap();
}

/// `lines` joined by `\n`, with a final newline.
fn lines(dir: &Path, lines: &[&[u8]]) {
    let mut b = Vec::new();
    for l in lines {
        b.extend_from_slice(l);
        b.push(b'\n');
    }
    write(dir, &b);
}

/// A good event, then `bad`, then a good event and a last invalid one, so a
/// case shows that what follows the hostile line is still read.
fn sandwich(dir: &Path, bad: &[u8]) {
    lines(
        dir,
        &[
            GOOD.as_bytes(),
            bad,
            GOOD.as_bytes(),
            br#"{"code":"f.one","data":{"name":7}}"#,
        ],
    );
}

/// The cases.
pub const CASES: &[Case] = &[
    Case {
        name: "events: invalid UTF-8 in a line",
        setup: |d| sandwich(d, b"{\"code\":\"f.one\",\"data\":{\"name\":\"\xFF\xFE\"}}"),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: a byte-order mark at the start",
        setup: |d| {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend_from_slice(GOOD.as_bytes());
            b.push(b'\n');
            write(d, &b);
        },
        args: VALIDATE,
        exit: 0,
        expect: &["checked 1 event"],
    },
    Case {
        name: "events: CRLF line ends",
        setup: |d| write(d, format!("{GOOD}\r\n{GOOD}\r\n").as_bytes()),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 2 events"],
    },
    Case {
        name: "events: no final newline",
        setup: |d| write(d, format!("{GOOD}\n{GOOD}").as_bytes()),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 2 events"],
    },
    Case {
        name: "events: JSON nested 100,000 deep",
        setup: |d| {
            let deep = format!(
                "{{\"code\":\"f.one\",\"data\":{{\"name\":{}{}}}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            );
            sandwich(d, deep.as_bytes());
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: objects nested 100,000 deep at the top",
        setup: |d| {
            let deep = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
            sandwich(d, deep.as_bytes());
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: a 200 MB line is reported and skipped",
        setup: |d| {
            let big = format!(
                "{{\"code\":\"f.one\",\"data\":{{\"name\":\"{}\"}}}}",
                "a".repeat(200 << 20)
            );
            sandwich(d, big.as_bytes());
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "MiB", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: 1e400",
        setup: |d| sandwich(d, br#"{"code":"f.one","data":{"name":"x","count":1e400}}"#),
        args: VALIDATE,
        exit: 1,
        // serde_json cannot hold it: reported at its line and column.
        expect: &["e.ndjson:2:", "number out of range at column 48"],
    },
    Case {
        name: "events: 2^64",
        setup: |d| {
            sandwich(
                d,
                br#"{"code":"f.one","data":{"name":"x","count":18446744073709551616}}"#,
            )
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2: f.one: /data/count", "18446744073709551616"],
    },
    Case {
        name: "events: -2^63 - 1",
        setup: |d| {
            sandwich(
                d,
                br#"{"code":"f.one","data":{"name":"x","count":-9223372036854775809}}"#,
            )
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2: f.one: /data/count"],
    },
    Case {
        name: "events: an integer written 1.0 is an integer",
        setup: |d| lines(d, &[br#"{"code":"f.one","data":{"name":"x","count":1.0}}"#]),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 1 event"],
    },
    Case {
        name: "events: a 10,000-digit number",
        setup: |d| {
            let n = format!(
                "{{\"code\":\"f.one\",\"data\":{{\"name\":\"x\",\"count\":{}}}}}",
                "9".repeat(10_000)
            );
            sandwich(d, n.as_bytes());
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "number out of range"],
    },
    Case {
        name: "events: duplicate keys",
        setup: |d| sandwich(d, br#"{"code":"f.one","data":{"name":"x","name":"y"}}"#),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2: f.one: /data/name"],
    },
    Case {
        name: "events: a duplicate discriminator",
        setup: |d| sandwich(d, br#"{"code":"f.one","code":"f.two","data":{"name":"x"}}"#),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "/code"],
    },
    Case {
        name: "events: a raw NUL byte",
        setup: |d| sandwich(d, b"{\"code\":\"f.one\",\"data\":{\"name\":\"a\x00b\"}}"),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: an escaped NUL is a valid string",
        setup: |d| lines(d, &[br#"{"code":"f.one","data":{"name":"a\u0000b"}}"#]),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 1 event"],
    },
    Case {
        name: "events: a lone surrogate escape",
        setup: |d| sandwich(d, br#"{"code":"f.one","data":{"name":"\ud800"}}"#),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: an empty file fails --min-events",
        setup: |d| write(d, b""),
        args: VALIDATE,
        exit: 1,
        expect: &["fewer than --min-events 1"],
    },
    Case {
        name: "events: only white space",
        setup: |d| write(d, b"\n\n   \n\t\r\n"),
        args: VALIDATE,
        exit: 1,
        expect: &["checked 0 events"],
    },
    Case {
        name: "events: random binary bytes",
        setup: |d| {
            let mut x: u32 = 0x1234_5678;
            let bytes: Vec<u8> = (0..100_000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            write(d, &bytes);
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:"],
    },
    Case {
        name: "events: a truncated last event",
        setup: |d| {
            write(
                d,
                format!("{GOOD}\n{{\"code\":\"f.one\",\"data\":{{").as_bytes(),
            )
        },
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "never closes"],
    },
    Case {
        name: "events: a bare number line",
        setup: |d| sandwich(d, b"42"),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "e.ndjson:4: f.one: /data/name"],
    },
    Case {
        name: "events: the discriminator after the payload",
        setup: |d| lines(d, &[br#"{"data":{"name":"x"},"code":"f.one"}"#]),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 1 event"],
    },
    Case {
        name: "events: no discriminator",
        setup: |d| sandwich(d, br#"{"data":{"name":"x"}}"#),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "/code"],
    },
    Case {
        name: "events: a discriminator that is a number",
        setup: |d| sandwich(d, br#"{"code":7,"data":{"name":"x"}}"#),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2:", "/code"],
    },
    Case {
        name: "events: an unknown code",
        setup: |d| sandwich(d, br#"{"code":"f.onee","data":{"name":"x"}}"#),
        args: VALIDATE,
        exit: 1,
        expect: &["e.ndjson:2: f.onee: /code", "did you mean `f.one`"],
    },
    Case {
        name: "events: 100,000 undeclared keys",
        setup: |d| {
            let mut e = String::from(r#"{"code":"f.one","data":{"name":"x""#);
            for i in 0..100_000 {
                e.push_str(&format!(",\"k{i}\":{i}"));
            }
            e.push_str("}}");
            sandwich(d, e.as_bytes());
        },
        args: VALIDATE,
        exit: 1,
        expect: &[
            "e.ndjson:2: f.one: /data/k0",
            "e.ndjson:4: f.one: /data/name",
        ],
    },
    Case {
        name: "events: a JSON array of events",
        setup: |d| write(d, format!("[{GOOD},\n{GOOD}]\n").as_bytes()),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 2 events"],
    },
    Case {
        name: "events: concatenated events without newlines",
        setup: |d| write(d, format!("{GOOD}{GOOD}{GOOD}\n").as_bytes()),
        args: VALIDATE,
        exit: 0,
        expect: &["checked 3 events"],
    },
    Case {
        name: "events: an unreadable input among good ones",
        setup: |d| lines(d, &[GOOD.as_bytes()]),
        args: &["validate", "--catalog", "cat", "missing.ndjson", "e.ndjson"],
        exit: 2,
        expect: &[
            "cannot read `missing.ndjson`",
            "checked 1 event from 2 inputs",
        ],
    },
    Case {
        name: "events: a folder with a symlink loop",
        setup: |d| {
            std::fs::create_dir(d.join("in")).unwrap();
            std::fs::write(d.join("in/a.ndjson"), format!("{GOOD}\n")).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink("..", d.join("in/loop")).unwrap();
        },
        args: &["validate", "--catalog", "cat", "in"],
        exit: 0,
        expect: &["checked 1 event from 1 input"],
    },
    Case {
        name: "events: a 10 MB string is fine",
        setup: |d| {
            let e = format!(
                "{{\"code\":\"f.one\",\"data\":{{\"name\":\"{}\"}}}}",
                "é".repeat(5 << 20)
            );
            lines(d, &[e.as_bytes()]);
        },
        args: VALIDATE,
        exit: 0,
        expect: &["checked 1 event"],
    },
];

#[test]
fn hostile_events() {
    crate::run_cases(CASES);
}
