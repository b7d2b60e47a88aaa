//! One Rust item per catalog type, and its proptest strategy.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::model::{
    Constraints, EnumType, Field, ObjectType, StringFormat, TypeDef, TypeKind, TypeRef,
};
use crate::naming;

use super::analysis::dealias;
use super::{describe, docs, field_doc, field_name, ident, type_name, Ctx};

/// Most items of an array or map a strategy generates beyond its minimum.
const EXTRA_ITEMS: u64 = 3;

pub(super) fn items(ctx: &Ctx) -> TokenStream {
    let mut out = TokenStream::new();
    for t in ctx.catalog.types.values() {
        out.extend(item(ctx, t));
    }
    out
}

/// The items of one catalog type.
pub(super) fn item(ctx: &Ctx, t: &TypeDef) -> TokenStream {
    match &t.kind {
        TypeKind::Object(o) => object(ctx, t, o),
        TypeKind::Enum(e) if e.extensible => extensible_enum(ctx, t, e),
        TypeKind::Enum(e) => closed_enum(ctx, t, e),
        TypeKind::Alias(ty) => alias(ctx, t, ty),
    }
}

fn type_doc(t: &TypeDef) -> TokenStream {
    docs(&describe(
        &t.description,
        &format!("The `{}` type of the catalog.", t.name),
    ))
}

fn object(ctx: &Ctx, t: &TypeDef, o: &ObjectType) -> TokenStream {
    let name = type_name(&t.name);
    let doc = type_doc(t);
    let derive_schemars = ctx.derive_schemars();
    let fields: Vec<TokenStream> = o
        .fields
        .iter()
        .map(|f| {
            let doc = docs(&field_doc(f));
            let attrs = ctx.field_attrs(Some(&t.name), f, "support");
            let ident = field_name(&f.name);
            let ty = ctx.field_type(Some(&t.name), f);
            quote!(#doc #attrs pub #ident: #ty,)
        })
        .collect();
    let proptest = if ctx.proptest_on() {
        let recursive = ctx.an.recursive.contains_key(&t.name);
        let rec = recursive.then_some(t.name.as_str());
        let parts: Vec<(Ident, TokenStream)> = o
            .fields
            .iter()
            .map(|f| {
                (
                    field_name(&f.name),
                    field_strategy(ctx, Some(&t.name), f, rec),
                )
            })
            .collect();
        let build = tuple_map(&parts, quote!(Self));
        arbitrary_impl(ctx, &name, build, recursive)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #derive_schemars
        pub struct #name {
            #(#fields)*
        }

        #proptest
    }
}

/// `Arbitrary` (and for a recursive type `Bounded`) from a strategy
/// expression building `Self` (using `depth` when recursive).
fn arbitrary_impl(ctx: &Ctx, name: &Ident, build: TokenStream, recursive: bool) -> TokenStream {
    let imports = strategy_imports(&build);
    if recursive {
        ctx.uses.borrow_mut().arb_bounded = true;
        ctx.proptest_item(quote! {
            impl arbitrary::Bounded for #name {
                fn bounded(depth: u32) -> proptest::strategy::BoxedStrategy<Self> {
                    #imports
                    #build.boxed()
                }
            }

            impl proptest::arbitrary::Arbitrary for #name {
                type Parameters = ();
                type Strategy = proptest::strategy::BoxedStrategy<Self>;

                fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                    <Self as arbitrary::Bounded>::bounded(arbitrary::DEPTH)
                }
            }
        })
    } else {
        ctx.proptest_item(quote! {
            impl proptest::arbitrary::Arbitrary for #name {
                type Parameters = ();
                type Strategy = proptest::strategy::BoxedStrategy<Self>;

                fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                    #imports
                    #build.boxed()
                }
            }
        })
    }
}

