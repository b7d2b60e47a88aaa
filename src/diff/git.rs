//! Reading a catalog folder as it was at a git revision.
//!
//! The files below the catalog's path at the revision are listed with
//! `git ls-tree`, read with one `git cat-file --batch` and loaded from
//! memory like any catalog, so everything a catalog may hold (example JSON
//! files included) resolves as it did at that revision. Nothing is written
//! to disk. The files are named `REV:path/in/repo.toml`, in the loaded
//! catalog and in its errors.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use eventcat_codegen::{Catalog, Diagnostics, MemoryFiles};

/// Why a revision's catalog could not be loaded.
#[derive(Debug)]
pub enum GitError {
    /// git failed, the revision is unknown, or the path holds no files.
    Git(String),
    /// The files were read but the catalog does not load.
    Catalog(Diagnostics),
}

/// Runs git in the current folder and returns its stdout.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn git_text(args: &[&str]) -> Result<String, String> {
    let out = git(args)?;
    Ok(String::from_utf8_lossy(&out).trim_end().to_string())
}

/// The root of the git work tree the current folder is in.
pub fn toplevel() -> Result<PathBuf, String> {
    let top = git_text(&["rev-parse", "--show-toplevel"])
        .map_err(|e| format!("not inside a git repository ({e})"))?;
    Ok(PathBuf::from(top))
}

/// `path` (relative to the current folder, or absolute) as a path from the
/// root of the git work tree, with `/` separators; empty for the root.
pub fn repo_relative(path: &Path) -> Result<String, String> {
    let top = toplevel()?;
    let top = top.canonicalize().unwrap_or(top);
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let abs = normalize(&cwd.join(path));
    let rel = abs.strip_prefix(&top).map_err(|_| {
        format!(
            "`{}` is outside the git work tree at `{}`",
            path.display(),
            top.display()
        )
    })?;
    Ok(rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/"))
}

/// Removes `.` and resolves `..` without touching the file system (the
/// folder may not exist in the work tree).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Loads the catalog below `path` (from the repository root; empty for the
/// root) as it is at revision `rev` of the repository the current folder is
/// in.
pub fn load(rev: &str, path: &str) -> Result<Catalog, GitError> {
    let path = path.trim_matches('/');
    let display = format!("{rev}:{path}");
    let tree = tree_of(rev)?;
    let blobs = list_blobs(&tree, path)?;
    if !blobs.iter().any(|(_, rel)| rel.ends_with(".toml")) {
        return Err(GitError::Git(format!(
            "`{display}` holds no `.toml` file at that revision"
        )));
    }
    let contents = cat_blobs(blobs.iter().map(|(o, _)| o.as_str())).map_err(GitError::Git)?;
    // The files are loaded as `REV:path/file`: their git names, except at
    // the root of the repository (see `RootNames`).
    let mut files = MemoryFiles::new(&display);
    for ((_, rel), bytes) in blobs.iter().zip(contents) {
        files.insert(rel, bytes);
    }
    let rename = RootNames::new(rev, path);
    match eventcat_codegen::load_from(&files) {
        Ok(mut catalog) => {
            rename.catalog(&mut catalog);
            Ok(catalog)
        }
        Err(mut diags) => {
            rename.diagnostics(&mut diags);
            Err(GitError::Catalog(diags))
        }
    }
}

/// The tree object of revision `rev`.
fn tree_of(rev: &str) -> Result<String, GitError> {
    git_text(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{tree}}"),
    ])
    .map_err(|e| {
        let why = if e.is_empty() {
            "unknown revision".to_string()
        } else {
            e
        };
        GitError::Git(format!(
            "`{rev}` is not a folder, and git does not know it as a revision ({why})"
        ))
    })
}

