//! Items the generated types lean on: constant markers (`consts`), the
//! format newtypes (`Email`, `Uri`, `LocalDateTime`, `FormatError`), the
//! private `support` module (serde helpers, the envelope's wire form,
//! suggestions) and the private `arbitrary` module (proptest helpers).

use proc_macro2::TokenStream;
use quote::quote;

use super::{events, ident, Ctx};

/// The pattern a date-time without offset matches: the same as the JSON
/// Schema emitter's (`json_schema::LOCAL_DATE_TIME_PATTERN`).
const LOCAL_DATE_TIME_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?$";

pub(super) fn items(ctx: &Ctx) -> TokenStream {
    // The envelope's wire form may need `present`/`nullable`: build it first.
    let repr = events::envelope_repr(ctx);
    let consts = consts(ctx);
    let formats = formats(ctx);
    let support = support_module(ctx, repr);
    let arbitrary = arbitrary_module(ctx);
    quote! {
        #formats
        #consts
        #support
        #arbitrary
    }
}

fn consts(ctx: &Ctx) -> TokenStream {
    if ctx.an.consts.is_empty() {
        return quote!();
    }
    ctx.uses.borrow_mut().constant = true;
    let mut items = Vec::new();
    for (value, name) in &ctx.an.consts {
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

fn formats(ctx: &Ctx) -> TokenStream {
    let uses = ctx.uses.borrow().clone();
    let mut out = TokenStream::new();
    if uses.email || uses.uri {
        out.extend(quote! {
            /// A string that does not have the format its type requires.
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct FormatError {
                format: &'static str,
                value: String,
            }

            impl FormatError {
                /// The format, e.g. `email`.
                pub fn format(&self) -> &'static str {
                    self.format
                }

                /// The string that was rejected.
                pub fn value(&self) -> &str {
                    &self.value
                }
            }

            impl std::fmt::Display for FormatError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "`{}` is not a valid {}", self.value, self.format)
                }
            }

            impl std::error::Error for FormatError {}
        });
    }
    if uses.email {
        out.extend(checked_string(
            ctx,
            "Email",
            "email",
            "An e-mail address (format `email`): `local@domain`, without spaces, \
             checked when built or deserialized.",
            "is_email",
            quote!(("[a-z0-9]{1,12}", "[a-z0-9]{1,12}", "[a-z]{2,6}")
                .prop_map(|(local, host, tld)| Email(format!("{local}@{host}.{tld}")))),
        ));
    }
    if uses.uri {
        out.extend(checked_string(
            ctx,
            "Uri",
            "uri",
            "An absolute URI (format `uri`): a scheme, `:`, and the rest without \
             spaces, checked when built or deserialized.",
            "is_uri",
            quote!(("[a-z0-9]{1,12}", "[a-z0-9/]{0,12}")
                .prop_map(|(host, path)| Uri(format!("https://{host}.example/{path}")))),
        ));
    }
    if uses.local_date_time {
        let schemars = ctx.schemars_item(quote! {
            impl schemars::JsonSchema for LocalDateTime {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    "LocalDateTime".into()
                }

                fn inline_schema() -> bool {
                    true
                }

                fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    support::schema([
                        ("type", "string".into()),
                        ("format", "local-date-time".into()),
                        ("pattern", #LOCAL_DATE_TIME_PATTERN.into()),
                    ])
                }
            }
        });
        let proptest = ctx.proptest_item(quote! {
            impl proptest::arbitrary::Arbitrary for LocalDateTime {
                type Parameters = ();
                type Strategy = proptest::strategy::BoxedStrategy<Self>;

                fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                    use proptest::strategy::Strategy as _;
                    arbitrary::date_time().prop_map(|t| LocalDateTime(t.naive_utc())).boxed()
                }
            }
        });
        if ctx.proptest_on() {
            ctx.uses.borrow_mut().arb_date_time = true;
        }
        out.extend(quote! {
            /// A date-time without offset (format `local-date-time`), e.g.
            /// `2024-03-22T17:14:27`: `YYYY-MM-DDTHH:MM:SS`, optionally with a
            /// fraction of a second, never with an offset. Written the same
            /// way (the fraction in 3, 6 or 9 digits when there is one).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
            #[serde(transparent)]
            pub struct LocalDateTime(pub chrono::NaiveDateTime);

            impl From<chrono::NaiveDateTime> for LocalDateTime {
                fn from(value: chrono::NaiveDateTime) -> Self {
                    Self(value)
                }
            }

            impl std::fmt::Display for LocalDateTime {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.f"))
                }
            }

            impl std::str::FromStr for LocalDateTime {
                type Err = chrono::ParseError;

                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    s.parse().map(Self)
                }
            }

            #schemars
            #proptest
        });
    }
    out
}

