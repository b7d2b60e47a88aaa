//! Stand-ins for the items of the generated crate that the catalog makes
//! (`EventCode`, `Family`, `Event`) with the members the fixed files use,
//! so those files compile here as they do there. Never embedded.

/// Stands in for the catalog's event codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventCode {
    /// A code.
    Sample,
}

impl EventCode {
    /// Every code.
    pub const ALL: [EventCode; 1] = [EventCode::Sample];

    /// The code as on the wire.
    pub const fn as_str(self) -> &'static str {
        "sample.event"
    }

    /// The family of the code.
    pub const fn family(self) -> Family {
        Family::Sample
    }
}

/// Stands in for the catalog's families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// A family.
    Sample,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 1] = [Family::Sample];

    /// The family id.
    pub const fn as_str(self) -> &'static str {
        "sample"
    }

    /// The selector of every code of the family.
    pub const fn selector(self) -> &'static str {
        "sample.all"
    }
}

/// Stands in for the catalog's `Event`.
pub struct Event;

impl Event {
    /// The code as on the wire.
    pub fn code_str(&self) -> &str {
        EventCode::Sample.as_str()
    }

    /// Serializes the payload alone.
    pub(super) fn serialize_payload<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}
