//! The `formats` module of the generated code (the validator's own format
//! checks, included as source) and the checked string types built on it.

#[allow(unused_imports)]
use super::*;

/// `mod formats { ... }`: the items of [`fixed::FORMATS`], as they are.
pub(super) fn formats_module() -> TokenStream {
    let items = fixed::Fixed::parse(&fixed::FORMATS).all();
    quote! {
        /// What the string formats accept: eventcat's checks, the same
        /// source as `eventcat validate`'s (see the format types' docs).
        #[allow(dead_code)]
        mod formats {
            #items
        }
    }
}

pub(super) fn formats(ctx: &Ctx) -> TokenStream {
    let uses = &ctx.plan.uses;
    let mut out = TokenStream::new();
    if uses.formats() {
        out.extend(formats_module());
    }
    if uses.email || uses.uri || uses.local_date_time {
        out.extend(fixed::Fixed::parse(&fixed::FORMAT_ERROR).items(&["FormatError"]));
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
        let proptest = fixed::Fixed::parse(&fixed::STRATEGIES).items(&["LocalDateTime"]);
        out.extend(fixed::Fixed::parse(&fixed::LOCAL_DATE_TIME).items(&["LocalDateTime"]));
        out.extend(schemars);
        out.extend(ctx.proptest_item(proptest));
    }
    out
}

pub(super) fn checked_string(
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
    let doc = crate::emit::rust::docs(doc);
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
