//! Breaking-change detection: what changed between two versions of a
//! catalog, and whom each change breaks.
//!
//! [`compare`] is a pure function of two resolved [`Catalog`]s. It walks
//! every event's payload in both (following type names, aliases, arrays and
//! maps) and compares the *wire shape* at each position, so renaming a type
//! that keeps its shape is only a [`Side::Source`] change, and one change in
//! a shared type is reported once per path, with every code it reaches. Each
//! [`Change`] names its [`Rule`] (see [`rules::RULES`]), the codes, a path
//! such as `data.resource.changes.new_values.emails[].type`, the old and new
//! values, and where it is in the catalog.
//!
//! The same list feeds `eventcat diff` (which applies a [`Policy`] and the
//! catalog's `[[acknowledge]]` tables) and a docs changelog: it is plain
//! data, ordered deterministically.
//!
//! Assumptions about the generated Rust (see the `source` side of each rule):
//! `EventCode`, `Event`, `Family` and closed enums are exhaustive (not
//! `#[non_exhaustive]`), extensible enums have a catch-all variant named by
//! [`naming::catch_all_variant`], fields are named by
//! [`naming::snake_case`], types by [`naming::type_ident`], enum variants by
//! [`naming::pascal_case`], and aliases are type aliases (a field using an
//! alias or its target has the same Rust type).

pub mod pattern;
pub mod rules;
mod sections;
mod structure;
mod values;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::model::{
    Acknowledgement, Catalog, Constraints, EnumType, Example, Field, Origin, Status, TypeDef,
    TypeKind, TypeRef,
};
use crate::naming;

mod describe;
mod field;
mod relation;

#[allow(unused_imports)]
use describe::*;
#[allow(unused_imports)]
use field::*;
#[allow(unused_imports)]
use relation::*;

pub use rules::{Rule, RuleId, Severity, Side, RULES};

/// Which sides of the wire count as breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Consumer-safe: consumers built on the old catalog must read every new
    /// event. Counts [`Side::Consumer`] breaks.
    Backward,
    /// Producer-safe: events of producers built on the old catalog must stay
    /// valid under the new one. Counts [`Side::Producer`] breaks.
    Forward,
    /// Both.
    Full,
}

impl Mode {
    /// `backward`, `forward` or `full`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Backward => "backward",
            Mode::Forward => "forward",
            Mode::Full => "full",
        }
    }

    /// Whether breaks of this wire side count in this mode.
    pub fn counts_wire(self, side: Side) -> bool {
        matches!(
            (self, side),
            (Mode::Full, Side::Consumer | Side::Producer)
                | (Mode::Backward, Side::Consumer)
                | (Mode::Forward, Side::Producer)
        )
    }
}

/// How changes are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Which wire sides count.
    pub mode: Mode,
    /// Whether breaks of generated Rust code count.
    pub source: bool,
    /// Whether changes confined to codes that are `planned` in the old
    /// catalog (announced, not sent yet) count at their rule's severity;
    /// `false` (the default) caps them at [`Severity::Warning`].
    pub planned: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            mode: Mode::Full,
            source: true,
            planned: false,
        }
    }
}

/// An acknowledgement that matched a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledged {
    /// The reasons given (one per matching `[[acknowledge]]`).
    pub reason: String,
    /// Where the acknowledgements are (`file:line:column`, joined by `, `).
    pub location: String,
}

/// One change between the old and the new catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The rule it falls under.
    pub rule: &'static Rule,
    /// Whom this change breaks: the rule's sides, without
    /// [`Side::Source`] when the generated public Rust API stays the same
    /// (only a serde rename changes, e.g. a wire key whose Rust field name
    /// stays, an enum value whose variant name stays, nullable swapped for
    /// optional on the same `Option<T>`).
    pub sides: Vec<Side>,
    /// Whether every code it affects is `planned` in the old catalog (or,
    /// for a code the old catalog lacks, in the new one): announced, never
    /// sent under the old contract. Such changes are capped at
    /// [`Severity::Warning`] unless [`Policy::planned`] is set.
    pub planned: bool,
    /// The event codes whose events it affects, in catalog order. Empty for
    /// changes to the envelope (every code: see [`Change::every_code`]) and
    /// to types or families no code reaches.
    pub codes: Vec<String>,
    /// Where in the event: a path from the envelope such as
    /// `data.resource.changes.new_values.emails[].type` (`[]`: array items,
    /// `{}`: map values); `event.<what>` for a code's own metadata,
    /// `families.<id>...` and `types.<Name>...` for catalog items.
    pub path: String,
    /// The old value, when there was one (a type, a value, a setting).
    pub old: Option<String>,
    /// The new value, when there is one.
    pub new: Option<String>,
    /// What changed, in one sentence.
    pub message: String,
    /// `file:line:column` in the new catalog, or in the old one for things
    /// that no longer exist.
    pub location: String,
    /// Set when the new catalog acknowledges this change (see [`acknowledge`]).
    pub acknowledged: Option<Acknowledged>,
}

