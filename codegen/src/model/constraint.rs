//! Value constraints of a field, and how every output names and writes
//! them.

/// Value constraints of a field. Emitted in JSON Schema and enforced by
/// `eventcat validate`; generated Rust types do not enforce them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Numbers: smallest allowed value.
    pub minimum: Option<f64>,
    /// Numbers: largest allowed value.
    pub maximum: Option<f64>,
    /// Strings: fewest characters.
    pub min_length: Option<u64>,
    /// Strings: most characters.
    pub max_length: Option<u64>,
    /// Strings: ECMA-262 regular expression.
    pub pattern: Option<String>,
    /// Arrays: fewest items.
    pub min_items: Option<u64>,
    /// Arrays: most items.
    pub max_items: Option<u64>,
}

impl Constraints {
    /// No constraint set.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// The constraints set, in one fixed order (minimum, maximum, lengths,
    /// pattern, item counts): the order of every output.
    pub fn iter(&self) -> impl Iterator<Item = Constraint<'_>> {
        [
            self.minimum.map(Constraint::Minimum),
            self.maximum.map(Constraint::Maximum),
            self.min_length.map(Constraint::MinLength),
            self.max_length.map(Constraint::MaxLength),
            self.pattern.as_deref().map(Constraint::Pattern),
            self.min_items.map(Constraint::MinItems),
            self.max_items.map(Constraint::MaxItems),
        ]
        .into_iter()
        .flatten()
    }
}

/// One constraint of a field, with how every output names and writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constraint<'a> {
    /// Numbers: smallest allowed value.
    Minimum(f64),
    /// Numbers: largest allowed value.
    Maximum(f64),
    /// Strings: fewest characters.
    MinLength(u64),
    /// Strings: most characters.
    MaxLength(u64),
    /// Strings: ECMA-262 regular expression.
    Pattern(&'a str),
    /// Arrays: fewest items.
    MinItems(u64),
    /// Arrays: most items.
    MaxItems(u64),
}

impl Constraint<'_> {
    /// Its key in a catalog file (`min_length`).
    pub fn name(self) -> &'static str {
        match self {
            Constraint::Minimum(_) => "minimum",
            Constraint::Maximum(_) => "maximum",
            Constraint::MinLength(_) => "min_length",
            Constraint::MaxLength(_) => "max_length",
            Constraint::Pattern(_) => "pattern",
            Constraint::MinItems(_) => "min_items",
            Constraint::MaxItems(_) => "max_items",
        }
    }

    /// Its JSON Schema keyword (`minLength`).
    pub fn keyword(self) -> &'static str {
        match self {
            Constraint::Minimum(_) => "minimum",
            Constraint::Maximum(_) => "maximum",
            Constraint::MinLength(_) => "minLength",
            Constraint::MaxLength(_) => "maxLength",
            Constraint::Pattern(_) => "pattern",
            Constraint::MinItems(_) => "minItems",
            Constraint::MaxItems(_) => "maxItems",
        }
    }

    /// Its label in the docs' tables (`min length`).
    pub fn label(self) -> &'static str {
        match self {
            Constraint::Minimum(_) => "minimum",
            Constraint::Maximum(_) => "maximum",
            Constraint::MinLength(_) => "min length",
            Constraint::MaxLength(_) => "max length",
            Constraint::Pattern(_) => "pattern",
            Constraint::MinItems(_) => "min items",
            Constraint::MaxItems(_) => "max items",
        }
    }

    /// Its value as text (bounds as [`format_number`] writes them).
    pub fn value_text(self) -> String {
        match self {
            Constraint::Minimum(v) | Constraint::Maximum(v) => format_number(v),
            Constraint::MinLength(v)
            | Constraint::MaxLength(v)
            | Constraint::MinItems(v)
            | Constraint::MaxItems(v) => v.to_string(),
            Constraint::Pattern(p) => p.to_string(),
        }
    }

    /// Its value as JSON (bounds an integer when they are one, see
    /// [`as_integer`]).
    pub fn value_json(self) -> serde_json::Value {
        match self {
            Constraint::Minimum(v) | Constraint::Maximum(v) => match as_integer(v) {
                Some(i) => i.into(),
                None => v.into(),
            },
            Constraint::MinLength(v)
            | Constraint::MaxLength(v)
            | Constraint::MinItems(v)
            | Constraint::MaxItems(v) => v.into(),
            Constraint::Pattern(p) => p.into(),
        }
    }

    /// It as a phrase of Markdown (`at least 3 characters`).
    pub fn phrase(self) -> String {
        let v = self.value_text();
        match self {
            Constraint::Minimum(_) => format!("at least {v}"),
            Constraint::Maximum(_) => format!("at most {v}"),
            Constraint::MinLength(_) => format!("at least {v} characters"),
            Constraint::MaxLength(_) => format!("at most {v} characters"),
            Constraint::Pattern(p) => format!("matches `{}`", p.replace('`', "\\`")),
            Constraint::MinItems(_) => format!("at least {v} items"),
            Constraint::MaxItems(_) => format!("at most {v} items"),
        }
    }
}

/// A catalog number as an integer, when it is one that a 64-bit float
/// holds exactly (no fraction, magnitude below 9e15): every output writes
/// such bounds as integers (`400`, not `400.0`).
pub fn as_integer(v: f64) -> Option<i64> {
    (v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
}

/// A catalog number as text: `400` for 400.0, `0.5` for 0.5.
pub fn format_number(v: f64) -> String {
    match as_integer(v) {
        Some(i) => i.to_string(),
        None => v.to_string(),
    }
}
