//! The parallel path of `validate`: workers cut *and* check their own
//! blocks of input, and the printer stitches the blocks together.
//!
//! A source is read in blocks of whole lines ([`read_blocks`]; a line longer
//! than the largest event, or what a stream has sent so far, may end a block
//! inside a line). A regular file's blocks are handed over unread, and each
//! worker reads the bytes of the blocks it checks
//! ([`super::reader::Block::fill`]); a stream's are copied by the reader
//! thread. Each worker checks its block ([`speculate`]),
//! assuming a scanner state at the block start ([`Start`]): between events,
//! as every line of an NDJSON file starts, or inside a JSON array when the
//! block's first line is `{...},` (one element per line).
//! - a line that is exactly one JSON object (it parses, nothing follows) is
//!   an event, checked as it is parsed: this is what the structural scanner
//!   ([`Scanner`]) would cut there;
//! - from a line that is anything else (a pretty-printed document, an
//!   array, broken JSON), the worker runs the scanner line by line until it
//!   is between events again at a line end, and goes on line by line from
//!   there. A scanner still open at the block end (an event or an array that
//!   goes on into the next block, or the end of the source) is handed over
//!   with the results.
//!
//! A block does not know the line it starts on (the reader would have to
//! count its line ends): workers number its lines from 1, and the printer,
//! which counts the line ends of the blocks before, moves them.
//!
//! The printer ([`Follow`]) takes the blocks in input order. When its scanner
//! state at a block start is the one the worker assumed, the worker's
//! results are final and the printer goes on from the worker's scanner;
//! otherwise (a document that spans blocks, a guess that was wrong, a block
//! that starts inside a line) it scans and checks the block itself, on its
//! own thread. The size of an open event is checked at the same source
//! offsets whoever scans it. Line-per-event layouts
//! (NDJSON, arrays of one event per line) are therefore cut and checked in
//! parallel, the rest on one thread, with the same results as
//! [`super::reader::read_source`] and [`super::dispatch::check_batch`] on one
//! thread (`tests/validate_blocks.rs` holds both to it).

use super::dispatch::Checked;
use super::reader::{Block, Scanner};
use super::schema::Validators;

pub use super::reader::{read_blocks, Spare, Start};

/// A worker's results for one block.
#[derive(Debug)]
pub struct Speculated {
    /// The block (its bytes come back: the printer may scan them).
    pub block: Block,
    /// What the worker assumed the scanner's state was at the block start.
    pub assumed: Start,
    /// Findings and counts of the events finished in the block.
    pub checked: Checked,
    /// The scanner, when it is not between events at the block end (an
    /// event or an array goes on, or the source ends there).
    pub tail: Option<Scanner>,
    /// The worker's scanner reported something that is not an event (in a
    /// stretch it finished).
    pub errors: bool,
    /// The block's line ends.
    pub lines: u64,
}

/// Checks one block, assuming the scanner state its first line suggests
/// (see the module docs). Its lines are numbered from 1: the printer, which
/// knows the line the block starts on, moves them ([`Follow::take`]).
pub fn speculate(block: Block, validators: &Validators) -> Speculated {
    let mut checked = Checked::new(block.source, validators.codes().len());
    let buf = &block.buf;
    let (mut pos, mut line) = (0, 1);
    let mut errors = false;
    let assumed = guess(buf);
    // The scanner of a stretch that is not one object per line.
    let mut scanning = match assumed {
        Start::Between => None,
        Start::InArray => Some(Scanner::in_array(block.source, line, block.offset)),
    };
    // Checked once for the whole block (then each line is UTF-8 too: a line
    // end is never inside a character).
    let utf8 = std::str::from_utf8(buf).ok();
    while pos < buf.len() {
        let nl = memchr::memchr(b'\n', &buf[pos..]).map(|i| pos + i);
        let next = nl.map_or(buf.len(), |i| i + 1);
        if scanning.is_none() {
            let text = trim(pos, next, buf, utf8);
            // The piece after the last line end of a cut block is not a
            // whole line: the scanner takes it (even blank: it knows the
            // column the next block goes on at).
            let whole = nl.is_some() || !block.cut;
            let event =
                !text.is_empty() && whole && one_object(text, line, &mut checked, validators);
            if (!text.is_empty() || !whole) && !event {
                let fed = block.offset + pos as u64;
                scanning = Some(Scanner::at(block.source, line, errors, fed));
            }
        }
        if let Some(scanner) = scanning.as_mut() {
            scanner.feed_all(&buf[pos..next]);
            if nl.is_some() && scanner.is_clean() {
                check_ready(scanner, &mut checked, validators);
                errors |= scanner.had_errors();
                scanning = None;
            }
        }
        pos = next;
        line += u64::from(nl.is_some());
    }
    // The events the open stretch finished are final too; the printer goes
    // on with its scanner.
    if let Some(scanner) = scanning.as_mut() {
        check_ready(scanner, &mut checked, validators);
    }
    Speculated {
        block,
        assumed,
        checked,
        tail: scanning,
        errors,
        lines: line - 1,
    }
}

/// The state a block most likely starts in: inside a JSON array of one
/// event per line when its first line is `{...},`, else between events.
fn guess(buf: &[u8]) -> Start {
    let first = buf
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty());
    match first {
        Some(l) if l.starts_with(b"{") && l.ends_with(b"},") => Start::InArray,
        _ => Start::Between,
    }
}

