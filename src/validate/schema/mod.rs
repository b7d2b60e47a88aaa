//! The compiled producer contract: one JSON Schema validator per event code,
//! built once from the JSON Schema emitter's output and shared by every
//! worker thread, and the translation of the validator's errors into
//! violations that say what was expected and what was found.

use std::collections::HashMap;

use eventcat_codegen::diagnostic::{Diagnostic, Diagnostics, ErrorKind, SourceText};
use eventcat_codegen::emit::json_schema::{self, LOCAL_DATE_TIME_FORMAT};
use eventcat_codegen::formats;
use eventcat_codegen::model::{Catalog, TypeKind};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

mod convert;

#[allow(unused_imports)]
use convert::*;

/// The options every eventcat validator is built with: draft 2020-12,
/// formats asserted with eventcat's own checks ([`formats`], the ones the
/// generated Rust types use; they override jsonschema's built-in `uuid`,
/// `date`, `date-time`, `email` and `uri`), `local-date-time` included, no
/// network or file access. Patterns are ECMA-262 (jsonschema translates them
/// with `jsonschema_regex`, as [`eventcat_codegen::pattern`] does).
pub fn validator_options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_format("uuid", formats::is_uuid)
        .with_format("date", formats::is_date)
        .with_format("date-time", formats::is_date_time)
        .with_format("email", formats::is_email)
        .with_format("uri", formats::is_uri)
        .with_format(LOCAL_DATE_TIME_FORMAT, formats::is_local_date_time)
        .offline()
}

/// Every field `pattern` the validator's regular-expression engine rejects,
/// as a catalog error at the field (checked with the very options events
/// are validated with, so the catalog and `eventcat validate` agree).
pub fn check_patterns(catalog: &Catalog) -> Diagnostics {
    let options = validator_options();
    let fields = catalog
        .types
        .values()
        .filter_map(|t| match &t.kind {
            TypeKind::Object(o) if t.derived_from.is_none() => Some(o.fields.iter()),
            _ => None,
        })
        .flatten()
        .chain(catalog.envelope.plain_fields());
    let mut diags = Diagnostics::default();
    // Each distinct pattern is compiled once (a large catalog repeats them).
    let mut verdicts: HashMap<&str, Result<(), String>> = HashMap::new();
    for f in fields {
        let Some(pattern) = &f.constraints.pattern else {
            continue;
        };
        let verdict = verdicts.entry(pattern.as_str()).or_insert_with(|| {
            let schema = serde_json::json!({ "type": "string", "pattern": pattern });
            options
                .build(&schema)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
        if let Err(e) = verdict {
            let Some(src) = catalog.sources.get(f.origin.file) else {
                continue;
            };
            let source = SourceText::new(src.path.clone(), src.text.clone());
            diags.0.push(
                Diagnostic::new(
                    ErrorKind::InvalidValue,
                    &source,
                    f.origin.span.clone(),
                    format!(
                        "the `pattern` of field `{}` is not a regular expression the validator accepts: {e}",
                        f.name
                    ),
                )
                .label("this field's `pattern`")
                .help("write an ECMA-262 regular expression (e.g. `^[a-z]+$`); check brackets, groups and escapes"),
            );
        }
    }
    diags.sort();
    diags
}

/// One way an event breaks the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON Pointer to the offending value inside the event (for a missing
    /// or undeclared field: to that field). `""` is the whole event.
    pub pointer: String,
    /// Machine-readable kind: `malformed-json`, `not-an-object`,
    /// `missing-discriminator`, `unknown-code`, `required`, `unknown-field`,
    /// `type`, `enum`, `const`, `format`, `pattern`, `minimum`, `maximum`,
    /// `min-length`, `max-length`, `min-items`, `max-items`, `schema`,
    /// `duplicate-key`.
    pub kind: &'static str,
    /// What was expected, when it can be said briefly.
    pub expected: Option<String>,
    /// What was found, when it can be said briefly.
    pub found: Option<String>,
    /// The whole message, for people.
    pub message: String,
}

impl Violation {
    /// A violation whose message is `expected X, found Y`.
    pub fn expected(pointer: String, kind: &'static str, expected: String, found: String) -> Self {
        Violation {
            message: format!("expected {expected}, found {found}"),
            pointer,
            kind,
            expected: Some(expected),
            found: Some(found),
        }
    }

    /// A violation with a free message.
    pub fn other(pointer: String, kind: &'static str, message: String) -> Self {
        Violation {
            pointer,
            kind,
            expected: None,
            found: None,
            message,
        }
    }
}

/// Which catalog code an event carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOf {
    /// A code of the catalog (index in [`Validators::codes`]).
    Known(usize),
    /// A code the catalog does not have.
    Unknown(String),
    /// No usable discriminator (missing, not a string, not an object).
    None,
}

