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

fn code_doc(e: &EventDef) -> String {
    let mut text = format!("`{}`: {}.", e.code, e.title.trim_end_matches('.'));
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
