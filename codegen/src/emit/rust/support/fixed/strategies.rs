//! The `Arbitrary` impls of fixed items and of items the catalog makes
//! whose impl does not vary (behind the generated crate's `proptest`
//! feature), as the generated crate holds them: the emitter embeds them by
//! name (see [`super::Fixed`]). Compiled in tests only (`proptest` is a
//! dev-dependency of this crate).

// What the generated crate has beside them (not embedded).
use super::arbitrary;
use super::context::{EventCode, Family};
use super::events::Selector;
use super::format_error::local_date_time::LocalDateTime;

impl proptest::arbitrary::Arbitrary for LocalDateTime {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;

    fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
        use proptest::strategy::Strategy as _;
        arbitrary::date_time()
            .prop_map(|t| LocalDateTime(t.naive_utc()))
            .boxed()
    }
}

impl proptest::arbitrary::Arbitrary for Family {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;

    fn arbitrary_with((): Self::Parameters) -> Self::Strategy {
        use proptest::strategy::Strategy as _;
        proptest::sample::select(Self::ALL.to_vec()).boxed()
    }
}

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
