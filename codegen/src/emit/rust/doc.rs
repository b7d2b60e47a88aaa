//! Doc comments of the generated code, from the catalog's descriptions.

#[allow(unused_imports)]
use super::*;

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
    let rules: Vec<String> = f.constraints.iter().map(|c| c.phrase()).collect();
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
