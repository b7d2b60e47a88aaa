//! `eventcat lint` and `eventcat catalog-schema`, run as a user would.

use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::copy_dir;

fn eventcat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn lint_default_catalog_lists_two_families_and_28_codes() {
    let out = eventcat(&["lint"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("2 families, 28 event codes"), "{stdout}");
    assert!(
        stdout.contains("dir_sync") && stdout.contains("20 codes (2 planned)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("sso_saml") && stdout.contains("8 codes"),
        "{stdout}"
    );
}

#[test]
fn lint_json_summary_is_machine_readable() {
    let out = eventcat(&["lint", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let codes: usize = v["families"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["codes"].as_array().unwrap().len())
        .sum();
    assert_eq!(codes, 28);
}

/// Copies the default catalog to a temp dir and applies `edit` to one file.
fn broken_catalog(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    copy_dir(&src, dir.path());
    let path = dir.path().join(file);
    let old = std::fs::read_to_string(&path).unwrap();
    let new = edit(&old);
    assert_ne!(old, new, "test bug: the edit changed nothing");
    std::fs::write(&path, new).unwrap();
    dir
}

#[test]
fn lint_broken_catalog_exits_2_with_file_line_column_and_hint() {
    let dir = broken_catalog("families/sso_saml.toml", |t| {
        t.replacen("payload = \"", "payload = \"Nope", 1)
    });
    let out = eventcat(&["lint", "--catalog", dir.path().to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("eventcat::unknown-type"), "{stderr}");
    assert!(stderr.contains("families/sso_saml.toml:"), "{stderr}");
    assert!(stderr.contains("could not load catalog"), "{stderr}");
    assert!(out.stdout.is_empty(), "diagnostics go to stderr");
}

#[test]
fn lint_broken_catalog_json_errors() {
    let dir = broken_catalog("types/common.toml", |t| {
        t.replacen("description", "descripton", 1)
    });
    let out = eventcat(&[
        "lint",
        "--format",
        "json",
        "--catalog",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let err = &v["errors"][0];
    assert_eq!(err["kind"], "unknown-key");
    assert!(err["line"].as_u64().unwrap() >= 1);
    assert_eq!(err["help"], "did you mean `description`?");
}

#[test]
fn missing_catalog_folder_is_a_usage_error() {
    let out = eventcat(&["lint", "--catalog", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read `does/not/exist`"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = eventcat(&["lint", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn catalog_schema_accepts_every_default_catalog_file() {
    let out = eventcat(&["catalog-schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let mut seen = 0;
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "toml") {
                let value: toml::Value =
                    toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                let json = serde_json::to_value(value).unwrap();
                let errors: Vec<String> = validator
                    .iter_errors(&json)
                    .map(|e| e.to_string())
                    .collect();
                assert!(errors.is_empty(), "{}: {errors:?}", p.display());
                seen += 1;
            }
        }
    }
    assert!(seen >= 3);
    // And it rejects an unknown key, as the loader does.
    let bad = serde_json::json!({ "types": { "A": { "fields": { "x": { "typ": "string" } } } } });
    assert!(!validator.is_valid(&bad));
}

/// Every catalog shipped in the repository (the default one and the test
/// catalogs) passes `eventcat lint`, examples
/// validated against their schemas included: the library tests load them
/// without the example check, so this is where a producer-invalid example
/// or a schema that does not compile would show.
#[test]
fn every_bundled_catalog_lints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("schema")];
    for group in [
        "tests/catalogs",
        "tests/catalogs/edge",
        "tests/catalogs/changelog",
    ] {
        for e in std::fs::read_dir(root.join(group)).unwrap() {
            let p = e.unwrap().path();
            let has_toml = |d: &Path| {
                std::fs::read_dir(d).is_ok_and(|mut it| {
                    it.any(|f| f.is_ok_and(|f| f.path().extension().is_some_and(|x| x == "toml")))
                })
            };
            if p.is_dir() && has_toml(&p) {
                dirs.push(p);
            }
        }
    }
    assert!(dirs.len() >= 7, "{dirs:?}");
    for d in &dirs {
        let out = eventcat(&["lint", "--catalog", d.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}:\n{}",
            d.display(),
            text(&out.stderr)
        );
    }
}

#[test]
fn invalid_pattern_is_a_located_catalog_error_for_every_command() {
    // Before: `the schema of `...` does not compile: "^[0-9+$" is not a
    // "regex"`, with no location, from lint only; generate wrote the schema.
    let dir = broken_catalog("types/dir_sync.toml", |t| {
        t.replacen("pattern = '^[0-9]+$'", "pattern = '^[0-9+$'", 1)
    });
    let catalog = dir.path().to_str().unwrap();
    let expected_at = {
        let t = std::fs::read_to_string(dir.path().join("types/dir_sync.toml")).unwrap();
        let off = t.find("pattern = '^[0-9+$'").unwrap();
        // The field's table header is the last `[` line before the pattern.
        let header = t[..off].rfind("\n[").unwrap() + 1;
        let line = t[..header].matches('\n').count() + 1;
        format!("types/dir_sync.toml:{line}:")
    };
    let out_dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["lint", "--catalog", catalog],
        vec![
            "generate",
            "--catalog",
            catalog,
            "--out",
            out_dir.path().to_str().unwrap(),
        ],
        vec!["fixtures", "--catalog", catalog, "--count", "0"],
    ] {
        let out = eventcat(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("the `pattern` of field"),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(&expected_at),
            "{args:?}: {expected_at} in {stderr}"
        );
        assert!(stderr.contains("help:"), "{stderr}");
    }
}
