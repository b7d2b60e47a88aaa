//! The Rust emitter: snapshots of the generated code (default catalog and
//! the edge-case catalogs in tests/catalogs/edge), `cargo fmt` leaving the crate alone,
//! `eventcat generate` idempotence, and the behaviour of the generated types
//! of the default catalog (`generated/rust`, a dev-dependency): every
//! example round-trips through its typed variant, unknown codes, fields and
//! values, constants, absent vs null, selectors.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use eventcat::codegen::emit::rust::{self, Derive, Options};
use eventcat::codegen::Catalog;
use identity_webhooks_events as ev;
use serde_json::{json, Value};

const EDGE: [&str; 3] = ["keywords", "recursion", "wire"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(dir: &Path) -> Catalog {
    eventcat::codegen::load(dir).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

fn default_catalog() -> Catalog {
    load(&root().join("schema"))
}

fn edge_catalog(name: &str) -> Catalog {
    load(&root().join("tests/catalogs/edge").join(name))
}

const ALL_DERIVES: Options = Options {
    schemars: Derive::Always,
    proptest: Derive::Always,
};

// ------------------------------------------------------------ snapshots

#[test]
fn snapshot_edge_catalogs() {
    for name in EDGE {
        let text = rust::module(&edge_catalog(name), &ALL_DERIVES);
        insta::assert_snapshot!(format!("edge_{name}"), text);
    }
}

/// The checked-in crate is what the emitter produces (the same check as
/// `eventcat generate --check`, for the Rust files): `generated/rust` is the
/// default catalog's snapshot, kept once.
#[test]
fn checked_in_crate_is_up_to_date() {
    let files = rust::emit(&default_catalog());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["rust/Cargo.toml", "rust/src/lib.rs"]);
    for f in files {
        let on_disk = std::fs::read_to_string(root().join("generated").join(&f.path)).unwrap();
        assert!(
            on_disk == f.contents,
            "generated/{} is stale: run `cargo run -- generate`",
            f.path
        );
    }
}

/// The generated code is formatted by eventcat itself (prettyplease), the
/// same bytes on every machine, whether rustfmt is installed or not; the
/// crate root tells rustfmt to leave it alone, so `cargo fmt` in a
/// workspace holding `generated/rust` changes nothing and `generate
/// --check` stays green. Without the attribute rustfmt would reformat it
/// (checked, so this test cannot pass by rustfmt ignoring the file).
#[test]
fn cargo_fmt_leaves_the_generated_crate_alone() {
    let dir = tempfile::tempdir().unwrap();
    let lib = rust::emit(&default_catalog())[1].contents.clone();
    assert!(lib.contains("#![cfg_attr(rustfmt, rustfmt::skip)]"));
    let rustfmt_check = |text: &str| {
        let path = dir.path().join("lib.rs");
        std::fs::write(&path, text).unwrap();
        let out = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
            .args(["--edition", "2021", "--check"])
            .arg(&path)
            .output()
            .expect("rustfmt is installed (rustup component add rustfmt)");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (ok, diff) = rustfmt_check(&lib);
    assert!(ok, "rustfmt would change the generated crate:\n{diff}");
    let (ok, _) = rustfmt_check(&lib.replace("#![cfg_attr(rustfmt, rustfmt::skip)]", ""));
    assert!(!ok, "without the attribute rustfmt would reformat the file");
}

#[test]
fn emitting_twice_gives_the_same_bytes() {
    let c = default_catalog();
    assert_eq!(rust::emit(&c), rust::emit(&c));
    let e = edge_catalog("recursion");
    assert_eq!(
        rust::module(&e, &ALL_DERIVES),
        rust::module(&e, &ALL_DERIVES)
    );
}

/// Each code's description is in the crate once, on its `EventCode`
/// variant; its `Event` variant has one doc line linking there.
#[test]
fn each_code_is_documented_once() {
    let c = default_catalog();
    let text = rust::module(&c, &ALL_DERIVES);
    for e in &c.events {
        let summary = format!("/// `{}`: ", e.code);
        let docs: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with(&summary))
            .collect();
        let variant = eventcat::codegen::naming::pascal_case(&e.code);
        let link = format!("[`EventCode::{variant}`].");
        assert_eq!(docs.len(), 2, "{}: {docs:?}", e.code);
        assert!(docs[0].ends_with(&link), "{}: {}", e.code, docs[0]);
        if let Some(first) = e.description.lines().find(|l| !l.trim().is_empty()) {
            let line = format!("/// {}", first.trim_end());
            let n = text.lines().filter(|l| l.trim() == line).count();
            assert_eq!(n, 1, "{}: `{line}` appears {n} times", e.code);
        }
    }
}

// ------------------------------------------------------------ generate

fn generate(out: &Path, check: bool) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eventcat"));
    cmd.arg("generate")
        .arg("--catalog")
        .arg(root().join("schema"))
        .arg("--out")
        .arg(out);
    if check {
        cmd.arg("--check");
    }
    cmd.output().unwrap()
}

fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let meta = entry.metadata().unwrap();
                out.push((
                    path.clone(),
                    std::fs::read(&path).unwrap(),
                    meta.modified().unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// A second `generate` changes no file's bytes or modification time, and
/// `--check` passes; a stale Rust file makes `--check` exit 1 and name it.
#[test]
fn generate_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = generate(dir.path(), false);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot_dir(dir.path());
    assert!(before
        .iter()
        .any(|(p, _, _)| p.ends_with("rust/src/lib.rs")));
    // Give a rewrite a chance to show in coarse-grained modification times.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = generate(dir.path(), false);
    assert!(second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(
        said.starts_with("up to date, ") && said.lines().count() == 1,
        "second run reported changes: {said}"
    );
    assert_eq!(
        before,
        snapshot_dir(dir.path()),
        "a second run changed bytes or mtimes"
    );
    assert!(generate(dir.path(), true).status.success());

    let lib = dir.path().join("rust/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        text.replace("pub enum Event {", "pub enum Event { Extra,"),
    )
    .unwrap();
    let check = generate(dir.path(), true);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("rust/src/lib.rs: stale"));
}

// ------------------------------------------------------------ generated types

/// Every example of the default catalog deserializes into its typed variant
/// (not `Unknown`) and serializes back to equal JSON.
#[test]
fn every_example_round_trips_through_its_typed_variant() {
    let catalog = default_catalog();
    let mut n = 0;
    for event in &catalog.events {
        for ex in &event.examples {
            let envelope: ev::Envelope = serde_json::from_value(ex.value.clone())
                .unwrap_or_else(|e| panic!("example of {} does not deserialize: {e}", event.code));
            let code = ev::EventCode::from_str(&event.code).unwrap();
            assert_eq!(
                envelope.code(),
                Some(code),
                "{} came out as {:?}",
                event.code,
                envelope.data
            );
            assert!(!matches!(envelope.data, ev::Event::Unknown(_)));
            let back = serde_json::to_value(&envelope).unwrap();
            assert_eq!(
                back, ex.value,
                "example of {} does not serialize back equal",
                event.code
            );
            n += 1;
        }
    }
    assert!(n >= catalog.events.len() / 2, "only {n} examples");
    eprintln!(
        "{n} examples of {} codes round-tripped",
        catalog.events.len()
    );
}

fn example(code: &str) -> Value {
    default_catalog()
        .event(code)
        .and_then(|e| e.examples.first())
        .map(|e| e.value.clone())
        .unwrap_or_else(|| panic!("no example for {code}"))
}

fn parse(v: &Value) -> Result<ev::Envelope, serde_json::Error> {
    serde_json::from_value(v.clone())
}

/// `Event::Unknown` payloads are forwarded unchanged, doubles included
/// (the generated crate enables serde_json's `float_roundtrip`).
#[test]
fn unknown_payload_doubles_round_trip_exactly() {
    let text = r#"{"__type__":"Event","__domain__":"acme-corp","__environment__":"sandbox","code":"dir_sync.user.suspend.success","data":{"x":-488345.92435013363}}"#;
    let envelope: ev::Envelope = serde_json::from_str(text).unwrap();
    let back: Value = serde_json::from_str(&serde_json::to_string(&envelope).unwrap()).unwrap();
    let want: f64 = "-488345.92435013363".parse().unwrap();
    assert_eq!(back["data"]["x"].as_f64(), Some(want));
    assert!(
        std::fs::read_to_string(root().join("generated/rust/Cargo.toml"))
            .unwrap()
            .contains("float_roundtrip"),
        "the generated crate enables float_roundtrip"
    );
}

#[test]
fn unknown_code_reaches_the_fallback_with_its_payload() {
    let body = json!({
        "__type__": "Event", "__domain__": "acme-corp", "__environment__": "sandbox",
        "code": "dir_sync.user.suspend.success", "data": {"anything": [1, 2]}
    });
    let envelope = parse(&body).unwrap();
    assert_eq!(envelope.code(), None);
    match &envelope.data {
        ev::Event::Unknown(u) => {
            assert_eq!(u.code, "dir_sync.user.suspend.success");
            assert_eq!(u.data, json!({"anything": [1, 2]}));
        }
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(serde_json::to_value(&envelope).unwrap(), body);
    // A selector still matches it by family.
    assert!(ev::Selector::from_str("dir_sync.all")
        .unwrap()
        .matches_event(&envelope.data));
    assert!(!ev::Selector::from_str("sso_saml.all")
        .unwrap()
        .matches_event(&envelope.data));
}

#[test]
fn unknown_fields_are_ignored() {
    let mut body = example("dir_sync.user.update.success");
    body["__new_envelope_field__"] = json!(1);
    body["data"]["new_payload_field"] = json!({"x": true});
    body["data"]["resource"]["changes"]["new_values"]["new_attr"] = json!("y");
    let envelope = parse(&body).unwrap();
    assert_eq!(
        serde_json::to_value(&envelope).unwrap(),
        example("dir_sync.user.update.success")
    );
}

#[test]
fn closed_enum_rejects_and_extensible_enum_keeps_unknown_values() {
    let mut body = example("dir_sync.user.update.success");
    body["__environment__"] = json!("staging");
    let err = parse(&body).unwrap_err().to_string();
    assert!(err.contains("staging"), "{err}");

    let mut body = example("dir_sync.user.update.success");
    body["data"]["provider"] = json!("keycloak");
    let envelope = parse(&body).unwrap();
    let ev::Event::DirSyncUserUpdateSuccess(p) = &envelope.data else {
        panic!()
    };
    assert_eq!(p.provider, ev::DirectoryProvider::Other("keycloak".into()));
    assert!(!p.provider.is_known());
    assert_eq!(serde_json::to_value(&envelope).unwrap(), body);
    assert_eq!(
        ev::DirectoryProvider::from("okta"),
        ev::DirectoryProvider::Okta
    );
}

#[test]
fn constants_are_checked_and_written() {
    let mut body = example("dir_sync.user.update.success");
    body["data"]["__type__"] = json!("SsoSamlEvent");
    let err = parse(&body).unwrap_err().to_string();
    assert!(err.contains("DirectorySyncEvent"), "{err}");
    let mut body = example("dir_sync.user.update.success");
    body["__type__"] = json!("event");
    assert!(parse(&body).is_err());
    assert_eq!(
        serde_json::to_value(ev::consts::DirectorySyncEvent).unwrap(),
        json!("DirectorySyncEvent")
    );
}

#[test]
fn absent_and_null_stay_apart() {
    // `previous_values` of a group change is optional and nullable.
    let base = json!({
        "added_users": [], "removed_users": [],
        "new_values": {"name": "Eng"}
    });
    let absent: ev::DirectoryGroupChanges = serde_json::from_value(base.clone()).unwrap();
    assert_eq!(absent.previous_values, None);
    assert_eq!(serde_json::to_value(&absent).unwrap(), base);

    let mut with_null = base.clone();
    with_null["previous_values"] = Value::Null;
    let null: ev::DirectoryGroupChanges = serde_json::from_value(with_null.clone()).unwrap();
    assert_eq!(null.previous_values, Some(None));
    assert_eq!(serde_json::to_value(&null).unwrap(), with_null);

    // Required and nullable: `null` is fine, absence is not.
    let member = json!({"id": "b6dab789-5741-4529-a640-c5a9c0962617"});
    let mut changes = json!({"new_values": null, "previous_values": null});
    assert!(serde_json::from_value::<ev::DirectoryUserChanges>(changes.clone()).is_ok());
    changes.as_object_mut().unwrap().remove("new_values");
    let err = serde_json::from_value::<ev::DirectoryUserChanges>(changes).unwrap_err();
    assert!(
        err.to_string().contains("missing field `new_values`"),
        "{err}"
    );

    // Optional, not nullable: absence is fine, `null` is not.
    assert!(serde_json::from_value::<ev::GroupMember>(member.clone()).is_ok());
    let mut null_email = member;
    null_email["email"] = Value::Null;
    assert!(serde_json::from_value::<ev::GroupMember>(null_email).is_err());
}

#[test]
fn formats_are_typed() {
    assert!(ev::Email::new("a@b.example").is_ok());
    assert!(ev::Email::new("not an email").is_err());
    assert!(serde_json::from_value::<ev::Uri>(json!("https://x.test/a")).is_ok());
    assert!(serde_json::from_value::<ev::Uri>(json!("no scheme")).is_err());
    let t: ev::LocalDateTime = serde_json::from_value(json!("2024-03-22T17:14:27")).unwrap();
    assert_eq!(
        serde_json::to_value(t).unwrap(),
        json!("2024-03-22T17:14:27")
    );
    let t: ev::LocalDateTime = serde_json::from_value(json!("2024-03-22T17:14:27.5")).unwrap();
    assert_eq!(t.to_string(), "2024-03-22T17:14:27.500");
    assert!(serde_json::from_value::<ev::LocalDateTime>(json!("2024-03-22T17:14:27Z")).is_err());
}

#[test]
fn event_codes_families_and_selectors() {
    let catalog = default_catalog();
    assert_eq!(ev::EventCode::ALL.len(), catalog.events.len());
    for (code, event) in ev::EventCode::ALL.iter().zip(&catalog.events) {
        assert_eq!(code.as_str(), event.code);
        assert_eq!(code.to_string().parse::<ev::EventCode>().unwrap(), *code);
        assert_eq!(code.family().as_str(), event.family);
        assert_eq!(
            code.status() == ev::Status::Planned,
            event.status == eventcat::codegen::model::Status::Planned
        );
    }
    assert_eq!(
        ev::Family::DirSync.codes().count(),
        catalog.family_events("dir_sync").count()
    );

    let all: ev::Selector = "all".parse().unwrap();
    let dir: ev::Selector = "dir_sync.all".parse().unwrap();
    let one: ev::Selector = "sso_saml.tokens_generated".parse().unwrap();
    assert_eq!(dir, ev::Selector::Family(ev::Family::DirSync));
    assert!(all.matches(&ev::EventCode::SsoSamlTokensGenerated));
    assert!(dir.matches(&ev::EventCode::DirSyncUserUpdateSuccess));
    assert!(!dir.matches(&ev::EventCode::SsoSamlTokensGenerated));
    assert!(one.matches(&ev::EventCode::SsoSamlTokensGenerated));
    assert!(!one.matches(&ev::EventCode::SsoSamlSuccessSignup));
    for s in ["all", "dir_sync.all", "sso_saml.tokens_generated"] {
        assert_eq!(s.parse::<ev::Selector>().unwrap().to_string(), s);
    }

    let err = "dir_sync.user.provison.success"
        .parse::<ev::Selector>()
        .unwrap_err();
    assert_eq!(err.suggestion(), Some("dir_sync.user.provision.success"));
    assert!(
        err.to_string()
            .contains("did you mean `dir_sync.user.provision.success`?"),
        "{err}"
    );
    let err = "dirsync.all".parse::<ev::Selector>().unwrap_err();
    assert_eq!(err.suggestion(), Some("dir_sync.all"));
    let err = "something else entirely"
        .parse::<ev::Selector>()
        .unwrap_err();
    assert_eq!(err.suggestion(), None);
    assert!(serde_json::from_value::<ev::Selector>(json!("sso_saml.al")).is_err());
    let err = "sso_saml.token_generated"
        .parse::<ev::EventCode>()
        .unwrap_err();
    assert_eq!(err.suggestion(), Some("sso_saml.tokens_generated"));
}

/// The schemars schema of the envelope accepts every example (cases: the
/// catalog's examples).
#[test]
fn schemars_schema_accepts_the_examples() {
    let schema = serde_json::to_value(schemars::schema_for!(ev::Envelope)).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for event in &default_catalog().events {
        for ex in &event.examples {
            let errors: Vec<String> = validator
                .iter_errors(&ex.value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", event.code);
        }
    }
    let mut bad = example("dir_sync.user.update.success");
    bad["__environment__"] = json!("staging");
    assert!(!validator.is_valid(&bad));
}

mod props {
    use super::ev;
    use proptest::prelude::*;

    proptest! {
        // 64 cases: generated envelopes of every code serialize and
        // deserialize back equal, and never come back as `Unknown`.
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn generated_envelopes_round_trip(envelope in any::<ev::Envelope>()) {
            let json = serde_json::to_value(&envelope).unwrap();
            let back: ev::Envelope = serde_json::from_value(json.clone()).unwrap();
            prop_assert!(back.code().is_some());
            prop_assert_eq!(&back, &envelope);
            prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
        }
    }
}

/// A payload error names the JSON path from the envelope (`data...`), what
/// was expected and what was found, and the event's code; an envelope
/// field's error names the field.
#[test]
fn payload_errors_name_the_json_path() {
    let base = example("dir_sync.activate.success");
    let error = |change: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        change(&mut v);
        // From text, as a consumer reads a body (serde_json adds positions
        // to errors it raises itself, not to the payload's).
        serde_json::from_str::<ev::Envelope>(&v.to_string())
            .unwrap_err()
            .to_string()
    };
    let suffix = " (in a `dir_sync.activate.success` event)";
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, String)> = vec![
        (
            Box::new(|v| {
                v["data"]["resource"]["changes"]["new_values"]["updated_at"] =
                    json!("2024-03-22T17:14:27Z")
            }),
            format!("data.resource.changes.new_values.updated_at: expected local-date-time without offset, found \"2024-03-22T17:14:27Z\"{suffix}"),
        ),
        (
            Box::new(|v| v["data"]["directory_sync_id"] = json!("b6dab789-5741-4529-a640")),
            format!("data.directory_sync_id: expected uuid, found \"b6dab789-5741-4529-a640\"{suffix}"),
        ),
        (
            Box::new(|v| v["data"]["resource"]["changes"]["new_values"]["active"] = json!("yes")),
            format!("data.resource.changes.new_values.active: invalid type: string \"yes\", expected a boolean{suffix}"),
        ),
        (
            Box::new(|v| {
                v["data"].as_object_mut().unwrap().remove("provider");
            }),
            format!("data.provider: missing required field{suffix}"),
        ),
        (
            Box::new(|v| v["data"]["provider"] = Value::Null),
            format!("data.provider: invalid type: null, expected a string{suffix}"),
        ),
        (
            Box::new(|v| v["__domain__"] = json!(3)),
            "__domain__: invalid type: integer `3`, expected a string at line 1 column 34".to_string(),
        ),
    ];
    for (change, want) in &cases {
        assert_eq!(&error(change.as_ref()), want);
    }
    // The same through `Event::from_parts` (no event code suffix there).
    let mut data = base["data"].clone();
    data["directory_sync_id"] = json!("x");
    let err = ev::Event::from_parts("dir_sync.activate.success", data).unwrap_err();
    assert_eq!(
        err.to_string(),
        "data.directory_sync_id: expected uuid, found \"x\""
    );
    // Arrays: the index is in the path.
    let mut v = example("dir_sync.user.provision.success");
    v["data"]["resource"]["changes"]["new_values"]["phone_numbers"] =
        json!([{"type": "work", "value": 5}]);
    let err = serde_json::from_value::<ev::Envelope>(v)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "data.resource.changes.new_values.phone_numbers[0].value: invalid type: integer `5`"
        ),
        "{err}"
    );
    // The format types' own errors say the same.
    assert_eq!(
        ev::LocalDateTime::from_str("2024-03-22T17:14:27+01:00")
            .unwrap_err()
            .to_string(),
        "expected local-date-time without offset, found \"2024-03-22T17:14:27+01:00\""
    );
    assert_eq!(
        ev::Email::new("not an email").unwrap_err().to_string(),
        "expected email address, found \"not an email\""
    );
}
