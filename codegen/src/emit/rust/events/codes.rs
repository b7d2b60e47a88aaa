//! `EventCode`, `Family` and `Status`: every code of the catalog, its family
//! and status.

#[allow(unused_imports)]
use super::*;
use crate::emit::rust::support::fixed::{self, Fixed};

pub(super) fn event_code(ctx: &Ctx) -> TokenStream {
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
    let fixed = Fixed::parse(&fixed::EVENTS);
    let impls = fixed.items(&["EventCode"]);
    let schemars = ctx.schemars_item(Fixed::parse(&fixed::JSON_SCHEMA).items(&["EventCode"]));
    let error = fixed.items(&["ParseEventCodeError"]);
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

        #impls
        #schemars
        #error
    }
}

pub(super) fn family(ctx: &Ctx) -> TokenStream {
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
    let display = Fixed::parse(&fixed::EVENTS).items(&["Family"]);
    let proptest = ctx.proptest_item(Fixed::parse(&fixed::STRATEGIES).items(&["Family"]));
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

        #display
        #proptest
    }
}

/// `Status`, fixed.
pub(super) fn status() -> TokenStream {
    Fixed::parse(&fixed::EVENTS).items(&["Status"])
}
