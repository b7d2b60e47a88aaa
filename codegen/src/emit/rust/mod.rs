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
mod events;
mod families;
mod print;
mod support;
mod types;

use std::cell::RefCell;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Catalog, Field, StringFormat, TypeRef};
use crate::naming;
use crate::output::{header, GeneratedFile};

use analysis::Analysis;
use print::{needs_blank_line, pretty, pretty_module, Spacer, MODULE_CHUNK};

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
    let (lib, uses) = render(catalog, &Options::CRATE, true, header(&lib_path));
    let layout = families::Layout::new(catalog);
    vec![
        GeneratedFile {
            contents: format!(
                "{}{}",
                header(&toml_path),
                cargo_toml(catalog, &uses, &layout)
            ),
            path: toml_path,
        },
        GeneratedFile {
            contents: lib,
            path: lib_path,
        },
    ]
}

/// The code as one module, for `include!` (no inner attributes), with the
/// `// @generated` header.
pub fn module(catalog: &Catalog, options: &Options) -> String {
    render(catalog, options, false, header("events.rs")).0
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

/// Which support items and dependencies the generated code needs.
#[derive(Debug, Default, Clone)]
pub(crate) struct Uses {
    pub btree_map: bool,
    pub uuid: bool,
    pub chrono: bool,
    pub email: bool,
    pub uri: bool,
    pub local_date_time: bool,
    pub present: bool,
    pub nullable: bool,
    pub constant: bool,
    pub arb_json: bool,
    pub arb_date: bool,
    pub arb_date_time: bool,
    pub arb_pattern: bool,
    pub arb_chars: bool,
    pub arb_bounded: bool,
    pub schema_field: bool,
    pub nullable_schema: bool,
    /// `support::Wire` and the `wire`/`present_wire` helpers.
    pub wire: bool,
    pub wire_int: bool,
    pub wire_uuid: bool,
    pub wire_date: bool,
    pub wire_date_time: bool,
    pub wire_fn: bool,
    pub present_wire_fn: bool,
}

impl Uses {
    /// Whether the `formats` module (the shared format checks) is needed.
    pub fn formats(&self) -> bool {
        self.wire_uuid
            || self.wire_date
            || self.wire_date_time
            || self.email
            || self.uri
            || self.local_date_time
    }
}

/// Everything the parts of the emitter share.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub opts: Options,
    pub an: Analysis,
    pub uses: RefCell<Uses>,
    /// The crate's family features and modules; `None` for a module (build
    /// scripts), which is flat and compiles every family.
    pub layout: Option<families::Layout>,
}

