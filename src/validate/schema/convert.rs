//! The reference engine's errors (jsonschema's) turned into violations with
//! the pointers, kinds and messages the compiled engine also gives.

#[allow(unused_imports)]
use super::*;

pub(super) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

pub(super) fn join_pointer(base: &str, token: &str) -> String {
    format!("{base}/{}", json_schema::escape_pointer(token))
}

pub(super) fn list(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn types_of(kind: &jsonschema::error::TypeKind) -> String {
    match kind {
        jsonschema::error::TypeKind::Single(t) => t.to_string(),
        jsonschema::error::TypeKind::Multiple(set) => {
            // `null` last: "string or null" reads as "a nullable string".
            let mut names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
            names.sort_by_key(|n| n == "null");
            names.join(" or ")
        }
    }
}

/// The properties an object schema declares, for "did you mean".
pub(super) fn declared_properties<'a>(schema: &'a Value, schema_path: &str) -> Vec<&'a str> {
    // schema_path ends in `/additionalProperties`; its parent is the object.
    let parent = schema_path.rsplit_once('/').map_or("", |(p, _)| p);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Turns one of jsonschema's errors into violations, pushed on `out`.
pub(super) fn convert(err: &ValidationError<'_>, schema: &Value, out: &mut Vec<Violation>) {
    let path = err.instance_path().as_str().to_string();
    match err.kind() {
        ValidationErrorKind::AnyOf { context } => any_of(err, context, schema, out),
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let declared = declared_properties(schema, err.schema_path().as_str());
            out.extend(
                unexpected
                    .iter()
                    .map(|name| unknown_field(&path, name, &declared)),
            );
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_string);
            out.push(Violation {
                pointer: join_pointer(&path, &name),
                kind: "required",
                expected: Some(format!("field `{name}`")),
                found: Some("nothing".into()),
                message: format!("missing required field `{name}`"),
            });
        }
        kind => out.push(value_violation(err, kind, path)),
    }
}

/// A field the object's schema does not declare, with a "did you mean"
/// among the `declared` ones.
fn unknown_field(path: &str, name: &String, declared: &[&str]) -> Violation {
    let hint = eventcat_codegen::diagnostic::did_you_mean(name, declared.iter().copied())
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    Violation {
        pointer: join_pointer(path, name),
        kind: "unknown-field",
        expected: None,
        found: Some(name.clone()),
        message: format!("field `{name}` is not declared in the catalog{hint}"),
    }
}

/// A value that breaks a keyword of its own schema (type, enum, const,
/// format, pattern, bounds): what was expected, and what was found.
fn value_violation(
    err: &ValidationError<'_>,
    kind: &ValidationErrorKind,
    path: String,
) -> Violation {
    let found = || describe(err.instance());
    let chars = || {
        format!(
            "{}",
            err.instance().as_str().map_or(0, |s| s.chars().count())
        )
    };
    let items = || format!("{}", err.instance().as_array().map_or(0, Vec::len));
    let item_s = |limit: &u64| if *limit == 1 { "" } else { "s" };
    let (kind, expected, found) = match kind {
        ValidationErrorKind::Type { kind } => ("type", types_of(kind), found()),
        ValidationErrorKind::Enum { options } => {
            let values = options.as_array().map(Vec::as_slice).unwrap_or_default();
            ("enum", format!("one of {}", list(values)), found())
        }
        ValidationErrorKind::Constant { expected_value } => {
            ("const", expected_value.to_string(), found())
        }
        ValidationErrorKind::Format { format } => ("format", format_expected(format), found()),
        ValidationErrorKind::Pattern { pattern } => {
            ("pattern", format!("a string matching `{pattern}`"), found())
        }
        ValidationErrorKind::Minimum { limit } => {
            ("minimum", format!("a number >= {limit}"), found())
        }
        ValidationErrorKind::Maximum { limit } => {
            ("maximum", format!("a number <= {limit}"), found())
        }
        ValidationErrorKind::MinLength { limit } => (
            "min-length",
            format!("at least {limit} characters"),
            chars(),
        ),
        ValidationErrorKind::MaxLength { limit } => {
            ("max-length", format!("at most {limit} characters"), chars())
        }
        ValidationErrorKind::MinItems { limit } => {
            let bound = format!("at least {limit} item{}", item_s(limit));
            ("min-items", bound, items())
        }
        ValidationErrorKind::MaxItems { limit } => {
            let bound = format!("at most {limit} item{}", item_s(limit));
            ("max-items", bound, items())
        }
        _ => return Violation::other(path, "schema", err.to_string()),
    };
    Violation::expected(path, kind, expected, found)
}

/// What a `format` asks for, in words.
fn format_expected(format: &str) -> String {
    if format == LOCAL_DATE_TIME_FORMAT {
        "a date-time without offset (local-date-time, e.g. \"2024-03-22T17:14:27\")".to_string()
    } else {
        format!("a string of format `{format}`")
    }
}

/// `anyOf` is how a nullable reference is written (`[{$ref}, {type: null}]`).
/// When the value has the right type for one branch, that branch's errors
/// are the real ones; otherwise say what types were allowed.
pub(super) fn any_of(
    err: &ValidationError<'_>,
    context: &[Vec<ValidationError<'static>>],
    schema: &Value,
    out: &mut Vec<Violation>,
) {
    let here = err.instance_path().as_str();
    let shallow = |branch: &Vec<ValidationError<'static>>| {
        branch.iter().all(|e| {
            e.instance_path().as_str() == here
                && matches!(
                    e.kind(),
                    ValidationErrorKind::Type { .. } | ValidationErrorKind::Constant { .. }
                )
        })
    };
    if let Some(branch) = context.iter().find(|b| !b.is_empty() && !shallow(b)) {
        for e in branch {
            convert(e, schema, out);
        }
        return;
    }
    let mut expected: Vec<String> = Vec::new();
    for e in context.iter().flatten() {
        let t = match e.kind() {
            ValidationErrorKind::Type { kind } => types_of(kind),
            ValidationErrorKind::Constant { expected_value } => expected_value.to_string(),
            _ => continue,
        };
        if !expected.contains(&t) {
            expected.push(t);
        }
    }
    if expected.is_empty() {
        out.push(Violation::other(
            here.to_string(),
            "schema",
            err.to_string(),
        ));
    } else {
        out.push(Violation::expected(
            here.to_string(),
            "type",
            expected.join(" or "),
            describe(err.instance()),
        ));
    }
}
