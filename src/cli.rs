//! Command-line interface: argument parsing and dispatch to [`crate::commands`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands;

/// One webhook event catalog -> Rust types, JSON Schema, docs and contract checks.
///
/// Exit codes: 0 ok, 1 contract violation found, 2 usage or catalog error.
#[derive(Debug, Parser)]
#[command(name = "eventcat", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the catalog is.
#[derive(Debug, Clone, clap::Args)]
pub struct CatalogArg {
    /// Catalog folder: every `*.toml` below it is read.
    #[arg(long, value_name = "DIR", default_value = "schema")]
    pub catalog: PathBuf,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and check a catalog, and print a summary of it.
    ///
    /// Reports every error of the catalog (file:line:column, with a hint) and
    /// exits 2, or prints its families, event codes and types and exits 0.
    Lint(commands::lint::Args),
    /// Print the JSON Schema of the catalog file format (for editors).
    ///
    /// Point taplo or VS Code's "Even Better TOML" at it to get completion
    /// and checks while editing catalog files.
    CatalogSchema(commands::catalog_schema::Args),
    /// Write every output of the catalog under `generated/` (or check it is up to date).
    ///
    /// Files are written atomically and only when their bytes change; files
    /// eventcat did not generate are never overwritten or deleted. With
    /// `--check`, nothing is written and stale files make it exit 1.
    Generate(commands::generate::Args),
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lint(args) => commands::lint::run(&args),
        Command::CatalogSchema(args) => commands::catalog_schema::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
    }
}
