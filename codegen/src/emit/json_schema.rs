//! JSON Schema (draft 2020-12) of the catalog's events: the producer contract.
//!
//! Written under `json-schema/`:
//! - `<code>.schema.json` for every event code: the envelope with the
//!   discriminator fixed to that code (`const`) and the payload its type, the
//!   types it uses in `$defs`, the event's description and examples;
//! - `events.schema.json`: any event of the catalog. The discriminator must
//!   be one of the codes (`enum`), and one `if`/`then` per code checks the
//!   payload against that code's type, so a generic validator reports errors
//!   for the event's own code rather than a wall of `oneOf` failures.
//!
//! The schemas hold producers strictly: every object has
//! `additionalProperties: false` (see [`Options::allow_unknown_fields`] for
//! the lenient variant `eventcat validate --allow-unknown-fields` uses), and
//! every enum, extensible or not, lists only its declared values (extensible
//! ones are marked `x-extensible: true`; consumers keep unknown values, see
//! the generated Rust types). Optional fields are left out of `required`;
//! nullable ones also accept `null`: the two are independent.
//!
//! Formats: `uuid`, `email`, `uri`, `date` and `date-time` are the standard
//! formats, with the meaning [`crate::formats`] gives them (what `eventcat
//! validate` checks and the Rust types accept); a `date-time` also carries
//! [`DATE_TIME_PATTERN`] (at most 9 fraction digits). A date-time without offset (`local-date-time`, e.g.
//! `2024-03-22T17:14:27`) has no standard format: its schema carries both a
//! custom `format: "local-date-time"` (checked by [`is_local_date_time`] when
//! a validator is taught it) and a [`LOCAL_DATE_TIME_PATTERN`], so any
//! validator enforces the shape.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::model::{
    Catalog, Constraint, Constraints, EnvelopeField, Event, Field, Slot, StringFormat, TypeDef,
    TypeKind, TypeRef,
};
use crate::output::{json_comment, GeneratedFile};

use super::to_json_text;

/// The meta-schema every emitted schema declares.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Folder (relative to the output folder) the schemas are written to.
pub const DIR: &str = "json-schema";

/// File name of the catalog-wide schema.
pub const CATALOG_FILE: &str = "events.schema.json";

/// The custom `format` name of date-times without offset.
pub const LOCAL_DATE_TIME_FORMAT: &str = "local-date-time";

/// ECMA-262 pattern of a date-time without offset: `YYYY-MM-DDTHH:MM:SS`,
/// optionally with a fraction of a second of 1 to 9 digits. Month, day,
/// hour, minute and second ranges are checked; day-of-month against the
/// month is left to [`is_local_date_time`].
pub const LOCAL_DATE_TIME_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?$";

/// ECMA-262 pattern every `date-time` also carries: the RFC 3339 shape with
/// at most 9 fraction digits (what the Rust types hold, nanoseconds), so a
/// validator that only knows the standard `date-time` format rejects a
/// longer fraction as eventcat's own check ([`crate::formats`]) does.
pub const DATE_TIME_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$";

/// How to build the schemas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Leave objects open (no `additionalProperties: false`): fields the
    /// catalog does not declare are accepted. The emitted files are always
    /// strict; this is for `eventcat validate --allow-unknown-fields`.
    pub allow_unknown_fields: bool,
}

/// Every JSON Schema file of the catalog (strict), paths under [`DIR`],
/// sorted.
pub fn emit(catalog: &Catalog) -> Vec<GeneratedFile> {
    let mut files = Vec::with_capacity(catalog.events.len() + 1);
    emit_each(catalog, &mut |f| files.push(f));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// [`emit`], each file handed to `put` as soon as it is made (one event's
/// schema in memory at a time).
pub fn emit_each(catalog: &Catalog, put: &mut dyn FnMut(GeneratedFile)) {
    let options = Options::default();
    for e in &catalog.events {
        put(GeneratedFile {
            path: format!("{DIR}/{}", event_file(&e.code)),
            contents: to_json_text(&event_schema(catalog, e, options)),
        });
    }
    put(GeneratedFile {
        path: format!("{DIR}/{CATALOG_FILE}"),
        contents: to_json_text(&catalog_schema(catalog, options)),
    });
}

/// File name of the schema of one event code.
pub fn event_file(code: &str) -> String {
    format!("{code}.schema.json")
}

/// The `$id` of a schema file of the catalog: a URN naming the catalog and
/// the file, stable across runs and machines (the catalog has no home URL).
/// Characters of the name that a URN cannot hold (a space, `/`, `%`,
/// non-ASCII...) are percent-encoded, so any name gives a valid URI.
pub fn schema_id(catalog: &Catalog, file: &str) -> String {
    let mut name = String::with_capacity(catalog.name.len());
    for b in catalog.name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            name.push(b as char);
        } else {
            name.push_str(&format!("%{b:02X}"));
        }
    }
    format!("urn:eventcat:{name}:{file}")
}

