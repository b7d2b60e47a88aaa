//! `eventcat export`: the catalog as an AsyncAPI 3.0 or OpenAPI 3.1 document.

use std::io::Write;
use std::path::PathBuf;

use eventcat_codegen::emit::export::{self, Target};

use super::{CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::output::{load_catalog, Format};

/// The document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Document {
    /// AsyncAPI 3.0: one channel, one `send` operation, one message per code.
    Asyncapi,
    /// OpenAPI 3.1: one `webhooks` entry per code.
    Openapi,
}

/// Text form of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    /// YAML with the "generated" header comment (what `generate` writes).
    Yaml,
    /// Pretty JSON, the same document.
    Json,
}

/// Arguments of `eventcat export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which document.
    #[arg(value_enum)]
    pub document: Document,
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Output syntax.
    #[arg(long, value_enum, default_value_t = TextFormat::Yaml)]
    pub format: TextFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let catalog = load_catalog(&args.catalog.catalog, Format::Human)?;
    let target = match args.document {
        Document::Asyncapi => Target::AsyncApi,
        Document::Openapi => Target::OpenApi,
    };
    let text = match args.format {
        TextFormat::Yaml => export::to_yaml(target, &catalog),
        TextFormat::Json => eventcat_codegen::emit::to_json_text(&target.document(&catalog)),
    };
    match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A closed pipe (`| head`) is not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(format!("cannot write to stdout: {e}").into())
                }
                _ => {}
            }
        }
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?,
    }
    Ok(Outcome::Ok)
}
