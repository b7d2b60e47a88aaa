//! The fixed event-level items of the generated code: `Status`, the trait
//! impls of `EventCode` and `Family`, `ParseEventCodeError`, `Selector` and
//! `SelectorError`, as the generated crate holds them: the emitter embeds
//! them by name (see [`super::Fixed`]) beside the items the catalog makes.

// What the generated crate has beside them (not embedded): stand-ins for
// the catalog's items, and the `support` module.
use super::context::{Event, EventCode, Family};
use super::support;

/// Lifecycle status of an event code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Sent today.
    Available,
    /// Announced, not sent yet.
    Planned,
    /// Still sent, going away: why, and what to use instead.
    Deprecated(&'static str),
}

impl std::fmt::Display for EventCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EventCode {
    type Err = ParseEventCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|code| code.as_str() == s)
            .ok_or_else(|| ParseEventCodeError {
                input: s.to_string(),
                suggestion: support::closest(s, Self::ALL.iter().map(|code| code.as_str())),
            })
    }
}

impl serde::Serialize for EventCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for EventCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A string that is not an event code of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEventCodeError {
    input: String,
    suggestion: Option<&'static str>,
}

impl ParseEventCodeError {
    /// The string that was parsed.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The closest event code, if one is close.
    pub fn suggestion(&self) -> Option<&'static str> {
        self.suggestion
    }
}

impl std::fmt::Display for ParseEventCodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown event code `{}`", self.input)?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseEventCodeError {}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a webhook subscribes to: `all` (every event), `<family>.all`
/// (every event of a family, e.g. `dir_sync.all`) or one event code.
///
/// Parses from and displays as those strings (`FromStr`, `Display`,
/// serde); anything else is a [`SelectorError`] naming the closest
/// valid selector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selector {
    /// `all`: every event of every family.
    All,
    /// `<family>.all`: every event of one family.
    Family(Family),
    /// One event code.
    Code(EventCode),
}

impl Selector {
    /// Whether an event of `code` is selected.
    pub fn matches(&self, code: &EventCode) -> bool {
        match self {
            Self::All => true,
            Self::Family(family) => code.family() == *family,
            Self::Code(selected) => selected == code,
        }
    }

    /// Whether an event whose code is `code` (known or not) is
    /// selected: a code unknown to this version still matches `all`
    /// and the family it starts with.
    pub fn matches_str(&self, code: &str) -> bool {
        match self {
            Self::All => true,
            Self::Family(family) => code
                .strip_prefix(family.as_str())
                .is_some_and(|rest| rest.starts_with('.')),
            Self::Code(selected) => selected.as_str() == code,
        }
    }

    /// Whether `event` is selected.
    pub fn matches_event(&self, event: &Event) -> bool {
        self.matches_str(event.code_str())
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::All => f.write_str("all"),
            Self::Family(family) => f.write_str(family.selector()),
            Self::Code(code) => f.write_str(code.as_str()),
        }
    }
}

impl std::str::FromStr for Selector {
    type Err = SelectorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "all" {
            return Ok(Self::All);
        }
        if let Some(family) = Family::ALL.into_iter().find(|f| f.selector() == s) {
            return Ok(Self::Family(family));
        }
        if let Some(code) = EventCode::ALL.into_iter().find(|c| c.as_str() == s) {
            return Ok(Self::Code(code));
        }
        let candidates = std::iter::once("all")
            .chain(Family::ALL.iter().map(|f| f.selector()))
            .chain(EventCode::ALL.iter().map(|c| c.as_str()));
        Err(SelectorError {
            input: s.to_string(),
            suggestion: support::closest(s, candidates),
        })
    }
}

impl serde::Serialize for Selector {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Selector {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A string that is not a valid selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    input: String,
    suggestion: Option<&'static str>,
}

impl SelectorError {
    /// The string that was parsed.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The closest valid selector, if one is close.
    pub fn suggestion(&self) -> Option<&'static str> {
        self.suggestion
    }
}

impl std::fmt::Display for SelectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown event selector `{}`: expected `all`, `<family>.all` or an event code",
            self.input
        )?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for SelectorError {}
