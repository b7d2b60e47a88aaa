//! Exports of the catalog to the formats other tools read:
//! - `asyncapi.yaml`: AsyncAPI 3.0 ([`asyncapi`]);
//! - `openapi.yaml`: OpenAPI 3.1, one `webhooks` entry per code ([`openapi`]).
//!
//! Both reuse the JSON Schema emitter: the per-code envelope schema becomes
//! the message payload or request body, and the shared types (the `$defs`
//! of the catalog-wide schema) move to `components.schemas` once, with every
//! `#/$defs/X` reference rewritten to `#/components/schemas/X` (references
//! resolve from the document root in both formats).
//!
//! What the target formats cannot say is carried in `x-eventcat-*`
//! extensions rather than dropped: the catalog's name and discriminator, the
//! selectors (`all`, `<family>.all`), each code's status, `since` and
//! deprecation message, and the JSON Schema extensions the schemas already
//! carry (`x-extensible`, `x-partial-of`, `x-status`).

pub mod asyncapi;
pub mod openapi;
pub mod yaml;

use serde_json::{Map, Value};

use super::json_schema::{self, insert_description as describe, Options};
use crate::model::{Catalog, Event, Status};
use crate::output::{header, GeneratedFile};

/// A document format for `eventcat export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// AsyncAPI 3.0.
    AsyncApi,
    /// OpenAPI 3.1 (`webhooks`).
    OpenApi,
}

impl Target {
    /// The file it is written to by `eventcat generate`.
    pub fn path(self) -> &'static str {
        match self {
            Target::AsyncApi => "asyncapi.yaml",
            Target::OpenApi => "openapi.yaml",
        }
    }

    /// The document, as a JSON value.
    pub fn document(self, catalog: &Catalog) -> Value {
        match self {
            Target::AsyncApi => asyncapi::document(catalog),
            Target::OpenApi => openapi::document(catalog),
        }
    }
}

/// Both exports, as YAML files with the generated header.
pub fn emit(catalog: &Catalog) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    emit_each(catalog, &mut |f| files.push(f));
    files
}

/// [`emit`], each file handed to `put` as soon as it is made (one
/// document in memory at a time).
pub fn emit_each(catalog: &Catalog, put: &mut dyn FnMut(GeneratedFile)) {
    for t in [Target::AsyncApi, Target::OpenApi] {
        put(GeneratedFile {
            path: t.path().into(),
            contents: to_yaml(t, catalog),
        });
    }
}

/// One export as YAML, after the generated header (a `#` comment).
///
/// The same text as writing [`Target::document`], but the per-code map
/// (AsyncAPI `components.messages`, OpenAPI `webhooks`), nearly all of the
/// document, is written one entry at a time: the document is made with
/// `ENTRIES` in its place, and the entries are written where that
/// line is, so one code's value is in memory at a time.
pub fn to_yaml(target: Target, catalog: &Catalog) -> String {
    let mut out = header(target.path());
    if catalog.events.is_empty() {
        out.push_str(&yaml::to_yaml(&target.document(catalog)));
        return out;
    }
    let skeleton = match target {
        Target::AsyncApi => asyncapi::skeleton(catalog, true),
        Target::OpenApi => openapi::skeleton(catalog, true),
    };
    let text = yaml::to_yaml(&skeleton);
    drop(skeleton);
    let marker = format!(": {}\n", yaml::scalar_text(&Value::from(ENTRIES)));
    let Some(at) = text.find(&marker) else {
        // Cannot happen (the skeleton holds the marker); the slow way.
        out.push_str(&yaml::to_yaml(&target.document(catalog)));
        return out;
    };
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let ind = text[line_start..at].len() - text[line_start..at].trim_start().len();
    out.push_str(&text[..at]);
    out.push_str(":\n");
    for ev in &catalog.events {
        let value = match target {
            Target::AsyncApi => asyncapi::message(catalog, ev),
            Target::OpenApi => openapi::webhook(catalog, ev),
        };
        yaml::write_entry(&mut out, &ev.code, &value, ind + 2);
    }
    out.push_str(&text[at + marker.len()..]);
    out
}

/// What the per-code map holds in a document made to be written one entry
/// at a time (see [`to_yaml`]): no catalog text can be this string.
const ENTRIES: &str = "\u{0}eventcat: the entries, one per code\u{0}";

/// The prefix shared types are referenced by.
pub const COMPONENTS_SCHEMAS: &str = "#/components/schemas/";

/// The shared types of the catalog, once: the catalog-wide schema's `$defs`,
/// references rewritten to [`COMPONENTS_SCHEMAS`].
pub fn shared_schemas(catalog: &Catalog) -> Value {
    let mut all = json_schema::catalog_schema(catalog, Options::default());
    let mut defs = all
        .as_object_mut()
        .and_then(|o| o.remove("$defs"))
        .unwrap_or_else(|| Value::Object(Map::new()));
    rewrite_refs(&mut defs);
    defs
}

/// The envelope schema of one code, without the schema-file keys (`$schema`,
/// `$id`, `$comment`, `$defs`, `examples`), references rewritten.
pub fn envelope_schema(catalog: &Catalog, event: &Event) -> Value {
    let mut s = json_schema::event_envelope(catalog, event, Options::default());
    rewrite_refs(&mut s);
    s
}

/// Rewrites every `#/$defs/X` reference to `#/components/schemas/X`.
fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if k == "$ref" {
                    if let Value::String(r) = v {
                        if let Some(rest) = r.strip_prefix("#/$defs/") {
                            *r = format!("{COMPONENTS_SCHEMAS}{rest}");
                        }
                    }
                } else {
                    rewrite_refs(v);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}

/// `x-eventcat-*` facts of a code that neither format has a field for.
pub fn code_extensions(event: &Event, into: &mut Map<String, Value>) {
    into.insert("x-eventcat-status".into(), event.status.as_str().into());
    if let Some(since) = &event.since {
        into.insert("x-eventcat-since".into(), since.clone().into());
    }
    if let Status::Deprecated { message } = &event.status {
        into.insert("x-eventcat-deprecation".into(), message.clone().into());
    }
}

/// `x-eventcat-*` facts of the catalog: its name, the discriminator and
/// payload keys of the envelope, and the selectors a subscriber may use.
pub fn catalog_extensions(catalog: &Catalog, into: &mut Map<String, Value>) {
    into.insert("x-eventcat-catalog".into(), catalog.name.clone().into());
    into.insert(
        "x-eventcat-envelope".into(),
        serde_json::json!({
            "discriminator": catalog.envelope.discriminator,
            "payload": catalog.envelope.payload,
        }),
    );
    let mut selectors = vec![Value::from("all")];
    selectors.extend(
        catalog
            .families
            .iter()
            .map(|f| Value::from(format!("{}.all", f.id))),
    );
    into.insert("x-eventcat-selectors".into(), Value::Array(selectors));
}

/// Families as tags (`name` = family id).
pub fn family_tags(catalog: &Catalog) -> Value {
    Value::Array(
        catalog
            .families
            .iter()
            .map(|f| {
                let mut t = Map::new();
                t.insert("name".into(), f.id.clone().into());
                let d = if f.description.is_empty() {
                    f.title.clone()
                } else {
                    format!("{}: {}", f.title, f.description)
                };
                t.insert("description".into(), d.into());
                Value::Object(t)
            })
            .collect(),
    )
}
