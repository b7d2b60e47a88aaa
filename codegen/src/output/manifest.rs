//! The manifest eventcat keeps in the output folder: what it generated
//! there (each file with the hash of its bytes), the fingerprint of the
//! run's inputs, and the journal an unfinished run leaves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{header, MANIFEST};

/// Whether a manifest entry is a plain relative path inside the output
/// folder: `/`-separated normal components only (no `..`, `.`, root,
/// drive or backslash).
pub(super) fn is_safe_entry(entry: &str) -> bool {
    !entry.is_empty()
        && !entry.contains('\\')
        && !entry.contains('\0')
        && entry
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains(':'))
        && Path::new(entry)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Whether `out/entry` can be reached without going through a symlink
/// (every folder on the way, and the file itself, is not a link).
fn reached_without_symlinks(out: &Path, entry: &str) -> bool {
    let mut p = out.to_path_buf();
    for c in entry.split('/') {
        p.push(c);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => return false,
            Ok(_) => {}
            // Missing: nothing to delete, nothing unsafe.
            Err(_) => return true,
        }
    }
    true
}

/// What a manifest records besides the list of files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestMeta {
    /// The fingerprint of the run's inputs (see [`fingerprint`]): when the
    /// next run's matches and every file still has its recorded hash, that
    /// run has nothing to do.
    pub fingerprint: Option<String>,
    /// The `--previous` catalog the docs' changelog was made with, as given
    /// on the command line: later runs and `--check` use it too.
    pub previous: Option<String>,
}

/// A manifest as read from disk.
#[derive(Debug, Clone, Default)]
struct Manifest {
    /// Safe entries, each with its recorded hash (none in older manifests
    /// and in the journal an unfinished run leaves).
    entries: BTreeMap<String, Option<String>>,
    meta: ManifestMeta,
    warnings: Vec<String>,
}

const FINGERPRINT_LINE: &str = "# fingerprint: ";
const PREVIOUS_LINE: &str = "# previous: ";

/// The manifest's entries eventcat may act on, and warnings about the ones
/// it ignores (unsafe paths, or a manifest without eventcat's header).
fn read_manifest_full(out: &Path) -> Manifest {
    let path = out.join(MANIFEST);
    let mut m = Manifest::default();
    let text = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => return m,
    };
    let head = header(MANIFEST);
    let Some(body) = text.strip_prefix(head.as_str()) else {
        m.warnings.push(format!(
            "`{}` does not start with eventcat's header: ignoring it, no file it lists is deleted",
            path.display()
        ));
        return m;
    };
    // A journal line a killed run was appending may be cut short: only
    // whole lines count.
    let body = match body.rfind('\n') {
        Some(end) => &body[..=end],
        None => "",
    };
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(fp) = line.strip_prefix(FINGERPRINT_LINE) {
            m.meta.fingerprint = Some(fp.trim().to_string());
            continue;
        }
        if let Some(prev) = line.strip_prefix(PREVIOUS_LINE) {
            m.meta.previous = Some(prev.to_string());
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (entry, hash) = match line.split_once('\t') {
            Some((e, h)) => (e, Some(h.trim().to_string())),
            None => (line, None),
        };
        if !is_safe_entry(entry) {
            m.warnings.push(format!(
                "`{}` lists `{entry}`, which is not a relative path inside the output folder: ignored, nothing deleted for it",
                path.display()
            ));
        } else if !reached_without_symlinks(out, entry) {
            m.warnings.push(format!(
                "`{}` lists `{entry}`, which goes through a symlink: ignored, nothing deleted for it",
                path.display()
            ));
        } else {
            m.entries.insert(entry.to_string(), hash);
        }
    }
    m
}

pub(super) fn read_manifest(out: &Path) -> BTreeSet<String> {
    read_manifest_full(out).entries.into_keys().collect()
}

/// Warnings about the manifest in `out`: entries eventcat ignores because
/// they are not safe paths inside `out`, or a manifest it did not write.
/// Such entries are never deleted.
pub fn manifest_warnings(out: &Path) -> Vec<String> {
    read_manifest_full(out).warnings
}

