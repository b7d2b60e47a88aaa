//! Reading captured events: files, folders and stdin, without ever holding a
//! whole input in memory: in blocks of whole lines for `validate`
//! ([`read_blocks`], cut into events by the workers, see
//! [`super::blocks`]), or cut into events in batches here ([`read_source`],
//! for `send`; the reference the block path is tested against).
//!
//! One scanner handles every layout: NDJSON (one event per line), single or
//! concatenated JSON documents (pretty-printed or not), and JSON arrays of
//! events (each element is an event). It tracks only JSON structure
//! (brackets, strings, escapes) and cuts top-level values, or the elements of
//! a top-level array; parsing happens later, in the worker threads.
//!
//! Broken input is reported and skipped, and reading goes on:
//! - a line that does not start an object (`hello`, `42`) is reported and
//!   skipped up to its end;
//! - an event that never closes is cut where the next event visibly starts
//!   (a line whose first character is `{` at the event's own indentation or
//!   less: the next NDJSON line, the next pretty-printed document) and
//!   reported as incomplete;
//! - a string broken by a line end ends its event; a multi-line event is then
//!   skipped up to the next visible event start.

use std::io::Read;
use std::path::{Path, PathBuf};

mod lines;
mod ranges;
mod scanner;

pub use lines::{read_blocks, Block, Spare};

#[allow(unused_imports)]
use scanner::*;

/// A batch is handed to the workers once it holds this many bytes...
pub const BATCH_BYTES: usize = 1 << 20;
/// ...or this many events.
pub const BATCH_ITEMS: usize = 4096;
/// An event larger than this is reported and skipped (unbalanced brackets
/// would otherwise make the rest of the input one event).
pub const MAX_EVENT_BYTES: usize = 64 << 20;
/// Bytes read at a time.
const CHUNK: usize = 256 << 10;

/// Where events are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
    /// Something found while walking a folder that is not a regular file
    /// (a FIFO, socket or device): never opened, reported as unreadable
    /// with this reason.
    NotRegular(PathBuf, &'static str),
    /// A folder that could not be walked, or held no event file: reported
    /// as unreadable with this reason, in its turn.
    Unreadable(String),
}

/// One input, with the name violations are reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `path/as/given.ndjson`, or `<stdin>`.
    pub name: String,
    /// What to read.
    pub input: Input,
}

/// File extensions read when a folder is given.
pub const EXTENSIONS: [&str; 3] = ["json", "ndjson", "jsonl"];

/// Turns command-line paths into sources: `-` is stdin, a folder is every
/// `*.json`, `*.ndjson` and `*.jsonl` below it (sorted by path), a file is
/// itself. No path at all means stdin. A path that cannot be read (missing,
/// unlistable, a folder without event files) stays in the list and is
/// reported as unreadable in its turn, so the other inputs are still checked.
pub fn sources(paths: &[PathBuf]) -> Vec<Source> {
    if paths.is_empty() {
        return vec![stdin()];
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(stdin());
            continue;
        }
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out);
            if out.len() == before {
                out.push(unreadable(
                    p,
                    "no *.json, *.ndjson or *.jsonl file in this folder".into(),
                ));
            }
        } else {
            // A missing or unreadable file is reported when it is opened,
            // in its turn: the other inputs are still checked.
            out.push(file(p));
        }
    }
    out
}

fn unreadable(p: &Path, why: String) -> Source {
    Source {
        name: p.display().to_string(),
        input: Input::Unreadable(why),
    }
}

fn stdin() -> Source {
    Source {
        name: "<stdin>".into(),
        input: Input::Stdin,
    }
}

fn file(p: &Path) -> Source {
    Source {
        name: p.display().to_string(),
        input: Input::File(p.to_path_buf()),
    }
}

/// Adds the event files under `dir`; a folder that cannot be listed becomes
/// an unreadable source, in its place, and the walk goes on.
fn walk(dir: &Path, out: &mut Vec<Source>) {
    let listed: std::io::Result<Vec<PathBuf>> =
        std::fs::read_dir(dir).and_then(|rd| rd.map(|e| e.map(|e| e.path())).collect());
    let mut entries = match listed {
        Ok(entries) => entries,
        Err(e) => {
            out.push(unreadable(dir, format!("cannot list this folder: {e}")));
            return;
        }
    };
    entries.sort();
    for path in entries {
        // Follows symlinks to files; does not descend into symlinked folders
        // (no cycles).
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if !is_link {
                walk(&path, out);
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            // Only regular files are opened: a FIFO would block, a device
            // would never end. A broken symlink stays a file (its open
            // fails and is reported).
            match std::fs::metadata(&path) {
                Ok(m) if !m.is_file() => out.push(Source {
                    name: path.display().to_string(),
                    input: Input::NotRegular(
                        path.clone(),
                        eventcat_codegen::fsread::kind_name(&m.file_type()),
                    ),
                }),
                _ => out.push(file(&path)),
            }
        }
    }
}

