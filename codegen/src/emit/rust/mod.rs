//! Rust types of the catalog: a crate under `rust/` (see [`emit`]), or one
//! module for a build script (see [`module`] and [`crate::Builder`]).
//!
//! What the generated code is:
//! - one type per catalog type, documented from the catalog, with serde
//!   attributes that match the wire exactly: a required field is a plain
//!   field; an optional one is `Option<T>` left out when `None`; a nullable
//!   one is `Option<T>` written as `null` (and must be present); one both
//!   optional and nullable is `Option<Option<T>>` (`None` absent,
//!   `Some(None)` null), so absent and null stay apart both ways;
//! - constants (`const = "..."`) are zero-sized marker types in `consts`,
//!   written as their string and rejected when the wire holds another;
//! - closed enums reject unknown values; extensible ones keep them in a
//!   catch-all variant (`Other(String)`);
//! - `EventCode`, `Family`, `Status`, the `Event` enum (one variant per code
//!   holding its typed payload, and `Unknown` for codes this version does not
//!   know), the `Envelope` (the wire object: envelope fields and the event),
//!   and `Selector` for subscriptions;
//! - formats: `uuid` is `uuid::Uuid`, `date` is `chrono::NaiveDate`,
//!   `date-time` is `chrono::DateTime<chrono::Utc>` (any offset is accepted
//!   and converted; written with `Z`), `local-date-time` is the `LocalDateTime`
//!   newtype over `chrono::NaiveDateTime` (`2024-03-22T17:14:27`, fraction
//!   optional, no offset accepted), `email` and `uri` are the checked
//!   newtypes `Email` and `Uri`;
//! - behind features (or always, or never, see [`Options`]): `schemars`
//!   (`JsonSchema`) and `proptest` (`Arbitrary` strategies that only produce
//!   values valid under the catalog, constraints included, recursion bounded).
//!
//! The output is formatted with prettyplease, so it is the same bytes for the
//! same catalog.

mod analysis;
mod cargo;
mod ctx;
mod doc;
mod events;
mod families;
mod plan;
mod print;
mod support;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Catalog, Field, StringFormat, TypeRef};
use crate::naming;
use crate::output::{header, GeneratedFile};

use cargo::cargo_toml;
pub(crate) use doc::{describe, doc_lines, docs, field_doc, wrap};
use plan::Plan;
pub(crate) use plan::Uses;
use print::{pretty, pretty_module, Spacer, MODULE_CHUNK};

/// Folder of the generated crate, relative to the output folder.
pub const DIR: &str = "rust";

/// How an optional derive is emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    /// Not at all.
    Off,
    /// Behind a cargo feature of the same name (`schemars`, `proptest`),
    /// which the crate using the code must declare.
    Feature,
    /// Unconditionally (the crate must depend on the library).
    Always,
}

/// What to emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `schemars::JsonSchema` impls.
    pub schemars: Derive,
    /// `proptest::arbitrary::Arbitrary` impls.
    pub proptest: Derive,
}

impl Options {
    /// Both derives behind features: what the generated crate uses.
    pub const CRATE: Options = Options {
        schemars: Derive::Feature,
        proptest: Derive::Feature,
    };
    /// No optional derive: the default of [`crate::Builder`].
    pub const PLAIN: Options = Options {
        schemars: Derive::Off,
        proptest: Derive::Off,
    };
}

impl Default for Options {
    fn default() -> Self {
        Options::PLAIN
    }
}

/// The generated crate: `rust/Cargo.toml` and `rust/src/lib.rs`.
pub fn emit(catalog: &Catalog) -> Vec<GeneratedFile> {
    let lib_path = format!("{DIR}/src/lib.rs");
    let toml_path = format!("{DIR}/Cargo.toml");
    let plan = Plan::new(
        catalog,
        Options::CRATE,
        Some(families::Layout::new(catalog)),
    );
    let toml = format!("{}{}", header(&toml_path), cargo_toml(catalog, &plan));
    vec![
        GeneratedFile {
            contents: toml,
            path: toml_path,
        },
        GeneratedFile {
            contents: render(catalog, plan, header(&lib_path)),
            path: lib_path,
        },
    ]
}

/// The code as one module, for `include!` (no inner attributes), with the
/// `// @generated` header.
pub fn module(catalog: &Catalog, options: &Options) -> String {
    render(
        catalog,
        Plan::new(catalog, *options, None),
        header("events.rs"),
    )
}

