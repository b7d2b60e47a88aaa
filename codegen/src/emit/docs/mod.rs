//! `docs/`: the event list page, as one self-contained HTML file
//! (`docs/events.html`) and as Markdown (`docs/events.md`).
//!
//! Both are rendered by askama templates (under `codegen/templates/docs/`)
//! from one view of the catalog, [`Page`], built here: the intro with the
//! subscription selectors, the envelope's fields, per family its events, each
//! with its status, selectors, top-level payload fields (their types linked
//! to the Types section) and examples, then the Types section: every named
//! type once, with its fields or values; given the previous version of the
//! catalog, a [`changelog`] section and, in each event, the changes to it.
//!
//! Every text from the catalog is escaped for its output: askama escapes
//! HTML, [`markdown::escape`] escapes Markdown, and descriptions (Markdown in
//! the catalog) go through [`markup`], which keeps only a safe subset of
//! Markdown and treats everything else, raw HTML included, as text.

pub mod changelog;
pub mod html;
pub mod markdown;
pub mod markup;

use super::json_schema;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    Catalog, Constraints, EnvelopeField, Event, Field, Slot, Status, StringFormat, TypeDef,
    TypeKind, TypeRef,
};
use crate::output::GeneratedFile;
use markup::Block;

mod views;

#[allow(unused_imports)]
use views::*;
pub use views::{envelope_rows, field_rows, type_label};

/// Path of the HTML page in the output folder.
pub const HTML_PATH: &str = "docs/events.html";
/// Path of the Markdown page in the output folder.
pub const MARKDOWN_PATH: &str = "docs/events.md";

/// The docs files of a catalog: `docs/events.html` and `docs/events.md`.
pub fn emit(catalog: &Catalog) -> Vec<GeneratedFile> {
    emit_since(catalog, None)
}

/// The docs files, with a changelog section listing what changed since
/// `previous` when it is given.
pub fn emit_since(catalog: &Catalog, previous: Option<&Catalog>) -> Vec<GeneratedFile> {
    let mut files = Vec::with_capacity(2);
    emit_each_since(catalog, previous, &mut |f| files.push(f));
    files
}

/// [`emit_since`], each file handed to `put` as soon as it is rendered.
pub fn emit_each_since(
    catalog: &Catalog,
    previous: Option<&Catalog>,
    put: &mut dyn FnMut(GeneratedFile),
) {
    let page = Page::since(catalog, previous);
    put(html::render(&page));
    put(markdown::render(&page));
}

/// What the page shows, in page order; shared by the HTML and Markdown
/// renderers.
#[derive(Debug, Clone)]
pub struct Page {
    /// Catalog title.
    pub title: String,
    /// Catalog machine name.
    pub name: String,
    /// Catalog version.
    pub version: String,
    /// Catalog description.
    pub description: Vec<Block>,
    /// Number of event codes.
    pub event_count: usize,
    /// A code to show as an example in the intro (the first one).
    pub example_code: String,
    /// The selectors a webhook subscribes with, `all` first.
    pub selectors: Vec<SelectorRow>,
    /// The envelope.
    pub envelope: EnvelopeView,
    /// The delivery rules, one sentence each, when the catalog declares them.
    pub delivery: Option<Vec<String>>,
    /// Families in catalog order.
    pub families: Vec<FamilyView>,
    /// Every named type of the catalog, by name.
    pub types: Vec<TypeView>,
    /// Link to the JSON Schema of every event (relative to `docs/`).
    pub schema: String,
    /// What changed since the previous version, when it was given.
    pub changelog: Option<changelog::Changelog>,
}

/// One subscription selector of the intro.
#[derive(Debug, Clone)]
pub struct SelectorRow {
    /// `all` or `<family>.all`.
    pub selector: String,
    /// What it selects, plain text.
    pub what: String,
    /// Anchor of the family it selects, if one.
    pub family: Option<String>,
    /// How many codes it selects.
    pub count: usize,
}

/// The envelope.
#[derive(Debug, Clone)]
pub struct EnvelopeView {
    /// Its description.
    pub description: Vec<Block>,
    /// Wire name of the code field.
    pub discriminator: String,
    /// Wire name of the payload field.
    pub payload: String,
    /// Its fields (types linked, not expanded).
    pub fields: Vec<FieldRow>,
}

