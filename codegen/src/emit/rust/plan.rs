//! The plan of the Rust output: everything the templates decide from the
//! catalog as a whole, decided before any of them renders.
//!
//! [`Plan::new`] takes the model, the [`Options`] and the crate's family
//! [`families::Layout`], and holds the [`Analysis`] (boxing, recursion,
//! newtype aliases, constant marker names) and the support items and
//! dependencies the code needs ([`Uses`]). The templates only read it: a
//! `support`, `arbitrary` or `formats` item, an import or a dependency is
//! emitted exactly when the plan says, so nothing has to be rendered before
//! anything else for the output to be complete.
//!
//! The needs are found by walking the catalog once ([`uses`]): each place a
//! type is written (an object's field, an alias's target, an envelope
//! field) is handed to one function per kind of need, each naming the
//! templates it answers for. What a template decides per field from the
//! model alone (the [`Reader`] of a field, whether a reference is boxed) is
//! one function here that the walk and the template both call.

use proc_macro2::Ident;

use crate::model::{Catalog, Constraints, Field, StringFormat, TypeKind, TypeRef};
use crate::naming;

#[cfg(test)]
mod tests;

use super::analysis::{dealias, Analysis};
use super::{families, ident, Derive, Options};

/// Everything decided about the output before rendering it.
pub(crate) struct Plan {
    /// What to emit.
    pub opts: Options,
    /// Facts about the catalog's type graph.
    pub an: Analysis,
    /// The crate's family features and modules; `None` for a module (build
    /// scripts), which is flat and compiles every family.
    pub layout: Option<families::Layout>,
    /// The support items and dependencies the code needs.
    pub uses: Uses,
}

impl Plan {
    /// The plan of `catalog` under `opts`, in a crate with `layout` or as
    /// one module (`None`).
    pub fn new(catalog: &Catalog, opts: Options, layout: Option<families::Layout>) -> Self {
        let an = Analysis::new(catalog);
        let uses = uses(catalog, &opts, &an);
        Plan {
            opts,
            an,
            layout,
            uses,
        }
    }

    /// The marker type of the constant `value` in `consts` (its name from
    /// [`Analysis::consts`], which holds every constant of the catalog).
    /// Consumed by `Ctx::rust_type_in`.
    pub fn marker(&self, value: &str) -> Ident {
        match self.an.consts.get(value) {
            Some(name) => ident(name),
            None => ident(&naming::pascal_case(value)),
        }
    }
}

/// Which support items and dependencies the generated code needs: each is
/// emitted when, and only when, its flag is set.
#[derive(Debug, Default, Clone)]
pub(crate) struct Uses {
    /// `use std::collections::BTreeMap` (a map type is written).
    pub btree_map: bool,
    /// The `uuid` dependency.
    pub uuid: bool,
    /// The `chrono` dependency.
    pub chrono: bool,
    /// The `Email` newtype.
    pub email: bool,
    /// The `Uri` newtype.
    pub uri: bool,
    /// The `LocalDateTime` newtype.
    pub local_date_time: bool,
    /// `support::present` ([`Reader::Present`]).
    pub present: bool,
    /// `support::nullable` ([`Reader::Nullable`]).
    pub nullable: bool,
    /// The `consts` module and `support::constant`.
    pub constant: bool,
    /// `arbitrary::json`.
    pub arb_json: bool,
    /// `arbitrary::date`.
    pub arb_date: bool,
    /// `arbitrary::date_time`.
    pub arb_date_time: bool,
    /// `arbitrary::pattern`.
    pub arb_pattern: bool,
    /// `arbitrary::chars`.
    pub arb_chars: bool,
    /// `arbitrary::Bounded` and `arbitrary::DEPTH`.
    pub arb_bounded: bool,
    /// `support::field` (the schema of an envelope field).
    pub schema_field: bool,
    /// `support::Nullable` (the schema of a nullable field).
    pub nullable_schema: bool,
    /// `support::Wire` and its impls for options, arrays and maps.
    pub wire: bool,
    /// `impl Wire for i64`.
    pub wire_int: bool,
    /// `impl Wire for uuid::Uuid`.
    pub wire_uuid: bool,
    /// `impl Wire for chrono::NaiveDate`.
    pub wire_date: bool,
    /// `impl Wire for chrono::DateTime<chrono::Utc>`.
    pub wire_date_time: bool,
    /// `support::wire` ([`Reader::Wire`]).
    pub wire_fn: bool,
    /// `support::present_wire` ([`Reader::PresentWire`]).
    pub present_wire_fn: bool,
}

