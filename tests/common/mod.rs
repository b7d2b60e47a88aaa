//! Helpers shared by the end-to-end tests: running the `eventcat` binary,
//! git in a scratch repository, copying catalog folders. Each test binary
//! uses a subset (`mod common;`).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the `eventcat` binary built for these tests in `dir`, colours off.
pub fn eventcat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Bytes as text (lossy).
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs git in `dir` with a fixed identity and no user or system config;
/// panics with git's message when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

/// Copies the folder `from` to `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// Runs the `eventcat` binary in the crate folder with `stdin` piped in (fed
/// from a thread, so large inputs and outputs cannot deadlock), colours off.
pub fn eventcat_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let out = child.wait_with_output().unwrap();
    match writer.join().unwrap() {
        Ok(()) => {}
        // The command may stop reading early (an error, a closed input).
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => panic!("writing stdin: {e}"),
    }
    out
}

/// The consumer reading of a schema: every extensible enum (marked
/// `x-extensible: true`) accepts any string.
pub fn open_extensible_enums(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if map.get("x-extensible") == Some(&Value::Bool(true)) {
                map.remove("enum");
            }
            map.values_mut().for_each(open_extensible_enums);
        }
        Value::Array(items) => items.iter_mut().for_each(open_extensible_enums),
        _ => {}
    }
}

/// eventcat's `local-date-time` format (RFC 3339 `date-time` without the
/// offset) for boon, the independent JSON Schema judge: checked by boon's
/// own `date-time` checker on the text with `Z` appended, so it shares no
/// code with eventcat.
pub fn boon_local_date_time(v: &serde_json::Value) -> Result<(), Box<dyn std::error::Error>> {
    use serde_json::Value;
    use std::sync::OnceLock;
    let Value::String(s) = v else { return Ok(()) };
    static DT: OnceLock<(boon::Schemas, boon::SchemaIndex)> = OnceLock::new();
    let (schemas, idx) = DT.get_or_init(|| {
        let mut c = boon::Compiler::new();
        c.enable_format_assertions();
        c.add_resource(
            "urn:judge:date-time",
            serde_json::json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "format": "date-time"}),
        )
        .unwrap();
        let mut schemas = boon::Schemas::new();
        let idx = c.compile("urn:judge:date-time", &mut schemas).unwrap();
        (schemas, idx)
    });
    let time = s.split_once(['T', 't']).map(|(_, t)| t).unwrap_or("");
    if time.contains(['Z', 'z', '+', '-']) {
        return Err("a local date-time has no offset".into());
    }
    schemas
        .validate(&Value::String(format!("{s}Z")), *idx)
        .map_err(|e| e.to_string().into())
}
