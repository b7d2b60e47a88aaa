//! `eventcat catalog-schema`: the JSON Schema of the catalog file format.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output::{OK, USAGE};

/// Arguments of `eventcat catalog-schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the schema to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> ExitCode {
    let schema = eventcat_codegen::format::catalog_format_schema();
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).expect("a JSON value serializes")
    );
    match &args.output {
        None => {
            crate::output::print_stdout(&text);
            ExitCode::from(OK)
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::from(OK),
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                ExitCode::from(USAGE)
            }
        },
    }
}
