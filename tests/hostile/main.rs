//! The hostile-input corpus (issue #16): catalogs, events and output folders
//! an attacker or an unlucky CI machine brings. Each case builds its input
//! in a fresh folder, runs the real binary (killed if it runs over 60 s),
//! and asserts the exit code, the location or reason in the message, and
//! that nothing panicked, overflowed its stack or died from a signal.
//!
//! The cases are tables: [`catalogs::CASES`], [`events::CASES`],
//! [`outputs::CASES`]; the fault cases that need more than one command (two
//! `generate` at once, `kill -9` in the middle of one) are tests of their
//! own in [`outputs`].

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod catalogs;
mod events;
mod fuzz;
mod outputs;

/// One hostile input.
pub struct Case {
    /// What it is.
    pub name: &'static str,
    /// Writes the input into the case's folder (which holds a valid small
    /// catalog at `cat/`, see [`BASE`]).
    pub setup: fn(&Path),
    /// The command, run in the case's folder.
    pub args: &'static [&'static str],
    /// The exit code it must end with.
    pub exit: i32,
    /// Texts its stdout + stderr must contain (locations, reasons).
    pub expect: &'static [&'static str],
}

/// A valid one-family catalog the cases break.
pub const BASE: &str = r#"[catalog]
name = "hostile"
version = "1.0.0"
title = "Hostile"
description = "A small catalog that the corpus breaks."

[envelope]
discriminator = "code"
payload = "data"

[envelope.fields.code]
description = "The code."

[envelope.fields.data]
description = "The payload."

[family]
id = "f"
title = "F"
description = "F."

[[event]]
code = "f.one"
title = "One"
payload = "One"
description = "One."

[types.One]
description = "One."

[types.One.fields.name]
type = "string"
description = "A name."

[types.One.fields.count]
type = "integer"
optional = true
description = "A count."
"#;

/// Writes [`BASE`] to `dir/cat/catalog.toml` and returns `dir/cat`.
pub fn base(dir: &Path) -> PathBuf {
    let cat = dir.join("cat");
    std::fs::create_dir_all(&cat).unwrap();
    std::fs::write(cat.join("catalog.toml"), BASE).unwrap();
    cat
}

/// Copies a catalog folder (flat or nested) to `to`.
pub fn catalogs_copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            catalogs_copy(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Appends `text` to the base catalog.
pub fn append(dir: &Path, text: &str) {
    let p = dir.join("cat/catalog.toml");
    let mut t = std::fs::read_to_string(&p).unwrap();
    t.push_str(text);
    std::fs::write(p, t).unwrap();
}

/// Replaces `from` by `to` in the base catalog (which must contain it).
pub fn replace(dir: &Path, from: &str, to: &str) {
    let p = dir.join("cat/catalog.toml");
    let t = std::fs::read_to_string(&p).unwrap();
    assert!(t.contains(from), "the catalog holds no {from:?}");
    std::fs::write(p, t.replacen(from, to, 1)).unwrap();
}

/// Runs eventcat in `dir`, reading its output as it comes, and kills it
/// after `limit` (a hang is a failure).
pub fn run_bounded(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut b = Vec::new();
            let _ = r.read_to_end(&mut b);
            b
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            let _ = child.wait();
            panic!(
                "eventcat {args:?} hung (killed after {limit:?}): {}",
                String::from_utf8_lossy(&err.join().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Both streams, lossily decoded.
pub fn all_text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The process ended by itself, with an exit code, and printed no panic.
pub fn assert_no_crash(what: &str, out: &Output) {
    let text = all_text(out);
    assert!(
        out.status.code().is_some(),
        "{what}: killed by a signal ({:?}): {text}",
        out.status
    );
    for sign in ["panicked at", "RUST_BACKTRACE", "stack overflow", "SIGSEGV"] {
        assert!(
            !text.contains(sign),
            "{what}: `{sign}` in the output: {text}"
        );
    }
}

/// The names in `dir`, and in `dir/cat`, as `name` and `cat/name`.
fn entries(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    if let Ok(rd) = std::fs::read_dir(dir.join("cat")) {
        out.extend(rd.map(|e| format!("cat/{}", e.unwrap().file_name().to_string_lossy())));
    }
    out.sort();
    out
}

/// Runs every case of `cases`, all of them even when one fails, and fails
/// with the list of those that did.
pub fn run_cases(cases: &[Case]) {
    let mut failed = Vec::new();
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        base(dir.path());
        (case.setup)(dir.path());
        let before = entries(dir.path());
        let out = run_bounded(dir.path(), case.args, Duration::from_secs(60));
        let after = entries(dir.path());
        let result = std::panic::catch_unwind(|| {
            // Nothing appears outside `--out` (and the folder's parent is a
            // fresh temporary folder, so `..` escapes would show here).
            let new: Vec<&String> = after
                .iter()
                .filter(|e| !before.contains(*e) && *e != "out")
                .collect();
            assert!(
                new.is_empty(),
                "{}: wrote outside --out: {new:?}",
                case.name
            );
            assert_no_crash(case.name, &out);
            let text = all_text(&out);
            assert_eq!(
                out.status.code(),
                Some(case.exit),
                "{}: exit code; output:\n{text}",
                case.name
            );
            for e in case.expect {
                assert!(text.contains(e), "{}: no {e:?} in:\n{text}", case.name);
            }
        });
        if let Err(e) = result {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failed.push(msg);
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n\n")
    );
}

#[test]
fn the_corpus_has_at_least_sixty_cases() {
    let n = catalogs::CASES.len() + events::CASES.len() + outputs::CASES.len();
    assert!(n >= 60, "{n} cases");
    let mut names: Vec<&str> = catalogs::CASES
        .iter()
        .chain(events::CASES)
        .chain(outputs::CASES)
        .map(|c| c.name)
        .collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "two cases share a name");
}

/// Writes the input of every case to `$EVENTCAT_HOSTILE_DUMP/<table>-<n>/`
/// (the folder the case runs in: its catalog in `cat/`, its name and
/// command in `case.txt`) without running it, so that two builds of
/// eventcat can be compared on the same inputs:
/// `EVENTCAT_HOSTILE_DUMP=DIR cargo test --test hostile -- --ignored dump_cases`.
#[test]
#[ignore = "writes the corpus to $EVENTCAT_HOSTILE_DUMP, for comparing builds"]
fn dump_cases() {
    let Some(out) = std::env::var_os("EVENTCAT_HOSTILE_DUMP") else {
        return;
    };
    let tables = [
        ("catalogs", catalogs::CASES),
        ("events", events::CASES),
        ("outputs", outputs::CASES),
    ];
    for (table, cases) in tables {
        for (i, case) in cases.iter().enumerate() {
            let dir = Path::new(&out).join(format!("{table}-{i:03}"));
            std::fs::create_dir_all(&dir).unwrap();
            base(&dir);
            (case.setup)(&dir);
            let about = format!("{}\n{:?}\n", case.name, case.args);
            std::fs::write(dir.join("case.txt"), about).unwrap();
        }
    }
}
