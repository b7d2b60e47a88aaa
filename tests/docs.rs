//! The docs emitter (`docs/events.html`, `docs/events.md`): snapshots of both
//! outputs for the default catalog and for `tests/catalogs/special-chars`
//! (HTML and Markdown special characters in every text field), escaping
//! checks, Markdown table shape, and `eventcat generate` / `--check` writing
//! and covering the docs. 10 tests (~4 s); the browser test is
//! tests/docs_browser.rs.

use std::path::{Path, PathBuf};
use std::process::Command;

use eventcat::codegen::emit::docs;
use eventcat::codegen::{load, Catalog};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalog(dir: &str) -> Catalog {
    load(root().join(dir)).unwrap_or_else(|d| panic!("{dir} loads:\n{}", d.render(false)))
}

/// (html, markdown) of a catalog.
fn render(cat: &Catalog) -> (String, String) {
    let files = docs::emit(cat);
    assert_eq!(
        files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        [docs::HTML_PATH, docs::MARKDOWN_PATH]
    );
    (files[0].contents.clone(), files[1].contents.clone())
}

const DEFAULT: &str = "schema";
const SPECIAL: &str = "tests/catalogs/special-chars";

/// The default catalog's pages are the checked-in ones: `generated/docs` is
/// their snapshot, kept once (`eventcat generate --check` says the same).
#[test]
fn default_pages_are_the_checked_in_ones() {
    let (html, md) = render(&catalog(DEFAULT));
    for (path, text) in [(docs::HTML_PATH, html), (docs::MARKDOWN_PATH, md)] {
        let on_disk = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("generated")
                .join(path),
        )
        .unwrap();
        assert!(
            on_disk == text,
            "generated/{path} is stale: run `cargo run -- generate`"
        );
    }
}

#[test]
fn snapshot_special_chars_html() {
    let (html, _) = render(&catalog(SPECIAL));
    insta::assert_snapshot!("special_chars_events_html", html);
}

#[test]
fn snapshot_special_chars_markdown() {
    let (_, md) = render(&catalog(SPECIAL));
    insta::assert_snapshot!("special_chars_events_md", md);
}

/// The special-chars catalog really has the hostile texts this file checks
/// for, in every kind of text field (so the checks below are not vacuous).
#[test]
fn special_catalog_is_hostile_everywhere() {
    let cat = catalog(SPECIAL);
    let hostile = |s: &str| s.contains("<script>alert(1)</script>") || s.contains(['|', '`', '#']);
    assert!(hostile(&cat.title) && hostile(&cat.description));
    assert!(hostile(&cat.envelope.description));
    assert!(cat
        .families
        .iter()
        .all(|f| hostile(&f.title) && hostile(&f.description)));
    assert!(cat.events.iter().all(|e| hostile(&e.title)));
    assert!(cat.events.iter().any(|e| matches!(
        &e.status,
        eventcat::codegen::model::Status::Deprecated { message } if hostile(message)
    )));
    let ex = &cat.events[0].examples[0];
    assert!(hostile(ex.name.as_deref().unwrap()) && hostile(ex.description.as_deref().unwrap()));
    assert!(ex.value.to_string().contains("<script>alert(1)</script>"));
    let kind = &cat.types["CharsKind"];
    let eventcat::codegen::model::TypeKind::Enum(e) = &kind.kind else {
        panic!("CharsKind is an enum")
    };
    assert!(e.values.iter().any(|v| v.value.contains("<script>")));
    assert!(e
        .values
        .iter()
        .all(|v| v.description.as_deref().is_some_and(|d| !d.is_empty())));
}

