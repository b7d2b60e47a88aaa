//! `Event`: one variant per code with its typed payload, and `Unknown`.

#[allow(unused_imports)]
use super::*;

pub(super) fn event(ctx: &Ctx) -> TokenStream {
    let events = &ctx.catalog.events;
    let env = &ctx.catalog.envelope;
    let disc = &env.discriminator;
    let payload = &env.payload;
    let code_field = field_name(disc);
    let data_field = field_name(payload);
    let variants: Vec<_> = events.iter().map(|e| variant(&e.code)).collect();
    let codes: Vec<&str> = events.iter().map(|e| e.code.as_str()).collect();
    let payloads: Vec<_> = events.iter().map(|e| type_name(&e.payload)).collect();
    let doc: Vec<TokenStream> = events.iter().map(|e| docs(&event_doc(e))).collect();
    let cfgs: Vec<TokenStream> = events.iter().map(|e| ctx.event_cfg(&e.family)).collect();
    let payload_wire = payload.as_str();
    let unknown_doc = crate::emit::rust::wrap(&format!(
        "An event whose `{disc}` this version of the catalog does not know (a \
         newer producer sent it): its code and payload, kept as they came so \
         they can be logged, stored or forwarded unchanged."
    ));
    let unknown_doc = docs(&unknown_doc);
    let unknown_code_doc = docs(&format!("The event code (`{disc}` on the wire)."));
    let unknown_data_doc = docs(&format!("The payload (`{payload}` on the wire), as JSON."));
    let data_init = if data_field == "data" {
        quote!(data,)
    } else {
        quote!(#data_field: data,)
    };
    let proptest = ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for Event {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            /// Events of every known code (never `Unknown`).
            #[allow(clippy::vec_init_then_push)]
            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                use proptest::strategy::Strategy as _;
                #[allow(unused_mut)] // Every family disabled.
                let mut variants: Vec<proptest::strategy::BoxedStrategy<Self>> = Vec::new();
                #( #cfgs variants.push(proptest::arbitrary::any::<#payloads>().prop_map(Event::#variants).boxed()); )*
                if variants.is_empty() {
                    // Every family disabled: only `Unknown` events exist.
                    return proptest::strategy::Just(Event::Unknown(UnknownEvent {
                        #code_field: String::new(),
                        #data_field: serde_json::Value::Null,
                    }))
                    .boxed();
                }
                proptest::strategy::Union::new(variants).boxed()
            }
        }
    });
    let proptest = if events.is_empty() {
        quote!()
    } else {
        proptest
    };
    quote! {
        /// An event: its code and its typed payload.
        ///
        /// One variant per event code of the catalog, holding the payload
        /// type of that code, and [`Event::Unknown`] for codes added after
        /// this code was generated. Match on it to handle every event:
        /// adding a code to the catalog adds a variant, so the compiler
        /// points at every `match` to update.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Event {
            #( #doc #cfgs #variants(#payloads), )*
            #unknown_doc
            Unknown(UnknownEvent),
        }

        impl Event {
            /// The event's code; `None` for [`Event::Unknown`].
            pub fn code(&self) -> Option<EventCode> {
                match self {
                    #( #cfgs Self::#variants(_) => Some(EventCode::#variants), )*
                    Self::Unknown(_) => None,
                }
            }

            /// The code as on the wire, known or not.
            pub fn code_str(&self) -> &str {
                match self {
                    #( #cfgs Self::#variants(_) => #codes, )*
                    Self::Unknown(event) => &event.#code_field,
                }
            }

            /// Serializes the payload alone.
            fn serialize_payload<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( #cfgs Self::#variants(payload) => serde::Serialize::serialize(payload, serializer), )*
                    Self::Unknown(event) => serde::Serialize::serialize(&event.#data_field, serializer),
                }
            }

            /// The event of `code` with the payload `data`: the typed
            /// variant of a known code (an error if `data` does not fit its
            /// payload type), [`Event::Unknown`] for any other code.
            ///
            /// An error names the JSON path from the payload field and what
            /// was expected, e.g. `data.user.id: expected uuid, found "x"`.
            pub fn from_parts(code: &str, data: serde_json::Value) -> Result<Self, serde_json::Error> {
                match code {
                    #( #cfgs #codes => support::payload(#payload_wire, data).map(Self::#variants), )*
                    _ => Ok(Self::Unknown(UnknownEvent {
                        #code_field: code.to_string(),
                        #data_init
                    })),
                }
            }
        }

        #unknown_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct UnknownEvent {
            #unknown_code_doc
            pub #code_field: String,
            #unknown_data_doc
            pub #data_field: serde_json::Value,
        }

        #proptest
    }
}
