//! `eventcat generate` (issue #15 item 2, #20 item 5): the one-line success
//! messages and `-q`, the manifest's fingerprint and hashes, and the no-op
//! run that renders nothing when both still match.

mod common;

use std::path::Path;

use common::{copy_dir, eventcat, text};

fn manifest(out: &Path) -> String {
    std::fs::read_to_string(out.join(".eventcat-manifest")).unwrap()
}

/// The outputs the manifest lists (each with its hash).
fn outputs(out: &Path) -> usize {
    manifest(out).lines().filter(|l| l.contains('\t')).count()
}

fn fingerprint_line(out: &Path) -> String {
    manifest(out)
        .lines()
        .find(|l| l.starts_with("# fingerprint: "))
        .expect("the manifest records a fingerprint")
        .to_string()
}

#[test]
fn one_line_messages_and_the_no_op_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"),
        &dir.join("c"),
    );
    let out = dir.join("out");
    let run = |args: &[&str]| {
        let mut all = vec!["generate", "--catalog", "c", "--out", "out"];
        all.extend_from_slice(args);
        let o = eventcat(dir, &all);
        (o.status.code(), text(&o.stderr))
    };

    let (code, err) = run(&[]);
    assert_eq!(code, Some(0), "{err}");
    let n = outputs(&out);
    assert!(n > 10, "{n} outputs");
    assert_eq!(err, format!("wrote {n} of {n} outputs\n"));
    let fp = fingerprint_line(&out);
    assert_eq!(fp.len(), "# fingerprint: ".len() + 32, "{fp}");

    // Nothing changed: one line, and `-q` says nothing.
    assert_eq!(run(&[]), (Some(0), format!("up to date, {n} outputs\n")));
    assert_eq!(run(&["-q"]), (Some(0), String::new()));
    assert_eq!(
        run(&["--check"]),
        (Some(0), format!("up to date, {n} outputs\n"))
    );
    assert_eq!(run(&["--check", "-q"]), (Some(0), String::new()));

    // An edited output no longer has its recorded hash: rewritten.
    let md = out.join("docs/events.md");
    let original = std::fs::read_to_string(&md).unwrap();
    std::fs::write(&md, original.replace("User", "Person")).unwrap();
    assert_eq!(run(&[]), (Some(0), format!("wrote 1 of {n} outputs\n")));
    assert_eq!(std::fs::read_to_string(&md).unwrap(), original);

    // The no-op run trusts the manifest: an edit whose hash the manifest
    // records is left alone (proof that nothing was rendered), while
    // `--check` renders everything and finds it.
    let edited = original.replace("User", "Person");
    let old_hash = eventcat::codegen::output::content_hash(original.as_bytes());
    let new_hash = eventcat::codegen::output::content_hash(edited.as_bytes());
    std::fs::write(&md, &edited).unwrap();
    let m = manifest(&out).replace(
        &format!("docs/events.md\t{old_hash}"),
        &format!("docs/events.md\t{new_hash}"),
    );
    std::fs::write(out.join(".eventcat-manifest"), m).unwrap();
    assert_eq!(run(&[]), (Some(0), format!("up to date, {n} outputs\n")));
    assert_eq!(std::fs::read_to_string(&md).unwrap(), edited);
    let (code, err) = run(&["--check"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("docs/events.md: stale"), "{err}");
    assert!(err.contains(".eventcat-manifest: stale"), "{err}");
    assert!(
        err.contains("--out out --force`"),
        "a plain run would do nothing: {err}"
    );
    assert_eq!(run(&[]), (Some(0), format!("up to date, {n} outputs\n")));
    assert_eq!(
        run(&["--force"]),
        (Some(0), format!("wrote 1 of {n} outputs\n"))
    );
    assert_eq!(std::fs::read_to_string(&md).unwrap(), original);

    // A catalog edit that changes no output (a comment): a new fingerprint,
    // so everything is rendered, nothing but the manifest's fingerprint is
    // written, and `--check` does not count the fingerprint as an output.
    let catalog_toml = dir.join("c/catalog.toml");
    let mut t = std::fs::read_to_string(&catalog_toml).unwrap();
    t.push_str("\n# a comment\n");
    std::fs::write(&catalog_toml, t).unwrap();
    assert_eq!(
        run(&["--check"]),
        (Some(0), format!("up to date, {n} outputs\n"))
    );
    assert_eq!(
        run(&[]),
        (
            Some(0),
            format!("up to date, {n} outputs; manifest updated\n")
        )
    );
    assert_ne!(fingerprint_line(&out), fp);
    assert_eq!(run(&[]), (Some(0), format!("up to date, {n} outputs\n")));

    // A removed family: its codes' outputs are removed, and said so.
    std::fs::remove_file(dir.join("c/families/sso_saml.toml")).unwrap();
    std::fs::remove_file(dir.join("c/types/sso_saml.toml")).unwrap();
    let (code, err) = run(&[]);
    assert_eq!(code, Some(0), "{err}");
    let now = outputs(&out);
    assert!(now < n, "{now} of {n}");
    assert!(
        err.starts_with("wrote ")
            && err.ends_with(&format!(", removed {} no longer generated\n", n - now)),
        "{err}"
    );
}

/// Every command that loads a catalog checks its examples as `lint` does:
/// an example that breaks its event's schema stops `generate` (and
/// `fixtures`, which hands examples out as valid events) with the located
/// error, and nothing is written.
#[test]
fn an_invalid_example_stops_every_command_as_lint() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = tmp.path().join("cat");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"), &cat);
    let file = cat.join("families/dir_sync.toml");
    let toml = std::fs::read_to_string(&file).unwrap();
    let good = "\"directory_sync_id\": \"b6dab789-5741-4529-a640-c5a9c0962617\"";
    assert!(toml.contains(good));
    std::fs::write(
        &file,
        toml.replacen(good, "\"directory_sync_id\": \"not-a-uuid\"", 1),
    )
    .unwrap();
    let cat_arg = cat.to_str().unwrap();
    for args in [
        vec!["lint", "--catalog", cat_arg],
        vec!["generate", "--catalog", cat_arg, "--out", "out"],
        vec!["fixtures", "--catalog", cat_arg],
        vec!["validate", "--catalog", cat_arg, "--min-events", "0", "-"],
    ] {
        let out = eventcat(tmp.path(), &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("breaks its schema") && err.contains("dir_sync.toml:"),
            "{args:?}: {err}"
        );
    }
    assert!(!tmp.path().join("out").exists(), "generate wrote nothing");
}
