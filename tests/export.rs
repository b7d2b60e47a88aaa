//! The AsyncAPI 3.0 and OpenAPI 3.1 exports, checked by the official tools
//! on every bundled catalog (`schema/` and each catalog under
//! `tests/catalogs/`):
//! - `@asyncapi/parser` (npm, `tests/export/asyncapi.mjs`) parses each
//!   `asyncapi.yaml` with no error and no warning diagnostic;
//! - `openapi-spec-validator` (PyPI, `tests/export/openapi.py`) accepts each
//!   `openapi.yaml`;
//! - negative controls: copies with `type: 123` in a payload schema and with
//!   a dangling `$ref` are rejected by the same tools, so the checks cannot
//!   pass vacuously;
//! - PyYAML (an independent YAML parser) reads each YAML file back to the
//!   same value as `eventcat export --format json`;
//! - for every code, the payload schema of the parsed-back document accepts
//!   each of the catalog's examples, and rejects another code's example.
//!
//! Needs `node` with `tests/export/node_modules` (`npm ci --prefix
//! tests/export`) and a Python with `tests/export/requirements.txt`
//! (`tests/export/.venv`, or `EVENTCAT_PYTHON`). Without them the test is
//! skipped with a message, except in CI (`CI=true`), where it fails:
//! `.ci/run` installs them.

use std::path::{Path, PathBuf};
use std::process::Command;

use eventcat::validate::schema::validator_options;
use serde_json::{json, Value};

mod common;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// `node` and the Python to use, or why not.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let node = find_on_path("node").ok_or("no `node` on PATH")?;
    if !root()
        .join("tests/export/node_modules/@asyncapi/parser")
        .is_dir()
    {
        return Err("no tests/export/node_modules: run `npm ci --prefix tests/export`".into());
    }
    let python = std::env::var_os("EVENTCAT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("tests/export/.venv/bin/python"));
    if !python.is_file() {
        return Err(format!(
            "no {}: run `python3 -m venv tests/export/.venv && tests/export/.venv/bin/pip install -r tests/export/requirements.txt`",
            python.display()
        ));
    }
    Ok((node, python))
}

/// Every bundled catalog: a folder holding `catalog.toml`.
fn catalogs() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        if dir.join("catalog.toml").is_file() {
            out.push(dir.to_path_buf());
            return;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        entries.sort();
        for e in entries {
            walk(&e, out);
        }
    }
    let mut out = vec![root().join("schema")];
    walk(&root().join("tests/catalogs"), &mut out);
    out
}

fn export(catalog: &Path, doc: &str, format: &str, out: &Path) {
    let o = common::eventcat(
        root(),
        &[
            "export",
            doc,
            "--catalog",
            catalog.to_str().unwrap(),
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "export {doc} of {}: {}",
        catalog.display(),
        common::text(&o.stderr)
    );
}

fn json_lines(out: &std::process::Output, what: &str) -> Vec<Value> {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        common::text(&out.stdout),
        common::text(&out.stderr)
    );
    common::text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{what}: {e}: {l}")))
        .collect()
}