fn checked_string(
    ctx: &Ctx,
    name: &str,
    format: &str,
    doc: &str,
    check: &str,
    strategy: TokenStream,
) -> TokenStream {
    let name_str = name;
    let name = ident(name);
    let check = ident(check);
    let schemars = ctx.schemars_item(quote! {
        impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #name_str.into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                support::schema([("type", "string".into()), ("format", #format.into())])
            }
        }
    });
    let proptest = ctx.proptest_item(quote! {
        impl proptest::arbitrary::Arbitrary for #name {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
                use proptest::strategy::Strategy as _;
                #strategy.boxed()
            }
        }
    });
    let doc = super::docs(doc);
    let new_doc = format!(" Checks that `value` is a valid {format}.");
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct #name(String);

        impl #name {
            #[doc = #new_doc]
            pub fn new(value: impl Into<String>) -> Result<Self, FormatError> {
                let value = value.into();
                if support::#check(&value) {
                    Ok(Self(value))
                } else {
                    Err(FormatError { format: #format, value })
                }
            }

            /// The string.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The string, owned.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for #name {
            type Err = FormatError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Self::new(value).map_err(serde::de::Error::custom)
            }
        }

        #schemars
        #proptest
    }
}

fn support_module(ctx: &Ctx, repr: TokenStream) -> TokenStream {
    let uses = ctx.uses.borrow().clone();
    let mut items = Vec::new();
    if uses.present {
        items.push(quote! {
            /// A field that may be absent but, when present, holds a value of
            /// its type (`null` only if that type is itself nullable).
            pub(super) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: serde::Deserialize<'de>,
            {
                T::deserialize(deserializer).map(Some)
            }
        });
    }
    if uses.nullable {
        items.push(quote! {
            /// A field that must be present and may be `null`.
            pub(super) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: serde::Deserialize<'de>,
            {
                <Option<T> as serde::Deserialize>::deserialize(deserializer)
            }
        });
    }
    if uses.constant {
        items.push(quote! {
            /// Accepts exactly the string `expected`.
            pub(super) fn constant<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
                expected: &'static str,
            ) -> Result<(), D::Error> {
                struct Visitor(&'static str);

                impl serde::de::Visitor<'_> for Visitor {
                    type Value = ();

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "the string `{}`", self.0)
                    }

                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
                        if v == self.0 {
                            Ok(())
                        } else {
                            Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                        }
                    }
                }

                deserializer.deserialize_str(Visitor(expected))
            }
        });
    }
    if uses.email {
        items.push(quote! {
            /// `local@domain`: both parts non-empty, no space or control character.
            pub(super) fn is_email(value: &str) -> bool {
                match value.rsplit_once('@') {
                    Some((local, domain)) => {
                        !local.is_empty()
                            && !domain.is_empty()
                            && !domain.contains('@')
                            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
                    }
                    None => false,
                }
            }
        });
    }
    if uses.uri {
        items.push(quote! {
            /// `scheme:rest`: the scheme a letter then letters, digits, `+`,
            /// `-` or `.`; no space or control character anywhere.
            pub(super) fn is_uri(value: &str) -> bool {
                match value.split_once(':') {
                    Some((scheme, _)) => {
                        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                            && !value.chars().any(|c| c.is_whitespace() || c.is_control())
                    }
                    None => false,
                }
            }
        });
    }
    items.push(ctx.schemars_item(quote! {
        /// A JSON schema object with these keywords.
        pub(super) fn schema<const N: usize>(keywords: [(&str, serde_json::Value); N]) -> schemars::Schema {
            let map: serde_json::Map<String, serde_json::Value> = keywords
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            schemars::Schema::from(map)
        }
    }));
    if uses.nullable_schema {
        items.push(ctx.schemars_item(quote! {
            /// The schema of a field that must be present and may be `null`
            /// (`Option<T>` alone would make it optional).
            #[allow(dead_code)] // Only named in `#[schemars(with = ...)]`.
            pub(super) struct Nullable<T>(std::marker::PhantomData<T>);

            impl<T: schemars::JsonSchema> schemars::JsonSchema for Nullable<T> {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    format!("Nullable_{}", T::schema_name()).into()
                }

                fn inline_schema() -> bool {
                    true
                }

                fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    generator.subschema_for::<Option<T>>()
                }
            }
        }));
    }
    if uses.schema_field {
        items.push(ctx.schemars_item(quote! {
        /// The schema of an envelope field: its type's, described, with
        /// the field's constraints.
        pub(super) fn field<const N: usize>(
            mut schema: schemars::Schema,
            description: &str,
            keywords: [(&str, serde_json::Value); N],
        ) -> serde_json::Value {
            for (k, v) in keywords {
                schema.insert(k.to_string(), v);
            }
            schema.insert("description".to_string(), description.into());
            schema.into()
        }
        }));
    }
    quote! {
        /// Helpers of the generated code.
        mod support {
            #(#items)*

            /// The closest candidate to `input` by edit distance, if close
            /// enough to be a likely typo.
            pub(super) fn closest(
                input: &str,
                candidates: impl Iterator<Item = &'static str>,
            ) -> Option<&'static str> {
                let limit = (input.chars().count() / 3).max(3);
                candidates
                    .map(|c| (edit_distance(input, c), c))
                    .filter(|(d, _)| *d <= limit)
                    .min_by_key(|(d, _)| *d)
                    .map(|(_, c)| c)
            }

            /// Levenshtein distance, in characters.
            fn edit_distance(a: &str, b: &str) -> usize {
                let b: Vec<char> = b.chars().collect();
                let mut prev: Vec<usize> = (0..=b.len()).collect();
                for (i, ca) in a.chars().enumerate() {
                    let mut cur = vec![i + 1; b.len() + 1];
                    for (j, cb) in b.iter().enumerate() {
                        let cost = usize::from(ca != *cb);
                        cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
                    }
                    prev = cur;
                }
                prev[b.len()]
            }

            /// Serializes the payload of an event.
            pub(super) struct Data<'a>(pub(super) &'a super::Event);

            impl serde::Serialize for Data<'_> {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    self.0.serialize_payload(serializer)
                }
            }

            #repr
        }
    }
}

