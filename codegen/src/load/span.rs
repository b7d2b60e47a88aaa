//! Spans and messages: where in a file a problem is, in words a reader
//! can act on.

#[allow(unused_imports)]
use super::*;

/// The first `` `...` `` part of a message.
pub(in crate::load) fn backticked(msg: &str) -> &str {
    msg.split('`').nth(1).unwrap_or("")
}

/// A long catalog string cut for a one-line message.
pub(in crate::load) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX).collect();
    format!("{head}...")
}

/// Span of a table header: the start of the table's span (one byte long, so
/// the label points at the `[`).
pub(in crate::load) fn header_span<T>(s: &Spanned<T>) -> Range<usize> {
    let start = s.span().start;
    start..start
}

/// Byte offset where a TOML string's content starts, when the content is the
/// same bytes as the value (a literal string, or a basic string without
/// escapes); `None` when offsets inside the value do not map to the file.
pub fn string_content_start(text: &str, span: Range<usize>) -> Option<usize> {
    let raw = text.get(span.clone())?;
    for delim in ["'''", "\"\"\""] {
        if raw.starts_with(delim) {
            if delim == "\"\"\"" && raw.contains('\\') {
                return None;
            }
            let mut start = span.start + 3;
            // A newline right after the opening delimiter is trimmed.
            if text[start..].starts_with("\r\n") {
                start += 2;
            } else if text[start..].starts_with('\n') {
                start += 1;
            }
            return Some(start);
        }
    }
    if raw.starts_with('\'') || (raw.starts_with('"') && !raw.contains('\\')) {
        return Some(span.start + 1);
    }
    None
}

/// Where in the TOML file a JSON syntax error inside a string value is.
pub(in crate::load) fn json_error_span(
    text: &str,
    span: Range<usize>,
    content: &str,
    e: &serde_json::Error,
) -> Range<usize> {
    match string_content_start(text, span.clone()) {
        Some(start) => {
            let off = offset_of_line_col(content, e.line(), e.column());
            let at = start + off;
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            at..end
        }
        None => span,
    }
}

/// Byte offset of a 1-based line and column (serde_json counts columns in
/// bytes; column 0 means before the first byte of the line).
pub(in crate::load) fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1).min(l.len());
            let mut at = off + col;
            while at > 0 && !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        off += l.len();
    }
    text.len()
}

/// Kind and hint for a serde error from the TOML deserializer.
pub(in crate::load) fn classify_serde_error(msg: &str) -> (ErrorKind, Option<String>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let found = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = match did_you_mean(found, expected.iter().copied()) {
            Some(s) => did_you_mean_help(s),
            None if !expected.is_empty() => format!("allowed keys here: {}", expected.join(", ")),
            None => "remove this key".to_string(),
        };
        return (ErrorKind::UnknownKey, Some(help));
    }
    if msg.starts_with("missing field") {
        return (
            ErrorKind::MissingKey,
            Some("add the missing key to this table".to_string()),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let found = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = did_you_mean(found, expected.iter().copied())
            .map(did_you_mean_help)
            .unwrap_or_else(|| format!("allowed values: {}", expected.join(", ")));
        return (ErrorKind::InvalidValue, Some(help));
    }
    (ErrorKind::InvalidValue, None)
}