/// A line of a block, without the whitespace around it: as text when the
/// block is UTF-8.
#[derive(Clone, Copy)]
enum Line<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl Line<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Line::Text(t) => t.as_bytes(),
            Line::Bytes(b) => b,
        }
    }

    fn is_empty(&self) -> bool {
        self.bytes().is_empty()
    }
}

/// `buf[from..to]` trimmed of ASCII whitespace (as the scanner skips it).
fn trim<'a>(from: usize, to: usize, buf: &'a [u8], utf8: Option<&'a str>) -> Line<'a> {
    let bytes = &buf[from..to];
    let start = bytes.len() - bytes.trim_ascii_start().len();
    let end = bytes.trim_ascii_end().len().max(start);
    match utf8 {
        // Whitespace is ASCII: the cuts are character boundaries.
        Some(text) => Line::Text(&text[from + start..from + end]),
        None => Line::Bytes(&bytes[start..end]),
    }
}

/// Checks `line` if it is exactly one JSON object, as the scanner would cut
/// it (a line of `eventcat listen --capture`: the event it holds). `false`:
/// it is not (nothing is counted); the scanner decides.
fn one_object(line: Line<'_>, at: u64, checked: &mut Checked, validators: &Validators) -> bool {
    let bytes = line.bytes();
    // An object line starts with `{` and ends with `}` (what does not is
    // left to the scanner without parsing it).
    if bytes.first() != Some(&b'{') || bytes.last() != Some(&b'}') {
        return false;
    }
    let (start, end) = crate::webhooks::capture::event_range(bytes).unwrap_or((0, bytes.len()));
    // The range is cut next to ASCII bytes (`:`, `}`): character boundaries.
    match line {
        Line::Text(text) => match text.get(start..end) {
            Some(event) => checked.event_str(event, at, validators),
            None => checked.event(&bytes[start..end], at, validators),
        },
        Line::Bytes(bytes) => checked.event(&bytes[start..end], at, validators),
    }
    .is_ok()
}

/// Checks every item `scanner` has finished (the open event stays).
fn check_ready(scanner: &mut Scanner, out: &mut Checked, validators: &Validators) {
    for batch in scanner.take_ready() {
        out.batch(&batch, validators);
    }
}

/// What the printer keeps of one source between its blocks.
#[derive(Debug, Default)]
pub struct Follow {
    /// The scanner, while it is not between events at a block end.
    carry: Option<Scanner>,
    /// Something that is not an event was reported in the source.
    errors: bool,
    /// Line ends of the source before the block.
    before: u64,
    /// A block of the source could not be read: the source ended there, and
    /// its later blocks are dropped.
    failed: bool,
}

impl Follow {
    /// The final results of one block (blocks taken in input order): the
    /// worker's if it assumed the right state at the block start, else what
    /// the printer scans itself; and the block's buffer, to be read into
    /// again.
    pub fn take(
        &mut self,
        mut s: Speculated,
        validators: &Validators,
        spare: &Spare,
    ) -> (Checked, Vec<u8>) {
        if s.block.first {
            *self = Follow::default();
        }
        if self.failed {
            let out = Checked::new(s.block.source, validators.codes().len());
            return (out, s.block.buf);
        }
        let at_start = match &self.carry {
            // A block that starts inside a line is the carried scanner's
            // (only it knows the column).
            _ if s.block.mid_line => None,
            None => Some(Start::Between),
            Some(scanner) => scanner.start(),
        };
        let rescan = at_start != Some(s.assumed);
        if rescan {
            s.block.read_again(spare);
        }
        // A block that could not be read whole (a file cut short while it is
        // read) ends its source: the source is reported once, and what it
        // holds after the block (an event the cut left open, the blocks past
        // it) is dropped.
        self.failed = s.block.error.is_some();
        let mut out;
        let before = self.before;
        self.before += s.lines;
        if !rescan {
            out = s.checked;
            out.shift_lines(before);
            self.errors |= s.errors;
            self.carry = s.tail.map(|mut tail| {
                tail.shift_lines(before);
                tail.add_errors(self.errors);
                tail
            });
            if s.block.last {
                if let Some(scanner) = self.carry.take() {
                    self.finish(scanner, &s.block, &mut out, validators);
                }
            } else if let Some(scanner) = &self.carry {
                self.errors = scanner.had_errors();
            }
        } else {
            out = Checked::new(s.block.source, validators.codes().len());
            let (source, line, fed) = (s.block.source, before + 1, s.block.offset);
            let mut scanner = self
                .carry
                .take()
                .unwrap_or_else(|| Scanner::at(source, line, self.errors, fed));
            scanner.feed_all(&s.block.buf);
            if s.block.last {
                self.finish(scanner, &s.block, &mut out, validators);
            } else {
                check_ready(&mut scanner, &mut out, validators);
                self.errors = scanner.had_errors();
                if !scanner.is_clean() || s.block.cut {
                    self.carry = Some(scanner);
                }
            }
        }
        if let Some(message) = s.block.error {
            out.counts.unreadable += 1;
            out.unreadable = Some(message);
        }
        (out, s.block.buf)
    }

    /// The end of a source.
    fn finish(
        &mut self,
        mut scanner: Scanner,
        block: &Block,
        out: &mut Checked,
        validators: &Validators,
    ) {
        scanner.end(block.error.is_some());
        check_ready(&mut scanner, out, validators);
        self.errors = scanner.had_errors();
    }
}
