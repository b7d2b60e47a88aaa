//! The catalog model: types, fields, events, families, and the catalog that
//! holds them.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::words::Pattern;

/// A type expression of a field or an alias.
#[derive(Clone)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    Json,
    Uuid,
    Email,
    Uri,
    Date,
    DateTime,
    LocalDateTime,
    Named(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Partial(String),
}

impl Ty {
    /// The named type `s`.
    pub fn named(s: &str) -> Ty {
        Ty::Named(s.to_string())
    }
    /// The type expression, as written in the catalog (`array<string>`).
    pub fn expr(&self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Int => "integer".into(),
            Ty::Num => "number".into(),
            Ty::Bool => "boolean".into(),
            Ty::Json => "json".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Email => "email".into(),
            Ty::Uri => "uri".into(),
            Ty::Date => "date".into(),
            Ty::DateTime => "date-time".into(),
            Ty::LocalDateTime => "local-date-time".into(),
            Ty::Named(n) => n.clone(),
            Ty::Array(t) => format!("array<{}>", t.expr()),
            Ty::Map(t) => format!("map<{}>", t.expr()),
            Ty::Partial(n) => format!("partial<{n}>"),
        }
    }
}

/// A field of an object type.
#[derive(Clone)]
pub struct Field {
    pub name: String,
    pub ty: Option<Ty>,
    pub konst: Option<String>,
    pub desc: String,
    pub optional: bool,
    pub nullable: bool,
    pub deprecated: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<Pattern>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
}

impl Field {
    /// A required, non-nullable field `name` of type `ty`, unconstrained.
    pub fn new(name: &str, ty: Ty, desc: impl Into<String>) -> Field {
        Field {
            name: name.into(),
            ty: Some(ty),
            konst: None,
            desc: desc.into(),
            optional: false,
            nullable: false,
            deprecated: None,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            pattern: None,
            min_items: None,
            max_items: None,
        }
    }
    /// A field `name` that always holds the string `value`.
    pub fn konst(name: &str, value: &str, desc: impl Into<String>) -> Field {
        let mut f = Field::new(name, Ty::Str, desc);
        f.ty = None;
        f.konst = Some(value.into());
        f
    }
    /// Makes the field optional.
    pub fn opt(mut self) -> Self {
        self.optional = true;
        self
    }
    /// Makes the field nullable.
    pub fn null(mut self) -> Self {
        self.nullable = true;
        self
    }
    /// Sets `minimum` and `maximum`.
    pub fn range(mut self, lo: f64, hi: f64) -> Self {
        self.minimum = Some(lo);
        self.maximum = Some(hi);
        self
    }
    /// Sets `min_length` and `max_length`.
    pub fn len(mut self, lo: Option<u64>, hi: Option<u64>) -> Self {
        self.min_length = lo;
        self.max_length = hi;
        self
    }
    /// Sets the `pattern`.
    pub fn pattern(mut self, p: Pattern) -> Self {
        self.pattern = Some(p);
        self
    }
    /// Sets `min_items` and `max_items`.
    pub fn items(mut self, lo: Option<u64>, hi: Option<u64>) -> Self {
        self.min_items = lo;
        self.max_items = hi;
        self
    }
    /// Marks the field deprecated, saying `why`.
    pub fn deprecated(mut self, why: &str) -> Self {
        self.deprecated = Some(why.into());
        self
    }
}

/// What a type is: an object, an enum or an alias.
pub enum Kind {
    Object(Vec<Field>),
    Enum {
        values: Vec<String>,
        extensible: bool,
        value_descriptions: Vec<(String, String)>,
    },
    Alias(Ty),
}

/// A declared type.
pub struct TypeDef {
    pub name: String,
    pub desc: String,
    pub kind: Kind,
}

/// An event code of a family.
pub struct Event {
    pub code: String,
    pub title: String,
    pub desc: String,
    pub payload: String,
    pub status: &'static str,
    pub deprecation: Option<String>,
    pub since: &'static str,
    pub examples: usize,
}

/// A family and its event codes.
pub struct Family {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub events: Vec<Event>,
}

/// The catalog being generated: its types, in files, and its families.
#[derive(Default)]
pub struct Catalog {
    pub types: Vec<TypeDef>,
    index: HashMap<String, usize>,
    /// Types file (relative path) -> indexes into `types`, in order.
    pub files: BTreeMap<String, Vec<usize>>,
    /// Declared types plus derived `partial<T>` ones.
    pub type_count: usize,
    pub partials: HashSet<String>,
    pub families: Vec<Family>,
}

impl Catalog {
    /// Declares type `name` in types file `file`.
    pub fn add(&mut self, file: &str, name: &str, desc: impl Into<String>, kind: Kind) {
        assert!(
            !self.index.contains_key(name) && !name.starts_with("Partial"),
            "generator bug: type name `{name}` taken"
        );
        // Count the `partial<T>` a type introduces (one derived type per T).
        let mut exprs = Vec::new();
        match &kind {
            Kind::Object(fields) => exprs.extend(fields.iter().filter_map(|f| f.ty.clone())),
            Kind::Alias(t) => exprs.push(t.clone()),
            Kind::Enum { .. } => {}
        }
        for t in exprs {
            self.note_partials(&t);
        }
        self.index.insert(name.to_string(), self.types.len());
        self.files
            .entry(file.to_string())
            .or_default()
            .push(self.types.len());
        self.types.push(TypeDef {
            name: name.to_string(),
            desc: desc.into(),
            kind,
        });
        self.type_count += 1;
    }
    /// Counts the `partial<T>` types `t` uses that are not counted yet.
    fn note_partials(&mut self, t: &Ty) {
        match t {
            Ty::Partial(n) if self.partials.insert(n.clone()) => self.type_count += 1,
            Ty::Array(t) | Ty::Map(t) => self.note_partials(t),
            _ => {}
        }
    }
    /// The declared type `name` (it must exist).
    pub fn get(&self, name: &str) -> &TypeDef {
        &self.types[self.index[name]]
    }
}
