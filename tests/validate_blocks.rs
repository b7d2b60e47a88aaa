//! The parallel path of `validate` (workers cutting and checking their own
//! blocks, `eventcat::validate::blocks`) against the reference path: the
//! structural scanner over the whole source on one thread
//! (`reader::read_source`) and `dispatch::check_batch` per batch.
//!
//! Inputs are made of pieces that exercise every way a block can break the
//! workers' assumption (one object per line): valid and invalid one-line
//! events, pretty-printed documents, arrays (one line or one element per
//! line), several objects on a line, broken lines and unterminated strings,
//! garbage, capture lines, blank lines, CRLF, a byte order mark, no final
//! line end. Each input is checked with blocks of 1 to 300 bytes (most
//! blocks then cut events and arrays, so the printer's scanner takes over)
//! and 1 to 3 workers, and must give the same findings (line, code,
//! violations), in the same order, and the same counts.
//!
//! Each case is run both ways a regular file is read: by the reader thread
//! (copied into the blocks) and by the workers (positional reads of each
//! block, the default on Unix).
//!
//! `EVENTCAT_BLOCKS_CASES` sets the proptest cases (default 300).

use std::io;
use std::sync::OnceLock;

use eventcat::validate::dispatch::{check_batch, Counts, Finding};
use eventcat::validate::reader::{read_source, Input, Source};
use eventcat::validate::report::{Sink, Summary};
use eventcat::validate::{run, Engine, Options, Validators, MAX_UNKNOWN_CODES};
use eventcat_codegen::model::Catalog;
use proptest::prelude::*;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn setup() -> &'static (Catalog, Validators) {
    static S: OnceLock<(Catalog, Validators)> = OnceLock::new();
    S.get_or_init(|| {
        let catalog = eventcat_codegen::load(format!("{ROOT}/schema"))
            .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let validators = Validators::with_engine(&catalog, false, Engine::Compiled).unwrap();
        (catalog, validators)
    })
}

/// A valid event of the default catalog (one line).
fn valid() -> String {
    let (catalog, _) = setup();
    let event = &catalog.events[0];
    let fixture =
        eventcat::fixtures::for_event(catalog, event, eventcat::fixtures::Kind::Valid, 1, 1)
            .unwrap()
            .remove(0);
    serde_json::to_string(&fixture.event).unwrap()
}

/// Pieces of input, each ending where a line may end.
fn pieces() -> &'static [String] {
    static P: OnceLock<Vec<String>> = OnceLock::new();
    P.get_or_init(|| {
        let ok = valid();
        let value: serde_json::Value = serde_json::from_str(&ok).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let unknown_field = ok.replacen('{', "{\"zzz\":1,", 1);
        let unknown_code = ok.replacen("\"code\":\"", "\"code\":\"x.", 1);
        vec![
            ok.clone(),
            ok.clone(),
            unknown_field,
            unknown_code,
            pretty.clone(),
            format!("  {ok}  "),
            format!("{ok}{ok}"),
            format!("{ok} trailing"),
            format!("[{ok},{ok}]"),
            "[".into(),
            format!("{ok},"),
            "]".into(),
            format!("[\n{pretty},\n{pretty}\n]"),
            ok[..ok.len() / 2].to_string(),
            pretty[..pretty.len() / 2].to_string(),
            "{\"code\": \"unterminated".into(),
            "{\"a\": {\"b\": 1}".into(),
            "}".into(),
            "hello".into(),
            "42".into(),
            String::new(),
            "   ".into(),
            "\u{c}".into(),
            format!("{{\"eventcat_capture\":{{\"received_at\":\"x\"}},\"event\":{ok}}}"),
            "{}".into(),
            "{\"code\":1}".into(),
            // A byte order mark is one only at the start of a source.
            "\u{feff}{}".into(),
        ]
    })
}

/// What a run reported: findings (source, line, code, violations) and
/// counts.
type Report = (Vec<(String, u64, Option<String>, Vec<String>)>, Counts);

fn row(source: &str, f: &Finding) -> (String, u64, Option<String>, Vec<String>) {
    (
        source.to_string(),
        f.line,
        f.code.clone(),
        f.violations
            .iter()
            .map(|v| format!("{} {} {}", v.pointer, v.kind, v.message))
            .collect(),
    )
}

#[derive(Default)]
struct Collect {
    findings: Vec<(String, u64, Option<String>, Vec<String>)>,
    counts: Option<Counts>,
}

impl Sink for Collect {
    fn finding(&mut self, source: &str, finding: &Finding) -> io::Result<()> {
        self.findings.push(row(source, finding));
        Ok(())
    }
    fn unreadable(&mut self, _: &str) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.counts = Some(summary.counts.clone());
        Ok(())
    }
}