/// The schema of one event code: its whole envelope.
pub fn event_schema(catalog: &Catalog, event: &Event, options: Options) -> Value {
    let b = Builder { catalog, options };
    let mut root = Map::new();
    root.insert("$comment".into(), json_comment().into());
    root.insert("$schema".into(), DRAFT.into());
    root.insert(
        "$id".into(),
        schema_id(catalog, &event_file(&event.code)).into(),
    );
    root.append(&mut envelope_keys(&b, event));
    if !event.examples.is_empty() {
        root.insert(
            "examples".into(),
            Value::Array(event.examples.iter().map(|x| x.value.clone()).collect()),
        );
    }
    let mut roots = BTreeSet::new();
    collect_fields(catalog.envelope.plain_fields(), &mut roots);
    roots.insert(event.payload.clone());
    root.insert("$defs".into(), b.defs(roots));
    Value::Object(root)
}

/// The envelope schema of one code without the schema-file keys (`$comment`,
/// `$schema`, `$id`, `examples`, `$defs`): its references point to
/// `#/$defs/<type>`, for a document that holds the types elsewhere (the
/// AsyncAPI and OpenAPI exports). Costs only the envelope, not the types the
/// code reaches.
pub fn event_envelope(catalog: &Catalog, event: &Event, options: Options) -> Value {
    Value::Object(envelope_keys(&Builder { catalog, options }, event))
}

fn envelope_keys(b: &Builder, event: &Event) -> Map<String, Value> {
    let mut root = Map::new();
    root.insert("title".into(), event.title.clone().into());
    insert_description(&mut root, &event.description);
    if let crate::model::Status::Deprecated { message } = &event.status {
        root.insert("deprecated".into(), true.into());
        root.insert("x-deprecation".into(), message.clone().into());
    }
    root.insert("x-status".into(), event.status.as_str().into());
    let mut obj = b.envelope(Some(event));
    root.append(&mut obj);
    root
}

/// The catalog-wide schema: any event of the catalog.
pub fn catalog_schema(catalog: &Catalog, options: Options) -> Value {
    let b = Builder { catalog, options };
    let mut root = Map::new();
    root.insert("$comment".into(), json_comment().into());
    root.insert("$schema".into(), DRAFT.into());
    root.insert("$id".into(), schema_id(catalog, CATALOG_FILE).into());
    root.insert("title".into(), catalog.title.clone().into());
    insert_description(&mut root, &catalog.envelope.description);
    let mut obj = b.envelope(None);
    root.append(&mut obj);
    let disc = &catalog.envelope.discriminator;
    let payload = &catalog.envelope.payload;
    let dispatch: Vec<Value> = catalog
        .events
        .iter()
        .map(|e| {
            let mut then = Map::new();
            then.insert("title".into(), e.title.clone().into());
            if matches!(e.status, crate::model::Status::Deprecated { .. }) {
                then.insert("deprecated".into(), true.into());
            }
            then.insert(
                "properties".into(),
                json!({ payload: { "$ref": def_ref(&e.payload) } }),
            );
            json!({
                "if": {
                    "properties": { disc: { "const": e.code } },
                    "required": [disc],
                },
                "then": then,
            })
        })
        .collect();
    root.insert("allOf".into(), Value::Array(dispatch));
    let mut roots = BTreeSet::new();
    collect_fields(catalog.envelope.plain_fields(), &mut roots);
    for e in &catalog.events {
        roots.insert(e.payload.clone());
    }
    root.insert("$defs".into(), b.defs(roots));
    Value::Object(root)
}

pub use crate::formats::is_local_date_time;

/// Inserts `description` (trailing whitespace trimmed) unless it is empty.
pub(crate) fn insert_description(obj: &mut Map<String, Value>, text: &str) {
    if !text.trim().is_empty() {
        obj.insert("description".into(), text.trim_end().into());
    }
}

fn def_ref(name: &str) -> String {
    format!("#/$defs/{}", escape_pointer(name))
}

/// Escapes one JSON Pointer token (`~` and `/`).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Adds the named types a list of fields refers to.
fn collect_fields<'a>(fields: impl IntoIterator<Item = &'a Field>, out: &mut BTreeSet<String>) {
    for f in fields {
        collect_ref(&f.ty, out);
    }
}

fn collect_ref(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Array(t) | TypeRef::Map(t) => collect_ref(t, out),
        _ => {}
    }
}

struct Builder<'a> {
    catalog: &'a Catalog,
    options: Options,
}

