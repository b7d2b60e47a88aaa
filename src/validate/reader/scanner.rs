//! The structural scanner: cuts a source's bytes into events (one per line,
//! or spread over lines, or the elements of a top-level array), keeping
//! exact line numbers and reporting what is not an event.

#[allow(unused_imports)]
use super::*;

impl Scanner {
    pub(crate) fn new(source: usize) -> Self {
        Self::at(source, 1, false, 0)
    }

    /// A scanner between events at line `line`, `fed` bytes into its source;
    /// `errors`: something not an event was reported before in the source.
    pub(crate) fn at(source: usize, line: u64, errors: bool, fed: u64) -> Self {
        Scanner {
            fed,
            line,
            col: 0,
            blank: true,
            array: Array::No,
            doc: None,
            skip_line: false,
            garbage: None,
            skip_to: None,
            errors,
            batch: Batch {
                source,
                ..Batch::default()
            },
            ready: Vec::new(),
        }
    }

    pub(super) fn malformed(&mut self, line: u64, message: String) {
        self.errors = true;
        self.batch.items.push(Item::Malformed { line, message });
        self.maybe_flush();
    }

    pub(super) fn maybe_flush(&mut self) {
        if self.doc.is_none()
            && (self.batch.buf.len() >= BATCH_BYTES || self.batch.items.len() >= BATCH_ITEMS)
        {
            self.flush();
        }
    }

    /// Hands over every complete item now, keeping only the open event's
    /// bytes: after a short read, so a stream is reported as it arrives.
    pub(super) fn flush_complete(&mut self) {
        if self.batch.items.is_empty() {
            return;
        }
        match self.doc.as_mut() {
            None => self.flush(),
            Some(doc) => {
                let tail = self.batch.buf.split_off(doc.start);
                doc.start = 0;
                let next = Batch {
                    source: self.batch.source,
                    buf: tail,
                    items: Vec::new(),
                };
                self.ready.push(std::mem::replace(&mut self.batch, next));
            }
        }
    }

    pub(super) fn flush(&mut self) {
        if !self.batch.items.is_empty() {
            let next = Batch {
                source: self.batch.source,
                buf: Vec::with_capacity(self.batch.buf.capacity()),
                items: Vec::new(),
            };
            self.ready.push(std::mem::replace(&mut self.batch, next));
        }
    }

    /// Ends the open event (its bytes are in the buffer).
    pub(super) fn close(&mut self, incomplete: bool) {
        let Some(doc) = self.doc.take() else { return };
        let mut end = self.batch.buf.len();
        if incomplete {
            while end > doc.start && self.batch.buf[end - 1].is_ascii_whitespace() {
                end -= 1;
            }
            self.errors = true;
        }
        let (mut start, mut end) = (doc.start, end);
        // A line of `eventcat listen --capture`: the event it holds.
        if !incomplete {
            if let Some((s, e)) = crate::webhooks::capture::event_range(&self.batch.buf[start..end])
            {
                (start, end) = (start + s, start + e);
            }
        }
        self.batch.items.push(Item::Event {
            start,
            end,
            line: doc.line,
            incomplete,
        });
        if self.array != Array::No {
            self.array = Array::Separator;
        }
        self.maybe_flush();
    }

    pub(super) fn open(&mut self) {
        self.doc = Some(Open {
            line: self.line,
            col: self.col,
            depth: 0,
            in_str: false,
            esc: false,
            start: self.batch.buf.len(),
        });
    }

    /// Scans `chunk`. `copy` is where the open event's not-yet-copied bytes
    /// start in `chunk`.
    pub(super) fn feed(&mut self, chunk: &[u8]) {
        let mut copy: Option<usize> = self.doc.as_ref().map(|_| 0);
        let mut i = 0;
        while i < chunk.len() {
            i = if self.doc.is_some() {
                self.in_event(chunk, i, &mut copy)
            } else {
                self.between(chunk, i, &mut copy)
            };
        }
        if let Some(from) = copy {
            self.batch.buf.extend_from_slice(&chunk[from..]);
        }
    }

