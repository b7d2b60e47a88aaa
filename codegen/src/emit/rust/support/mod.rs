//! Items the generated types lean on: constant markers (`consts`), the
//! format newtypes (`Email`, `Uri`, `LocalDateTime`, `FormatError`), the
//! private `support` module (serde helpers, the envelope's wire form,
//! suggestions) and the private `arbitrary` module (proptest helpers).
//! The parts that do not vary with the catalog are real Rust files in
//! [`fixed`], compiled with this crate and embedded from their source.

use proc_macro2::TokenStream;
use quote::quote;

use super::{events, ident, Ctx};

// The pattern a date-time without offset matches: the JSON Schema
// emitter's.
use crate::emit::json_schema::LOCAL_DATE_TIME_PATTERN;

mod arbitrary;
pub(super) mod fixed;
mod formats;
mod wire;

#[allow(unused_imports)]
use arbitrary::*;
#[allow(unused_imports)]
use formats::*;
#[allow(unused_imports)]
use wire::*;

pub(super) fn items(ctx: &Ctx) -> TokenStream {
    let formats = formats(ctx);
    let consts = consts(ctx);
    let support = support_module(ctx);
    let arbitrary = arbitrary_module(ctx);
    quote! {
        #formats
        #consts
        #support
        #arbitrary
    }
}

fn consts(ctx: &Ctx) -> TokenStream {
    if !ctx.plan.uses.constant {
        return quote!();
    }
    let mut items = Vec::new();
    for (value, name) in &ctx.plan.an.consts {
        let schema_name = format!("Const{name}");
        let name = ident(name);
        let doc = format!(
            " The constant string `{}`: written as is, and the only string accepted.",
            value.replace('`', "'")
        );
        let schemars = ctx.schemars_item(quote! {
            impl schemars::JsonSchema for #name {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    #schema_name.into()
                }

                fn inline_schema() -> bool {
                    true
                }

                fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    super::support::schema([("type", "string".into()), ("const", Self::VALUE.into())])
                }
            }
        });
        let proptest = ctx.proptest_item(quote! {
            impl proptest::arbitrary::Arbitrary for #name {
                type Parameters = ();
                type Strategy = proptest::strategy::Just<Self>;

                fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                    proptest::strategy::Just(Self)
                }
            }
        });
        items.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #name;

            impl #name {
                /// The string on the wire.
                pub const VALUE: &'static str = #value;
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(Self::VALUE)
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    super::support::constant(deserializer, Self::VALUE).map(|()| Self)
                }
            }

            #schemars
            #proptest
        });
    }
    quote! {
        /// The catalog's constant strings (such as `__type__` values): each
        /// is a zero-sized type, written as its string and deserialized only
        /// from that string.
        pub mod consts {
            #(#items)*
        }
    }
}

/// The private `support` module: the helpers the generated types need, the
/// envelope's wire form, and the helpers every crate has.
fn support_module(ctx: &Ctx) -> TokenStream {
    let repr = events::envelope_repr(ctx);
    let uses = &ctx.plan.uses;
    let fixed = fixed::Fixed::parse(&fixed::SUPPORT);
    let mut items = Vec::new();
    if uses.present {
        items.push(fixed.items(&["present"]));
    }
    if uses.nullable {
        items.push(fixed.items(&["nullable"]));
    }
    if uses.constant {
        items.push(fixed.items(&["constant"]));
    }
    if uses.wire {
        items.push(wire_items(uses));
    }
    items.push(ctx.schemars_item(fixed.items(&["schema"])));
    if uses.nullable_schema {
        items.push(ctx.schemars_item(fixed.items(&["Nullable"])));
    }
    if uses.schema_field {
        items.push(ctx.schemars_item(fixed.items(&["field"])));
    }
    let paths = fixed::Fixed::parse(&fixed::PATHS);
    // The reader of a payload, for the codes there are.
    if !ctx.catalog.events.is_empty() {
        items.push(paths.items(&["payload"]));
    }
    items.push(paths.items(&["tracked"]));
    items.push(fixed.items(&["closest", "edit_distance"]));
    items.push(fixed.items(&["Data"]));
    let allow = ctx.allow_partial();
    quote! {
        /// Helpers of the generated code.
        #allow
        mod support {
            #(#items)*

            #repr
        }
    }
}
