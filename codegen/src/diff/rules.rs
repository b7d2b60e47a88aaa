//! The rule table of `eventcat diff`: every kind of change it reports, who
//! the change breaks, and how severe it is by default.
//!
//! Who a change can break is judged from three sides:
//! - [`Side::Consumer`]: an event valid under the NEW catalog can be rejected
//!   or misread by a consumer built on the OLD one (consumers ignore unknown
//!   fields, keep unknown values of *extensible* enums and route unknown
//!   codes to a fallback, and nothing more);
//! - [`Side::Producer`]: an event valid under the OLD catalog (sent by a
//!   producer not yet updated) is invalid under the NEW one, which holds
//!   producers strictly: only declared fields, every required field, only
//!   declared enum values, every constraint;
//! - [`Side::Source`]: Rust code compiled against the OLD catalog's generated
//!   types no longer compiles against the NEW one's.

use std::fmt;

/// Who a change can break. A rule's sides are the most it can break; a
/// [`crate::diff::Change`] drops [`Side::Source`] where the generated Rust
/// API does not change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// Consumers built on the old catalog, receiving new events.
    Consumer,
    /// Producers still sending old events, checked against the new catalog.
    Producer,
    /// Rust code compiled against the old catalog's generated types.
    Source,
}

impl Side {
    /// `consumer`, `producer` or `source`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Consumer => "consumer",
            Side::Producer => "producer",
            Side::Source => "source",
        }
    }
}

/// How bad a change is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing (and listing in a changelog), breaks nothing.
    Info,
    /// Breaks generated Rust code only, or breaks the wire in a way the
    /// catalog announced (deprecation) or most consumers do not rely on.
    Warning,
    /// Breaks events on the wire.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `required-field-removed` (used in reports and in
    /// `[[acknowledge]]` tables).
    pub id: &'static str,
    /// Who it can break; empty for changes that break nobody.
    pub sides: &'static [Side],
    /// Default severity.
    pub severity: Severity,
    /// What it is and why it breaks whom (Markdown, one paragraph).
    pub description: &'static str,
}

impl Rule {
    /// Whether the change can break `side`.
    pub fn breaks(&self, side: Side) -> bool {
        self.sides.contains(&side)
    }
}

use Severity::{Error, Info, Warning};
use Side::{Consumer, Producer, Source};

