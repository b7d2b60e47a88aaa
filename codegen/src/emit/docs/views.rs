//! The page's views of events, types and fields: what each row and
//! section shows, built from the model.

#[allow(unused_imports)]
use super::*;

pub(super) fn event_view(catalog: &Catalog, anchors: &Anchors, e: &Event) -> EventView {
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
        fields: field_rows(catalog, anchors, payload_fields),
        payload_anchor: anchors.get(&e.payload).cloned(),
        schema: schema_link(&json_schema::event_file(&e.code)),
        examples,
        changes: Vec::new(),
    }
}

/// The named type a type expression holds, through arrays and maps.
pub(super) fn named_types(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Array(t) | TypeRef::Map(t) => named_types(t, out),
        _ => {}
    }
}

pub(super) fn type_view(catalog: &Catalog, anchors: &Anchors, t: &TypeDef) -> TypeView {
    let mut view = TypeView {
        name: t.name.clone(),
        anchor: anchors[&t.name].clone(),
        kind: "object",
        description: markup::parse(&t.description),
        fields: Vec::new(),
        values: Vec::new(),
        extensible: false,
        alias_of: None,
        derived_from: t.derived_from.clone(),
    };
    match &t.kind {
        TypeKind::Object(o) => view.fields = field_rows(catalog, anchors, &o.fields),
        TypeKind::Enum(e) => {
            view.kind = "enum";
            view.extensible = e.extensible;
            view.values = e
                .values
                .iter()
                .map(|v| {
                    (
                        v.value.clone(),
                        markup::parse(v.description.as_deref().unwrap_or("")),
                    )
                })
                .collect();
        }
        TypeKind::Alias(ty) => {
            view.kind = "alias";
            view.alias_of = Some((type_label(catalog, ty), type_link(catalog, anchors, ty)));
        }
    }
    view
}

/// The rows of a field table: one per field, in order; a field's type is
/// linked to its entry in the Types section, not expanded.
pub fn field_rows(catalog: &Catalog, anchors: &Anchors, fields: &[Field]) -> Vec<FieldRow> {
    fields
        .iter()
        .map(|f| field_row(catalog, anchors, f))
        .collect()
}

/// The rows of the envelope's fields, in wire order: the discriminator and
/// the payload are required, never `null`, and typed by the events.
pub fn envelope_rows(
    catalog: &Catalog,
    anchors: &Anchors,
    fields: &[EnvelopeField],
) -> Vec<FieldRow> {
    let slot = |s: &Slot, ty: &str| FieldRow {
        name: s.name.clone(),
        ty: ty.into(),
        ty_link: None,
        constraints: Vec::new(),
        optional: false,
        nullable: false,
        deprecated: None,
        description: markup::parse(&s.description),
    };
    fields
        .iter()
        .map(|f| match f {
            EnvelopeField::Discriminator(s) => slot(s, "string (event code)"),
            EnvelopeField::Payload(s) => slot(s, "object (payload, by event code)"),
            EnvelopeField::Plain(f) => field_row(catalog, anchors, f),
        })
        .collect()
}

/// The row of one field.
fn field_row(catalog: &Catalog, anchors: &Anchors, f: &Field) -> FieldRow {
    FieldRow {
        name: f.name.clone(),
        ty: type_label(catalog, &f.ty),
        ty_link: type_link(catalog, anchors, &f.ty),
        constraints: constraints(&f.constraints),
        optional: f.optional,
        nullable: f.nullable,
        deprecated: f.deprecated.as_deref().map(markup::parse),
        description: markup::parse(&f.description),
    }
}

/// The label of `ty` split around the first named type in it, with that
/// type's anchor (`None` when it names no type).
pub(super) fn type_link(catalog: &Catalog, anchors: &Anchors, ty: &TypeRef) -> Option<TypeLink> {
    let mut names = Vec::new();
    named_types(ty, &mut names);
    let name = names.into_iter().next()?;
    let anchor = anchors.get(&name)?.clone();
    let label = type_label(catalog, ty);
    // The label is `array of ` / `map of string to ` prefixes, then the name.
    let at = label.find(name.as_str())?;
    Some(TypeLink {
        before: label[..at].to_string(),
        after: label[at + name.len()..].to_string(),
        name,
        anchor,
    })
}

/// A type as readers see it: JSON types, formats and type names, e.g.
/// `string (uuid)`, `DirectoryProvider (string enum)`,
/// `array of DirectoryGroup (object)`.
pub fn type_label(catalog: &Catalog, ty: &TypeRef) -> String {
    label(catalog, ty, 0)
}

pub(super) fn label(catalog: &Catalog, ty: &TypeRef, hops: usize) -> String {
    match ty {
        TypeRef::String(StringFormat::Plain) => "string".into(),
        TypeRef::String(f) => format!("string ({})", f.keyword()),
        TypeRef::Integer => "integer".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Json => "any JSON value".into(),
        TypeRef::Const(c) => format!("string, always {}", serde_json::Value::from(c.as_str())),
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

pub(super) fn constraints(c: &Constraints) -> Vec<(&'static str, String)> {
    c.iter().map(|k| (k.label(), k.value_text())).collect()
}

/// The `[delivery]` rules as short sentences (plain text).
pub(super) fn delivery_lines(d: &crate::model::Delivery) -> Vec<String> {
    use crate::model::format_duration as f;
    let retries = if d.retry_ms.is_empty() {
        "never retried".to_string()
    } else {
        let waits: Vec<String> = d.retry_ms.iter().map(|&ms| f(ms)).collect();
        format!("retried after {}", waits.join(", "))
    };
    vec![
        format!(
            "Signed with {} (v1: HMAC-SHA256 of id.timestamp.body, base64) in the headers {}, {} and {}; several signatures may be sent at once during a key rotation.",
            if d.scheme == "standard-webhooks" { "Standard Webhooks" } else { &d.scheme },
            d.id_header, d.timestamp_header, d.signature_header
        ),
        format!(
            "A receiver refuses a timestamp more than {} away from its clock.",
            f(d.tolerance_ms)
        ),
        format!(
            "A 2xx answer means received; 410 {}; other answers (or no answer within {}) are {retries} (a 503 with Retry-After: after the wait it asks for).",
            match d.gone {
                crate::model::Gone::Event => "stops sending that event",
                crate::model::Gone::Endpoint => "stops every delivery to the endpoint",
            },
            f(d.timeout_ms)
        ),
    ]
}
