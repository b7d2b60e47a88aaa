//! The fixed code of the generated crate, as real Rust files: each is
//! compiled (and linted) as a module of this crate, and embedded in the
//! generated code as its source (`include_str!`), item by item (see
//! [`Fixed`]), the plan (`Plan::uses`) and the options deciding which items
//! are needed: the support module's items, the `arbitrary` helpers, the
//! `Wire` impls, `FormatError` and `LocalDateTime`, `Status`, `Selector`,
//! the error types and the trait impls of `EventCode` and `Family` that do
//! not vary. The `JsonSchema` and `Arbitrary` impls are in files of their
//! own (`json_schema.rs`, `strategies.rs`), each picked behind its option.
//! Only what varies with the catalog (names, per-catalog lists and
//! matches, what the plan decides) stays in `quote!` templates, with the
//! module wrappers, the templates instantiated more than once (`Email` and
//! `Uri`, constant markers) and `LocalDateTime`'s `JsonSchema` impl (its
//! pattern is the JSON Schema emitter's constant).
//!
//! The files that need a crate this one only has as a dev-dependency
//! (`chrono`, `uuid`, `proptest`, `serde_path_to_error`) are compiled in
//! tests only. A file's `use` items (and `mod` items) give it the
//! surroundings it has in the generated crate (the sibling modules, and
//! stand-ins for the catalog's items in `context.rs`); they are never
//! embedded.
//!
//! The generated code is printed from the syntax tree (prettyplease), so a
//! file's layout does not show, except in macro calls, whose tokens keep
//! the spacing they were written with: there the files space tokens as the
//! `quote!` templates they replace did (the two files where rustfmt would
//! undo that, or add a block, are not formatted).

use proc_macro2::TokenStream;
use quote::quote;

// Compiled to be checked; the generated code uses them, this crate does not.
#[allow(dead_code)]
mod context;
#[allow(dead_code)]
mod events;
#[allow(dead_code)]
mod format_error;
#[allow(dead_code)]
mod json_schema;
#[allow(dead_code)]
mod support;
#[allow(dead_code)]
mod wire;
// The same, for the files needing this crate's dev-dependencies (tests
// only). `arbitrary` is not formatted: rustfmt would respace `any:: <` in
// its macro calls.
#[cfg(test)]
#[allow(dead_code)]
#[rustfmt::skip]
mod arbitrary;
#[cfg(test)]
#[allow(dead_code)]
mod paths;
#[cfg(test)]
#[allow(dead_code)]
mod strategies;
// Not formatted: rustfmt would wrap a closure's body in a block, which the
// generated code does not have.
#[cfg(test)]
#[allow(dead_code)]
#[rustfmt::skip]
mod wire_formats;

// What the fixed files name in the generated crate's root: `Event` (from
// `support`), the `formats` module.
#[cfg(test)]
use crate::formats;
use context::Event;

/// A Rust file embedded in the generated code.
pub(in crate::emit::rust) struct Source {
    /// The file's name, for errors.
    pub name: &'static str,
    /// Its text.
    pub text: &'static str,
}

/// The shared format checks (`codegen/src/formats.rs`, the file `eventcat
/// validate` uses), embedded whole as the private `formats` module.
pub(in crate::emit::rust) const FORMATS: Source = Source {
    name: "formats.rs",
    text: include_str!("../../../../formats.rs"),
};

/// `FormatError` and its impls.
pub(in crate::emit::rust) const FORMAT_ERROR: Source = Source {
    name: "format_error.rs",
    text: include_str!("format_error.rs"),
};

/// `LocalDateTime` and its impls (but `JsonSchema` and `Arbitrary`).
pub(in crate::emit::rust) const LOCAL_DATE_TIME: Source = Source {
    name: "local_date_time.rs",
    text: include_str!("local_date_time.rs"),
};

/// The fixed items of the `support` module.
pub(in crate::emit::rust) const SUPPORT: Source = Source {
    name: "support.rs",
    text: include_str!("support.rs"),
};

/// The items of the `support` module naming the JSON path of an error.
pub(in crate::emit::rust) const PATHS: Source = Source {
    name: "paths.rs",
    text: include_str!("paths.rs"),
};