/// Every rule, in the order reports and the README list them.
pub const RULES: &[Rule] = &[
    // ------------------------------------------------------------ codes
    Rule {
        id: "code-removed",
        sides: &[Producer, Source],
        severity: Error,
        description: "An event code was removed (or renamed) without being deprecated first. Producers not yet updated still send it and the new catalog rejects it; Rust code naming its `EventCode`/`Event` variant stops compiling. Deprecate the code in one release and remove it in a later one.",
    },
    Rule {
        id: "deprecated-code-removed",
        sides: &[Producer, Source],
        severity: Warning,
        description: "A code that the old catalog marked `deprecated` was removed: the removal was announced, but producers that still send it are now rejected and Rust code naming its variant stops compiling.",
    },
    Rule {
        id: "code-added",
        sides: &[Source],
        severity: Info,
        description: "A new event code. Consumers built on the old catalog route it to their fallback for unknown codes. The generated `EventCode` and `Event` enums gain a variant, so a `match` over them without a wildcard arm must handle it: that is what the exhaustive match is for.",
    },
    Rule {
        id: "code-status-changed",
        sides: &[],
        severity: Info,
        description: "The status of a code changed (`planned`, `available`, `deprecated`).",
    },
    Rule {
        id: "family-removed",
        sides: &[Source],
        severity: Warning,
        description: "A family was removed: the generated `Family` enum loses a variant (its codes are reported on their own).",
    },
    Rule {
        id: "family-added",
        sides: &[Source],
        severity: Info,
        description: "A new family: the generated `Family` enum gains a variant, which a `match` without a wildcard arm must handle.",
    },
    // ------------------------------------------------------------ fields
    Rule {
        id: "required-field-removed",
        sides: &[Consumer, Producer, Source],
        severity: Error,
        description: "A required field was removed. Consumers built on the old catalog expect it and reject or misread events without it; producers that still send it send a field the new catalog does not declare; the Rust struct loses the field.",
    },
    Rule {
        id: "optional-field-removed",
        sides: &[Producer, Source],
        severity: Error,
        description: "An optional field was removed. Consumers already cope with its absence, but producers that still send it send a field the new catalog does not declare; the Rust struct loses the field.",
    },
    Rule {
        id: "deprecated-field-removed",
        sides: &[Producer, Source],
        severity: Warning,
        description: "An optional field that the old catalog marked `deprecated` was removed: the removal was announced, but producers that still send it are now rejected and the Rust struct loses the field.",
    },
    Rule {
        id: "required-field-added",
        sides: &[Producer, Source],
        severity: Error,
        description: "A new required field. Producers not yet updated do not send it, so their events are invalid under the new catalog; Rust code building the struct must now set it. Consumers built on the old catalog ignore it.",
    },
    Rule {
        id: "optional-field-added",
        sides: &[Source],
        severity: Info,
        description: "A new optional field. Consumers built on the old catalog ignore it and producers may leave it out; a Rust struct literal must now set it (`None`).",
    },
    Rule {
        id: "field-became-optional",
        sides: &[Consumer, Source],
        severity: Error,
        description: "A required field may now be absent. Consumers built on the old catalog expect it and reject or misread events without it; its Rust type becomes an `Option`.",
    },
    Rule {
        id: "field-became-required",
        sides: &[Producer, Source],
        severity: Error,
        description: "An optional field is now required. Producers that leave it out send events the new catalog rejects; its Rust type is no longer an `Option`.",
    },
    Rule {
        id: "field-became-nullable",
        sides: &[Consumer, Source],
        severity: Error,
        description: "A field may now be `null`. Consumers built on the old catalog do not expect `null` and reject or misread it; its Rust type becomes an `Option`.",
    },
    Rule {
        id: "field-became-non-nullable",
        sides: &[Producer, Source],
        severity: Error,
        description: "A field may no longer be `null`. Producers that send `null` send events the new catalog rejects; its Rust type is no longer an `Option`.",
    },
    Rule {
        id: "field-deprecated",
        sides: &[],
        severity: Info,
        description: "A field is now deprecated: producers should stop sending it. It is still valid on the wire.",
    },
    // ------------------------------------------------------------ types
    Rule {
        id: "type-changed",
        sides: &[Consumer, Producer, Source],
        severity: Error,
        description: "A value's wire type changed to one that neither contains nor is contained in the old one (e.g. `string` to `integer`, `uuid` to `email`, an object to an array): old and new events are each invalid under the other catalog.",
    },
    Rule {
        id: "type-widened",
        sides: &[Consumer, Source],
        severity: Error,
        description: "A value's wire type now accepts more (e.g. `integer` to `number`, a string format removed, a constant or enum to `string`, anything to `json`). Consumers built on the old catalog can receive values they cannot read; the Rust type changes.",
    },
    Rule {
        id: "type-narrowed",
        sides: &[Producer, Source],
        severity: Error,
        description: "A value's wire type now accepts less (e.g. `number` to `integer`, a string format added, `string` to an enum or constant, `json` to a concrete type). Producers not yet updated can send values the new catalog rejects; the Rust type changes.",
    },
    Rule {
        id: "extensible-enum-widened",
        sides: &[Source],
        severity: Warning,
        description: "An `extensible` enum became `string`. Consumers built on the old catalog already keep any string there, and every value producers were allowed to send is still valid, so nothing breaks on the wire; the generated enum gives way to `String`.",
    },
    Rule {
        id: "const-changed",
        sides: &[Consumer, Producer, Source],
        severity: Error,
        description: "A constant field holds another value: old and new events are each invalid under the other catalog, and the field's generated marker type changes.",
    },
    Rule {
        id: "rust-type-changed",
        sides: &[Source],
        severity: Warning,
        description: "The generated Rust type at a position changed while the values accepted there stay the same (a type renamed, a field now using another type of the same shape, a constant turned into an enum holding only that value, or the reverse). Only code compiled against the old types is affected.",
    },
    Rule {
        id: "off-wire-type-changed",
        sides: &[Source],
        severity: Warning,
        description: "A type that no event payload reaches (e.g. the object behind a `partial<T>`, or a type only Rust code uses) changed in a way that would break the wire if it were sent: nothing changes on the wire, but its generated Rust type does.",
    },
    Rule {
        id: "type-removed",
        sides: &[Source],
        severity: Warning,
        description: "A named type is no longer generated (removed, renamed, or a `partial<T>` no longer used): Rust code naming it stops compiling.",
    },
    Rule {
        id: "type-added",
        sides: &[],
        severity: Info,
        description: "A new named type.",
    },
    // ------------------------------------------------------------ enums
    Rule {
        id: "enum-value-added",
        sides: &[Consumer, Source],
        severity: Error,
        description: "A new value in an enum that the old catalog declared closed (not `extensible`): consumers built on the old catalog reject it. The generated enum gains a variant.",
    },
    Rule {
        id: "extensible-enum-value-added",
        sides: &[Source],
        severity: Info,
        description: "A new value in an `extensible` enum: consumers built on the old catalog keep it as an unknown value. The generated enum gains a variant (the value no longer arrives as the catch-all), which a `match` without a wildcard arm must handle.",
    },
    Rule {
        id: "enum-value-removed",
        sides: &[Producer, Source],
        severity: Error,
        description: "An enum value was removed: producers that still send it send events the new catalog rejects; the generated enum loses a variant.",
    },
    Rule {
        id: "enum-became-closed",
        sides: &[Source],
        severity: Warning,
        description: "An `extensible` enum is now closed. Nothing changes on the wire today (producers were already held to the declared values), but the generated enum loses its catch-all variant, and adding a value later will break consumers.",
    },
    Rule {
        id: "enum-became-extensible",
        sides: &[Source],
        severity: Warning,
        description: "A closed enum is now `extensible`. Nothing changes on the wire today, but consumers built on the old catalog still reject unknown values: update them before the first new value ships. The generated enum gains a catch-all variant.",
    },
    Rule {
        id: "catch-all-renamed",
        sides: &[Source],
        severity: Warning,
        description: "The catch-all variant of an extensible enum changed name (`Other` becomes `Unrecognized` when a value named `other` is added): Rust code matching it stops compiling.",
    },
    // ------------------------------------------------------------ constraints
    Rule {
        id: "constraint-tightened",
        sides: &[Producer],
        severity: Error,
        description: "A constraint now allows less (a bound added, a minimum raised, a maximum lowered, a pattern added, or a pattern narrowed to a strict subset, e.g. `^[0-9]+$` to `^[0-9]{4,15}$`): producers not yet updated can send values the new catalog rejects.",
    },
    Rule {
        id: "constraint-loosened",
        sides: &[Consumer],
        severity: Warning,
        description: "A constraint now allows more (a bound removed or relaxed, a pattern removed or widened to a strict superset): consumers that validate or store values with the old limits can meet values outside them. Generated Rust types do not enforce constraints.",
    },
    Rule {
        id: "pattern-changed",
        sides: &[Consumer, Producer],
        severity: Error,
        description: "A string field's `pattern` changed and eventcat cannot decide whether one accepts a subset of the other (it decides only patterns of one simple shape: anchors and a sequence of characters, escapes or classes with repetition counts, compared atom by atom): values valid under one pattern can be invalid under the other, in both directions.",
    },
    // ------------------------------------------------------------ docs
    Rule {
        id: "description-changed",
        sides: &[],
        severity: Info,
        description: "A description, title, `since`, deprecation message or enum value description changed.",
    },
    Rule {
        id: "example-changed",
        sides: &[],
        severity: Info,
        description: "The examples of an event changed.",
    },
];

