//! Writing (or checking) outputs one at a time, as the emitters produce
//! them: a run keeps each file's path and hash, never every file's text.
//!
//! The run is journaled so one that stops anywhere (killed, or a failed
//! write) leaves nothing a rerun would miss: before its first write the
//! manifest is rewritten as a journal (the old entries, no hashes, no
//! fingerprint), each new path is appended to it before its file is
//! written, and the manifest listing exactly the new files is written last.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::manifest::{manifest_text, manifest_text_of, read_manifest, without_meta};
use super::{
    content_hash, has_exact_header, io, is_generated, remove_stale_temp_files, write_atomic,
    write_if_changed, Change, GeneratedFile, ManifestMeta, OutputError, MANIFEST,
};

/// Compares or writes outputs under a folder as they come ([`Writer::put`],
/// from any thread), then removes what is no longer produced and writes the
/// manifest ([`Writer::finish`]).
///
/// The first error (a foreign file where an output goes, a failed write, a
/// path produced twice) stops the run: later files are ignored, nothing is
/// removed, the manifest stays the journal, and [`Writer::finish`] returns
/// the error. Files written before it are whole and listed in the journal.
#[derive(Debug)]
pub struct Writer {
    out: PathBuf,
    meta: ManifestMeta,
    /// Only compare: `--check`.
    check_only: bool,
    /// The entries of the manifest found at the start (the safe ones).
    old: BTreeSet<String>,
    /// Its text, for the manifest's own change.
    old_manifest: Option<String>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Every output so far, with the hash of its bytes.
    produced: BTreeMap<String, String>,
    changes: Vec<Change>,
    /// The manifest, open for appending, once the journal is started.
    journal: Option<std::fs::File>,
    error: Option<OutputError>,
}