/// The `use` lines a strategy expression needs (`any`, `option`,
/// `collection`, and the `Strategy` methods).
pub(super) fn strategy_imports(build: &TokenStream) -> TokenStream {
    let mut used = std::collections::BTreeSet::new();
    path_heads(build.clone(), &mut used);
    let mut names = Vec::new();
    if used.contains("any") {
        names.push(quote!(arbitrary::any));
    }
    if used.contains("collection") {
        names.push(quote!(collection));
    }
    if used.contains("option") {
        names.push(quote!(option));
    }
    names.push(quote!(strategy::Strategy as _));
    quote!(use proptest::{#(#names),*};)
}

/// Identifiers that start a path (`x::...` not preceded by `::`).
fn path_heads(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
    use proc_macro2::TokenTree;
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tts.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => path_heads(g.stream(), out),
            TokenTree::Ident(id) => {
                let next_colon =
                    matches!(tts.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
                let prev_colon =
                    i > 0 && matches!(&tts[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
                if next_colon && !prev_colon {
                    out.insert(id.to_string());
                }
            }
            _ => {}
        }
    }
}

fn value_doc(value: &str, description: &Option<String>) -> TokenStream {
    match description {
        Some(d) if !d.trim().is_empty() => docs(&format!("`{value}`: {d}")),
        _ => docs(&format!("`{value}`.")),
    }
}

fn closed_enum(ctx: &Ctx, t: &TypeDef, e: &EnumType) -> TokenStream {
    let name = type_name(&t.name);
    let doc = type_doc(t);
    let derive_schemars = ctx.derive_schemars();
    let n = Literal::usize_unsuffixed(e.values.len());
    let variants: Vec<Ident> = e
        .values
        .iter()
        .map(|v| ident(&naming::pascal_case(&v.value)))
        .collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    let decls: Vec<TokenStream> = e
        .values
        .iter()
        .zip(&variants)
        .map(|(v, var)| {
            let doc = value_doc(&v.value, &v.description);
            let wire = v.value.as_str();
            let rename = if *var != wire {
                quote!(#[serde(rename = #wire)])
            } else {
                quote!()
            };
            quote!(#doc #rename #var,)
        })
        .collect();
    let proptest = ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for #name {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                use proptest::strategy::Strategy as _;
                proptest::sample::select(Self::ALL.to_vec()).boxed()
            }
        }
    });
    quote! {
        #doc
        ///
        /// Closed: a value the catalog does not list is a deserialization error.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #derive_schemars
        pub enum #name {
            #(#decls)*
        }

        impl #name {
            /// Every value, in catalog order.
            pub const ALL: [#name; #n] = [#(#name::#variants),*];

            /// The value as on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #proptest
    }
}

fn extensible_enum(ctx: &Ctx, t: &TypeDef, e: &EnumType) -> TokenStream {
    let name = type_name(&t.name);
    let doc = type_doc(t);
    let n = Literal::usize_unsuffixed(e.values.len());
    let variants: Vec<Ident> = e
        .values
        .iter()
        .map(|v| ident(&naming::pascal_case(&v.value)))
        .collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    let catch_all = ident(naming::catch_all_variant(values.iter().copied()));
    let decls: Vec<TokenStream> = e
        .values
        .iter()
        .zip(&variants)
        .map(|(v, var)| {
            let doc = value_doc(&v.value, &v.description);
            quote!(#doc #var,)
        })
        .collect();
    let description = describe(
        &t.description,
        &format!("The `{}` type of the catalog.", t.name),
    );
    let name_str = name.to_string();
    let schemars = ctx.schemars_item(quote! {
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #name_str.into()
            }

            /// The declared values only: what producers may send.
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                support::schema([
                    ("description", #description.into()),
                    ("type", "string".into()),
                    ("enum", Self::KNOWN.iter().map(Self::as_str).collect::<Vec<_>>().into()),
                ])
            }
        }
    });
    let proptest = ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for #name {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            /// Declared values only.
            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                use proptest::strategy::Strategy as _;
                proptest::sample::select(Self::KNOWN.to_vec()).boxed()
            }
        }
    });
    let extensible_doc = docs(&super::wrap(&format!(
        "\n\nExtensible: a value the catalog does not list yet is kept in \
         [`{name}::{catch_all}`] rather than rejected."
    )));
    quote! {
        #doc
        #[doc = ""]
        #extensible_doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#decls)*
            /// A value this version of the catalog does not list, as sent.
            /// Never holds a listed value when deserialized.
            #catch_all(String),
        }

        impl #name {
            /// Every value the catalog lists, in catalog order.
            pub const KNOWN: [#name; #n] = [#(#name::#variants),*];

            /// The value as on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#catch_all(value) => value,
                }
            }

            /// Whether the value is one the catalog lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::#catch_all(_))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::#catch_all(other.to_string()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#values => Self::#variants,)*
                    _ => Self::#catch_all(value),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        #schemars
        #proptest
    }
}

