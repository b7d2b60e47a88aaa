//! `eventcat validate`, run as a user would, on inputs built from the default
//! catalog's examples. Case counts: 16 tests, the largest input 6,000
//! NDJSON lines (~8 MB), checked twice (1 and 2 threads).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn eventcat(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    child.wait_with_output().unwrap()
}

fn validate(args: &[&str]) -> Output {
    let mut all = vec!["validate"];
    all.extend_from_slice(args);
    eventcat(&all, None)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// Every example of the default catalog, in catalog order: (code, event).
fn examples() -> Vec<(String, Value)> {
    let catalog = eventcat::codegen::load(root().join("schema")).unwrap();
    catalog
        .events
        .iter()
        .flat_map(|e| e.examples.iter().map(|x| (e.code.clone(), x.value.clone())))
        .collect()
}

fn example(code: &str) -> Value {
    examples()
        .into_iter()
        .find(|(c, _)| c == code)
        .unwrap_or_else(|| panic!("no example for {code}"))
        .1
}

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents).unwrap();
    path
}

fn ndjson(events: &[Value]) -> String {
    events.iter().map(|e| format!("{e}\n")).collect()
}

/// Sets the value at a JSON pointer (creating the last member).
fn set(v: &mut Value, pointer: &str, new: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let p = v.pointer_mut(parent).unwrap();
    match p {
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = new,
        Value::Object(o) => {
            o.insert(key.to_string(), new);
        }
        _ => panic!("{pointer}"),
    }
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .shift_remove(key)
        .expect("member existed");
}

