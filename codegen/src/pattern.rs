//! Catalog `pattern`s are ECMA-262 regular expressions (as JSON Schema
//! 2020-12 says). Rust's `regex` syntax, which proptest's string generator
//! reads, differs: `\d`, `\w` and `\s` are Unicode classes there (`\d`
//! matches `߆` and `𑋵`), `.` excludes only `\n`. This module is the one
//! translation from ECMA-262 to `regex` syntax with ECMA's meaning (`\d` is
//! `[0-9]`, `\w` `[A-Za-z0-9_]`, `\s` ECMA's white space and line
//! terminators, `.` anything but a line terminator). It is the translation
//! `eventcat validate` uses too: jsonschema compiles `pattern` through the
//! same `jsonschema_regex::to_rust_regex`, so the fixtures generator
//! (`eventcat fixtures`), the generated crate's proptest strategies and the
//! validator agree on what a pattern means.

/// `pattern` in Rust `regex` syntax with its ECMA-262 meaning, anchors kept.
/// Errors on patterns the translation does not support or that are not
/// valid (the message names the pattern).
pub fn to_rust_regex(pattern: &str) -> Result<String, String> {
    jsonschema_regex::to_rust_regex(pattern)
        .map(|p| p.into_owned())
        .map_err(|()| format!("`{pattern}` is not a supported ECMA-262 regular expression"))
}

/// A regex to *generate* strings matching `pattern` from (proptest's
/// `string_regex`): the `^`/`$` anchors at both ends dropped (a generated
/// string is a whole match, so it matches the pattern anchored or not),
/// then [`to_rust_regex`].
pub fn generator_regex(pattern: &str) -> Result<String, String> {
    to_rust_regex(strip_anchors(pattern))
}

/// `pattern` without a leading `^` and a trailing unescaped `$`.
pub fn strip_anchors(pattern: &str) -> &str {
    let p = pattern.strip_prefix('^').unwrap_or(pattern);
    match p.strip_suffix('$') {
        // `\$` is a literal dollar; `\\$` an escaped backslash then the anchor.
        Some(rest) if (rest.len() - rest.trim_end_matches('\\').len()) % 2 == 0 => rest,
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecma_classes_are_ascii() {
        assert_eq!(
            generator_regex(r"^[A-Z]{2}-\d{2}$").unwrap(),
            "[A-Z]{2}-[0-9]{2}"
        );
        assert_eq!(
            generator_regex(r"^\+\d{2,3}[\d-]$").unwrap(),
            r"\+[0-9]{2,3}[[0-9]-]"
        );
        assert_eq!(generator_regex(r"\w").unwrap(), "[A-Za-z0-9_]");
    }

    #[test]
    fn anchors() {
        assert_eq!(strip_anchors("^a$"), "a");
        assert_eq!(strip_anchors(r"a\$"), r"a\$");
        assert_eq!(strip_anchors(r"a\\$"), r"a\\");
        assert_eq!(strip_anchors("a"), "a");
    }
}
