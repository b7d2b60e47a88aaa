//! The `arbitrary` module of the generated code: proptest helpers shared
//! by the strategies.

#[allow(unused_imports)]
use super::*;

pub(super) fn arbitrary_module(ctx: &Ctx) -> TokenStream {
    if !ctx.proptest_on() {
        return quote!();
    }
    let uses = &ctx.plan.uses;
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