#[test]
fn every_example_of_the_default_catalog_is_valid_in_every_layout() {
    let all: Vec<Value> = examples().into_iter().map(|(_, v)| v).collect();
    assert!(all.len() >= 28);
    let dir = tempfile::tempdir().unwrap();
    let nd = write(dir.path(), "all.ndjson", &ndjson(&all));
    let arr = write(
        dir.path(),
        "all.json",
        &serde_json::to_string_pretty(&all).unwrap(),
    );
    let pretty: String = all
        .iter()
        .map(|e| serde_json::to_string_pretty(e).unwrap() + "\n")
        .collect();
    let docs = write(dir.path(), "docs.json", &pretty);
    for file in [&nd, &arr, &docs] {
        let out = validate(&["--format", "json", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", show(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["violations"], json!([]));
        assert_eq!(report["summary"]["events"], json!(all.len()));
        assert_eq!(report["summary"]["valid"], json!(all.len()));
        // Every code has an example, so none is "never seen".
        assert_eq!(report["summary"]["never_seen"], json!([]));
        assert_eq!(report["ok"], json!(true));
    }
}

/// One invalid event per error kind, each checked for its exact line.
#[test]
fn each_error_kind_is_reported_with_line_code_pointer_and_message() {
    let user = "dir_sync.user.update.success";
    let email = "/data/resource/changes/new_values/profile/email";
    let updated = "/data/resource/changes/new_values/updated_at";
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let mut e = example(user);
    remove(&mut e, "/data/directory_sync_id");
    cases.push((
        e,
        "dir_sync.user.update.success: /data/directory_sync_id: missing required field `directory_sync_id`",
    ));
    let mut e = example(user);
    set(&mut e, "/data/providr", json!("okta"));
    cases.push((e, "dir_sync.user.update.success: /data/providr: field `providr` is not declared in the catalog; did you mean `provider`?"));
    let mut e = example(user);
    set(
        &mut e,
        "/data/resource/changes/new_values/phone_numbers/0/primary",
        json!("yes"),
    );
    cases.push((e, "/data/resource/changes/new_values/phone_numbers/0/primary: expected boolean, found \"yes\""));
    let mut e = example(user);
    set(&mut e, "/data/provider", json!("okat"));
    cases.push((e, "/data/provider: expected one of \"okta\", \"azure_ad\""));
    let mut e = example(user);
    set(&mut e, "/__type__", json!("Evnt"));
    cases.push((e, "/__type__: expected \"Event\", found \"Evnt\""));
    let mut e = example(user);
    set(&mut e, email, json!("jeanne"));
    cases.push((e, "expected a string of format `email`, found \"jeanne\""));
    let mut e = example(user);
    set(&mut e, updated, json!("2024-03-22T17:14:27+01:00"));
    cases.push((e, "updated_at: expected a date-time without offset"));
    let mut e = example(user);
    set(&mut e, "/__domain__", json!("Acme Corp"));
    cases.push((e, "/__domain__: expected a string matching `^[a-z0-9]+(?:[-_][a-z0-9]+)*$`, found \"Acme Corp\""));
    let mut e = example("dir_sync.user.provision.fail");
    set(&mut e, "/data/error/status", json!(200));
    cases.push((
        e,
        "dir_sync.user.provision.fail: /data/error/status: expected a number >= 400, found 200",
    ));
    let mut e = example("sso_saml.tokens_generated");
    set(&mut e, "/data/tokens", json!([]));
    cases.push((e, "/data/tokens: expected at least 1 item, found 0"));
    // A nullable object that is neither.
    let mut e = example(user);
    set(&mut e, "/data/resource/changes/previous_values", json!(3));
    cases.push((
        e,
        "/data/resource/changes/previous_values: expected object or null, found 3",
    ));
    // Not nullable: null is an error.
    let mut e = example(user);
    set(&mut e, "/data/resource/id", Value::Null);
    cases.push((e, "/data/resource/id: expected string, found null"));
    // Inside a nullable object, the real error is reported, not "anyOf".
    let mut e = example(user);
    set(
        &mut e,
        "/data/resource/changes/new_values/address/country",
        json!(33),
    );
    cases.push((
        e,
        "/data/resource/changes/new_values/address/country: expected string or null, found 33",
    ));
    let mut e = example(user);
    remove(&mut e, "/code");
    cases.push((e, "-: /code: missing field `code` (the event code)"));
    let mut e = example(user);
    set(&mut e, "/code", json!("dir_sync.usr.update.success"));
    cases.push((e, "dir_sync.usr.update.success: /code: unknown event code `dir_sync.usr.update.success`; did you mean `dir_sync.user.update.success`?"));
    // A line holding an array is an array of events; here its one element
    // is not an event.
    cases.push((
        json!([[1, 2]]),
        "-: -: expected an event object, found an array of 2 items",
    ));

    let mut input = String::new();
    for (e, _) in &cases {
        input.push_str(&format!("{e}\n"));
    }
    let valid = example(user);
    input.push_str(&format!("{valid}\n"));
    // Malformed lines, then a valid event: still checked.
    input.push_str("not json at all\n");
    input.push_str("{\"code\": \"dir_sync.user.update.success\", \"data\": {\n");
    input.push_str(&format!("{valid}\n"));

    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "events.ndjson", &input);
    let out = validate(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stdout = text(&out.stdout);
    let name = file.display().to_string();
    for (i, (_, expected)) in cases.iter().enumerate() {
        let prefix = format!("{name}:{}: ", i + 1);
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("nothing reported for line {}\n{stdout}", i + 1));
        assert!(
            line.contains(expected),
            "line {}: {line}\nwanted: {expected}",
            i + 1
        );
    }
    let n = cases.len();
    assert!(
        !stdout.contains(&format!("{name}:{}:", n + 1)),
        "valid event reported\n{stdout}"
    );
    assert!(stdout.contains(&format!("{name}:{}: -: -: malformed JSON: expected an event (a JSON object), found `not json at all`", n + 2)), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{name}:{}: -: -: malformed JSON: the event never closes (truncated line",
            n + 3
        )),
        "{stdout}"
    );
    assert!(!stdout.contains(&format!("{name}:{}:", n + 4)), "{stdout}");
    // One line per violation, nothing else: a wrong value gets one message.
    assert_eq!(stdout.lines().count(), n + 2, "{stdout}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "checked {} events from 1 input: 2 valid, {} invalid",
            n + 4,
            n + 2
        )),
        "{stderr}"
    );
}