/// `Wire` and the helpers using it.
pub(in crate::emit::rust) const WIRE: Source = Source {
    name: "wire.rs",
    text: include_str!("wire.rs"),
};

/// The `Wire` impls of `uuid`, `date` and `date-time`.
pub(in crate::emit::rust) const WIRE_FORMATS: Source = Source {
    name: "wire_formats.rs",
    text: include_str!("wire_formats.rs"),
};

/// The items of the `arbitrary` module (proptest helpers).
pub(in crate::emit::rust) const ARBITRARY: Source = Source {
    name: "arbitrary.rs",
    text: include_str!("arbitrary.rs"),
};

/// The fixed event-level items (`Status`, `Selector`, the errors, trait
/// impls of `EventCode` and `Family`).
pub(in crate::emit::rust) const EVENTS: Source = Source {
    name: "events.rs",
    text: include_str!("events.rs"),
};

/// The fixed `JsonSchema` impls.
pub(in crate::emit::rust) const JSON_SCHEMA: Source = Source {
    name: "json_schema.rs",
    text: include_str!("json_schema.rs"),
};

/// The fixed `Arbitrary` impls.
pub(in crate::emit::rust) const STRATEGIES: Source = Source {
    name: "strategies.rs",
    text: include_str!("strategies.rs"),
};

/// The items of a [`Source`], parsed for the items a template picks from it.
pub(in crate::emit::rust) struct Fixed {
    name: &'static str,
    /// The items, or the `compile_error!` saying the file does not parse.
    items: Result<Vec<syn::Item>, TokenStream>,
}

impl Fixed {
    /// Parses `source`.
    pub fn parse(source: &Source) -> Fixed {
        let items = syn::parse_file(source.text)
            .map(|file| file.items)
            .map_err(|e| {
                let msg = format!("eventcat: {} does not parse: {e}", source.name);
                quote!(compile_error!(#msg);)
            });
        Fixed {
            name: source.name,
            items,
        }
    }

    /// Every item, as it is.
    pub fn all(&self) -> TokenStream {
        match &self.items {
            Ok(items) => quote!(#(#items)*),
            Err(error) => error.clone(),
        }
    }

    /// The items named one of `names` (see [`item_name`]), in file order.
    pub fn items(&self, names: &[&str]) -> TokenStream {
        let items = match &self.items {
            Ok(items) => items,
            Err(error) => return error.clone(),
        };
        let named = |item: &&syn::Item| item_name(item).is_some_and(|n| names.contains(&&*n));
        if let Some(missing) = names
            .iter()
            .find(|&&name| !items.iter().any(|i| item_name(i).as_deref() == Some(name)))
        {
            let msg = format!("eventcat: no item `{missing}` in {}", self.name);
            return quote!(compile_error!(#msg););
        }
        let picked = items.iter().filter(named);
        quote!(#(#picked)*)
    }
}

/// The name an item is picked by: a function's, type's, trait's or
/// constant's own, or for an impl the name of the type it is for (so a
/// type's impls are picked with it, from the file holding them). `use`
/// and `mod` items have none: they are never picked.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Trait(t) => Some(t.ident.to_string()),
        syn::Item::Const(c) => Some(c.ident.to_string()),
        syn::Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_parses() {
        let sources = [
            &FORMATS,
            &FORMAT_ERROR,
            &LOCAL_DATE_TIME,
            &SUPPORT,
            &PATHS,
            &WIRE,
            &WIRE_FORMATS,
            &ARBITRARY,
            &EVENTS,
            &JSON_SCHEMA,
            &STRATEGIES,
        ];
        for source in sources {
            let fixed = Fixed::parse(source);
            assert!(fixed.items.is_ok(), "{}", source.name);
        }
    }

    #[test]
    fn picks_items_by_name_in_file_order() {
        let fixed = Fixed::parse(&WIRE);
        let picked = fixed.items(&["i64", "wire"]).to_string();
        let wire = picked.find("fn wire").expect("fn wire");
        let int = picked.find("for i64").expect("impl for i64");
        assert!(wire < int, "{picked}");
        assert!(!picked.contains("present_wire"), "{picked}");
        let missing = fixed.items(&["nothing"]).to_string();
        assert!(
            missing.contains("no item `nothing` in wire.rs"),
            "{missing}"
        );
    }
}
