//! `eventcat validate`: check captured events against the catalog (the
//! producer contract).

use std::path::PathBuf;

use super::{CliError, CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::output::{load_checked, print_error, Format};
use crate::validate::{self, reader, report, Engine, Validators};

/// `--format` of `eventcat validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// `file:line: code: /json/pointer: message` on stdout, summary on stderr.
    Human,
    /// One JSON document on stdout: violations, then the summary.
    Json,
    /// JUnit XML on stdout: one test case per event code.
    Junit,
}

/// Arguments of `eventcat validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Files or folders of captured events (NDJSON, JSON documents or JSON
    /// arrays). Folders are searched for *.json, *.ndjson and *.jsonl.
    /// `-` or nothing: standard input.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Accept fields the catalog does not declare (by default they are
    /// violations: producers may only send declared fields).
    #[arg(long)]
    pub allow_unknown_fields: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// How events are checked: `compiled` (the catalog compiled into one
    /// program, events checked while parsed) or `reference` (a jsonschema
    /// validator per code over the emitted JSON Schemas; slow start-up).
    /// Both report the same violations.
    #[arg(long, value_enum, default_value_t = Engine::Compiled)]
    pub engine: Engine,
    /// Human format: print violations only, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Human format: how much summary to print (`short`: totals, codes with
    /// invalid events, how many codes were never seen; `full`: a row per code
    /// seen and the list of codes never seen).
    #[arg(long, value_enum, default_value_t = report::Detail::Short, value_name = "DETAIL")]
    pub summary: report::Detail,
    /// Fewer events than this is a failed check (exit 1): an empty or cut
    /// capture must not pass CI. `--min-events 0` allows an empty input.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_events: u64,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let catalog_format = match args.format {
        ReportFormat::Json => Format::Json,
        _ => Format::Human,
    };
    let (catalog, strict) = load_checked(&args.catalog.catalog, catalog_format)?;
    let validators = if args.engine == Engine::Compiled && !args.allow_unknown_fields {
        strict
    } else {
        Validators::with_engine(&catalog, args.allow_unknown_fields, args.engine)?
    };
    let sources = reader::sources(&args.files);
    if args.threads == Some(0) {
        return Err("--threads must be at least 1".to_string().into());
    }
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });

    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut sink: Box<dyn report::Sink> = match args.format {
        ReportFormat::Human => Box::new(report::Human::new(
            out,
            std::io::stderr(),
            args.quiet,
            args.summary,
        )),
        ReportFormat::Json => Box::new(report::Json::new(out)),
        ReportFormat::Junit => Box::new(report::Junit::new(out, validators.codes().len())),
    };
    let options = validate::Options::new(threads, args.min_events);
    let summary = match validate::run(&catalog, &sources, &validators, options, sink.as_mut()) {
        Ok(s) => s,
        // stdout closed early (`| head`): only violations are written to
        // it as they are found, so there was at least one.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Outcome::Violation),
        Err(e) => return Err(format!("cannot write the report: {e}").into()),
    };
    // The human report said these as they came; a machine report on stdout
    // (often redirected to a file in CI) holds them, and the log says why
    // the run failed.
    if !matches!(args.format, ReportFormat::Human) {
        for why in &summary.unreadable {
            print_error(why);
        }
        if summary.too_few() {
            print_error(&format!(
                "checked {} events, fewer than --min-events {}",
                summary.counts.events, summary.min_events
            ));
        }
    }
    if !summary.unreadable.is_empty() {
        // Each one was reported in its turn.
        Err(CliError::Reported)
    } else if summary.counts.invalid > 0 || summary.too_few() {
        Ok(Outcome::Violation)
    } else {
        Ok(Outcome::Ok)
    }
}