/// A 6,000-line file with invalid events and a malformed line at known
/// lines: exactly those lines are reported, whatever the thread count.
#[test]
fn line_numbers_in_a_large_file_are_exact_and_output_is_deterministic() {
    let all: Vec<Value> = examples().into_iter().map(|(_, v)| v).collect();
    let mut input = String::new();
    let mut expected = Vec::new();
    for line in 1..=6000u64 {
        let mut e = all[line as usize % all.len()].clone();
        if line == 3001 {
            input.push_str("{\"code\": \"dir_sync.user.update.success\", \"da\n");
            expected.push(format!(":{line}: -: -: malformed JSON"));
            continue;
        }
        if line % 997 == 0 {
            set(&mut e, "/__environment__", json!("staging"));
            expected.push(format!(":{line}: "));
        }
        input.push_str(&format!("{e}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "big.ndjson", &input);
    let f = file.to_str().unwrap();
    let one = validate(&["-j", "1", "-q", f]);
    let two = validate(&["-j", "2", "-q", f]);
    assert_eq!(one.status.code(), Some(1), "{}", show(&one));
    assert_eq!(one.stdout, two.stdout, "output depends on the thread count");
    let stdout = text(&one.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{stdout}");
    for (got, want) in lines.iter().zip(&expected) {
        assert!(got.starts_with(&format!("{f}{want}")), "{got} vs {want}");
    }
    assert!(
        lines[0].ends_with(
            "/__environment__: expected one of \"sandbox\", \"production\", found \"staging\""
        ),
        "{}",
        lines[0]
    );
    let json_out = validate(&["--format", "json", f]);
    let report: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(report["summary"]["events"], json!(6000));
    assert_eq!(report["summary"]["invalid"], json!(expected.len()));
    assert_eq!(report["summary"]["malformed"], json!(1));
}

#[test]
fn unknown_fields_are_rejected_by_default_and_allowed_by_the_flag() {
    let mut e = example("sso_saml.end_user_saml_success");
    set(&mut e, "/data/user/department", json!("R&D"));
    set(&mut e, "/trace_id", json!("abc"));
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "e.ndjson", &ndjson(&[e.clone()]));
    let f = file.to_str().unwrap();
    let strict = validate(&[f]);
    assert_eq!(strict.status.code(), Some(1), "{}", show(&strict));
    let stdout = text(&strict.stdout);
    assert!(stdout.contains(":1: sso_saml.end_user_saml_success: /data/user/department: field `department` is not declared"), "{stdout}");
    assert!(
        stdout.contains(
            ":1: sso_saml.end_user_saml_success: /trace_id: field `trace_id` is not declared"
        ),
        "{stdout}"
    );
    let lenient = validate(&["--allow-unknown-fields", f]);
    assert_eq!(lenient.status.code(), Some(0), "{}", show(&lenient));
    assert!(lenient.stdout.is_empty());
    // Lenient about fields only: declared fields are still checked.
    set(&mut e, "/data/user/id", json!("not-a-uuid"));
    let file = write(dir.path(), "e2.ndjson", &ndjson(&[e]));
    let out = validate(&["--allow-unknown-fields", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("/data/user/id: expected a string of format `uuid`"));
}

#[test]
fn a_pretty_printed_json_array_reports_the_line_where_each_event_starts() {
    let mut events: Vec<Value> = examples().into_iter().take(4).map(|(_, v)| v).collect();
    set(&mut events[2], "/data/directory_sync_id", json!(12));
    let text_in = serde_json::to_string_pretty(&events).unwrap();
    // The line where the third element's `{` is.
    let start = text_in
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "  {")
        .nth(2)
        .map(|(i, _)| i + 1)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "arr.json", &text_in);
    let out = validate(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout.trim_end(),
        format!(
            "{}:{start}: {}: /data/directory_sync_id: expected string, found 12",
            file.display(),
            events[2]["code"].as_str().unwrap()
        )
    );
}

#[test]
fn stdin_is_read_when_no_file_or_dash_is_given() {
    let good = ndjson(&[example("sso_saml.end_user_saml_started")]);
    let out = eventcat(&["validate"], Some(good.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("checked 1 event from 1 input: 1 valid, 0 invalid"));
    let bad = "{\"code\": \"sso_saml.nope\"}\n";
    let out = eventcat(&["validate", "-"], Some(bad.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(text(&out.stdout).starts_with("<stdin>:1: sso_saml.nope: /code: unknown event code"));
}

#[test]
fn folders_are_searched_for_json_ndjson_and_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let e = example("dir_sync.activate.success");
    write(dir.path(), "a.json", &e.to_string());
    write(dir.path(), "sub/b.ndjson", &ndjson(&[e.clone(), e.clone()]));
    write(
        dir.path(),
        "sub/deeper/c.jsonl",
        &ndjson(std::slice::from_ref(&e)),
    );
    write(dir.path(), "notes.txt", "not events");
    let out = validate(&["--format", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["sources"], json!(3));
    assert_eq!(report["summary"]["events"], json!(4));
    // An empty folder is a usage error.
    let empty = tempfile::tempdir().unwrap();
    let out = validate(&[empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no *.json, *.ndjson or *.jsonl file"));
}

#[test]
fn junit_output_is_parseable_xml_with_one_case_per_code() {
    let mut bad = example("dir_sync.group.update.success");
    set(
        &mut bad,
        "/data/resource/changes/added_users",
        json!("x & <y>"),
    );
    let input = ndjson(&[
        example("dir_sync.group.update.success"),
        bad,
        json!({"code": "no.such.code", "data": {}}),
    ]) + "{broken\n";
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "e.ndjson", &input);
    let out = validate(&["--format", "junit", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let xml = text(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // One case per code sent today (planned codes no event carried are not
    // expected), unknown codes, malformed input, unreadable inputs, and the
    // --min-events minimum.
    let planned = planned_codes().len();
    assert_eq!(planned, 2);
    assert_eq!(cases.len(), 28 - planned + 4);
    let case = |name: &str| {
        *cases
            .iter()
            .find(|c| c.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no case {name}"))
    };
    let failed = case("dir_sync.group.update.success");
    let failure = failed
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("message"), Some("1 of 2 events invalid"));
    assert!(failure.text().unwrap().contains(":2: dir_sync.group.update.success: /data/resource/changes/added_users: expected array, found \"x & <y>\""));
    let skipped = case("sso_saml.tokens_generated");
    assert!(skipped.children().any(|n| n.has_tag_name("skipped")));
    assert!(case("events with a known code")
        .children()
        .any(|n| n.has_tag_name("failure")));
    assert!(case("well-formed events")
        .children()
        .any(|n| n.has_tag_name("failure")));
    let suites = doc.root_element();
    assert_eq!(suites.attribute("tests"), Some("30"));
    assert_eq!(suites.attribute("failures"), Some("3"));
    assert_eq!(suites.attribute("skipped"), Some("25"));
}

#[test]
fn json_report_lists_violations_and_coverage() {
    let mut bad = example("sso_saml.end_user_saml_failure");
    set(&mut bad, "/data/failure/reason", json!("cosmic_rays"));
    let input = ndjson(&[bad, example("sso_saml.end_user_saml_failure")]);
    let out = eventcat(&["validate", "--format", "json"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let v = &report["violations"][0];
    assert_eq!(v["file"], json!("<stdin>"));
    assert_eq!(v["line"], json!(1));
    assert_eq!(v["code"], json!("sso_saml.end_user_saml_failure"));
    assert_eq!(v["pointer"], json!("/data/failure/reason"));
    assert_eq!(v["kind"], json!("enum"));
    assert_eq!(v["found"], json!("\"cosmic_rays\""));
    assert_eq!(report["violations"].as_array().unwrap().len(), 1);
    let s = &report["summary"];
    assert_eq!(
        (
            s["events"].clone(),
            s["valid"].clone(),
            s["invalid"].clone()
        ),
        (json!(2), json!(1), json!(1))
    );
    let code = s["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "sso_saml.end_user_saml_failure")
        .unwrap();
    assert_eq!(code["events"], json!(2));
    assert_eq!(code["invalid"], json!(1));
    // 28 codes, one seen, two planned (listed apart).
    let never = s["never_seen"].as_array().unwrap();
    assert_eq!(never.len(), 25);
    assert_eq!(s["planned_not_seen"].as_array().unwrap().len(), 2);
    assert!(!never.contains(&json!("sso_saml.end_user_saml_failure")));
    assert_eq!(report["ok"], json!(false));
}

#[test]
fn exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.ndjson",
        &ndjson(&[example("dir_sync.activate.success")]),
    );
    let g = good.to_str().unwrap();
    assert_eq!(validate(&[g]).status.code(), Some(0));
    // A missing file is a usage error, even next to a good one, and the good
    // one is still checked.
    let out = validate(&[g, "/nonexistent/events.ndjson"]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(text(&out.stderr).contains("cannot read `/nonexistent/events.ndjson`"));
    assert!(
        text(&out.stderr).contains("checked 1 event from 2 inputs"),
        "{}",
        show(&out)
    );
    // A catalog that does not load.
    let out = validate(&["--catalog", "/nonexistent-catalog", g]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    // Bad usage.
    assert_eq!(validate(&["--format", "xml", g]).status.code(), Some(2));
    assert_eq!(validate(&["-j", "0", g]).status.code(), Some(2));
    // An empty input proves nothing: exit 1 unless --min-events 0.
    let empty = write(dir.path(), "empty.ndjson", "");
    let e = empty.to_str().unwrap();
    let out = validate(&[e]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("error: checked 0 events, fewer than --min-events 1"),
        "{}",
        show(&out)
    );
    let out = validate(&["--min-events", "0", e]);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
    assert!(text(&out.stderr).contains("checked 0 events"));
    // More than the input holds; -q still prints why it failed.
    let out = validate(&["-q", "--min-events", "2", g]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("checked 1 event, fewer than --min-events 2"),
        "{}",
        show(&out)
    );
    assert_eq!(validate(&["--min-events", "1", g]).status.code(), Some(0));
}

#[test]
fn min_events_and_unreadable_inputs_reach_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.ndjson",
        &ndjson(&[example("dir_sync.activate.success")]),
    );
    let g = good.to_str().unwrap();
    // JSON: an empty capture is not ok, and says why.
    let out = eventcat(&["validate", "--format", "json"], Some(b""));
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], json!(false));
    assert_eq!(report["summary"]["min_events"], json!(1));
    assert_eq!(report["summary"]["events"], json!(0));
    // The machine report goes to stdout (a file in CI); the log says why.
    assert!(
        text(&out.stderr).contains("checked 0 events, fewer than --min-events 1"),
        "{}",
        show(&out)
    );
    // JUnit: a failed case for the minimum; the report is written even when
    // an input is missing, and the good input is counted in it.
    let out = validate(&["--format", "junit", "/nonexistent/a.ndjson", g]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        text(&out.stderr).contains("cannot read `/nonexistent/a.ndjson`"),
        "{}",
        show(&out)
    );
    let xml = text(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is XML");
    let case = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("no case {name} in {xml}"))
    };
    let readable = case("readable inputs");
    let error = readable
        .children()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert!(error.text().unwrap().contains("/nonexistent/a.ndjson"));
    assert!(case("at least 1 event").children().all(|n| !n.is_element()));
    assert!(case("dir_sync.activate.success")
        .children()
        .all(|n| !n.is_element()));
    let out = eventcat(&["validate", "--format", "junit"], Some(b""));
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let xml = text(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure") && n.attribute("type") == Some("min-events"))
        .unwrap_or_else(|| panic!("no min-events failure in {xml}"));
    assert!(failure
        .attribute("message")
        .unwrap()
        .contains("checked 0 events"));
    // A folder that holds no event file is reported in its turn; the rest
    // is still checked.
    let empty = tempfile::tempdir().unwrap();
    let out = validate(&[empty.path().to_str().unwrap(), g]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(text(&out.stderr).contains("no *.json, *.ndjson or *.jsonl file"));
    assert!(text(&out.stderr).contains("checked 1 event from 2 inputs"));
}

/// Codes of the default catalog with `status = "planned"`.
fn planned_codes() -> Vec<String> {
    let catalog = eventcat::codegen::load(root().join("schema")).unwrap();
    catalog
        .events
        .iter()
        .filter(|e| e.status == eventcat::codegen::model::Status::Planned)
        .map(|e| e.code.clone())
        .collect()
}

#[test]
fn planned_codes_are_not_never_seen_and_summary_detail_is_chosen() {
    let planned = planned_codes();
    assert!(!planned.is_empty(), "the default catalog has planned codes");
    let codes = eventcat::codegen::load(root().join("schema"))
        .unwrap()
        .events
        .len();
    let mut bad = example("dir_sync.group.update.success");
    set(&mut bad, "/data/provider", json!("entra"));
    let input = ndjson(&[example("dir_sync.activate.success"), bad]);
    // JSON: planned codes are listed apart from "never seen".
    let out = eventcat(&["validate", "--format", "json"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let never: Vec<String> =
        serde_json::from_value(report["summary"]["never_seen"].clone()).unwrap();
    let planned_seen: Vec<String> =
        serde_json::from_value(report["summary"]["planned_not_seen"].clone()).unwrap();
    assert_eq!(planned_seen, planned);
    assert!(never.iter().all(|c| !planned.contains(c)));
    assert_eq!(never.len(), codes - planned.len() - 2);
    // Human, short (the default): the invalid code's row only, and a count.
    let out = eventcat(&["validate"], Some(input.as_bytes()));
    let err = text(&out.stderr);
    assert!(err.contains("dir_sync.group.update.success"), "{err}");
    assert!(!err.contains("dir_sync.activate.success"), "{err}");
    let expected = codes - planned.len();
    assert!(
        err.contains(&format!(
            "never seen: {} of {expected} codes sent today; {} planned codes not sent yet are not expected (--summary full lists them)",
            never.len(),
            planned.len()
        )),
        "{err}"
    );
    assert!(err.lines().count() <= 5, "{err}");
    // Full: every code seen, and both lists.
    let out = eventcat(&["validate", "--summary", "full"], Some(input.as_bytes()));
    let err = text(&out.stderr);
    assert!(err.contains("  dir_sync.activate.success "), "{err}");
    for code in &never {
        assert!(err.contains(&format!("\n  {code}\n")), "{code}: {err}");
    }
    assert!(
        err.contains(&format!("planned, not sent yet: {}", planned.join(", "))),
        "{err}"
    );
    // JUnit: no skipped case for a planned code.
    let out = eventcat(&["validate", "--format", "junit"], Some(input.as_bytes()));
    let xml = text(&out.stdout);
    for code in &planned {
        assert!(!xml.contains(&format!("name=\"{code}\"")), "{code}: {xml}");
    }
    assert!(
        xml.contains(&format!("skipped=\"{}\"", never.len())),
        "{xml}"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_exit_2_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = example("dir_sync.activate.success");
    set(&mut bad, "/data/change", json!("explode"));
    let other = write(dir.path(), "other.ndjson", &ndjson(&[bad]));
    // A file that opens but cannot be read: a permission-less file, or, as
    // root (who may read anything), /proc/self/mem, whose first page is
    // never mapped.
    let target = if is_root() {
        PathBuf::from("/proc/self/mem")
    } else {
        let p = write(dir.path(), "locked.ndjson", "{}\n");
        let mut perm = std::fs::metadata(&p).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o000);
        std::fs::set_permissions(&p, perm).unwrap();
        p
    };
    let out = validate(&[target.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    assert!(
        text(&out.stdout).contains("/data/change: expected one of"),
        "{}",
        show(&out)
    );
    assert!(
        text(&out.stderr).contains("error: cannot read"),
        "{}",
        show(&out)
    );
}

#[cfg(unix)]
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| text(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[test]
fn lint_reports_an_invalid_example_with_file_line_and_pointer() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("schema"), dir.path());
    let file = dir.path().join("families/sso_saml.toml");
    let old = std::fs::read_to_string(&file).unwrap();
    let needle = "\"saml_name_id\": \"jeanne.martin@acme-corp.com\"";
    let first = old.find(needle).expect("the example has a saml_name_id");
    let new = format!(
        "{}\"saml_name_id\": 42{}",
        &old[..first],
        &old[first + needle.len()..]
    );
    std::fs::write(&file, &new).unwrap();
    let line = new[..first].matches('\n').count() + 1;
    let out = eventcat(
        &[
            "lint",
            "--format",
            "json",
            "--catalog",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["kind"], json!("example-invalid"));
    assert_eq!(errors[0]["line"], json!(line));
    assert!(errors[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("sso_saml.toml"));
    let msg = errors[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("/data/user/saml_name_id: expected string, found 42"),
        "{msg}"
    );
    // The default catalog lints clean, examples included.
    let out = eventcat(&["lint"], None);
    assert_eq!(out.status.code(), Some(0), "{}", show(&out));
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn duplicate_keys_are_violations_at_every_depth() {
    // Before: both events passed (serde_json keeps the last value), and the
    // bogus status or code was never seen.
    let dir = tempfile::tempdir().unwrap();
    let good = example("dir_sync.user.provision.success").to_string();
    assert!(good.contains("\"code\":") && good.contains("\"change\":"));
    let dup_code = good.replacen("\"code\":", "\"code\":\"bogus\",\"code\":", 1);
    let dup_nested = good.replacen("\"change\":", "\"change\":\"x\",\"change\":", 1);
    let path = write(
        dir.path(),
        "dups.ndjson",
        &format!("{good}\n{dup_code}\n{dup_nested}\n"),
    );
    let out = validate(&["-q", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", show(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("dups.ndjson:2: dir_sync.user.provision.success: /code: key `code` appears more than once"),
        "{}",
        show(&out)
    );
    assert!(
        stdout.contains("dups.ndjson:3: dir_sync.user.provision.success: /data/change: key `change` appears more than once"),
        "{}",
        show(&out)
    );
    assert!(!stdout.contains("dups.ndjson:1:"), "{}", show(&out));
}

// ------------------------------------------- edge values (issue #22)

/// The wire catalog's first example with `raw` (JSON text, kept as
/// written) at `path`.
fn wire_event_with(path: &str, raw: &str) -> String {
    let catalog = eventcat::codegen::load(root().join("tests/catalogs/edge/wire")).unwrap();
    let mut event = catalog.events[0].examples[0].value.clone();
    let (parent, key) = path.rsplit_once('/').unwrap();
    match event.pointer_mut(parent).unwrap() {
        Value::Object(m) => {
            m.insert(key.into(), json!("@@EDGE@@"));
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = json!("@@EDGE@@"),
        _ => panic!("{path}"),
    }
    event.to_string().replace("\"@@EDGE@@\"", raw)
}

/// `tests/edge-values/wire.json`: the verdict the generated Rust types give
/// too (tests/compile-edge/tests/edge.rs checks the same table).
#[test]
fn edge_values_are_judged_like_the_rust_types() {
    let table: Value = serde_json::from_str(include_str!("edge-values/wire.json")).unwrap();
    let cases = table.as_array().unwrap();
    let mut input = String::new();
    for c in cases {
        input.push_str(&wire_event_with(
            c["path"].as_str().unwrap(),
            c["json"].as_str().unwrap(),
        ));
        input.push('\n');
    }
    let out = eventcat(
        &[
            "validate",
            "--catalog",
            "tests/catalogs/edge/wire",
            "--format",
            "json",
            "-",
        ],
        Some(input.as_bytes()),
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rejected: Vec<u64> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["line"].as_u64().unwrap())
        .collect();
    let mut wrong = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let valid = !rejected.contains(&(i as u64 + 1));
        if valid != c["valid"].as_bool().unwrap() {
            let why: Vec<&Value> = report["violations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|v| v["line"] == i as u64 + 1)
                .collect();
            wrong.push(format!(
                "{} = {}: valid={valid} {why:?}",
                c["path"], c["json"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn out_of_range_integers_are_printed_as_written() {
    let input = wire_event_with("/body/nested/level", "-9223372036854775809");
    let out = eventcat(
        &["validate", "--catalog", "tests/catalogs/edge/wire", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "/body/nested/level: expected a number >= -9223372036854775808, found -9223372036854775809"
        ),
        "{stdout}"
    );
}
