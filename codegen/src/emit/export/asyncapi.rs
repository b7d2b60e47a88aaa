//! AsyncAPI 3.0: the webhook endpoint as one channel, one `send` operation
//! delivering every event, one message per event code.
//!
//! - message key and `name`: the event code; `title`, `summary` (the title)
//!   and `description` from the catalog; `tags`: its family;
//! - `payload`: the code's envelope schema (the discriminator fixed to the
//!   code by `const`), as an AsyncAPI Schema object (a superset of JSON Schema
//!   draft-07, which AsyncAPI 3.0 tools support and check; the emitted
//!   schemas use no 2020-12-only keyword once `$defs` moves to
//!   `components.schemas`);
//! - `examples`: the catalog's examples;
//! - status, `since`, deprecation: `x-eventcat-*` (a message has no such
//!   fields); a deprecated code's payload also carries `deprecated: true`;
//! - the trait `webhook` holds what every message shares (content type).

use serde_json::{json, Map, Value};

use super::{
    catalog_extensions, code_extensions, describe, envelope_schema, family_tags, shared_schemas,
};
use crate::model::Catalog;

/// The channel every event is sent on.
pub const CHANNEL: &str = "webhook";

/// The operation delivering the events.
pub const OPERATION: &str = "deliverEvent";

/// The AsyncAPI 3.0 document of the catalog.
pub fn document(catalog: &Catalog) -> Value {
    skeleton(catalog, false)
}

/// The document; with `lazy`, `components.messages` holds
/// [`super::ENTRIES`] in place of the messages (see [`message`]).
pub(super) fn skeleton(catalog: &Catalog, lazy: bool) -> Value {
    let mut info = Map::new();
    info.insert("title".into(), catalog.title.clone().into());
    info.insert("version".into(), catalog.version.clone().into());
    describe(&mut info, &catalog.description);
    info.insert("tags".into(), family_tags(catalog));
    catalog_extensions(catalog, &mut info);

    let mut channel_messages = Map::new();
    let mut operation_messages = Vec::new();
    let mut messages = Map::new();
    for ev in &catalog.events {
        channel_messages.insert(
            ev.code.clone(),
            json!({ "$ref": format!("#/components/messages/{}", pointer(&ev.code)) }),
        );
        operation_messages.push(json!({
            "$ref": format!("#/channels/{CHANNEL}/messages/{}", pointer(&ev.code))
        }));
        if !lazy {
            messages.insert(ev.code.clone(), message(catalog, ev));
        }
    }

    let mut doc = Map::new();
    doc.insert("asyncapi".into(), "3.0.0".into());
    doc.insert("info".into(), Value::Object(info));
    doc.insert("defaultContentType".into(), "application/json".into());
    doc.insert(
        "channels".into(),
        json!({
            CHANNEL: {
                "title": "Webhook endpoint",
                "description": "The subscriber's endpoint. Each event is sent to it as an HTTP `POST` whose JSON body is the event envelope; the address is the one the subscriber registered.",
                "messages": channel_messages,
            }
        }),
    );
    doc.insert(
        "operations".into(),
        json!({
            OPERATION: {
                "action": "send",
                "channel": { "$ref": format!("#/channels/{CHANNEL}") },
                "title": "Deliver an event",
                "summary": "Sends one event to a subscribed endpoint.",
                "description": "The producer sends every event whose code the webhook selects (an explicit code, `all`, or `<family>.all`: see `x-eventcat-selectors` in `info`).",
                "bindings": { "http": { "method": "POST", "bindingVersion": "0.3.0" } },
                "messages": operation_messages,
            }
        }),
    );
    doc.insert(
        "components".into(),
        json!({
            "schemas": shared_schemas(catalog),
            "messages": if lazy { Value::from(super::ENTRIES) } else { Value::Object(messages) },
            "messageTraits": {
                "webhook": { "contentType": "application/json" }
            },
        }),
    );
    Value::Object(doc)
}

/// A JSON Pointer token (codes may hold `/` or `~` in other catalogs).
fn pointer(token: &str) -> String {
    crate::emit::json_schema::escape_pointer(token)
}

/// The message of one event code: `components.messages.<code>`.
pub(super) fn message(catalog: &Catalog, ev: &crate::model::Event) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), ev.code.clone().into());
    m.insert("title".into(), ev.title.clone().into());
    m.insert("summary".into(), ev.title.clone().into());
    describe(&mut m, &ev.description);
    m.insert("tags".into(), json!([{ "name": ev.family }]));
    m.insert(
        "traits".into(),
        json!([{ "$ref": "#/components/messageTraits/webhook" }]),
    );
    code_extensions(ev, &mut m);
    m.insert("payload".into(), envelope_schema(catalog, ev));
    if !ev.examples.is_empty() {
        let examples: Vec<Value> = ev
            .examples
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let mut e = Map::new();
                e.insert("name".into(), format!("example-{}", i + 1).into());
                if let Some(name) = &x.name {
                    e.insert("summary".into(), name.clone().into());
                }
                e.insert("payload".into(), x.value.clone());
                Value::Object(e)
            })
            .collect();
        m.insert("examples".into(), Value::Array(examples));
    }
    Value::Object(m)
}
