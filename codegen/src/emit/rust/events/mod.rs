//! The event-level items: `EventCode`, `Family`, `Status`, `Event`,
//! `UnknownEvent`, `Envelope`, `Selector` and their errors.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::{EnvelopeField, Event as EventDef, Status};
use crate::naming;

use super::{describe, docs, field_doc, field_name, ident, type_name, Ctx};

mod codes;
mod envelope;
mod event;
mod selector;

#[allow(unused_imports)]
use codes::*;
pub(super) use envelope::envelope_repr;
#[allow(unused_imports)]
use envelope::*;
#[allow(unused_imports)]
use event::*;
#[allow(unused_imports)]
use selector::*;

/// The event items, in file order, each made on demand (so a caller can
/// format one before making the next).
pub(super) const PIECES: [fn(&Ctx) -> TokenStream; 6] =
    [envelope, event, event_code, family, |_| status(), selector];

fn variant(code: &str) -> proc_macro2::Ident {
    ident(&naming::pascal_case(code))
}

/// The first line of a code's docs: the code and its title.
fn code_summary(e: &EventDef) -> String {
    format!("`{}`: {}.", e.code, e.title.trim_end_matches('.'))
}

/// The full docs of a code, on its `EventCode` variant (always compiled, so
/// links to it hold whichever family features are on): summary,
/// description, status and the catalog version that added it.
fn code_doc(e: &EventDef) -> String {
    let mut text = code_summary(e);
    if !e.description.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(&e.description);
    }
    match &e.status {
        Status::Available => {}
        Status::Planned => text.push_str("\n\n**Planned**: announced, not sent yet."),
        Status::Deprecated { message } => {
            text.push_str(&format!("\n\n**Deprecated**: {message}"));
        }
    }
    if let Some(since) = &e.since {
        text.push_str(&format!("\n\nSince catalog version {since}."));
    }
    text
}

/// The one-line docs of a code's `Event` variant: the code's summary, its
/// status if it is not available, and a link to the `EventCode` variant,
/// which holds the rest (so the text is in the crate once).
fn event_doc(e: &EventDef) -> String {
    let link = format!("[`EventCode::{}`]", variant(&e.code));
    let rest = match &e.status {
        Status::Available => format!("Full documentation: {link}."),
        Status::Planned => format!("**Planned**: not sent yet. Full documentation: {link}."),
        Status::Deprecated { .. } => {
            format!("**Deprecated**: why, in the full documentation: {link}.")
        }
    };
    format!("{} {rest}", code_summary(e))
}
