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
/// when it is given (the other outputs do not depend on it), sorted by path.
pub fn all_since(catalog: &Catalog, previous: Option<&Catalog>) -> Vec<GeneratedFile> {
    let files = std::sync::Mutex::new(Vec::new());
    each_since(catalog, previous, &|f| {
        files.lock().unwrap_or_else(|e| e.into_inner()).push(f)
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// [`all_since`], each file handed to `put` as soon as it is made, in no
/// fixed order and from two threads: the Rust crate, the longest, renders
/// on one while the others render one after another on the caller's. With
/// an [`crate::output::Writer`] as `put`, a run holds one emitter's work
/// per thread, not every output (at 10,000 codes, 366 MB of text).
pub fn each_since(
    catalog: &Catalog,
    previous: Option<&Catalog>,
    put: &(dyn Fn(GeneratedFile) + Sync),
) {
    std::thread::scope(|s| {
        let rust = s.spawn(|| rust::emit(catalog).into_iter().for_each(put));
        put(catalog_format_schema());
        docs::emit_each_since(catalog, previous, &mut |f| put(f));
        json_schema::emit_each(catalog, &mut |f| put(f));
        export::emit_each(catalog, &mut |f| put(f));
        if let Err(panic) = rust.join() {
            std::panic::resume_unwind(panic);
        }
    });
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
