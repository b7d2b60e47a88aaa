//! One module per subcommand; each has `Args` (clap) and `run`, which
//! returns a [`CmdResult`]. [`exit`] is the one place that turns it into an
//! exit code and prints a failure's message.

use std::process::ExitCode;

pub mod args;
pub mod catalog_schema;
pub mod diff;
pub mod export;
pub mod fixtures;
pub mod generate;
pub mod lint;
pub mod listen;
pub mod send;
pub mod validate;

/// How a command that ran to its end came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing wrong: exit 0.
    Ok,
    /// A contract violation was found (invalid events, a breaking change,
    /// stale generated files, a consumer that answered wrongly): exit 1.
    Violation,
}

/// Why a command stopped: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad usage, an input that cannot be read or an output that cannot be
    /// written; the message says which (printed as `error: ...`).
    #[error("{0}")]
    Usage(String),
    /// Already reported where it belongs: a catalog's diagnostics (on stderr,
    /// or as JSON on stdout), or a machine-readable report.
    #[error("already reported")]
    Reported,
}

impl From<String> for CliError {
    fn from(msg: String) -> Self {
        CliError::Usage(msg)
    }
}

/// What every command returns.
pub type CmdResult = Result<Outcome, CliError>;

/// Outcome {Ok: 0, Violation: 1}; an error: 2, its message printed as
/// `error: ...` (in colour on a terminal) unless it was already reported.
pub fn exit(result: CmdResult) -> ExitCode {
    use crate::output::{OK, USAGE, VIOLATION};
    match result {
        Ok(Outcome::Ok) => ExitCode::from(OK),
        Ok(Outcome::Violation) => ExitCode::from(VIOLATION),
        Err(CliError::Reported) => ExitCode::from(USAGE),
        Err(CliError::Usage(msg)) => {
            crate::output::print_error(&msg);
            ExitCode::from(USAGE)
        }
    }
}
