//! The small Markdown subset catalog descriptions are rendered with.
//!
//! Descriptions in a catalog are Markdown. The docs render a safe subset of
//! it: paragraphs, headings, bullet and numbered lists, fenced code blocks,
//! and inline `code`, *emphasis*, **strong** and links with a safe target
//! (`http:`, `https:`, `mailto:`, a `#fragment` or a relative path). Anything
//! else, raw HTML included, is kept as plain text. The parser builds a
//! [`Block`] tree holding only these constructs; the HTML and Markdown
//! renderers escape every piece of text in it, so no description can inject
//! markup, whatever it contains.

/// A block of a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading: its level as written (1 for `#`) and its text.
    Heading(u8, Vec<Inline>),
    /// A paragraph (soft line breaks become spaces).
    Paragraph(Vec<Inline>),
    /// A list: whether numbered, and one paragraph per item.
    List(bool, Vec<Vec<Inline>>),
    /// A fenced code block: its language tag (may be empty) and text.
    Code(String, String),
}

/// A piece of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Inline code.
    Code(String),
    /// Emphasis.
    Emph(Vec<Inline>),
    /// Strong emphasis.
    Strong(Vec<Inline>),
    /// A link with a safe target.
    Link(Vec<Inline>, String),
}

/// Parses a description into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if let Some((fence, lang)) = fence_open(trimmed) {
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !is_fence_close(lines[i].trim_start(), &fence) {
                code.push(lines[i]);
                i += 1;
            }
            i += 1; // the closing fence (or the end)
            blocks.push(Block::Code(lang, code.join("\n")));
            continue;
        }
        if let Some((level, rest)) = heading(trimmed) {
            blocks.push(Block::Heading(level, parse_inline(rest)));
            i += 1;
            continue;
        }
        if let Some((ordered, _)) = list_item(trimmed) {
            let mut items: Vec<String> = Vec::new();
            while i < lines.len() {
                let l = lines[i].trim_start();
                if l.is_empty() {
                    // A blank line ends the list unless another item follows.
                    let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
                    match next.and_then(|n| list_item(n.trim_start())) {
                        Some((o, _)) if o == ordered => {
                            i += 1;
                            continue;
                        }
                        _ => break,
                    }
                }
                match list_item(l) {
                    Some((o, rest)) if o == ordered => items.push(rest.to_string()),
                    Some(_) => break,
                    None if starts_block(l) => break,
                    None => match items.last_mut() {
                        Some(last) => {
                            last.push(' ');
                            last.push_str(l.trim());
                        }
                        None => break,
                    },
                }
                i += 1;
            }
            let items = items.iter().map(|t| parse_inline(t.trim())).collect();
            blocks.push(Block::List(ordered, items));
            continue;
        }
        let mut para = vec![trimmed.trim_end()];
        i += 1;
        while i < lines.len() {
            let l = lines[i].trim_start();
            if l.is_empty() || starts_block(l) {
                break;
            }
            para.push(l.trim_end());
            i += 1;
        }
        blocks.push(Block::Paragraph(parse_inline(&para.join(" "))));
    }
    blocks
}

/// The plain text of blocks (for search and for one-line contexts).
pub fn plain_text(blocks: &[Block]) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        match b {
            Block::Heading(_, inl) | Block::Paragraph(inl) => parts.push(inline_text(inl)),
            Block::List(_, items) => parts.extend(items.iter().map(|i| inline_text(i))),
            Block::Code(_, code) => parts.push(code.clone()),
        }
    }
    parts.join(" ")
}

/// The plain text of inlines.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c) | Inline::Strong(c) | Inline::Link(c, _) => {
                out.push_str(&inline_text(c))
            }
        }
    }
    out
}

fn starts_block(l: &str) -> bool {
    heading(l).is_some() || fence_open(l).is_some() || list_item(l).is_some()
}

fn fence_open(l: &str) -> Option<(String, String)> {
    let ch = l.chars().next()?;
    if ch != '`' && ch != '~' {
        return None;
    }
    let n = l.chars().take_while(|&c| c == ch).count();
    if n < 3 {
        return None;
    }
    let info = l[n..].trim();
    if ch == '`' && info.contains('`') {
        return None;
    }
    let lang = info.split_whitespace().next().unwrap_or("").to_string();
    Some((l[..n].to_string(), lang))
}

fn is_fence_close(l: &str, fence: &str) -> bool {
    let ch = fence.chars().next().unwrap_or('`');
    let n = l.chars().take_while(|&c| c == ch).count();
    n >= fence.len() && l[n..].trim().is_empty()
}

fn heading(l: &str) -> Option<(u8, &str)> {
    let n = l.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&n) {
        return None;
    }
    let rest = &l[n..];
    if rest.is_empty() {
        return Some((n as u8, ""));
    }
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    // A closing sequence of `#` is not part of the text.
    let rest = match rest.trim_end_matches('#') {
        r if r.is_empty() || r.ends_with([' ', '\t']) => r.trim_end(),
        _ => rest,
    };
    Some((n as u8, rest))
}