/// Validates `instance` against the schema at `pointer` inside `doc` (the
/// whole document is the root resource, so its `#/components/...`
/// references resolve).
fn valid_at(doc: &Value, pointer: &str, instance: &Value) -> Result<(), String> {
    let mut schema = doc.clone();
    let obj = schema.as_object_mut().unwrap();
    obj.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    obj.insert("$ref".into(), format!("#{pointer}").into());
    let v = validator_options()
        .build(&schema)
        .map_err(|e| format!("does not compile: {e}"))?;
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[test]
fn exports_pass_the_official_tools_and_carry_the_contract() {
    let (node, python) = match tools() {
        Ok(t) => t,
        Err(why) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped: {why}");
            return;
        }
        Err(why) => panic!("CI must install the export tools: {why}"),
    };
    let dir = tempfile::tempdir().unwrap();
    let mut asyncapi_files = Vec::new();
    let mut openapi_files = Vec::new();
    let mut expected = Vec::new(); // (yaml file, json value, catalog)
    for (i, cat) in catalogs().iter().enumerate() {
        for doc in ["asyncapi", "openapi"] {
            let yaml = dir.path().join(format!("{i}-{doc}.yaml"));
            let json = dir.path().join(format!("{i}-{doc}.json"));
            export(cat, doc, "yaml", &yaml);
            export(cat, doc, "json", &json);
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            if doc == "asyncapi" {
                asyncapi_files.push(yaml.clone());
            } else {
                openapi_files.push(yaml.clone());
            }
            expected.push((yaml, value, cat.clone(), doc));
        }
    }

    // Negative controls, from the default catalog's documents (JSON is YAML).
    let (_, async_doc, _, _) = &expected[0];
    let (_, open_doc, _, _) = &expected[1];
    let first_code = async_doc["components"]["messages"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let async_payload = format!(
        "/components/messages/{}/payload",
        pointer_token(&first_code)
    );
    let open_payload = format!(
        "/webhooks/{}/post/requestBody/content/application~1json/schema",
        pointer_token(&first_code)
    );
    let control = |doc: &Value, at: &str, edit: &dyn Fn(&mut Value), name: &str| {
        let mut d = doc.clone();
        edit(d.pointer_mut(at).unwrap());
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_string_pretty(&d).unwrap()).unwrap();
        p
    };
    let bad_type = |s: &mut Value| s["properties"]["__domain__"]["type"] = json!(123);
    let dangling = |s: &mut Value| {
        s["properties"]["data"] = json!({ "$ref": "#/components/schemas/NoSuchType" })
    };
    let async_neg = [
        control(async_doc, &async_payload, &bad_type, "neg-async-type.json"),
        control(async_doc, &async_payload, &dangling, "neg-async-ref.json"),
    ];
    let open_neg = [
        control(open_doc, &open_payload, &bad_type, "neg-open-type.json"),
        control(open_doc, &open_payload, &dangling, "neg-open-ref.json"),
    ];

    // @asyncapi/parser.
    let mut cmd = Command::new(&node);
    cmd.arg(root().join("tests/export/asyncapi.mjs"));
    cmd.args(asyncapi_files.iter().chain(async_neg.iter()));
    cmd.current_dir(root().join("tests/export"));
    let results = json_lines(&cmd.output().unwrap(), "@asyncapi/parser");
    assert_eq!(results.len(), asyncapi_files.len() + async_neg.len());
    for r in &results {
        let file = r["file"].as_str().unwrap();
        let serious: Vec<&Value> = r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"].as_u64().unwrap() <= 1)
            .collect();
        if file.contains("neg-") {
            assert!(
                serious.iter().any(|d| d["severity"] == 0),
                "@asyncapi/parser accepts the broken copy {file}: {:#}",
                r["diagnostics"]
            );
        } else {
            assert!(
                r["parsed"] == true,
                "{file}: not parsed: {:#}",
                r["diagnostics"]
            );
            assert!(
                serious.is_empty(),
                "{file}: errors or warnings from @asyncapi/parser: {serious:#?}"
            );
        }
    }
    eprintln!(
        "@asyncapi/parser: {} documents, no error or warning; both negative controls rejected",
        asyncapi_files.len()
    );

    // openapi-spec-validator, and PyYAML reading every YAML file back.
    let mut cmd = Command::new(&python);
    cmd.arg(root().join("tests/export/openapi.py"));
    for f in openapi_files.iter().chain(open_neg.iter()) {
        cmd.arg("--openapi").arg(f);
    }
    for f in &asyncapi_files {
        cmd.arg("--yaml").arg(f);
    }
    let results = json_lines(&cmd.output().unwrap(), "openapi.py");
    assert_eq!(
        results.len(),
        openapi_files.len() + open_neg.len() + asyncapi_files.len()
    );
    let mut checked_examples = 0;
    for r in &results {
        let file = r["file"].as_str().unwrap();
        if file.contains("neg-") {
            assert!(
                !r["errors"].as_array().unwrap().is_empty(),
                "openapi-spec-validator accepts the broken copy {file}"
            );
            continue;
        }
        if let Some(errors) = r["errors"].as_array() {
            assert!(
                errors.is_empty(),
                "{file}: openapi-spec-validator: {errors:#?}"
            );
        }
        let (_, value, cat, doc) = expected
            .iter()
            .find(|(y, ..)| y.to_str() == Some(file))
            .unwrap();
        assert_eq!(
            &r["document"], value,
            "{file}: PyYAML reads the YAML back to another value than the JSON export"
        );
        // The parsed-back document carries the contract.
        let catalog = eventcat_codegen::load(cat).unwrap_or_else(|d| panic!("{}", d.render(false)));
        let payload_at = |code: &str| match *doc {
            "asyncapi" => format!("/components/messages/{}/payload", pointer_token(code)),
            _ => format!(
                "/webhooks/{}/post/requestBody/content/application~1json/schema",
                pointer_token(code)
            ),
        };
        for ev in &catalog.events {
            for x in &ev.examples {
                valid_at(&r["document"], &payload_at(&ev.code), &x.value)
                    .unwrap_or_else(|e| panic!("{file}: {} rejects its own example: {e}", ev.code));
                checked_examples += 1;
            }
        }
        // And rejects another code's example.
        let with_examples: Vec<_> = catalog
            .events
            .iter()
            .filter(|e| !e.examples.is_empty())
            .collect();
        if let [a, b, ..] = with_examples.as_slice() {
            assert!(
                valid_at(&r["document"], &payload_at(&b.code), &a.examples[0].value).is_err(),
                "{file}: the payload of {} accepts an example of {}",
                b.code,
                a.code
            );
        }
    }
    eprintln!(
        "openapi-spec-validator: {} documents valid, both negative controls rejected; {} YAML files read back equal; {checked_examples} examples valid against their exported payload",
        openapi_files.len(),
        openapi_files.len() + asyncapi_files.len()
    );
    assert!(checked_examples > 0);
}
