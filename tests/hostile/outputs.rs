//! Hostile output folders and faults for `eventcat generate`: what is in
//! `--out` already, what the manifest says, runs that race or die.

use std::path::Path;
use std::time::Duration;

use crate::{all_text, assert_no_crash, base, run_bounded, Case};

const GENERATE: &[&str] = &["generate", "--catalog", "cat", "--out", "out"];
const MANIFEST: &str = "out/.eventcat-manifest";

fn generate_once(d: &Path) {
    let out = run_bounded(d, GENERATE, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
}

/// The cases.
pub const CASES: &[Case] = &[
    Case {
        name: "outputs: --out is a file",
        setup: |d| std::fs::write(d.join("out"), "not a folder").unwrap(),
        args: GENERATE,
        exit: 2,
        expect: &["out"],
    },
    Case {
        name: "outputs: --out is below a file",
        setup: |d| std::fs::write(d.join("file"), "x").unwrap(),
        args: &["generate", "--catalog", "cat", "--out", "file/out"],
        exit: 2,
        expect: &["file/out"],
    },
    Case {
        name: "outputs: a foreign file where an output goes is refused",
        setup: |d| {
            std::fs::create_dir_all(d.join("out/docs")).unwrap();
            std::fs::write(d.join("out/docs/events.md"), "# mine, hand-written\n").unwrap();
        },
        args: GENERATE,
        exit: 2,
        expect: &["events.md"],
    },
    Case {
        name: "outputs: a garbage manifest is refused, nothing it lists deleted",
        setup: |d| {
            std::fs::create_dir_all(d.join("out")).unwrap();
            std::fs::write(d.join(MANIFEST), b"\xFF\x00garbage\n../../etc/passwd\n").unwrap();
        },
        args: GENERATE,
        exit: 2,
        expect: &["no file it lists is deleted", "move it away"],
    },
    Case {
        name: "outputs: manifest entries outside --out are never deleted",
        setup: |d| {
            generate_once(d);
            std::fs::write(d.join("victim.txt"), "keep me").unwrap();
            let m = std::fs::read_to_string(d.join(MANIFEST)).unwrap();
            std::fs::write(
                d.join(MANIFEST),
                format!("{m}../victim.txt\n/etc/hostname\n"),
            )
            .unwrap();
        },
        args: GENERATE,
        exit: 0,
        expect: &["victim.txt"],
    },
    Case {
        name: "outputs: a stale temporary file of a killed run is removed",
        setup: |d| {
            generate_once(d);
            std::fs::write(d.join("out/docs/.events.md.eventcat-tmp-99999"), "half").unwrap();
        },
        args: GENERATE,
        exit: 0,
        expect: &[],
    },
    Case {
        name: "outputs: --check on an empty folder lists what is missing",
        setup: |d| std::fs::create_dir_all(d.join("out")).unwrap(),
        args: &["generate", "--catalog", "cat", "--out", "out", "--check"],
        exit: 1,
        expect: &["events.md"],
    },
    Case {
        name: "outputs: a hand-edited output is stale for --check",
        setup: |d| {
            generate_once(d);
            let p = d.join("out/docs/events.md");
            let t = std::fs::read_to_string(&p).unwrap();
            std::fs::write(p, t + "edited\n").unwrap();
        },
        args: &["generate", "--catalog", "cat", "--out", "out", "--check"],
        exit: 1,
        expect: &["events.md"],
    },
];

#[test]
fn hostile_outputs() {
    crate::run_cases(CASES);
}

#[test]
fn a_manifest_entry_outside_out_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    base(d);
    (CASES[4].setup)(d);
    let out = run_bounded(d, GENERATE, Duration::from_secs(120));
    assert_no_crash("generate", &out);
    assert_eq!(
        std::fs::read_to_string(d.join("victim.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_temporary_file_of_a_killed_run_is_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    base(d);
    (CASES[5].setup)(d);
    generate_once(d);
    assert!(!d.join("out/docs/.events.md.eventcat-tmp-99999").exists());
}

#[test]
fn a_foreign_file_is_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    base(d);
    (CASES[2].setup)(d);
    let out = run_bounded(d, GENERATE, Duration::from_secs(120));
    assert_eq!(out.status.code(), Some(2), "{}", all_text(&out));
    assert_eq!(
        std::fs::read_to_string(d.join("out/docs/events.md")).unwrap(),
        "# mine, hand-written\n"
    );
}

/// Every file under `dir`, relative path -> bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(p) = stack.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn two_generate_runs_at_once_leave_complete_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    base(d);
    let reference = tempfile::tempdir().unwrap();
    base(reference.path());
    generate_once(reference.path());
    for round in 0..3 {
        let a = {
            let d = d.to_path_buf();
            std::thread::spawn(move || run_bounded(&d, GENERATE, Duration::from_secs(120)))
        };
        let b = run_bounded(d, GENERATE, Duration::from_secs(120));
        let a = a.join().unwrap();
        for out in [&a, &b] {
            assert_no_crash("generate", out);
            // Racing runs may refuse (a file the other one just wrote), but
            // each ends with 0 or 2, never half a file.
            assert!(
                matches!(out.status.code(), Some(0 | 2)),
                "round {round}: {}",
                all_text(out)
            );
        }
        let out = run_bounded(d, GENERATE, Duration::from_secs(120));
        assert_eq!(out.status.code(), Some(0), "{}", all_text(&out));
        let got = tree(&d.join("out"));
        let want = tree(&reference.path().join("out"));
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "round {round}"
        );
        assert!(got == want, "round {round}: outputs differ from a lone run");
    }
}

