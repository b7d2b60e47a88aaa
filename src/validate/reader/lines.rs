//! Reading a source in blocks of whole lines, for the parallel path of
//! `validate` ([`crate::validate::blocks`]).

use std::io::Read;

use super::{Input, Source, CHUNK, MAX_EVENT_BYTES};

/// A piece of one source's bytes for the parallel path ([`read_blocks`]):
/// whole lines (it ends with a line end), except the last block of a
/// source and blocks cut inside a line ([`Block::cut`]).
#[derive(Debug, Default)]
pub struct Block {
    /// Source index.
    pub source: usize,
    /// The bytes (a byte order mark at the start of the source removed).
    pub buf: Vec<u8>,
    /// The first block of its source.
    pub first: bool,
    /// Bytes of the source before the block (a byte order mark counted).
    pub offset: u64,
    /// Starts inside a line (the block before it was cut).
    pub mid_line: bool,
    /// The last block of its source (end of input, or a read error).
    pub last: bool,
    /// Ends inside a line (not at a line end) although not the last block:
    /// a line longer than [`MAX_EVENT_BYTES`], or what a stream had sent.
    pub cut: bool,
    /// Why reading stopped early: the last block then, or a block of a
    /// regular file that could not be read whole (a file cut short while it
    /// is read), where the source ends.
    pub error: Option<String>,
    /// The bytes are still in the file (a regular file): the worker reads
    /// them ([`Block::fill`]).
    pub unread: Option<super::ranges::Unread>,
}

/// Buffers of blocks already checked, to read the next blocks into (no
/// allocation, no fresh pages to fault in).
#[derive(Debug, Default)]
pub struct Spare(std::sync::Mutex<Vec<Vec<u8>>>);

impl Spare {
    /// Buffers kept at most.
    const KEPT: usize = 64;

    /// A buffer (empty if none is spare).
    pub fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_default()
    }

    /// Gives a buffer back.
    pub fn give(&self, buf: Vec<u8>) {
        if let Ok(mut v) = self.0.lock() {
            if v.len() < Self::KEPT {
                v.push(buf);
            }
        }
    }
}

/// Reads `source` in blocks of about `size` bytes cut at line ends, handing
/// each to `emit` (which returns `false` to stop). Nothing is looked at
/// but the last line end of a block: the workers find the others, cut and
/// check the events, and the printer numbers the lines (a block does not
/// know the line it starts on).
///
/// With `positional`, a regular file (on Unix) is only cut here: each block
/// is handed over unread, and the worker that checks it reads its bytes
/// ([`Block::fill`]). Otherwise the bytes are read
/// here, costing about a copy of the input on this thread. A short read of
/// a stream (a pipe, a terminal) hands over all it has at once, so a stream
/// is reported as it arrives.
pub fn read_blocks(
    index: usize,
    source: &Source,
    size: usize,
    positional: bool,
    spare: &Spare,
    emit: &mut dyn FnMut(Block) -> bool,
) {
    let size = size.clamp(1, MAX_EVENT_BYTES);
    let mut blocks = Blocks {
        source: index,
        first: true,
        offset: 0,
        mid_line: false,
        emit,
    };
    if let (true, Input::File(path)) = (positional, &source.input) {
        match super::ranges::open(path) {
            Ok(Some(file)) => return super::ranges::cut(file, source, size, &mut blocks),
            Ok(None) => {}
            Err(e) => {
                blocks.send(Vec::new(), true, cannot(source, e));
                return;
            }
        }
    }
    let r = match open(source) {
        Ok(r) => r,
        Err(e) => {
            blocks.send(Vec::new(), true, cannot(source, e));
            return;
        }
    };
    let regular = matches!(source.input, Input::File(_));
    read_into_blocks(r, source, regular, size, spare, &mut blocks);
}

/// The message of a read error.
pub(super) fn cannot(source: &Source, e: std::io::Error) -> Option<String> {
    Some(format!("cannot read `{}`: {e}", source.name))
}

/// Cuts one source into blocks and hands them over.
pub(super) struct Blocks<'a> {
    source: usize,
    first: bool,
    /// Bytes of the source before the next block.
    pub(super) offset: u64,
    /// The next block starts inside a line.
    mid_line: bool,
    emit: &'a mut dyn FnMut(Block) -> bool,
}