impl Change {
    /// The severity under `policy`: the rule's default when it breaks a side
    /// the policy counts on the wire; at most [`Severity::Warning`] when it
    /// only breaks counted Rust source; [`Severity::Info`] otherwise.
    /// Changes confined to planned codes are capped at warning unless
    /// [`Policy::planned`] is set.
    pub fn severity(&self, policy: &Policy) -> Severity {
        let wire = self
            .sides
            .iter()
            .any(|s| *s != Side::Source && policy.mode.counts_wire(*s));
        let severity = if wire {
            self.rule.severity
        } else if policy.source && self.breaks(Side::Source) {
            self.rule.severity.min(Severity::Warning)
        } else {
            Severity::Info
        };
        if self.planned && !policy.planned {
            severity.min(Severity::Warning)
        } else {
            severity
        }
    }

    /// Whether this change can break `side`.
    pub fn breaks(&self, side: Side) -> bool {
        self.sides.contains(&side)
    }

    /// Whether the change applies to every code (an envelope change), as
    /// opposed to no event at all (a type or family no code reaches), when
    /// [`Change::codes`] is empty.
    pub fn every_code(&self) -> bool {
        self.codes.is_empty()
            && !self.path.starts_with("types.")
            && !self.path.starts_with("families.")
    }

    /// The sides it breaks that `policy` counts.
    pub fn counted_sides(&self, policy: &Policy) -> Vec<Side> {
        self.sides
            .iter()
            .copied()
            .filter(|s| match s {
                Side::Source => policy.source,
                wire => policy.mode.counts_wire(*wire),
            })
            .collect()
    }

    /// Whether the change fails a check at `fail_on` under `policy`
    /// (acknowledged changes never do).
    pub fn fails(&self, policy: &Policy, fail_on: Severity) -> bool {
        self.acknowledged.is_none() && self.severity(policy) >= fail_on
    }
}

/// Every change from `old` to `new`, in a stable order: changes to the
/// envelope and to types no code reaches first, then by the first code
/// affected (in catalog order), then path, then rule table order. Nothing is
/// acknowledged yet (see [`acknowledge`]).
pub fn compare(old: &Catalog, new: &Catalog) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        found: BTreeMap::new(),
        compared: BTreeSet::new(),
        renamed: BTreeMap::new(),
        locs: HashMap::new(),
        off_wire: false,
        seen: HashSet::new(),
    };
    d.envelope();
    d.events();
    d.families();
    d.types();
    d.finish()
}

/// The changes a docs changelog lists: [`compare`] with nothing filtered.
/// Each [`Change`] carries its rule (id, sides, default severity), the codes
/// it affects and a one-sentence message, enough to render "what changed
/// since the previous version", per code or as one list.
pub fn changelog(old: &Catalog, new: &Catalog) -> Vec<Change> {
    compare(old, new)
}

/// Marks the changes that `acks` (the new catalog's `[[acknowledge]]`
/// tables) acknowledge, and returns the indices of the acknowledgements that
/// matched nothing.
///
/// An acknowledgement matches a change of its `rule` whose path is its
/// `path` or lies below it (when it has a `path`). With a `code`, a change
/// is acknowledged once *every* code it affects is named by a matching
/// acknowledgement, so a break in a shared type needs one per code (or one
/// by `path` alone). `locate` turns an acknowledgement's origin into
/// `file:line:column`.
pub fn acknowledge(
    changes: &mut [Change],
    acks: &[Acknowledgement],
    locate: impl Fn(&Origin) -> String,
) -> Vec<usize> {
    let mut used = vec![false; acks.len()];
    for c in changes.iter_mut() {
        let matching: Vec<usize> = acks
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.rule.as_str() == c.rule.id
                    && a.path.as_deref().is_none_or(|p| path_within(&c.path, p))
                    && a.code
                        .as_deref()
                        .is_none_or(|code| c.codes.iter().any(|x| x == code))
            })
            .map(|(i, _)| i)
            .collect();
        if matching.is_empty() {
            continue;
        }
        let covered = matching.iter().any(|i| acks[*i].code.is_none())
            || (!c.codes.is_empty()
                && c.codes.iter().all(|code| {
                    matching
                        .iter()
                        .any(|i| acks[*i].code.as_deref() == Some(code.as_str()))
                }));
        if !covered {
            continue;
        }
        let mut reasons: Vec<&str> = Vec::new();
        let mut locations: Vec<String> = Vec::new();
        for i in &matching {
            used[*i] = true;
            if !reasons.contains(&acks[*i].reason.as_str()) {
                reasons.push(&acks[*i].reason);
            }
            locations.push(locate(&acks[*i].origin));
        }
        c.acknowledged = Some(Acknowledged {
            reason: reasons.join("; "),
            location: locations.join(", "),
        });
    }
    used.iter()
        .enumerate()
        .filter(|(_, u)| !**u)
        .map(|(i, _)| i)
        .collect()
}

