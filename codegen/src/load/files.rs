//! Where a catalog's files come from: a folder on disk ([`FolderFiles`]) or
//! files held in memory ([`MemoryFiles`]), both behind [`CatalogFiles`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::discover::normalize_lexically;
use crate::fsread::{self, ReadError};

/// The files of one catalog, as the loader reads them: the `*.toml` files
/// to load, and any file (an example) they name.
///
/// Paths are the names files are shown by, in the loaded catalog and in
/// errors: every file of the catalog is below [`CatalogFiles::root`].
pub trait CatalogFiles {
    /// The catalog folder: its files are below it, and example files must
    /// be inside it.
    fn root(&self) -> &Path;

    /// The catalog's `*.toml` files below the root, sorted by path, hidden
    /// files and folders (a name starting with `.`) left out. On failure,
    /// the folder or file that could not be listed, and why.
    fn toml_files(&self) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)>;

    /// The text of file `path` (a catalog file or an example file), as
    /// [`fsread::read_text`] reads it: regular files only, at most
    /// [`fsread::MAX_FILE_BYTES`], UTF-8, `\r\n` turned into `\n`.
    fn read_text(&self, path: &Path) -> Result<String, ReadError>;

    /// Whether `path`, which lies inside the root once `.` and `..` are
    /// applied, really lies outside it (a symlink on the way points out).
    fn escapes_root(&self, path: &Path) -> bool;
}

/// A catalog in a folder on disk.
#[derive(Debug, Clone)]
pub struct FolderFiles {
    dir: PathBuf,
}

impl FolderFiles {
    /// The catalog in folder `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FolderFiles { dir: dir.into() }
    }

    /// The folder with symlinks resolved (the current folder when empty).
    fn real_root(&self) -> std::io::Result<PathBuf> {
        let root = normalize_lexically(&self.dir);
        if root.as_os_str().is_empty() {
            Path::new(".").canonicalize()
        } else {
            root.canonicalize()
        }
    }
}

impl CatalogFiles for FolderFiles {
    fn root(&self) -> &Path {
        &self.dir
    }

    fn toml_files(&self) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        let mut paths = Vec::new();
        let mut stack = vec![self.dir.clone()];
        while let Some(d) = stack.pop() {
            let entries = std::fs::read_dir(&d).map_err(|e| (d.clone(), e))?;
            for entry in entries {
                let entry = entry.map_err(|e| (d.clone(), e))?;
                let path = entry.path();
                if entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                let ft = entry.file_type().map_err(|e| (path.clone(), e))?;
                if ft.is_dir() {
                    stack.push(path);
                } else if is_toml(&path) {
                    paths.push(path);
                }
            }
        }
        paths.sort();
        Ok(paths)
    }

    fn read_text(&self, path: &Path) -> Result<String, ReadError> {
        fsread::read_text(path)
    }

    fn escapes_root(&self, path: &Path) -> bool {
        match (path.canonicalize(), self.real_root()) {
            (Ok(real), Ok(real_root)) => !real.starts_with(real_root),
            // Missing: reading it says so.
            _ => false,
        }
    }
}

/// A catalog held in memory: file contents by path, below a root that
/// need not exist on disk (`REV:schema` for a catalog read from git).
/// There are no symlinks; a path that only leads to other files is a folder.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles {
    root: PathBuf,
    /// By path with `.` and `..` applied: the path as inserted, and the bytes.
    files: BTreeMap<PathBuf, (PathBuf, Vec<u8>)>,
}

impl MemoryFiles {
    /// No files yet, below folder `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        MemoryFiles {
            root: root.into(),
            files: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) the file at `rel` below the root.
    pub fn insert(&mut self, rel: impl AsRef<Path>, bytes: impl Into<Vec<u8>>) {
        let path = self.root.join(rel);
        self.files
            .insert(normalize_lexically(&path), (path, bytes.into()));
    }
}

impl CatalogFiles for MemoryFiles {
    fn root(&self) -> &Path {
        &self.root
    }

    fn toml_files(&self) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        let root = normalize_lexically(&self.root);
        let mut paths: Vec<PathBuf> = self
            .files
            .iter()
            .filter(|(key, (path, _))| {
                key.strip_prefix(&root).is_ok_and(|rel| {
                    !rel.as_os_str().is_empty()
                        && rel
                            .components()
                            .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
                }) && is_toml(path)
            })
            .map(|(_, (path, _))| path.clone())
            .collect();
        paths.sort();
        Ok(paths)
    }

    fn read_text(&self, path: &Path) -> Result<String, ReadError> {
        self.check_parents(path)?;
        let key = normalize_lexically(path);
        let Some((_, bytes)) = self.files.get(&key) else {
            if self.files.keys().any(|k| k.starts_with(&key)) {
                return Err(ReadError::NotRegular("a folder"));
            }
            return Err(ReadError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such file",
            )));
        };
        if bytes.len() as u64 > fsread::MAX_FILE_BYTES {
            return Err(ReadError::TooLarge {
                limit: fsread::MAX_FILE_BYTES,
            });
        }
        fsread::text_from_bytes(bytes.clone())
    }

    fn escapes_root(&self, _path: &Path) -> bool {
        false
    }
}