impl Blocks<'_> {
    /// Hands over the next block of bytes `buf` (`false`: stop reading).
    fn send(&mut self, buf: Vec<u8>, last: bool, error: Option<String>) -> bool {
        let cut = !last && buf.last() != Some(&b'\n');
        let len = buf.len() as u64;
        self.send_block(buf, None, len, last, cut, error)
    }

    /// Hands over the next `len` bytes, in `buf` or still `unread`.
    pub(super) fn send_block(
        &mut self,
        buf: Vec<u8>,
        unread: Option<super::ranges::Unread>,
        len: u64,
        last: bool,
        cut: bool,
        error: Option<String>,
    ) -> bool {
        let b = Block {
            source: self.source,
            first: self.first,
            offset: self.offset,
            mid_line: self.mid_line,
            last,
            cut,
            error,
            buf,
            unread,
        };
        (self.first, self.mid_line) = (false, cut);
        self.offset += len;
        (self.emit)(b)
    }
}

/// Reads `r` (from `source`) into blocks of about `size` bytes, cut after
/// their last line end (a stream's short read: all it has). A read error
/// ends the last block.
fn read_into_blocks(
    mut r: Box<dyn Read>,
    source: &Source,
    regular: bool,
    size: usize,
    spare: &Spare,
    blocks: &mut Blocks<'_>,
) {
    // At least 3 bytes: the first read of a file holds its whole byte order
    // mark, as when reading a chunk at a time.
    let read_size = CHUNK.min(size).max(3);
    let fresh = || {
        let mut b = spare.take();
        b.clear();
        b.reserve(size + read_size);
        b
    };
    let mut buf: Vec<u8> = fresh();
    let mut start = true;
    loop {
        let n = match read_more(&mut r, &mut buf, read_size, regular) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                blocks.send(buf, true, cannot(source, e));
                return;
            }
        };
        if n == 0 {
            blocks.send(buf, true, None);
            return;
        }
        if std::mem::take(&mut start) && buf.starts_with(BOM) {
            buf.drain(..3);
            blocks.offset = 3;
        }
        let short = n < read_size;
        if buf.len() < size && !short {
            continue;
        }
        // A stream's short read: all it has (what it sent is reported now);
        // otherwise whole lines.
        let at = if short && !regular {
            Some(buf.len())
        } else {
            cut_at(&buf)
        };
        if let Some(at) = at.filter(|&at| at > 0) {
            let mut next = fresh();
            next.extend_from_slice(&buf[at..]);
            buf.truncate(at);
            if !blocks.send(std::mem::replace(&mut buf, next), false, None) {
                return;
            }
        }
    }
}

/// A UTF-8 byte order mark.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The reader of a source.
fn open(source: &Source) -> std::io::Result<Box<dyn Read>> {
    match &source.input {
        Input::Stdin => Ok(Box::new(std::io::stdin().lock())),
        Input::File(path) => std::fs::File::open(path).map(|f| Box::new(f) as Box<dyn Read>),
        Input::NotRegular(_, what) => Err(std::io::Error::other(format!(
            "not a regular file (it is {what}); only regular files are read from a folder"
        ))),
        Input::Unreadable(why) => Err(std::io::Error::other(why.clone())),
    }
}

/// Appends up to `size` bytes read from `r` to `buf`: the bytes read (0 at
/// the end of the input).
fn read_more(
    r: &mut dyn Read,
    buf: &mut Vec<u8>,
    size: usize,
    regular: bool,
) -> std::io::Result<usize> {
    if regular {
        // Into the buffer's spare room, not zeroed first (a regular file's
        // read only comes short at its end).
        return r.take(size as u64).read_to_end(buf);
    }
    let len = buf.len();
    buf.resize(len + size, 0);
    let n = r.read(&mut buf[len..]);
    buf.truncate(len + *n.as_ref().unwrap_or(&0));
    n
}

/// Where to end a block of `buf`: after its last line end, or everywhere
/// when one line is too long to wait for its end.
fn cut_at(buf: &[u8]) -> Option<usize> {
    match memchr::memrchr(b'\n', buf) {
        Some(i) => Some(i + 1),
        None if buf.len() > MAX_EVENT_BYTES => Some(buf.len()),
        None => None,
    }
}
