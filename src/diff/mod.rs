//! `eventcat diff` beyond the pure comparison: where the two catalogs come
//! from (a folder or a git revision, see [`git`]) and how the changes are
//! shown ([`report`]). The comparison itself, its rule table and the
//! acknowledgement matching are in [`eventcat_codegen::diff`], next to the
//! emitters, so a docs changelog can use them.

pub mod git;
pub mod report;

use std::path::{Path, PathBuf};

use crate::commands::CliError;
use crate::output::{report_catalog_errors, Format};

use eventcat_codegen::{Catalog, Diagnostics};

pub use eventcat_codegen::diff::*;

/// Where a catalog to compare is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    /// A folder in the file system.
    Dir(PathBuf),
    /// A folder of the repository at a git revision.
    Rev {
        /// The revision (anything `git rev-parse` takes).
        rev: String,
        /// The folder, from the repository root (`/`-separated, empty for
        /// the root).
        path: String,
    },
}

impl CatalogSource {
    /// Reads a command-line argument: an existing folder; else `REV:path`
    /// (git's syntax: `path` from the repository root, or from the current
    /// folder when it starts with `./` or `../`); else `REV`, meaning the
    /// folder `default_dir` at that revision.
    pub fn parse(arg: &str, default_dir: &Path) -> Result<Self, String> {
        let as_path = Path::new(arg);
        if as_path.is_dir() {
            return Ok(CatalogSource::Dir(as_path.to_path_buf()));
        }
        if let Some((rev, path)) = arg.split_once(':') {
            if rev.is_empty() {
                return Err(format!(
                    "`{arg}` is not a folder, and has no revision before `:`"
                ));
            }
            let path = if path == "." || path.starts_with("./") || path.starts_with("../") {
                git::repo_relative(Path::new(path))?
            } else {
                path.trim_matches('/').to_string()
            };
            return Ok(CatalogSource::Rev {
                rev: rev.to_string(),
                path,
            });
        }
        Ok(CatalogSource::Rev {
            rev: arg.to_string(),
            path: git::repo_relative(default_dir).map_err(|e| {
                format!("`{arg}` is not a folder, so it must be a git revision, but {e}")
            })?,
        })
    }

    /// How the catalog is named in reports: the folder, or `REV:path`.
    pub fn display(&self) -> String {
        match self {
            CatalogSource::Dir(d) => d.display().to_string(),
            CatalogSource::Rev { rev, path } => format!("{rev}:{path}"),
        }
    }

    /// Loads the catalog. An error: a usage error (after `context` when it
    /// is not empty), or the catalog's diagnostics, printed in `format`
    /// ([`CliError::Reported`]).
    pub fn load_reported(&self, format: Format, context: &str) -> Result<Catalog, CliError> {
        self.load().map_err(|e| match e {
            LoadError::Source(m) if context.is_empty() => CliError::Usage(m),
            LoadError::Source(m) => CliError::Usage(format!("{context}: {m}")),
            LoadError::Catalog(d) => {
                report_catalog_errors(Path::new(&self.display()), &d, format);
                CliError::Reported
            }
        })
    }

    /// Loads the catalog.
    pub fn load(&self) -> Result<Catalog, LoadError> {
        match self {
            CatalogSource::Dir(d) => eventcat_codegen::load(d).map_err(LoadError::Catalog),
            CatalogSource::Rev { rev, path } => git::load(rev, path).map_err(|e| match e {
                git::GitError::Git(m) => LoadError::Source(m),
                git::GitError::Catalog(d) => LoadError::Catalog(d),
            }),
        }
    }
}

/// Why a catalog to compare could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// The folder or revision could not be read.
    Source(String),
    /// The catalog does not load.
    Catalog(Diagnostics),
}
