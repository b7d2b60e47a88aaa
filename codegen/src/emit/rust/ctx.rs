//! What the parts of the emitter ask the context: the Rust type of a
//! catalog type, the serde, schemars and proptest attributes of a field.

#[allow(unused_imports)]
use super::*;

impl Ctx<'_> {
    /// How field `f` is read (the plan's [`plan::reader`]).
    pub fn reader(&self, f: &Field) -> plan::Reader {
        plan::reader(self.catalog, &self.plan.an, f)
    }

    /// `#[derive(schemars::JsonSchema)]`, gated as configured.
    pub fn derive_schemars(&self) -> TokenStream {
        match self.plan.opts.schemars {
            Derive::Off => quote!(),
            Derive::Feature => {
                quote!(#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))])
            }
            Derive::Always => quote!(#[derive(schemars::JsonSchema)]),
        }
    }

    /// A `#[schemars(...)]` attribute, gated as configured.
    pub fn schemars_attr(&self, inner: TokenStream) -> TokenStream {
        match self.plan.opts.schemars {
            Derive::Off => quote!(),
            Derive::Feature => quote!(#[cfg_attr(feature = "schemars", schemars(#inner))]),
            Derive::Always => quote!(#[schemars(#inner)]),
        }
    }

    /// An item only compiled with `schemars`, or nothing.
    pub fn schemars_item(&self, item: TokenStream) -> TokenStream {
        gated(self.plan.opts.schemars, "schemars", item)
    }

    /// An item only compiled with `proptest`, or nothing.
    pub fn proptest_item(&self, item: TokenStream) -> TokenStream {
        gated(self.plan.opts.proptest, "proptest", item)
    }

    /// Whether proptest impls are emitted.
    pub fn proptest_on(&self) -> bool {
        self.plan.opts.proptest != Derive::Off
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
        match ty {
            TypeRef::String(f) => match f {
                StringFormat::Plain => quote!(String),
                StringFormat::Uuid => quote!(uuid::Uuid),
                StringFormat::Email => quote!(#root Email),
                StringFormat::Uri => quote!(#root Uri),
                StringFormat::Date => quote!(chrono::NaiveDate),
                StringFormat::DateTime => quote!(chrono::DateTime<chrono::Utc>),
                StringFormat::LocalDateTime => quote!(#root LocalDateTime),
            },
            TypeRef::Integer => quote!(i64),
            TypeRef::Number => quote!(f64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::Const(v) => {
                let marker = self.plan.marker(v);
                quote!(#root consts::#marker)
            }
            TypeRef::Named(n) => {
                let name = type_name(n);
                if plan::boxed(self.catalog, &self.plan.an, owner, ty) {
                    quote!(Box<#root #name>)
                } else {
                    quote!(#root #name)
                }
            }
            TypeRef::Array(inner) => {
                let inner = self.rust_type_in(None, inner, root);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
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
        let mut serde = Vec::new();
        if let Some(wire) = plan::serde_rename(&f.name) {
            serde.push(quote!(rename = #wire));
        }
        let (deserialize, with) = self.wrapper_attrs(owner, f, helpers);
        serde.extend(deserialize);
        let mut schemars: Vec<TokenStream> = with.into_iter().collect();
        schemars.extend(constraint_attrs(&f.constraints));
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

    /// The serde (`deserialize_with`, ...) and schemars (`with`) parts of a
    /// field's attributes that depend on its being optional or nullable.
    fn wrapper_attrs(
        &self,
        owner: Option<&str>,
        f: &Field,
        helpers: &str,
    ) -> (Option<TokenStream>, Option<TokenStream>) {
        let reader = self.reader(f);
        let path = reader.helper().map(|h| helper_path(helpers, h));
        match (path, f.optional) {
            (None, _) => (None, None),
            (Some(path), true) => {
                let serde = quote!(default, skip_serializing_if = "Option::is_none", deserialize_with = #path);
                if f.nullable {
                    return (Some(serde), None);
                }
                let base = type_text(&self.rust_type(owner, &f.ty));
                (Some(serde), Some(quote!(with = #base)))
            }
            (Some(path), false) => {
                let serde = quote!(deserialize_with = #path);
                if !f.nullable || self.plan.opts.schemars == Derive::Off {
                    return (Some(serde), None);
                }
                let base = self.rust_type(owner, &f.ty);
                let with = format!("{}<{}>", helper_path(helpers, "Nullable"), type_text(&base));
                (Some(serde), Some(quote!(with = #with)))
            }
        }
    }
}

/// The path of a `support` helper as seen from where `helpers` leads.
fn helper_path(helpers: &str, name: &str) -> String {
    if helpers.is_empty() {
        name.to_string()
    } else {
        format!("{helpers}::{name}")
    }
}

/// The schemars attributes of a field's constraints: `range`, `length`,
/// `regex`.
fn constraint_attrs(c: &crate::model::Constraints) -> Vec<TokenStream> {
    let mut schemars = Vec::new();
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
    schemars
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