/// Whether a version change is large enough for a breaking change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bump {
    /// A semver-major bump (or, below 1.0, a minor one).
    Enough,
    /// Not enough: `required` is `major` (or `minor` below 1.0) and `next`
    /// the smallest version that would do.
    TooSmall {
        /// `major` or `minor`.
        required: &'static str,
        /// E.g. `2.0.0`, or `0.4.0` below 1.0.
        next: String,
    },
    /// One of the versions is not a semantic version: nothing to check.
    NotSemver,
}

/// Whether going from version `old` to `new` is the bump a breaking change
/// needs under semver: a new major version, or below 1.0 a new minor one
/// (`0.3.x` to `0.4.0` or `1.0.0`).
pub fn breaking_bump(old: &str, new: &str) -> Bump {
    let (Ok(o), Ok(n)) = (semver::Version::parse(old), semver::Version::parse(new)) else {
        return Bump::NotSemver;
    };
    if o.major == 0 {
        if n.major > 0 || n.minor > o.minor {
            Bump::Enough
        } else {
            Bump::TooSmall {
                required: "minor",
                next: format!("0.{}.0", o.minor + 1),
            }
        }
    } else if n.major > o.major {
        Bump::Enough
    } else {
        Bump::TooSmall {
            required: "major",
            next: format!("{}.0.0", o.major + 1),
        }
    }
}

/// Whether `path` is `prefix` or lies below it (`prefix.x`, `prefix[]`, `prefix{}`).
fn path_within(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.starts_with(['.', '[', '{']),
        None => false,
    }
}

/// Which catalog an origin points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Which {
    Old,
    New,
}

/// A finding before grouping: everything but the codes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    rule: RuleId,
    sides: Vec<Side>,
    path: String,
    old: Option<String>,
    new: Option<String>,
    message: String,
    location: String,
}

struct Differ<'a> {
    old: &'a Catalog,
    new: &'a Catalog,
    found: BTreeMap<Key, BTreeSet<String>>,
    /// Pairs of named types compared by a walk (old name, new name).
    compared: BTreeSet<(String, String)>,
    /// Old type name -> new type names found at the same position.
    renamed: BTreeMap<String, BTreeSet<String>>,
    locs: HashMap<(Which, usize, usize), String>,
    /// Set while comparing a type that no walk from a payload reached.
    off_wire: bool,
    /// (rule, location, old, new) of every finding, for the off-wire
    /// duplicate check (a set, so the check does not scan every finding).
    seen: HashSet<(RuleId, String, Option<String>, Option<String>)>,
}

impl<'a> Differ<'a> {
    fn locate(&mut self, which: Which, origin: &Origin) -> String {
        let cat = match which {
            Which::Old => self.old,
            Which::New => self.new,
        };
        self.locs
            .entry((which, origin.file, origin.span.start))
            .or_insert_with(|| cat.locate(origin))
            .clone()
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        rule: RuleId,
        codes: &[String],
        path: &str,
        old: Option<String>,
        new: Option<String>,
        message: String,
        at: (Which, &Origin),
    ) {
        self.emit_as(rule, codes, path, old, new, message, at, false)
    }