/// The files below `path` in `tree` (symbolic links left out), as
/// (object, path below `path`).
fn list_blobs(tree: &str, path: &str) -> Result<Vec<(String, String)>, GitError> {
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", tree];
    if !path.is_empty() {
        args.extend(["--", path]);
    }
    let listing = git(&args).map_err(GitError::Git)?;
    // Entries: "<mode> SP <type> SP <object> TAB <path>" separated by NUL.
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, file)) = entry.split_once('\t') else {
            continue;
        };
        let mut parts = meta.split(' ');
        let (mode, kind, object) = (parts.next(), parts.next(), parts.next());
        if kind != Some("blob") || mode == Some("120000") {
            continue;
        }
        let rel = if path.is_empty() {
            file.to_string()
        } else {
            match file.strip_prefix(path).and_then(|r| r.strip_prefix('/')) {
                Some(r) => r.to_string(),
                None => continue,
            }
        };
        if let Some(object) = object {
            blobs.push((object.to_string(), rel));
        }
    }
    Ok(blobs)
}

/// Renames `REV:/file` to `REV:file`: the names of the files of a catalog
/// at the root of the repository, as loaded and as git writes them.
struct RootNames {
    /// `REV:/`, or `None` when the catalog is not at the root (its files
    /// have their git names already).
    from: Option<String>,
    /// `REV:`.
    to: String,
}

impl RootNames {
    /// The renaming for the catalog at `path` (empty for the root) of `rev`.
    fn new(rev: &str, path: &str) -> Self {
        RootNames {
            from: path.is_empty().then(|| format!("{rev}:/")),
            to: format!("{rev}:"),
        }
    }

    /// Renames `p` to its git name.
    fn name(&self, p: &mut PathBuf) {
        let Some(from) = &self.from else { return };
        if let Some(rest) = p.to_str().and_then(|s| s.strip_prefix(from.as_str())) {
            *p = PathBuf::from(format!("{}{rest}", self.to));
        }
    }

    /// Renames the source files and example files of a loaded catalog.
    fn catalog(&self, catalog: &mut Catalog) {
        for s in &mut catalog.sources {
            self.name(&mut s.path);
        }
        for e in &mut catalog.events {
            for f in e.examples.iter_mut().filter_map(|x| x.file.as_mut()) {
                self.name(f);
            }
        }
    }

    /// Renames the files the diagnostics point at, and in their messages
    /// the paths they quote (always between backticks, so text a catalog
    /// wrote that happens to hold `REV:/` is left alone).
    fn diagnostics(&self, diags: &mut Diagnostics) {
        let Some(from) = &self.from else { return };
        let (quoted_from, quoted_to) = (format!("`{from}"), format!("`{}", self.to));
        for d in &mut diags.0 {
            self.name(&mut d.source.path);
            for n in &mut d.notes {
                self.name(&mut n.source.path);
            }
            d.message = d.message.replace(&quoted_from, &quoted_to);
        }
    }
}

/// The contents of blobs, in order, read by one `git cat-file --batch`.
fn cat_blobs<'a>(objects: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>, String> {
    let mut input = String::new();
    for o in objects {
        input.push_str(o);
        input.push('\n');
    }
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Write from a thread so a large output cannot block on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot read from git: {e}"))?;
    let status = child
        .wait()
        .map_err(|e| format!("git cat-file failed: {e}"))?;
    let _ = writer.join();
    if !status.success() {
        return Err(format!("git cat-file failed ({status})"));
    }
    let mut blobs = Vec::new();
    let mut rest = out.as_slice();
    while !rest.is_empty() {
        let nl = rest
            .iter()
            .position(|b| *b == b'\n')
            .ok_or("unexpected output from git cat-file")?;
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("unexpected output from git cat-file: `{header}`"))?;
        let start = nl + 1;
        let end = start + size;
        if end > rest.len() {
            return Err("truncated output from git cat-file".into());
        }
        blobs.push(rest[start..end].to_vec());
        rest = rest.get(end + 1..).unwrap_or(&[]);
    }
    Ok(blobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots() {
        assert_eq!(
            normalize(Path::new("/a/b/./../c/schema")),
            PathBuf::from("/a/c/schema")
        );
    }
}
