//! `eventcat generate`: write every output of the catalog, or `--check` that
//! the checked-in outputs are up to date. With `--previous`, the docs gain a
//! changelog since that version of the catalog.

use std::path::PathBuf;

use eventcat_codegen::output;

use super::{CliError, CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::diff::CatalogSource;
use crate::output::{load_catalog, print_error, Format};

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
    ///
    /// The manifest records it: later runs and `--check` use it when the
    /// flag is not given (`--no-previous` drops it).
    #[arg(long, value_name = "DIR|REV", conflicts_with = "no_previous")]
    pub previous: Option<String>,
    /// Drop the changelog a recorded `--previous` adds.
    #[arg(long)]
    pub no_previous: bool,
    /// Write nothing; exit 1 and list the files that are stale, missing or
    /// no longer produced (renders every output: the fingerprint is not
    /// trusted here).
    #[arg(long)]
    pub check: bool,
    /// Print every file written (by default success is one line).
    #[arg(long, short, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
    /// Render and compare every output even when the manifest's fingerprint
    /// and hashes say nothing changed (e.g. after installing rustfmt).
    #[arg(long, conflicts_with = "check")]
    pub force: bool,
}
/// The identity of the previous catalog for the fingerprint: a folder's
/// files are hashed with the catalog's; a git revision is its tree object
/// (content-addressed; a moved tag changes it). `None` when git cannot say.
fn previous_identity(src: &CatalogSource) -> Option<String> {
    match src {
        CatalogSource::Dir(d) => output::fingerprint(d, "previous folder"),
        CatalogSource::Rev { rev, path } => {
            let spec = if path.is_empty() {
                format!("{rev}^{{tree}}")
            } else {
                format!("{rev}:{path}")
            };
            let out = std::process::Command::new("git")
                .args(["rev-parse", "--verify", "--quiet", &spec])
                .stderr(std::process::Stdio::null())
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| format!("git tree {}", String::from_utf8_lossy(&out.stdout).trim()))
        }
    }
}

/// What decides a run's outputs: the `--previous` catalog (given, or
/// recorded in the manifest) and the fingerprint of the inputs.
struct Inputs {
    /// What the manifest of the last run records.
    recorded: output::ManifestMeta,
    /// `--previous`, or the one the manifest records (`None` with `--no-previous`).
    previous_arg: Option<String>,
    /// How messages name `--previous` (and where a recorded one comes from).
    context: String,
    /// Where the previous catalog is.
    previous_src: Option<CatalogSource>,
    /// The fingerprint of the catalog and the previous one; `None` when it
    /// cannot be taken.
    fingerprint: Option<String>,
    /// The manifest records the same inputs.
    fingerprint_matches: bool,
}

impl Inputs {
    /// Resolves `--previous` against the manifest and fingerprints the inputs.
    fn resolve(args: &Args) -> Result<Self, CliError> {
        let recorded = output::manifest_meta(&args.out);
        let previous_arg = if args.no_previous {
            None
        } else {
            args.previous.clone().or(recorded.previous.clone())
        };
        if previous_arg
            .as_deref()
            .is_some_and(|p| p.chars().any(char::is_control))
        {
            return Err("--previous: control characters are not allowed"
                .to_string()
                .into());
        }
        let context = if args.previous.is_none() && previous_arg.is_some() {
            format!(
                "--previous (recorded in `{}`; `--no-previous` drops it)",
                args.out.join(output::MANIFEST).display()
            )
        } else {
            "--previous".to_string()
        };
        let previous_src = match &previous_arg {
            None => None,
            Some(arg) => match CatalogSource::parse(arg, &args.catalog.catalog) {
                Ok(s) => Some(s),
                Err(e) => return Err(format!("{context}: {e}").into()),
            },
        };
        let fingerprint = match &previous_src {
            None => Some(String::new()),
            Some(src) => previous_identity(src).map(|id| format!("previous {id}")),
        }
        .and_then(|options| output::fingerprint(&args.catalog.catalog, &options));
        let fingerprint_matches = fingerprint.is_some()
            && fingerprint == recorded.fingerprint
            && recorded.previous == previous_arg;
        Ok(Inputs {
            recorded,
            previous_arg,
            context,
            previous_src,
            fingerprint,
            fingerprint_matches,
        })
    }
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    for w in output::manifest_warnings(&args.out) {
        eprintln!("warning: {w}");
    }
    // When the manifest records the same inputs and every file still has
    // its recorded hash, there is nothing to render.
    let inputs = Inputs::resolve(args)?;
    if !args.check && !args.force && inputs.fingerprint_matches {
        if let Some(n) = inputs
            .fingerprint
            .as_deref()
            .and_then(|fp| output::up_to_date(&args.out, fp))
        {
            // Nothing to write, but what a killed run left goes.
            output::remove_stale_temp_files(&args.out);
            if !args.quiet {
                eprintln!("up to date, {n} outputs");
            }
            return Ok(Outcome::Ok);
        }
    }
    let (outputs, changes) = render(args, &inputs)?;
    if args.check {
        return Ok(report_check(args, &inputs, &changes, outputs));
    }
    if args.verbose {
        for c in &changes {
            eprintln!("{} {}", c.verb(), args.out.join(c.path()).display());
        }
    }
    if !args.quiet {
        eprintln!("{}", summary(&changes, outputs));
    }
    Ok(Outcome::Ok)
}

