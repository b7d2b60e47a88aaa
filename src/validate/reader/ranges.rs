//! Regular files cut into blocks that the workers read themselves
//! (positional reads) instead of the reader thread copying every byte for
//! them ([`super::read_blocks`] with `positional`).
//!
//! - The reader only looks for each block's end: the first line end at or
//!   after its nominal size, a few kilobytes read ([`cut`]). A line longer
//!   than [`MAX_EVENT_BYTES`] is cut inside, as when copying.
//! - A worker reads the block's bytes into its own buffer ([`Block::fill`]),
//!   which stays in its core's cache, checks them, and keeps the buffer
//!   ([`Block::give_back`]). On two cores with two workers there is no
//!   third busy thread, and no block crosses from one core's cache to
//!   another's.
//! - The printer, which must scan a block itself when the worker's guess
//!   at the block start was wrong (a document that spans blocks), reads its
//!   bytes again ([`Block::read_again`]).
//! - A file cut short while it is read (its bytes no longer there when a
//!   worker or the printer reads them) is reported as unreadable: `validate`
//!   exits with 2.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use super::lines::{cannot, Blocks, Spare, BOM};
use super::{Block, Source, MAX_EVENT_BYTES};

/// Bytes looked at, at a time, for the line end after a block's nominal end.
const WINDOW: usize = 8 << 10;

/// A block's bytes, still in the file.
#[derive(Debug, Clone)]
pub struct Unread {
    file: Arc<File>,
    /// The source's name, for a read error.
    name: Arc<str>,
    len: usize,
}

