//! `eventcat fixtures`: deterministic, selectable, and valid under
//! `eventcat validate` (the two commands are piped together).

use std::process::Output;

mod common;

fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

#[test]
fn valid_fixtures_pass_validate() {
    let fx = common::eventcat_stdin(&["fixtures", "--count", "4", "--seed", "7"], None);
    assert_eq!(
        fx.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fx.stderr)
    );
    let events = lines(&fx);
    // 28 codes x (examples + minimal + maximal + 4 random) at least.
    assert!(events.len() >= 28 * 7, "{} fixtures", events.len());
    let v = common::eventcat_stdin(&["validate", "-"], Some(&fx.stdout));
    assert_eq!(
        v.status.code(),
        Some(0),
        "fixtures must be valid:\n{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn invalid_fixtures_all_fail_validate() {
    let fx = common::eventcat_stdin(&["fixtures", "--kind", "invalid", "--count", "3"], None);
    assert_eq!(fx.status.code(), Some(0));
    for event in lines(&fx) {
        let line = serde_json::to_vec(&event).unwrap();
        let v = common::eventcat_stdin(&["validate", "-"], Some(&line));
        assert_eq!(v.status.code(), Some(1), "must be rejected: {event}");
    }
}

#[test]
fn same_seed_same_fixtures_other_seed_others() {
    let a = common::eventcat_stdin(
        &["fixtures", "--select", "dir_sync.all", "--seed", "42"],
        None,
    );
    let b = common::eventcat_stdin(
        &["fixtures", "--select", "dir_sync.all", "--seed", "42"],
        None,
    );
    let c = common::eventcat_stdin(
        &["fixtures", "--select", "dir_sync.all", "--seed", "43"],
        None,
    );
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
}

#[test]
fn selectors_pick_codes_and_reject_unknown_ones() {
    let fx = common::eventcat_stdin(
        &["fixtures", "--select", "sso_saml.all", "--count", "0"],
        None,
    );
    let codes: std::collections::BTreeSet<String> = lines(&fx)
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 8);
    assert!(codes.iter().all(|c| c.starts_with("sso_saml.")));

    let bad = common::eventcat_stdin(
        &["fixtures", "--select", "dir_sync.user.provison.success"],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("did you mean `dir_sync.user.provision.success`?"),
        "{err}"
    );
}

#[test]
fn fixtures_as_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::eventcat_stdin(
        &[
            "fixtures",
            "--select",
            "sso_saml.tokens_generated",
            "--count",
            "1",
            "--out",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let code_dir = dir.path().join("sso_saml.tokens_generated");
    let mut names: Vec<String> = std::fs::read_dir(&code_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"minimal.json".to_string()), "{names:?}");
    assert!(names.contains(&"maximal.json".to_string()), "{names:?}");
    assert!(names.contains(&"random-1.json".to_string()), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("example-")), "{names:?}");
}

#[test]
fn recursive_catalogs_give_fixtures_of_every_kind() {
    // Every kind aborted with a stack overflow (rc 134) on these catalogs:
    // `Nested = array<Nested>` was expanded forever.
    for catalog in [
        "tests/catalogs/edge/recursion",
        "tests/catalogs/special-chars",
    ] {
        for kind in ["valid", "consumer", "invalid"] {
            for count in ["0", "5"] {
                let fx = common::eventcat_stdin(
                    &[
                        "fixtures",
                        "--catalog",
                        catalog,
                        "--kind",
                        kind,
                        "--count",
                        count,
                    ],
                    None,
                );
                assert_eq!(
                    fx.status.code(),
                    Some(0),
                    "{catalog} --kind {kind} --count {count}: {}",
                    String::from_utf8_lossy(&fx.stderr)
                );
                assert!(!lines(&fx).is_empty(), "{catalog} --kind {kind}");
                if kind == "valid" {
                    let v = common::eventcat_stdin(
                        &["validate", "--catalog", catalog, "-"],
                        Some(&fx.stdout),
                    );
                    assert_eq!(
                        v.status.code(),
                        Some(0),
                        "{catalog}: fixtures must be valid:\n{}{}",
                        String::from_utf8_lossy(&v.stdout),
                        String::from_utf8_lossy(&v.stderr)
                    );
                }
            }
        }
    }
}

/// A catalog whose payload `X0` has required fields `a` and `b` of type
/// `X1`, and so on to `X<depth>`: no recursion, but 2^depth leaves.
fn binary_tree_catalog(depth: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "[catalog]\nname = \"t\"\nversion = \"1.0.0\"\n\n[envelope]\ndescription = \"e\"\n\n[family]\nid = \"t\"\ntitle = \"T\"\n\n[[event]]\ncode = \"t.e\"\ntitle = \"E\"\npayload = \"X0\"\n",
    );
    for i in 0..depth {
        text.push_str(&format!(
            "\n[types.X{i}.fields.a]\ntype = \"X{n}\"\n[types.X{i}.fields.b]\ntype = \"X{n}\"\n[types.X{i}.fields.more]\ntype = \"array<X{n}>\"\noptional = true\n",
            n = i + 1
        ));
    }
    text.push_str(&format!("\n[types.X{depth}.fields.s]\ntype = \"string\"\n"));
    std::fs::write(dir.path().join("catalog.toml"), text).unwrap();
    dir
}

#[test]
fn fixtures_of_a_branching_catalog_are_bounded() {
    // Depth 12: valid events within the node budget (optional arrays cut
    // short), and they pass validate. Before, the strategy was built once
    // per path (2^depth) and the maximal event filled every optional array.
    let dir = binary_tree_catalog(12);
    let catalog = dir.path().to_str().unwrap();
    let fx = common::eventcat_stdin(&["fixtures", "--catalog", catalog, "--count", "2"], None);
    assert_eq!(
        fx.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fx.stderr)
    );
    let events = lines(&fx);
    assert_eq!(events.len(), 4, "minimal, maximal, 2 random");
    fn count(v: &serde_json::Value) -> u64 {
        1 + match v {
            serde_json::Value::Array(a) => a.iter().map(count).sum(),
            serde_json::Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    for e in &events {
        assert!(count(e) <= 250_000, "{} values", count(e));
    }
    let v = common::eventcat_stdin(&["validate", "--catalog", catalog, "-"], Some(&fx.stdout));
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );

    // Depth 20: the smallest valid event has 3 million values (it took over
    // 4 GB, then aborted): a clear error instead.
    let dir = binary_tree_catalog(20);
    let catalog = dir.path().to_str().unwrap();
    for kind in ["valid", "consumer", "invalid"] {
        let fx = common::eventcat_stdin(
            &[
                "fixtures",
                "--catalog",
                catalog,
                "--count",
                "0",
                "--kind",
                kind,
            ],
            None,
        );
        assert_eq!(fx.status.code(), Some(2), "{kind}");
        let err = String::from_utf8_lossy(&fx.stderr);
        assert!(err.contains("more than 250000 values"), "{err}");
    }
}
