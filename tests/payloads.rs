//! The documented payloads (`tests/payloads/*.json`, reconstructed from the
//! provider's documentation; `tests/payloads/README.md` names the source
//! paragraph of each) are the test of the default catalog: each passes
//! `eventcat validate`, is accepted by an independent JSON Schema 2020-12
//! validator (boon) on the emitted schema of its code, deserializes into the
//! generated Rust type of its code and serializes back to the same JSON (key
//! order aside).

use std::path::{Path, PathBuf};

use identity_webhooks_events::{Envelope, Event};
use serde_json::Value;

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn payloads() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("tests/payloads"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_payload_names_its_source() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("tests/payloads/README.md")).unwrap();
    let files = payloads();
    assert!(files.len() >= 4, "the four documented payloads at least");
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        assert!(
            readme.contains(&format!("| `{name}` |")),
            "{name} has no row in tests/payloads/README.md"
        );
    }
}

#[test]
fn documented_payloads_pass_validate() {
    let out = common::eventcat(Path::new(ROOT), &["validate", "tests/payloads"]);
    let stderr = common::text(&out.stderr);
    let stdout = common::text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "validate rejects a documented payload:\n{stdout}\n{stderr}"
    );
    let n = payloads().len();
    assert!(
        stderr.contains(&format!(
            "checked {n} events from {n} inputs: {n} valid, 0 invalid"
        )),
        "{stderr}"
    );
}

#[test]
fn documented_payloads_pass_an_independent_validator() {
    for f in payloads() {
        let event: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let code = event["code"].as_str().unwrap();
        let schema_file = Path::new(ROOT).join(format!("generated/json-schema/{code}.schema.json"));
        let mut schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&schema_file).unwrap()).unwrap();
        schema.as_object_mut().unwrap().remove("$id");
        let mut c = boon::Compiler::new();
        c.enable_format_assertions();
        c.register_format(boon::Format {
            name: "local-date-time",
            func: common::boon_local_date_time,
        });
        c.add_resource("urn:payload", schema).unwrap();
        let mut schemas = boon::Schemas::new();
        let idx = c.compile("urn:payload", &mut schemas).unwrap();
        if let Err(e) = schemas.validate(&event, idx) {
            panic!("{}: boon rejects it: {e:#}", f.display());
        }
    }
}

#[test]
fn documented_payloads_round_trip_through_the_rust_types() {
    for f in payloads() {
        let text = std::fs::read_to_string(&f).unwrap();
        let input: Value = serde_json::from_str(&text).unwrap();
        let env: Envelope = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: does not deserialize: {e}", f.display()));
        assert!(
            !matches!(env.data, Event::Unknown(_)),
            "{}: landed in Event::Unknown",
            f.display()
        );
        assert_eq!(
            env.data.code_str(),
            input["code"].as_str().unwrap(),
            "{}",
            f.display()
        );
        let back = serde_json::to_value(&env).unwrap();
        // serde_json's map (indexmap) compares without regard to key order.
        assert_eq!(
            back,
            input,
            "{}: serializes back to other JSON",
            f.display()
        );
    }
}
