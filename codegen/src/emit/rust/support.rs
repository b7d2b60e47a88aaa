//! Items the generated types lean on: constant markers (`consts`), the
//! format newtypes (`Email`, `Uri`, `LocalDateTime`, `FormatError`), the
//! private `support` module (serde helpers, the envelope's wire form,
//! suggestions) and the private `arbitrary` module (proptest helpers).

use proc_macro2::TokenStream;
use quote::quote;

use super::{events, ident, Ctx};

// The pattern a date-time without offset matches: the JSON Schema
// emitter's.
use crate::emit::json_schema::LOCAL_DATE_TIME_PATTERN;

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

/// The shared format checks (`codegen/src/formats.rs`, the file `eventcat
/// validate` uses), embedded as the private `formats` module.
const FORMATS_SOURCE: &str = include_str!("../../formats.rs");

/// `mod formats { ... }`: the items of [`FORMATS_SOURCE`], as they are.
fn formats_module() -> TokenStream {
    let file = match syn::parse_file(FORMATS_SOURCE) {
        Ok(file) => file,
        Err(e) => {
            let msg = format!("eventcat: formats.rs does not parse: {e}");
            return quote!(compile_error!(#msg););
        }
    };
    let items = file.items;
    quote! {
        /// What the string formats accept: eventcat's checks, the same
        /// source as `eventcat validate`'s (see the format types' docs).
        #[allow(dead_code)]
        mod formats {
            #(#items)*
        }
    }
}

fn formats(ctx: &Ctx) -> TokenStream {
    let uses = ctx.uses.borrow().clone();
    let mut out = TokenStream::new();
    if uses.formats() {
        out.extend(formats_module());
    }
    if uses.email || uses.uri || uses.local_date_time {
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
                    let expected = match self.format {
                        "local-date-time" => "local-date-time without offset",
                        "email" => "email address",
                        other => other,
                    };
                    write!(f, "expected {expected}, found {:?}", self.value)
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
            "An e-mail address (format `email`): an RFC 5321 mailbox, `local@domain` \
             with a dot-atom or quoted (`\"joe bloggs\"@example.com`) local part and a \
             domain name or address literal, ASCII only; checked when built or \
             deserialized, by the same check as `eventcat validate`.",
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
            "An absolute URI (format `uri`): RFC 3986 `URI`, a scheme, `:`, and only \
             the characters RFC 3986 allows (`%` followed by two hex digits; no space, \
             backslash or non-ASCII); checked when built or deserialized, by the same \
             check as `eventcat validate`.",
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
            /// fraction of a second of 1 to 9 digits, never with an offset
            /// (checked by the same check as `eventcat validate`). Written the
            /// same way (the fraction in 3, 6 or 9 digits when there is one).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
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
                type Err = FormatError;

                fn from_str(s: &str) -> Result<Self, Self::Err> {
                    let error = || FormatError { format: "local-date-time", value: s.to_string() };
                    if !formats::is_local_date_time(s) {
                        return Err(error());
                    }
                    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                        .map(Self)
                        .map_err(|_| error())
                }
            }

            impl<'de> serde::Deserialize<'de> for LocalDateTime {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                    value.parse().map_err(serde::de::Error::custom)
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
                if formats::#check(&value) {
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
    if uses.wire {
        items.push(wire_items(&uses));
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
    let allow = ctx.allow_partial();
    let payload = if ctx.catalog.events.is_empty() {
        quote!()
    } else {
        quote! {
            /// The payload `data` (the field `field` of the envelope) as a
            /// `T`; an error names the JSON path from `field` and what was
            /// expected (`data.user.id: expected uuid, found "x"`).
            pub(super) fn payload<T: serde::de::DeserializeOwned>(
                field: &str,
                data: serde_json::Value,
            ) -> Result<T, serde_json::Error> {
                serde_path_to_error::deserialize(data).map_err(|e| {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    let message = inner.to_string();
                    let mut at = field.to_string();
                    if path != "." {
                        if !path.starts_with('[') {
                            at.push('.');
                        }
                        at.push_str(&path);
                    }
                    // serde's message for a missing field names it: put it in the path.
                    let missing = message
                        .strip_prefix("missing field `")
                        .and_then(|rest| rest.strip_suffix('`'));
                    match missing {
                        Some(name) => serde::de::Error::custom(format_args!("{at}.{name}: missing required field")),
                        None => serde::de::Error::custom(format_args!("{at}: {message}")),
                    }
                })
            }
        }
    };
    quote! {
        /// Helpers of the generated code.
        #allow
        mod support {
            #(#items)*

            #payload

            /// A `T` read from `deserializer`; an error names the JSON path
            /// of the value at fault in front of the message (`id: expected
            /// uuid, found "x"`), unless it is at the top.
            pub(super) fn tracked<'de, D, T>(deserializer: D) -> Result<T, D::Error>
            where
                D: serde::Deserializer<'de>,
                T: serde::Deserialize<'de>,
            {
                serde_path_to_error::deserialize(deserializer).map_err(|e| {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    if path == "." {
                        inner
                    } else {
                        serde::de::Error::custom(format_args!("{path}: {inner}"))
                    }
                })
            }

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

/// `Wire`: how the values eventcat checks itself are read (integers,
/// `uuid`, `date`, `date-time`, and arrays, maps and options of them), and
/// the field helpers using it.
fn wire_items(uses: &super::Uses) -> TokenStream {
    let mut out = quote! {
        /// A value read from the wire with eventcat's checks (the ones of
        /// `eventcat validate`) rather than its type's own `Deserialize`.
        pub(super) trait Wire: Sized {
            /// Reads a value.
            fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
        }

        /// A `T` read through [`Wire`], for containers.
        struct Read<T>(T);

        impl<'de, T: Wire> serde::Deserialize<'de> for Read<T> {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                T::read(deserializer).map(Read)
            }
        }

        impl<T: Wire> Wire for Option<T> {
            fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <Option<Read<T>> as serde::Deserialize>::deserialize(deserializer).map(|v| v.map(|r| r.0))
            }
        }

        impl<T: Wire> Wire for Vec<T> {
            fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <Vec<Read<T>> as serde::Deserialize>::deserialize(deserializer)
                    .map(|v| v.into_iter().map(|r| r.0).collect())
            }
        }

        impl<T: Wire> Wire for std::collections::BTreeMap<String, T> {
            fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <std::collections::BTreeMap<String, Read<T>> as serde::Deserialize>::deserialize(deserializer)
                    .map(|m| m.into_iter().map(|(k, r)| (k, r.0)).collect())
            }
        }

    };
    if uses.wire_fn {
        out.extend(quote! {
            /// A field read through [`Wire`].
            pub(super) fn wire<'de, D: serde::Deserializer<'de>, T: Wire>(deserializer: D) -> Result<T, D::Error> {
                T::read(deserializer)
            }
        });
    }
    if uses.present_wire_fn {
        out.extend(quote! {
            /// A field that may be absent, read through [`Wire`] when present.
            pub(super) fn present_wire<'de, D: serde::Deserializer<'de>, T: Wire>(
                deserializer: D,
            ) -> Result<Option<T>, D::Error> {
                T::read(deserializer).map(Some)
            }
        });
    }
    if uses.wire_uuid || uses.wire_date || uses.wire_date_time {
        out.extend(quote! {
        /// A string of a format, or the error naming the format.
        fn checked<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
            format: &str,
            check: fn(&str) -> bool,
        ) -> Result<String, D::Error> {
            let value = <String as serde::Deserialize>::deserialize(deserializer)?;
            if check(&value) {
                Ok(value)
            } else {
                Err(serde::de::Error::custom(format_args!("expected {format}, found {value:?}")))
            }
        }
        });
    }
    if uses.wire_int {
        out.extend(quote! {
            /// An integer: a JSON number that is a whole number in the i64
            /// range. Integral floats (`1.0`, `1e2`, `-0`) are integers, as in
            /// JSON Schema; a number with a fraction or an exponent is read as
            /// a 64-bit float, and must then lie strictly between -2^63 and
            /// 2^63 (the float -2^63 also stands for `-9223372036854775809`).
            impl Wire for i64 {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct Visitor;

                    impl serde::de::Visitor<'_> for Visitor {
                        type Value = i64;

                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str("an integer in the i64 range")
                        }

                        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
                            Ok(v)
                        }

                        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
                            i64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
                        }

                        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
                            // 2^63 as a float; `as` is exact inside the open range.
                            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                            if v.fract() == 0.0 && v > -LIMIT && v < LIMIT {
                                Ok(v as i64)
                            } else {
                                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
                            }
                        }
                    }

                    deserializer.deserialize_i64(Visitor)
                }
            }
        });
    }
    if uses.wire_uuid {
        out.extend(quote! {
            /// A UUID: `8-4-4-4-12` hex digits, either case (`formats::is_uuid`).
            impl Wire for uuid::Uuid {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = checked(deserializer, "uuid", super::formats::is_uuid)?;
                    uuid::Uuid::parse_str(&value)
                        .map_err(|_| serde::de::Error::custom(format_args!("expected uuid, found {value:?}")))
                }
            }
        });
    }
    if uses.wire_date {
        out.extend(quote! {
            /// A date: `YYYY-MM-DD` (`formats::is_date`).
            impl Wire for chrono::NaiveDate {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = checked(deserializer, "date", super::formats::is_date)?;
                    chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                        .map_err(|_| serde::de::Error::custom(format_args!("expected date, found {value:?}")))
                }
            }
        });
    }
    if uses.wire_date_time {
        out.extend(quote! {
            /// A date-time with offset (`formats::is_date_time`), in UTC.
            impl Wire for chrono::DateTime<chrono::Utc> {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = checked(deserializer, "date-time with offset", super::formats::is_date_time)?;
                    chrono::DateTime::parse_from_rfc3339(&value)
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .map_err(|_| serde::de::Error::custom(format_args!("expected date-time with offset, found {value:?}")))
                }
            }
        });
    }
    out
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
    let allow = ctx.allow_partial();
    ctx.proptest_item(quote! {
        /// Helpers of the proptest strategies.
        #allow
        mod arbitrary {
            #[allow(unused_imports)]
            use proptest::strategy::{BoxedStrategy, Strategy as _};

            #(#items)*
        }
    })
}
