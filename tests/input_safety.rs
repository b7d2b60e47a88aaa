//! Catalog and event inputs that must not leak, block or exhaust memory:
//! example files outside the catalog, devices, FIFOs, oversized files,
//! CRLF and invalid UTF-8 catalogs (issue #21).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{copy_dir, eventcat, git, text};

const SECRET: &str = "TOPSECRET-outside-the-catalog";

/// A copy of `schema/` at `dir/name`.
fn catalog(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"), &to);
    to
}

/// Adds an example with `file = "<path>"` to the last event of a family file.
fn add_example_file(cat: &Path, path: &str) {
    let f = cat.join("families/sso_saml.toml");
    let mut t = std::fs::read_to_string(&f).unwrap();
    t.push_str(&format!(
        "\n[[event.example]]\nname = \"x\"\nfile = \"{path}\"\n"
    ));
    std::fs::write(f, t).unwrap();
}

/// Runs eventcat in `dir` and kills it if it runs longer than 60 s (a
/// hang is a failure, not a stuck test run).
fn eventcat_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "eventcat {args:?} hung (killed after 60 s): {}",
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn assert_located_refusal(out: &Output, what: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}{}", text(&out.stdout));
    assert!(stderr.contains(what), "{stderr}");
    assert!(
        stderr.contains("families/sso_saml.toml:"),
        "located: {stderr}"
    );
    assert!(stderr.contains("help:"), "hint: {stderr}");
    assert!(!stderr.contains(SECRET), "leaks the outside file: {stderr}");
    assert!(!text(&out.stdout).contains(SECRET));
}

