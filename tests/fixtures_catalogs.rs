//! `eventcat fixtures` of every kind on every catalog of the repository,
//! judged by `eventcat validate`: the valid kind passes, every event of the
//! invalid kind is rejected, and the consumer kind differs from valid events
//! only in what it promises (unknown fields, unknown values of extensible
//! enums, an unknown code). For `schema/`, whose Rust types are generated,
//! consumer events are also accepted by the consumer side: `Envelope`.

use serde_json::Value;

mod common;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The fixtures of `kind` for `catalog` (NDJSON), after checking they were
/// generated.
fn fixtures(catalog: &str, kind: &str) -> Vec<u8> {
    let out = common::eventcat_stdin(
        &[
            "fixtures",
            "--catalog",
            catalog,
            "--kind",
            kind,
            "--count",
            "6",
            "--seed",
            "22",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "fixtures --kind {kind} on {catalog}: {}",
        text(&out.stderr)
    );
    assert!(!out.stdout.is_empty(), "no {kind} fixtures for {catalog}");
    out.stdout
}

/// `eventcat validate --format json` of `events`: (exit code, report).
fn validate(catalog: &str, events: &[u8], extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["validate", "--catalog", catalog, "--format", "json"];
    args.extend_from_slice(extra);
    args.push("-");
    let out = common::eventcat_stdin(&args, Some(events));
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    (out.status.code(), report)
}

fn check_catalog(catalog: &str) {
    let lines = |b: &[u8]| text(b).lines().count() as u64;

    // Valid: every event passes.
    let valid = fixtures(catalog, "valid");
    let (code, report) = validate(catalog, &valid, &[]);
    assert_eq!(
        report["summary"]["invalid"], 0,
        "valid fixtures of {catalog} rejected: {:#}",
        report["violations"]
    );
    assert_eq!(report["summary"]["events"], lines(&valid));
    assert_eq!(code, Some(0));

    // Invalid: every event is rejected.
    let invalid = fixtures(catalog, "invalid");
    let (code, report) = validate(catalog, &invalid, &[]);
    assert_eq!(report["summary"]["events"], lines(&invalid));
    assert_eq!(
        report["summary"]["valid"],
        0,
        "invalid fixtures of {catalog} accepted (events: {})",
        text(&invalid)
    );
    assert_eq!(code, Some(1));

    // Consumer: with unknown fields allowed, the only violations are the
    // unknown code and unknown values of extensible enums.
    let consumer = fixtures(catalog, "consumer");
    let (_, report) = validate(catalog, &consumer, &["--allow-unknown-fields"]);
    assert_eq!(report["summary"]["events"], lines(&consumer));
    for v in report["violations"].as_array().unwrap() {
        let kind = v["kind"].as_str().unwrap();
        let found = v["found"].as_str().unwrap_or_default();
        assert!(
            kind == "unknown-code" || (kind == "enum" && found.starts_with("\"zz_unknown_")),
            "consumer fixture of {catalog} breaks more than the consumer kind allows: {v:#}"
        );
    }
    assert_eq!(
        report["summary"]["unknown_code"], 1,
        "one unknown-code event"
    );
}

#[test]
fn fixtures_of_schema() {
    check_catalog("schema");
}

#[test]
fn consumer_fixtures_of_schema_deserialize() {
    let consumer = fixtures("schema", "consumer");
    for line in text(&consumer).lines() {
        if let Err(e) = serde_json::from_str::<identity_webhooks_events::Envelope>(line) {
            panic!("the generated types reject a consumer fixture: {e}\n{line}");
        }
    }
}

#[test]
fn fixtures_of_wire() {
    check_catalog("tests/catalogs/edge/wire");
}

#[test]
fn fixtures_of_keywords() {
    check_catalog("tests/catalogs/edge/keywords");
}

#[test]
fn fixtures_of_recursion() {
    check_catalog("tests/catalogs/edge/recursion");
}

#[test]
fn fixtures_of_special_chars() {
    check_catalog("tests/catalogs/special-chars");
}

#[test]
fn fixtures_of_changelog_v1() {
    check_catalog("tests/catalogs/changelog/v1");
}

#[test]
fn fixtures_of_changelog_v2() {
    check_catalog("tests/catalogs/changelog/v2");
}

/// Every catalog folder of the repository has a test above.
#[test]
fn every_catalog_is_covered() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut todo = vec![root.join("tests/catalogs")];
    while let Some(dir) = todo.pop() {
        if dir.join("catalog.toml").is_file() {
            let rel = dir
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            found.push(rel.replace('\\', "/"));
            continue;
        }
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            }
        }
    }
    found.sort();
    assert_eq!(
        found,
        [
            "tests/catalogs/changelog/v1",
            "tests/catalogs/changelog/v2",
            "tests/catalogs/edge/keywords",
            "tests/catalogs/edge/recursion",
            "tests/catalogs/edge/wire",
            "tests/catalogs/special-chars",
        ],
        "a catalog was added or moved: add a fixtures test for it"
    );
}