#[cfg(unix)]
#[test]
fn kill_9_in_the_middle_of_generate_leaves_no_half_file_and_a_rerun_recovers() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cat = base(d);
    // A larger catalog, so that the run takes long enough to be killed in
    // the middle: 300 event codes.
    let mut t = std::fs::read_to_string(cat.join("catalog.toml")).unwrap();
    for i in 0..300 {
        t.push_str(&format!(
            "\n[[event]]\ncode = \"f.e{i}\"\ntitle = \"E{i}\"\npayload = \"One\"\ndescription = \"Event {i}.\"\n"
        ));
    }
    std::fs::write(cat.join("catalog.toml"), t).unwrap();
    let reference = tempfile::tempdir().unwrap();
    crate::catalogs_copy(&cat, &reference.path().join("cat"));
    generate_once(reference.path());
    let want = tree(&reference.path().join("out"));
    let delays = [5u64, 20, 50, 100, 200, 400];
    for ms in delays {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eventcat"))
            .args(GENERATE)
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Whatever was written is whole: every output present is one of
        // the complete outputs (temporary files aside).
        if d.join("out").exists() {
            for (path, bytes) in tree(&d.join("out")) {
                if path.contains(".eventcat-tmp-") || path.ends_with(".eventcat-manifest") {
                    continue;
                }
                let name = Path::new(&path).file_name().unwrap().to_string_lossy();
                if name.starts_with('.') && name.contains("eventcat") {
                    continue;
                }
                assert_eq!(
                    Some(&bytes),
                    want.get(&path),
                    "after kill at {ms} ms: {path} is not a complete output"
                );
            }
        }
        // A rerun recovers: the outputs are the lone run's, and --check passes.
        generate_once(d);
        let check = run_bounded(
            d,
            &["generate", "--catalog", "cat", "--out", "out", "--check"],
            Duration::from_secs(120),
        );
        assert_eq!(check.status.code(), Some(0), "{}", all_text(&check));
        assert!(
            tree(&d.join("out")) == want,
            "after kill at {ms} ms and a rerun"
        );
        std::fs::remove_dir_all(d.join("out")).unwrap();
    }
}
