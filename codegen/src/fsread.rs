//! Reading catalog files and examples safely: regular files only (a FIFO
//! would block, a device never ends), a size limit, UTF-8 with the position
//! of the first invalid byte, and `\r\n` normalised to `\n`.

use std::io::Read;
use std::path::Path;

/// The largest catalog file or example file eventcat reads (16 MiB).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file (after following symlinks): a folder, FIFO,
    /// socket or device. The string names what it is.
    NotRegular(&'static str),
    /// Larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// An I/O error.
    Io(std::io::Error),
    /// The bytes are not UTF-8. `text` is the lossy text, `offset` the byte
    /// offset of the first invalid byte in it (the valid prefix is kept
    /// as is, so line and column are right).
    Utf8 {
        /// Lossy text.
        text: String,
        /// Offset of the first invalid byte.
        offset: usize,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(what) => write!(f, "not a regular file (it is {what})"),
            ReadError::TooLarge { limit } => write!(
                f,
                "file is larger than the limit of {} MiB",
                limit / (1024 * 1024)
            ),
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Utf8 { .. } => write!(f, "file is not valid UTF-8"),
        }
    }
}

/// What a file that is not a regular file is, for messages: "a folder",
/// "a FIFO", "a socket", "a device", or "not a regular file".
pub fn kind_name(ft: &std::fs::FileType) -> &'static str {
    if ft.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Reads `path` (following symlinks) if it is a regular file of at most
/// `limit` bytes. The type is checked before opening (so a FIFO is never
/// opened) and again on the open file.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_name(&meta.file_type())));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// UTF-8 text from `bytes`, with `\r\n` turned into `\n`.
pub fn text_from_bytes(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(t) => Ok(normalize_newlines(t)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err(ReadError::Utf8 { text, offset })
        }
    }
}

/// Reads a catalog or example file as text (see [`read_regular`] and
/// [`text_from_bytes`]).
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    text_from_bytes(read_regular(path, MAX_FILE_BYTES)?)
}

/// `\r\n` -> `\n` (a lone `\r` is kept).
pub fn normalize_newlines(text: String) -> String {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_normalised_and_lone_cr_kept() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n".into()), "a\nb\rc\n");
    }

    #[test]
    fn invalid_utf8_reports_the_first_bad_byte() {
        let err = text_from_bytes(b"ab\ncd\xffe".to_vec()).unwrap_err();
        match err {
            ReadError::Utf8 { text, offset } => {
                assert_eq!(offset, 5);
                assert_eq!(&text[..offset], "ab\ncd");
            }
            e => panic!("{e}"),
        }
    }

    #[test]
    fn size_limit_is_enforced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, vec![b'a'; 11]).unwrap();
        assert!(matches!(
            read_regular(&p, 10),
            Err(ReadError::TooLarge { limit: 10 })
        ));
        assert_eq!(read_regular(&p, 11).unwrap().len(), 11);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused() {
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular("a device"))
        ));
        assert!(matches!(
            read_regular(Path::new("/"), 10),
            Err(ReadError::NotRegular("a folder"))
        ));
    }
}