/// Name of the generated crate: the catalog name in kebab case plus `-events`.
pub fn crate_name(catalog: &Catalog) -> String {
    let base = naming::snake_case(&catalog.name)
        .trim_matches('_')
        .replace('_', "-");
    if base.is_empty() || base == "empty" {
        "events".to_string()
    } else {
        format!("{base}-events")
    }
}

/// Everything the parts of the emitter share: the catalog and the plan,
/// both read only.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    /// What was decided before rendering (see [`plan`]).
    pub plan: Plan,
}

impl Ctx<'_> {
    /// `#[cfg(feature = "<family>")]` of an event (nothing for a module).
    pub fn event_cfg(&self, family: &str) -> TokenStream {
        match &self.plan.layout {
            Some(l) => l.event_cfg(family),
            None => quote!(),
        }
    }

    /// `#[allow(dead_code)]` on helpers that only some families use (in the
    /// crate, where a build may enable a few families).
    pub fn allow_partial(&self) -> TokenStream {
        if self.plan.layout.is_some() {
            quote!(#[allow(dead_code)])
        } else {
            quote!()
        }
    }
}

/// The file: `head` (the generated header), then the code.
///
/// Each piece is pretty-printed as soon as it is made, in chunks of whole
/// items (items print independently, so the text is the whole file's), and
/// spaced into the one buffer: one chunk's tokens and syntax tree are in
/// memory at a time, never the whole crate's.
fn render(catalog: &Catalog, plan: Plan, head: String) -> String {
    let ctx = Ctx { catalog, plan };
    let mut out = Spacer::new(head.clone());
    match render_body(&ctx, &mut out) {
        Ok(()) => out.out,
        // Only reachable through a bug of the emitter: the raw tokens show
        // where, in the compiler's error.
        Err(raw) => head + &raw,
    }
}

/// The code, in order: the top of the file, the event items, the types,
/// and the support code they use (at the end, for reading order).
fn render_body(ctx: &Ctx, out: &mut Spacer) -> Result<(), String> {
    out.push(&pretty(top(ctx))?);
    for piece in events::PIECES {
        out.push(&pretty(piece(ctx))?);
    }
    match &ctx.plan.layout {
        Some(layout) => family_modules(ctx, layout, out)?,
        None => out.push(&pretty(types::items(ctx))?),
    }
    out.push(&pretty(support::items(ctx))?);
    Ok(())
}

