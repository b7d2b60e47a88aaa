//! `FormatError`, the error of the generated format types (`Email`, `Uri`,
//! `LocalDateTime`), as the generated crate holds it: the emitter embeds
//! it by name (see [`super::Fixed`]).

// `LocalDateTime`, a child here to reach the private fields as its
// generated code (beside `FormatError`) does; compiled in tests only
// (`chrono` is a dev-dependency of this crate). Never embedded.
#[cfg(test)]
#[path = "local_date_time.rs"]
pub(super) mod local_date_time;

/// A string that does not have the format its type requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    format: &'static str,
    value: String,
}

impl FormatError {
    /// The format, e.g. `email`.
    pub fn format(&self) -> &'static str {
        self.format
    }

    /// The string that was rejected.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let expected = match self.format {
            "local-date-time" => "local-date-time without offset",
            "email" => "email address",
            other => other,
        };
        write!(f, "expected {expected}, found {:?}", self.value)
    }
}

impl std::error::Error for FormatError {}
