//! Bounded fuzzing, run by `cargo test` (issue #16): proptest mutates valid
//! inputs (and makes random ones) for the three parsers that read what
//! users and producers write, and checks they never panic and keep their
//! promises. The long runs are `bench/fuzz.sh` (cargo-fuzz, nightly), whose
//! targets in `fuzz/` call the same entry points.
//!
//! - the catalog loader: bytes -> `load_sources` -> every output;
//! - the event reader and validator: bytes -> findings, each at a line of
//!   the input;
//! - the Markdown renderer of descriptions: text -> HTML with no tag outside
//!   its subset and no unsafe link.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use eventcat::codegen::emit::docs::{html, markup};
use eventcat::codegen::model::SourceFile;
use eventcat::validate::{self, reader, report, Validators};
use proptest::prelude::*;

use crate::BASE;

/// Characters that matter to TOML, JSON and Markdown, and some that break
/// UTF-8 assumptions.
const ALPHABET: &[char] = &[
    '[', ']', '{', '}', '"', '\'', '=', '\n', '\r', '.', '#', '<', '>', '/', '\\', ',', ':', '`',
    '*', '_', '(', ')', '!', '-', '0', '9', 'a', 'z', 'é', '\u{0}', '\u{1b}', '\u{2028}', '𝄞',
    '\u{feff}', ' ', '\t', '|', '~', '&', ';', 'e', 'E', '+',
];

/// Up to `n` edits (delete, insert, replace) of `text` with characters of
/// [`ALPHABET`] or whole snippets.
fn mutated(text: &'static str, n: usize) -> impl Strategy<Value = String> {
    let snippets = prop::sample::select(vec![
        "",
        "[",
        "]]",
        "\"\"\"",
        "'''",
        "= [",
        "nan",
        "1e400",
        "-0",
        "[[event]]\n",
        "[types.X]\n",
        "type = \"X\"\n",
        "optional = true\n",
        "{\"a\":",
        "\\u0000",
        "array<array<",
        "map<",
        "partial<",
        "[x](javascript:alert(1))",
        "<script>",
    ]);
    let edit = (
        any::<prop::sample::Index>(),
        0..3u8,
        prop::sample::select(ALPHABET.to_vec()),
        snippets,
    );
    prop::collection::vec(edit, 0..=n).prop_map(move |edits| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, op, c, snippet) in edits {
            let i = at.index(chars.len() + 1);
            match op {
                0 if i < chars.len() => {
                    chars.remove(i);
                }
                1 => chars.insert(i, c),
                _ => {
                    for (k, s) in snippet.chars().enumerate() {
                        chars.insert((i + k).min(chars.len()), s);
                    }
                }
            }
        }
        chars.into_iter().collect()
    })
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1000))]

    /// The loader returns a catalog or diagnostics, never a panic; a
    /// catalog it returns renders every output.
    #[test]
    fn the_loader_never_panics(text in prop_oneof![
        4 => mutated(BASE, 12),
        1 => prop::collection::vec(prop::sample::select(ALPHABET.to_vec()), 0..400)
            .prop_map(|c| c.into_iter().collect::<String>()),
    ]) {
        let result = catch_unwind(|| {
            let loaded = eventcat::codegen::load_sources(vec![SourceFile {
                path: PathBuf::from("cat/catalog.toml"),
                text: text.clone().into(),
            }]);
            if let Ok(catalog) = loaded {
                let files = eventcat::codegen::emit::all(&catalog);
                assert!(!files.is_empty());
            }
        });
        prop_assert!(result.is_ok(), "panic on:\n{text}");
    }
}

/// A sink that keeps the line of every finding.
#[derive(Default)]
struct Lines(Vec<u64>);

impl report::Sink for Lines {
    fn finding(&mut self, _: &str, f: &validate::dispatch::Finding) -> std::io::Result<()> {
        self.0.push(f.line);
        Ok(())
    }
    fn unreadable(&mut self, _: &str) -> std::io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &report::Summary) -> std::io::Result<()> {
        Ok(())
    }
}