/// The crate's inner attributes and docs (in crate mode), and the imports
/// the items need.
fn top(ctx: &Ctx) -> TokenStream {
    let catalog = ctx.catalog;
    let crate_root = ctx.plan.layout.is_some();
    let btree = if ctx.plan.uses.btree_map {
        // Unused when the families using maps are disabled.
        let allow = if crate_root {
            quote!(#[allow(unused_imports)])
        } else {
            quote!()
        };
        quote!(
            #allow
            use std::collections::BTreeMap;
        )
    } else {
        quote!()
    };
    let inner = if crate_root {
        let mut text = format!(
            "{}: the typed events of the catalog `{}`",
            catalog.title, catalog.name
        );
        text.push_str(&format!(" (version {}).", catalog.version));
        text.push_str("\n\n");
        text.push_str(&catalog.description);
        text.push_str(&wrap(CRATE_DOCS));
        let lines = doc_lines(&text);
        // The code is formatted by eventcat (prettyplease), the same on
        // every machine; `rustfmt::skip` makes `cargo fmt` leave it as
        // `generate --check` expects it.
        quote! {
            #( #![doc = #lines] )*
            #![warn(missing_docs)]
            #![cfg_attr(rustfmt, rustfmt::skip)]
        }
    } else {
        quote!()
    };
    quote!(#inner #btree)
}

/// The part of the crate's documentation that does not depend on the
/// catalog.
const CRATE_DOCS: &str = "\n\n# Using this crate\n\n\
     Deserialize a request body into an [`Envelope`] and `match` on its \
     [`Event`]: one variant per event code, holding the typed payload, \
     and [`Event::Unknown`] for codes added to the catalog after this \
     crate was generated. A [`Selector`] parses subscription selectors \
     (`all`, `<family>.all`, codes).\n\n\
     Values are read as `eventcat validate` checks them: an integer \
     (`i64`) is a whole JSON number in the i64 range, integral floats \
     such as `1.0` or `1e2` included (a number with a fraction or an \
     exponent is read as a 64-bit float and must lie strictly between \
     -2^63 and 2^63); `uuid`, `date`, `date-time`, `local-date-time`, \
     `email` and `uri` strings are checked by the private `formats` \
     module, the same code as the validator's (fractions of a second: \
     at most 9 digits). A UUID is written back in lower case, a \
     date-time in UTC with `Z`.\n\n\
     An error names the JSON path of the value at fault and what was \
     expected, e.g. `data.user.id: expected uuid, found \"x\"`.\n\n\
     Features: one per family, named after it and on by default \
     (`default-features = false, features = [\"<family>\"]` compiles \
     only the types of the families listed; the events of the others \
     arrive as [`Event::Unknown`]); `schemars` derives `JsonSchema`, \
     `proptest` implements `Arbitrary` with strategies that only \
     produce valid events.\n\n\
     Generated by eventcat; do not edit.";

/// The catalog's types in modules: one per family (behind its feature) and
/// `shared` (each item behind the features of the families reaching it, or
/// always), each re-exported at the root.
fn family_modules(ctx: &Ctx, layout: &families::Layout, out: &mut Spacer) -> Result<(), String> {
    use families::Placement;
    let mut per_family: Vec<Vec<&crate::model::TypeDef>> = vec![Vec::new(); layout.families.len()];
    let mut shared = Vec::new();
    for t in ctx.catalog.types.values() {
        match layout.placement.get(&t.name).unwrap_or(&Placement::Always) {
            Placement::Family(i) => per_family[*i].push(t),
            Placement::Shared(_) | Placement::Always => shared.push(t),
        }
    }
    for (gate, family_types) in layout.families.iter().zip(per_family) {
        if family_types.is_empty() {
            continue;
        }
        let module = ident(&gate.module);
        let feature = &gate.feature;
        let doc = format!(" The types only the `{}` family uses.", gate.id);
        let attrs = quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
        };
        let items = family_types.iter().map(|t| types::item(ctx, t));
        let text = pretty_module(attrs, &module, items, MODULE_CHUNK)?;
        if text.is_empty() {
            continue;
        }
        out.push(&text);
        out.push(&pretty(quote! {
            #[cfg(feature = #feature)]
            pub use #module::*;
        })?);
    }
    if !shared.is_empty() {
        let attrs = quote! {
            /// The types several families use (each compiled when one of
            /// them is enabled), and those every build needs.
        };
        // Made chunk by chunk, as they are printed.
        let items = shared.into_iter().map(|t| {
            match layout.placement.get(&t.name).unwrap_or(&Placement::Always) {
                Placement::Shared(fams) => cfg_each(&layout.any_cfg(fams), types::item(ctx, t)),
                _ => types::item(ctx, t),
            }
        });
        let text = pretty_module(attrs, &ident("shared"), items, MODULE_CHUNK)?;
        if !text.is_empty() {
            out.push(&text);
            out.push(&pretty(quote!(
                pub use shared::*;
            ))?);
        }
    }
    Ok(())
}

/// `cfg` put on each item of `items`.
fn cfg_each(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.iter();
            quote!( #( #cfg #items )* )
        }
        Err(_) => quote!(#cfg #items),
    }
}

// ------------------------------------------------------------------ helpers

/// An identifier (the naming functions only ever produce valid ones).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust name of a catalog type.
pub(crate) fn type_name(name: &str) -> Ident {
    ident(&naming::type_ident(name))
}

/// The Rust name of a field.
pub(crate) fn field_name(name: &str) -> Ident {
    ident(&naming::snake_case(name))
}

/// A number literal: integral values without a fraction.
pub(crate) fn number_lit(v: f64) -> TokenStream {
    if let Some(i) = crate::model::as_integer(v) {
        let lit = proc_macro2::Literal::i64_unsuffixed(i.abs());
        if v < 0.0 {
            return quote!(-#lit);
        }
        quote!(#lit)
    } else {
        let lit = proc_macro2::Literal::f64_unsuffixed(v.abs());
        if v < 0.0 {
            quote!(-#lit)
        } else {
            quote!(#lit)
        }
    }
}

pub(crate) fn usize_lit(v: u64) -> TokenStream {
    let lit = proc_macro2::Literal::u64_unsuffixed(v);
    quote!(#lit)
}