/// A family and its events.
#[derive(Debug, Clone)]
pub struct FamilyView {
    /// Id.
    pub id: String,
    /// HTML id / Markdown anchor of its section.
    pub anchor: String,
    /// Title.
    pub title: String,
    /// Its selector, `<id>.all`.
    pub selector: String,
    /// Description.
    pub description: Vec<Block>,
    /// Its events in order.
    pub events: Vec<EventView>,
}

/// One event's section.
#[derive(Debug, Clone)]
pub struct EventView {
    /// The code, also the section's anchor.
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Vec<Block>,
    /// `available`, `planned` or `deprecated`.
    pub status: &'static str,
    /// The deprecation message, for deprecated events.
    pub deprecation: Option<Vec<Block>>,
    /// Catalog version that introduced it.
    pub since: Option<String>,
    /// Selectors that include it: `all`, `<family>.all`, the code.
    pub selectors: Vec<String>,
    /// Payload type name.
    pub payload: String,
    /// Payload type description.
    pub payload_description: Vec<Block>,
    /// Top-level payload fields (listed by name; their table is in the
    /// payload type's entry of the Types section).
    pub fields: Vec<FieldRow>,
    /// Anchor of the payload type's entry in the Types section.
    pub payload_anchor: Option<String>,
    /// Link to the JSON Schema of the event (relative to `docs/`).
    pub schema: String,
    /// Examples.
    pub examples: Vec<ExampleView>,
    /// The changes to this event since the previous version (empty without
    /// a changelog).
    pub changes: Vec<changelog::EventChange>,
}

/// One row of a field table: one field (nested types are linked, not
/// expanded).
#[derive(Debug, Clone)]
pub struct FieldRow {
    /// Field name.
    pub name: String,
    /// The type, as readers see it (`string (uuid)`, `array of Group (object)`).
    pub ty: String,
    /// The type label split around the named type it holds, if any:
    /// (`array of `, `Group`, ` (object)`), with that type's anchor.
    pub ty_link: Option<TypeLink>,
    /// Constraints as (label, value) pairs.
    pub constraints: Vec<(&'static str, String)>,
    /// May be absent.
    pub optional: bool,
    /// May be `null`.
    pub nullable: bool,
    /// The deprecation message of a deprecated field.
    pub deprecated: Option<Vec<Block>>,
    /// Description.
    pub description: Vec<Block>,
}

/// A type label with a link to the named type in it.
#[derive(Debug, Clone)]
pub struct TypeLink {
    /// Text before the name (`array of `).
    pub before: String,
    /// The type name.
    pub name: String,
    /// Text after the name (` (object)`).
    pub after: String,
    /// Anchor of the type's entry in the Types section.
    pub anchor: String,
}

/// One entry of the Types section.
#[derive(Debug, Clone)]
pub struct TypeView {
    /// Name.
    pub name: String,
    /// HTML id / Markdown anchor: `type-<slug>`.
    pub anchor: String,
    /// `object`, `enum` or `alias`.
    pub kind: &'static str,
    /// Description.
    pub description: Vec<Block>,
    /// For objects: the fields.
    pub fields: Vec<FieldRow>,
    /// For enums: values and their descriptions.
    pub values: Vec<(String, Vec<Block>)>,
    /// For enums: whether unknown values may appear.
    pub extensible: bool,
    /// For aliases: the aliased type's label, and its link.
    pub alias_of: Option<(String, Option<TypeLink>)>,
    /// The type it is derived from (`partial<T>`), if any.
    pub derived_from: Option<String>,
}

/// One example.
#[derive(Debug, Clone)]
pub struct ExampleView {
    /// Heading: its name, or `Example`.
    pub title: String,
    /// Description.
    pub description: Vec<Block>,
    /// The JSON, pretty-printed.
    pub json: String,
}

impl Page {
    /// Builds the view of a catalog.
    pub fn new(catalog: &Catalog) -> Page {
        Page::since(catalog, None)
    }