impl MemoryFiles {
    /// What a file system says of each `..` in `path`: `a/../b` needs `a`
    /// to be a folder (not a file, not missing), so a path through a
    /// missing folder fails in memory as it does on disk.
    fn check_parents(&self, path: &Path) -> Result<(), ReadError> {
        let mut so_far = PathBuf::new();
        for c in path.components() {
            if c == std::path::Component::ParentDir {
                let key = normalize_lexically(&so_far);
                let (kind, what) = if self.files.contains_key(&key) {
                    (std::io::ErrorKind::NotADirectory, "not a folder")
                } else if !self.files.keys().any(|k| k.starts_with(&key)) {
                    (std::io::ErrorKind::NotFound, "no such file")
                } else {
                    so_far.push(c);
                    continue;
                };
                return Err(ReadError::Io(std::io::Error::new(kind, what)));
            }
            so_far.push(c);
        }
        Ok(())
    }
}

/// Whether `path` names a `*.toml` file.
fn is_toml(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Catalog, Diagnostics};

    const TYPES: &str = "[types.UserEvent]\nfields.user = { type = \"User\" }\n\n\
                         [types.User]\nfields.id = { type = \"uuid\" }\n";

    const EXAMPLE: &str = r#"{"__type__": "Event", "code": "users.created",
 "data": {"user": {"id": "6f1c3c2e-8a57-4d5e-9d0a-5f4b1c2d3e4f"}}}"#;

    /// A small catalog whose one event has its example in file `example`
    /// (from `families/`), with `types` as its types file, `examples/`
    /// holding the example, and `extra` files.
    fn catalog(example: &str, types: &[u8], extra: &[(&str, &[u8])]) -> Vec<(String, Vec<u8>)> {
        let meta = "[catalog]\nname = \"test-hooks\"\nversion = \"1.0.0\"\n\n[envelope]\n\
                    fields.__type__ = { const = \"Event\" }\nfields.code = {}\nfields.data = {}\n";
        let family = format!(
            "[family]\nid = \"users\"\ntitle = \"Users\"\n\n[[event]]\ncode = \"users.created\"\n\
             title = \"User created\"\npayload = \"UserEvent\"\n\n[[event.example]]\nfile = \"{example}\"\n"
        );
        let mut files = vec![
            ("catalog.toml", meta.as_bytes()),
            ("types/users.toml", types),
            ("families/users.toml", family.as_bytes()),
            ("examples/created.json", EXAMPLE.as_bytes()),
        ];
        files.extend_from_slice(extra);
        files
            .into_iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect()
    }

    /// `files` (path below the catalog folder, bytes) loaded from a folder
    /// on disk and from memory below the same path, each as its `Debug`
    /// (loaded) or its rendered errors.
    fn load_both(files: &[(String, Vec<u8>)]) -> (String, String) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("catalog");
        let mut memory = MemoryFiles::new(&root);
        for (rel, bytes) in files {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
            memory.insert(rel, bytes.clone());
        }
        let show = |r: Result<Catalog, Diagnostics>| match r {
            Ok(c) => format!("{c:?}"),
            Err(d) => d.render(false),
        };
        (show(crate::load(&root)), show(crate::load_from(&memory)))
    }

    #[test]
    fn memory_loads_like_disk() {
        let junk: &[u8] = b"not toml [";
        let files = catalog(
            "../examples/created.json",
            TYPES.as_bytes(),
            &[
                (".hidden/broken.toml", junk),
                ("types/.broken.toml", junk),
                ("notes.txt", junk),
            ],
        );
        let (disk, memory) = load_both(&files);
        assert!(disk.starts_with("Catalog {"), "{disk}");
        assert!(disk.contains("families/../examples/created.json"), "{disk}");
        assert_eq!(disk, memory);
    }

    #[test]
    fn an_example_outside_the_folder_is_refused_like_on_disk() {
        // Readable, were it not outside.
        let outside: &[(&str, &[u8])] = &[("../outside.json", EXAMPLE.as_bytes())];
        let files = catalog("../../outside.json", TYPES.as_bytes(), outside);
        let (disk, memory) = load_both(&files);
        assert!(
            disk.contains("example file `../../outside.json` is outside the catalog folder"),
            "{disk}"
        );
        assert_eq!(disk, memory);
    }

    #[test]
    fn unreadable_files_are_reported_like_on_disk() {
        let not_utf8 = b"[types.User]\nfields.id = { type = \"uu\xffid\" }\n";
        let (disk, memory) = load_both(&catalog("../examples/created.json", not_utf8, &[]));
        assert!(disk.contains("is not valid UTF-8"), "{disk}");
        assert_eq!(disk, memory);
        let (disk, memory) = load_both(&catalog("../examples", TYPES.as_bytes(), &[]));
        assert!(disk.contains("(it is a folder)"), "{disk}");
        assert_eq!(disk, memory);
        // Through a missing folder, or through a file: the file system
        // refuses both (found in review: memory applied `..` blindly).
        for through in [
            "missing/../../examples/created.json",
            "../examples/created.json/../created.json",
        ] {
            let (disk, memory) = load_both(&catalog(through, TYPES.as_bytes(), &[]));
            for side in [&disk, &memory] {
                assert!(
                    side.contains("cannot read example file"),
                    "{through}: {side}"
                );
            }
        }
    }
}