    /// [`Differ::emit`]; `rust_same`: the generated Rust API does not
    /// change with it, so it does not break [`Side::Source`].
    #[allow(clippy::too_many_arguments)]
    fn emit_as(
        &mut self,
        rule: RuleId,
        codes: &[String],
        path: &str,
        old: Option<String>,
        new: Option<String>,
        message: String,
        at: (Which, &Origin),
        rust_same: bool,
    ) {
        let mut rule = rule;
        let location = self.locate(at.0, at.1);
        let mut message = message;
        if self.off_wire {
            // Already found on the wire: the same change, reported there.
            let dup = self
                .seen
                .contains(&(rule, location.clone(), old.clone(), new.clone()));
            let r = rule.rule();
            let wire = r.breaks(Side::Consumer) || r.breaks(Side::Producer);
            if dup || (wire && (rust_same || !r.breaks(Side::Source))) {
                return;
            }
            if wire && r.severity > Severity::Info {
                message = format!(
                    "`{}` in a type no event sends: only its generated Rust type changes ({message})",
                    r.id
                );
                rule = RuleId::OffWireTypeChanged;
            }
        }
        let sides = rule
            .rule()
            .sides
            .iter()
            .copied()
            .filter(|s| !(rust_same && *s == Side::Source))
            .collect();
        self.seen
            .insert((rule, location.clone(), old.clone(), new.clone()));
        let key = Key {
            rule,
            sides,
            path: path.to_string(),
            old,
            new,
            message,
            location,
        };
        self.found
            .entry(key)
            .or_default()
            .extend(codes.iter().cloned());
    }

    fn finish(self) -> Vec<Change> {
        let (old, new) = (self.old, self.new);
        let mut status: HashMap<&str, bool> = HashMap::new();
        for e in old.events.iter().chain(&new.events) {
            status
                .entry(e.code.as_str())
                .or_insert(matches!(e.status, Status::Planned));
        }
        let planned = |code: &str| status.get(code).copied().unwrap_or(false);
        let mut rank: HashMap<&str, usize> = HashMap::new();
        for e in self.new.events.iter().chain(&self.old.events) {
            let next = rank.len();
            rank.entry(e.code.as_str()).or_insert(next);
        }
        let mut out: Vec<(Option<usize>, Change)> = self
            .found
            .into_iter()
            .map(|(k, codes)| {
                let mut codes: Vec<String> = codes.into_iter().collect();
                codes.sort_by_key(|c| rank.get(c.as_str()).copied().unwrap_or(usize::MAX));
                let first = codes.first().map(|c| rank[c.as_str()]);
                let change = Change {
                    rule: k.rule.rule(),
                    sides: k.sides,
                    planned: !codes.is_empty() && codes.iter().all(|c| planned(c)),
                    codes,
                    path: k.path,
                    old: k.old,
                    new: k.new,
                    message: k.message,
                    location: k.location,
                    acknowledged: None,
                };
                (first, change)
            })
            .collect();
        let rule_pos = |r: &Rule| RULES.iter().position(|x| x.id == r.id);
        out.sort_by(|(fa, a), (fb, b)| {
            fa.cmp(fb)
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| rule_pos(a.rule).cmp(&rule_pos(b.rule)))
                .then_with(|| a.codes.cmp(&b.codes))
                .then_with(|| a.old.cmp(&b.old))
                .then_with(|| a.new.cmp(&b.new))
        });
        out.into_iter().map(|(_, c)| c).collect()
    }
}

/// How the set of values a new type accepts relates to the old one's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Same,
    /// Another type that accepts exactly the same values (a constant and
    /// an enum holding only that value).
    SameValues,
    /// An extensible enum became a plain string: wider for producers, the
    /// same for consumers (who keep any string of an extensible enum).
    ExtensibleToString,
    Wider,
    Narrower,
    Other,
}

/// The shape of a dealiased type, for [`relation`].
enum Shape<'a> {
    Str(crate::model::StringFormat),
    Const(&'a str),
    Enum(&'a EnumType),
    Object,
    Integer,
    Number,
    Boolean,
    Json,
    Array,
    Map,
    EventCode,
    Payload,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_at_segment_boundaries() {
        assert!(path_within("data.user.emails[].type", "data.user"));
        assert!(path_within("data.user", "data.user"));
        assert!(path_within("data.user{}.x", "data.user"));
        assert!(!path_within("data.username", "data.user"));
    }

    #[test]
    fn modes_count_their_sides() {
        assert!(Mode::Backward.counts_wire(Side::Consumer));
        assert!(!Mode::Backward.counts_wire(Side::Producer));
        assert!(Mode::Forward.counts_wire(Side::Producer));
        assert!(!Mode::Forward.counts_wire(Side::Consumer));
        assert!(Mode::Full.counts_wire(Side::Consumer) && Mode::Full.counts_wire(Side::Producer));
        assert!(!Mode::Full.counts_wire(Side::Source));
    }
}
