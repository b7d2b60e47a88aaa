//! OpenAPI 3.1: one `webhooks` entry per event code.
//!
//! - key and `operationId`: the event code; `summary` (the title),
//!   `description`, `tags` (its family), `deprecated` from the catalog;
//! - `requestBody`: required, `application/json`, schema = the code's
//!   envelope schema (OpenAPI 3.1 schemas are JSON Schema 2020-12, so it is
//!   the emitted schema as is, `$defs` moved to `components.schemas`), and
//!   the catalog's examples;
//! - `responses`: the catalog model has no delivery rules yet (the default
//!   catalog states them in its description), so only `2XX` ("received") and
//!   `default` are declared, the latter pointing at the description;
//! - status, `since`, deprecation message: `x-eventcat-*`.

use serde_json::{json, Map, Value};

use super::{
    catalog_extensions, code_extensions, describe, envelope_schema, family_tags, shared_schemas,
};
use crate::model::{Catalog, Status};

/// The OpenAPI 3.1 document of the catalog.
pub fn document(catalog: &Catalog) -> Value {
    skeleton(catalog, false)
}

/// The document; with `lazy`, `webhooks` holds [`super::ENTRIES`] in place
/// of the entries (see [`webhook`]).
pub(super) fn skeleton(catalog: &Catalog, lazy: bool) -> Value {
    let mut info = Map::new();
    info.insert("title".into(), catalog.title.clone().into());
    info.insert("version".into(), catalog.version.clone().into());
    describe(&mut info, &catalog.description);
    catalog_extensions(catalog, &mut info);

    let mut webhooks = Map::new();
    for ev in &catalog.events {
        if !lazy {
            webhooks.insert(ev.code.clone(), webhook(catalog, ev));
        }
    }

    let mut doc = Map::new();
    doc.insert("openapi".into(), "3.1.0".into());
    doc.insert("info".into(), Value::Object(info));
    doc.insert("tags".into(), family_tags(catalog));
    let webhooks = if lazy {
        Value::from(super::ENTRIES)
    } else {
        Value::Object(webhooks)
    };
    doc.insert("webhooks".into(), webhooks);
    doc.insert(
        "components".into(),
        json!({ "schemas": shared_schemas(catalog) }),
    );
    Value::Object(doc)
}

/// The entry of one event code: `webhooks.<code>`.
pub(super) fn webhook(catalog: &Catalog, ev: &crate::model::Event) -> Value {
    let mut media = Map::new();
    media.insert("schema".into(), envelope_schema(catalog, ev));
    if !ev.examples.is_empty() {
        let mut examples = Map::new();
        for (i, x) in ev.examples.iter().enumerate() {
            let mut e = Map::new();
            if let Some(name) = &x.name {
                e.insert("summary".into(), name.clone().into());
            }
            if let Some(d) = &x.description {
                describe(&mut e, d);
            }
            e.insert("value".into(), x.value.clone());
            examples.insert(format!("example-{}", i + 1), Value::Object(e));
        }
        media.insert("examples".into(), Value::Object(examples));
    }
    let mut op = Map::new();
    op.insert("operationId".into(), ev.code.clone().into());
    op.insert("tags".into(), json!([ev.family]));
    op.insert("summary".into(), ev.title.clone().into());
    describe(&mut op, &ev.description);
    if matches!(ev.status, Status::Deprecated { .. }) {
        op.insert("deprecated".into(), true.into());
    }
    code_extensions(ev, &mut op);
    op.insert(
        "requestBody".into(),
        json!({
            "required": true,
            "description": format!("The `{}` event envelope.", ev.code),
            "content": { "application/json": media },
        }),
    );
    op.insert(
        "responses".into(),
        json!({
            "2XX": { "description": "The event was received." },
            "default": { "description": "The event was not received; see the delivery rules in the API description for retries." },
        }),
    );
    json!({ "post": op })
}