/// Every `<script` in the page is one of the page's own two script
/// elements; catalog text only ever shows up escaped.
#[test]
fn html_has_no_raw_markup_from_the_catalog() {
    for dir in [DEFAULT, SPECIAL] {
        let (html, _) = render(&catalog(dir));
        let lower = html.to_lowercase();
        assert_eq!(lower.matches("<script").count(), 2, "{dir}: page scripts");
        assert_eq!(lower.matches("</script").count(), 2, "{dir}: page scripts");
        assert!(!lower.contains("<script>alert"), "{dir}");
        for tag in [
            "<img",
            "<b>",
            "<i>",
            "<u>",
            "<em>event",
            "<br>",
            "<!-- comment",
        ] {
            assert!(!lower.contains(tag), "{dir}: raw {tag} in the HTML");
        }
        assert!(!lower.contains("javascript:"), "{dir}: unsafe link kept");
    }
    let (html, _) = render(&catalog(SPECIAL));
    // Shown as text, in element content (askama: &#60;, descriptions: &lt;)...
    assert!(html.contains("<h1 id=\"page-title\">&#60;script&#62;alert(1)&#60;/script&#62; | `Ticks` # Hash &#38; &#34;Quotes&#34; &#39;apos&#39; — ünïcödé ✓</h1>"));
    assert!(html.contains("<p>Intro with &lt;script&gt;alert(1)&lt;/script&gt;, an &lt;img src=x onerror=alert(1)&gt; tag"));
    // ...in attributes, and in examples (a `</script>` in a JSON string).
    assert!(
        html.contains("<a href=\"#chars.basic\">&#60;script&#62;alert(1)&#60;/script&#62; | Basic")
    );
    assert!(html.contains(
        "&#34;label&#34;: &#34;&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#34;"
    ));
    // The safe subset of Markdown is rendered.
    assert!(html.contains("<strong>bold &lt;b&gt;</strong>"));
    assert!(html.contains("<a href=\"https://example.test/a?b=1&amp;c=&lt;2&gt;\">safe link</a>"));
}

/// Strips fenced code blocks and code spans, which show their content
/// literally, so what is left is what a Markdown renderer interprets.
fn interpreted_markdown(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let ticks: String = line.chars().take_while(|&c| c == '`').collect();
        match &fence {
            Some(f) if ticks.len() >= f.len() && line.trim_end() == ticks => fence = None,
            Some(_) => {}
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                out.push_str(&strip_code_spans(line));
                out.push('\n');
            }
        }
    }
    assert!(fence.is_none(), "unclosed code fence");
    out
}

fn strip_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            out.push(chars[i]);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if chars[i] == '`' {
            let n = chars[i..].iter().take_while(|&&c| c == '`').count();
            let mut j = i + n;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let m = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if m == n {
                        close = Some(j);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            if let Some(c) = close {
                // Keep escaped pipes visible to the table check.
                let inner: String = chars[i + n..c].iter().collect();
                out.push_str("CODE");
                out.push_str(&"\\|".repeat(inner.matches("\\|").count()));
                i = c + n;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Column separators of a table row: `|` not escaped by a backslash.
fn cells(row: &str) -> usize {
    let mut n = 0;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => n += 1,
            _ => {}
        }
    }
    n
}

#[test]
fn markdown_tables_keep_their_column_count() {
    for dir in [DEFAULT, SPECIAL] {
        let (_, md) = render(&catalog(dir));
        let text = interpreted_markdown(&md);
        let mut tables = 0;
        let mut rows = 0;
        let mut expected: Option<usize> = None;
        for line in text.lines() {
            if line.starts_with('|') {
                let n = cells(line);
                match expected {
                    None => {
                        expected = Some(n);
                        tables += 1;
                    }
                    Some(e) => {
                        assert_eq!(n, e, "{dir}: row with another column count:\n{line}");
                        rows += 1;
                    }
                }
            } else {
                expected = None;
            }
        }
        let cat = catalog(dir);
        // The selector table, the envelope, one list per family, one field
        // table per object type with fields (in the Types section; events
        // link to their payload type rather than repeat its table).
        let with_fields = cat
            .types
            .keys()
            .filter(|t| cat.object(t).is_some_and(|o| !o.fields.is_empty()))
            .count();
        assert_eq!(tables, 2 + cat.families.len() + with_fields, "{dir}");
        assert!(rows > cat.events.len() * 2, "{dir}: {rows} rows");
    }
}

#[test]
fn markdown_has_no_raw_html_from_the_catalog() {
    for dir in [DEFAULT, SPECIAL] {
        let (_, md) = render(&catalog(dir));
        let text = interpreted_markdown(&md);
        let allowed = ["<!-- @generated by eventcat", "<a id=\"", "</a>", "<br/>"];
        let mut rest = text.as_str();
        let mut prev = ' ';
        while let Some(p) = rest.find('<') {
            let escaped = if p > 0 {
                rest[..p].ends_with('\\')
            } else {
                prev == '\\'
            };
            let at = &rest[p..];
            assert!(
                escaped || allowed.iter().any(|a| at.starts_with(a)),
                "{dir}: raw `<` in Markdown: {}",
                &at[..at.len().min(60)]
            );
            prev = '<';
            rest = &rest[p + 1..];
        }
        // Anchors carry only event codes and family ids.
        for line in md.lines().filter(|l| l.starts_with("<a id=\"")) {
            let id = &line["<a id=\"".len()..line.len() - "\"></a>".len()];
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c)),
                "{line}"
            );
        }
        // Every other line of the special catalog's prose is escaped: no
        // heading, list or quote comes from catalog text.
        if dir == SPECIAL {
            assert!(md.contains("\\#not a heading because no space"));
            // Link destinations keep `&` literal: no entity can spell a scheme.
            assert!(md.contains("[entity link](\\&#106;avascript:alert%281%29)"));
            assert!(!md.contains("](&"));
            assert!(md.contains("| [\\<script\\>alert(1)\\</script\\> \\| Basic \\`event\\` \\# \\& \"q\" 'a' ✓](#chars.basic) |"));
        }
    }
}

