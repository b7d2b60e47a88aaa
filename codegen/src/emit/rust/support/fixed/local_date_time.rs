//! `LocalDateTime`, the format type of `local-date-time`, and its impls,
//! as the generated crate holds them: the emitter embeds them by name (see
//! [`super::super::Fixed`]). Its `JsonSchema` impl stays in the emitter
//! (it takes the pattern from the JSON Schema emitter's constant), and
//! its `Arbitrary` impl is in `strategies.rs`. Compiled in tests only.

// What the generated crate has beside it (not embedded).
use super::FormatError;
use crate::formats;

/// A date-time without offset (format `local-date-time`), e.g.
/// `2024-03-22T17:14:27`: `YYYY-MM-DDTHH:MM:SS`, optionally with a
/// fraction of a second of 1 to 9 digits, never with an offset
/// (checked by the same check as `eventcat validate`). Written the
/// same way (the fraction in 3, 6 or 9 digits when there is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct LocalDateTime(pub chrono::NaiveDateTime);

impl From<chrono::NaiveDateTime> for LocalDateTime {
    fn from(value: chrono::NaiveDateTime) -> Self {
        Self(value)
    }
}

impl std::fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.f"))
    }
}

impl std::str::FromStr for LocalDateTime {
    type Err = FormatError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || FormatError {
            format: "local-date-time",
            value: s.to_string(),
        };
        if !formats::is_local_date_time(s) {
            return Err(error());
        }
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .map(Self)
            .map_err(|_| error())
    }
}

impl<'de> serde::Deserialize<'de> for LocalDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <String as serde::Deserialize>::deserialize(deserializer)?;
        value.parse().map_err(serde::de::Error::custom)
    }
}
