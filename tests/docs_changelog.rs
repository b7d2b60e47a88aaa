//! The docs changelog (`eventcat generate --previous`): on the catalog pair
//! `tests/catalogs/changelog/{v1,v2}`, every change of `eventcat diff`'s
//! engine is listed once, in the right list (breaking or other), with its
//! codes linked; intended breaks carry their reason; each event lists its own
//! changes; nothing machine-dependent leaks into the page; and the CLI flag
//! works with folders and git revisions and is honoured by `--check`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use eventcat::codegen::diff::{self, Policy, Severity};
use eventcat::codegen::emit::docs;
use eventcat::codegen::{load, Catalog};

mod common;
use common::{copy_dir, eventcat, git, text};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const V1: &str = "tests/catalogs/changelog/v1";
const V2: &str = "tests/catalogs/changelog/v2";

fn catalog(dir: impl AsRef<Path>) -> Catalog {
    let dir = root().join(dir);
    load(&dir).unwrap_or_else(|d| panic!("{} loads:\n{}", dir.display(), d.render(false)))
}

/// (html, markdown) of `new`, with a changelog since `previous` if given.
fn render(new: &Catalog, previous: Option<&Catalog>) -> (String, String) {
    let files = docs::emit_since(new, previous);
    (files[0].contents.clone(), files[1].contents.clone())
}

/// The text between `start` (included) and the first `end` after it.
fn section<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let j = text[i..]
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"));
    &text[i..i + j]
}

/// The data rows of the Markdown tables under `heading` (up to the next
/// heading).
fn md_rows<'a>(md: &'a str, heading: &str) -> Vec<&'a str> {
    let Some(i) = md.find(heading) else {
        return Vec::new();
    };
    let rest = &md[i + heading.len()..];
    let end = rest.find("\n#").unwrap_or(rest.len());
    rest[..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Change |") && !l.starts_with("| --- "))
        .collect()
}

#[test]
fn snapshot_markdown_page() {
    let (_, md) = render(&catalog(V2), Some(&catalog(V1)));
    insta::assert_snapshot!("changelog_events_md", md);
}

#[test]
fn snapshot_html_changelog_section() {
    let (html, _) = render(&catalog(V2), Some(&catalog(V1)));
    let log = section(&html, "<section class=\"changelog\"", "</section>");
    insta::assert_snapshot!("changelog_section_html", log);
}

#[test]
fn every_change_is_listed_once_in_its_list() {
    let (old, new) = (catalog(V1), catalog(V2));
    let changes = diff::changelog(&old, &new);
    let policy = Policy::default();
    let breaking: Vec<_> = changes
        .iter()
        .filter(|c| c.severity(&policy) >= Severity::Warning)
        .collect();
    // The pair is built to have both kinds, including a warning-only break.
    assert!(breaking.len() >= 3, "{changes:#?}");
    assert!(changes.len() > breaking.len() + 3, "{changes:#?}");
    assert!(breaking
        .iter()
        .any(|c| c.severity(&policy) == Severity::Warning));

    let (html, md) = render(&new, Some(&old));
    let b_rows = md_rows(&md, "### Breaking changes");
    let o_rows = md_rows(&md, "### Other changes");
    assert_eq!(b_rows.len(), breaking.len(), "{b_rows:#?}");
    assert_eq!(o_rows.len(), changes.len() - breaking.len(), "{o_rows:#?}");
    for c in &changes {
        let rows = if c.severity(&policy) >= Severity::Warning {
            &b_rows
        } else {
            &o_rows
        };
        let id = format!("| `{}` |", c.rule.id);
        let hits = rows
            .iter()
            .filter(|r| r.ends_with(&id) && c.codes.iter().all(|code| r.contains(code.as_str())))
            .count();
        assert!(
            hits >= 1,
            "{} for {:?} missing: {rows:#?}",
            c.rule.id,
            c.codes
        );
    }
    // Same counts in the HTML tables.
    let html_log = section(&html, "<section class=\"changelog\"", "</section>");
    let b_html = section(html_log, "id=\"changelog-breaking\"", "</table>");
    let o_html = section(html_log, "id=\"changelog-other\"", "</table>");
    assert_eq!(b_html.matches("<tr>").count() - 1, breaking.len());
    assert_eq!(
        o_html.matches("<tr>").count() - 1,
        changes.len() - breaking.len()
    );
    assert!(md.contains(&format!(
        "{} breaking changes, {} other changes",
        breaking.len(),
        changes.len() - breaking.len()
    )));
}

