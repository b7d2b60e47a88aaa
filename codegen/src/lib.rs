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
pub use model::Catalog;

/// Loads, checks and resolves the catalog in folder `dir` (every `*.toml`
/// below it). All errors are reported together.
pub fn load(dir: impl AsRef<Path>) -> Result<Catalog, Diagnostics> {
    let sources = load::read_dir(dir.as_ref())?;
    load::resolve_in(sources, Some(dir.as_ref()))
}

/// Like [`load`], for catalog files already in memory (paths are used for
/// messages and to find example files).
pub fn load_sources(mut sources: Vec<model::SourceFile>) -> Result<Catalog, Diagnostics> {
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    load::resolve(sources)
}

/// Loads the catalog in `dir` and renders every output (see [`emit::all`]).
pub fn generate(dir: impl AsRef<Path>) -> Result<Vec<output::GeneratedFile>, Diagnostics> {
    Ok(emit::all(&load(dir)?))
}