    /// Builds the view of a catalog, with a changelog since `previous` when
    /// it is given.
    pub fn since(catalog: &Catalog, previous: Option<&Catalog>) -> Page {
        let log = previous.map(|p| changelog::build(p, catalog));
        let mut selectors = vec![SelectorRow {
            selector: "all".into(),
            what: "every event of every family".into(),
            family: None,
            count: catalog.events.len(),
        }];
        for f in &catalog.families {
            selectors.push(SelectorRow {
                selector: format!("{}.all", f.id),
                what: format!("every event of the family {}", f.title),
                family: Some(family_anchor(&f.id)),
                count: catalog.family_events(&f.id).count(),
            });
        }
        let anchors = type_anchors(catalog);
        let families = catalog
            .families
            .iter()
            .map(|f| FamilyView {
                id: f.id.clone(),
                anchor: family_anchor(&f.id),
                title: f.title.clone(),
                selector: format!("{}.all", f.id),
                description: markup::parse(&f.description),
                events: catalog
                    .family_events(&f.id)
                    .map(|e| {
                        let mut view = event_view(catalog, &anchors, e);
                        if let Some(log) = &log {
                            view.changes = changelog::for_event(log, &e.code);
                        }
                        view
                    })
                    .collect(),
            })
            .collect();
        let env = &catalog.envelope;
        Page {
            title: catalog.title.clone(),
            name: catalog.name.clone(),
            version: catalog.version.clone(),
            description: markup::parse(&catalog.description),
            event_count: catalog.events.len(),
            example_code: catalog
                .events
                .first()
                .map_or_else(|| "family.thing.happened".into(), |e| e.code.clone()),
            selectors,
            envelope: EnvelopeView {
                description: markup::parse(&env.description),
                discriminator: env.discriminator.clone(),
                payload: env.payload.clone(),
                fields: envelope_rows(catalog, &anchors, &env.fields),
            },
            delivery: catalog.delivery.as_ref().map(delivery_lines),
            families,
            types: catalog
                .types
                .values()
                .map(|t| type_view(catalog, &anchors, t))
                .collect(),
            schema: schema_link(json_schema::CATALOG_FILE),
            changelog: log,
        }
    }
}

/// Link from `docs/` to a file of the JSON Schema output.
fn schema_link(file: &str) -> String {
    format!("../{}/{file}", json_schema::DIR)
}

/// Anchor of a family's section: `family-<id>` (event codes never contain
/// `-`, so it cannot clash with an event's anchor).
pub fn family_anchor(id: &str) -> String {
    format!("family-{id}")
}

/// Anchor of a type's entry: `type-` and its name in lower case, every
/// character but `[a-z0-9_]` as `-` (`partial<User>`: `type-partial-user-`);
/// names that collide get `-2`, `-3`... in name order. Anchors stay within
/// `[a-z0-9_-]`, and never clash with an event (codes have no `-`) or a
/// family (`family-`).
pub fn type_anchors(catalog: &Catalog) -> BTreeMap<String, String> {
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for name in catalog.types.keys() {
        let slug: String = name
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                c @ ('a'..='z' | '0'..='9' | '_') => c,
                _ => '-',
            })
            .collect();
        let base = format!("type-{slug}");
        let mut anchor = base.clone();
        let mut n = 1;
        while !taken.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        out.insert(name.clone(), anchor);
    }
    out
}

type Anchors = BTreeMap<String, String>;

/// The names, field names and enum values of every type `root` reaches
/// (itself included), each once, in the order first met: what the page's search
/// matches in an event besides its own text (the page's script finds them
/// by following the type links; this is the same walk, for tests).
pub fn reachable_words(catalog: &Catalog, root: &str) -> Vec<String> {
    let mut seen_types = BTreeSet::new();
    let mut seen_words = BTreeSet::new();
    let mut words = Vec::new();
    let mut todo = vec![root.to_string()];
    let mut add = |w: &str, words: &mut Vec<String>| {
        if seen_words.insert(w.to_string()) {
            words.push(w.to_string());
        }
    };
    while let Some(name) = todo.pop() {
        if !seen_types.insert(name.clone()) {
            continue;
        }
        let Some(t) = catalog.types.get(&name) else {
            continue;
        };
        add(&t.name, &mut words);
        match &t.kind {
            TypeKind::Object(o) => {
                for f in &o.fields {
                    add(&f.name, &mut words);
                    named_types(&f.ty, &mut todo);
                }
            }
            TypeKind::Enum(en) => {
                for v in &en.values {
                    add(&v.value, &mut words);
                }
            }
            TypeKind::Alias(ty) => named_types(ty, &mut todo),
        }
    }
    words
}
