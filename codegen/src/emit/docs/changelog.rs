//! The page's changelog: what changed since a previous version of the
//! catalog, built from [`crate::diff::changelog`] (the same comparison and
//! rule table as `eventcat diff`).
//!
//! Changes are split in two lists: **breaking** ones (a change that breaks
//! consumers, producers or Rust code compiled against the previous generated
//! types, under `eventcat diff`'s default policy: both sides of the wire and
//! the Rust source) and **other** ones (additions, descriptions, examples).
//! A break the catalog acknowledges (`[[acknowledge]]`) stays in the
//! breaking list, marked as intended with its reason. Each event's section
//! also lists the changes that affect its code.
//!
//! Nothing machine-dependent is shown (no file paths), so the page depends
//! only on the two catalogs.

use std::collections::BTreeSet;

use super::markup::{self, Block, Inline};
use crate::diff::{self, Change, Policy, RuleId, Severity, Side};
use crate::model::Catalog;

/// Anchor of the changelog section.
pub const ANCHOR: &str = "changelog";

/// The changelog section.
#[derive(Debug, Clone)]
pub struct Changelog {
    /// Name of the previous catalog.
    pub previous_name: String,
    /// Version of the previous catalog.
    pub previous_version: String,
    /// Changes that break someone, in `eventcat diff` order.
    pub breaking: Vec<ChangeRow>,
    /// Changes that break no one.
    pub other: Vec<ChangeRow>,
}

impl Changelog {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.breaking.is_empty() && self.other.is_empty()
    }
}

/// One change.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    /// Whether it is in the breaking list.
    pub breaking: bool,
    /// Rule id, e.g. `required-field-added`.
    pub rule: &'static str,
    /// What changed, one sentence (inline Markdown from the diff engine:
    /// code spans, and catalog text such as a deprecation message).
    pub message: Vec<Block>,
    /// Who it breaks: `consumers`, `producers`, `Rust code`; in the other
    /// changes, `Rust code (minor)` for changes such as a new optional field
    /// (a struct literal must now set it) or a new code (an exhaustive
    /// `match` needs an arm).
    pub breaks: Vec<&'static str>,
    /// The codes it affects; `true` when the code has a section on the page
    /// (a removed code has none).
    pub codes: Vec<(String, bool)>,
    /// What it affects when it names no code: `every event` for the
    /// envelope, `no event` for types or families no code uses.
    pub scope: Option<&'static str>,
    /// Where in the event (`data.user.emails[].type`) or the catalog
    /// (`types.Name`, `families.id`); empty for a change to a code itself.
    pub path: String,
    /// Old value, when there was one.
    pub old: Option<String>,
    /// New value, when there is one.
    pub new: Option<String>,
    /// Why the catalog says this break is intended (`[[acknowledge]]`).
    pub intended: Option<String>,
}

impl ChangeRow {
    /// `old → new`, `old → (none)`, `(none) → new`, or empty.
    pub fn values(&self) -> String {
        match (&self.old, &self.new) {
            (None, None) => String::new(),
            (o, n) => format!(
                "{} → {}",
                o.as_deref().unwrap_or("(none)"),
                n.as_deref().unwrap_or("(none)")
            ),
        }
    }
}

/// The changes of one event, for its section.
#[derive(Debug, Clone)]
pub struct EventChange {
    /// Whether it breaks someone.
    pub breaking: bool,
    /// What changed (see [`ChangeRow::message`]).
    pub message: Vec<Block>,
    /// Where in the event (see [`ChangeRow::path`]).
    pub path: String,
}

/// Builds the changelog of `new` since `previous`.
pub fn build(previous: &Catalog, new: &Catalog) -> Changelog {
    let mut changes = diff::changelog(previous, new);
    // Locations are not shown; only whether and why a break is intended.
    diff::acknowledge(&mut changes, &new.acknowledged, |_| String::new());
    let policy = Policy::default();
    let codes: BTreeSet<&str> = new.events.iter().map(|e| e.code.as_str()).collect();
    let mut log = Changelog {
        previous_name: previous.name.clone(),
        previous_version: previous.version.clone(),
        breaking: Vec::new(),
        other: Vec::new(),
    };
    for c in &changes {
        let row = row(c, &policy, &codes);
        if row.breaking {
            log.breaking.push(row);
        } else {
            log.other.push(row);
        }
    }
    log
}

/// The changes that affect `code`, breaking ones first. For a code new in
/// this version, only that it is new (its payload's changes are not changes
/// to it).
pub fn for_event(log: &Changelog, code: &str) -> Vec<EventChange> {
    let affects = |r: &&ChangeRow| r.codes.iter().any(|(c, _)| c == code);
    let rows = log.breaking.iter().chain(&log.other).filter(affects);
    let added = rows.clone().any(|r| r.rule == RuleId::CodeAdded.as_str());
    rows.filter(|r| !added || r.rule == RuleId::CodeAdded.as_str())
        .map(|r| EventChange {
            breaking: r.breaking,
            message: r.message.clone(),
            path: r.path.clone(),
        })
        .collect()
}

fn row(c: &Change, policy: &Policy, codes: &BTreeSet<&str>) -> ChangeRow {
    let breaking = c.severity(policy) >= Severity::Warning;
    let breaks = c
        .counted_sides(policy)
        .into_iter()
        .map(|s| match s {
            Side::Consumer => "consumers",
            Side::Producer => "producers",
            Side::Source if breaking => "Rust code",
            // E.g. a new optional field: struct literals must set it.
            Side::Source => "Rust code (minor)",
        })
        .collect();
    let scope = if !c.codes.is_empty() {
        None
    } else if c.path.starts_with("types.") || c.path.starts_with("families.") {
        Some("no event")
    } else {
        Some("every event")
    };
    ChangeRow {
        breaking,
        rule: c.rule.id,
        message: one_paragraph(&c.message),
        breaks,
        codes: c
            .codes
            .iter()
            .map(|code| (code.clone(), codes.contains(code.as_str())))
            .collect(),
        scope,
        // `event` (the code itself) says nothing the message does not.
        path: if c.path == "event" {
            String::new()
        } else {
            c.path.clone()
        },
        old: c.old.clone(),
        new: c.new.clone(),
        intended: c.acknowledged.as_ref().map(|a| a.reason.clone()),
    }
}

/// A message as one paragraph of inline Markdown (a message that parses into
/// several blocks, e.g. a deprecation text with a list, is joined).
fn one_paragraph(message: &str) -> Vec<Block> {
    let mut inlines: Vec<Inline> = Vec::new();
    for b in markup::parse(message) {
        let items = match b {
            Block::Paragraph(t) | Block::Heading(_, t) => vec![t],
            Block::List(_, items) => items,
            Block::Code(_, code) => vec![vec![Inline::Code(code)]],
        };
        for item in items {
            if !inlines.is_empty() {
                inlines.push(Inline::Text(" ".into()));
            }
            inlines.extend(item);
        }
    }
    if inlines.is_empty() {
        Vec::new()
    } else {
        vec![Block::Paragraph(inlines)]
    }
}
