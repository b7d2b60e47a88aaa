//! The event-level items: `EventCode`, `Family`, `Status`, `Event`,
//! `UnknownEvent`, `Envelope`, `Selector` and their errors.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::{Event as EventDef, Status, TypeRef};
use crate::naming;

use super::{describe, docs, field_doc, field_name, ident, type_name, Ctx};

/// The event items, in file order, each made on demand (so a caller can
/// format one before making the next).
pub(super) const PIECES: [fn(&Ctx) -> TokenStream; 6] =
    [envelope, event, event_code, family, |_| status(), selector];

fn variant(code: &str) -> proc_macro2::Ident {
    ident(&naming::pascal_case(code))
}

fn code_doc(e: &EventDef) -> String {
    let mut text = format!("`{}`: {}.", e.code, e.title.trim_end_matches('.'));
    if !e.description.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(&e.description);
    }
    match &e.status {
        Status::Available => {}
        Status::Planned => text.push_str("\n\n**Planned**: announced, not sent yet."),
        Status::Deprecated { message } => {
            text.push_str(&format!("\n\n**Deprecated**: {message}"));
        }
    }
    if let Some(since) = &e.since {
        text.push_str(&format!("\n\nSince catalog version {since}."));
    }
    text
}

fn event_code(ctx: &Ctx) -> TokenStream {
    let events = &ctx.catalog.events;
    let n = Literal::usize_unsuffixed(events.len());
    let variants: Vec<_> = events.iter().map(|e| variant(&e.code)).collect();
    let codes: Vec<&str> = events.iter().map(|e| e.code.as_str()).collect();
    let titles: Vec<&str> = events.iter().map(|e| e.title.as_str()).collect();
    let doc: Vec<TokenStream> = events.iter().map(|e| docs(&code_doc(e))).collect();
    let families: Vec<_> = events
        .iter()
        .map(|e| ident(&naming::pascal_case(&e.family)))
        .collect();
    let statuses: Vec<TokenStream> = events
        .iter()
        .map(|e| match &e.status {
            Status::Available => quote!(Status::Available),
            Status::Planned => quote!(Status::Planned),
            Status::Deprecated { message } => quote!(Status::Deprecated(#message)),
        })
        .collect();
    let schemars = ctx.schemars_item(quote! {
        impl schemars::JsonSchema for EventCode {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                "EventCode".into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                support::schema([
                    ("description", "An event code of the catalog.".into()),
                    ("type", "string".into()),
                    ("enum", Self::ALL.map(EventCode::as_str).to_vec().into()),
                ])
            }
        }
    });
    let match_arms_empty = events.is_empty();
    let as_str = if match_arms_empty {
        quote!(match self {})
    } else {
        quote!(match self { #(Self::#variants => #codes,)* })
    };
    let family_fn = if match_arms_empty {
        quote!(match self {})
    } else {
        quote!(match self { #(Self::#variants => Family::#families,)* })
    };
    let status_fn = if match_arms_empty {
        quote!(match self {})
    } else {
        quote!(match self { #(Self::#variants => #statuses,)* })
    };
    let title_fn = if match_arms_empty {
        quote!(match self {})
    } else {
        quote!(match self { #(Self::#variants => #titles,)* })
    };
    quote! {
        /// Every event code of the catalog.
        ///
        /// Parses from and displays as the code (`FromStr`, `Display`,
        /// serde); an unknown code is an error here (an [`Envelope`] keeps
        /// unknown codes in [`Event::Unknown`] instead).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EventCode {
            #( #doc #variants, )*
        }

        impl EventCode {
            /// Every code, in catalog order (by family, then as declared).
            pub const ALL: [EventCode; #n] = [#(EventCode::#variants),*];

            /// The code as on the wire, e.g. `"dir_sync.user.provision.success"`.
            pub const fn as_str(self) -> &'static str {
                #as_str
            }

            /// The family the code belongs to.
            pub const fn family(self) -> Family {
                #family_fn
            }

            /// Whether the code is sent today, planned, or deprecated.
            pub const fn status(self) -> Status {
                #status_fn
            }

            /// Short human title.
            pub const fn title(self) -> &'static str {
                #title_fn
            }
        }

        impl std::fmt::Display for EventCode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for EventCode {
            type Err = ParseEventCodeError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|code| code.as_str() == s)
                    .ok_or_else(|| ParseEventCodeError {
                        input: s.to_string(),
                        suggestion: support::closest(s, Self::ALL.iter().map(|code| code.as_str())),
                    })
            }
        }

        impl serde::Serialize for EventCode {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for EventCode {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        #schemars

        /// A string that is not an event code of the catalog.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ParseEventCodeError {
            input: String,
            suggestion: Option<&'static str>,
        }

        impl ParseEventCodeError {
            /// The string that was parsed.
            pub fn input(&self) -> &str {
                &self.input
            }

            /// The closest event code, if one is close.
            pub fn suggestion(&self) -> Option<&'static str> {
                self.suggestion
            }
        }

        impl std::fmt::Display for ParseEventCodeError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "unknown event code `{}`", self.input)?;
                if let Some(s) = self.suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                Ok(())
            }
        }

        impl std::error::Error for ParseEventCodeError {}
    }
}

fn family(ctx: &Ctx) -> TokenStream {
    let fams = &ctx.catalog.families;
    let n = Literal::usize_unsuffixed(fams.len());
    let variants: Vec<_> = fams
        .iter()
        .map(|f| ident(&naming::pascal_case(&f.id)))
        .collect();
    let ids: Vec<&str> = fams.iter().map(|f| f.id.as_str()).collect();
    let selectors: Vec<String> = fams.iter().map(|f| format!("{}.all", f.id)).collect();
    let titles: Vec<&str> = fams.iter().map(|f| f.title.as_str()).collect();
    let doc: Vec<TokenStream> = fams
        .iter()
        .map(|f| {
            let mut text = format!("`{}`: {}.", f.id, f.title.trim_end_matches('.'));
            if !f.description.trim().is_empty() {
                text.push_str("\n\n");
                text.push_str(&f.description);
            }
            docs(&text)
        })
        .collect();
    let empty = fams.is_empty();
    let arms = |vals: &[TokenStream]| {
        if empty {
            quote!(match self {})
        } else {
            quote!(match self { #(Self::#variants => #vals,)* })
        }
    };
    let lit = |v: &[String]| v.iter().map(|s| quote!(#s)).collect::<Vec<_>>();
    let as_str = arms(&lit(&ids.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
    let selector = arms(&lit(&selectors));
    let title = arms(&lit(&titles
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()));
    let proptest = ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for Family {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                use proptest::strategy::Strategy as _;
                proptest::sample::select(Self::ALL.to_vec()).boxed()
            }
        }
    });
    quote! {
        /// A family of event codes: the first segment of its codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Family {
            #( #doc #variants, )*
        }

        impl Family {
            /// Every family, sorted by id.
            pub const ALL: [Family; #n] = [#(Family::#variants),*];

            /// The family id, e.g. `"dir_sync"`.
            pub const fn as_str(self) -> &'static str {
                #as_str
            }

            /// The selector of every code of the family, e.g. `"dir_sync.all"`.
            pub const fn selector(self) -> &'static str {
                #selector
            }

            /// Human title.
            pub const fn title(self) -> &'static str {
                #title
            }

            /// The family's codes, in catalog order.
            pub fn codes(self) -> impl Iterator<Item = EventCode> {
                EventCode::ALL.into_iter().filter(move |code| code.family() == self)
            }
        }

        impl std::fmt::Display for Family {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #proptest
    }
}

fn status() -> TokenStream {
    quote! {
        /// Lifecycle status of an event code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Status {
            /// Sent today.
            Available,
            /// Announced, not sent yet.
            Planned,
            /// Still sent, going away: why, and what to use instead.
            Deprecated(&'static str),
        }
    }
}

fn event(ctx: &Ctx) -> TokenStream {
    let events = &ctx.catalog.events;
    let env = &ctx.catalog.envelope;
    let disc = &env.discriminator;
    let payload = &env.payload;
    let code_field = field_name(disc);
    let data_field = field_name(payload);
    let variants: Vec<_> = events.iter().map(|e| variant(&e.code)).collect();
    let codes: Vec<&str> = events.iter().map(|e| e.code.as_str()).collect();
    let payloads: Vec<_> = events.iter().map(|e| type_name(&e.payload)).collect();
    let doc: Vec<TokenStream> = events.iter().map(|e| docs(&code_doc(e))).collect();
    let cfgs: Vec<TokenStream> = events.iter().map(|e| ctx.event_cfg(&e.family)).collect();
    let payload_wire = payload.as_str();
    let unknown_doc = super::wrap(&format!(
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

fn envelope(ctx: &Ctx) -> TokenStream {
    let env = &ctx.catalog.envelope;
    let disc = env.discriminator.as_str();
    let payload = env.payload.as_str();
    let data_field = field_name(payload);
    let code_ident = field_name(disc);
    let plain: Vec<_> = env
        .fields
        .iter()
        .filter(|f| !matches!(f.ty, TypeRef::EventCode | TypeRef::Payload))
        .collect();

    // The struct.
    let mut decls = Vec::new();
    for f in &plain {
        let doc = docs(&field_doc(f));
        let name = field_name(&f.name);
        let ty = ctx.field_type(None, f);
        decls.push(quote!(#doc pub #name: #ty,));
    }
    let code_desc = env
        .fields
        .iter()
        .find(|f| f.ty == TypeRef::EventCode)
        .map(|f| f.description.clone())
        .unwrap_or_default();
    let data_desc = env
        .fields
        .iter()
        .find(|f| f.ty == TypeRef::Payload)
        .map(|f| f.description.clone())
        .unwrap_or_default();
    let event_doc = format!(
        "The event: its code (`{disc}` on the wire) and its payload (`{payload}`).\n\n`{disc}`: {}\n\n`{payload}`: {}",
        describe(&code_desc, "the event code."),
        describe(&data_desc, "the payload."),
    );
    let event_doc = docs(&event_doc);
    decls.push(quote!(#event_doc pub #data_field: Event,));

    // Serialize, in wire order.
    let mut ser = Vec::new();
    for f in &env.fields {
        let wire = f.name.as_str();
        match f.ty {
            TypeRef::EventCode => {
                ser.push(quote!(s.serialize_field(#wire, self.#data_field.code_str())?;))
            }
            TypeRef::Payload => {
                ser.push(quote!(s.serialize_field(#wire, &support::Data(&self.#data_field))?;))
            }
            _ => {
                let name = field_name(&f.name);
                if f.optional {
                    ser.push(quote! {
                        match &self.#name {
                            Some(value) => s.serialize_field(#wire, value)?,
                            None => s.skip_field(#wire)?,
                        }
                    });
                } else {
                    ser.push(quote!(s.serialize_field(#wire, &self.#name)?;));
                }
            }
        }
    }
    let n = Literal::usize_unsuffixed(env.fields.len());

    // Deserialize through support::EnvelopeRepr.
    let names: Vec<_> = plain.iter().map(|f| field_name(&f.name)).collect();

    let desc = describe(&env.description, "The object every event is sent in.");
    let mut doc_text = desc;
    doc_text.push_str("\n\n");
    doc_text.push_str(&super::wrap(&format!(
        "Deserializing checks every field of the envelope, then the payload \
         against the type of its code; an unknown `{disc}` gives [`Event::Unknown`] \
         rather than an error{partial}. Fields the catalog does not declare are ignored. \
         An error names the JSON path of the value at fault and what was expected, \
         e.g. `{payload}.user.id: expected uuid, found \"x\" (in a `a.b` event)`. \
         Serializing writes the fields in the catalog's order.",
        partial = if ctx.layout.is_some() {
            " (so does the code of a family whose cargo feature is disabled)"
        } else {
            ""
        },
    )));
    let doc = docs(&doc_text);

    let message = "{} (in a `{}` event)";
    let schemars = envelope_schemars(ctx);
    let proptest = envelope_proptest(ctx, &plain);

    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct Envelope {
            #(#decls)*
        }

        impl Envelope {
            /// The event's code; `None` for an unknown one.
            pub fn code(&self) -> Option<EventCode> {
                self.#data_field.code()
            }
        }

        impl serde::Serialize for Envelope {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let mut s = serializer.serialize_struct("Envelope", #n)?;
                #(#ser)*
                s.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for Envelope {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let support::EnvelopeRepr { #(#names,)* #code_ident, #data_field } =
                    support::tracked(deserializer)?;
                let #data_field = Event::from_parts(&#code_ident, #data_field).map_err(|e| {
                    serde::de::Error::custom(format_args!(#message, e, #code_ident))
                })?;
                Ok(Self { #(#names,)* #data_field })
            }
        }

        #schemars
        #proptest
    }
}

/// The `EnvelopeRepr` struct `support` holds: the envelope as derived serde
/// reads it, with the payload as JSON.
pub(super) fn envelope_repr(ctx: &Ctx) -> TokenStream {
    let env = &ctx.catalog.envelope;
    let mut decls = Vec::new();
    for f in &env.fields {
        let name = field_name(&f.name);
        let wire = f.name.as_str();
        let rename = if naming::snake_case(wire) != wire {
            quote!(#[serde(rename = #wire)])
        } else {
            quote!()
        };
        match f.ty {
            TypeRef::EventCode => decls.push(quote!(#rename pub(super) #name: String,)),
            TypeRef::Payload => decls.push(quote!(#rename pub(super) #name: serde_json::Value,)),
            _ => {
                let ty = ctx.field_type_in(None, f, &quote!(super::));
                let mut plain = (*f).clone();
                plain.constraints = Default::default();
                let attrs = serde_only(ctx, &plain);
                decls.push(quote!(#attrs pub(super) #name: #ty,));
            }
        }
    }
    quote! {
        /// The envelope as on the wire, its payload not yet typed.
        #[derive(serde::Deserialize)]
        pub(super) struct EnvelopeRepr {
            #(#decls)*
        }
    }
}

/// serde attributes of a field (helpers reached from inside `support`).
fn serde_only(ctx: &Ctx, f: &crate::model::Field) -> TokenStream {
    let wire = f.name.as_str();
    let mut serde = Vec::new();
    if naming::snake_case(wire) != wire {
        serde.push(quote!(rename = #wire));
    }
    let wire = ctx.needs_wire(&f.ty);
    if wire {
        let mut uses = ctx.uses.borrow_mut();
        if f.optional {
            uses.present_wire_fn = true;
        } else {
            uses.wire_fn = true;
        }
    }
    match (f.optional, f.nullable) {
        (false, false) if wire => serde.push(quote!(deserialize_with = "wire")),
        (false, false) => {}
        (false, true) if wire => serde.push(quote!(deserialize_with = "wire")),
        (false, true) => {
            ctx.uses.borrow_mut().nullable = true;
            serde.push(quote!(deserialize_with = "nullable"));
        }
        (true, _) if wire => serde.push(quote!(default, deserialize_with = "present_wire")),
        (true, _) => {
            ctx.uses.borrow_mut().present = true;
            serde.push(quote!(default, deserialize_with = "present"));
        }
    }
    if serde.is_empty() {
        quote!()
    } else {
        quote!(#[serde( #(#serde),* )])
    }
}

fn envelope_schemars(ctx: &Ctx) -> TokenStream {
    if ctx.opts.schemars == super::Derive::Off {
        return quote!();
    }
    let env = &ctx.catalog.envelope;
    let mut props = Vec::new();
    let mut required = Vec::new();
    for f in &env.fields {
        let wire = f.name.as_str();
        match f.ty {
            TypeRef::EventCode => {
                props.push(quote! {
                    properties.insert(#wire.into(), generator.subschema_for::<EventCode>().into());
                });
                required.push(wire);
            }
            TypeRef::Payload => {
                props.push(quote! {
                    properties.insert(#wire.into(), support::schema([("type", "object".into())]).into());
                });
                required.push(wire);
            }
            _ => {
                let base = ctx.rust_type(None, &f.ty);
                let ty = if f.nullable {
                    quote!(Option<#base>)
                } else {
                    base
                };
                let c = &f.constraints;
                let mut extra = Vec::new();
                let mut keyword = |k: &str, v: Option<TokenStream>| {
                    if let Some(v) = v {
                        extra.push(quote!((#k, #v.into())));
                    }
                };
                keyword("minimum", c.minimum.map(super::number_lit));
                keyword("maximum", c.maximum.map(super::number_lit));
                keyword("minLength", c.min_length.map(super::usize_lit));
                keyword("maxLength", c.max_length.map(super::usize_lit));
                keyword("minItems", c.min_items.map(super::usize_lit));
                keyword("maxItems", c.max_items.map(super::usize_lit));
                keyword("pattern", c.pattern.as_ref().map(|p| quote!(#p)));
                let desc = describe(&f.description, &format!("The `{}` field.", f.name));
                ctx.uses.borrow_mut().schema_field = true;
                props.push(quote! {
                    let description = #desc;
                    let schema = generator.subschema_for::<#ty>();
                    properties.insert(#wire.into(), support::field(schema, description, [#(#extra),*]));
                });
                if !f.optional {
                    required.push(wire);
                }
            }
        }
    }
    let disc = env.discriminator.as_str();
    let payload = env.payload.as_str();
    let codes: Vec<&str> = ctx.catalog.events.iter().map(|e| e.code.as_str()).collect();
    let payloads: Vec<_> = ctx
        .catalog
        .events
        .iter()
        .map(|e| type_name(&e.payload))
        .collect();
    let cfgs: Vec<TokenStream> = ctx
        .catalog
        .events
        .iter()
        .map(|e| ctx.event_cfg(&e.family))
        .collect();
    let description = describe(&env.description, "The object every event is sent in.");
    ctx.schemars_item(quote! {
        impl schemars::JsonSchema for Envelope {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                "Envelope".into()
            }

            /// The envelope's fields, and one branch per code giving the
            /// type of its payload.
            #[allow(clippy::vec_init_then_push)]
            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let mut properties = serde_json::Map::new();
                #(#props)*
                #[allow(unused_mut)] // Every family disabled.
                let mut branches: Vec<(&str, schemars::Schema)> = Vec::new();
                #( #cfgs branches.push((#codes, generator.subschema_for::<#payloads>())); )*
                let one_of: Vec<serde_json::Value> = branches
                    .into_iter()
                    .map(|(code, data)| {
                        let properties = support::schema([
                            (#disc, support::schema([("const", code.into())]).into()),
                            (#payload, data.into()),
                        ]);
                        support::schema([("properties", properties.into())]).into()
                    })
                    .collect();
                support::schema([
                    ("description", #description.into()),
                    ("type", "object".into()),
                    ("properties", properties.into()),
                    ("required", vec![#(#required),*].into()),
                    ("oneOf", one_of.into()),
                ])
            }
        }
    })
}

fn envelope_proptest(ctx: &Ctx, plain: &[&crate::model::Field]) -> TokenStream {
    if !ctx.proptest_on() || ctx.catalog.events.is_empty() {
        return quote!();
    }
    let data_field = field_name(&ctx.catalog.envelope.payload);
    let mut parts: Vec<(proc_macro2::Ident, TokenStream)> = plain
        .iter()
        .map(|f| {
            (
                field_name(&f.name),
                super::types::field_strategy(ctx, None, f, None),
            )
        })
        .collect();
    parts.push((data_field, quote!(any::<Event>())));
    let build = super::types::tuple_map(&parts, quote!(Self));
    let imports = super::types::strategy_imports(&build);
    ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for Envelope {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            /// Envelopes of every known code, valid under the catalog.
            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                #imports
                #build.boxed()
            }
        }
    })
}

fn selector(ctx: &Ctx) -> TokenStream {
    let proptest = ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for Selector {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                use proptest::strategy::Strategy as _;
                let all = std::iter::once(Selector::All)
                    .chain(Family::ALL.into_iter().map(Selector::Family))
                    .chain(EventCode::ALL.into_iter().map(Selector::Code))
                    .collect::<Vec<_>>();
                proptest::sample::select(all).boxed()
            }
        }
    });
    quote! {
        /// What a webhook subscribes to: `all` (every event), `<family>.all`
        /// (every event of a family, e.g. `dir_sync.all`) or one event code.
        ///
        /// Parses from and displays as those strings (`FromStr`, `Display`,
        /// serde); anything else is a [`SelectorError`] naming the closest
        /// valid selector.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Selector {
            /// `all`: every event of every family.
            All,
            /// `<family>.all`: every event of one family.
            Family(Family),
            /// One event code.
            Code(EventCode),
        }

        impl Selector {
            /// Whether an event of `code` is selected.
            pub fn matches(&self, code: &EventCode) -> bool {
                match self {
                    Self::All => true,
                    Self::Family(family) => code.family() == *family,
                    Self::Code(selected) => selected == code,
                }
            }

            /// Whether an event whose code is `code` (known or not) is
            /// selected: a code unknown to this version still matches `all`
            /// and the family it starts with.
            pub fn matches_str(&self, code: &str) -> bool {
                match self {
                    Self::All => true,
                    Self::Family(family) => code
                        .strip_prefix(family.as_str())
                        .is_some_and(|rest| rest.starts_with('.')),
                    Self::Code(selected) => selected.as_str() == code,
                }
            }

            /// Whether `event` is selected.
            pub fn matches_event(&self, event: &Event) -> bool {
                self.matches_str(event.code_str())
            }
        }

        impl std::fmt::Display for Selector {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::All => f.write_str("all"),
                    Self::Family(family) => f.write_str(family.selector()),
                    Self::Code(code) => f.write_str(code.as_str()),
                }
            }
        }

        impl std::str::FromStr for Selector {
            type Err = SelectorError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if s == "all" {
                    return Ok(Self::All);
                }
                if let Some(family) = Family::ALL.into_iter().find(|f| f.selector() == s) {
                    return Ok(Self::Family(family));
                }
                if let Some(code) = EventCode::ALL.into_iter().find(|c| c.as_str() == s) {
                    return Ok(Self::Code(code));
                }
                let candidates = std::iter::once("all")
                    .chain(Family::ALL.iter().map(|f| f.selector()))
                    .chain(EventCode::ALL.iter().map(|c| c.as_str()));
                Err(SelectorError {
                    input: s.to_string(),
                    suggestion: support::closest(s, candidates),
                })
            }
        }

        impl serde::Serialize for Selector {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for Selector {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        #proptest

        /// A string that is not a valid selector.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct SelectorError {
            input: String,
            suggestion: Option<&'static str>,
        }

        impl SelectorError {
            /// The string that was parsed.
            pub fn input(&self) -> &str {
                &self.input
            }

            /// The closest valid selector, if one is close.
            pub fn suggestion(&self) -> Option<&'static str> {
                self.suggestion
            }
        }

        impl std::fmt::Display for SelectorError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(
                    f,
                    "unknown event selector `{}`: expected `all`, `<family>.all` or an event code",
                    self.input
                )?;
                if let Some(s) = self.suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                Ok(())
            }
        }

        impl std::error::Error for SelectorError {}
    }
}