/// Events cut from one source, ready to parse.
#[derive(Debug, Default)]
pub struct Batch {
    /// Index of the source.
    pub source: usize,
    /// The bytes of the batch's events, one after the other.
    pub buf: Vec<u8>,
    /// The events and input errors, in input order.
    pub items: Vec<Item>,
}

/// One thing read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An event's bytes: `buf[start..end]`, starting on line `line`.
    Event {
        /// Start in [`Batch::buf`].
        start: usize,
        /// End in [`Batch::buf`].
        end: usize,
        /// Line (1-based) the event starts on.
        line: u64,
        /// The event never closed: it was cut where the next one starts,
        /// or at the end of the input.
        incomplete: bool,
    },
    /// Input that is not an event, found on `line`.
    Malformed {
        /// Line (1-based).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The source could not be read (from `line` on).
    Unreadable {
        /// Line reached when reading failed (0: could not be opened).
        line: u64,
        /// Why.
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Array {
    /// Not inside a top-level array.
    No,
    /// After `[` or `,`: an element comes next (or `]` right after `[`).
    Element { first: bool },
    /// After an element: `,` or `]` comes next.
    Separator,
}

#[derive(Debug)]
struct Open {
    line: u64,
    col: usize,
    depth: u32,
    in_str: bool,
    esc: bool,
    /// Start of the event in the batch buffer.
    start: usize,
}

/// A scanner state a block can start at a line start in, between two
/// events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Between events, outside any array (where every NDJSON line starts).
    Between,
    /// Inside a JSON array, after an element and its `,`.
    InArray,
}

/// The structural scanner of one source (see the module docs);
/// [`read_source`] runs one over a whole source, the parallel path one per
/// stretch it cannot check line by line.
#[derive(Debug)]
pub struct Scanner {
    /// Bytes of the source fed so far (a byte order mark counted).
    fed: u64,
    line: u64,
    col: usize,
    /// Only whitespace so far on this line.
    blank: bool,
    array: Array,
    doc: Option<Open>,
    /// Skipping the rest of this line (after garbage).
    skip_line: bool,
    /// Garbage being skipped on this line: (line, first bytes, whether an
    /// array element separator was expected), reported at the line end.
    garbage: Option<(u64, Vec<u8>, bool)>,
    /// Skipping lines up to one whose first byte is `{` at this column or
    /// less (after a broken multi-line event).
    skip_to: Option<usize>,
    /// Whether anything was reported for this source.
    errors: bool,
    batch: Batch,
    ready: Vec<Batch>,
}

/// Reads one source, handing every full batch to `emit` (in order). An I/O
/// error ends the source with an [`Item::Unreadable`].
pub fn read_source(index: usize, source: &Source, emit: &mut dyn FnMut(Batch)) {
    let mut scanner = Scanner::new(index);
    let result = match &source.input {
        Input::Stdin => scan(&mut std::io::stdin().lock(), &mut scanner, emit),
        Input::File(path) => match std::fs::File::open(path) {
            Ok(mut f) => scan(&mut f, &mut scanner, emit),
            Err(e) => Err(e),
        },
        Input::NotRegular(_, what) => Err(std::io::Error::other(format!(
            "not a regular file (it is {what}); only regular files are read from a folder"
        ))),
        Input::Unreadable(why) => Err(std::io::Error::other(why.clone())),
    };
    if let Err(e) = result {
        let line = if scanner.line == 1 && scanner.batch.items.is_empty() {
            0
        } else {
            scanner.line
        };
        scanner.doc = None;
        scanner.flush();
        for b in scanner.ready.drain(..) {
            emit(b);
        }
        let mut last = Batch {
            source: index,
            ..Batch::default()
        };
        last.items.push(Item::Unreadable {
            line,
            message: format!("cannot read `{}`: {e}", source.name),
        });
        emit(last);
        return;
    }
    scanner.finish();
    for b in scanner.ready.drain(..) {
        emit(b);
    }
}

fn scan(
    r: &mut dyn Read,
    scanner: &mut Scanner,
    emit: &mut dyn FnMut(Batch),
) -> std::io::Result<()> {
    let mut buf = vec![0u8; CHUNK];
    let mut first = true;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut chunk = &buf[..n];
        if first {
            first = false;
            if let Some(rest) = chunk.strip_prefix(b"\xEF\xBB\xBF") {
                chunk = rest;
                scanner.skip(3);
            }
        }
        scanner.feed_all(chunk);
        // A short read: the writer has nothing more for now (a pipe, a
        // terminal); check what is complete instead of waiting for a full
        // batch. Regular files only read short at their end.
        if n < buf.len() {
            scanner.flush_complete();
        }
        for b in scanner.ready.drain(..) {
            emit(b);
        }
    }
}

