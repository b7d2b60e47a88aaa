//! The generated crate's layout by family: one cargo feature and one module
//! per family, so a consumer compiles only the families it enables.
//!
//! - A family's feature is its id (`dir_sync`); an id that would collide
//!   with a name the crate already uses (`default`, `schemars`, `proptest`,
//!   a dependency) or with another family's feature gets `_family`
//!   appended (then a number), so every family has a feature of its own.
//! - A type reached (through fields, arrays, maps and aliases) from the
//!   payloads of one family only lives in that family's module, behind its
//!   feature; one reached from several families lives in the `shared`
//!   module behind `any(...)` of their features; one the envelope reaches,
//!   or that no event reaches, is always compiled.
//! - Every module is private and re-exported at the crate root, so the
//!   types keep their paths (`crate::DirSyncUser`) whatever is enabled.
//!
//! Linear in the catalog: each type is visited once per family reaching it.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Catalog, TypeKind, TypeRef};
use crate::naming;

/// Names a family's feature or module must not take.
const RESERVED_FEATURES: [&str; 8] = [
    "default",
    "schemars",
    "proptest",
    "chrono",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "uuid",
];
/// Module names the crate uses, and crates it names by path (a module of
/// that name would shadow them).
const RESERVED_MODULES: [&str; 14] = [
    "support",
    "formats",
    "consts",
    "arbitrary",
    "shared",
    "std",
    "core",
    "chrono",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "uuid",
    "schemars",
    "proptest",
];

/// One family's feature and module.
#[derive(Debug, Clone)]
pub(crate) struct FamilyGate {
    /// The family id.
    pub id: String,
    /// The cargo feature.
    pub feature: String,
    /// The module's name.
    pub module: String,
}

/// Where a type's items go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Placement {
    /// The module of this family (index into [`Layout::families`]).
    Family(usize),
    /// The `shared` module, behind any of these families' features.
    Shared(Vec<usize>),
    /// The `shared` module, always compiled.
    Always,
}

/// The crate's layout.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// In catalog order (sorted by id).
    pub families: Vec<FamilyGate>,
    /// Family id -> index.
    pub index: BTreeMap<String, usize>,
    /// Type name -> placement (every type of the catalog).
    pub placement: BTreeMap<String, Placement>,
}

impl Layout {
    /// The layout of `catalog`: each family's gate, and where each type goes.
    pub fn new(catalog: &Catalog) -> Self {
        let (families, index) = family_gates(catalog);
        let reached = reached_by_families(catalog, &index);
        let always = always_compiled(catalog, &reached);
        let placement = catalog
            .types
            .keys()
            .map(|name| {
                let p = match reached.get(name.as_str()) {
                    _ if always.contains(name) => Placement::Always,
                    None => Placement::Always,
                    Some(set) if set.len() == 1 => {
                        Placement::Family(*set.iter().next().expect("one family"))
                    }
                    Some(set) => Placement::Shared(set.iter().copied().collect()),
                };
                (name.clone(), p)
            })
            .collect();
        Layout {
            families,
            index,
            placement,
        }
    }