/// Opens `path`: `None` when it is not a regular file (a FIFO, a device),
/// or on a system without positional reads: it is read as a stream then.
pub fn open(path: &Path) -> std::io::Result<Option<File>> {
    // Asked before opening: opening a FIFO waits for a writer, and what it
    // sends would be lost with the handle.
    if !cfg!(unix) || !std::fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    File::open(path).map(Some)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<usize> {
    Err(std::io::Error::other("positional reads need a Unix system"))
}

/// Reads into `buf` from `at` until it is full or the file ends: the bytes
/// read.
fn read_full(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match read_at(file, &mut buf[n..], at + n as u64) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Where the block starting at `start` ends: after the first line end at or
/// after `start + size - 1` (`Ok((end, true))`); at the end of the file when
/// nothing can be read there (`(end, false)`, read to the end from `start`:
/// a file's reported size is not trusted, `/proc` files report 0); or, for
/// a line longer than [`MAX_EVENT_BYTES`], inside it (`(end, false)` before
/// the end of the file).
fn block_end(
    file: &File,
    window: &mut [u8],
    start: u64,
    size: usize,
) -> std::io::Result<(u64, bool)> {
    let limit = start + MAX_EVENT_BYTES.max(size) as u64;
    let nominal = start + size as u64 - 1;
    // Nothing at the nominal end: the block goes to the end of the file.
    let to_end = read_full(file, &mut window[..1], nominal)? == 0;
    let mut at = if to_end { start } else { nominal };
    while at < limit {
        let want = window.len().min((limit - at) as usize);
        let n = read_full(file, &mut window[..want], at)?;
        if !to_end {
            if let Some(i) = memchr::memchr(b'\n', &window[..n]) {
                return Ok((at + i as u64 + 1, true));
            }
        }
        at += n as u64;
        if n < want {
            return Ok((at, false));
        }
    }
    Ok((limit, false))
}

/// Cuts the regular file `file` (of `source`) into blocks of about `size`
/// bytes ending at line ends, handed over unread.
pub fn cut(file: File, source: &Source, size: usize, blocks: &mut Blocks<'_>) {
    let file = Arc::new(file);
    let name: Arc<str> = source.name.as_str().into();
    let mut window = vec![0u8; WINDOW];
    let mut start = 0u64;
    match read_full(&file, &mut window[..3], 0) {
        Ok(3) if &window[..3] == BOM => {
            start = 3;
            blocks.offset = 3;
        }
        Ok(_) => {}
        Err(e) => {
            blocks.send_block(Vec::new(), None, 0, true, false, cannot(source, e));
            return;
        }
    }
    loop {
        let (end, at_line_end) = match block_end(&file, &mut window, start, size) {
            Ok(found) => found,
            Err(e) => {
                blocks.send_block(Vec::new(), None, 0, true, false, cannot(source, e));
                return;
            }
        };
        // No line end before the end of the file, and nothing after it: the
        // last block (as is an empty one, which nothing could be read into:
        // a block is never empty otherwise, so the loop always moves on).
        let last = !at_line_end && (end == start || is_end(&file, end));
        let len = end - start;
        let unread = Unread {
            file: Arc::clone(&file),
            name: Arc::clone(&name),
            len: len as usize,
        };
        let cut = !last && !at_line_end;
        if !blocks.send_block(Vec::new(), Some(unread), len, last, cut, None) || last {
            return;
        }
        start = end;
    }
}

/// Whether `at` is the end of `file` (nothing can be read there).
fn is_end(file: &File, at: u64) -> bool {
    let mut one = [0u8; 1];
    !matches!(read_full(file, &mut one, at), Ok(1))
}

impl Block {
    /// Reads the block's bytes from its file into `buf` (what it held is
    /// replaced), when the reader left them there, and holds them until
    /// [`Block::give_back`]. A worker reads every block into the same
    /// buffer, which stays in its core's cache.
    pub fn fill(&mut self, buf: &mut Vec<u8>) {
        if let Some(unread) = &self.unread {
            let mut bytes = std::mem::take(buf);
            self.error = read_range(unread, self.offset, &mut bytes);
            self.buf = bytes;
        }
    }

    /// Gives the bytes [`Block::fill`] read back to `buf`: the printer reads
    /// them again if it must scan the block itself ([`Block::read_again`]).
    pub fn give_back(&mut self, buf: &mut Vec<u8>) {
        if self.unread.is_some() {
            *buf = std::mem::take(&mut self.buf);
        }
    }

    /// Reads the bytes of a block given back again, into a buffer from
    /// `spare`.
    pub fn read_again(&mut self, spare: &Spare) {
        if let Some(unread) = &self.unread {
            if self.buf.is_empty() {
                let mut bytes = spare.take();
                self.error = read_range(unread, self.offset, &mut bytes);
                self.buf = bytes;
            }
        }
    }
}

/// Reads `unread.len` bytes from `at` into `buf` (its length becomes what
/// was read): why it could not read them all, if it could not.
fn read_range(unread: &Unread, at: u64, buf: &mut Vec<u8>) -> Option<String> {
    // Only the bytes beyond the buffer's length are zeroed first.
    if buf.len() < unread.len {
        buf.resize(unread.len, 0);
    } else {
        buf.truncate(unread.len);
    }
    match read_full(&unread.file, buf, at) {
        Ok(n) if n == unread.len => None,
        Ok(n) => {
            buf.truncate(n);
            Some(format!(
                "cannot read `{}`: it was cut short while it was read",
                unread.name
            ))
        }
        Err(e) => {
            buf.clear();
            Some(format!("cannot read `{}`: {e}", unread.name))
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::super::{read_blocks, Input};
    use super::*;

    /// Cuts `path` into blocks of about `size` bytes, handed over unread.
    fn cut_blocks(path: &Path, size: usize) -> Vec<Block> {
        let source = Source {
            name: "a.ndjson".into(),
            input: Input::File(path.to_path_buf()),
        };
        let mut blocks = Vec::new();
        read_blocks(0, &source, size, true, &Spare::default(), &mut |b| {
            blocks.push(b);
            true
        });
        blocks
    }

    /// Cuts `text` (written to a file) into blocks of `size` bytes, fills
    /// them as workers do, and reads each again as the printer does: the
    /// bytes of each block, each read the same twice.
    fn cut_and_read(text: &[u8], size: usize) -> Vec<Vec<u8>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ndjson");
        std::fs::write(&path, text).unwrap();
        let mut blocks = cut_blocks(&path, size);
        let (mut out, mut own) = (Vec::new(), Vec::new());
        let mut offset = if text.starts_with(BOM) { 3 } else { 0 };
        let n = blocks.len();
        for (i, b) in blocks.iter_mut().enumerate() {
            assert!(
                b.buf.is_empty() && b.unread.is_some(),
                "block {i} of {size}"
            );
            assert_eq!((b.offset, b.first, b.last), (offset, i == 0, i + 1 == n));
            b.fill(&mut own);
            assert_eq!(b.error, None);
            let filled = b.buf.clone();
            b.give_back(&mut own);
            assert!(b.buf.is_empty());
            b.read_again(&Spare::default());
            assert_eq!(b.buf, filled, "block {i} of {size}, read again");
            offset += filled.len() as u64;
            out.push(filled);
        }
        out
    }

    /// The blocks hold the file, byte for byte (a byte order mark left
    /// out), each ending at a line end but the last.
    #[test]
    fn blocks_are_whole_lines_read_by_the_worker() {
        let mut text = "\u{feff}".to_string();
        for i in 0..2000 {
            text.push_str(&format!("{{\"n\":{}}}\n", "7".repeat(i % 50)));
        }
        for end in ["{\"no final line end\":1}", ""] {
            let text = format!("{text}{end}");
            for size in [1, 10, 999, 1 << 20] {
                let blocks = cut_and_read(text.as_bytes(), size);
                let (last, whole) = blocks.split_last().unwrap();
                for (i, b) in whole.iter().enumerate() {
                    assert!(b.ends_with(b"\n") && !b.is_empty(), "block {i} of {size}");
                }
                // The last block holds the rest of the file: empty when a
                // block ended at the file's last line end.
                assert!(!end.is_empty() || size > 10 || last.is_empty(), "{size}");
                assert!(end.is_empty() || last.ends_with(end.as_bytes()), "{size}");
                assert_eq!(blocks.concat(), text.as_bytes()[3..], "blocks of {size}");
            }
        }
    }

    /// An empty file and a byte order mark alone: one empty block.
    #[test]
    fn an_empty_file_is_one_empty_block() {
        for text in ["", "\u{feff}"] {
            assert_eq!(cut_and_read(text.as_bytes(), 10), vec![Vec::<u8>::new()]);
        }
    }

    /// Found in review: a file whose reported size is below what it holds
    /// (`/proc` files report 0) made the reader hand over empty blocks
    /// forever. It is read to its end.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_reports_no_size_is_read_to_its_end() {
        let path = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let blocks = cut_blocks(path, 1 << 20);
        assert_eq!(blocks.len(), 1);
        assert!(blocks[0].last && blocks[0].unread.as_ref().unwrap().len > 100);
    }

    /// Found in review: asking whether a FIFO is a regular file must not
    /// open it (that waits for a writer, and loses what it sends when the
    /// handle is dropped): `open` answers at once, without a writer.
    #[test]
    fn a_fifo_is_not_opened_to_be_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(open(&fifo).map(|f| f.is_some()).ok()));
        let answer = rx.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(answer.ok(), Some(Some(false)), "open waited for a writer");
    }

    /// A file cut short after it was cut into blocks: the blocks past its
    /// new end say why they could not be read.
    #[test]
    fn a_file_cut_short_while_it_is_read_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ndjson");
        std::fs::write(&path, "{}\n".repeat(1000)).unwrap();
        let mut blocks = cut_blocks(&path, 1000);
        assert!(blocks.len() >= 3, "{} blocks", blocks.len());
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(1500).unwrap();
        let mut own = Vec::new();
        blocks[0].fill(&mut own);
        assert_eq!(blocks[0].error, None);
        blocks[1].fill(&mut own);
        let why = blocks[1].error.as_deref().unwrap_or_default();
        assert!(
            why.contains("`a.ndjson`") && why.contains("cut short"),
            "{why}"
        );
        assert_eq!(blocks[1].buf.len() as u64, 1500 - blocks[1].offset);
        blocks[2].read_again(&Spare::default());
        assert!(blocks[2].error.is_some() && blocks[2].buf.is_empty());
    }
}