    /// Copies the open event's bytes of `chunk` up to `end` (exclusive)
    /// into the batch.
    fn copy_up_to(&mut self, chunk: &[u8], end: usize, copy: &mut Option<usize>) {
        if let Some(from) = copy.take() {
            self.batch.buf.extend_from_slice(&chunk[from..end]);
        }
    }

    /// One step inside the open event, from `chunk[i]`: a run of string
    /// content or of plain structure, or one byte. Returns where the next
    /// step starts.
    #[inline]
    fn in_event(&mut self, chunk: &[u8], i: usize, copy: &mut Option<usize>) -> usize {
        let Some(doc) = self.doc.as_mut() else {
            return self.between(chunk, i, copy);
        };
        let b = chunk[i];
        if doc.in_str {
            if !doc.esc {
                // Fast path: the bulk of the input is string content.
                let skip = run_length(&chunk[i..], &STRING_STOP);
                if skip > 0 {
                    self.col += skip;
                    return i + skip;
                }
            }
            if doc.esc {
                doc.esc = false;
            } else if b == b'\\' {
                doc.esc = true;
            } else if b == b'"' {
                doc.in_str = false;
            } else if b == b'\n' {
                let multi_line_from = (doc.line < self.line).then_some(doc.col);
                return self.string_broken(chunk, i, copy, multi_line_from);
            }
            self.col += 1;
            return i + 1;
        }
        if !STRUCTURE_STOP[usize::from(b)] {
            // Fast path: numbers, literals, `:` and `,`.
            let skip = run_length(&chunk[i..], &STRUCTURE_STOP);
            self.blank = false;
            self.col += skip;
            return i + skip;
        }
        match b {
            b'"' => doc.in_str = true,
            b'{' if self.blank && self.col <= doc.col && self.line > doc.line => {
                return self.next_event_starts(chunk, i, copy);
            }
            b'{' | b'[' => doc.depth += 1,
            b'}' | b']' => {
                doc.depth -= 1;
                if doc.depth == 0 {
                    self.copy_up_to(chunk, i + 1, copy);
                    self.close(false);
                    self.blank = false;
                    self.col += 1;
                    return i + 1;
                }
            }
            b'\n' => {
                self.newline();
                return i + 1;
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            self.blank = false;
        }
        self.col += 1;
        i + 1
    }

    /// A line end inside a string (`chunk[i]`): JSON strings cannot hold
    /// one, so the event is broken here. A multi-line one (opened at column
    /// `multi_line_from`) is skipped up to the next visible event start.
    fn string_broken(
        &mut self,
        chunk: &[u8],
        i: usize,
        copy: &mut Option<usize>,
        multi_line_from: Option<usize>,
    ) -> usize {
        self.copy_up_to(chunk, i, copy);
        self.close(true);
        if multi_line_from.is_some() {
            self.skip_to = multi_line_from;
        }
        self.newline();
        i + 1
    }

    /// A `{` at a line start, at the open event's indentation or less
    /// (`chunk[i]`): the next event starts here, the open one never closed.
    fn next_event_starts(&mut self, chunk: &[u8], i: usize, copy: &mut Option<usize>) -> usize {
        self.copy_up_to(chunk, i, copy);
        self.close(true);
        self.open_at(i, copy);
        self.blank = false;
        self.col += 1;
        i + 1
    }

    /// Opens an event at `chunk[i]`, its first bracket read.
    fn open_at(&mut self, i: usize, copy: &mut Option<usize>) {
        self.open();
        *copy = Some(i);
        if let Some(doc) = self.doc.as_mut() {
            doc.depth = 1;
        }
    }

    /// One step between events, from `chunk[i]`. Returns where the next
    /// step starts.
    fn between(&mut self, chunk: &[u8], i: usize, copy: &mut Option<usize>) -> usize {
        let b = chunk[i];
        if b == b'\n' {
            self.newline();
            return i + 1;
        }
        if self.skip_line || b.is_ascii_whitespace() {
            if let Some((_, bytes, _)) = self.garbage.as_mut() {
                if bytes.len() < 80 {
                    bytes.push(b);
                }
            }
            self.col += 1;
            return i + 1;
        }
        if let Some(col) = self.skip_to {
            if !(self.blank && b == b'{' && self.col <= col) {
                self.skip_line = true;
                self.col += 1;
                return i + 1;
            }
            self.skip_to = None;
            if self.array != Array::No {
                self.array = Array::Element { first: false };
            }
        }
        self.between_byte(b, i, copy);
        self.blank = false;
        self.col += 1;
        i + 1
    }

    /// What a byte that is not blank means between events (`chunk[i]` is
    /// `b`): an event or array opens, an array goes on or closes, or the
    /// line is not an event.
    fn between_byte(&mut self, b: u8, i: usize, copy: &mut Option<usize>) {
        match (b, self.array) {
            (b'[', Array::No) => self.array = Array::Element { first: true },
            (b'{' | b'[', _) => {
                if self.array == Array::Separator {
                    let found = char::from(b);
                    self.malformed(
                        self.line,
                        format!("expected `,` or `]` after an event, found `{found}`"),
                    );
                }
                self.open_at(i, copy);
            }
            (b',', Array::Separator) => self.array = Array::Element { first: false },
            (b']', Array::Separator | Array::Element { first: true }) => self.array = Array::No,
            (b']', Array::Element { first: false }) => {
                self.malformed(self.line, "trailing `,` before `]`".into());
                self.array = Array::No;
            }
            _ => {
                // Reported at the line end, with what the line holds.
                self.garbage = Some((self.line, vec![b], self.array == Array::Separator));
                self.skip_line = true;
            }
        }
    }

    /// An open event larger than [`MAX_EVENT_BYTES`] is reported and
    /// skipped. Checked every [`CHUNK`] bytes of the source and at its end
    /// (not at the ends of feeds), so the result does not depend on how the
    /// source was cut into pieces.
    fn check_size(&mut self) {
        let too_big = self
            .doc
            .as_ref()
            .is_some_and(|d| self.batch.buf.len() - d.start > MAX_EVENT_BYTES);
        if too_big {
            let Some(doc) = self.doc.take() else { return };
            self.batch.buf.truncate(doc.start);
            self.malformed(
                doc.line,
                format!(
                    "event larger than {} MiB (unbalanced brackets?); skipped",
                    MAX_EVENT_BYTES >> 20
                ),
            );
            self.skip_to = Some(doc.col);
            self.skip_line = true;
        }
    }

    pub(super) fn report_garbage(&mut self) {
        if let Some((line, bytes, after_event)) = self.garbage.take() {
            let what = snippet(&bytes);
            let message = if after_event {
                format!("expected `,` or `]` after an event, found `{what}`")
            } else {
                format!("expected an event (a JSON object), found `{what}`")
            };
            self.malformed(line, message);
        }
    }

    pub(super) fn newline(&mut self) {
        self.report_garbage();
        self.line += 1;
        self.col = 0;
        self.blank = true;
        self.skip_line = false;
    }

    /// Between events, outside any array, with nothing pending: what a
    /// scanner is at the start of a source, and what the parallel path
    /// assumes at the start of a block.
    pub(crate) fn is_clean(&self) -> bool {
        self.doc.is_none()
            && self.array == Array::No
            && self.skip_to.is_none()
            && self.garbage.is_none()
            && !self.skip_line
    }

    /// A scanner inside a JSON array, after an element's `,` (where a line
    /// of `{...},` leaves it), at line `line`.
    pub(crate) fn in_array(source: usize, line: u64, fed: u64) -> Self {
        let mut s = Self::at(source, line, false, fed);
        s.array = Array::Element { first: false };
        s
    }

    /// The state at a line start a worker can assume ([`Start`]), if the
    /// scanner is in one.
    pub(crate) fn start(&self) -> Option<Start> {
        let idle = self.doc.is_none()
            && self.skip_to.is_none()
            && self.garbage.is_none()
            && !self.skip_line;
        match self.array {
            _ if !idle => None,
            Array::No => Some(Start::Between),
            Array::Element { first: false } => Some(Start::InArray),
            _ => None,
        }
    }

    /// Moves every line it holds `by` lines down (a worker numbers the
    /// lines of its block from 1; the printer knows where the block starts).
    pub(crate) fn shift_lines(&mut self, by: u64) {
        self.line += by;
        if let Some(doc) = self.doc.as_mut() {
            doc.line += by;
        }
        if let Some(garbage) = self.garbage.as_mut() {
            garbage.0 += by;
        }
        for batch in std::iter::once(&mut self.batch).chain(self.ready.iter_mut()) {
            for item in &mut batch.items {
                match item {
                    Item::Event { line, .. }
                    | Item::Malformed { line, .. }
                    | Item::Unreadable { line, .. } => *line += by,
                }
            }
        }
    }

    /// Something not an event was reported before (in an earlier stretch).
    pub(crate) fn add_errors(&mut self, errors: bool) {
        self.errors |= errors;
    }

    /// Scans `bytes`, cut where the source's [`CHUNK`]s end (where the size
    /// of an open event is checked).
    pub(crate) fn feed_all(&mut self, bytes: &[u8]) {
        let chunk = CHUNK as u64;
        let mut rest = bytes;
        while !rest.is_empty() {
            let room = (chunk - self.fed % chunk) as usize;
            let (now, later) = rest.split_at(room.min(rest.len()));
            self.feed(now);
            self.fed += now.len() as u64;
            if self.fed.is_multiple_of(chunk) {
                self.check_size();
            }
            rest = later;
        }
    }

    /// Counts `n` bytes of the source that are not scanned (a byte order
    /// mark).
    pub(crate) fn skip(&mut self, n: u64) {
        self.fed += n;
    }

    /// The end of a source: `finish`, or after a read error, drop the open
    /// event (its bytes were not all read) and hand over the rest.
    pub(crate) fn end(&mut self, read_error: bool) {
        self.check_size();
        if read_error {
            self.doc = None;
            self.flush();
        } else {
            self.finish();
        }
    }

    /// The batches ready to check: every complete item (the open event
    /// stays).
    pub(crate) fn take_ready(&mut self) -> Vec<Batch> {
        self.flush_complete();
        std::mem::take(&mut self.ready)
    }

    /// Whether something not an event was reported so far.
    pub(crate) fn had_errors(&self) -> bool {
        self.errors
    }

    pub(super) fn finish(&mut self) {
        self.check_size();
        self.report_garbage();
        if self.doc.is_some() {
            self.close(true);
        } else if self.array != Array::No && !self.errors {
            let line = self.line;
            self.malformed(line, "the JSON array is never closed (missing `]`)".into());
        }
        self.flush();
    }
}

/// Bytes that end a run of string content: `"`, `\\`, line end.
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Bytes the scanner looks at outside strings: brackets, quotes, whitespace.
const STRUCTURE_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    let stops = b"\"{}[] \t\r\n";
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

/// How many bytes `bytes` starts with that `stops` does not mark.
#[inline]
fn run_length(bytes: &[u8], stops: &[bool; 256]) -> usize {
    bytes
        .iter()
        .position(|&c| stops[usize::from(c)])
        .unwrap_or(bytes.len())
}

/// Up to 20 characters of what follows, up to the line end, for messages.
pub(super) fn snippet(bytes: &[u8]) -> String {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len())
        .min(80);
    let text = String::from_utf8_lossy(&bytes[..end]);
    let mut s: String = text.trim_end().chars().take(20).collect();
    if text.trim_end().chars().count() > 20 {
        s.push_str("...");
    }
    s
}