/// Which engine checks events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Engine {
    /// The catalog compiled into one validation program, events checked
    /// while they are parsed (fast start-up, no JSON tree).
    #[default]
    Compiled,
    /// One jsonschema validator per code over the emitted JSON Schemas
    /// (the reference the compiled engine is tested against).
    Reference,
}

/// Validators for every event code of a catalog.
pub struct Validators {
    discriminator: String,
    codes: Vec<String>,
    index: HashMap<String, usize>,
    validators: Vec<Validator>,
    schemas: Vec<Value>,
    program: Option<super::compiled::Program>,
    suggestions: Suggestions,
}

impl std::fmt::Debug for Validators {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Validators")
            .field("codes", &self.codes.len())
            .finish_non_exhaustive()
    }
}

impl Validators {
    /// Compiles the schema of every code (strict, or with objects left open
    /// when `allow_unknown_fields`). Fails only if the emitter produced a
    /// schema the validator rejects (a bug, or a catalog pattern that is not
    /// a valid regular expression).
    pub fn new(catalog: &Catalog, allow_unknown_fields: bool) -> Result<Self, String> {
        Self::with_engine(catalog, allow_unknown_fields, Engine::Reference)
    }

    /// The validators of `engine`: [`Engine::Reference`] compiles every
    /// code's JSON Schema ([`Validators::new`]), [`Engine::Compiled`] one
    /// [`super::compiled::Program`] for the whole catalog.
    pub fn with_engine(
        catalog: &Catalog,
        allow_unknown_fields: bool,
        engine: Engine,
    ) -> Result<Self, String> {
        if engine == Engine::Compiled {
            let program = super::compiled::Program::new(catalog, allow_unknown_fields)?;
            let codes = program.codes().to_vec();
            let index = codes
                .iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), i))
                .collect();
            return Ok(Validators {
                discriminator: catalog.envelope.discriminator.clone(),
                codes,
                index,
                validators: Vec::new(),
                schemas: Vec::new(),
                program: Some(program),
                suggestions: Suggestions::default(),
            });
        }
        let options = json_schema::Options {
            allow_unknown_fields,
        };
        let builder = validator_options();
        let mut validators = Vec::with_capacity(catalog.events.len());
        let mut schemas = Vec::with_capacity(catalog.events.len());
        for event in &catalog.events {
            let schema = json_schema::event_schema(catalog, event, options);
            let v = builder
                .build(&schema)
                .map_err(|e| format!("the schema of `{}` does not compile: {e}", event.code))?;
            validators.push(v);
            schemas.push(schema);
        }
        let codes: Vec<String> = catalog.events.iter().map(|e| e.code.clone()).collect();
        let index = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        Ok(Validators {
            discriminator: catalog.envelope.discriminator.clone(),
            codes,
            index,
            validators,
            schemas,
            program: None,
            suggestions: Suggestions::default(),
        })
    }

    /// The compiled program, for [`Engine::Compiled`] validators.
    pub fn program(&self) -> Option<&super::compiled::Program> {
        self.program.as_ref()
    }

    /// The catalog's codes, in catalog order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// The envelope field holding the code.
    pub fn discriminator(&self) -> &str {
        &self.discriminator
    }

    /// Checks one event: finds its code and validates it against that
    /// code's schema. Violations are sorted by pointer.
    pub fn check(&self, event: &Value) -> (CodeOf, Vec<Violation>) {
        if let Some(program) = &self.program {
            return program.check_value(event);
        }
        let disc = &self.discriminator;
        let Some(obj) = event.as_object() else {
            let v = Violation::expected(
                String::new(),
                "not-an-object",
                "an event object".into(),
                describe(event),
            );
            return (CodeOf::None, vec![v]);
        };
        let code = match obj.get(disc) {
            None => {
                let v = Violation::other(
                    format!("/{}", json_schema::escape_pointer(disc)),
                    "missing-discriminator",
                    format!("missing field `{disc}` (the event code); the event cannot be checked further"),
                );
                return (CodeOf::None, vec![v]);
            }
            Some(Value::String(s)) => s,
            Some(other) => {
                let v = Violation::expected(
                    format!("/{}", json_schema::escape_pointer(disc)),
                    "type",
                    "an event code (string)".into(),
                    describe(other),
                );
                return (CodeOf::None, vec![v]);
            }
        };
        let Some(&i) = self.index.get(code.as_str()) else {
            let v = unknown_code(
                format!("/{}", json_schema::escape_pointer(disc)),
                code,
                &self.codes,
                &self.suggestions,
            );
            return (CodeOf::Unknown(code.clone()), vec![v]);
        };
        let validator = &self.validators[i];
        if validator.is_valid(event) {
            return (CodeOf::Known(i), Vec::new());
        }
        let mut out = Vec::new();
        for err in validator.iter_errors(event) {
            convert(&err, &self.schemas[i], &mut out);
        }
        tidy(&mut out);
        (CodeOf::Known(i), out)
    }
}

