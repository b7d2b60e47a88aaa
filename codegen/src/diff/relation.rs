//! Relations between the old and the new catalog: which codes reach a
//! type, aliases followed, and whether one type accepts what another does.

#[allow(unused_imports)]
use super::*;

pub(super) fn codes_of(reach: &BTreeMap<String, BTreeSet<String>>, ty: &str) -> Vec<String> {
    reach
        .get(ty)
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default()
}

/// Type name -> codes whose payload reaches it.
pub(super) fn reach(c: &Catalog) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in &c.events {
        let mut todo = vec![TypeRef::Named(e.payload.clone())];
        let mut seen = BTreeSet::new();
        while let Some(t) = todo.pop() {
            match t {
                TypeRef::Array(i) | TypeRef::Map(i) => todo.push(*i),
                TypeRef::Named(n) => {
                    if !seen.insert(n.clone()) {
                        continue;
                    }
                    out.entry(n.clone()).or_default().insert(e.code.clone());
                    match c.types.get(&n).map(|t| &t.kind) {
                        Some(TypeKind::Object(o)) => {
                            todo.extend(o.fields.iter().map(|f| f.ty.clone()))
                        }
                        Some(TypeKind::Alias(t)) => todo.push(t.clone()),
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Follows aliases to the type they stand for.
pub(super) fn dealias(c: &Catalog, ty: &TypeRef) -> TypeRef {
    c.resolve(ty).clone()
}

pub(super) fn is_alias(c: &Catalog, name: &str) -> bool {
    matches!(c.types.get(name).map(|t| &t.kind), Some(TypeKind::Alias(_)))
}

pub(super) fn same_kind(a: &TypeDef, b: &TypeDef) -> bool {
    matches!(
        (&a.kind, &b.kind),
        (TypeKind::Object(_), TypeKind::Object(_)) | (TypeKind::Enum(_), TypeKind::Enum(_))
    )
}

pub(super) fn shape<'a>(c: &'a Catalog, t: Ty<'a>) -> Shape<'a> {
    let t = match t {
        Ty::Ref(t) => t,
        Ty::EventCode => return Shape::EventCode,
        Ty::Payload => return Shape::Payload,
    };
    match t {
        TypeRef::String(f) => Shape::Str(*f),
        TypeRef::Const(s) => Shape::Const(s),
        TypeRef::Integer => Shape::Integer,
        TypeRef::Number => Shape::Number,
        TypeRef::Boolean => Shape::Boolean,
        TypeRef::Json => Shape::Json,
        TypeRef::Array(_) => Shape::Array,
        TypeRef::Map(_) => Shape::Map,
        TypeRef::Named(n) => match c.types.get(n).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => Shape::Enum(e),
            _ => Shape::Object,
        },
    }
}

/// Relation of two dealiased types that are not both objects, both enums,
/// both arrays, both maps or both constants (those are compared inside).
pub(super) fn relation(oc: &Catalog, o: Ty, nc: &Catalog, n: Ty) -> Relation {
    use crate::model::StringFormat::Plain;
    use Relation::*;
    let has = |e: &EnumType, v: &str| e.values.iter().any(|x| x.value == v);
    match (shape(oc, o), shape(nc, n)) {
        (Shape::Json, Shape::Json)
        | (Shape::Integer, Shape::Integer)
        | (Shape::Number, Shape::Number)
        | (Shape::Boolean, Shape::Boolean)
        | (Shape::EventCode, Shape::EventCode)
        | (Shape::Payload, Shape::Payload) => Same,
        (Shape::Str(a), Shape::Str(b)) if a == b => Same,
        (Shape::Const(c), Shape::Enum(e)) | (Shape::Enum(e), Shape::Const(c))
            if e.values.len() == 1 && has(e, c) =>
        {
            SameValues
        }
        (Shape::Enum(e), Shape::Str(Plain)) if e.extensible => ExtensibleToString,
        (_, Shape::Json) => Wider,
        (Shape::Json, _) => Narrower,
        (Shape::Integer, Shape::Number) => Wider,
        (Shape::Number, Shape::Integer) => Narrower,
        (Shape::Str(_), Shape::Str(Plain)) => Wider,
        (Shape::Str(Plain), Shape::Str(_)) => Narrower,
        (Shape::Const(_) | Shape::Enum(_), Shape::Str(Plain)) => Wider,
        (Shape::Str(Plain), Shape::Const(_) | Shape::Enum(_)) => Narrower,
        (Shape::Const(c), Shape::Enum(e)) if has(e, c) => Wider,
        (Shape::Enum(e), Shape::Const(c)) if has(e, c) => Narrower,
        _ => Other,
    }
}
