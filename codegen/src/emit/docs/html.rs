//! `docs/events.html`: one self-contained page (inline CSS and JavaScript,
//! nothing loaded from elsewhere), rendered by the askama template
//! `templates/docs/events.html`. askama escapes every value it prints; the
//! only pre-rendered HTML is descriptions, rendered by [`blocks`] from the
//! [`markup`] tree, which escapes every text itself.

use askama::Template;

use super::markup::{self, Block, Inline};
use super::{Page, HTML_PATH};
use crate::output::{header, GeneratedFile};

/// The page's stylesheet (inlined).
const CSS: &str = include_str!("../../../templates/docs/events.css");
/// The page's script (inlined): search, theme toggle, copy buttons.
const JS: &str = include_str!("../../../templates/docs/events.js");

#[derive(Template)]
#[template(path = "docs/events.html")]
struct HtmlPage<'a> {
    page: &'a Page,
    header: String,
    css: &'static str,
    js: &'static str,
}

impl HtmlPage<'_> {
    /// A description as HTML, its headings starting at `level`.
    fn md(&self, doc: &[Block], level: u8) -> String {
        blocks(doc, level)
    }

    /// A short description as HTML: a single paragraph without its `<p>`.
    fn md_short(&self, doc: &[Block]) -> String {
        match doc {
            [Block::Paragraph(text)] => inlines(text),
            _ => blocks(doc, 6),
        }
    }
}

/// Renders the HTML page.
pub fn render(page: &Page) -> GeneratedFile {
    let tpl = HtmlPage {
        page,
        header: header(HTML_PATH).trim_end().to_string(),
        css: CSS,
        js: JS,
    };
    let mut contents = tpl.render().expect("rendering into a String cannot fail");
    if !contents.ends_with('\n') {
        contents.push('\n');
    }
    GeneratedFile {
        path: HTML_PATH.into(),
        contents,
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Description blocks as HTML. Headings are shifted so the description's
/// highest heading is `<h{level}>` (capped at `<h6>`).
pub fn blocks(doc: &[Block], level: u8) -> String {
    let top = doc
        .iter()
        .filter_map(|b| match b {
            Block::Heading(l, _) => Some(*l),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut out = String::new();
    for b in doc {
        match b {
            Block::Heading(l, text) => {
                let h = (level + (l - top)).min(6);
                out.push_str(&format!("<h{h}>{}</h{h}>\n", inlines(text)));
            }
            Block::Paragraph(text) => {
                out.push_str(&format!("<p>{}</p>\n", inlines(text)));
            }
            Block::List(ordered, items) => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>\n"));
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", inlines(item)));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Code(lang, code) => {
                let class = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"language-{}\"", escape(lang))
                };
                out.push_str(&format!(
                    "<pre><code{class}>{}</code></pre>\n",
                    escape(code)
                ));
            }
        }
    }
    out
}

/// Inline Markdown as HTML.
pub fn inlines(items: &[Inline]) -> String {
    let mut out = String::new();
    for i in items {
        match i {
            Inline::Text(t) => out.push_str(&escape(t)),
            Inline::Code(c) => out.push_str(&format!("<code>{}</code>", escape(c))),
            Inline::Emph(c) => out.push_str(&format!("<em>{}</em>", inlines(c))),
            Inline::Strong(c) => out.push_str(&format!("<strong>{}</strong>", inlines(c))),
            Inline::Link(c, url) if markup::safe_url(url) => {
                out.push_str(&format!("<a href=\"{}\">{}</a>", escape(url), inlines(c)))
            }
            Inline::Link(c, _) => out.push_str(&inlines(c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_but_the_subset() {
        let doc = markup::parse(
            "# <b>T</b>\n\nA <script>alert(1)</script> & \"q\" `<i>` **s** [l](https://x.test/?a=1&b=\"2\")",
        );
        assert_eq!(
            blocks(&doc, 3),
            "<h3>&lt;b&gt;T&lt;/b&gt;</h3>\n<p>A &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; <code>&lt;i&gt;</code> <strong>s</strong> <a href=\"https://x.test/?a=1&amp;b=&quot;2&quot;\">l</a></p>\n"
        );
    }
}
