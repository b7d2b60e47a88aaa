//! `Envelope`: the envelope fields around the event, its serde, schemars
//! and proptest impls.

#[allow(unused_imports)]
use super::*;

/// The `Envelope` struct with its accessor, serde, schemars and proptest impls.
pub(super) fn envelope(ctx: &Ctx) -> TokenStream {
    let env = &ctx.catalog.envelope;
    let data_field = field_name(&env.payload);
    let code_ident = field_name(&env.discriminator);
    let plain: Vec<_> = env.plain_fields().collect();
    let decls = envelope_decls(ctx, &plain);
    let ser = envelope_serialize(ctx);
    let n = Literal::usize_unsuffixed(env.fields.len());
    // Deserialize through support::EnvelopeRepr.
    let names: Vec<_> = plain.iter().map(|f| field_name(&f.name)).collect();
    let doc = docs(&envelope_doc(ctx));
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

/// The `Envelope` struct's field declarations: the plain fields, then the event.
fn envelope_decls(ctx: &Ctx, plain: &[&crate::model::Field]) -> Vec<TokenStream> {
    let env = &ctx.catalog.envelope;
    let disc = env.discriminator.as_str();
    let payload = env.payload.as_str();
    let mut decls = Vec::new();
    for f in plain {
        let doc = docs(&field_doc(f));
        let name = field_name(&f.name);
        let ty = ctx.field_type(None, f);
        decls.push(quote!(#doc pub #name: #ty,));
    }
    let code_text = env.discriminator_slot().map_or("", |s| &s.description);
    let payload_text = env.payload_slot().map_or("", |s| &s.description);
    let event_doc = format!(
        "The event: its code (`{disc}` on the wire) and its payload (`{payload}`).\n\n`{disc}`: {}\n\n`{payload}`: {}",
        describe(code_text, "the event code."),
        describe(payload_text, "the payload."),
    );
    let event_doc = docs(&event_doc);
    let data_field = field_name(payload);
    decls.push(quote!(#event_doc pub #data_field: Event,));
    decls
}

/// The statements serializing each envelope field, in wire order.
fn envelope_serialize(ctx: &Ctx) -> Vec<TokenStream> {
    let env = &ctx.catalog.envelope;
    let data_field = field_name(&env.payload);
    let mut ser = Vec::new();
    for f in &env.fields {
        let wire = f.name();
        match f {
            EnvelopeField::Discriminator(_) => {
                ser.push(quote!(s.serialize_field(#wire, self.#data_field.code_str())?;))
            }
            EnvelopeField::Payload(_) => {
                ser.push(quote!(s.serialize_field(#wire, &support::Data(&self.#data_field))?;))
            }
            EnvelopeField::Plain(f) => {
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
    ser
}

/// The doc comment of `Envelope`: the catalog's description, then how it
/// (de)serializes.
fn envelope_doc(ctx: &Ctx) -> String {
    let env = &ctx.catalog.envelope;
    let disc = env.discriminator.as_str();
    let payload = env.payload.as_str();
    let mut doc_text = describe(&env.description, "The object every event is sent in.");
    doc_text.push_str("\n\n");
    doc_text.push_str(&crate::emit::rust::wrap(&format!(
        "Deserializing checks every field of the envelope, then the payload \
         against the type of its code; an unknown `{disc}` gives [`Event::Unknown`] \
         rather than an error{partial}. Fields the catalog does not declare are ignored. \
         An error names the JSON path of the value at fault and what was expected, \
         e.g. `{payload}.user.id: expected uuid, found \"x\" (in a `a.b` event)`. \
         Serializing writes the fields in the catalog's order.",
        partial = if ctx.plan.layout.is_some() {
            " (so does the code of a family whose cargo feature is disabled)"
        } else {
            ""
        },
    )));
    doc_text
}

/// The `EnvelopeRepr` struct `support` holds: the envelope as derived serde
/// reads it, with the payload as JSON.
pub(in crate::emit::rust) fn envelope_repr(ctx: &Ctx) -> TokenStream {
    let env = &ctx.catalog.envelope;
    let mut decls = Vec::new();
    for f in &env.fields {
        let name = field_name(f.name());
        let wire = f.name();
        let rename = match crate::emit::rust::plan::serde_rename(wire) {
            Some(wire) => quote!(#[serde(rename = #wire)]),
            None => quote!(),
        };
        match f {
            EnvelopeField::Discriminator(_) => {
                decls.push(quote!(#rename pub(super) #name: String,))
            }
            EnvelopeField::Payload(_) => {
                decls.push(quote!(#rename pub(super) #name: serde_json::Value,))
            }
            EnvelopeField::Plain(f) => {
                let ty = ctx.field_type_in(None, f, &quote!(super::));
                let attrs = serde_only(ctx, f);
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
pub(super) fn serde_only(ctx: &Ctx, f: &crate::model::Field) -> TokenStream {
    let mut serde = Vec::new();
    if let Some(wire) = crate::emit::rust::plan::serde_rename(&f.name) {
        serde.push(quote!(rename = #wire));
    }
    match (ctx.reader(f).helper(), f.optional) {
        (None, _) => {}
        (Some(path), true) => serde.push(quote!(default, deserialize_with = #path)),
        (Some(path), false) => serde.push(quote!(deserialize_with = #path)),
    }
    if serde.is_empty() {
        quote!()
    } else {
        quote!(#[serde( #(#serde),* )])
    }
}

pub(super) fn envelope_schemars(ctx: &Ctx) -> TokenStream {
    if ctx.plan.opts.schemars == crate::emit::rust::Derive::Off {
        return quote!();
    }
    let env = &ctx.catalog.envelope;
    let mut props = Vec::new();
    let mut required = Vec::new();
    for f in &env.fields {
        let wire = f.name();
        match f {
            EnvelopeField::Discriminator(_) => props.push(quote! {
                properties.insert(#wire.into(), generator.subschema_for::<EventCode>().into());
            }),
            EnvelopeField::Payload(_) => props.push(quote! {
                properties.insert(#wire.into(), support::schema([("type", "object".into())]).into());
            }),
            EnvelopeField::Plain(f) => props.push(schemars_property(ctx, f)),
        }
        if !f.optional() {
            required.push(wire);
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

/// The statements inserting an ordinary envelope field's schema into
/// `properties`.
fn schemars_property(ctx: &Ctx, f: &crate::model::Field) -> TokenStream {
    let wire = f.name.as_str();
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
    keyword("minimum", c.minimum.map(crate::emit::rust::number_lit));
    keyword("maximum", c.maximum.map(crate::emit::rust::number_lit));
    keyword("minLength", c.min_length.map(crate::emit::rust::usize_lit));
    keyword("maxLength", c.max_length.map(crate::emit::rust::usize_lit));
    keyword("minItems", c.min_items.map(crate::emit::rust::usize_lit));
    keyword("maxItems", c.max_items.map(crate::emit::rust::usize_lit));
    keyword("pattern", c.pattern.as_ref().map(|p| quote!(#p)));
    let desc = describe(&f.description, &format!("The `{}` field.", f.name));
    quote! {
        let description = #desc;
        let schema = generator.subschema_for::<#ty>();
        properties.insert(#wire.into(), support::field(schema, description, [#(#extra),*]));
    }
}

pub(super) fn envelope_proptest(ctx: &Ctx, plain: &[&crate::model::Field]) -> TokenStream {
    if !ctx.proptest_on() || ctx.catalog.events.is_empty() {
        return quote!();
    }
    let data_field = field_name(&ctx.catalog.envelope.payload);
    let mut parts: Vec<(proc_macro2::Ident, TokenStream)> = plain
        .iter()
        .map(|f| {
            (
                field_name(&f.name),
                crate::emit::rust::types::field_strategy(ctx, None, f, None),
            )
        })
        .collect();
    parts.push((data_field, quote!(any::<Event>())));
    let build = crate::emit::rust::types::tuple_map(&parts, quote!(Self));
    let imports = crate::emit::rust::types::strategy_imports(&build);
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
