//! The `arbitrary` module of the generated code: proptest helpers shared
//! by the strategies.

#[allow(unused_imports)]
use super::*;

pub(super) fn arbitrary_module(ctx: &Ctx) -> TokenStream {
    if !ctx.proptest_on() {
        return quote!();
    }
    let uses = &ctx.plan.uses;
    let fixed = fixed::Fixed::parse(&fixed::ARBITRARY);
    let picks = [
        (uses.arb_bounded, &["DEPTH", "Bounded"][..]),
        (uses.arb_json, &["json"]),
        (uses.arb_date, &["date"]),
        (uses.arb_date_time, &["date_time"]),
        (uses.arb_pattern, &["pattern"]),
        (uses.arb_chars, &["chars"]),
    ];
    let items: Vec<TokenStream> = picks
        .iter()
        .filter(|(used, _)| *used)
        .map(|(_, names)| fixed.items(names))
        .collect();
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
