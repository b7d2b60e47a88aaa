//! Reading a regular file by mapping it into memory instead of copying it
//! (the parallel path of `validate`, for files of at least
//! [`crate::validate::Options::map_bytes`]).
//!
//! A block is then a range of the mapping: the reader finds where blocks
//! end and where their lines end, and nothing is copied. Once a block is
//! printed, its pages are handed back to the kernel ([`Bytes::recycle`]),
//! so memory stays constant whatever the file size.
//!
//! A mapped file that shrinks while it is read (another program truncates
//! it) makes the next access past its new end raise `SIGBUS`. The first
//! mapping installs a handler that prints one line and exits with code 2
//! (a usage error: the input changed under us), instead of the process
//! dying of a signal.

use std::ops::{Deref, Range};
use std::sync::Arc;

use memmap2::Mmap;

use super::lines::Spare;
use super::MAX_EVENT_BYTES;

/// The bytes of a block: read into a buffer of its own, or a range of a
/// mapped file.
#[derive(Debug)]
pub enum Bytes {
    /// Read (a pipe, a small file); reused through [`Spare`].
    Owned(Vec<u8>),
    /// A range of a mapped file.
    Mapped(Arc<Mmap>, Range<usize>),
}

impl Default for Bytes {
    fn default() -> Self {
        Bytes::Owned(Vec::new())
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Mapped(map, range) => &map[range.clone()],
        }
    }
}

impl Bytes {
    /// Done with a printed block: a buffer goes back to `spare`; a mapped
    /// range's pages go back to the kernel (the pages it shares with the
    /// next block stay).
    pub fn recycle(self, spare: &Spare) {
        match self {
            Bytes::Owned(v) => spare.give(v),
            Bytes::Mapped(map, range) => release(&map, range),
        }
    }
}

/// Drops the pages wholly inside `..range.end` from `range.start`'s page on
/// (the block before is printed, the block after may still be read). The
/// data stays in the page cache; the mapping only stops counting it.
fn release(map: &Mmap, range: Range<usize>) {
    const PAGE: usize = 4096;
    let (from, to) = (range.start / PAGE * PAGE, range.end / PAGE * PAGE);
    if to > from {
        // SAFETY: every block that holds bytes of these pages is printed
        // and dropped (blocks are printed in order, and the one after
        // starts at or past `to`), so nothing borrows them; the mapping is
        // read-only and shared, so a later access would read the file
        // again, not zeroes. Failing only keeps the pages counted.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, from, to - from)
        };
    }
}

/// Maps `file` (opened by the caller) for reading, installing the
/// truncation handler first. `None` if it cannot be mapped (the caller
/// reads it instead).
pub fn map(file: &std::fs::File) -> Option<Arc<Mmap>> {
    exit_on_truncation();
    // SAFETY: the mapping is only read. Another program changing the file
    // meanwhile changes what is read (as with `read`); truncating it raises
    // SIGBUS, which `exit_on_truncation` turns into a clear error.
    let map = unsafe { Mmap::map(file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(Arc::new(map))
}

/// Cuts a mapped source, from byte `start` on, into blocks of about `size`
/// bytes ending at line ends (as [`super::read_blocks`] does for a read
/// source), handing each to `emit` (with whether it is the last) until it
/// returns `false`.
pub fn map_blocks(
    map: &Arc<Mmap>,
    start: usize,
    size: usize,
    emit: &mut dyn FnMut(Bytes, bool) -> bool,
) {
    let len = map.len();
    let mut pos = start.min(len);
    loop {
        let end = block_end(map, pos, size);
        let last = end == len;
        if !emit(Bytes::Mapped(Arc::clone(map), pos..end), last) || last {
            return;
        }
        pos = end;
    }
}

/// Where the block starting at `pos` ends: after the last line end within
/// `size` bytes; else after the first line end of a longer line; else,
/// for a line longer than [`MAX_EVENT_BYTES`], past that many bytes (the
/// block is cut inside the line); at most the end of the map.
fn block_end(map: &[u8], pos: usize, size: usize) -> usize {
    let len = map.len();
    let near = (pos + size).min(len);
    if near == len {
        return len;
    }
    if let Some(i) = memchr::memrchr(b'\n', &map[pos..near]) {
        return pos + i + 1;
    }
    let far = (pos + MAX_EVENT_BYTES + 1).min(len);
    match memchr::memchr(b'\n', &map[near..far]) {
        Some(i) => near + i + 1,
        None => far,
    }
}

/// Installs, once, a `SIGBUS` handler that reports a truncated input and
/// exits with code 2. (Elsewhere than on Unix a mapped file cannot be
/// truncated.)
#[cfg(not(unix))]
fn exit_on_truncation() {}

/// Installs, once, a `SIGBUS` handler that reports a truncated input and
/// exits with code 2.
#[cfg(unix)]
fn exit_on_truncation() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a zeroed `sigaction` is valid (no flags, empty mask); the
        // handler only calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

/// The `SIGBUS` handler: one line on stderr, exit code 2.
#[cfg(unix)]
extern "C" fn on_sigbus(_: libc::c_int) {
    const MESSAGE: &[u8] = b"error: an input file was truncated while it was read, so not every event was checked\n  = hint: validate a copy of a file that another program is still writing\n";
    // SAFETY: `write` and `_exit` are async-signal-safe.
    unsafe {
        libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
        libc::_exit(2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_at_line_ends_and_cover_the_map() {
        let text = b"aa\nbbbb\nc\n\nddddddd\ne";
        for size in 1..=text.len() + 2 {
            let mut pos = 0;
            let mut cuts = Vec::new();
            while pos < text.len() {
                let end = block_end(text, pos, size);
                assert!(end > pos, "size {size}: no progress at {pos}");
                if end < text.len() {
                    assert_eq!(text[end - 1], b'\n', "size {size}: cut inside a line");
                }
                cuts.push(end);
                pos = end;
            }
            assert_eq!(pos, text.len());
            if size >= text.len() {
                assert_eq!(cuts, vec![text.len()]);
            }
        }
    }

    #[test]
    fn a_line_without_an_end_is_one_block_up_to_the_limit() {
        let mut text = vec![b'x'; 100];
        text.push(b'\n');
        text.extend_from_slice(b"y\n");
        // The first line is longer than a block: it is one block.
        assert_eq!(block_end(&text, 0, 10), 101);
        assert_eq!(block_end(&text, 101, 10), text.len());
    }
}
