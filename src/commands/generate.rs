//! `eventcat generate`: write every output of the catalog, or `--check` that
//! the checked-in outputs are up to date.

use std::path::PathBuf;
use std::process::ExitCode;

use eventcat_codegen::output;

use crate::cli::CatalogArg;
use crate::output::{load_catalog, Format, OK, USAGE, VIOLATION};

/// Arguments of `eventcat generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    pub out: PathBuf,
    /// Write nothing; exit 1 and list the files that are stale, missing or
    /// no longer produced.
    #[arg(long)]
    pub check: bool,
    /// Print every file written (by default success is quiet but for a
    /// one-line count).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> ExitCode {
    let catalog = match load_catalog(&args.catalog.catalog, Format::Human) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let files = eventcat_codegen::emit::all(&catalog);
    let result = if args.check {
        output::check(&args.out, &files)
    } else {
        output::write(&args.out, &files)
    };
    let changes = match result {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(USAGE);
        }
    };
    if args.check {
        if changes.is_empty() {
            return ExitCode::from(OK);
        }
        for c in &changes {
            let what = match c {
                output::Change::Created(_) => "missing",
                output::Change::Updated(_) => "stale",
                output::Change::Removed(_) => "no longer generated",
            };
            eprintln!("{}: {what}", args.out.join(c.path()).display());
        }
        eprintln!(
            "error: {} generated file(s) out of date with `{}`; run `eventcat generate --catalog {} --out {}`",
            changes.len(),
            args.catalog.catalog.display(),
            args.catalog.catalog.display(),
            args.out.display()
        );
        return ExitCode::from(VIOLATION);
    }
    if args.verbose {
        for c in &changes {
            eprintln!("{} {}", c.verb(), args.out.join(c.path()).display());
        }
    }
    if !changes.is_empty() {
        eprintln!(
            "{} file(s) changed under {} ({} outputs)",
            changes.len(),
            args.out.display(),
            files.len()
        );
    }
    ExitCode::from(OK)
}
