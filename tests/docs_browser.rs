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
    run_script(&node.unwrap(), &script, &config, tmp.path());
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

/// A synthetic catalog of `families` x `per_family` codes in `dir`: each
/// code with its own payload type, which points at its family's resource
/// type (an object with an enum). One event's description alone holds the
/// word `zebracorn`.
fn write_large_catalog(dir: &Path, families: usize, per_family: usize) {
    std::fs::create_dir_all(dir.join("families")).unwrap();
    std::fs::write(
        dir.join("catalog.toml"),
        r#"[catalog]
name = "large"
version = "1.0.0"
title = "Large catalog"
description = "A synthetic catalog made by tests/docs_browser.rs."

[envelope]
discriminator = "code"
payload = "data"
description = "The body of every webhook request."

[envelope.fields.code]
description = "The event code."

[envelope.fields.data]
description = "The payload; its type depends on `code`."
"#,
    )
    .unwrap();
    for f in 0..families {
        let mut t = format!(
            "[family]\nid = \"fam{f}\"\ntitle = \"Family {f}\"\ndescription = \"Events of family {f}.\"\n\n\
             [types.Fam{f}Resource]\ndescription = \"A resource of family {f}.\"\n\n\
             [types.Fam{f}Resource.fields.id]\ntype = \"uuid\"\ndescription = \"Its id.\"\n\n\
             [types.Fam{f}Resource.fields.state]\ntype = \"Fam{f}State\"\ndescription = \"Its state.\"\n\n\
             [types.Fam{f}State]\ndescription = \"States of family {f}.\"\nvalues = [\"on\", \"off\"]\n\n"
        );
        for e in 0..per_family {
            let word = if f == families / 2 && e == per_family / 2 {
                " A zebracorn was seen."
            } else {
                ""
            };
            t.push_str(&format!(
                "[[event]]\ncode = \"fam{f}.thing{e}.done\"\ntitle = \"Thing {e} of family {f} done\"\n\
                 payload = \"Fam{f}Thing{e}\"\ndescription = \"Sent when thing {e} is done.{word}\"\n\n\
                 [types.Fam{f}Thing{e}]\ndescription = \"Payload of thing {e}.\"\n\n\
                 [types.Fam{f}Thing{e}.fields.resource]\ntype = \"Fam{f}Resource\"\ndescription = \"The resource.\"\n\n\
                 [types.Fam{f}Thing{e}.fields.note]\ntype = \"string\"\noptional = true\nnullable = true\n\
                 description = \"A note.\"\n\n"
            ));
        }
        std::fs::write(dir.join(format!("families/fam{f}.toml")), t).unwrap();
    }
}

/// Issue #15: the docs page of a 3,000-code catalog loads in headless
/// Chromium, the search finds one event among all, and an event's link
/// leads to its payload type's table, with no console error. Prints the
/// load time (bench/README.md has measured figures).
#[test]
fn docs_page_of_3000_codes_in_headless_chromium() {
    let script = root().join("tests/browser/large.mjs");
    let modules = root().join("tests/browser/node_modules/playwright-core");
    let (Some(chromium), Some(node)) = (chromium(), find_on_path("node")) else {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !in_ci,
            "chromium and node are needed; .ci/run installs them"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED docs_page_of_3000_codes_in_headless_chromium: chromium or node missing"
        );
        return;
    };
    assert!(modules.is_dir(), "npm ci --prefix tests/browser");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("large");
    write_large_catalog(&dir, 200, 15);
    let cat = load(&dir).unwrap_or_else(|d| panic!("{}", d.render(false)));
    assert_eq!(cat.events.len(), 3000);
    let html = docs::emit(&cat)
        .into_iter()
        .find(|f| f.path == docs::HTML_PATH)
        .expect("the docs emitter writes the HTML page");
    assert!(
        html.contents.len() <= 3000 * 4096,
        "at most 4 KB of HTML per code: {} bytes",
        html.contents.len()
    );
    let page = tmp.path().join("large.html");
    std::fs::write(&page, html.contents).unwrap();
    let follow = "fam7.thing3.done";
    let payload = &cat
        .events
        .iter()
        .find(|e| e.code == follow)
        .unwrap()
        .payload;
    let anchor = docs::type_anchors(&cat)[payload].clone();
    let config = serde_json::json!({
        "chromium": chromium,
        "page": page,
        "count": cat.events.len(),
        "search": { "query": "zebracorn", "code": "fam100.thing7.done" },
        "follow": { "code": follow, "type": anchor },
    });
    run_script(&node, &script, &config, tmp.path());
}

/// Runs a browser script with `config` (written to `dir/config.json`),
/// prints what it printed, and fails unless every check passed.
fn run_script(node: &Path, script: &Path, config: &serde_json::Value, dir: &Path) {
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let out = Command::new(node)
        .arg(script)
        .arg(&config_path)
        .current_dir(root())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains(", 0 failed"),
        "browser checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
