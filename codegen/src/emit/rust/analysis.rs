//! What the Rust emitter needs to know about the catalog beyond the model:
//! which references must be boxed, which types are recursive (for bounded
//! proptest strategies), which aliases must become newtypes, and the names
//! of the constant marker types.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{strongly_connected, Catalog, TypeKind, TypeRef};
use crate::naming;

/// Facts about the catalog's type graph.
#[derive(Debug, Default)]
pub struct Analysis {
    /// `(owner, target)`: object `owner` holds `target` inline (not through
    /// an array or a map) and both are on one cycle, so the field is boxed.
    pub boxed: BTreeSet<(String, String)>,
    /// Strongly connected component of every object and newtype alias in
    /// the full reference graph (arrays and maps included), for types that
    /// are on a cycle.
    pub recursive: BTreeMap<String, usize>,
    /// Aliases whose expansion refers to themselves (through arrays or
    /// maps): a Rust `type` alias cannot, so they become newtypes.
    pub newtype_aliases: BTreeSet<String>,
    /// Constant value -> name of its marker type in `consts`.
    pub consts: BTreeMap<String, String>,
}

impl Analysis {
    /// Analyses `catalog`.
    pub fn new(catalog: &Catalog) -> Self {
        let newtype_aliases = recursive_aliases(catalog);
        let mut a = Analysis {
            newtype_aliases,
            ..Default::default()
        };
        a.consts = const_names(catalog);

        // Inline graph: objects only, edges through fields held inline.
        let mut inline: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        // Full graph: objects and newtype aliases, every reference.
        let mut full: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for t in catalog.types.values() {
            match &t.kind {
                TypeKind::Object(o) => {
                    let inl = inline.entry(t.name.clone()).or_default();
                    let ful = full.entry(t.name.clone()).or_default();
                    for f in &o.fields {
                        inline_targets(catalog, &a.newtype_aliases, &f.ty, inl);
                        all_targets(
                            catalog,
                            &a.newtype_aliases,
                            &f.ty,
                            ful,
                            &mut BTreeSet::new(),
                        );
                    }
                }
                TypeKind::Alias(ty) if a.newtype_aliases.contains(&t.name) => {
                    let ful = full.entry(t.name.clone()).or_default();
                    all_targets(catalog, &a.newtype_aliases, ty, ful, &mut BTreeSet::new());
                }
                _ => {}
            }
        }
        let inline_scc = scc(&inline);
        for (owner, targets) in &inline {
            for t in targets {
                if inline_scc.get(owner) == inline_scc.get(t) && inline_scc.contains_key(owner) {
                    a.boxed.insert((owner.clone(), t.clone()));
                }
            }
        }
        a.recursive = scc(&full);
        a
    }

    /// Whether object `owner` must box its inline reference to `target`.
    pub fn is_boxed(&self, owner: &str, target: &str) -> bool {
        self.boxed
            .contains(&(owner.to_string(), target.to_string()))
    }

    /// Whether `a` and `b` are on one cycle of the full reference graph.
    pub fn same_cycle(&self, a: &str, b: &str) -> bool {
        match (self.recursive.get(a), self.recursive.get(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }
}

/// The name an alias chain ends at (an object, an enum, a newtype alias, or
/// a non-named type expression).
pub fn dealias<'a>(
    catalog: &'a Catalog,
    newtypes: &BTreeSet<String>,
    ty: &'a TypeRef,
) -> &'a TypeRef {
    catalog.resolve_until(ty, |n| newtypes.contains(n))
}

/// Objects a value of `ty` holds inline (following aliases, not arrays or maps).
fn inline_targets(
    catalog: &Catalog,
    newtypes: &BTreeSet<String>,
    ty: &TypeRef,
    out: &mut BTreeSet<String>,
) {
    if let TypeRef::Named(n) = dealias(catalog, newtypes, ty) {
        if matches!(
            catalog.types.get(n).map(|t| &t.kind),
            Some(TypeKind::Object(_))
        ) {
            out.insert(n.clone());
        }
    }
}

/// Objects and newtype aliases a value of `ty` refers to, at any depth
/// through arrays, maps and plain aliases.
fn all_targets(
    catalog: &Catalog,
    newtypes: &BTreeSet<String>,
    ty: &TypeRef,
    out: &mut BTreeSet<String>,
    seen: &mut BTreeSet<String>,
) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => {
            all_targets(catalog, newtypes, inner, out, seen)
        }
        TypeRef::Named(n) => match catalog.types.get(n).map(|t| &t.kind) {
            Some(TypeKind::Object(_)) => {
                out.insert(n.clone());
            }
            Some(TypeKind::Alias(_)) if newtypes.contains(n) => {
                out.insert(n.clone());
            }
            Some(TypeKind::Alias(inner)) if seen.insert(n.clone()) => {
                all_targets(catalog, newtypes, inner, out, seen);
            }
            _ => {}
        },
        _ => {}
    }
}

/// Aliases that reach themselves through their own expansion.
fn recursive_aliases(catalog: &Catalog) -> BTreeSet<String> {
    fn reaches(catalog: &Catalog, ty: &TypeRef, target: &str, seen: &mut BTreeSet<String>) -> bool {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => reaches(catalog, inner, target, seen),
            TypeRef::Named(n) => {
                if n == target {
                    return true;
                }
                match catalog.types.get(n).map(|t| &t.kind) {
                    Some(TypeKind::Alias(inner)) if seen.insert(n.clone()) => {
                        reaches(catalog, inner, target, seen)
                    }
                    _ => false,
                }
            }
            _ => false,
        }
    }
    catalog
        .types
        .values()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(ty) if reaches(catalog, ty, &t.name, &mut BTreeSet::new()) => {
                Some(t.name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Every constant value of the catalog (fields and envelope) with a unique
/// `PascalCase` marker name.
fn const_names(catalog: &Catalog) -> BTreeMap<String, String> {
    let mut values = BTreeSet::new();
    let fields = catalog
        .types
        .values()
        .filter_map(|t| match &t.kind {
            TypeKind::Object(o) => Some(o.fields.iter()),
            _ => None,
        })
        .flatten()
        .chain(catalog.envelope.plain_fields());
    for f in fields {
        collect_consts(&f.ty, &mut values);
    }
    for t in catalog.types.values() {
        if let TypeKind::Alias(ty) = &t.kind {
            collect_consts(ty, &mut values);
        }
    }
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for v in values {
        let base = naming::pascal_case(&v);
        let mut name = base.clone();
        let mut i = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}{i}");
            i += 1;
        }
        out.insert(v, name);
    }
    out
}

fn collect_consts(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Const(v) => {
            out.insert(v.clone());
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => collect_consts(inner, out),
        _ => {}
    }
}

/// The component of every node on a cycle ([`strongly_connected`]), by
/// name.
fn scc(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, usize> {
    strongly_connected(graph)
        .into_iter()
        .map(|(n, c)| (n.clone(), c))
        .collect()
}
