//! `docs/`: the event list page, as one self-contained HTML file
//! (`docs/events.html`) and as Markdown (`docs/events.md`).
//!
//! Both are rendered by askama templates (under `codegen/templates/docs/`)
//! from one view of the catalog, [`Page`], built here: the intro with the
//! subscription selectors, the envelope's fields, and per family its events,
//! each with its status, selectors, payload fields (nested fields expanded
//! into dotted paths) and examples; given the previous version of the
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
use crate::model::{Catalog, Constraints, Event, Field, Status, StringFormat, TypeKind, TypeRef};
use crate::output::GeneratedFile;
use markup::Block;

/// Path of the HTML page in the output folder.
pub const HTML_PATH: &str = "docs/events.html";
/// Path of the Markdown page in the output folder.
pub const MARKDOWN_PATH: &str = "docs/events.md";

/// How deep nested fields are expanded in a field table (a guard: catalogs
/// nest far less).
const MAX_DEPTH: usize = 12;

/// The docs files of a catalog: `docs/events.html` and `docs/events.md`.
pub fn emit(catalog: &Catalog) -> Vec<GeneratedFile> {
    emit_since(catalog, None)
}

/// The docs files, with a changelog section listing what changed since
/// `previous` when it is given.
pub fn emit_since(catalog: &Catalog, previous: Option<&Catalog>) -> Vec<GeneratedFile> {
    let page = Page::since(catalog, previous);
    vec![html::render(&page), markdown::render(&page)]
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
    /// Families in catalog order.
    pub families: Vec<FamilyView>,
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
    /// Its fields (nested fields expanded).
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
    /// Payload fields (nested fields expanded).
    pub fields: Vec<FieldRow>,
    /// Link to the JSON Schema of the event (relative to `docs/`).
    pub schema: String,
    /// Examples.
    pub examples: Vec<ExampleView>,
    /// The changes to this event since the previous version (empty without
    /// a changelog).
    pub changes: Vec<changelog::EventChange>,
    /// Lower-case text the search box matches against (code, title, family,
    /// payload type, description).
    pub search: String,
}

/// One row of a field table.
#[derive(Debug, Clone)]
pub struct FieldRow {
    /// Nesting depth, 0 for top-level fields.
    pub depth: usize,
    /// Path of the parent, with its separator (`resource.changes.`), or empty.
    pub parent: String,
    /// Field name.
    pub name: String,
    /// The type, as readers see it (`string (uuid)`, `array of Group (object)`).
    pub ty: String,
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
    /// For enum-typed fields: values and their descriptions.
    pub values: Vec<(String, Vec<Block>)>,
    /// For enum-typed fields: whether unknown values may appear.
    pub extensible: bool,
    /// The path of an ancestor with the same type, for recursive types (its
    /// fields are not repeated).
    pub recursive_of: Option<String>,
}

impl FieldRow {
    /// The full dotted path.
    pub fn path(&self) -> String {
        format!("{}{}", self.parent, self.name)
    }

    /// The parent path cut after each `.`, where a long path may wrap.
    pub fn parent_segments(&self) -> Vec<&str> {
        self.parent.split_inclusive('.').collect()
    }
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
                        let mut view = event_view(catalog, e, &f.title);
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
                fields: field_rows(catalog, &env.fields),
            },
            families,
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

fn event_view(catalog: &Catalog, e: &Event, family_title: &str) -> EventView {
    let description = markup::parse(&e.description);
    let payload_def = catalog.types.get(&e.payload);
    let payload_fields = catalog
        .object(&e.payload)
        .map(|o| o.fields.as_slice())
        .unwrap_or_default();
    let examples = e
        .examples
        .iter()
        .enumerate()
        .map(|(i, ex)| ExampleView {
            title: match &ex.name {
                Some(n) => n.clone(),
                None if e.examples.len() > 1 => format!("Example {}", i + 1),
                None => "Example".into(),
            },
            description: markup::parse(ex.description.as_deref().unwrap_or("")),
            json: serde_json::to_string_pretty(&ex.value).expect("a JSON value serializes"),
        })
        .collect();
    let search = [
        e.code.as_str(),
        &e.title,
        family_title,
        &e.payload,
        &markup::plain_text(&description),
    ]
    .join(" ")
    .to_lowercase();
    EventView {
        code: e.code.clone(),
        title: e.title.clone(),
        description,
        status: e.status.as_str(),
        deprecation: match &e.status {
            Status::Deprecated { message } => Some(markup::parse(message)),
            _ => None,
        },
        since: e.since.clone(),
        selectors: vec!["all".into(), format!("{}.all", e.family), e.code.clone()],
        payload: e.payload.clone(),
        payload_description: payload_def
            .map(|t| markup::parse(&t.description))
            .unwrap_or_default(),
        fields: field_rows(catalog, payload_fields),
        schema: schema_link(&json_schema::event_file(&e.code)),
        examples,
        changes: Vec::new(),
        search,
    }
}

/// The rows of a field table: every field, each followed by the fields of
/// its object type (through arrays, maps and aliases), recursively.
pub fn field_rows(catalog: &Catalog, fields: &[Field]) -> Vec<FieldRow> {
    let mut rows = Vec::new();
    let mut stack = Vec::new();
    expand(catalog, fields, "", 0, &mut stack, &mut rows);
    rows
}