fn alias(ctx: &Ctx, t: &TypeDef, ty: &TypeRef) -> TokenStream {
    let name = type_name(&t.name);
    let doc = type_doc(t);
    if !ctx.an.newtype_aliases.contains(&t.name) {
        let target = ctx.rust_type(None, ty);
        return quote! {
            #doc
            pub type #name = #target;
        };
    }
    // A self-referential alias: a newtype, the same on the wire.
    let target = ctx.rust_type(None, ty);
    let derive_schemars = ctx.derive_schemars();
    let proptest = if ctx.proptest_on() {
        let inner = value_strategy(ctx, None, ty, &Constraints::default(), Some(&t.name));
        let minimal = minimal_value(ctx, ty).unwrap_or_else(|| quote!(Default::default()));
        let build = quote! {
            (if depth == 0 {
                proptest::strategy::Just(Self(#minimal)).boxed()
            } else {
                #inner.prop_map(Self).boxed()
            })
        };
        arbitrary_impl(ctx, &name, build, true)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #derive_schemars
        pub struct #name(pub #target);

        #proptest
    }
}

// ------------------------------------------------------------- strategies

/// A strategy expression building `ctor { field, ... }` from the strategies
/// of its fields (nested tuples past eight fields).
pub(super) fn tuple_map(parts: &[(Ident, TokenStream)], ctor: TokenStream) -> TokenStream {
    let names: Vec<&Ident> = parts.iter().map(|(n, _)| n).collect();
    match parts.len() {
        0 => quote!(proptest::strategy::Just(#ctor {})),
        1 => {
            let (n, s) = &parts[0];
            let s = receiver(s);
            quote!(#s.prop_map(|#n| #ctor { #n }))
        }
        _ => {
            let (strategy, pattern) = nest(parts);
            quote!(#strategy.prop_map(|#pattern| #ctor { #(#names),* }))
        }
    }
}

fn nest(parts: &[(Ident, TokenStream)]) -> (TokenStream, TokenStream) {
    if parts.len() <= 8 {
        let s = parts.iter().map(|(_, s)| s);
        let p = parts.iter().map(|(n, _)| n);
        return (quote!((#(#s,)*)), quote!((#(#p,)*)));
    }
    let (s, p): (Vec<_>, Vec<_>) = parts.chunks(8).map(nest).unzip();
    (quote!((#(#s,)*)), quote!((#(#p,)*)))
}

/// The strategy of a field: its value, wrapped for optional and nullable;
/// in a recursive type (`rec`), a field reaching back into the cycle takes
/// its smallest value once `depth` is spent.
pub(super) fn field_strategy(
    ctx: &Ctx,
    owner: Option<&str>,
    f: &Field,
    rec: Option<&str>,
) -> TokenStream {
    let inner = value_strategy(ctx, owner, &f.ty, &f.constraints, rec);
    let wrapped = match (f.optional, f.nullable) {
        (false, false) => inner,
        (true, true) => quote!(option::of(option::of(#inner))),
        _ => quote!(option::of(#inner)),
    };
    let Some(r) = rec else { return wrapped };
    if !reaches_cycle(ctx, &f.ty, r, &mut Vec::new()) {
        return wrapped;
    }
    let minimal = if f.optional || f.nullable {
        Some(quote!(None))
    } else {
        minimal_value(ctx, &f.ty)
    };
    let wrapped = receiver(&wrapped);
    match minimal {
        Some(m) => quote! {
            (if depth == 0 {
                proptest::strategy::Just(#m).boxed()
            } else {
                #wrapped.boxed()
            })
        },
        None => wrapped,
    }
}

/// A strategy expression made fit to call a method on: parenthesized when
/// it is a range or a `|` of flags.
fn receiver(s: &TokenStream) -> TokenStream {
    use proc_macro2::TokenTree;
    let top: Vec<TokenTree> = s.clone().into_iter().collect();
    let needs = top.iter().enumerate().any(|(i, t)| match t {
        TokenTree::Punct(p) if p.as_char() == '|' => true,
        TokenTree::Punct(p) if p.as_char() == '.' => {
            matches!(top.get(i + 1), Some(TokenTree::Punct(q)) if q.as_char() == '.')
        }
        _ => false,
    });
    if needs {
        quote!((#s))
    } else {
        s.clone()
    }
}

/// Whether a value of `ty` refers to a type on `rec`'s cycle.
fn reaches_cycle(ctx: &Ctx, ty: &TypeRef, rec: &str, seen: &mut Vec<String>) -> bool {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => reaches_cycle(ctx, inner, rec, seen),
        TypeRef::Named(n) => {
            if ctx.an.same_cycle(n, rec) {
                return true;
            }
            if seen.contains(n) || ctx.an.newtype_aliases.contains(n) {
                return false;
            }
            seen.push(n.clone());
            match ctx.catalog.types.get(n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => reaches_cycle(ctx, inner, rec, seen),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The smallest value of a collection type (empty), for depth 0.
fn minimal_value(ctx: &Ctx, ty: &TypeRef) -> Option<TokenStream> {
    match dealias(ctx.catalog, &ctx.an.newtype_aliases, ty) {
        TypeRef::Array(_) => Some(quote!(Vec::new())),
        TypeRef::Map(_) => Some(quote!(BTreeMap::new())),
        TypeRef::Named(n) if ctx.an.newtype_aliases.contains(n) => {
            let name = type_name(n);
            match ctx.catalog.types.get(n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => {
                    minimal_value(ctx, inner).map(|v| quote!(#name(#v)))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The strategy of a value of `ty` (constraints apply to this level).
fn value_strategy(
    ctx: &Ctx,
    owner: Option<&str>,
    ty: &TypeRef,
    c: &Constraints,
    rec: Option<&str>,
) -> TokenStream {
    let boxed = match (owner, dealias(ctx.catalog, &ctx.an.newtype_aliases, ty)) {
        (Some(o), TypeRef::Named(t)) => ctx.an.is_boxed(o, t),
        _ => false,
    };
    let s = unboxed_strategy(ctx, ty, c, rec);
    if boxed {
        let s = receiver(&s);
        quote!(#s.prop_map(Box::new))
    } else {
        s
    }
}

fn any(ty: TokenStream) -> TokenStream {
    quote!(any::<#ty>())
}

fn unboxed_strategy(ctx: &Ctx, ty: &TypeRef, c: &Constraints, rec: Option<&str>) -> TokenStream {
    match ty {
        TypeRef::String(StringFormat::Plain) => string_strategy(ctx, c),
        TypeRef::String(StringFormat::Uuid) => {
            quote!(any::<u128>().prop_map(uuid::Uuid::from_u128))
        }
        TypeRef::String(StringFormat::Date) => {
            ctx.uses.borrow_mut().arb_date = true;
            quote!(arbitrary::date())
        }
        TypeRef::String(StringFormat::DateTime) => {
            ctx.uses.borrow_mut().arb_date_time = true;
            quote!(arbitrary::date_time())
        }
        TypeRef::String(_) | TypeRef::Boolean | TypeRef::EventCode | TypeRef::Const(_) => {
            any(ctx.rust_type(None, ty))
        }
        TypeRef::Integer => {
            if c.minimum.is_none() && c.maximum.is_none() {
                return any(quote!(i64));
            }
            let lo = c.minimum.map(|m| m.ceil()).filter(|m| *m > i64::MIN as f64);
            let hi = c
                .maximum
                .map(|m| m.floor())
                .filter(|m| *m < i64::MAX as f64);
            let lo = lo.map_or(quote!(i64::MIN), |v| int_lit(v as i64));
            let hi = hi.map_or(quote!(i64::MAX), |v| int_lit(v as i64));
            quote!(#lo..=#hi)
        }
        TypeRef::Number => {
            if c.minimum.is_none() && c.maximum.is_none() {
                return quote!(
                    proptest::num::f64::POSITIVE
                        | proptest::num::f64::NEGATIVE
                        | proptest::num::f64::NORMAL
                        | proptest::num::f64::ZERO
                );
            }
            let lo = c
                .minimum
                .unwrap_or_else(|| c.maximum.unwrap_or(0.0) - 1.0e9);
            let hi = c.maximum.unwrap_or(lo + 1.0e9);
            let (lo, hi) = (float_lit(lo), float_lit(hi));
            quote!(#lo..=#hi)
        }
        TypeRef::Json | TypeRef::Payload => {
            ctx.uses.borrow_mut().arb_json = true;
            quote!(arbitrary::json())
        }
        TypeRef::Named(n) => match ctx.catalog.types.get(n).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) if !ctx.an.newtype_aliases.contains(n) => {
                unboxed_strategy(ctx, inner, c, rec)
            }
            _ => {
                let name = type_name(n);
                match rec {
                    Some(r) if ctx.an.same_cycle(n, r) => {
                        quote!(<#name as arbitrary::Bounded>::bounded(depth.saturating_sub(1)))
                    }
                    _ => any(quote!(#name)),
                }
            }
        },
        TypeRef::Array(inner) => {
            let item = value_strategy(ctx, None, inner, &Constraints::default(), rec);
            let lo = c.min_items.unwrap_or(0);
            let hi = c
                .max_items
                .unwrap_or(u64::MAX)
                .min(lo + EXTRA_ITEMS)
                .max(lo);
            let (lo, hi) = (super::usize_lit(lo), super::usize_lit(hi));
            quote!(collection::vec(#item, #lo..=#hi))
        }
        TypeRef::Map(inner) => {
            let item = value_strategy(ctx, None, inner, &Constraints::default(), rec);
            let hi = super::usize_lit(EXTRA_ITEMS);
            quote!(collection::btree_map(any::<String>(), #item, 0..=#hi))
        }
    }
}

fn string_strategy(ctx: &Ctx, c: &Constraints) -> TokenStream {
    let lengths = c.min_length.is_some() || c.max_length.is_some();
    if let Some(p) = &c.pattern {
        ctx.uses.borrow_mut().arb_pattern = true;
        let regex = proptest_regex(p);
        let base = quote!(arbitrary::pattern(#regex));
        if !lengths {
            return base;
        }
        let lo = super::usize_lit(c.min_length.unwrap_or(0));
        let hi = super::usize_lit(c.max_length.unwrap_or(u64::MAX));
        return quote!(#base.prop_filter("length constraints", |s| (#lo..=#hi).contains(&(s.chars().count() as u64))));
    }
    if lengths {
        ctx.uses.borrow_mut().arb_chars = true;
        let lo = c.min_length.unwrap_or(0);
        let hi = c.max_length.unwrap_or(lo + 16);
        let (lo, hi) = (super::usize_lit(lo), super::usize_lit(hi));
        return quote!(arbitrary::chars(#lo, #hi));
    }
    any(quote!(String))
}

fn int_lit(v: i64) -> TokenStream {
    if v < 0 {
        let lit = Literal::i64_suffixed(v.unsigned_abs() as i64);
        if v == i64::MIN {
            return quote!(i64::MIN);
        }
        quote!(-#lit)
    } else {
        let lit = Literal::i64_suffixed(v);
        quote!(#lit)
    }
}

fn float_lit(v: f64) -> TokenStream {
    let lit = Literal::f64_suffixed(v.abs());
    if v < 0.0 {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// An ECMA-262 pattern as a regex proptest can generate from: see
/// [`crate::pattern::generator_regex`] (the one translation, shared with
/// `eventcat fixtures`). A pattern it cannot translate is kept as is
/// (anchors dropped): the generated strategy then reports it.
pub(super) fn proptest_regex(pattern: &str) -> String {
    crate::pattern::generator_regex(pattern)
        .unwrap_or_else(|_| crate::pattern::strip_anchors(pattern).to_string())
}

#[cfg(test)]
mod tests {
    use super::proptest_regex;

    #[test]
    fn ecma_patterns_become_generator_regexes() {
        assert_eq!(
            proptest_regex("^[a-z0-9]+(?:[-_][a-z0-9]+)*$"),
            "[a-z0-9]+(?:[-_][a-z0-9]+)*"
        );
        assert_eq!(proptest_regex(r"^\+\d{2,3}[\d-]$"), r"\+[0-9]{2,3}[[0-9]-]");
        assert_eq!(proptest_regex(r"a\$"), r"a\$");
    }
}
