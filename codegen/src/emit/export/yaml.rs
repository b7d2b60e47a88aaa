//! A small, deterministic YAML writer for JSON values (the exports are JSON
//! documents written as YAML for people).
//!
//! Only a subset of YAML is written, chosen so that every YAML 1.1 and 1.2
//! parser reads back the same JSON value:
//! - strings are double-quoted with JSON escapes (valid YAML escapes), or
//!   literal blocks (`|`, `|-`) when they span lines and hold nothing a
//!   block cannot keep exactly (control characters, a leading space, a
//!   trailing blank line);
//! - keys are bare only when they cannot be read as anything but that
//!   string (no `yes`/`no`/`on`/`off`/`null`, numbers or indicators);
//! - numbers, booleans and `null` are written as in JSON; empty objects and
//!   arrays as `{}` and `[]`.
//!
//! Why not a YAML crate: `serde_yaml` is unmaintained, and a writer for the
//! JSON subset is short; the tests parse every export back with PyYAML and
//! the official AsyncAPI parser and compare it with the JSON form.

use serde_json::Value;

/// `value` (an object or array) as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, ind: usize) {
    for (k, v) in m {
        write_entry(out, k, v, ind);
    }
}

fn write_seq(out: &mut String, a: &[Value], ind: usize) {
    for v in a {
        indent(out, ind);
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                // The first key on the dash's line, the others below it.
                let mut first = true;
                for (k, v) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        indent(out, ind + 2);
                    }
                    out.push_str(&key(k));
                    out.push(':');
                    write_value_after_key(out, v, ind + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, ind + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, ind + 2));
                out.push('\n');
            }
        }
    }
}

/// One `key: value` entry of a map whose keys are at indentation `ind`.
pub fn write_entry(out: &mut String, k: &str, v: &Value, ind: usize) {
    indent(out, ind);
    out.push_str(&key(k));
    out.push(':');
    write_value_after_key(out, v, ind);
}

/// A scalar as written after `key: ` at the top level.
pub fn scalar_text(v: &Value) -> String {
    scalar(v, 0)
}

/// Writes what follows `key:` at indentation `ind`.
fn write_value_after_key(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, ind + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, ind + 2));
            out.push('\n');
        }
    }
}

/// A scalar (or empty collection); a block string's lines are indented by
/// `ind`.
fn scalar(v: &Value, ind: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, ind),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn string(s: &str, ind: usize) -> String {
    if block_ok(s) {
        let (body, chomp) = match s.strip_suffix('\n') {
            Some(body) => (body, "|"),
            None => (s, "|-"),
        };
        let mut out = String::from(chomp);
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.extend(std::iter::repeat_n(' ', ind));
                out.push_str(line);
            }
        }
        out
    } else {
        quoted(s)
    }
}

/// Whether a literal block keeps `s` exactly.
fn block_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with("\n\n")
        && !s.chars().any(|c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}')
        })
        // A line made only of spaces, or ending in one, is kept by a literal
        // block, but editors strip it: quote instead.
        && !s.split('\n').any(|l| l.ends_with(' '))
}

/// A JSON string literal is a valid YAML double-quoted scalar.
fn quoted(s: &str) -> String {
    let mut q = serde_json::to_string(s).expect("a string serializes");
    // YAML parsers may treat these as line breaks even when escaped in JSON
    // form only by choice; escape them explicitly.
    q = q
        .replace('\u{85}', "\\N")
        .replace('\u{2028}', "\\L")
        .replace('\u{2029}', "\\P")
        .replace('\u{feff}', "\\ufeff");
    q
}

fn key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$'))
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "nan" | "inf"
        );
    if plain {
        k.to_string()
    } else {
        quoted(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_nested_values_and_quotes_what_yaml_would_misread() {
        let v = json!({
            "a": {"b": [1, "x", {"c": true, "d": null}], "e": {}, "f": []},
            "on": "yes",
            "410": "Gone",
            "text": "line one\nline two\n",
            "lead": " spaced\nx",
            "$ref": "#/components/schemas/X",
        });
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "a:\n  b:\n    - 1\n    - \"x\"\n    - c: true\n      d: null\n  e: {}\n  f: []\n\
             \"on\": \"yes\"\n\
             \"410\": \"Gone\"\n\
             text: |\n  line one\n  line two\n\
             lead: \" spaced\\nx\"\n\
             $ref: \"#/components/schemas/X\"\n"
        );
    }
}
