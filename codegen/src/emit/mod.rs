//! Emitters: pure functions from the resolved [`Catalog`] to generated files.
//!
//! Each emitter module exposes `emit(&Catalog) -> Vec<GeneratedFile>` with
//! paths relative to the output folder (`generated/` by default):
//! - `catalog-format.schema.json`: the catalog file format, for editors;
//! - `rust/`: a crate with the typed events ([`rust`]);
//! - `json-schema/`: JSON Schema 2020-12 per event and catalog-wide ([`json_schema`]);
//! - `docs/`: the event list page, HTML and Markdown ([`docs`]);
//! - `asyncapi.yaml`, `openapi.yaml`: AsyncAPI 3.0 and OpenAPI 3.1 ([`export`]).

pub mod docs;
pub mod export;
pub mod json_schema;
pub mod rust;

use crate::model::Catalog;
use crate::output::{json_comment, GeneratedFile};

/// Every output of the catalog, in a stable order.
pub fn all(catalog: &Catalog) -> Vec<GeneratedFile> {
    all_since(catalog, None)
}

/// Every output of the catalog, the docs with a changelog since `previous`
/// when it is given (the other outputs do not depend on it).
///
/// The emitters run in parallel (scoped threads: they only read the model),
/// the Rust crate, the longest, first.
pub fn all_since(catalog: &Catalog, previous: Option<&Catalog>) -> Vec<GeneratedFile> {
    let mut files = std::thread::scope(|s| {
        let rust = s.spawn(|| rust::emit(catalog));
        let docs = s.spawn(|| docs::emit_since(catalog, previous));
        let schemas = s.spawn(|| json_schema::emit(catalog));
        let mut files = vec![catalog_format_schema()];
        files.extend(export::emit(catalog));
        for part in [rust, docs, schemas] {
            match part.join() {
                Ok(f) => files.extend(f),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        files
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `catalog-format.schema.json`: the JSON Schema of catalog files.
pub fn catalog_format_schema() -> GeneratedFile {
    let mut schema = crate::format::catalog_format_schema();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("$comment".into(), json_comment().into());
    }
    GeneratedFile {
        path: "catalog-format.schema.json".into(),
        contents: to_json_text(&schema),
    }
}

/// Pretty JSON with a final newline: the form of every generated JSON file.
pub fn to_json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("a JSON value serializes");
    text.push('\n');
    // Every output is held until it is written: no spare capacity (the
    // buffer grew by doubling; 10,000 schemas add up).
    text.shrink_to_fit();
    text
}