impl Ctx<'_> {
    /// `#[cfg(feature = "<family>")]` of an event (nothing for a module).
    pub fn event_cfg(&self, family: &str) -> TokenStream {
        match &self.layout {
            Some(l) => l.event_cfg(family),
            None => quote!(),
        }
    }

    /// `#[allow(dead_code)]` on helpers that only some families use (in the
    /// crate, where a build may enable a few families).
    pub fn allow_partial(&self) -> TokenStream {
        if self.layout.is_some() {
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
/// memory at a time, never the whole crate's. The top of the file (inner
/// attributes, imports), which depends on what the items use, is made
/// last and put in front.
fn render(catalog: &Catalog, options: &Options, crate_root: bool, head: String) -> (String, Uses) {
    let ctx = Ctx {
        catalog,
        opts: *options,
        an: Analysis::new(catalog),
        uses: RefCell::new(Uses::default()),
        layout: crate_root.then(|| families::Layout::new(catalog)),
    };
    let mut body = Spacer::new(String::new());
    let text = match render_body(&ctx, &mut body).and_then(|()| pretty(top(&ctx, crate_root))) {
        Ok(top) => {
            let mut start = Spacer::new(head);
            start.push(&top);
            if let (Some(prev), Some(first)) = (&start.prev, body.out.lines().next()) {
                if needs_blank_line(prev, first) {
                    start.out.push('\n');
                }
            }
            // In place: the buffer grows (realloc), no second copy.
            body.out.insert_str(0, &start.out);
            body.out
        }
        // Only reachable through a bug of the emitter: the raw tokens show
        // where, in the compiler's error.
        Err(raw) => head + &raw,
    };
    (text, ctx.uses.into_inner())
}

/// The code after the top of the file, in order: the event items, the
/// types, the support code (last: it depends on what the others use).
fn render_body(ctx: &Ctx, out: &mut Spacer) -> Result<(), String> {
    for piece in events::PIECES {
        out.push(&pretty(piece(ctx))?);
    }
    match &ctx.layout {
        Some(layout) => family_modules(ctx, layout, out)?,
        None => out.push(&pretty(types::items(ctx))?),
    }
    out.push(&pretty(support::items(ctx))?);
    Ok(())
}

/// The crate's inner attributes and docs (in crate mode), and the imports
/// the items need.
fn top(ctx: &Ctx, crate_root: bool) -> TokenStream {
    let catalog = ctx.catalog;
    let uses = ctx.uses.borrow().clone();
    let btree = if uses.btree_map {
        // Unused when the families using maps are disabled.
        let allow = if ctx.layout.is_some() {
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

/// Re-wraps the paragraphs of a prose text (the emitter's own, not the
/// catalog's) at 80 columns.
pub(crate) fn wrap(text: &str) -> String {
    text.split("\n\n")
        .map(|para| {
            let mut lines: Vec<String> = Vec::new();
            let mut cur = String::new();
            for word in para.split_whitespace() {
                if !cur.is_empty() && cur.len() + 1 + word.len() > 80 {
                    lines.push(std::mem::take(&mut cur));
                }
                if !cur.is_empty() {
                    cur.push(' ');
                }
                cur.push_str(word);
            }
            if !cur.is_empty() {
                lines.push(cur);
            }
            lines.join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn cargo_toml(catalog: &Catalog, uses: &Uses, layout: &families::Layout) -> String {
    let version = if is_semver(&catalog.version) {
        catalog.version.clone()
    } else {
        "0.0.0".to_string()
    };
    let mut deps = String::new();
    if uses.chrono {
        deps.push_str("chrono = { version = \"0.4.31\", default-features = false, features = [\"std\", \"serde\"] }\n");
    }
    deps.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
    // `float_roundtrip`: numbers are read to the nearest double, so a value
    // (also in an `Event::Unknown` payload) is written back unchanged.
    deps.push_str("serde_json = { version = \"1\", features = [\"float_roundtrip\"] }\n");
    // Errors that name the JSON path of the value at fault.
    deps.push_str("serde_path_to_error = \"0.1\"\n");
    if uses.uuid {
        deps.push_str("uuid = { version = \"1\", default-features = false, features = [\"std\", \"serde\"] }\n");
    }
    let mut schemars_features = Vec::new();
    if uses.chrono {
        schemars_features.push("\"chrono04\"");
    }
    if uses.uuid {
        schemars_features.push("\"uuid1\"");
    }
    deps.push_str(&format!(
        "schemars = {{ version = \"1\", optional = true, features = [{}] }}\n",
        schemars_features.join(", ")
    ));
    deps.push_str("proptest = { version = \"1\", optional = true }\n");
    let description = toml_string(&format!(
        "Typed events of {} (generated by eventcat)",
        catalog.title
    ));
    let mut features = String::from(
        "# Every family is on by default; `default-features = false, features = [\"<family>\"]`\n\
         # compiles only the types of the families listed (the other families' events\n\
         # arrive as `Event::Unknown`).\n",
    );
    features.push_str("default = [");
    for (i, f) in layout.families.iter().enumerate() {
        features.push_str(if i == 0 { "\n" } else { "" });
        features.push_str(&format!("  \"{}\",\n", f.feature));
    }
    features.push_str("]\n");
    for f in &layout.families {
        let title = catalog
            .family(&f.id)
            .map(|fam| fam.title.as_str())
            .unwrap_or_default();
        let renamed = if f.feature == f.id {
            String::new()
        } else {
            format!(" (feature renamed: `{}` is taken)", f.id)
        };
        features.push_str(&format!(
            "# The `{}` family: {}{renamed}.\n{} = []\n",
            f.id,
            title.replace('\n', " ").trim_end_matches('.'),
            f.feature
        ));
    }
    format!(
        "[package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         description = \"{description}\"\n\
         edition = \"2021\"\n\
         publish = false\n\
         \n\
         [features]\n\
         {features}\
         # `JsonSchema` for every type.\n\
         schemars = [\"dep:schemars\"]\n\
         # `Arbitrary` for every type: strategies producing only valid values.\n\
         proptest = [\"dep:proptest\"]\n\
         \n\
         [dependencies]\n\
         {deps}",
        name = crate_name(catalog),
    )
}

/// `s` escaped for a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
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

/// Doc-comment lines of a Markdown text: blank lines at both ends dropped,
/// trailing spaces trimmed, and list items' continuation lines indented
/// under their item (so rustdoc and clippy read the lists as written).
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut cont: Option<usize> = None;
    let mut quote = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // rustdoc runs an unlabelled fence as a Rust doctest: label it.
            let opening = !in_fence;
            in_fence = !in_fence;
            cont = None;
            if opening && trimmed.len() == 3 {
                out.push(format!("{line}text"));
            } else {
                out.push(line.to_string());
            }
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        if trimmed.is_empty() {
            cont = None;
            quote = false;
            out.push(String::new());
            continue;
        }
        if trimmed.starts_with('>') {
            quote = true;
            cont = None;
            out.push(line.to_string());
        } else if quote {
            // A lazy continuation of a block quote: part of the quote.
            out.push(format!("> {trimmed}"));
        } else if let Some(width) = list_marker_width(line) {
            cont = Some(width);
            out.push(line.to_string());
        } else if let Some(width) = cont {
            out.push(format!("{}{trimmed}", " ".repeat(width)));
        } else {
            out.push(line.to_string());
        }
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// Width of a Markdown list item's marker with its indentation and spaces
/// (`- `, `* `, `1. `), or `None` for another line.
fn list_marker_width(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let marker = if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ ") {
        1
    } else {
        let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0
            && digits < 10
            && (rest[digits..].starts_with(". ") || rest[digits..].starts_with(") "))
        {
            digits + 1
        } else {
            return None;
        }
    };
    let spaces = rest[marker..].len() - rest[marker..].trim_start().len();
    Some(indent + marker + spaces)
}

/// `#[doc = ...]` attributes for a text (nothing for an empty one).
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!( #( #[doc = #lines] )* )
}

/// The description of a catalog item, or a fallback naming it.
pub(crate) fn describe(description: &str, fallback: &str) -> String {
    if description.trim().is_empty() {
        fallback.to_string()
    } else {
        description.to_string()
    }
}

/// The doc text of a field: its description, then whether it may be absent
/// or null, constraints, and deprecation.
pub(crate) fn field_doc(f: &Field) -> String {
    let mut text = describe(&f.description, &format!("The `{}` field.", f.name));
    let presence = match (f.optional, f.nullable) {
        (false, false) => None,
        (false, true) => Some("Always present; `None` is written as `null`."),
        (true, false) => Some("May be absent (`None`); never `null`."),
        (true, true) => Some("`None`: absent; `Some(None)`: `null`."),
    };
    let c = &f.constraints;
    let mut rules = Vec::new();
    if let Some(m) = c.minimum {
        rules.push(format!("at least {m}"));
    }
    if let Some(m) = c.maximum {
        rules.push(format!("at most {m}"));
    }
    if let Some(m) = c.min_length {
        rules.push(format!("at least {m} characters"));
    }
    if let Some(m) = c.max_length {
        rules.push(format!("at most {m} characters"));
    }
    if let Some(p) = &c.pattern {
        rules.push(format!("matches `{}`", p.replace('`', "\\`")));
    }
    if let Some(m) = c.min_items {
        rules.push(format!("at least {m} items"));
    }
    if let Some(m) = c.max_items {
        rules.push(format!("at most {m} items"));
    }
    let mut notes = Vec::new();
    if let Some(p) = presence {
        notes.push(p.to_string());
    }
    if !rules.is_empty() {
        notes.push(format!(
            "Constraints (not checked by this type): {}.",
            rules.join(", ")
        ));
    }
    if let Some(d) = &f.deprecated {
        notes.push(format!("**Deprecated**: {d}"));
    }
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&wrap(&notes.join(" ")));
    }
    text
}

impl Ctx<'_> {
    /// Whether a value of `ty` is read through `support::Wire` (eventcat's
    /// checks instead of the target type's own `Deserialize`): integers
    /// (integral floats such as `1.0` accepted, the i64 range enforced),
    /// `uuid`, `date` and `date-time`, also inside arrays and maps.
    /// Records the leaf kinds used.
    pub fn needs_wire(&self, ty: &TypeRef) -> bool {
        let ty = analysis::dealias(self.catalog, &self.an.newtype_aliases, ty);
        let mut uses = self.uses.borrow_mut();
        let hit = match ty {
            TypeRef::Integer => {
                uses.wire_int = true;
                true
            }
            TypeRef::String(StringFormat::Uuid) => {
                uses.wire_uuid = true;
                true
            }
            TypeRef::String(StringFormat::Date) => {
                uses.wire_date = true;
                true
            }
            TypeRef::String(StringFormat::DateTime) => {
                uses.wire_date_time = true;
                true
            }
            TypeRef::Array(inner) | TypeRef::Map(inner) => {
                drop(uses);
                return self.needs_wire(inner) && {
                    self.uses.borrow_mut().wire = true;
                    true
                };
            }
            _ => false,
        };
        if hit {
            uses.wire = true;
        }
        hit
    }

    /// `#[derive(schemars::JsonSchema)]`, gated as configured.
    pub fn derive_schemars(&self) -> TokenStream {
        match self.opts.schemars {
            Derive::Off => quote!(),
            Derive::Feature => {
                quote!(#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))])
            }
            Derive::Always => quote!(#[derive(schemars::JsonSchema)]),
        }
    }

    /// A `#[schemars(...)]` attribute, gated as configured.
    pub fn schemars_attr(&self, inner: TokenStream) -> TokenStream {
        match self.opts.schemars {
            Derive::Off => quote!(),
            Derive::Feature => quote!(#[cfg_attr(feature = "schemars", schemars(#inner))]),
            Derive::Always => quote!(#[schemars(#inner)]),
        }
    }

    /// An item only compiled with `schemars`, or nothing.
    pub fn schemars_item(&self, item: TokenStream) -> TokenStream {
        gated(self.opts.schemars, "schemars", item)
    }

    /// An item only compiled with `proptest`, or nothing.
    pub fn proptest_item(&self, item: TokenStream) -> TokenStream {
        gated(self.opts.proptest, "proptest", item)
    }

    /// Whether proptest impls are emitted.
    pub fn proptest_on(&self) -> bool {
        self.opts.proptest != Derive::Off
    }

    /// The Rust type of a type expression held by `owner` (for boxing).
    pub fn rust_type(&self, owner: Option<&str>, ty: &TypeRef) -> TokenStream {
        self.rust_type_in(owner, ty, &quote!())
    }

    /// Like [`Ctx::rust_type`], with the generated items reached through
    /// `root` (`super::` from a child module).
    pub fn rust_type_in(
        &self,
        owner: Option<&str>,
        ty: &TypeRef,
        root: &TokenStream,
    ) -> TokenStream {
        let mut uses = self.uses.borrow_mut();
        match ty {
            TypeRef::String(f) => match f {
                StringFormat::Plain => quote!(String),
                StringFormat::Uuid => {
                    uses.uuid = true;
                    quote!(uuid::Uuid)
                }
                StringFormat::Email => {
                    uses.email = true;
                    quote!(#root Email)
                }
                StringFormat::Uri => {
                    uses.uri = true;
                    quote!(#root Uri)
                }
                StringFormat::Date => {
                    uses.chrono = true;
                    quote!(chrono::NaiveDate)
                }
                StringFormat::DateTime => {
                    uses.chrono = true;
                    quote!(chrono::DateTime<chrono::Utc>)
                }
                StringFormat::LocalDateTime => {
                    uses.chrono = true;
                    uses.local_date_time = true;
                    quote!(#root LocalDateTime)
                }
            },
            TypeRef::Integer => quote!(i64),
            TypeRef::Number => quote!(f64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Json | TypeRef::Payload => quote!(serde_json::Value),
            TypeRef::EventCode => quote!(#root EventCode),
            TypeRef::Const(v) => {
                uses.constant = true;
                let marker = ident(&self.an.consts[v]);
                quote!(#root consts::#marker)
            }
            TypeRef::Named(n) => {
                let name = type_name(n);
                drop(uses);
                let target = analysis::dealias(self.catalog, &self.an.newtype_aliases, ty);
                let boxed = match (owner, target) {
                    (Some(o), TypeRef::Named(t)) => self.an.is_boxed(o, t),
                    _ => false,
                };
                if boxed {
                    quote!(Box<#root #name>)
                } else {
                    quote!(#root #name)
                }
            }
            TypeRef::Array(inner) => {
                drop(uses);
                let inner = self.rust_type_in(None, inner, root);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                uses.btree_map = true;
                drop(uses);
                let inner = self.rust_type_in(None, inner, root);
                quote!(#root BTreeMap<String, #inner>)
            }
        }
    }

    /// The Rust type of a field: its type wrapped for optional and nullable.
    pub fn field_type(&self, owner: Option<&str>, f: &Field) -> TokenStream {
        self.field_type_in(owner, f, &quote!())
    }

    /// Like [`Ctx::field_type`], with the generated items reached through `root`.
    pub fn field_type_in(&self, owner: Option<&str>, f: &Field, root: &TokenStream) -> TokenStream {
        let base = self.rust_type_in(owner, &f.ty, root);
        match (f.optional, f.nullable) {
            (false, false) => base,
            (true, true) => quote!(Option<Option<#base>>),
            _ => quote!(Option<#base>),
        }
    }

    /// serde and schemars attributes of a field for derived impls; helper
    /// functions are reached through `helpers` (`support` from the module
    /// root, empty from inside `support`).
    pub fn field_attrs(&self, owner: Option<&str>, f: &Field, helpers: &str) -> TokenStream {
        let ident = naming::snake_case(&f.name);
        let mut serde = Vec::new();
        if ident != f.name {
            let wire = &f.name;
            serde.push(quote!(rename = #wire));
        }
        let helper = |name: &str| {
            if helpers.is_empty() {
                name.to_string()
            } else {
                format!("{helpers}::{name}")
            }
        };
        let mut schemars = Vec::new();
        let wire = self.needs_wire(&f.ty);
        match (f.optional, f.nullable) {
            (false, false) => {
                if wire {
                    self.uses.borrow_mut().wire_fn = true;
                    let path = helper("wire");
                    serde.push(quote!(deserialize_with = #path));
                }
            }
            (false, true) => {
                let path = if wire {
                    self.uses.borrow_mut().wire_fn = true;
                    helper("wire")
                } else {
                    self.uses.borrow_mut().nullable = true;
                    helper("nullable")
                };
                serde.push(quote!(deserialize_with = #path));
                if self.opts.schemars != Derive::Off {
                    self.uses.borrow_mut().nullable_schema = true;
                    let base = self.rust_type(owner, &f.ty);
                    let with = format!("{}<{}>", helper("Nullable"), type_text(&base));
                    schemars.push(quote!(with = #with));
                }
            }
            (true, nullable) => {
                let path = if wire {
                    self.uses.borrow_mut().present_wire_fn = true;
                    helper("present_wire")
                } else {
                    self.uses.borrow_mut().present = true;
                    helper("present")
                };
                serde.push(quote!(default, skip_serializing_if = "Option::is_none", deserialize_with = #path));
                if !nullable {
                    let base = type_text(&self.rust_type(owner, &f.ty));
                    schemars.push(quote!(with = #base));
                }
            }
        }
        let c = &f.constraints;
        let range = bounds(c.minimum.map(number_lit), c.maximum.map(number_lit));
        if let Some(r) = range {
            schemars.push(quote!(range(#r)));
        }
        let length = bounds(
            c.min_length.or(c.min_items).map(usize_lit),
            c.max_length.or(c.max_items).map(usize_lit),
        );
        if let Some(l) = length {
            schemars.push(quote!(length(#l)));
        }
        if let Some(p) = &c.pattern {
            schemars.push(quote!(regex(pattern = #p)));
        }
        let serde = if serde.is_empty() {
            quote!()
        } else {
            quote!(#[serde( #(#serde),* )])
        };
        let schemars = if schemars.is_empty() {
            quote!()
        } else {
            self.schemars_attr(quote!( #(#schemars),* ))
        };
        quote!(#serde #schemars)
    }
}

/// A type as written by hand (`Box<Tree>`, not `Box < Tree >`), for
/// attributes that take a type in a string.
fn type_text(ty: &TokenStream) -> String {
    ty.to_string()
        .replace(" :: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// `items` behind `#[cfg(feature = ..)]` (each of them), as is, or dropped.
fn gated(d: Derive, feature: &str, items: TokenStream) -> TokenStream {
    match d {
        Derive::Off => quote!(),
        Derive::Feature => match syn::parse2::<syn::File>(items.clone()) {
            Ok(file) => {
                let items = file.items.iter();
                quote!( #( #[cfg(feature = #feature)] #items )* )
            }
            Err(_) => quote!(#[cfg(feature = #feature)] #items),
        },
        Derive::Always => items,
    }
}

fn bounds(min: Option<TokenStream>, max: Option<TokenStream>) -> Option<TokenStream> {
    match (min, max) {
        (None, None) => None,
        (Some(a), None) => Some(quote!(min = #a)),
        (None, Some(b)) => Some(quote!(max = #b)),
        (Some(a), Some(b)) => Some(quote!(min = #a, max = #b)),
    }
}

/// A number literal: integral values without a fraction.
pub(crate) fn number_lit(v: f64) -> TokenStream {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        let lit = proc_macro2::Literal::i64_unsuffixed(v as i64);
        if v < 0.0 {
            let lit = proc_macro2::Literal::i64_unsuffixed(-(v as i64));
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
