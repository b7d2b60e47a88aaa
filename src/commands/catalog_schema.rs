//! `eventcat catalog-schema`: the JSON Schema of the catalog file format.

use std::path::PathBuf;

use super::{CmdResult, Outcome};

/// Arguments of `eventcat catalog-schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the schema to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let schema = eventcat_codegen::format::catalog_format_schema();
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).expect("a JSON value serializes")
    );
    match &args.output {
        None => crate::output::print_stdout(&text),
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?,
    }
    Ok(Outcome::Ok)
}
