//! Sets `EVENTCAT_SOURCE_ID`: a hash of this crate's sources and templates,
//! part of the fingerprint `generate` records in its manifest, so a rebuilt
//! eventcat with other emitters never takes old outputs as up to date.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut all = Vec::new();
    for dir in ["src", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut all);
    }
    println!("cargo:rerun-if-changed=build.rs");
    all.sort();
    // FNV-1a, 64 bits: stable across platforms and Rust versions.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for p in &all {
        let rel = p.strip_prefix(&root).unwrap_or(p);
        feed(rel.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&[0]);
        // CRLF checkouts hash as LF ones.
        let bytes = std::fs::read(p).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        feed(text.as_bytes());
        feed(&[0]);
    }
    println!("cargo:rustc-env=EVENTCAT_SOURCE_ID={h:016x}");
}