/// The closest codes of undeclared codes seen so far ([`closest`] is the
/// costly part of an `unknown-code` violation, and a producer that sends an
/// undeclared code sends it many times). Shared by the worker threads; at
/// most [`Suggestions::KEPT`] codes of at most [`Suggestions::LONGEST`]
/// bytes are kept.
#[derive(Debug, Default)]
pub struct Suggestions(std::sync::Mutex<HashMap<String, Vec<usize>>>);

impl Suggestions {
    /// Codes kept (past this, the list starts over).
    pub const KEPT: usize = 1024;
    /// Longest code kept, in bytes.
    pub const LONGEST: usize = 256;

    /// [`closest`], remembered.
    pub fn closest<'a>(&self, code: &str, codes: &'a [String]) -> Vec<&'a str> {
        let kept = self.0.lock().ok().and_then(|m| m.get(code).cloned());
        if let Some(found) = kept {
            return found.iter().map(|&i| codes[i].as_str()).collect();
        }
        let found = closest(code, codes);
        // Only codes of a sensible length are kept (memory stays bounded).
        if code.len() > Self::LONGEST {
            return found;
        }
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= Self::KEPT {
                map.clear();
            }
            let at = |c: &str| codes.iter().position(|x| x == c).unwrap_or_default();
            map.insert(code.to_string(), found.iter().map(|c| at(c)).collect());
        }
        found
    }
}

/// The `unknown-code` violation of `code` at `pointer`, with the closest
/// catalog codes as a hint.
pub fn unknown_code(
    pointer: String,
    code: &str,
    codes: &[String],
    suggestions: &Suggestions,
) -> Violation {
    let close = suggestions.closest(code, codes);
    let hint = match close.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        many => format!(
            "; did you mean one of {}?",
            many.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Violation {
        pointer,
        kind: "unknown-code",
        expected: close.first().map(|c| c.to_string()),
        found: Some(code.to_string()),
        message: format!("unknown event code `{code}`{hint}"),
    }
}

/// The codes closest to `code` (Jaro-Winkler similarity at least 0.8, and
/// within 0.02 of the best), at most three, closest first.
pub fn closest<'a>(code: &str, codes: &'a [String]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = codes
        .iter()
        .map(|c| (strsim::jaro_winkler(code, c), c.as_str()))
        .filter(|(s, _)| *s >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(s, _)| best - s <= 0.02)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// Keeps one message per wrong value: an enum or const error says more than
/// the type error at the same place (it lists the allowed values), a type
/// error more than the format, pattern or length errors that follow from it,
/// and a failed `format` more than the `pattern` a local-date-time also
/// carries. Sorts by pointer, drops duplicates.
pub(crate) fn tidy(out: &mut Vec<Violation>) {
    let at = |kind: &str| -> Vec<String> {
        out.iter()
            .filter(|v| v.kind == kind)
            .map(|v| v.pointer.clone())
            .collect()
    };
    let (types, formats) = (at("type"), at("format"));
    let mut listed = at("enum");
    listed.extend(at("const"));
    out.retain(|v| {
        let listed_here = listed.contains(&v.pointer);
        let redundant = match v.kind {
            "type" => listed_here,
            "enum" | "const" => false,
            "pattern" => types.contains(&v.pointer) || formats.contains(&v.pointer),
            _ => types.contains(&v.pointer),
        };
        !redundant
    });
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    out.dedup();
}

/// A value as found on the wire, briefly: `"abc"`, `42`, `null`, `an
/// object`, `an array of 3 items`.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Object(_) => "an object".into(),
        Value::Array(a) => match a.len() {
            1 => "an array of 1 item".into(),
            n => format!("an array of {n} items"),
        },
        Value::String(s) => {
            let text = Value::String(s.clone()).to_string();
            shorten(&text)
        }
        other => shorten(&other.to_string()),
    }
}