#[test]
fn every_event_has_an_anchored_section_in_both_outputs() {
    for dir in [DEFAULT, SPECIAL] {
        let cat = catalog(dir);
        let (html, md) = render(&cat);
        for e in &cat.events {
            assert!(
                html.contains(&format!("<section class=\"event\" id=\"{}\"", e.code)),
                "{}",
                e.code
            );
            assert!(
                html.contains(&format!("<a href=\"#{}\">", e.code)),
                "{}",
                e.code
            );
            assert!(
                md.contains(&format!("\n<a id=\"{}\"></a>\n", e.code)),
                "{}",
                e.code
            );
            assert!(md.contains(&format!("](#{}) |", e.code)), "{}", e.code);
            let sel = format!("`all`, `{}.all` or `{}`", e.family, e.code);
            assert!(md.contains(&sel), "{sel}");
        }
        // Same catalog, same bytes.
        assert_eq!(render(&cat), render(&catalog(dir)));
    }
}

fn eventcat(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

#[test]
fn generate_writes_the_docs_and_check_covers_them() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("gen");
    let out_s = out.to_str().unwrap();
    let o = eventcat(&["generate", "--catalog", DEFAULT, "--out", out_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (html, md) = render(&catalog(DEFAULT));
    assert_eq!(
        std::fs::read_to_string(out.join(docs::HTML_PATH)).unwrap(),
        html
    );
    assert_eq!(
        std::fs::read_to_string(out.join(docs::MARKDOWN_PATH)).unwrap(),
        md
    );
    let o = eventcat(&["generate", "--check", "--catalog", DEFAULT, "--out", out_s]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    std::fs::write(
        out.join(docs::MARKDOWN_PATH),
        md.replace("User created", "User made"),
    )
    .unwrap();
    std::fs::remove_file(out.join(docs::HTML_PATH)).unwrap();
    let o = eventcat(&["generate", "--check", "--catalog", DEFAULT, "--out", out_s]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("docs/events.md: stale"), "{err}");
    assert!(err.contains("docs/events.html: missing"), "{err}");
}

/// Issue #15/#20: every named type is documented once, in the Types section,
/// and events link to it instead of repeating its fields: one field table
/// per object type with fields (plus the envelope's), each enum value's
/// description once, and every field of a type table keeps optional and
/// nullable apart.
#[test]
fn types_are_documented_once_and_linked() {
    for dir in [DEFAULT, SPECIAL] {
        let cat = catalog(dir);
        let (html, md) = render(&cat);
        let anchors = docs::type_anchors(&cat);
        let with_fields = cat
            .types
            .keys()
            .filter(|t| cat.object(t).is_some_and(|o| !o.fields.is_empty()))
            .count();
        assert_eq!(
            html.matches("<table class=\"fields\">").count(),
            1 + with_fields,
            "{dir}: one field table per object type and the envelope"
        );
        for (name, anchor) in &anchors {
            assert_eq!(
                html.matches(&format!("<section class=\"type\" id=\"{anchor}\">"))
                    .count(),
                1,
                "{dir}: {name} documented once"
            );
            assert_eq!(
                md.matches(&format!("\n<a id=\"{anchor}\"></a>\n")).count(),
                1,
                "{dir}: {name} anchored once in the Markdown"
            );
        }
        for e in &cat.events {
            let a = &anchors[&e.payload];
            let sec = &html[html
                .find(&format!("<section class=\"event\" id=\"{}\">", e.code))
                .unwrap()..];
            let sec = &sec[..sec.find("</section>").unwrap()];
            assert!(
                sec.contains(&format!("<a href=\"#{a}\">")),
                "{}: payload linked",
                e.code
            );
            assert!(!sec.contains("<table"), "{}: no copied table", e.code);
        }
        // Enum values are listed once per enum type that has them (not
        // under every field using the enum); askama's escaping differs from
        // ours, so on the default catalog's plain values.
        if dir != DEFAULT {
            continue;
        }
        let mut per_value = std::collections::BTreeMap::new();
        for t in cat.types.values() {
            if let eventcat::codegen::model::TypeKind::Enum(en) = &t.kind {
                for v in &en.values {
                    let li = format!("<li><code>{}</code>", docs::html::escape(&v.value));
                    *per_value.entry(li).or_insert(0) += 1;
                }
            }
        }
        assert!(!per_value.is_empty());
        for (li, n) in per_value {
            assert_eq!(html.matches(&li).count(), n, "{dir}: {li}");
        }
    }
    // Optional and nullable are separate columns: an optional non-null field
    // and a required nullable one read differently.
    let (html, _) = render(&catalog(DEFAULT));
    assert!(html.contains("<td>optional</td><td>not null</td>"));
    assert!(html.contains("<td>required</td><td>nullable</td>"));
}

/// Every Markdown link to `#x` has an `<a id="x">`, and every HTML `href="#x"`
/// an element with `id="x"` (sidebar, type links, changelog).
#[test]
fn internal_links_resolve_in_both_outputs() {
    for dir in [DEFAULT, SPECIAL] {
        let (html, md) = render(&catalog(dir));
        let ids: std::collections::BTreeSet<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let links: Vec<&str> = html
            .split("href=\"#")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert!(links.iter().any(|l| l.starts_with("type-")), "{dir}");
        for l in &links {
            assert!(ids.contains(l), "{dir}: dangling #{l}");
        }
        let md_ids: std::collections::BTreeSet<&str> = md
            .split("<a id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        let mut n = 0;
        for s in md.split("](#").skip(1) {
            let target = &s[..s.find(')').unwrap()];
            assert!(
                md_ids.contains(target),
                "{dir}: dangling Markdown link #{target}"
            );
            n += 1;
        }
        assert!(n > 2 * catalog(dir).events.len(), "{dir}: {n} links");
    }
}

/// Issue #15: the page grows by a few KB per code, not by every nested
/// table an event reaches (614 KB for the default catalog before).
#[test]
fn html_stays_small_per_code() {
    let cat = catalog(DEFAULT);
    let (html, _) = render(&cat);
    let per_code = html.len() / cat.events.len();
    assert!(
        per_code < 8_000,
        "{} bytes, {per_code} per code",
        html.len()
    );
}