/// Cuts a whole text (for tests and small inputs).
pub fn cut(text: &[u8]) -> Vec<Batch> {
    let mut out = Vec::new();
    let mut scanner = Scanner::new(0);
    for chunk in text.chunks(7) {
        scanner.feed_all(chunk);
    }
    scanner.finish();
    out.append(&mut scanner.ready);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (line, text or error) of every item.
    fn items(text: &str) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        for b in cut(text.as_bytes()) {
            for item in &b.items {
                out.push(match item {
                    Item::Event {
                        start,
                        end,
                        line,
                        incomplete,
                    } => {
                        let t = String::from_utf8_lossy(&b.buf[*start..*end]).into_owned();
                        (
                            *line,
                            if *incomplete {
                                format!("INCOMPLETE {t}")
                            } else {
                                t
                            },
                        )
                    }
                    Item::Malformed { line, message } => (*line, format!("ERROR {message}")),
                    Item::Unreadable { line, message } => (*line, format!("IO {message}")),
                });
            }
        }
        out
    }

    #[test]
    fn ndjson_lines() {
        let got = items("{\"a\":1}\n\n{\"b\":\"}{\\\"\"}\r\n{\"c\":[1,{}]}");
        assert_eq!(
            got,
            vec![
                (1, "{\"a\":1}".into()),
                (3, "{\"b\":\"}{\\\"\"}".into()),
                (4, "{\"c\":[1,{}]}".into())
            ]
        );
    }

    #[test]
    fn pretty_and_concatenated_documents() {
        let got = items("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}{\"d\":3}\n");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, 1);
        assert_eq!(got[1], (6, "{\n  \"c\": 2\n}".into()));
        assert_eq!(got[2], (8, "{\"d\":3}".into()));
    }

    #[test]
    fn arrays_pretty_or_one_line() {
        let got = items("[\n  {\"a\": 1},\n  {\n    \"b\": [2]\n  }\n]\n");
        assert_eq!(
            got,
            vec![
                (2, "{\"a\": 1}".into()),
                (3, "{\n    \"b\": [2]\n  }".into())
            ]
        );
        let got = items("[{\"a\":1},{\"b\":2}] [] [{\"c\":3}]");
        assert_eq!(got.len(), 3, "{got:?}");
        let got = items("[{\"a\":1},]");
        assert_eq!(got[1], (1, "ERROR trailing `,` before `]`".into()));
        let got = items("[{\"a\":1} {\"b\":1}]");
        assert!(got[1].1.starts_with("ERROR expected `,` or `]`"), "{got:?}");
    }

    #[test]
    fn broken_lines_are_reported_and_reading_goes_on() {
        let text =
            "{\"a\":1}\n{\"b\": {\"x\": 1}\nhello world\n{\"c\": \"unterminated\n{\"d\":4}\n42\n";
        let got = items(text);
        assert_eq!(
            got,
            vec![
                (1, "{\"a\":1}".into()),
                (2, "INCOMPLETE {\"b\": {\"x\": 1}\nhello world".into()),
                (4, "INCOMPLETE {\"c\": \"unterminated".into()),
                (5, "{\"d\":4}".into()),
                (
                    6,
                    "ERROR expected an event (a JSON object), found `42`".into()
                ),
            ]
        );
    }

    #[test]
    fn garbage_line_between_events() {
        let got = items("{\"a\":1}\nnot json\n{\"b\":2}\n");
        assert_eq!(
            got,
            vec![
                (1, "{\"a\":1}".into()),
                (
                    2,
                    "ERROR expected an event (a JSON object), found `not json`".into()
                ),
                (3, "{\"b\":2}".into()),
            ]
        );
    }

    #[test]
    fn truncated_pretty_document_resyncs_at_next_document() {
        let text = "{\n  \"a\": {\n    \"b\": 1\n}\n{\n  \"c\": 2\n}\n";
        let got = items(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.starts_with("INCOMPLETE"));
        assert_eq!(got[1], (5, "{\n  \"c\": 2\n}".into()));
    }

    #[test]
    fn unterminated_array_and_eof_inside_event() {
        let got = items("[\n{\"a\":1}\n");
        assert_eq!(
            got[1],
            (
                3,
                "ERROR the JSON array is never closed (missing `]`)".into()
            )
        );
        let got = items("{\"a\": [1, 2");
        assert_eq!(got, vec![(1, "INCOMPLETE {\"a\": [1, 2".into())]);
    }

    #[test]
    fn batches_split_only_between_events() {
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&format!("{{\"i\":{i}}}\n"));
        }
        let batches = cut(text.as_bytes());
        assert!(batches.len() >= 2);
        let n: usize = batches.iter().map(|b| b.items.len()).sum();
        assert_eq!(n, 10_000);
        let last = batches.last().unwrap();
        match last.items.last().unwrap() {
            Item::Event { line, .. } => assert_eq!(*line, 10_000),
            other => panic!("{other:?}"),
        }
    }
}