impl Builder<'_> {
    /// `$defs`: the named types reachable from `roots`, by name.
    fn defs(&self, roots: BTreeSet<String>) -> Value {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = roots.into_iter().collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let mut next = BTreeSet::new();
            match self.catalog.types.get(&name).map(|t| &t.kind) {
                Some(TypeKind::Object(o)) => collect_fields(&o.fields, &mut next),
                Some(TypeKind::Alias(t)) => collect_ref(t, &mut next),
                _ => {}
            }
            todo.extend(next.into_iter().filter(|n| !seen.contains(n)));
        }
        // `seen` is in the types' (name) order: no pass over every type per
        // event (that made the schemas quadratic in the catalog's size).
        let mut defs = Map::new();
        for name in &seen {
            if let Some(def) = self.catalog.types.get(name) {
                defs.insert(name.clone(), self.type_def(def));
            }
        }
        Value::Object(defs)
    }

    fn type_def(&self, def: &TypeDef) -> Value {
        let mut s = Map::new();
        s.insert("title".into(), def.name.clone().into());
        insert_description(&mut s, &def.description);
        match &def.kind {
            TypeKind::Object(o) => {
                if let Some(of) = &def.derived_from {
                    s.insert("x-partial-of".into(), of.clone().into());
                }
                s.append(&mut self.object(&o.fields));
            }
            TypeKind::Enum(e) => {
                s.insert("type".into(), "string".into());
                s.insert(
                    "enum".into(),
                    Value::Array(e.values.iter().map(|v| v.value.clone().into()).collect()),
                );
                if e.extensible {
                    s.insert("x-extensible".into(), true.into());
                }
                let described: Map<String, Value> = e
                    .values
                    .iter()
                    .filter_map(|v| {
                        let d = v.description.as_ref()?;
                        Some((v.value.clone(), d.clone().into()))
                    })
                    .collect();
                if !described.is_empty() {
                    s.insert("x-enum-descriptions".into(), Value::Object(described));
                }
            }
            TypeKind::Alias(t) => {
                if let Value::Object(mut inner) = self.type_ref(t) {
                    s.append(&mut inner);
                }
            }
        }
        Value::Object(s)
    }

    /// `type`, `properties`, `required` and `additionalProperties` of an
    /// object with these fields.
    fn object(&self, fields: &[Field]) -> Map<String, Value> {
        self.properties(
            fields
                .iter()
                .map(|f| (f.name.as_str(), self.field(f), !f.optional)),
        )
    }

    /// [`Self::object`] of the envelope. `event`: the code its discriminator
    /// is fixed to (`None`: any code of the catalog).
    fn envelope(&self, event: Option<&Event>) -> Map<String, Value> {
        self.properties(self.catalog.envelope.fields.iter().map(|f| match f {
            EnvelopeField::Plain(p) => (p.name.as_str(), self.field(p), !p.optional),
            EnvelopeField::Discriminator(s) => slot_property(s, self.code_schema(event)),
            EnvelopeField::Payload(s) => slot_property(s, payload_schema(event)),
        }))
    }

    /// An object of these properties: (name, schema, required), in wire order.
    fn properties<'a>(
        &self,
        fields: impl Iterator<Item = (&'a str, Value, bool)>,
    ) -> Map<String, Value> {
        let mut props = Map::new();
        let mut required = Vec::new();
        for (name, schema, req) in fields {
            props.insert(name.to_string(), schema);
            if req {
                required.push(Value::from(name.to_string()));
            }
        }
        let mut s = Map::new();
        s.insert("type".into(), "object".into());
        s.insert("properties".into(), Value::Object(props));
        s.insert("required".into(), Value::Array(required));
        if !self.options.allow_unknown_fields {
            s.insert("additionalProperties".into(), false.into());
        }
        s
    }

    fn field(&self, f: &Field) -> Value {
        let mut s = match self.type_ref(&f.ty) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        if f.nullable {
            s = nullable(s);
        }
        constraints(&mut s, &f.constraints);
        annotated(&f.description, f.deprecated.as_deref(), Value::Object(s))
    }

    /// The discriminator's schema: `event`'s code, or any code of the catalog.
    fn code_schema(&self, event: Option<&Event>) -> Value {
        match event {
            Some(e) => json!({ "const": e.code }),
            None => json!({
                "type": "string",
                "enum": self.catalog.events.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(),
            }),
        }
    }

    fn type_ref(&self, ty: &TypeRef) -> Value {
        match ty {
            TypeRef::String(f) => string_schema(*f),
            // A catalog integer is a whole number in the i64 range (what
            // the Rust types hold): the range is explicit, a field's own
            // bounds narrow it (see `constraints`).
            TypeRef::Integer => {
                json!({ "type": "integer", "minimum": i64::MIN, "maximum": i64::MAX })
            }
            TypeRef::Number => json!({ "type": "number" }),
            TypeRef::Boolean => json!({ "type": "boolean" }),
            TypeRef::Json => json!({}),
            TypeRef::Const(c) => json!({ "const": c }),
            TypeRef::Named(n) => json!({ "$ref": def_ref(n) }),
            TypeRef::Array(t) => json!({ "type": "array", "items": self.type_ref(t) }),
            TypeRef::Map(t) => {
                json!({ "type": "object", "additionalProperties": self.type_ref(t) })
            }
        }
    }
}

