//! proptest strategies of the generated types: values that are valid by
//! construction (formats, patterns, bounds), recursion kept finite.

#[allow(unused_imports)]
use super::*;

/// `Arbitrary` (and for a recursive type `Bounded`) from a strategy
/// expression building `Self` (using `depth` when recursive).
pub(super) fn arbitrary_impl(
    ctx: &Ctx,
    name: &Ident,
    build: TokenStream,
    recursive: bool,
) -> TokenStream {
    let imports = strategy_imports(&build);
    if recursive {
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
pub(in crate::emit::rust) fn strategy_imports(build: &TokenStream) -> TokenStream {
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
pub(super) fn path_heads(tokens: TokenStream, out: &mut std::collections::BTreeSet<String>) {
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

/// A strategy expression building `ctor { field, ... }` from the strategies
/// of its fields (nested tuples past eight fields).
pub(in crate::emit::rust) fn tuple_map(
    parts: &[(Ident, TokenStream)],
    ctor: TokenStream,
) -> TokenStream {
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

pub(super) fn nest(parts: &[(Ident, TokenStream)]) -> (TokenStream, TokenStream) {
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
pub(in crate::emit::rust) fn field_strategy(
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
pub(super) fn receiver(s: &TokenStream) -> TokenStream {
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
pub(super) fn reaches_cycle(ctx: &Ctx, ty: &TypeRef, rec: &str, seen: &mut Vec<String>) -> bool {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => reaches_cycle(ctx, inner, rec, seen),
        TypeRef::Named(n) => {
            if ctx.plan.an.same_cycle(n, rec) {
                return true;
            }
            if seen.contains(n) || ctx.plan.an.newtype_aliases.contains(n) {
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
pub(super) fn minimal_value(ctx: &Ctx, ty: &TypeRef) -> Option<TokenStream> {
    match dealias(ctx.catalog, &ctx.plan.an.newtype_aliases, ty) {
        TypeRef::Array(_) => Some(quote!(Vec::new())),
        TypeRef::Map(_) => Some(quote!(BTreeMap::new())),
        TypeRef::Named(n) if ctx.plan.an.newtype_aliases.contains(n) => {
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
pub(super) fn value_strategy(
    ctx: &Ctx,
    owner: Option<&str>,
    ty: &TypeRef,
    c: &Constraints,
    rec: Option<&str>,
) -> TokenStream {
    let s = unboxed_strategy(ctx, ty, c, rec);
    if crate::emit::rust::plan::boxed(ctx.catalog, &ctx.plan.an, owner, ty) {
        let s = receiver(&s);
        quote!(#s.prop_map(Box::new))
    } else {
        s
    }
}

pub(super) fn any(ty: TokenStream) -> TokenStream {
    quote!(any::<#ty>())
}

/// The strategy of a value of `ty`, before any boxing.
pub(super) fn unboxed_strategy(
    ctx: &Ctx,
    ty: &TypeRef,
    c: &Constraints,
    rec: Option<&str>,
) -> TokenStream {
    match ty {
        TypeRef::String(StringFormat::Plain) => string_strategy(c),
        TypeRef::String(StringFormat::Uuid) => {
            quote!(any::<u128>().prop_map(uuid::Uuid::from_u128))
        }
        TypeRef::String(StringFormat::Date) => {
            quote!(arbitrary::date())
        }
        TypeRef::String(StringFormat::DateTime) => {
            quote!(arbitrary::date_time())
        }
        TypeRef::String(_) | TypeRef::Boolean | TypeRef::Const(_) => any(ctx.rust_type(None, ty)),
        TypeRef::Integer => integer_strategy(c),
        TypeRef::Number => number_strategy(c),
        TypeRef::Json => {
            quote!(arbitrary::json())
        }
        TypeRef::Named(n) => named_strategy(ctx, n, c, rec),
        TypeRef::Array(inner) => array_strategy(ctx, inner, c, rec),
        TypeRef::Map(inner) => {
            let item = value_strategy(ctx, None, inner, &Constraints::default(), rec);
            let hi = crate::emit::rust::usize_lit(EXTRA_ITEMS);
            quote!(collection::btree_map(any::<String>(), #item, 0..=#hi))
        }
    }
}

/// The strategy of an integer: any `i64`, or the range its bounds allow.
fn integer_strategy(c: &Constraints) -> TokenStream {
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

/// The strategy of a number: any finite `f64`, or a range within its bounds.
fn number_strategy(c: &Constraints) -> TokenStream {
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

/// The strategy of a named type: a plain alias's target, a type on `rec`'s
/// cycle at one less depth, else the type's own `Arbitrary`.
fn named_strategy(ctx: &Ctx, n: &str, c: &Constraints, rec: Option<&str>) -> TokenStream {
    match ctx.catalog.types.get(n).map(|t| &t.kind) {
        Some(TypeKind::Alias(inner)) if !ctx.plan.an.newtype_aliases.contains(n) => {
            unboxed_strategy(ctx, inner, c, rec)
        }
        _ => {
            let name = type_name(n);
            match rec {
                Some(r) if ctx.plan.an.same_cycle(n, r) => {
                    quote!(<#name as arbitrary::Bounded>::bounded(depth.saturating_sub(1)))
                }
                _ => any(quote!(#name)),
            }
        }
    }
}

/// The strategy of an array: a `Vec` of its items, as long as its bounds
/// allow but at most `EXTRA_ITEMS` past the minimum.
fn array_strategy(ctx: &Ctx, inner: &TypeRef, c: &Constraints, rec: Option<&str>) -> TokenStream {
    let item = value_strategy(ctx, None, inner, &Constraints::default(), rec);
    let lo = c.min_items.unwrap_or(0);
    let hi = c
        .max_items
        .unwrap_or(u64::MAX)
        .min(lo + EXTRA_ITEMS)
        .max(lo);
    let (lo, hi) = (
        crate::emit::rust::usize_lit(lo),
        crate::emit::rust::usize_lit(hi),
    );
    quote!(collection::vec(#item, #lo..=#hi))
}

pub(super) fn string_strategy(c: &Constraints) -> TokenStream {
    let lengths = c.min_length.is_some() || c.max_length.is_some();
    if let Some(p) = &c.pattern {
        let regex = proptest_regex(p);
        let base = quote!(arbitrary::pattern(#regex));
        if !lengths {
            return base;
        }
        let lo = crate::emit::rust::usize_lit(c.min_length.unwrap_or(0));
        let hi = crate::emit::rust::usize_lit(c.max_length.unwrap_or(u64::MAX));
        return quote!(#base.prop_filter("length constraints", |s| (#lo..=#hi).contains(&(s.chars().count() as u64))));
    }
    if lengths {
        let lo = c.min_length.unwrap_or(0);
        let hi = c.max_length.unwrap_or(lo + 16);
        let (lo, hi) = (
            crate::emit::rust::usize_lit(lo),
            crate::emit::rust::usize_lit(hi),
        );
        return quote!(arbitrary::chars(#lo, #hi));
    }
    any(quote!(String))
}

pub(super) fn int_lit(v: i64) -> TokenStream {
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

pub(super) fn float_lit(v: f64) -> TokenStream {
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
pub(in crate::emit::rust) fn proptest_regex(pattern: &str) -> String {
    crate::pattern::generator_regex(pattern)
        .unwrap_or_else(|_| crate::pattern::strip_anchors(pattern).to_string())
}