#[test]
fn example_files_outside_the_catalog_are_refused_without_their_content() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.json");
    // Valid JSON envelope text, so it would be embedded if read.
    std::fs::write(&secret, format!(r#"{{"code": "{SECRET}", "data": {{}}}}"#)).unwrap();
    let not_json = tmp.path().join("passwd");
    std::fs::write(&not_json, format!("{SECRET}:x:0:0\n")).unwrap();

    for (path, what) in [
        (
            "../../secret.json".to_string(),
            "outside the catalog folder",
        ),
        ("../../passwd".to_string(), "outside the catalog folder"),
        (secret.display().to_string(), "is an absolute path"),
        (not_json.display().to_string(), "is an absolute path"),
    ] {
        let cat = catalog(tmp.path(), "c");
        add_example_file(&cat, &path);
        let out = eventcat(tmp.path(), &["lint", "--catalog", "c"]);
        assert_located_refusal(&out, what);
        let out = eventcat(tmp.path(), &["generate", "--catalog", "c", "--out", "out"]);
        assert_located_refusal(&out, what);
        assert!(!tmp.path().join("out").exists(), "generate wrote output");
        std::fs::remove_dir_all(&cat).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn example_symlink_leading_outside_the_catalog_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("secret.json"),
        format!(r#"{{"code": "{SECRET}", "data": {{}}}}"#),
    )
    .unwrap();
    let cat = catalog(tmp.path(), "c");
    std::fs::create_dir(cat.join("examples")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.json"), cat.join("examples/x.json"))
        .unwrap();
    add_example_file(&cat, "../examples/x.json");
    let out = eventcat(tmp.path(), &["lint", "--catalog", "c"]);
    assert_located_refusal(&out, "through a symlink");
}

#[test]
fn example_outside_the_catalog_is_refused_at_a_git_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    // The committed catalog names a file outside the temporary folder the
    // revision is written to (an absolute path, and a `..` path).
    let secret = tmp.path().join("secret.json");
    std::fs::write(&secret, format!(r#"{{"code": "{SECRET}", "data": {{}}}}"#)).unwrap();
    for (path, what) in [
        (secret.display().to_string(), "is an absolute path"),
        (
            "../../../../../../../../../../etc/hostname".to_string(),
            "outside the catalog folder",
        ),
    ] {
        let cat = catalog(repo, "schema");
        add_example_file(&cat, &path);
        git(repo, &["add", "."]);
        git(repo, &["commit", "-q", "-m", "bad example"]);
        // The working tree is fine again: only the revision is bad.
        std::fs::remove_dir_all(&cat).unwrap();
        catalog(repo, "schema");
        let out = eventcat(repo, &["diff", "--base", "HEAD"]);
        assert_located_refusal(&out, what);
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("HEAD:schema/families/sso_saml.toml:"),
            "{stderr}"
        );
    }
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_in_the_catalog_are_refused_not_read() {
    let tmp = tempfile::tempdir().unwrap();

    // An example naming a device, through a symlink inside the catalog.
    let cat = catalog(tmp.path(), "c");
    std::fs::create_dir(cat.join("examples")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", cat.join("examples/zero.json")).unwrap();
    add_example_file(&cat, "../examples/zero.json");
    let out = eventcat_bounded(tmp.path(), &["lint", "--catalog", "c"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("resolves (through a symlink) outside"),
        "{stderr}"
    );
    assert!(stderr.contains("families/sso_saml.toml:"), "{stderr}");
    std::fs::remove_dir_all(&cat).unwrap();

    // A catalog file that is a symlink to a device.
    let cat = catalog(tmp.path(), "c");
    std::os::unix::fs::symlink("/dev/zero", cat.join("types/x.toml")).unwrap();
    let out = eventcat_bounded(tmp.path(), &["lint", "--catalog", "c"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("types/x.toml"), "{stderr}");
    assert!(
        stderr.contains("not a regular file (it is a device)"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&cat).unwrap();

    // A FIFO named *.toml (nobody ever writes to it).
    let cat = catalog(tmp.path(), "c");
    mkfifo(&cat.join("types/pipe.toml"));
    let out = eventcat_bounded(tmp.path(), &["lint", "--catalog", "c"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not a regular file (it is a FIFO)"),
        "{stderr}"
    );
}

#[test]
fn oversized_catalog_files_and_examples_are_refused_with_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalog(tmp.path(), "c");
    // Sparse files: the size is what counts, no disk is used.
    let big = std::fs::File::create(cat.join("types/big.toml")).unwrap();
    big.set_len(16 * 1024 * 1024 + 1).unwrap();
    let out = eventcat_bounded(tmp.path(), &["lint", "--catalog", "c"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("types/big.toml"), "{stderr}");
    assert!(
        stderr.contains("larger than the limit of 16 MiB"),
        "{stderr}"
    );
    std::fs::remove_file(cat.join("types/big.toml")).unwrap();

    std::fs::create_dir(cat.join("examples")).unwrap();
    let big = std::fs::File::create(cat.join("examples/big.json")).unwrap();
    big.set_len(16 * 1024 * 1024 + 1).unwrap();
    add_example_file(&cat, "../examples/big.json");
    let out = eventcat_bounded(tmp.path(), &["lint", "--catalog", "c"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("larger than the limit of"), "{stderr}");
    assert!(stderr.contains("16 MiB"), "{stderr}");
    assert!(stderr.contains("families/sso_saml.toml:"), "{stderr}");
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let st = Command::new("mkfifo").arg(p).status().unwrap();
    assert!(st.success());
}

#[cfg(unix)]
#[test]
fn validate_reports_a_fifo_in_a_folder_and_checks_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let events = tmp.path().join("events");
    std::fs::create_dir(&events).unwrap();
    mkfifo(&events.join("pipe.json"));
    std::fs::write(events.join("a.json"), r#"{"code": "nope"}"#).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let out = eventcat_bounded(
        tmp.path(),
        &["validate", "--catalog", schema.to_str().unwrap(), "events"],
    );
    let stderr = text(&out.stderr);
    let all = format!("{}{stderr}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(
        all.contains("pipe.json`: not a regular file (it is a FIFO)"),
        "{all}"
    );
    assert!(
        all.contains("unknown event code `nope`"),
        "rest checked: {all}"
    );
}

/// Found in review: a FIFO named on the command line is read once, as a
/// stream (it was opened once to ask whether it is a regular file, which
/// lost what the writer sent, then waited forever for another writer).
#[cfg(unix)]
#[test]
fn validate_reads_a_fifo_named_on_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.ndjson");
    mkfifo(&fifo);
    // The writer waits until eventcat opens the FIFO (not joined: if eventcat
    // never does, the bounded run below fails first).
    let to = fifo.clone();
    std::thread::spawn(move || {
        use std::io::Write;
        let mut w = std::fs::OpenOptions::new().write(true).open(to).unwrap();
        w.write_all(b"{\"code\": \"nope\"}\n").unwrap();
    });
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let out = eventcat_bounded(
        tmp.path(),
        &[
            "validate",
            "--catalog",
            schema.to_str().unwrap(),
            "pipe.ndjson",
        ],
    );
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("unknown event code `nope`"), "{all}");
}

/// Every file below `dir`, relative path -> bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn crlf_catalog_generates_byte_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let lf = catalog(tmp.path(), "lf");
    let crlf = catalog(tmp.path(), "crlf");
    let mut converted = 0;
    for (rel, bytes) in tree(&crlf) {
        let t = String::from_utf8(bytes).unwrap();
        assert!(!t.contains('\r'));
        std::fs::write(crlf.join(&rel), t.replace('\n', "\r\n")).unwrap();
        converted += 1;
    }
    assert!(converted >= 5, "{converted}");
    for (cat, out) in [("lf", "out-lf"), ("crlf", "out-crlf")] {
        let o = eventcat(tmp.path(), &["generate", "--catalog", cat, "--out", out]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    let (a, b) = (
        tree(&tmp.path().join("out-lf")),
        tree(&tmp.path().join("out-crlf")),
    );
    assert_eq!(a.len(), b.len());
    let differ: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(differ.is_empty(), "outputs differ: {differ:?}");
    let _ = lf;

    // Diagnostics keep their line:column in a CRLF file.
    let f = crlf.join("families/sso_saml.toml");
    let t = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        format!("{t}\r\n[[event.example]]\r\nname = \"x\"\r\nfile = \"/abs.json\"\r\n"),
    )
    .unwrap();
    let lines = t.matches('\n').count();
    let o = eventcat(tmp.path(), &["lint", "--catalog", "crlf"]);
    let stderr = text(&o.stderr);
    assert!(
        stderr.contains(&format!("families/sso_saml.toml:{}:8]", lines + 4)),
        "{stderr}"
    );
}

#[test]
fn invalid_utf8_catalog_file_is_located_at_the_first_bad_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalog(tmp.path(), "c");
    std::fs::write(
        cat.join("types/bad.toml"),
        b"# ok\n[types.X]\ndescription = \"caf\xe9\"\n",
    )
    .unwrap();
    let o = eventcat(tmp.path(), &["lint", "--catalog", "c"]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("types/bad.toml:3:19]"), "{stderr}");
    assert!(stderr.contains("re-save this file as UTF-8"), "{stderr}");
}

/// Runs eventcat with a stdout whose reader is already gone (as after
/// `| head` has exited).
fn eventcat_closed_stdout(dir: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn closed_stdout_ends_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    catalog(tmp.path(), "schema");
    std::fs::write(tmp.path().join("bad.ndjson"), "{\"code\": \"nope\"}\n").unwrap();
    for (args, code) in [
        (&["fixtures"][..], 0),
        (&["lint"][..], 0),
        (&["lint", "--format", "json"][..], 0),
        (&["catalog-schema"][..], 0),
        (&["diff", "schema", "schema"][..], 0),
        (&["diff", "schema", "schema", "--format", "json"][..], 0),
        // validate prints only violations on stdout: there was one.
        (&["validate", "bad.ndjson"][..], 1),
    ] {
        let out = eventcat_closed_stdout(tmp.path(), args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("Broken pipe") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}