/// `- item`, `* item`, `+ item` (unordered) or `1. item`, `1) item` (ordered).
fn list_item(l: &str) -> Option<(bool, &str)> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = l.strip_prefix(m) {
            return Some((false, rest));
        }
    }
    let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=9).contains(&digits) {
        let rest = &l[digits..];
        for m in [". ", ") "] {
            if let Some(r) = rest.strip_prefix(m) {
                return Some((true, r));
            }
        }
    }
    None
}

/// Parses inline Markdown.
pub fn parse_inline(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    inline_into(&chars, &mut out);
    merge_text(out)
}

fn merge_text(items: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for item in items {
        match (out.last_mut(), item) {
            (Some(Inline::Text(prev)), Inline::Text(t)) => prev.push_str(&t),
            (_, item) => out.push(item),
        }
    }
    out
}

fn push_char(out: &mut Vec<Inline>, c: char) {
    match out.last_mut() {
        Some(Inline::Text(t)) => t.push(c),
        _ => out.push(Inline::Text(c.to_string())),
    }
}

/// Parses the inline Markdown of `s` onto `out` (text runs not yet merged).
fn inline_into(s: &[char], out: &mut Vec<Inline>) {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i = match c {
            '\\' if s.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                push_char(out, s[i + 1]);
                i + 2
            }
            '`' => code_span(s, i, out),
            '*' | '_' => emphasis(s, i, c, out),
            '[' => link_into(s, i, out),
            '<' => autolink(s, i, out),
            _ => {
                push_char(out, c);
                i + 1
            }
        };
    }
}

/// The inline items of `s`, text runs merged.
fn nested(s: &[char]) -> Vec<Inline> {
    let mut inner = Vec::new();
    inline_into(s, &mut inner);
    merge_text(inner)
}

/// The code span opened by the backticks at `i` (or those backticks as text
/// when it is not closed) onto `out`; returns the index after it.
fn code_span(s: &[char], i: usize, out: &mut Vec<Inline>) -> usize {
    let n = run(s, i, '`');
    let Some(end) = find_code_close(s, i + n, n) else {
        for _ in 0..n {
            push_char(out, '`');
        }
        return i + n;
    };
    let mut code: String = s[i + n..end].iter().collect();
    code = code.replace('\n', " ");
    if code.len() > 2 && code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty() {
        code = code[1..code.len() - 1].to_string();
    }
    out.push(Inline::Code(code));
    end + n
}

/// The emphasis or strong text opened by `c` at `i` (or the run of `c` as
/// text when it is not closed) onto `out`; returns the index after it.
fn emphasis(s: &[char], i: usize, c: char, out: &mut Vec<Inline>) -> usize {
    let n = run(s, i, c).min(2);
    let Some(end) = find_emph_close(s, i, c, n) else {
        let all = run(s, i, c);
        for _ in 0..all {
            push_char(out, c);
        }
        return i + all;
    };
    let inner = nested(&s[i + n..end]);
    out.push(if n == 2 {
        Inline::Strong(inner)
    } else {
        Inline::Emph(inner)
    });
    end + n
}

/// The link `[text](url)` at `i` onto `out` (only its text when the URL is
/// unsafe, only `[` when it is no link); returns the index after it.
fn link_into(s: &[char], i: usize, out: &mut Vec<Inline>) -> usize {
    let Some((text_end, url, end)) = link(s, i) else {
        push_char(out, '[');
        return i + 1;
    };
    let inner = nested(&s[i + 1..text_end]);
    if safe_url(&url) {
        out.push(Inline::Link(inner, url));
    } else {
        out.extend(inner);
    }
    end
}

/// The autolink `<https://...>` at `i` onto `out` (only `<` when it is no
/// autolink); returns the index after it.
fn autolink(s: &[char], i: usize, out: &mut Vec<Inline>) -> usize {
    let close = s[i + 1..].iter().position(|&c| c == '>').map(|p| p + i + 1);
    let url: Option<String> = close.map(|e| s[i + 1..e].iter().collect());
    match (close, url) {
        (Some(e), Some(url))
            if !url.contains(char::is_whitespace)
                && (url.starts_with("http://")
                    || url.starts_with("https://")
                    || url.starts_with("mailto:")) =>
        {
            out.push(Inline::Link(vec![Inline::Text(url.clone())], url));
            e + 1
        }
        _ => {
            push_char(out, '<');
            i + 1
        }
    }
}

fn run(s: &[char], i: usize, c: char) -> usize {
    s[i..].iter().take_while(|&&x| x == c).count()
}

fn find_code_close(s: &[char], from: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while j < s.len() {
        if s[j] == '`' {
            let m = run(s, j, '`');
            if m == n {
                return Some(j);
            }
            j += m;
        } else {
            j += 1;
        }
    }
    None
}