impl Uses {
    /// Whether the `formats` module (the shared format checks) is needed.
    pub fn formats(&self) -> bool {
        self.wire_uuid
            || self.wire_date
            || self.wire_date_time
            || self.email
            || self.uri
            || self.local_date_time
    }
}

/// The needs of `catalog` under `opts`: every place a type is written,
/// visited once, handed to the function of each kind of need.
fn uses(catalog: &Catalog, opts: &Options, an: &Analysis) -> Uses {
    let mut u = Uses {
        // Every constant of the catalog has its marker in `consts`.
        constant: !an.consts.is_empty(),
        ..Uses::default()
    };
    let proptest = opts.proptest != Derive::Off;
    let schemars = opts.schemars != Derive::Off;
    let plain = Constraints::default();
    for t in catalog.types.values() {
        match &t.kind {
            TypeKind::Object(o) => {
                u.arb_bounded |= proptest && an.recursive.contains_key(&t.name);
                for f in &o.fields {
                    written_type(&f.ty, &mut u);
                    read_field(catalog, an, f, &mut u);
                    u.nullable_schema |= schemars && !f.optional && f.nullable;
                    if proptest {
                        strategy(catalog, an, &f.ty, &f.constraints, &mut u);
                    }
                }
            }
            TypeKind::Alias(ty) => {
                written_type(ty, &mut u);
                if proptest && an.newtype_aliases.contains(&t.name) {
                    u.arb_bounded = true;
                    strategy(catalog, an, ty, &plain, &mut u);
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    for f in catalog.envelope.plain_fields() {
        written_type(&f.ty, &mut u);
        read_field(catalog, an, f, &mut u);
        u.schema_field |= schemars;
        if proptest && !catalog.events.is_empty() {
            strategy(catalog, an, &f.ty, &f.constraints, &mut u);
        }
    }
    // `LocalDateTime`'s strategy.
    u.arb_date_time |= proptest && u.local_date_time;
    u
}

/// What writing `ty` as a Rust type names: the `BTreeMap` import, the
/// format newtypes, the `uuid` and `chrono` dependencies. Consumed by
/// `Ctx::rust_type_in`'s output being complete: the imports at the top of
/// the file, `support::formats` (`Email`, `Uri`, `LocalDateTime`) and the
/// generated `Cargo.toml`.
fn written_type(ty: &TypeRef, u: &mut Uses) {
    match ty {
        TypeRef::String(StringFormat::Uuid) => u.uuid = true,
        TypeRef::String(StringFormat::Email) => u.email = true,
        TypeRef::String(StringFormat::Uri) => u.uri = true,
        TypeRef::String(StringFormat::Date | StringFormat::DateTime) => u.chrono = true,
        TypeRef::String(StringFormat::LocalDateTime) => {
            u.chrono = true;
            u.local_date_time = true;
        }
        TypeRef::Array(inner) => written_type(inner, u),
        TypeRef::Map(inner) => {
            u.btree_map = true;
            written_type(inner, u);
        }
        _ => {}
    }
}

/// How a field is read: the `support` helpers of its [`Reader`] and the
/// `Wire` impl of its [`WireLeaf`]. Consumed by `Ctx::field_attrs` (the
/// types' fields) and `events::serde_only` (the envelope's wire form), and
/// by the `support` module and `support::wire_items` that define them.
fn read_field(catalog: &Catalog, an: &Analysis, f: &Field, u: &mut Uses) {
    if let Some(leaf) = wire_leaf(catalog, an, &f.ty) {
        u.wire = true;
        match leaf {
            WireLeaf::Integer => u.wire_int = true,
            WireLeaf::Uuid => u.wire_uuid = true,
            WireLeaf::Date => u.wire_date = true,
            WireLeaf::DateTime => u.wire_date_time = true,
        }
    }
    match reader(catalog, an, f) {
        Reader::Derived => {}
        Reader::Wire => u.wire_fn = true,
        Reader::PresentWire => u.present_wire_fn = true,
        Reader::Nullable => u.nullable = true,
        Reader::Present => u.present = true,
    }
}

/// The `arbitrary` helpers the strategy of a value of `ty` calls
/// (`constraints` apply at this level, through plain aliases). Consumed by
/// `types::unboxed_strategy` and `support::arbitrary_module`.
fn strategy(catalog: &Catalog, an: &Analysis, ty: &TypeRef, c: &Constraints, u: &mut Uses) {
    match ty {
        TypeRef::String(StringFormat::Plain) => {
            if c.pattern.is_some() {
                u.arb_pattern = true;
            } else if c.min_length.is_some() || c.max_length.is_some() {
                u.arb_chars = true;
            }
        }
        TypeRef::String(StringFormat::Date) => u.arb_date = true,
        TypeRef::String(StringFormat::DateTime) => u.arb_date_time = true,
        TypeRef::Json => u.arb_json = true,
        TypeRef::Named(n) if !an.newtype_aliases.contains(n) => {
            if let Some(TypeKind::Alias(inner)) = catalog.types.get(n).map(|t| &t.kind) {
                strategy(catalog, an, inner, c, u);
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => {
            strategy(catalog, an, inner, &Constraints::default(), u)
        }
        _ => {}
    }
}

/// The value eventcat reads itself (through `support::Wire`) rather than
/// by the target type's own `Deserialize`, at the bottom of a field's
/// arrays and maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireLeaf {
    /// `i64`: integral floats such as `1.0` accepted, the i64 range enforced.
    Integer,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::NaiveDate`.
    Date,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
}

/// The [`WireLeaf`] a value of `ty` is read through, if any (plain aliases
/// followed, also inside arrays and maps).
pub(crate) fn wire_leaf(catalog: &Catalog, an: &Analysis, ty: &TypeRef) -> Option<WireLeaf> {
    match dealias(catalog, &an.newtype_aliases, ty) {
        TypeRef::Integer => Some(WireLeaf::Integer),
        TypeRef::String(StringFormat::Uuid) => Some(WireLeaf::Uuid),
        TypeRef::String(StringFormat::Date) => Some(WireLeaf::Date),
        TypeRef::String(StringFormat::DateTime) => Some(WireLeaf::DateTime),
        TypeRef::Array(inner) | TypeRef::Map(inner) => wire_leaf(catalog, an, inner),
        _ => None,
    }
}

/// How a field is deserialized: the `support` helper of its
/// `deserialize_with`, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reader {
    /// serde's derive (a required, non-nullable field of a type read by
    /// its own `Deserialize`).
    Derived,
    /// `support::wire`: a present field read through `Wire` (nullable or
    /// not).
    Wire,
    /// `support::present_wire`: an optional field read through `Wire`.
    PresentWire,
    /// `support::nullable`: a required nullable field.
    Nullable,
    /// `support::present`: an optional field.
    Present,
}

impl Reader {
    /// The name of the helper in `support`.
    pub fn helper(self) -> Option<&'static str> {
        match self {
            Reader::Derived => None,
            Reader::Wire => Some("wire"),
            Reader::PresentWire => Some("present_wire"),
            Reader::Nullable => Some("nullable"),
            Reader::Present => Some("present"),
        }
    }
}

/// The [`Reader`] of field `f`.
pub(crate) fn reader(catalog: &Catalog, an: &Analysis, f: &Field) -> Reader {
    let wire = wire_leaf(catalog, an, &f.ty).is_some();
    match (wire, f.optional, f.nullable) {
        (true, false, _) => Reader::Wire,
        (true, true, _) => Reader::PresentWire,
        (false, false, false) => Reader::Derived,
        (false, false, true) => Reader::Nullable,
        (false, true, _) => Reader::Present,
    }
}

/// The wire name of a field whose Rust name (its snake case) differs, for
/// `#[serde(rename = ..)]`. Consumed by `Ctx::field_attrs` (the types'
/// fields) and `events::envelope_repr` (the envelope's wire form).
pub(crate) fn serde_rename(wire: &str) -> Option<&str> {
    (naming::snake_case(wire) != wire).then_some(wire)
}

/// Whether a field of object `owner` (`None`: not an object's field)
/// holding `ty` holds it in a `Box`: see [`Analysis::boxed`].
pub(crate) fn boxed(catalog: &Catalog, an: &Analysis, owner: Option<&str>, ty: &TypeRef) -> bool {
    match (owner, dealias(catalog, &an.newtype_aliases, ty)) {
        (Some(o), TypeRef::Named(t)) => an.is_boxed(o, t),
        _ => false,
    }
}
