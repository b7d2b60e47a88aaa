//! eventcat-codegen: load a webhook event catalog, check it, and turn its one
//! resolved model into Rust types, JSON Schema and docs.
//!
//! ```no_run
//! let catalog = eventcat_codegen::load("schema").unwrap_or_else(|errors| {
//!     eprintln!("{}", errors.render(false));
//!     std::process::exit(2);
//! });
//! println!("{} events", catalog.events.len());
//! ```
#![warn(missing_docs)]

pub mod builder;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod format;
pub mod formats;
pub mod fsread;
pub mod load;
pub mod model;
pub mod naming;
pub mod output;
pub mod pattern;
pub mod typeexpr;

use std::path::Path;

pub use builder::{BuildError, Builder};
pub use diagnostic::{Diagnostic, Diagnostics, ErrorKind};
pub use load::{CatalogFiles, FolderFiles, MemoryFiles};
pub use model::Catalog;

/// Loads, checks and resolves the catalog in folder `dir` (every `*.toml`
/// below it). All errors are reported together.
pub fn load(dir: impl AsRef<Path>) -> Result<Catalog, Diagnostics> {
    load_from(&FolderFiles::new(dir.as_ref()))
}

/// Like [`load()`], for the catalog `files`: a folder ([`FolderFiles`]),
/// files in memory ([`MemoryFiles`]) or any other [`CatalogFiles`].
/// Catalog files and example files are all read from `files`.
///
/// ```
/// let mut files = eventcat_codegen::MemoryFiles::new("mem");
/// files.insert("catalog.toml", "[catalog]\nname = \"x\"\n");
/// let errors = eventcat_codegen::load_from(&files).unwrap_err();
/// assert!(errors.render(false).contains("mem/catalog.toml"));
/// ```
pub fn load_from(files: &dyn CatalogFiles) -> Result<Catalog, Diagnostics> {
    let sources = load::read_sources(files)?;
    load::resolve_with(sources, files)
}

/// Like [`load()`], for catalog files already in memory (paths are used for
/// messages and to find example files).
pub fn load_sources(mut sources: Vec<model::SourceFile>) -> Result<Catalog, Diagnostics> {
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    load::resolve(sources)
}

/// Loads the catalog in `dir` and renders every output (see [`emit::all`]).
pub fn generate(dir: impl AsRef<Path>) -> Result<Vec<output::GeneratedFile>, Diagnostics> {
    Ok(emit::all(&load(dir)?))
}