    /// `#[cfg(feature = "..")]` of an event's family (nothing for an unknown
    /// family, which the resolver does not let through).
    pub fn event_cfg(&self, family: &str) -> TokenStream {
        match self.index.get(family) {
            Some(&i) => {
                let feature = &self.families[i].feature;
                quote!(#[cfg(feature = #feature)])
            }
            None => quote!(),
        }
    }

    /// `#[cfg(any(feature = "a", ...))]` of a shared type.
    pub fn any_cfg(&self, families: &[usize]) -> TokenStream {
        let features = families.iter().map(|&i| &self.families[i].feature);
        quote!(#[cfg(any( #(feature = #features),* ))])
    }
}

/// Each family's feature and module (unique, clear of reserved names), in
/// catalog order, with the index by family id.
fn family_gates(catalog: &Catalog) -> (Vec<FamilyGate>, BTreeMap<String, usize>) {
    let mut features: BTreeSet<String> = RESERVED_FEATURES.iter().map(|s| s.to_string()).collect();
    let mut modules: BTreeSet<String> = RESERVED_MODULES.iter().map(|s| s.to_string()).collect();
    let mut families = Vec::new();
    let mut index = BTreeMap::new();
    for f in &catalog.families {
        let feature = unique(sanitize_feature(&f.id), &mut features);
        let module = unique(naming::snake_case(&f.id), &mut modules);
        index.insert(f.id.clone(), families.len());
        families.push(FamilyGate {
            id: f.id.clone(),
            feature,
            module,
        });
    }
    (families, index)
}

/// Which families reach each type from their events' payloads.
fn reached_by_families<'c>(
    catalog: &'c Catalog,
    index: &BTreeMap<String, usize>,
) -> BTreeMap<&'c str, BTreeSet<usize>> {
    let mut reached: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut seen: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for e in &catalog.events {
        let Some(&fam) = index.get(&e.family) else {
            continue;
        };
        let seen = seen.entry(fam).or_default();
        let mut stack = vec![e.payload.clone()];
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some((key, t)) = catalog.types.get_key_value(&name) else {
                continue;
            };
            reached.entry(key.as_str()).or_default().insert(fam);
            push_refs(&t.kind, &mut stack);
        }
    }
    reached
}

/// The types always compiled: what the envelope reaches, and a type no
/// event reaches, with what it refers to.
fn always_compiled(
    catalog: &Catalog,
    reached: &BTreeMap<&str, BTreeSet<usize>>,
) -> BTreeSet<String> {
    let mut always: BTreeSet<String> = BTreeSet::new();
    let mut stack = Vec::new();
    for f in catalog.envelope.plain_fields() {
        refs(&f.ty, &mut stack);
    }
    stack.extend(
        catalog
            .types
            .keys()
            .filter(|name| !reached.contains_key(name.as_str()))
            .cloned(),
    );
    while let Some(name) = stack.pop() {
        if !always.insert(name.clone()) {
            continue;
        }
        if let Some(t) = catalog.types.get(&name) {
            push_refs(&t.kind, &mut stack);
        }
    }
    always
}

/// The type names a type's definition refers to.
fn push_refs(kind: &TypeKind, stack: &mut Vec<String>) {
    match kind {
        TypeKind::Object(o) => {
            for f in &o.fields {
                refs(&f.ty, stack);
            }
        }
        TypeKind::Alias(ty) => refs(ty, stack),
        TypeKind::Enum(_) => {}
    }
}

fn refs(ty: &TypeRef, stack: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) => stack.push(n.clone()),
        TypeRef::Array(inner) | TypeRef::Map(inner) => refs(inner, stack),
        _ => {}
    }
}

/// A cargo feature name for a family id: ids are lower-case letters, digits
/// and `_` starting with a letter (the resolver checks), all valid in a
/// feature name; anything else becomes `_`.
fn sanitize_feature(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        s
    } else {
        format!("family_{s}")
    }
}

/// `base`, or `base_family`, `base_family2`... : the first not yet taken.
fn unique(base: String, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.clone();
    let mut n = 1;
    while taken.contains(&name) {
        name = if n == 1 {
            format!("{base}_family")
        } else {
            format!("{base}_family{n}")
        };
        n += 1;
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_names_get_a_suffix() {
        let mut taken: BTreeSet<String> = RESERVED_FEATURES.iter().map(|s| s.to_string()).collect();
        assert_eq!(unique("serde".into(), &mut taken), "serde_family");
        assert_eq!(unique("serde".into(), &mut taken), "serde_family2");
        assert_eq!(unique("dir_sync".into(), &mut taken), "dir_sync");
        assert_eq!(sanitize_feature("a.b"), "a_b");
    }
}