/// What the manifest in `out` records besides its files (nothing when
/// there is none, or it is not eventcat's).
pub fn manifest_meta(out: &Path) -> ManifestMeta {
    read_manifest_full(out).meta
}

/// The manifest of a finished run: `files` maps each output to its hash.
pub(super) fn manifest_text(files: &BTreeMap<String, String>, meta: &ManifestMeta) -> String {
    let mut text = manifest_head();
    text.push_str("# Each line: a file, a tab, the xxh3-128 hash of its bytes.\n");
    if let Some(fp) = &meta.fingerprint {
        text.push_str(FINGERPRINT_LINE);
        text.push_str(fp);
        text.push('\n');
    }
    if let Some(prev) = &meta.previous {
        text.push_str(PREVIOUS_LINE);
        text.push_str(prev);
        text.push('\n');
    }
    for (p, hash) in files {
        text.push_str(p);
        text.push('\t');
        text.push_str(hash);
        text.push('\n');
    }
    text
}

fn manifest_head() -> String {
    let mut text = header(MANIFEST);
    text.push_str("# Files eventcat generated here; it only ever deletes files listed below.\n");
    text
}

/// The journal: paths only (no hashes, no fingerprint), so a run that
/// stops before the final manifest never looks up to date.
pub(super) fn manifest_text_of<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut text = manifest_head();
    let paths: BTreeSet<&str> = paths.collect();
    for p in paths {
        text.push_str(p);
        text.push('\n');
    }
    text
}

/// The manifest without its fingerprint and previous lines: what `--check`
/// compares. They say how the outputs were made, and are no outputs: a
/// catalog edit that changes no output (a comment), or the same previous
/// catalog by another name, leaves the outputs up to date.
pub(super) fn without_meta(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with(FINGERPRINT_LINE) && !l.starts_with(PREVIOUS_LINE))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The hash the manifest records for a file: xxh3-128 of its bytes, in hex.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A fingerprint of what a run of `generate` depends on: every file below
/// the catalog folder `dir` (hidden names skipped, as the loader does; CRLF
/// read as LF, as the loader does), in path order, eventcat's version and
/// sources, and `options` (the caller's other inputs, such as the previous
/// catalog's identity). `None` when a file cannot be read (the run then
/// loads the catalog and reports it).
pub fn fingerprint(dir: &Path, options: &str) -> Option<String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).ok()? {
            let entry = entry.ok()?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let meta = std::fs::metadata(&path).ok()?;
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let rel = path.strip_prefix(dir).ok()?;
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.push((rel.join("/"), path));
            }
        }
    }
    files.sort();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let mut feed = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    feed(b"eventcat fingerprint 1");
    feed(env!("CARGO_PKG_VERSION").as_bytes());
    feed(env!("EVENTCAT_SOURCE_ID").as_bytes());
    feed(options.as_bytes());
    for (rel, path) in &files {
        let bytes = crate::fsread::read_regular(path, crate::fsread::MAX_FILE_BYTES).ok()?;
        feed(rel.as_bytes());
        if bytes.contains(&b'\r') {
            let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
            feed(text.as_bytes());
        } else {
            feed(&bytes);
        }
    }
    Some(format!("{:032x}", h.digest128()))
}

/// When the manifest in `out` records `fingerprint` and every file it lists
/// still has its recorded hash: the number of outputs (the run has nothing
/// to render or write). `None` otherwise.
pub fn up_to_date(out: &Path, fingerprint: &str) -> Option<usize> {
    let m = read_manifest_full(out);
    if m.meta.fingerprint.as_deref() != Some(fingerprint) || !m.warnings.is_empty() {
        return None;
    }
    let entries: Vec<(String, String)> = m
        .entries
        .into_iter()
        .map(|(p, h)| h.map(|h| (p, h)))
        .collect::<Option<_>>()?;
    if entries.is_empty() {
        return None;
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = entries.len().div_ceil(threads);
    let all_match = std::thread::scope(|s| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter().all(|(p, h)| {
                        std::fs::read(out.join(p)).is_ok_and(|b| content_hash(&b) == *h)
                    })
                })
            })
            .collect();
        handles.into_iter().all(|t| t.join().unwrap_or(false))
    });
    all_match.then_some(entries.len())
}
