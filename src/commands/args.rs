//! Arguments shared by several commands.

use std::path::PathBuf;

/// Where the catalog is.
#[derive(Debug, Clone, clap::Args)]
pub struct CatalogArg {
    /// Catalog folder: every `*.toml` below it is read.
    #[arg(long, value_name = "DIR", default_value = "schema")]
    pub catalog: PathBuf,
}