/// The payload's schema: `event`'s payload type, or any object.
fn payload_schema(event: Option<&Event>) -> Value {
    match event {
        Some(e) => json!({ "$ref": def_ref(&e.payload) }),
        // Checked by the `if`/`then` of the event's code.
        None => json!({ "type": "object" }),
    }
}

/// A slot's property for [`Builder::properties`]: always required, its
/// description, then `schema`.
fn slot_property(s: &Slot, schema: Value) -> (&str, Value, bool) {
    (&s.name, annotated(&s.description, None, schema), true)
}

/// A property's schema: its description and deprecation first, then the
/// keywords of `schema`, so files read top-down.
fn annotated(description: &str, deprecated: Option<&str>, schema: Value) -> Value {
    let mut out = Map::new();
    insert_description(&mut out, description);
    if let Some(why) = deprecated {
        out.insert("deprecated".into(), true.into());
        out.insert("x-deprecation".into(), why.into());
    }
    if let Value::Object(mut s) = schema {
        out.append(&mut s);
    }
    Value::Object(out)
}

fn string_schema(f: StringFormat) -> Value {
    match f {
        StringFormat::Plain => json!({ "type": "string" }),
        StringFormat::LocalDateTime => json!({
            "type": "string",
            "format": LOCAL_DATE_TIME_FORMAT,
            "pattern": LOCAL_DATE_TIME_PATTERN,
        }),
        StringFormat::DateTime => json!({
            "type": "string",
            "format": "date-time",
            "pattern": DATE_TIME_PATTERN,
        }),
        other => json!({ "type": "string", "format": other.keyword() }),
    }
}

/// The same schema, also accepting `null`.
fn nullable(mut s: Map<String, Value>) -> Map<String, Value> {
    if s.is_empty() {
        return s; // any JSON value, null included
    }
    if let Some(Value::String(t)) = s.get("type") {
        let t = t.clone();
        s.insert("type".into(), json!([t, "null"]));
        if let Some(Value::Array(values)) = s.get_mut("enum") {
            values.push(Value::Null);
        }
        return s;
    }
    if let Some(c) = s.remove("const") {
        s.insert("enum".into(), json!([c, null]));
        return s;
    }
    let mut out = Map::new();
    out.insert(
        "anyOf".into(),
        json!([Value::Object(s), { "type": "null" }]),
    );
    out
}

fn constraints(s: &mut Map<String, Value>, c: &Constraints) {
    // An integer already has the i64 range: a catalog bound replaces it
    // only when tighter.
    let within = |s: &Map<String, Value>, key: &str, tighter: &dyn Fn(f64, f64) -> bool, x: f64| {
        s.get(key)
            .and_then(Value::as_f64)
            .is_none_or(|range| tighter(x, range))
    };
    for k in c.iter() {
        let key = k.keyword();
        match k {
            Constraint::Minimum(x) if !within(s, key, &|x, r| x > r, x) => {}
            Constraint::Maximum(x) if !within(s, key, &|x, r| x < r, x) => {}
            // A local-date-time field already has its pattern: keep both.
            Constraint::Pattern(p) if s.contains_key(key) => {
                let own = s.remove(key).unwrap_or_default();
                s.insert(
                    "allOf".into(),
                    json!([{ "pattern": own }, { "pattern": p }]),
                );
            }
            _ => {
                s.insert(key.into(), k.value_json());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_date_time() {
        for ok in [
            "2024-03-22T17:14:27",
            "2024-02-29T00:00:00",
            "2024-03-22T17:14:27.123456",
            "1999-12-31T23:59:60",
        ] {
            assert!(is_local_date_time(ok), "{ok}");
        }
        for bad in [
            "2024-03-22T17:14:27Z",
            "2024-03-22T17:14:27+01:00",
            "2023-02-29T00:00:00",
            "2024-13-01T00:00:00",
            "2024-03-22 17:14:27",
            "2024-03-22T24:00:00",
            "2024-03-22T17:14",
            "2024-03-22T17:14:27.",
            "2024-03-32T17:14:27",
            "２024-03-22T17:14:27",
            "",
        ] {
            assert!(!is_local_date_time(bad), "{bad}");
        }
    }
}
