//! `docs/events.md`: the event list page as Markdown (CommonMark with GFM
//! tables), for docs sites that render Markdown (GitHub, mdBook,
//! Docusaurus). Rendered by the askama template `templates/docs/events.md`,
//! which prints only strings escaped here: askama does not escape Markdown.
//!
//! The escaper backslash-escapes every ASCII punctuation character that
//! could start Markdown syntax or HTML (`\`, `` ` ``, `*`, `_`, `[`, `]`,
//! `<`, `>`, `#`, `|`, `&`, `{`, `}`, `~`), neutralises what could start a
//! block at the beginning of a line (`-`, `+`, `=`, `1.`), turns line breaks
//! into spaces, and in table cells also escapes `|` inside code spans, so
//! catalog text can neither break a table nor inject HTML. The only HTML the
//! page carries is its own: `<a id="...">` anchors (ids are event codes and
//! family ids, `[a-z0-9_.-]`) and `<br/>` between lines of a table cell.

use askama::Template;

use super::changelog::{ChangeRow, EventChange};
use super::markup::{self, Block, Inline};
use super::{FieldRow, Page, TypeLink, MARKDOWN_PATH};
use crate::output::{header, GeneratedFile};

#[derive(Template)]
#[template(path = "docs/events.md", escape = "none")]
struct MarkdownPage<'a> {
    page: &'a Page,
    header: String,
}