/// Renders every output, comparing (and, unless `--check`, writing) each as
/// soon as it is rendered: the number of outputs, and what changed.
fn render(args: &Args, inputs: &Inputs) -> Result<(usize, Vec<output::Change>), CliError> {
    let catalog = load_catalog(&args.catalog.catalog, Format::Human)?;
    let previous = match &inputs.previous_src {
        None => None,
        Some(src) => Some(src.load_reported(Format::Human, &inputs.context)?),
    };
    let meta = output::ManifestMeta {
        fingerprint: inputs.fingerprint.clone(),
        previous: inputs.previous_arg.clone(),
    };
    let writer = output::Writer::new(&args.out, meta, args.check).map_err(|e| e.to_string())?;
    eventcat_codegen::emit::each_since(&catalog, previous.as_ref(), &|f| writer.put_file(&f));
    drop(catalog);
    drop(previous);
    let outputs = writer.outputs();
    let changes = writer.finish().map_err(|e| e.to_string())?;
    Ok((outputs, changes))
}

/// `--check`: lists the files out of date and the command that updates
/// them (a violation), or says all is up to date.
fn report_check(
    args: &Args,
    inputs: &Inputs,
    changes: &[output::Change],
    outputs: usize,
) -> Outcome {
    if changes.is_empty() {
        if !args.quiet {
            eprintln!("up to date, {outputs} outputs");
        }
        return Outcome::Ok;
    }
    for c in changes {
        let what = match c {
            output::Change::Created(_) => "missing",
            output::Change::Updated(_) => "stale",
            output::Change::Removed(_) => "no longer generated",
        };
        eprintln!("{}: {what}", args.out.join(c.path()).display());
    }
    let mut previous = inputs
        .previous_arg
        .as_deref()
        .map(|p| format!(" --previous {p}"))
        .unwrap_or_default();
    // A plain run would trust the fingerprint and hashes, and do nothing.
    if inputs.fingerprint_matches
        && inputs
            .recorded
            .fingerprint
            .as_deref()
            .is_some_and(|fp| output::up_to_date(&args.out, fp).is_some())
    {
        previous.push_str(" --force");
    }
    print_error(&format!(
        "{} generated file(s) out of date with `{}`; run `eventcat generate --catalog {} --out {}{previous}`",
        changes.len(),
        args.catalog.catalog.display(),
        args.catalog.catalog.display(),
        args.out.display()
    ));
    Outcome::Violation
}

/// The one line a successful run prints: `up to date, 34 outputs` (`;
/// manifest updated` when only its fingerprint or previous changed), or
/// `wrote 3 of 34 outputs` (`, removed 1 no longer generated`).
fn summary(changes: &[output::Change], outputs: usize) -> String {
    let written = changes
        .iter()
        .filter(|c| c.path() != output::MANIFEST && !matches!(c, output::Change::Removed(_)))
        .count();
    let removed = changes
        .iter()
        .filter(|c| matches!(c, output::Change::Removed(_)))
        .count();
    let mut line = if written == 0 && removed == 0 {
        format!("up to date, {outputs} outputs")
    } else {
        format!("wrote {written} of {outputs} outputs")
    };
    if removed > 0 {
        line.push_str(&format!(", removed {removed} no longer generated"));
    }
    if written == 0 && removed == 0 && !changes.is_empty() {
        // Only the manifest's fingerprint or previous changed.
        line.push_str("; manifest updated");
    }
    line
}
