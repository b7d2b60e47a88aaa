//! One Rust item per catalog type, and its proptest strategy.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::model::{
    Constraints, EnumType, Field, ObjectType, StringFormat, TypeDef, TypeKind, TypeRef,
};
use crate::naming;

use super::analysis::dealias;
use super::{describe, docs, field_doc, field_name, ident, type_name, Ctx};

mod strategy;

#[allow(unused_imports)]
use strategy::*;
pub(super) use strategy::{field_strategy, strategy_imports, tuple_map};

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
        let recursive = ctx.plan.an.recursive.contains_key(&t.name);
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
    if !ctx.plan.an.newtype_aliases.contains(&t.name) {
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
