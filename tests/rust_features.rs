//! The generated crate's per-family cargo features (generated/rust, the
//! default catalog): it compiles warning-free with no family and with each
//! family alone, and a consumer that enables one family gets the other
//! families' events as `Event::Unknown`, their payload kept.
//!
//! Builds run `cargo` in a target dir of their own under
//! `CARGO_TARGET_TMPDIR` (the dependencies are built once there).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("family-features")
}

fn cargo(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn families() -> Vec<String> {
    let catalog = eventcat::codegen::load(root().join("schema"))
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    catalog.families.iter().map(|f| f.id.clone()).collect()
}

#[test]
fn the_crate_compiles_with_each_family_alone_and_with_none() {
    let manifest = root().join("Cargo.toml");
    let manifest = manifest.to_str().unwrap();
    let families = families();
    assert!(
        families.len() >= 2,
        "the default catalog has several families"
    );
    let mut sets: Vec<Option<String>> = vec![None];
    sets.extend(families.into_iter().map(Some));
    for set in &sets {
        let mut args = vec![
            "check",
            "--locked",
            "--quiet",
            "--manifest-path",
            manifest,
            "-p",
            "identity-webhooks-events",
            "--no-default-features",
        ];
        if let Some(f) = set {
            args.extend(["--features", f.as_str()]);
        }
        let out = cargo(&args, &root());
        assert!(
            out.status.success(),
            "cargo {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A consumer depending on `sso_saml` only: an `sso_saml` event is typed, a
/// `dir_sync` one is `Event::Unknown` with its code and payload, and
/// `EventCode` and `Selector` still know every code.
#[test]
fn a_disabled_familys_events_arrive_as_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let generated = root().join("generated/rust");
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!(
            "[package]\nname = \"one-family\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\nserde_json = \"1\"\n\
             identity-webhooks-events = {{ path = {:?}, default-features = false, features = [\"sso_saml\"] }}\n",
            generated.to_str().unwrap()
        ),
    )
    .unwrap();
    // The workspace's versions, so the build needs nothing new.
    std::fs::copy(root().join("Cargo.lock"), dir.path().join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.path().join("src/main.rs"),
        r#"
use identity_webhooks_events::{Envelope, Event, EventCode, Selector};

fn main() {
    let body = std::io::read_to_string(std::io::stdin()).unwrap();
    for line in body.lines() {
        let envelope: Envelope = serde_json::from_str(line).unwrap();
        let kind = match &envelope.data {
            Event::Unknown(u) => format!("unknown {} {}", u.code, u.data["__type__"]),
            other => format!("typed {}", other.code_str()),
        };
        let known: EventCode = envelope.data.code_str().parse().unwrap();
        let selected = "dir_sync.all".parse::<Selector>().unwrap().matches_event(&envelope.data);
        println!("{kind} | family {} | dir_sync.all {selected}", known.family());
    }
}
"#,
    )
    .unwrap();
    let catalog = eventcat::codegen::load(root().join("schema"))
        .unwrap_or_else(|d| panic!("{}", d.render(false)));
    let first = |family: &str| {
        let e = catalog
            .events
            .iter()
            .find(|e| e.family == family && !e.examples.is_empty())
            .expect("an event with an example");
        (
            e.code.clone(),
            serde_json::to_string(&e.examples[0].value).unwrap(),
        )
    };
    let (dir_code, dir_example) = first("dir_sync");
    let (sso_code, sso_example) = first("sso_saml");
    let build = cargo(&["build", "--quiet"], dir.path());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let bin = target_dir().join("debug/one-family");
    let mut child = Command::new(bin)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{dir_example}\n{sso_example}").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let dir_type =
        catalog.event(&dir_code).unwrap().examples[0].value["data"]["__type__"].to_string();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "unknown {dir_code} {dir_type} | family dir_sync | dir_sync.all true\n\
             typed {sso_code} | family sso_saml | dir_sync.all false\n"
        )
    );
}
