//! Generating the Rust types from a build script.
//!
//! ```ignore
//! // build.rs
//! fn main() {
//!     if let Err(e) = eventcat_codegen::Builder::new("schema").generate() {
//!         eprintln!("{e}");
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! mod events {
//!     include!(concat!(env!("OUT_DIR"), "/events.rs"));
//! }
//! ```
//!
//! The including crate depends on what the code uses: `serde` (with
//! `derive`), `serde_json`, and as the catalog's formats need them `uuid`
//! (with `serde`) and `chrono` (with `serde`). With [`Derive::Feature`] it
//! declares the `schemars` / `proptest` features; with [`Derive::Always`] it
//! depends on those crates.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::emit::rust::{self, Derive, Options};
use crate::output::{self, OutputError};

/// Generates the Rust module of a catalog into a build script's `OUT_DIR`.
#[derive(Debug, Clone)]
pub struct Builder {
    catalog: PathBuf,
    out_dir: Option<PathBuf>,
    file_name: String,
    options: Options,
    cargo_directives: bool,
}

/// What [`Builder::generate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The file holding the module.
    pub path: PathBuf,
    /// Whether it was written (`false`: it was already up to date).
    pub written: bool,
    /// The paths given to `cargo:rerun-if-changed`: the catalog folder and
    /// every file the catalog was read from.
    pub watched: Vec<PathBuf>,
}

/// Why [`Builder::generate`] failed.
#[derive(Debug)]
pub enum BuildError {
    /// The catalog does not load: its rendered diagnostics.
    Catalog {
        /// The catalog folder.
        dir: PathBuf,
        /// Every diagnostic, rendered without colors.
        rendered: String,
        /// How many errors.
        count: usize,
    },
    /// No output folder: neither [`Builder::out_dir`] nor `OUT_DIR`.
    NoOutDir,
    /// Writing the module failed.
    Output(OutputError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Catalog {
                dir,
                rendered,
                count,
            } => {
                write!(f, "{rendered}")?;
                write!(
                    f,
                    "error: could not load catalog `{}` due to {count} error{}",
                    dir.display(),
                    if *count == 1 { "" } else { "s" }
                )
            }
            BuildError::NoOutDir => write!(
                f,
                "no output folder: call `.out_dir(..)` or run from a build script (OUT_DIR is unset)"
            ),
            BuildError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Output(e) => Some(e),
            _ => None,
        }
    }
}

impl Builder {
    /// A builder for the catalog in folder `catalog` (relative paths are
    /// relative to the build script's package, where cargo runs it).
    pub fn new(catalog: impl Into<PathBuf>) -> Self {
        Builder {
            catalog: catalog.into(),
            out_dir: None,
            file_name: "events.rs".to_string(),
            options: Options::PLAIN,
            cargo_directives: true,
        }
    }

    /// Where to write the module (default: `OUT_DIR`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Name of the module file (default `events.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// How to emit `schemars::JsonSchema` impls (default: not at all).
    pub fn schemars(mut self, derive: Derive) -> Self {
        self.options.schemars = derive;
        self
    }

    /// How to emit `proptest` `Arbitrary` impls (default: not at all).
    pub fn proptest(mut self, derive: Derive) -> Self {
        self.options.proptest = derive;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default: yes).
    pub fn cargo_directives(mut self, on: bool) -> Self {
        self.cargo_directives = on;
        self
    }

    /// Loads the catalog and writes the module, only if its bytes changed.
    /// Prints `cargo:rerun-if-changed` for the catalog folder and every file
    /// it was read from, also when the catalog has errors (so fixing them
    /// reruns the build script).
    pub fn generate(self) -> Result<Generated, BuildError> {
        if self.cargo_directives {
            rerun_if_changed(&self.catalog);
        }
        let catalog = match crate::load(&self.catalog) {
            Ok(c) => c,
            Err(diags) => {
                return Err(BuildError::Catalog {
                    dir: self.catalog.clone(),
                    rendered: diags.render(false),
                    count: diags.len(),
                })
            }
        };
        let mut watched = vec![self.catalog.clone()];
        watched.extend(catalog.sources.iter().map(|s| s.path.clone()));
        if self.cargo_directives {
            for path in &watched[1..] {
                rerun_if_changed(path);
            }
        }
        let out_dir = match self.out_dir.clone() {
            Some(d) => d,
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let path = out_dir.join(&self.file_name);
        let text = rust::module(&catalog, &self.options);
        let written =
            output::write_if_changed(&path, text.as_bytes()).map_err(BuildError::Output)?;
        Ok(Generated {
            path,
            written,
            watched,
        })
    }
}

fn rerun_if_changed(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}