fn parallel(sources: &[Source], block: usize, threads: usize, positional: bool) -> Report {
    let (catalog, validators) = setup();
    let mut sink = Collect::default();
    let options = Options {
        block_bytes: block,
        positional,
        ..Options::new(threads, 0)
    };
    run(catalog, sources, validators, options, &mut sink).unwrap();
    (sink.findings, sink.counts.unwrap())
}

/// Every (workers, positional) of `runs`, with blocks of `block` bytes,
/// gives `want` (`what` starts the message).
fn assert_parallel(
    sources: &[Source],
    want: &Report,
    block: usize,
    runs: &[(usize, bool)],
    what: &str,
) {
    for &(threads, positional) in runs {
        let got = parallel(sources, block, threads, positional);
        assert_eq!(
            &got, want,
            "{what}{threads} workers, positional {positional}"
        );
    }
}

/// Each number of workers, each way of reading.
const ALL_RUNS: [(usize, bool); 4] = [(1, false), (2, true), (1, true), (2, false)];

fn reference(sources: &[Source]) -> Report {
    let (_, validators) = setup();
    let mut findings = Vec::new();
    let mut counts = Counts::new(validators.codes().len());
    for (i, source) in sources.iter().enumerate() {
        read_source(i, source, &mut |batch| {
            let checked = check_batch(&batch, validators);
            findings.extend(checked.findings.iter().map(|f| row(&source.name, f)));
            counts.add(&checked.counts, MAX_UNKNOWN_CODES);
        });
    }
    (findings, counts)
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    let n = pieces().len();
    (
        proptest::collection::vec((0..n, 0..4usize), 0..24),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(parts, bom, final_newline)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            for (i, (piece, end)) in parts.iter().enumerate() {
                text.push_str(&pieces()[*piece]);
                let last = i + 1 == parts.len();
                if last && !final_newline {
                    break;
                }
                text.push_str(["\n", "\r\n", "\n\n", " \n"][*end]);
            }
            text.into_bytes()
        })
}

fn cases() -> u32 {
    std::env::var("EVENTCAT_BLOCKS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn blocks_give_the_scanners_results(
        a in input(),
        b in input(),
        block in 1usize..300,
        threads in 1usize..4,
        positional in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let sources: Vec<Source> = [("a.ndjson", &a), ("b.json", &b)]
            .iter()
            .map(|(name, bytes)| {
                let path = dir.path().join(name);
                std::fs::write(&path, bytes).unwrap();
                Source { name: name.to_string(), input: Input::File(path) }
            })
            .collect();
        let want = reference(&sources);
        let got = parallel(&sources, block, threads, positional);
        let how = if positional { "positional" } else { "copied" };
        prop_assert_eq!(&got.0, &want.0, "findings differ (block {}, {} workers, {})", block, threads, how);
        prop_assert_eq!(&got.1, &want.1, "counts differ (block {}, {} workers, {})", block, threads, how);
    }
}

/// The whole of a realistic input with the default block size: the same
/// results, and blocks that really are checked in parallel (at least one
/// event beyond the first block).
#[test]
fn a_large_ndjson_file_gives_the_scanners_results() {
    let ok = valid();
    let mut text = String::new();
    for i in 0..20_000 {
        match i % 1000 {
            7 => text.push_str(&ok[..ok.len() / 3]),
            500 => text.push_str(&ok.replacen('{', "{\"zzz\":1,", 1)),
            _ => text.push_str(&ok),
        }
        text.push('\n');
    }
    assert!(text.len() > 2 * eventcat::validate::BLOCK_BYTES);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ndjson");
    std::fs::write(&path, &text).unwrap();
    let sources = vec![Source {
        name: "big.ndjson".into(),
        input: Input::File(path),
    }];
    let want = reference(&sources);
    assert_eq!(want.1.events, 20_000);
    assert_eq!(want.0.len(), 40);
    let block = eventcat::validate::BLOCK_BYTES;
    assert_parallel(&sources, &want, block, &ALL_RUNS, "");
}

/// Found by the property test: an event broken off at a line end, then
/// lines that close it, with blocks cut between them.
#[test]
fn an_event_broken_across_blocks() {
    let ok = valid();
    let half = &ok[..ok.find("\"provider\":").unwrap() + 11];
    let text = format!("{ok}\n{half}\n}}\n{{}}\n{ok}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.ndjson");
    std::fs::write(&path, &text).unwrap();
    let sources = vec![Source {
        name: "a.ndjson".into(),
        input: Input::File(path),
    }];
    let want = reference(&sources);
    for block in [1, 12, 100, 1 << 20] {
        let what = format!("blocks of {block}, ");
        assert_parallel(&sources, &want, block, &[(1, false), (1, true)], &what);
    }
}

