//! How a change is put in words: type and field descriptions, the Rust
//! type a field becomes, examples, counts.

#[allow(unused_imports)]
use super::*;

pub(super) fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// What changed in an event's examples, by name: `example `x` added;
/// example `y` changed`.
pub(super) fn examples_message(old: &[Example], new: &[Example]) -> String {
    // An unnamed example is named by its position (`#2`).
    let names = |xs: &[Example]| {
        xs.iter()
            .enumerate()
            .map(|(i, x)| x.name.clone().unwrap_or_else(|| format!("#{}", i + 1)))
            .collect::<Vec<_>>()
    };
    let (on, nn) = (names(old), names(new));
    let mut parts = Vec::new();
    let list = |v: Vec<&String>| {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let added: Vec<&String> = nn.iter().filter(|n| !on.contains(n)).collect();
    let removed: Vec<&String> = on.iter().filter(|n| !nn.contains(n)).collect();
    let changed: Vec<&String> = new
        .iter()
        .zip(&nn)
        .filter(|(y, name)| {
            on.iter()
                .position(|n| n == *name)
                .is_some_and(|i| old[i].description != y.description || old[i].value != y.value)
        })
        .map(|(_, name)| name)
        .collect();
    for (what, v) in [("added", added), ("removed", removed), ("changed", changed)] {
        if !v.is_empty() {
            let noun = if v.len() == 1 { "example" } else { "examples" };
            parts.push(format!("{noun} {} {what}", list(v)));
        }
    }
    if parts.is_empty() {
        "examples reordered".into()
    } else {
        parts.join("; ")
    }
}

pub(super) fn same_examples(a: &[Example], b: &[Example]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.name == y.name && x.description == y.description && x.value == y.value)
}

pub(super) fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// A type, as written in catalogs.
pub(super) fn describe(t: &TypeRef) -> String {
    match t {
        TypeRef::String(f) => f.keyword().to_string(),
        TypeRef::Integer => "integer".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Json => "json".into(),
        TypeRef::Const(c) => format!("const \"{c}\""),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Array(i) => format!("array<{}>", describe(i)),
        TypeRef::Map(i) => format!("map<{}>", describe(i)),
    }
}

/// The generated Rust type of a field, as text to compare two versions by
/// (aliases by name, see the module docs).
pub(super) fn rust_field(f: &FieldView) -> String {
    let base = match f.ty {
        Ty::Ref(t) => rust_of(t),
        slot => describe_ty(slot),
    };
    match (f.optional, f.nullable) {
        (false, false) => base,
        (true, true) => format!("Option<Option<{base}>>"),
        _ => format!("Option<{base}>"),
    }
}

pub(super) fn rust_of(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(n) => naming::type_ident(n),
        TypeRef::Array(i) => format!("Vec<{}>", rust_of(i)),
        TypeRef::Map(i) => format!("BTreeMap<String, {}>", rust_of(i)),
        TypeRef::Const(v) => format!("consts({v:?})"),
        other => describe(other),
    }
}

/// A field's type and presence, e.g. `uuid (optional, nullable)`.
pub(super) fn describe_field(f: &FieldView) -> String {
    let mut flags = Vec::new();
    if f.optional {
        flags.push("optional");
    }
    if f.nullable {
        flags.push("nullable");
    }
    if flags.is_empty() {
        describe_ty(f.ty)
    } else {
        format!("{} ({})", describe_ty(f.ty), flags.join(", "))
    }
}