/// A rule of [`RULES`], by name: the differ names the rule of each change
/// with it (a typo does not compile), and `[[acknowledge]]` tables are
/// parsed into it when the catalog loads. Variants are in [`RULES`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// `code-removed`
    CodeRemoved,
    /// `deprecated-code-removed`
    DeprecatedCodeRemoved,
    /// `code-added`
    CodeAdded,
    /// `code-status-changed`
    CodeStatusChanged,
    /// `family-removed`
    FamilyRemoved,
    /// `family-added`
    FamilyAdded,
    /// `required-field-removed`
    RequiredFieldRemoved,
    /// `optional-field-removed`
    OptionalFieldRemoved,
    /// `deprecated-field-removed`
    DeprecatedFieldRemoved,
    /// `required-field-added`
    RequiredFieldAdded,
    /// `optional-field-added`
    OptionalFieldAdded,
    /// `field-became-optional`
    FieldBecameOptional,
    /// `field-became-required`
    FieldBecameRequired,
    /// `field-became-nullable`
    FieldBecameNullable,
    /// `field-became-non-nullable`
    FieldBecameNonNullable,
    /// `field-deprecated`
    FieldDeprecated,
    /// `type-changed`
    TypeChanged,
    /// `type-widened`
    TypeWidened,
    /// `type-narrowed`
    TypeNarrowed,
    /// `extensible-enum-widened`
    ExtensibleEnumWidened,
    /// `const-changed`
    ConstChanged,
    /// `rust-type-changed`
    RustTypeChanged,
    /// `off-wire-type-changed`
    OffWireTypeChanged,
    /// `type-removed`
    TypeRemoved,
    /// `type-added`
    TypeAdded,
    /// `enum-value-added`
    EnumValueAdded,
    /// `extensible-enum-value-added`
    ExtensibleEnumValueAdded,
    /// `enum-value-removed`
    EnumValueRemoved,
    /// `enum-became-closed`
    EnumBecameClosed,
    /// `enum-became-extensible`
    EnumBecameExtensible,
    /// `catch-all-renamed`
    CatchAllRenamed,
    /// `constraint-tightened`
    ConstraintTightened,
    /// `constraint-loosened`
    ConstraintLoosened,
    /// `pattern-changed`
    PatternChanged,
    /// `description-changed`
    DescriptionChanged,
    /// `example-changed`
    ExampleChanged,
}