/// A JSON array of one event per line, as workers guess it from a block's
/// first line `{...},`: the same results, trailing comma included, whatever
/// the block size.
#[test]
fn arrays_of_one_event_per_line() {
    let ok = valid();
    let bad = ok.replacen('{', "{\"zzz\":1,", 1);
    let mut lines = vec!["[".to_string()];
    for i in 0..200 {
        lines.push(format!("{},", if i % 7 == 3 { &bad } else { &ok }));
    }
    let trailing = format!("{}\n]\n{ok}\n", lines.join("\n"));
    let closed = format!("{}\n{ok}\n]\n", lines.join("\n"));
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [("trailing.json", &trailing), ("closed.json", &closed)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let sources = vec![Source {
            name: name.into(),
            input: Input::File(path),
        }];
        let want = reference(&sources);
        assert!(want.0.len() >= 28, "{name}: {} findings", want.0.len());
        for block in [1, 100, ok.len() * 3, ok.len() * 40, 1 << 20] {
            let what = format!("{name}, blocks of {block}, ");
            assert_parallel(&sources, &want, block, &ALL_RUNS, &what);
        }
    }
}

/// A source of one file, for the tests below.
fn one_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> Vec<Source> {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    vec![Source {
        name: name.into(),
        input: Input::File(path),
    }]
}

/// A line longer than the largest event (64 MiB) is cut into blocks that
/// start inside it: the column the next lines start at still decides where
/// a broken event ends (found in review: workers assumed column 0).
#[test]
fn a_line_longer_than_a_block_keeps_its_columns() {
    let mut text = vec![b' '; (64 << 20) + (1 << 18)];
    text.extend_from_slice(b"{\"x\": [\n  {\"y\": 1}\n]}\n{}\n");
    let dir = tempfile::tempdir().unwrap();
    let sources = one_file(&dir, "wide.json", &text);
    let want = reference(&sources);
    assert!(want.0.len() >= 2, "{:?}", want.0);
    let block = eventcat::validate::BLOCK_BYTES;
    assert_parallel(&sources, &want, block, &[(1, false), (2, true)], "");
}

/// An event just over 64 MiB that closes: where its size is checked does
/// not depend on how the input was cut (found in review: the printer and
/// the workers checked at other offsets than reading a chunk at a time).
#[test]
fn the_size_of_an_event_is_checked_at_the_same_offsets() {
    for extra in [1usize, (1 << 18) - 9] {
        let mut text = b"{\n\"a\":\"".to_vec();
        text.resize(text.len() + (64 << 20) + extra, b'x');
        text.extend_from_slice(b"\"\n}\n{}\n");
        let dir = tempfile::tempdir().unwrap();
        let sources = one_file(&dir, "big.json", &text);
        let want = reference(&sources);
        let (block, what) = (
            eventcat::validate::BLOCK_BYTES,
            format!("{extra} more bytes, "),
        );
        assert_parallel(&sources, &want, block, &[(1, false), (2, true)], &what);
    }
}

/// Found in review: a file cut short while its blocks are read ends there.
/// It is reported once (not once per block past its new end), and the event
/// it cut is dropped as after a read error, not reported as incomplete.
#[cfg(unix)]
#[test]
fn a_file_cut_short_while_it_is_read_ends_there() {
    use eventcat::validate::blocks::{read_blocks, speculate, Follow, Spare};
    let (_, validators) = setup();
    let ok = valid();
    let dir = tempfile::tempdir().unwrap();
    let sources = one_file(&dir, "a.ndjson", format!("{ok}\n").repeat(50).as_bytes());
    let spare = Spare::default();
    let mut blocks = Vec::new();
    read_blocks(0, &sources[0], ok.len() * 5, true, &spare, &mut |b| {
        blocks.push(b);
        true
    });
    assert_eq!(
        blocks.len(),
        11,
        "five lines a block, and an empty last one"
    );
    // Inside the 12th event, in the third block.
    let cut = (ok.len() + 1) * 11 + ok.len() / 2;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("a.ndjson"));
    file.unwrap().set_len(cut as u64).unwrap();
    let (mut follow, mut own) = (Follow::default(), Vec::new());
    let (mut unreadable, mut events, mut findings) = (Vec::new(), 0, 0);
    for mut block in blocks {
        block.fill(&mut own);
        let mut sp = speculate(block, validators);
        sp.block.give_back(&mut own);
        let (checked, _) = follow.take(sp, validators, &spare);
        unreadable.extend(checked.unreadable);
        events += checked.counts.events;
        findings += checked.findings.len();
    }
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert!(unreadable[0].contains("cut short"), "{unreadable:?}");
    assert_eq!((events, findings), (11, 0));
}
