//! Shared helpers for what commands print: colors, catalog loading with
//! rendered diagnostics, and exit codes.

use std::io::IsTerminal;
use std::path::Path;

use eventcat_codegen::{Catalog, Diagnostics};

use crate::commands::CliError;
use crate::validate::{Engine, Validators};

/// Exit code: everything is fine.
pub const OK: u8 = 0;
/// Exit code: a contract violation was found (invalid events, a breaking
/// change, stale generated files).
pub const VIOLATION: u8 = 1;
/// Exit code: bad usage, or a catalog that does not load.
pub const USAGE: u8 = 2;

/// Whether to color what goes to stderr (a terminal, and `NO_COLOR` unset).
pub fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// `--format` of commands that print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// One JSON document, for machines.
    Json,
}

/// Loads a catalog and checks it as `lint` does, patterns and examples
/// included, so every command agrees on what a valid catalog is; on failure
/// prints its diagnostics (rendered, or as JSON on stdout with
/// `Format::Json`): [`CliError::Reported`].
pub fn load_catalog(dir: &Path, format: Format) -> Result<Catalog, CliError> {
    load_checked(dir, format).map(|(catalog, _)| catalog)
}

/// [`load_catalog`], with the strict compiled validators the examples were
/// checked with, for a command that validates events too (built once).
pub fn load_checked(dir: &Path, format: Format) -> Result<(Catalog, Validators), CliError> {
    let catalog = eventcat_codegen::load(dir).map_err(|diags| {
        report_catalog_errors(dir, &diags, format);
        CliError::Reported
    })?;
    let bad_patterns = crate::validate::schema::check_patterns(&catalog);
    if !bad_patterns.is_empty() {
        report_catalog_errors(dir, &bad_patterns, format);
        return Err(CliError::Reported);
    }
    // Every example must match its event's schema: the docs show them, and
    // `fixtures` and `send` hand them out as valid events.
    use crate::validate::examples::{check_catalog_examples, check_examples};
    let (validators, examples) = match Validators::with_engine(&catalog, false, Engine::Compiled) {
        Ok(v) => {
            let examples = check_examples(&catalog, &v);
            (Some(v), examples)
        }
        // Says why the validators could not be built, as a diagnostic.
        Err(_) => (None, check_catalog_examples(&catalog)),
    };
    match validators {
        Some(v) if examples.is_empty() => Ok((catalog, v)),
        _ => {
            report_catalog_errors(dir, &examples, format);
            Err(CliError::Reported)
        }
    }
}

/// Writes `text` to stdout and flushes. A closed stdout (`| head`) is not
/// an error: the reader has what it wanted, so nothing more is said and the
/// command ends with the exit code it would have had. Other write errors
/// are reported on stderr.
pub fn print_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            print_error(&format!("cannot write to stdout: {e}"));
        }
    }
}

/// Prints `error: msg` on stderr, in colour on a terminal: the one style of
/// every command's errors.
pub fn print_error(msg: &str) {
    let prefix = if color_stderr() {
        "\x1b[1;31merror\x1b[0m"
    } else {
        "error"
    };
    eprintln!("{prefix}: {msg}");
}

/// Prints catalog diagnostics.
pub fn report_catalog_errors(dir: &Path, diags: &Diagnostics, format: Format) {
    match format {
        Format::Json => {
            let doc = serde_json::json!({
                "catalog": dir.display().to_string(),
                "ok": false,
                "errors": diags.to_json(),
            });
            print_stdout(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            ));
        }
        Format::Human => {
            eprint!("{}", diags.render(color_stderr()));
            let n = diags.len();
            print_error(&format!(
                "could not load catalog `{}` due to {n} error{}",
                dir.display(),
                if n == 1 { "" } else { "s" }
            ));
        }
    }
}