impl RuleId {
    /// Every rule, in [`RULES`] order.
    pub const ALL: [RuleId; 36] = [
        RuleId::CodeRemoved,
        RuleId::DeprecatedCodeRemoved,
        RuleId::CodeAdded,
        RuleId::CodeStatusChanged,
        RuleId::FamilyRemoved,
        RuleId::FamilyAdded,
        RuleId::RequiredFieldRemoved,
        RuleId::OptionalFieldRemoved,
        RuleId::DeprecatedFieldRemoved,
        RuleId::RequiredFieldAdded,
        RuleId::OptionalFieldAdded,
        RuleId::FieldBecameOptional,
        RuleId::FieldBecameRequired,
        RuleId::FieldBecameNullable,
        RuleId::FieldBecameNonNullable,
        RuleId::FieldDeprecated,
        RuleId::TypeChanged,
        RuleId::TypeWidened,
        RuleId::TypeNarrowed,
        RuleId::ExtensibleEnumWidened,
        RuleId::ConstChanged,
        RuleId::RustTypeChanged,
        RuleId::OffWireTypeChanged,
        RuleId::TypeRemoved,
        RuleId::TypeAdded,
        RuleId::EnumValueAdded,
        RuleId::ExtensibleEnumValueAdded,
        RuleId::EnumValueRemoved,
        RuleId::EnumBecameClosed,
        RuleId::EnumBecameExtensible,
        RuleId::CatchAllRenamed,
        RuleId::ConstraintTightened,
        RuleId::ConstraintLoosened,
        RuleId::PatternChanged,
        RuleId::DescriptionChanged,
        RuleId::ExampleChanged,
    ];

    /// Its entry of the rule table.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }

    /// Its id, e.g. `required-field-removed`.
    pub fn as_str(self) -> &'static str {
        self.rule().id
    }

    /// The rule with this id.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == id)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every rule id (for "did you mean" hints).
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

/// The rule table as a Markdown table (id, sides, severity, description):
/// the README's table is this text, checked by a test.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| Rule | Breaks | Default severity | Description |\n| --- | --- | --- | --- |\n",
    );
    for r in RULES {
        let sides = if r.sides.is_empty() {
            "nobody".to_string()
        } else {
            r.sides
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.id,
            sides,
            r.severity,
            r.description.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn rule_ids_name_the_table_in_order() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (i, id) in RuleId::ALL.into_iter().enumerate() {
            assert_eq!(id as usize, i);
            let pascal: String = RULES[i]
                .id
                .split('-')
                .map(|w| w[..1].to_uppercase() + &w[1..])
                .collect();
            assert_eq!(format!("{id:?}"), pascal);
            assert_eq!(RuleId::parse(RULES[i].id), Some(id));
        }
        assert_eq!(RuleId::parse("no-such-rule"), None);
    }

    #[test]
    fn breaking_rules_name_a_side() {
        for r in RULES {
            if r.severity > Severity::Info {
                assert!(!r.sides.is_empty(), "{} breaks nobody", r.id);
            }
        }
    }
}
