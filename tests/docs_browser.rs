//! The docs page in a real browser: renders the default catalog's and the
//! special-chars catalog's `docs/events.html`, then runs
//! `tests/browser/docs.mjs` (playwright-core driving Debian's headless
//! Chromium), which checks what a reader sees: every code present, anchors,
//! search filtering, copy buttons, themes, the page without JavaScript, no
//! console errors, no script run from catalog text; at 1400 and 390 px: no
//! sideways scroll, a one-line header, the contents (sidebar / folded),
//! titles below the sticky header after a link, links to types; search for a
//! nested field, an enum value and a status (29 checks, ~15 s).
//! Screenshots go to `target/docs-screenshot.png` (top of the page),
//! `target/docs-screenshot-search.png` (a search typed) and
//! `target/docs-screenshot-dark.png` (dark theme).
//!
//! Needs `chromium` (or `EVENTCAT_CHROMIUM=/path`), `node`, and
//! `tests/browser/node_modules` (`npm ci --prefix tests/browser`). Without
//! them the test is skipped with a message, except in CI (`CI=true`), where
//! it fails: `.ci/run` installs them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use eventcat::codegen::emit::docs;
use eventcat::codegen::load;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The cargo target folder this test binary was built in
/// (`target/debug/deps/docs_browser-*` -> `target`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root().join("target"))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("EVENTCAT_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser"]
        .iter()
        .find_map(|n| find_on_path(n))
}

/// Writes `docs/events.html` of the catalog in `dir` under `out`; returns
/// its path, the catalog title and the codes.
fn render(dir: &str, out: &Path) -> (PathBuf, String, Vec<String>) {
    let cat = load(root().join(dir)).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let html = docs::emit(&cat)
        .into_iter()
        .find(|f| f.path == docs::HTML_PATH)
        .expect("the docs emitter writes the HTML page");
    let path = out.join(dir.replace('/', "_")).with_extension("html");
    std::fs::write(&path, html.contents).unwrap();
    let codes = cat.events.iter().map(|e| e.code.clone()).collect();
    (path, cat.title, codes)
}

#[test]
fn docs_page_in_headless_chromium() {
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let script = root().join("tests/browser/docs.mjs");
    let modules = root().join("tests/browser/node_modules/playwright-core");
    let chromium = chromium();
    let node = find_on_path("node");
    let mut missing = Vec::new();
    if chromium.is_none() {
        missing.push("chromium (apt-get install chromium, or set EVENTCAT_CHROMIUM)");
    }
    if node.is_none() {
        missing.push("node");
    }
    if !modules.is_dir() {
        missing.push("tests/browser/node_modules (npm ci --prefix tests/browser)");
    }
    if !missing.is_empty() {
        let msg = format!(
            "docs browser test needs {}; .ci/run installs them",
            missing.join(", ")
        );
        if in_ci {
            panic!("{msg}");
        }
        // Straight to stderr, past libtest's capture, so a skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED docs_page_in_headless_chromium: {msg}"
        );
        return;
    }

    let tmp = tempfile::tempdir().unwrap();
    let (page, title, codes) = render("schema", tmp.path());
    let (special_page, special_title, _) = render("tests/catalogs/special-chars", tmp.path());
    // What the search must find (issue #20): a nested field name, an enum
    // value, a status; and for every event the words its types reach.
    let cat = load(root().join("schema")).unwrap();
    let reach: serde_json::Map<String, serde_json::Value> = cat
        .events
        .iter()
        .map(|e| {
            let mut words = docs::reachable_words(&cat, &e.payload);
            words.push(cat.family(&e.family).unwrap().title.to_lowercase());
            let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            (e.code.clone(), serde_json::json!(words))
        })
        .collect();
    let mut searches = serde_json::Map::new();
    for q in ["directory_sync_id", "okta", "planned"] {
        let found: Vec<&str> = cat
            .events
            .iter()
            .filter(|e| {
                e.status.as_str() == q
                    || docs::reachable_words(&cat, &e.payload)
                        .iter()
                        .any(|w| w == q)
            })
            .map(|e| e.code.as_str())
            .collect();
        searches.insert(q.into(), serde_json::json!(found));
    }
    let target = target_dir();
    std::fs::create_dir_all(&target).unwrap();
    let shot = |name: &str| target.join(name).display().to_string();
    let config = serde_json::json!({
        "chromium": chromium.unwrap(),
        "page": page,
        "title": title,
        "codes": codes,
        "special_page": special_page,
        "special_title": special_title,
        "searches": searches,
        "reach": reach,
        "screenshots": {
            "wide": shot("docs-screenshot-1400.png"),
            "phone": shot("docs-screenshot-390.png"),
            "top": shot("docs-screenshot.png"),
            "search": shot("docs-screenshot-search.png"),
            "dark": shot("docs-screenshot-dark.png"),
        },
    });
    let config_path = tmp.path().join("config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();

    let out = Command::new(node.unwrap())
        .arg(&script)
        .arg(&config_path)
        .current_dir(root())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(", 0 failed"),
        "the script did not finish:\n{stdout}"
    );
    for name in [
        "docs-screenshot-1400.png",
        "docs-screenshot-390.png",
        "docs-screenshot.png",
        "docs-screenshot-search.png",
        "docs-screenshot-dark.png",
    ] {
        let bytes = std::fs::read(target.join(name)).expect("screenshot written");
        assert!(bytes.starts_with(b"\x89PNG"), "{name} is a PNG");
    }
}
