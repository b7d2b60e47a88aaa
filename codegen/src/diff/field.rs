//! The fields the differ compares: an object's, or the envelope's, whose
//! discriminator and payload slots have types of their own.

#[allow(unused_imports)]
use super::*;
use crate::model::EnvelopeField;

/// A field's type as the differ compares it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ty<'a> {
    /// A type expression.
    Ref(&'a TypeRef),
    /// The envelope's discriminator: one of the catalog's codes.
    EventCode,
    /// The envelope's payload: the payload type of the event's code.
    Payload,
}

/// A field as the differ compares it: an object's field, or an envelope
/// field (the discriminator and the payload are required, never `null` and
/// without constraints).
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldView<'a> {
    /// Name on the wire.
    pub name: &'a str,
    /// Description (Markdown).
    pub description: &'a str,
    /// Its type.
    pub ty: Ty<'a>,
    /// May be absent.
    pub optional: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Why producers should stop sending it.
    pub deprecated: Option<&'a String>,
    /// Value constraints.
    pub constraints: &'a Constraints,
    /// Where it was declared.
    pub origin: &'a Origin,
}

/// The constraints of a slot: none.
static NO_CONSTRAINTS: Constraints = Constraints {
    minimum: None,
    maximum: None,
    min_length: None,
    max_length: None,
    pattern: None,
    min_items: None,
    max_items: None,
};

impl<'a> FieldView<'a> {
    /// The view of an object's field.
    pub(super) fn of(f: &'a Field) -> Self {
        FieldView {
            name: &f.name,
            description: &f.description,
            ty: Ty::Ref(&f.ty),
            optional: f.optional,
            nullable: f.nullable,
            deprecated: f.deprecated.as_ref(),
            constraints: &f.constraints,
            origin: &f.origin,
        }
    }

    /// The view of an envelope field.
    pub(super) fn of_envelope(f: &'a EnvelopeField) -> Self {
        let ty = match f {
            EnvelopeField::Plain(p) => return Self::of(p),
            EnvelopeField::Discriminator(_) => Ty::EventCode,
            EnvelopeField::Payload(_) => Ty::Payload,
        };
        FieldView {
            name: f.name(),
            description: f.description(),
            ty,
            optional: false,
            nullable: false,
            deprecated: None,
            constraints: &NO_CONSTRAINTS,
            origin: f.origin(),
        }
    }
}

/// The views of an object's fields, in wire order.
pub(super) fn views(fields: &[Field]) -> Vec<FieldView<'_>> {
    fields.iter().map(FieldView::of).collect()
}

/// The views of the envelope's fields, in wire order.
pub(super) fn envelope_views(fields: &[EnvelopeField]) -> Vec<FieldView<'_>> {
    fields.iter().map(FieldView::of_envelope).collect()
}

/// A field's type, as written in catalogs (the slots by what they hold).
pub(super) fn describe_ty(t: Ty) -> String {
    match t {
        Ty::Ref(t) => describe(t),
        Ty::EventCode => "event code".into(),
        Ty::Payload => "payload".into(),
    }
}
