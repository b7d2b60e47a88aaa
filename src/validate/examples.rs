//! The catalog's own examples against its schemas (run by `eventcat lint`):
//! an example that breaks its event's schema is a catalog error pointing at
//! the offending value in the catalog file.

use std::ops::Range;

use eventcat_codegen::diagnostic::{Diagnostic, Diagnostics, ErrorKind, SourceText};
use eventcat_codegen::model::Catalog;

use super::schema::Validators;

/// Every violation of every example, as catalog diagnostics (empty: all
/// examples are valid). `validators` must be strict ones of `catalog`.
pub fn check_examples(catalog: &Catalog, validators: &Validators) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for event in &catalog.events {
        for (n, example) in event.examples.iter().enumerate() {
            let (_, violations) = validators.check(&example.value);
            if violations.is_empty() {
                continue;
            }
            let Some(src) = catalog.sources.get(example.origin.file) else {
                continue;
            };
            let source = SourceText::new(src.path.clone(), src.text.clone());
            // Where the example's JSON text starts in the file, if offsets
            // inside it map to the file (a file example, a literal string).
            let json_start = if example.file.is_some() {
                Some(0)
            } else {
                eventcat_codegen::load::string_content_start(&src.text, example.origin.span.clone())
            };
            let name = example
                .name
                .as_ref()
                .map_or_else(|| format!("#{}", n + 1), |s| format!("\"{s}\""));
            for v in violations {
                let span = json_start
                    .and_then(|start| {
                        let at = locate(&src.text[start..], &v.pointer)?;
                        Some(start + at.start..start + at.end)
                    })
                    .unwrap_or(example.origin.span.clone());
                let pointer = if v.pointer.is_empty() {
                    "/"
                } else {
                    &v.pointer
                };
                let d = Diagnostic::new(
                    ErrorKind::ExampleInvalid,
                    &source,
                    span,
                    format!(
                        "example {name} of `{}` breaks its schema at {pointer}: {}",
                        event.code, v.message
                    ),
                )
                .label(v.kind)
                .help("fix the example, or the catalog if the example shows what producers really send");
                diags.0.push(d);
            }
        }
    }
    diags.sort();
    diags
}

/// [`check_examples`] with the catalog's strict validators (the compiled
/// engine: no JSON Schema validator per code); a `pattern` that does not
/// compile is reported too.
pub fn check_catalog_examples(catalog: &Catalog) -> Diagnostics {
    match Validators::with_engine(catalog, false, super::Engine::Compiled) {
        Ok(v) => check_examples(catalog, &v),
        Err(e) => {
            let path = catalog
                .sources
                .first()
                .map(|s| s.path.clone())
                .unwrap_or_default();
            let source = SourceText::new(path, "");
            Diagnostics(vec![Diagnostic::new(
                ErrorKind::InvalidValue,
                &source,
                0..0,
                e,
            )])
        }
    }
}

/// Byte range, in a JSON text, of the value at `pointer` (for a pointer to a
/// member that is absent, the object that lacks it). `None` if the text
/// does not parse that far.
pub fn locate(json: &str, pointer: &str) -> Option<Range<usize>> {
    let tokens: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .strip_prefix('/')?
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    let b = json.as_bytes();
    let mut i = skip_ws(b, 0);
    for token in &tokens {
        match b.get(i)? {
            b'{' => {
                let object_start = i;
                i = skip_ws(b, i + 1);
                let mut found = false;
                while b.get(i)? != &b'}' {
                    let key_end = skip_string(b, i)?;
                    let key: String = serde_json::from_str(&json[i..key_end]).ok()?;
                    i = skip_ws(b, key_end);
                    if b.get(i)? != &b':' {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                    if &key == token {
                        found = true;
                        break;
                    }
                    i = skip_ws(b, skip_value(b, i)?);
                    if b.get(i) == Some(&b',') {
                        i = skip_ws(b, i + 1);
                    }
                }
                if !found {
                    // A missing member: point at the object's opening brace.
                    return Some(object_start..object_start + 1);
                }
            }
            b'[' => {
                let index: usize = token.parse().ok()?;
                i = skip_ws(b, i + 1);
                for _ in 0..index {
                    i = skip_ws(b, skip_value(b, i)?);
                    if b.get(i)? != &b',' {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                }
            }
            _ => return None,
        }
    }
    let end = skip_value(b, i)?;
    Some(i..end)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// End (exclusive) of the string starting at `i`.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i)? != &b'"' {
        return None;
    }
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// End (exclusive) of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_values_by_pointer() {
        let text = "{\n  \"a\": {\"b~/c\": [1, {\"d\": \"x\\\"y\"}, true]},\n  \"e\": null\n}";
        let at = |p: &str| locate(text, p).map(|r| &text[r]);
        assert_eq!(at("/a/b~0~1c/1/d"), Some("\"x\\\"y\""));
        assert_eq!(at("/a/b~0~1c/2"), Some("true"));
        assert_eq!(at("/e"), Some("null"));
        assert_eq!(at("/a/missing"), Some("{"));
        assert_eq!(at("/a/b~0~1c/7"), None);
        assert_eq!(at(""), Some(text));
    }
}