#[test]
fn intended_breaks_stay_breaking_with_their_reason() {
    let (html, md) = render(&catalog(V2), Some(&catalog(V1)));
    let reason = "The APAC region opens in 1.1.0; consumers were told to update by March.";
    let row = md_rows(&md, "### Breaking changes")
        .into_iter()
        .find(|r| r.contains("`enum-value-added`"))
        .expect("the acknowledged enum break is in the breaking list");
    assert!(row.contains(&format!("**Intended:** {reason}")), "{row}");
    assert!(row.contains("every event"), "envelope change: {row}");
    assert!(html.contains(&format!("<strong>Intended:</strong> {reason}")));
    // Only that change is intended.
    assert_eq!(md.matches("**Intended:**").count(), 1);
}

#[test]
fn each_event_lists_its_own_changes() {
    let (_, md) = render(&catalog(V2), Some(&catalog(V1)));
    let callout = |code: &str| {
        let s = section(&md, &format!("<a id=\"{code}\"></a>"), "Subscribe with");
        s.lines()
            .filter(|l| l.starts_with("> - "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // A shared type's new required field reaches the customer event too.
    assert_eq!(
        callout("shop.customer.created"),
        ["> - **breaking**: new required field `data.customer.phone` (string): producers not yet updated do not send it (`data.customer.phone`)"]
    );
    let created = callout("shop.order.created");
    assert_eq!(created.len(), 4, "{created:#?}");
    assert!(
        created[0].starts_with("> - **breaking**: "),
        "breaking first"
    );
    assert!(created[1..].iter().all(|l| !l.contains("**breaking**")));
    // A new code says only that it is new.
    assert_eq!(
        callout("shop.order.refunded"),
        ["> - new event code (available)"]
    );
    // The removed code has no section and no link.
    assert!(!md.contains("<a id=\"shop.order.legacy\">"));
    assert!(!md.contains("(#shop.order.legacy)"));
    assert!(md.contains("`shop.order.legacy` (removed)"));
}

/// Every `href="#x"` of the page has an element with `id="x"`.
fn assert_internal_links_resolve(html: &str) {
    let ids: BTreeSet<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut n = 0;
    for s in html.split("href=\"#").skip(1) {
        let target = &s[..s.find('"').unwrap()];
        assert!(ids.contains(target), "dangling link #{target}");
        n += 1;
    }
    assert!(n > 10, "only {n} internal links");
}

#[test]
fn internal_links_resolve() {
    let (html, _) = render(&catalog(V2), Some(&catalog(V1)));
    assert_internal_links_resolve(&html);
    let (html, _) = render(&catalog("schema"), None);
    assert_internal_links_resolve(&html);
}

#[test]
fn no_previous_no_changelog_and_no_changes_said_so() {
    let v2 = catalog(V2);
    let (html, md) = render(&v2, None);
    assert!(!html.contains("id=\"changelog\"") && !md.contains("<a id=\"changelog\">"));
    assert!(!html.contains("Changed since") && !md.contains("Changed since"));
    let (html, md) = render(&v2, Some(&v2));
    assert!(html.contains("Nothing changed since <code>shop</code> version <code>1.1.0</code>."));
    assert!(md.contains("Nothing changed since `shop` version `1.1.0`."));
    assert!(!md.contains("Changed since"));
}

#[test]
fn the_page_depends_only_on_the_two_catalogs() {
    // The previous catalog read from another folder: same bytes, and no
    // file path in the page.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("somewhere/else");
    copy_dir(&root().join(V1), &copy);
    let a = render(&catalog(V2), Some(&catalog(V1)));
    let b = render(&catalog(V2), Some(&catalog(&copy)));
    assert!(a == b, "the page depends on where the previous catalog is");
    for text in [&a.0, &a.1] {
        assert!(!text.contains(".toml") && !text.contains("tests/catalogs"));
    }
}

// ---------------------------------------------------------------- CLI

#[test]
fn generate_previous_from_a_folder_and_a_git_tag() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    let schema: PathBuf = repo.join("schema");
    copy_dir(&root().join(V1), &schema);
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "1.0.0"]);
    git(repo, &["tag", "v1.0.0"]);
    std::fs::remove_dir_all(&schema).unwrap();
    copy_dir(&root().join(V2), &schema);
    std::fs::create_dir_all(repo.join("prev")).unwrap();
    copy_dir(&root().join(V1), &repo.join("prev"));

    // From the tag: the page equals the library's rendering.
    let out = eventcat(repo, &["generate", "--previous", "v1.0.0"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (html, md) = render(&catalog(V2), Some(&catalog(V1)));
    let written = |p: &str| std::fs::read_to_string(repo.join("generated").join(p)).unwrap();
    assert_eq!(written(docs::MARKDOWN_PATH), md);
    assert_eq!(written(docs::HTML_PATH), html);

    // `--check` with the same previous version, by tag or folder: fresh.
    for prev in ["v1.0.0", "prev", "v1.0.0:schema"] {
        let out = eventcat(repo, &["generate", "--check", "--previous", prev]);
        assert_eq!(out.status.code(), Some(0), "{prev}: {}", text(&out.stderr));
    }
    // Issue #20: the manifest records `--previous`, so `--check` without the
    // flag checks with it, and a plain `generate` keeps the changelog.
    let manifest = std::fs::read_to_string(repo.join("generated/.eventcat-manifest")).unwrap();
    assert!(manifest.contains("\n# previous: v1.0.0\n"), "{manifest}");
    let out = eventcat(repo, &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let n = std::fs::read_to_string(repo.join("generated/.eventcat-manifest"))
        .unwrap()
        .lines()
        .filter(|l| l.contains('\t'))
        .count();
    assert_eq!(text(&out.stderr).trim(), format!("up to date, {n} outputs"));
    let out = eventcat(repo, &["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr).trim(), format!("up to date, {n} outputs"));
    assert_eq!(written(docs::MARKDOWN_PATH), md);
    // `--no-previous` drops it: the docs are stale (and only the docs, and
    // the manifest, which no longer records it).
    let out = eventcat(repo, &["generate", "--check", "--no-previous"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("docs/events.md: stale") && err.contains("docs/events.html: stale"));
    assert!(err.contains(".eventcat-manifest: stale"), "{err}");
    assert_eq!(err.matches(": stale").count(), 3, "{err}");
    assert!(!err.contains("--previous"), "the fix drops the flag: {err}");
    // The hint repeats the flag.
    let out = eventcat(repo, &["generate", "--check", "--previous", "HEAD"]);
    assert_eq!(out.status.code(), Some(0), "HEAD is the tag");
    let out = eventcat(repo, &["generate", "-q", "--previous", "HEAD"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "", "-q prints nothing");
    let manifest = std::fs::read_to_string(repo.join("generated/.eventcat-manifest")).unwrap();
    assert!(manifest.contains("\n# previous: HEAD\n"), "{manifest}");
    std::fs::remove_dir_all(repo.join("generated/docs")).unwrap();
    let out = eventcat(repo, &["generate", "--check", "--previous", "HEAD"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--previous HEAD`"),
        "{}",
        text(&out.stderr)
    );

    // Unknown revision or broken previous catalog: exit 2 with the reason.
    let out = eventcat(repo, &["generate", "--previous", "no-such-tag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--previous: `no-such-tag` is not a folder"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(repo.join("prev/types/shop.toml"), "[types.Broken\n").unwrap();
    let out = eventcat(repo, &["generate", "--previous", "prev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("could not load catalog `prev`"),
        "{}",
        text(&out.stderr)
    );
}