impl MarkdownPage<'_> {
    /// Escaped text.
    fn t(&self, s: &str) -> String {
        escape(s)
    }

    /// A code span.
    fn c(&self, s: &str) -> String {
        code_span(s, false)
    }

    /// A description's blocks followed by a blank line (nothing if empty).
    fn md(&self, doc: &[Block], level: u8) -> String {
        let text = blocks(doc, level);
        if text.is_empty() {
            text
        } else {
            format!("{text}\n\n")
        }
    }

    /// A fenced JSON code block.
    fn code_block(&self, json: &str) -> String {
        code_block("json", json)
    }

    /// A field table.
    fn fields(&self, rows: &[FieldRow]) -> String {
        field_table(rows)
    }

    /// A type label, its named type linked.
    fn ty(&self, label: &str, link: &Option<TypeLink>) -> String {
        type_cell(label, link.as_ref())
    }

    /// An enum's values, as a list.
    fn values(&self, values: &[(String, Vec<Block>)]) -> String {
        value_list(values)
    }

    /// A table of changes.
    fn changes(&self, rows: &[ChangeRow]) -> String {
        change_table(rows)
    }

    /// An event's changes, as a list.
    fn event_changes(&self, changes: &[EventChange]) -> String {
        changes
            .iter()
            .map(|c| {
                let mut line = String::from("> - ");
                if c.breaking {
                    line.push_str("**breaking**: ");
                }
                line.push_str(&cell(&c.message));
                if !c.path.is_empty() {
                    line.push_str(&format!(" ({})", code_span(&c.path, false)));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Renders the Markdown page.
pub fn render(page: &Page) -> GeneratedFile {
    let tpl = MarkdownPage {
        page,
        header: header(MARKDOWN_PATH).trim_end().to_string(),
    };
    let contents = tpl.render().expect("rendering into a String cannot fail");
    let mut contents = contents.trim_end().to_string();
    contents.push('\n');
    GeneratedFile {
        path: MARKDOWN_PATH.into(),
        contents,
    }
}

/// Escapes text for Markdown: inline context, one line.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '&' | '{' | '}' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Makes escaped inline text safe at the start of a line, where `-`, `+`,
/// `=`, `1.`, `1)` or indentation would start a block.
fn line_start(s: String) -> String {
    let s = s.trim_start().to_string();
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if s.starts_with(['-', '+', '=']) {
        format!("\\{s}")
    } else if digits > 0 && s[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &s[..digits], &s[digits..])
    } else {
        s
    }
}

/// A code span holding `s` literally (backticks in it are fenced with a
/// longer run; in a table cell `|` becomes `\|`, which GFM turns back into
/// `|` inside code).
pub fn code_span(s: &str, in_table: bool) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let s = if in_table { s.replace('|', "\\|") } else { s };
    let longest = longest_run(&s, '`');
    let fence = "`".repeat(longest + 1);
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty());
    if s.is_empty() {
        // An empty code span cannot be written; show the empty string.
        return "`\"\"`".into();
    }
    if pad {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for x in s.chars() {
        if x == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// A fenced code block.
pub fn code_block(lang: &str, code: &str) -> String {
    let fence = "`".repeat((longest_run(code, '`') + 1).max(3));
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        .collect();
    format!("{fence}{lang}\n{code}\n{fence}")
}

/// Description blocks as Markdown, separated by blank lines, headings
/// shifted so the highest is `level`.
pub fn blocks(doc: &[Block], level: u8) -> String {
    let top = doc
        .iter()
        .filter_map(|b| match b {
            Block::Heading(l, _) => Some(*l),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut parts = Vec::new();
    for b in doc {
        parts.push(match b {
            Block::Heading(l, text) => {
                let h = (level + (l - top)).min(6) as usize;
                format!("{} {}", "#".repeat(h), inlines(text, false))
            }
            Block::Paragraph(text) => line_start(inlines(text, false)),
            Block::List(ordered, items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let marker = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "-".into()
                    };
                    format!("{marker} {}", line_start(inlines(item, false)))
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Code(lang, code) => code_block(lang, code),
        });
    }
    parts.join("\n\n")
}

/// Description blocks as the content of one table cell: one line, blocks
/// separated by `<br/>`.
pub fn cell(doc: &[Block]) -> String {
    let mut parts = Vec::new();
    for b in doc {
        match b {
            Block::Heading(_, text) => parts.push(format!("**{}**", inlines(text, true))),
            Block::Paragraph(text) => parts.push(inlines(text, true)),
            Block::List(ordered, items) => {
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "•".into()
                    };
                    parts.push(format!("{marker} {}", inlines(item, true)));
                }
            }
            Block::Code(_, code) => parts.push(code_span(code, true)),
        }
    }
    parts.join("<br/>")
}

/// Inline Markdown, escaped.
pub fn inlines(items: &[Inline], in_table: bool) -> String {
    let mut out = String::new();
    for i in items {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(c) => out.push_str(&code_span(c, in_table)),
            Inline::Emph(c) => {
                let inner = inlines(c, in_table);
                if !inner.is_empty() {
                    out.push_str(&format!("*{inner}*"));
                }
            }
            Inline::Strong(c) => {
                let inner = inlines(c, in_table);
                if !inner.is_empty() {
                    out.push_str(&format!("**{inner}**"));
                }
            }
            Inline::Link(c, url) if markup::safe_url(url) => {
                out.push_str(&format!("[{}]({})", inlines(c, in_table), url_escape(url)))
            }
            Inline::Link(c, _) => out.push_str(&inlines(c, in_table)),
        }
    }
    out
}

/// Percent-encodes what could end or break a link destination or a table
/// cell, and backslash-escapes `&`, which Markdown would otherwise decode as
/// an entity (`&#106;avascript:` is `javascript:`).
fn url_escape(url: &str) -> String {
    let mut out = String::new();
    for c in url.chars() {
        match c {
            '&' => out.push_str("\\&"),
            '<' | '>' | '|' | '\\' | '`' | ' ' | '"' | '{' | '}' | '(' | ')' | '[' | ']' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// A field table (GFM).
pub fn field_table(rows: &[FieldRow]) -> String {
    if rows.is_empty() {
        return "No fields.\n".into();
    }
    let mut out = String::from(
        "| Field | Type | Required | Nullable | Description |\n| --- | --- | --- | --- | --- |\n",
    );
    for r in rows {
        let mut field = code_span(&r.name, true);
        if r.deprecated.is_some() {
            field.push_str(" (deprecated)");
        }
        let mut ty = vec![type_cell(&r.ty, r.ty_link.as_ref())];
        for (name, value) in &r.constraints {
            ty.push(format!("{name} {}", code_span(value, true)));
        }
        let mut desc = Vec::new();
        let d = cell(&r.description);
        if !d.is_empty() {
            desc.push(d);
        }
        if let Some(message) = &r.deprecated {
            desc.push(format!("**Deprecated:** {}", cell(message)));
        }
        out.push_str(&format!(
            "| {field} | {} | {} | {} | {} |\n",
            ty.join("<br/>"),
            if r.optional { "optional" } else { "required" },
            if r.nullable { "nullable" } else { "not null" },
            desc.join("<br/>"),
        ));
    }
    out
}

/// A type label in a table cell, its named type linked to the Types
/// section: `` `array of` [`Group`](#type-group) `(object)` ``.
pub fn type_cell(label: &str, link: Option<&TypeLink>) -> String {
    let Some(l) = link else {
        return code_span(label, true);
    };
    let mut parts = Vec::new();
    if !l.before.trim().is_empty() {
        parts.push(code_span(l.before.trim(), true));
    }
    parts.push(format!("[{}](#{})", code_span(&l.name, true), l.anchor));
    if !l.after.trim().is_empty() {
        parts.push(code_span(l.after.trim(), true));
    }
    parts.join(" ")
}

/// An enum's values as a Markdown list (`` - `value`: description ``).
pub fn value_list(values: &[(String, Vec<Block>)]) -> String {
    values
        .iter()
        .map(|(v, d)| {
            let d = cell(d);
            if d.is_empty() {
                format!("- {}", code_span(v, false))
            } else {
                format!("- {}: {d}", code_span(v, false))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table of changes (GFM): the change, the events it affects, whom it
/// breaks, its rule.
pub fn change_table(rows: &[ChangeRow]) -> String {
    let mut out = String::from("| Change | Events | Breaks | Rule |\n| --- | --- | --- | --- |\n");
    for r in rows {
        let mut change = vec![cell(&r.message)];
        if !r.path.is_empty() {
            change.push(code_span(&r.path, true));
        }
        let values = r.values();
        if !values.is_empty() {
            change.push(escape(&values));
        }
        if let Some(reason) = &r.intended {
            change.push(format!("**Intended:** {}", escape(reason)));
        }
        let mut events: Vec<String> = r.scope.iter().map(|s| s.to_string()).collect();
        for (code, linked) in &r.codes {
            events.push(if *linked {
                format!("[{}](#{code})", code_span(code, true))
            } else {
                format!("{} (removed)", code_span(code, true))
            });
        }
        let breaks = if r.breaks.is_empty() {
            "nothing".to_string()
        } else {
            r.breaks.join(", ")
        };
        out.push_str(&format!(
            "| {} | {} | {breaks} | {} |\n",
            change.join("<br/>"),
            events.join("<br/>"),
            code_span(r.rule, true)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaper() {
        assert_eq!(
            escape("a|b <script> `x` # *y* _z_ & [l](u) {j}\nnext"),
            "a\\|b \\<script\\> \\`x\\` \\# \\*y\\* \\_z\\_ \\& \\[l\\](u) \\{j\\} next"
        );
        assert_eq!(line_start(escape("- not a list")), "\\- not a list");
        assert_eq!(line_start(escape("1. not a list")), "1\\. not a list");
    }

    #[test]
    fn link_destinations_stay_literal() {
        let doc = markup::parse("[a](&#106;avascript:alert(1)) [b](https://x.test/?a=1&b=(2)|3)");
        assert_eq!(
            blocks(&doc, 1),
            "[a](\\&#106;avascript:alert%281%29) [b](https://x.test/?a=1\\&b=%282%29%7C3)"
        );
    }

    #[test]
    fn code_spans() {
        assert_eq!(code_span("a|b", true), "`a\\|b`");
        assert_eq!(code_span("a|b", false), "`a|b`");
        assert_eq!(code_span("a`b", false), "``a`b``");
        assert_eq!(code_span("`", false), "`` ` ``");
        assert_eq!(code_block("json", "```\nx"), "````json\n```\nx\n````");
    }

    #[test]
    fn cells_stay_on_one_line() {
        let doc = markup::parse("# T|x\n\np1 | `a|b`\n\n- i1\n- i2\n\n```\nc|d\n```");
        let c = cell(&doc);
        assert!(!c.contains('\n'), "{c}");
        assert_eq!(
            c,
            "**T\\|x**<br/>p1 \\| `a\\|b`<br/>• i1<br/>• i2<br/>`c\\|d`"
        );
    }
}