fn expand(
    catalog: &Catalog,
    fields: &[Field],
    prefix: &str,
    depth: usize,
    stack: &mut Vec<(String, String)>,
    rows: &mut Vec<FieldRow>,
) {
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        let (values, extensible) = match enum_of(catalog, &f.ty, 0) {
            Some((vals, ext)) => (vals, ext),
            None => (Vec::new(), false),
        };
        let mut row = FieldRow {
            depth,
            parent: prefix.to_string(),
            name: f.name.clone(),
            ty: type_label(catalog, &f.ty),
            constraints: constraints(&f.constraints),
            optional: f.optional,
            nullable: f.nullable,
            deprecated: f.deprecated.as_deref().map(markup::parse),
            description: markup::parse(&f.description),
            values,
            extensible,
            recursive_of: None,
        };
        let child = object_of(catalog, &f.ty, String::new(), 0);
        let Some((tname, suffix)) = child else {
            rows.push(row);
            continue;
        };
        if let Some((_, at)) = stack.iter().find(|(n, _)| *n == tname) {
            row.recursive_of = Some(at.clone());
            rows.push(row);
            continue;
        }
        rows.push(row);
        if depth + 1 >= MAX_DEPTH {
            continue;
        }
        let Some(obj) = catalog.object(&tname) else {
            continue;
        };
        stack.push((tname, path.clone()));
        let child_prefix = format!("{path}{suffix}.");
        expand(catalog, &obj.fields, &child_prefix, depth + 1, stack, rows);
        stack.pop();
    }
}

/// The object type a field's values hold, through aliases, arrays (`[]`)
/// and maps (`.*`): its name and the path suffix to its fields.
fn object_of(
    catalog: &Catalog,
    ty: &TypeRef,
    suffix: String,
    hops: usize,
) -> Option<(String, String)> {
    if hops > 32 {
        return None;
    }
    match ty {
        TypeRef::Named(n) => match &catalog.types.get(n)?.kind {
            TypeKind::Object(_) => Some((n.clone(), suffix)),
            TypeKind::Alias(t) => object_of(catalog, t, suffix, hops + 1),
            TypeKind::Enum(_) => None,
        },
        TypeRef::Array(t) => object_of(catalog, t, format!("{suffix}[]"), hops + 1),
        TypeRef::Map(t) => object_of(catalog, t, format!("{suffix}.*"), hops + 1),
        _ => None,
    }
}

type EnumValues = (Vec<(String, Vec<Block>)>, bool);

/// The enum a field's values are from, through aliases, arrays and maps.
fn enum_of(catalog: &Catalog, ty: &TypeRef, hops: usize) -> Option<EnumValues> {
    if hops > 32 {
        return None;
    }
    match ty {
        TypeRef::Named(n) => match &catalog.types.get(n)?.kind {
            TypeKind::Enum(e) => Some((
                e.values
                    .iter()
                    .map(|v| {
                        (
                            v.value.clone(),
                            markup::parse(v.description.as_deref().unwrap_or("")),
                        )
                    })
                    .collect(),
                e.extensible,
            )),
            TypeKind::Alias(t) => enum_of(catalog, t, hops + 1),
            TypeKind::Object(_) => None,
        },
        TypeRef::Array(t) | TypeRef::Map(t) => enum_of(catalog, t, hops + 1),
        _ => None,
    }
}

/// A type as readers see it: JSON types, formats and type names, e.g.
/// `string (uuid)`, `DirectoryProvider (string enum)`,
/// `array of DirectoryGroup (object)`.
pub fn type_label(catalog: &Catalog, ty: &TypeRef) -> String {
    label(catalog, ty, 0)
}

fn label(catalog: &Catalog, ty: &TypeRef, hops: usize) -> String {
    match ty {
        TypeRef::String(StringFormat::Plain) => "string".into(),
        TypeRef::String(f) => format!("string ({})", f.keyword()),
        TypeRef::Integer => "integer".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Json => "any JSON value".into(),
        TypeRef::Const(c) => format!("string, always {}", serde_json::Value::from(c.as_str())),
        TypeRef::EventCode => "string (event code)".into(),
        TypeRef::Payload => "object (payload, by event code)".into(),
        TypeRef::Named(n) => match catalog.types.get(n).map(|t| &t.kind) {
            Some(TypeKind::Object(_)) => format!("{n} (object)"),
            Some(TypeKind::Enum(_)) => format!("{n} (string enum)"),
            Some(TypeKind::Alias(t)) if hops < 32 => {
                format!("{n} ({})", label(catalog, t, hops + 1))
            }
            _ => n.clone(),
        },
        TypeRef::Array(t) if hops < 32 => format!("array of {}", label(catalog, t, hops + 1)),
        TypeRef::Map(t) if hops < 32 => {
            format!("map of string to {}", label(catalog, t, hops + 1))
        }
        TypeRef::Array(_) => "array".into(),
        TypeRef::Map(_) => "map".into(),
    }
}

fn constraints(c: &Constraints) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(v) = c.minimum {
        out.push(("minimum", number(v)));
    }
    if let Some(v) = c.maximum {
        out.push(("maximum", number(v)));
    }
    if let Some(v) = c.min_length {
        out.push(("min length", v.to_string()));
    }
    if let Some(v) = c.max_length {
        out.push(("max length", v.to_string()));
    }
    if let Some(v) = &c.pattern {
        out.push(("pattern", v.clone()));
    }
    if let Some(v) = c.min_items {
        out.push(("min items", v.to_string()));
    }
    if let Some(v) = c.max_items {
        out.push(("max items", v.to_string()));
    }
    out
}

/// `400` for 400.0, `0.5` for 0.5.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
