//! The parallel path of `validate`: workers cut *and* check their own
//! blocks of input, and the printer stitches the blocks together.
//!
//! A source is read in blocks of whole lines ([`read_blocks`]), costing about
//! a copy of the input. Each worker checks its block line by line
//! ([`speculate`]), assuming the block starts between events, as an NDJSON
//! file always does:
//! - a line that is exactly one JSON object (it parses, nothing follows) is
//!   an event, checked as it is parsed; this is what the structural scanner
//!   ([`Scanner`]) would cut there, so its results are final;
//! - from a line that is anything else (a pretty-printed document, an
//!   array, broken JSON), the worker runs the scanner line by line until it
//!   is between events again at a line end, and goes on line by line from
//!   there. A stretch the scanner has not finished at the block end (an
//!   event or an array that goes on into the next block, the end of the
//!   source) is left to the printer: the worker's results stop where it
//!   started.
//!
//! The printer ([`Follow`]) takes the blocks in input order and scans on its
//! own thread what the workers
//! could not: the rest of a block whose scanner did not end between events,
//! and the blocks after it (their workers' assumption was wrong) until the
//! scanner is between events again at a block end. NDJSON is therefore cut
//! and checked in parallel, and other layouts on one thread, with the same
//! results as [`super::reader::read_source`] and [`super::dispatch::check_batch`]
//! on one thread (`tests` below hold both to it).

use super::dispatch::Checked;
use super::reader::{Block, Scanner};
use super::schema::Validators;

pub use super::reader::{read_blocks, Spare};

/// A worker's results for one block.
#[derive(Debug)]
pub struct Speculated {
    /// The block (its bytes come back: the printer may scan them).
    pub block: Block,
    /// Findings and counts.
    pub checked: Checked,
    /// Where the results stop, when they do not cover the whole block: a
    /// byte offset and its line (the scanner did not end between events).
    pub resume: Option<(usize, u64)>,
    /// The worker's scanner reported something that is not an event.
    pub errors: bool,
}

/// Checks one block, assuming it starts between events (see the module
/// docs).
pub fn speculate(block: Block, validators: &Validators) -> Speculated {
    let mut checked = Checked::new(block.source, validators.codes().len());
    let buf = &block.buf;
    let (mut pos, mut line) = (0, block.line);
    let mut errors = false;
    // The scanner of a stretch that is not one object per line, and where
    // that stretch started.
    let mut scanning: Option<(Scanner, usize, u64)> = None;
    while pos < buf.len() {
        let nl = memchr::memchr(b'\n', &buf[pos..]).map(|i| pos + i);
        let next = nl.map_or(buf.len(), |i| i + 1);
        if scanning.is_none() {
            let text = buf[pos..next].trim_ascii();
            // The piece after the last line end of a block cut inside a
            // line is not a whole line.
            let whole = nl.is_some() || !block.cut;
            let event =
                !text.is_empty() && whole && one_object(text, line, &mut checked, validators);
            if !text.is_empty() && !event {
                scanning = Some((Scanner::at(block.source, line, errors), pos, line));
            }
        }
        if let Some((scanner, _, _)) = scanning.as_mut() {
            scanner.feed_all(&buf[pos..next]);
            if nl.is_some() && scanner.is_clean() {
                for batch in scanner.take_ready() {
                    checked.batch(&batch, validators);
                }
                errors |= scanner.had_errors();
                scanning = None;
            }
        }
        pos = next;
        line += u64::from(nl.is_some());
    }
    // A stretch still open at the block end goes on into the next block (or
    // is the end of the source): the printer scans it, from its start.
    let resume = scanning.map(|(_, pos, line)| (pos, line));
    Speculated {
        block,
        checked,
        resume,
        errors,
    }
}

/// Checks `text` (a trimmed line) if it is exactly one JSON object, as the
/// scanner would cut it (a line of `eventcat listen --capture`: the event it
/// holds). `false`: it is not (nothing is counted); the scanner decides.
fn one_object(text: &[u8], line: u64, checked: &mut Checked, validators: &Validators) -> bool {
    if text.first() != Some(&b'{') {
        return false;
    }
    let (start, end) = crate::webhooks::capture::event_range(text).unwrap_or((0, text.len()));
    checked.event(&text[start..end], line, validators).is_ok()
}

/// What the printer keeps of one source between its blocks.
#[derive(Debug, Default)]
pub struct Follow {
    /// The scanner, while it is not between events at a block end.
    carry: Option<Scanner>,
    /// Something that is not an event was reported in the source.
    errors: bool,
}

impl Follow {
    /// The final results of one block (blocks taken in input order): the
    /// worker's, and what the printer scans itself; and the block's buffer,
    /// to be read into again.
    pub fn take(&mut self, s: Speculated, validators: &Validators) -> (Checked, Vec<u8>) {
        if s.block.first {
            *self = Follow::default();
        }
        let mut out = match self.carry.take() {
            None => {
                let mut out = s.checked;
                self.errors |= s.errors;
                if let Some((pos, line)) = s.resume {
                    let scanner = Scanner::at(s.block.source, line, self.errors);
                    self.scan(scanner, &s.block, pos, &mut out, validators);
                }
                out
            }
            Some(scanner) => {
                let mut out = Checked::new(s.block.source, validators.codes().len());
                self.scan(scanner, &s.block, 0, &mut out, validators);
                out
            }
        };
        if let Some(message) = s.block.error {
            out.counts.unreadable += 1;
            out.unreadable = Some(message);
        }
        (out, s.block.buf)
    }

    /// Scans `block` from byte `from` with `scanner` and checks what it cuts;
    /// keeps the scanner if it is not between events at the block end.
    fn scan(
        &mut self,
        mut scanner: Scanner,
        block: &Block,
        from: usize,
        out: &mut Checked,
        validators: &Validators,
    ) {
        scanner.feed_all(&block.buf[from..]);
        if block.last {
            scanner.end(block.error.is_some());
        }
        for batch in scanner.take_ready() {
            out.batch(&batch, validators);
        }
        self.errors = scanner.had_errors();
        if !block.last && !scanner.is_clean() {
            self.carry = Some(scanner);
        }
    }
}
