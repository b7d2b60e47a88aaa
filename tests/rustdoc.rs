//! The API docs build without a warning (`RUSTDOCFLAGS="-D warnings"`):
//! the library (`eventcat-codegen`), the CLI crate and the generated crate of
//! the default catalog (generated/rust, every feature on). A broken or
//! ambiguous intra-doc link, or HTML rustdoc cannot read, fails here.
//!
//! Runs `cargo doc` in a target dir of its own under `CARGO_TARGET_TMPDIR`
//! (the first run checks the dependencies there: a few minutes on 2 cores;
//! later runs only document the three crates).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_api_docs_build_without_warnings() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rustdoc");
    let out = Command::new(env!("CARGO"))
        .args(["doc", "--locked", "--quiet", "--no-deps", "--all-features"])
        .args([
            "-p",
            "eventcat-codegen",
            "-p",
            "eventcat",
            "-p",
            "identity-webhooks-events",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo doc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for krate in ["eventcat_codegen", "eventcat", "identity_webhooks_events"] {
        let index = target.join("doc").join(krate).join("index.html");
        assert!(index.is_file(), "{} was not written", index.display());
    }
}
