//! `Selector`: `all`, `<family>.all` or one code.

#[allow(unused_imports)]
use super::*;
use crate::emit::rust::support::fixed::{self, Fixed};

/// `Selector` and `SelectorError`, fixed (the catalog's codes and families
/// are in `EventCode::ALL` and `Family::ALL`).
pub(super) fn selector(ctx: &Ctx) -> TokenStream {
    let fixed = Fixed::parse(&fixed::EVENTS);
    let selector = fixed.items(&["Selector"]);
    let proptest = ctx.proptest_item(Fixed::parse(&fixed::STRATEGIES).items(&["Selector"]));
    let error = fixed.items(&["SelectorError"]);
    quote! {
        #selector
        #proptest
        #error
    }
}
