//! The fixed support code of the generated crate, as real Rust files: each
//! is compiled (and linted) as a module of this crate, and embedded in the
//! generated code as its source (`include_str!`), item by item where the
//! catalog decides which items are needed. Parts that vary with the catalog
//! stay in `quote!` templates, and so do the fixed parts that need a crate
//! this one does not depend on (`chrono`, `uuid`, `proptest`,
//! `serde_path_to_error`).

use proc_macro2::TokenStream;
use quote::quote;

// Compiled to be checked; the generated code uses them, this crate does not.
#[allow(dead_code)]
mod format_error;
#[allow(dead_code)]
mod support;
#[allow(dead_code)]
mod wire;

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

/// The fixed items of the `support` module.
pub(in crate::emit::rust) const SUPPORT: Source = Source {
    name: "support.rs",
    text: include_str!("support.rs"),
};

/// `Wire` and the helpers using it.
pub(in crate::emit::rust) const WIRE: Source = Source {
    name: "wire.rs",
    text: include_str!("wire.rs"),
};

/// The items of a [`Source`], parsed once for the items picked from it.
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
/// constant's own, or for an impl the name of the type it is for.
fn item_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        syn::Item::Struct(s) => Some(s.ident.to_string()),
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
        for source in [&FORMATS, &FORMAT_ERROR, &SUPPORT, &WIRE] {
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