impl Writer {
    /// A run writing under `out` (only comparing when `check_only`),
    /// whose manifest will record `meta`. Refuses a manifest eventcat did
    /// not write; removes the temporary files a killed run left.
    pub fn new(out: &Path, meta: ManifestMeta, check_only: bool) -> Result<Self, OutputError> {
        let manifest_path = out.join(MANIFEST);
        let old_manifest = match std::fs::read(&manifest_path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                if !is_generated(&text) {
                    return Err(OutputError::NotOurs(manifest_path));
                }
                Some(text)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&manifest_path)(e)),
        };
        if !check_only {
            remove_stale_temp_files(out);
        }
        Ok(Writer {
            out: out.to_path_buf(),
            meta,
            check_only,
            old: read_manifest(out),
            old_manifest,
            state: Mutex::default(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the bookkeeping half-updated: each
        // update is one statement.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fail(&self, e: OutputError) {
        let mut st = self.state();
        if st.error.is_none() {
            st.error = Some(e);
        }
    }

    /// How many outputs were put so far.
    pub fn outputs(&self) -> usize {
        self.state().produced.len()
    }

    /// [`Writer::put`] of a generated file.
    pub fn put_file(&self, file: &GeneratedFile) {
        self.put(&file.path, file.contents.as_bytes());
    }

    /// One output: compared with the file on disk and, unless only
    /// checking, written (atomically) when its bytes differ.
    pub fn put(&self, path: &str, contents: &[u8]) {
        {
            let mut st = self.state();
            if st.error.is_some() {
                return;
            }
            if st
                .produced
                .insert(path.to_string(), content_hash(contents))
                .is_some()
            {
                st.error = Some(OutputError::DuplicatePath(path.to_string()));
                return;
            }
        }
        let full = self.out.join(path);
        let change = match std::fs::read(&full) {
            Ok(bytes) if bytes == contents => return,
            Ok(bytes) => {
                if !is_generated(&String::from_utf8_lossy(&bytes)) {
                    return self.fail(OutputError::NotOurs(full));
                }
                Change::Updated(path.to_string())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Change::Created(path.to_string()),
            Err(e) => return self.fail(io(&full)(e)),
        };
        if !self.check_only {
            match self.journal(path) {
                Ok(true) => {}
                // Another thread failed: nothing more is written.
                Ok(false) => return,
                Err(e) => return self.fail(e),
            }
            if let Err(e) = write_atomic(&full, contents) {
                return self.fail(e);
            }
        }
        self.state().changes.push(change);
    }

    /// Records `path` in the journal before its file is written: the first
    /// time, the manifest becomes the journal (old entries, no hashes);
    /// then each path the old manifest lacks is appended. `Ok(false)` when
    /// the run has already failed (on another thread): do not write.
    fn journal(&self, path: &str) -> Result<bool, OutputError> {
        let mut st = self.state();
        if st.error.is_some() {
            return Ok(false);
        }
        let manifest_path = self.out.join(MANIFEST);
        let file = match &mut st.journal {
            Some(file) => file,
            None => {
                let journal = manifest_text_of(self.old.iter().map(String::as_str));
                write_atomic(&manifest_path, journal.as_bytes())?;
                let file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&manifest_path)
                    .map_err(io(&manifest_path))?;
                st.journal.insert(file)
            }
        };
        if !self.old.contains(path) {
            // One write of a short line: a killed run cuts no line in two
            // (and the reader ignores an unfinished last line).
            file.write_all(format!("{path}\n").as_bytes())
                .map_err(io(&manifest_path))?;
        }
        Ok(true)
    }

    /// Ends the run: removes (or, checking, reports) the files the old
    /// manifest lists that were not produced and still carry eventcat's
    /// exact header, and writes the final manifest. Returns what changed,
    /// sorted, the manifest included (reported as updated when only its
    /// fingerprint or previous line changed on a write).
    pub fn finish(self) -> Result<Vec<Change>, OutputError> {
        let st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = st.error {
            return Err(e);
        }
        let mut changes = st.changes;
        let mut removed = Vec::new();
        for old in &self.old {
            if old == MANIFEST || st.produced.contains_key(old) {
                continue;
            }
            // Only what still carries eventcat's exact header is removed
            // (and reported): an edited or foreign file is left alone.
            let path = self.out.join(old);
            if let Ok(bytes) = crate::fsread::read_regular(&path, crate::fsread::MAX_FILE_BYTES) {
                if has_exact_header(old, &String::from_utf8_lossy(&bytes)) {
                    removed.push((old.clone(), path));
                }
            }
        }
        let manifest_path = self.out.join(MANIFEST);
        let final_manifest = manifest_text(&st.produced, &self.meta);
        let manifest_change = match &self.old_manifest {
            None => Some(Change::Created(MANIFEST.to_string())),
            Some(old) if without_meta(old) != without_meta(&final_manifest) => {
                Some(Change::Updated(MANIFEST.to_string()))
            }
            Some(_) => None,
        };
        if !self.check_only {
            if changes.is_empty() && removed.is_empty() && manifest_change.is_none() {
                // Only the fingerprint or the previous may differ.
                if write_if_changed(&manifest_path, final_manifest.as_bytes())? {
                    changes.push(Change::Updated(MANIFEST.to_string()));
                }
                return Ok(changes);
            }
            for (_, path) in &removed {
                std::fs::remove_file(path).map_err(io(path))?;
            }
            write_if_changed(&manifest_path, final_manifest.as_bytes())?;
        }
        changes.extend(removed.into_iter().map(|(rel, _)| Change::Removed(rel)));
        changes.extend(manifest_change);
        changes.sort();
        Ok(changes)
    }
}

/// What writing `files` under `out` would change, without touching the disk.
/// The manifest itself is included.
pub fn check(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, OutputError> {
    check_with(out, files, &ManifestMeta::default())
}

/// [`check`], for a manifest recording `meta`. The manifest's fingerprint
/// and previous lines are not compared: they are no outputs.
pub fn check_with(
    out: &Path,
    files: &[GeneratedFile],
    meta: &ManifestMeta,
) -> Result<Vec<Change>, OutputError> {
    run(out, files, meta, true)
}

/// Writes `files` under `out`: only changed files, each atomically; removes
/// files an earlier run generated that are no longer produced. Returns what
/// changed (empty when everything was up to date). See [`Writer`].
pub fn write(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, OutputError> {
    write_with(out, files, &ManifestMeta::default())
}

/// [`write()`], with a manifest recording `meta` (rewritten when only `meta`
/// changed, reported as the manifest updated).
pub fn write_with(
    out: &Path,
    files: &[GeneratedFile],
    meta: &ManifestMeta,
) -> Result<Vec<Change>, OutputError> {
    run(out, files, meta, false)
}

fn run(
    out: &Path,
    files: &[GeneratedFile],
    meta: &ManifestMeta,
    check_only: bool,
) -> Result<Vec<Change>, OutputError> {
    let writer = Writer::new(out, meta.clone(), check_only)?;
    for f in files {
        writer.put_file(f);
    }
    writer.finish()
}
