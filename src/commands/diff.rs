//! `eventcat diff`: what changed between two versions of a catalog, and
//! whom it breaks.

use eventcat_codegen::diff::{self as engine, Mode, Policy, Severity};
use eventcat_codegen::Catalog;

use super::{CliError, CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::diff::report::{Named, Report, UnusedAck};
use crate::diff::CatalogSource;
use crate::output::{print_error, report_catalog_errors, Format};

/// Text after `eventcat diff --help`.
pub const AFTER_HELP: &str = "\
Sides of a change:
  consumer  an event valid under NEW can be rejected or misread by a consumer
            built on OLD (consumers ignore unknown fields, keep unknown values
            of extensible enums, and route unknown codes to a fallback)
  producer  an event valid under OLD (from a producer not yet updated) is
            invalid under NEW, which holds producers strictly
  source    Rust code compiled against OLD's generated types no longer
            compiles against NEW's

Modes (which breaks count at their rule's severity):
  backward  consumer-safe: consumer and source breaks
  forward   producer-safe: producer and source breaks
  full      all three (default)
A change that breaks only sides the mode does not count is shown as info; one
whose only counted side is source is at most a warning. --ignore-source stops
counting source breaks. A change whose codes are all `planned` in OLD
(announced, not sent yet) is at most a warning unless --planned is given.

Version: a change at `error` (acknowledged or not) needs a semver-major bump
of [catalog] version (minor below 1.0); without one diff warns, and
--require-version-bump makes it fail (exit 1).

Acknowledged breaks: an [[acknowledge]] table in NEW (rule, code and/or path,
reason) marks matching changes as intended; they are shown and never fail.

Exit codes: 0 no change at or above --fail-on (acknowledged ones aside),
1 such a change was found, 2 usage error or a catalog that does not load.

Examples:
  eventcat diff --base origin/main          working schema/ vs origin/main's
  eventcat diff v1.0.0 v1.1.0               schema/ at two tags
  eventcat diff old-schema/ schema/         two folders
  eventcat diff main:catalog ./catalog --format markdown";

/// Arguments of `eventcat diff`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The old catalog: a folder; a git revision (its `--catalog` folder,
    /// e.g. `origin/main`); or `REV:path` (path from the repository root, or
    /// from here when it starts with `./`).
    #[arg(value_name = "OLD", required_unless_present = "base")]
    pub old: Option<String>,
    /// The new catalog, in the same forms as OLD.
    #[arg(value_name = "NEW", required_unless_present = "base")]
    pub new: Option<String>,
    /// Compare the working catalog (`--catalog`) with this git revision's
    /// catalog at the same path, e.g. `--base origin/main`.
    #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
    pub base: Option<String>,
    /// Where the catalog is (the new one with `--base`; the folder taken at
    /// a bare revision).
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Which breaks count: `backward` (consumer-safe), `forward`
    /// (producer-safe) or `full` (both); see below.
    #[arg(long, value_enum, default_value_t = ModeArg::Full)]
    pub mode: ModeArg,
    /// Output format (`markdown`: for a pull-request comment).
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when a change of this severity or above is found.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = SeverityArg::Error)]
    pub fail_on: SeverityArg,
    /// Do not count breaks of generated Rust code (for catalogs whose Rust
    /// output nobody compiles); they are shown as info.
    #[arg(long)]
    pub ignore_source: bool,
    /// Count changes confined to codes that are `planned` in OLD (announced,
    /// not sent yet) at their rule's severity; by default they are at most
    /// warnings.
    #[arg(long)]
    pub planned: bool,
    /// Fail (exit 1) when a breaking change comes without a semver-major
    /// version bump (minor below 1.0); by default this is a warning.
    #[arg(long)]
    pub require_version_bump: bool,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeArg {
    /// Consumer-safe: consumers built on OLD must read every NEW event.
    Backward,
    /// Producer-safe: events valid under OLD must stay valid under NEW.
    Forward,
    /// Both.
    Full,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Human,
    /// One JSON document, for machines.
    Json,
    /// A Markdown summary and table, for a pull-request comment.
    Markdown,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeverityArg {
    /// Only errors fail.
    Error,
    /// Warnings and errors fail.
    Warning,
    /// Any change fails.
    Info,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Self {
        match m {
            ModeArg::Backward => Mode::Backward,
            ModeArg::Forward => Mode::Forward,
            ModeArg::Full => Mode::Full,
        }
    }
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Error => Severity::Error,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Info => Severity::Info,
        }
    }
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let dir = &args.catalog.catalog;
    let sources = match (&args.base, &args.old, &args.new) {
        (Some(rev), _, _) => crate::diff::git::repo_relative(dir).map(|path| {
            (
                CatalogSource::Rev {
                    rev: rev.clone(),
                    path,
                },
                CatalogSource::Dir(dir.clone()),
            )
        }),
        (None, Some(old), Some(new)) => {
            CatalogSource::parse(old, dir).and_then(|o| Ok((o, CatalogSource::parse(new, dir)?)))
        }
        _ => Err("give OLD and NEW, or `--base REV`".to_string()),
    };
    let (old_src, new_src) = sources?;
    let old = load(&old_src, args.format)?;
    let new = load(&new_src, args.format)?;
    let policy = Policy {
        mode: args.mode.into(),
        source: !args.ignore_source,
        planned: args.planned,
    };
    let mut changes = engine::compare(&old, &new);
    let unused = engine::acknowledge(&mut changes, &new.acknowledged, |o| new.locate(o))
        .into_iter()
        .map(|i| UnusedAck {
            ack: new.acknowledged[i].clone(),
            location: new.locate(&new.acknowledged[i].origin),
        })
        .collect();
    let named = |src: &CatalogSource, c: &Catalog| Named {
        source: src.display(),
        name: c.name.clone(),
        version: c.version.clone(),
    };
    let report = Report::new(
        named(&old_src, &old),
        named(&new_src, &new),
        changes,
        policy,
        args.fail_on.into(),
        unused,
        args.require_version_bump,
    );
    match args.format {
        DiffFormat::Human => crate::output::print_stdout(&report.human()),
        DiffFormat::Markdown => crate::output::print_stdout(&report.markdown()),
        DiffFormat::Json => crate::output::print_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report.json()).expect("JSON serializes")
        )),
    }
    if report.failed() {
        if args.format == DiffFormat::Human && report.changes_failed() {
            print_error(&format!(
                "breaking changes at or above `{}` (acknowledge intended ones with `[[acknowledge]]` in the catalog)",
                report.fail_on
            ));
        } else if args.format == DiffFormat::Human {
            print_error("breaking changes need a version bump (--require-version-bump)");
        }
        Ok(Outcome::Violation)
    } else {
        Ok(Outcome::Ok)
    }
}

fn load(src: &CatalogSource, format: DiffFormat) -> Result<Catalog, CliError> {
    let format = if format == DiffFormat::Json {
        Format::Json
    } else {
        Format::Human
    };
    let catalog = src.load_reported(format, "")?;
    // The examples `lint` rejects: the same located diagnostics, exit 2.
    let examples = crate::validate::examples::check_catalog_examples(&catalog);
    if !examples.is_empty() {
        report_catalog_errors(std::path::Path::new(&src.display()), &examples, format);
        return Err(CliError::Reported);
    }
    Ok(catalog)
}
