//! Command-line interface: argument parsing and dispatch to [`crate::commands`].

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
    /// Compare two versions of a catalog: what changed, and whom it breaks.
    ///
    /// Each side is a folder or a git revision; `--base origin/main` compares
    /// the working catalog with that revision's. Every change names its rule,
    /// the codes and the path it affects, and whether it breaks consumers
    /// built on OLD, producers still sending OLD events, or Rust code compiled
    /// against OLD's generated types. Exits 1 on a change at or above
    /// `--fail-on` that the catalog does not acknowledge.
    Diff(commands::diff::Args),
    /// Check captured events against the catalog: the producer contract.
    ///
    /// Reads NDJSON, JSON documents or JSON arrays of events from files,
    /// folders (*.json, *.ndjson, *.jsonl) or stdin, dispatches each event on
    /// its code and validates it against that code's JSON Schema, on every
    /// core. Prints `file:line: code: /json/pointer: message` per violation
    /// and a summary (events per code, codes never seen). Fields the catalog
    /// does not declare are violations unless `--allow-unknown-fields`.
    /// Exits 0 when every event is valid, 1 on a violation, 2 on a usage or
    /// catalog error or an unreadable input.
    Validate(commands::validate::Args),
    /// Write sample events per code for consumers' tests.
    ///
    /// The catalog's examples first, then the minimal and maximal event of
    /// each code, then seeded random events: deterministic for a seed, and
    /// (with the default `--kind valid`) each valid under `eventcat validate`.
    Fixtures(commands::fixtures::Args),
    /// Print the catalog as an AsyncAPI 3.0 or OpenAPI 3.1 document.
    ///
    /// The same documents `generate` writes to `asyncapi.yaml` and
    /// `openapi.yaml`: shared types once under `components.schemas`, one
    /// message (AsyncAPI) or `webhooks` entry (OpenAPI) per code with its
    /// envelope schema and examples; what the format cannot say is kept in
    /// `x-eventcat-*` extensions.
    Export(commands::export::Args),
    /// Deliver events to a consumer endpoint, signed (Standard Webhooks), and judge its answers.
    ///
    /// Events come from files (as `validate` reads them) or `--fixtures`.
    /// Each is POSTed with `webhook-id`, `webhook-timestamp` and
    /// `webhook-signature`, retried on the catalog's `[delivery]` schedule
    /// (scaled by `--retry-scale`) until a 2xx; `410` stops; `503` or `429`
    /// with `Retry-After` waits as asked. A consumer that rejects a valid or
    /// consumer-side event, or accepts an invalid one or (`--tamper`) a
    /// forged signature or a stale timestamp, breaks the contract: exit 1.
    Send(commands::send::Args),
    /// Receive webhook deliveries: verify signatures, validate each body as `validate` does.
    ///
    /// Listens on 127.0.0.1 (`--port`), answers 204 to an authentic valid
    /// event, 400 with the violations as JSON to an invalid one, 401 to a
    /// bad signature or timestamp; prints one line per delivery and, at the
    /// end (`--max`, `--timeout` or Ctrl-C), the summary of `validate`.
    /// Exits 1 if a delivery was rejected.
    Listen(commands::listen::Args),
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::exit(match cli.command {
        Command::Lint(args) => commands::lint::run(&args),
        Command::CatalogSchema(args) => commands::catalog_schema::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Validate(args) => commands::validate::run(&args),
        Command::Fixtures(args) => commands::fixtures::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Send(args) => commands::send::run(&args),
        Command::Listen(args) => commands::listen::run(&args),
    })
}