/// The index of the closing delimiter of an emphasis opened at `i` with `n`
/// copies of `c`, skipping code spans. `_` only opens and closes at word
/// boundaries, so `snake_case_names` stay text.
fn find_emph_close(s: &[char], i: usize, c: char, n: usize) -> Option<usize> {
    let after = *s.get(i + n)?;
    if after.is_whitespace() || after == c {
        return None;
    }
    if c == '_' && i > 0 && s[i - 1].is_alphanumeric() {
        return None;
    }
    let mut j = i + n + 1;
    while j + n <= s.len() {
        if s[j] == '`' {
            let m = run(s, j, '`');
            match find_code_close(s, j + m, m) {
                Some(e) => j = e + m,
                None => j += m,
            }
            continue;
        }
        if s[j] == '\\' {
            j += 2;
            continue;
        }
        if s[j] == c {
            let m = run(s, j, c);
            let before = s[j - 1];
            let next = s.get(j + m).copied();
            let flanking =
                !before.is_whitespace() && (c != '_' || !next.is_some_and(char::is_alphanumeric));
            if flanking && (m == n || (n == 1 && m == 3) || (n == 2 && m == 3)) {
                return Some(if n == 2 && m == 3 { j + 1 } else { j });
            }
            j += m;
            continue;
        }
        j += 1;
    }
    None
}

/// `[text](url)` at `i`: the index of `]`, the URL and the index after `)`.
fn link(s: &[char], i: usize) -> Option<(usize, String, usize)> {
    let mut depth = 0;
    let mut j = i + 1;
    let text_end = loop {
        match s.get(j)? {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' if depth == 0 => break j,
            ']' => depth -= 1,
            _ => {}
        }
        j += 1;
    };
    if s.get(text_end + 1) != Some(&'(') {
        return None;
    }
    // The destination ends at the `)` that balances the `(`.
    let mut depth = 0usize;
    let mut close = None;
    for (k, &c) in s.iter().enumerate().skip(text_end + 2) {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                close = Some(k);
                break;
            }
            ')' => depth -= 1,
            _ => {}
        }
    }
    let close = close?;
    let url: String = s[text_end + 2..close].iter().collect();
    let url = url.trim();
    let url = url
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or(url);
    if url.contains(char::is_whitespace) {
        return None;
    }
    Some((text_end, url.to_string(), close + 1))
}

/// Whether a link target is safe to put in `href`: web and mail links,
/// fragments and relative paths, never `javascript:` or `data:`.
pub fn safe_url(url: &str) -> bool {
    if url.is_empty() || url.chars().any(|c| c.is_control()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return true;
    }
    // No scheme at all: a colon may only appear after a `/`, `?` or `#`.
    match url.find([':', '/', '?', '#']) {
        Some(p) => url.as_bytes()[p] != b':',
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn blocks() {
        let doc = parse(
            "Intro line one\nline two.\n\n## Title ##\n\n- a `x`\n  more\n- b\n\n1. one\n2. two\n\n```json\n{\"a\": 1}\n```\nend",
        );
        assert_eq!(
            doc,
            vec![
                Block::Paragraph(vec![text("Intro line one line two.")]),
                Block::Heading(2, vec![text("Title")]),
                Block::List(
                    false,
                    vec![
                        vec![text("a "), Inline::Code("x".into()), text(" more")],
                        vec![text("b")]
                    ]
                ),
                Block::List(true, vec![vec![text("one")], vec![text("two")]]),
                Block::Code("json".into(), "{\"a\": 1}".into()),
                Block::Paragraph(vec![text("end")]),
            ]
        );
    }

    #[test]
    fn inlines() {
        assert_eq!(
            parse_inline("**Extensible**: keep *it* `a_b` snake_case_name _x_"),
            vec![
                Inline::Strong(vec![text("Extensible")]),
                text(": keep "),
                Inline::Emph(vec![text("it")]),
                text(" "),
                Inline::Code("a_b".into()),
                text(" snake_case_name "),
                Inline::Emph(vec![text("x")]),
            ]
        );
        assert_eq!(
            parse_inline("a [doc](https://x.test/a) [bad](javascript:alert(1)) <https://y.test>"),
            vec![
                text("a "),
                Inline::Link(vec![text("doc")], "https://x.test/a".into()),
                text(" bad "),
                Inline::Link(vec![text("https://y.test")], "https://y.test".into()),
            ]
        );
        // Raw HTML stays text.
        assert_eq!(
            parse_inline("<script>alert(1)</script>"),
            vec![text("<script>alert(1)</script>")]
        );
        // Unclosed delimiters stay text.
        assert_eq!(parse_inline("a * b ` c"), vec![text("a * b ` c")]);
        assert_eq!(parse_inline("``a`b``"), vec![Inline::Code("a`b".into())]);
    }

    #[test]
    fn urls() {
        for ok in [
            "https://a.test",
            "mailto:a@b.test",
            "#x",
            "../a.html",
            "a/b:c",
        ] {
            assert!(safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "data:text/html,x",
            "vbscript:x",
            "",
        ] {
            assert!(!safe_url(bad), "{bad}");
        }
    }
}
