//! `eventcat generate`: write every output of the catalog, or `--check` that
//! the checked-in outputs are up to date. With `--previous`, the docs gain a
//! changelog since that version of the catalog.

use std::path::PathBuf;
use std::process::ExitCode;

use eventcat_codegen::output;

use crate::cli::CatalogArg;
use crate::diff::CatalogSource;
use crate::output::{load_catalog, usage_error, Format, OK, USAGE, VIOLATION};

/// Arguments of `eventcat generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    pub out: PathBuf,
    /// Add a changelog to the docs: what changed since this previous version
    /// of the catalog (a folder, a git revision such as a release tag, whose
    /// catalog is the `--catalog` folder at that revision, or `REV:path`).
    /// Use a fixed revision (a tag, not a branch) so the page is the same
    /// for everyone; `--check` needs the same flag.
    #[arg(long, value_name = "DIR|REV")]
    pub previous: Option<String>,
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
    let previous = match &args.previous {
        None => None,
        Some(arg) => {
            let src = match CatalogSource::parse(arg, &args.catalog.catalog) {
                Ok(s) => s,
                Err(e) => return usage_error(&format!("--previous: {e}")),
            };
            match src.load_reported(Format::Human, "--previous") {
                Ok(c) => Some(c),
                Err(code) => return code,
            }
        }
    };
    let files = eventcat_codegen::emit::all_since(&catalog, previous.as_ref());
    for w in output::manifest_warnings(&args.out) {
        eprintln!("warning: {w}");
    }
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
        let previous = args
            .previous
            .as_deref()
            .map(|p| format!(" --previous {p}"))
            .unwrap_or_default();
        eprintln!(
            "error: {} generated file(s) out of date with `{}`; run `eventcat generate --catalog {} --out {}{previous}`",
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