fn arbitrary_module(ctx: &Ctx) -> TokenStream {
    if !ctx.proptest_on() {
        return quote!();
    }
    let uses = ctx.uses.borrow().clone();
    let mut items = Vec::new();
    if uses.arb_bounded {
        items.push(quote! {
            /// How deep recursive types nest in generated values.
            pub(super) const DEPTH: u32 = 3;

            /// Strategies of recursive types, nesting at most `depth` deep.
            pub(super) trait Bounded: Sized {
                /// Values nesting at most `depth` levels.
                fn bounded(depth: u32) -> BoxedStrategy<Self>;
            }
        });
    }
    if uses.arb_json {
        items.push(quote! {
            /// Any JSON value, nesting at most two levels.
            pub(super) fn json() -> BoxedStrategy<serde_json::Value> {
                let leaf = proptest::prop_oneof![
                    proptest::strategy::Just(serde_json::Value::Null),
                    proptest::arbitrary::any::<bool>().prop_map(serde_json::Value::from),
                    proptest::arbitrary::any::<i64>().prop_map(serde_json::Value::from),
                    proptest::arbitrary::any::<String>().prop_map(serde_json::Value::from),
                ];
                leaf.prop_recursive(2, 16, 4, |inner| {
                    proptest::prop_oneof![
                        proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                        proptest::collection::btree_map(proptest::arbitrary::any::<String>(), inner, 0..4)
                            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                    ]
                })
                .boxed()
            }
        });
    }
    if uses.arb_date {
        items.push(quote! {
            /// Dates from 0001-01-01 to 9999-12-31.
            pub(super) fn date() -> BoxedStrategy<chrono::NaiveDate> {
                (1i32..=3_652_059)
                    .prop_map(|days| chrono::NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default())
                    .boxed()
            }
        });
    }
    if uses.arb_date_time {
        items.push(quote! {
            /// Instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
            pub(super) fn date_time() -> BoxedStrategy<chrono::DateTime<chrono::Utc>> {
                (-62_135_596_800i64..=253_402_300_799i64, 0u32..1_000_000_000)
                    .prop_map(|(secs, nanos)| chrono::DateTime::from_timestamp(secs, nanos).unwrap_or_default())
                    .boxed()
            }
        });
    }
    if uses.arb_pattern {
        items.push(quote! {
            /// Strings matching `regex` (a catalog pattern, rewritten for the
            /// generator by eventcat).
            pub(super) fn pattern(regex: &str) -> BoxedStrategy<String> {
                match proptest::string::string_regex(regex) {
                    Ok(strategy) => strategy.boxed(),
                    Err(e) => panic!("eventcat: the pattern `{regex}` cannot be generated from: {e}"),
                }
            }
        });
    }
    if uses.arb_chars {
        items.push(quote! {
            /// Strings of `min` to `max` characters.
            pub(super) fn chars(min: usize, max: usize) -> BoxedStrategy<String> {
                proptest::collection::vec(proptest::arbitrary::any::<char>(), min..=max)
                    .prop_map(|chars| chars.into_iter().collect())
                    .boxed()
            }
        });
    }
    if items.is_empty() {
        return quote!();
    }
    ctx.proptest_item(quote! {
        /// Helpers of the proptest strategies.
        mod arbitrary {
            #[allow(unused_imports)]
            use proptest::strategy::{BoxedStrategy, Strategy as _};

            #(#items)*
        }
    })
}