const EVENTS: &str = "{\"code\":\"f.one\",\"data\":{\"name\":\"x\",\"count\":3}}\n{\"data\":{\"name\":\"y\"},\"code\":\"f.one\"}\n[{\"code\":\"f.one\",\"data\":{\"name\":\"z\"}}]\n";

proptest! {
    #![proptest_config(config(500))]

    /// The reader and validator report every input at a line that exists,
    /// never panic, and count every event they report.
    #[test]
    fn the_event_reader_and_validator_never_panic(
        text in mutated(EVENTS, 10),
        raw in prop::collection::vec(any::<u8>(), 0..64),
        threads in 1..3usize,
    ) {
        let catalog = eventcat::codegen::load_sources(vec![SourceFile {
            path: PathBuf::from("cat/catalog.toml"),
            text: BASE.into(),
        }]).unwrap();
        let validators = Validators::new(&catalog, false).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.ndjson");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(&raw);
        std::fs::write(&path, &bytes).unwrap();
        let sources = reader::sources(&[path]);
        let mut sink = Lines::default();
        let result = catch_unwind(AssertUnwindSafe(|| {
            validate::run(&catalog, &sources, &validators, validate::Options::new(threads, 0), &mut sink)
        }));
        prop_assert!(result.is_ok(), "panic on {:?}", String::from_utf8_lossy(&bytes));
        let summary = result.unwrap().unwrap();
        let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        for line in &sink.0 {
            prop_assert!(*line >= 1 && *line <= lines, "line {} of {}", line, lines);
        }
        prop_assert!(summary.counts.invalid >= sink.0.len() as u64 - summary.counts.malformed.min(sink.0.len() as u64));
        prop_assert!(summary.counts.events >= summary.counts.invalid);
    }
}

/// The tags the description renderer may write.
const TAGS: &[&str] = &[
    "p", "ul", "ol", "li", "code", "pre", "em", "strong", "a", "h1", "h2", "h3", "h4", "h5", "h6",
];

proptest! {
    #![proptest_config(config(5000))]

    /// Markdown from catalog descriptions becomes HTML made only of the
    /// renderer's own tags, links only to safe URLs, and every other `<` is
    /// escaped.
    #[test]
    fn the_markdown_renderer_writes_only_its_subset(text in prop_oneof![
        mutated("# Title\n\nSome *emph* and **strong** `code` [link](https://example.test/a?b=1&c=2).\n\n- one\n- two\n\n```json\n{}\n```\n", 16),
        prop::collection::vec(prop::sample::select(ALPHABET.to_vec()), 0..200)
            .prop_map(|c| c.into_iter().collect::<String>()),
    ]) {
        let out = catch_unwind(|| html::blocks(&markup::parse(&text), 3));
        prop_assert!(out.is_ok(), "panic on {:?}", text);
        let out = out.unwrap();
        let mut rest = out.as_str();
        while let Some(i) = rest.find('<') {
            rest = &rest[i + 1..];
            let name: String = rest
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            prop_assert!(TAGS.contains(&name.as_str()), "tag <{}> in {:?} from {:?}", name, out, text);
            if name == "a" && !rest.starts_with('/') {
                let href = rest.split('"').nth(1).unwrap_or("");
                prop_assert!(markup::safe_url(&href.replace("&amp;", "&")), "unsafe href {:?}", href);
                // What a browser reads as the scheme: tabs, newlines and
                // control characters are dropped first.
                let seen: String = href
                    .replace("&amp;", "&")
                    .chars()
                    .filter(|c| !c.is_ascii_control() && *c != ' ')
                    .collect::<String>()
                    .to_ascii_lowercase();
                let scheme = seen
                    .split_once(':')
                    .map(|(s, _)| s)
                    .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
                prop_assert!(
                    matches!(scheme, None | Some("http" | "https" | "mailto")),
                    "href {:?} has scheme {:?}", href, scheme
                );
            }
        }
    }
}
