//! The items of the generated `arbitrary` module (the proptest helpers
//! shared by the strategies), as the generated crate holds them: the
//! emitter embeds them by name (see [`super::Fixed`]). Compiled in tests
//! only (`proptest` and `chrono` are dev-dependencies of this crate).

// The module's import, written by the emitter (not embedded).
use proptest::strategy::{BoxedStrategy, Strategy as _};

/// How deep recursive types nest in generated values.
pub(super) const DEPTH: u32 = 3;

/// Strategies of recursive types, nesting at most `depth` deep.
pub(super) trait Bounded: Sized {
    /// Values nesting at most `depth` levels.
    fn bounded(depth: u32) -> BoxedStrategy<Self>;
}

// In the `prop_oneof!` calls, `any:: <` is spaced as the emitter's
// `quote!` spaced it (tokens in a macro call keep their spacing).
/// Any JSON value, nesting at most two levels.
pub(super) fn json() -> BoxedStrategy<serde_json::Value> {
    let leaf = proptest::prop_oneof![
        proptest::strategy::Just(serde_json::Value::Null),
        proptest::arbitrary::any:: <bool>().prop_map(serde_json::Value::from),
        proptest::arbitrary::any:: <i64>().prop_map(serde_json::Value::from),
        proptest::arbitrary::any:: <String>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(2, 16, 4, |inner| {
        proptest::prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(proptest::arbitrary::any:: <String>(), inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Dates from 0001-01-01 to 9999-12-31.
pub(super) fn date() -> BoxedStrategy<chrono::NaiveDate> {
    (1i32..=3_652_059)
        .prop_map(|days| chrono::NaiveDate::from_num_days_from_ce_opt(days).unwrap_or_default())
        .boxed()
}

/// Instants from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
pub(super) fn date_time() -> BoxedStrategy<chrono::DateTime<chrono::Utc>> {
    (-62_135_596_800i64..=253_402_300_799i64, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| chrono::DateTime::from_timestamp(secs, nanos).unwrap_or_default())
        .boxed()
}

/// Strings matching `regex` (a catalog pattern, rewritten for the
/// generator by eventcat).
pub(super) fn pattern(regex: &str) -> BoxedStrategy<String> {
    match proptest::string::string_regex(regex) {
        Ok(strategy) => strategy.boxed(),
        Err(e) => panic!("eventcat: the pattern `{regex}` cannot be generated from: {e}"),
    }
}

/// Strings of `min` to `max` characters.
pub(super) fn chars(min: usize, max: usize) -> BoxedStrategy<String> {
    proptest::collection::vec(proptest::arbitrary::any::<char>(), min..=max)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}
