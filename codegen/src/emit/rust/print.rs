//! Printing the generated code: prettyplease, a part at a time, and the
//! blank lines between items.
//!
//! The syntax tree prettyplease needs takes a few times the text it
//! prints; the largest items of a 10,000-code crate (the `Event` enum and
//! its `impl`, over 100,000 lines each) would take hundreds of MB at once.
//! So the tokens are cut between items, an `impl` block or `enum` between
//! its items or variants, a module between its items, and each part is
//! printed inside the same header: items print independently, so the text
//! is the whole's (a test prints every piece item by item and compares).

use proc_macro2::TokenStream;
use quote::quote;

/// How many of a module's types are printed at a time.
pub(super) const MODULE_CHUNK: usize = 64;

/// `#attrs mod #name { use super::*; #items }` pretty-printed `chunk` items
/// at a time: each chunk is printed inside the module (so with the
/// module's indentation and line width) and the module's first and last
/// lines are kept only once. Items print independently, so the text is the
/// whole module's. Empty when every item is.
pub(super) fn pretty_module(
    attrs: TokenStream,
    name: &proc_macro2::Ident,
    items: impl Iterator<Item = TokenStream>,
    chunk: usize,
) -> Result<String, String> {
    let mut out = String::new();
    let mut items = items.filter(|t| !t.is_empty()).peekable();
    let mut first = true;
    while items.peek().is_some() {
        let part: TokenStream = items.by_ref().take(chunk.max(1)).collect();
        let last = items.peek().is_none();
        let text = if first {
            pretty(quote! {
                #attrs
                mod #name {
                    #[allow(unused_imports)]
                    use super::*;

                    #part
                }
            })?
        } else {
            pretty(quote!(mod #name { #part }))?
        };
        let mut text = text.as_str();
        if !first {
            // Drop `mod name {`.
            text = text.split_once('\n').map_or("", |(_, rest)| rest);
        }
        if !last {
            // Drop the closing `}`.
            let body = text.trim_end_matches('\n');
            text = body.strip_suffix('}').unwrap_or(body);
        }
        out.push_str(text);
        first = false;
    }
    Ok(out)
}

/// Whole top-level items (the first may start with inner attributes),
/// pretty-printed by prettyplease a part at a time (see [`item_chunks`]);
/// `Err`: the text of a file that fails to compile with the parse error and
/// the raw tokens (only an emitter bug gets there).
pub(super) fn pretty(tokens: TokenStream) -> Result<String, String> {
    pretty_sized(tokens, ITEM_CHUNK)
}

/// [`pretty`], about `size` tokens at a time; an `impl` block or `enum`
/// larger than that is printed a part of its body at a time (see
/// [`pretty_block`]).
fn pretty_sized(tokens: TokenStream, size: usize) -> Result<String, String> {
    let mut out = String::new();
    for chunk in item_chunks(tokens, size) {
        if let Some(text) = pretty_block(&chunk, size)? {
            out.push_str(&text);
            continue;
        }
        match syn::parse2::<syn::File>(chunk.clone()) {
            Ok(file) => out.push_str(&prettyplease::unparse(&file)),
            Err(e) => return Err(format!("compile_error!({:?});\n{chunk}\n", e.to_string())),
        }
    }
    Ok(out)
}

/// About how many tokens [`pretty`] parses and prints at a time: the
/// syntax tree of a chunk takes a few times its text.
const ITEM_CHUNK: usize = 20_000;

/// How many tokens a token tree holds, groups counted with their contents.
fn weight(tree: &proc_macro2::TokenTree) -> usize {
    match tree {
        proc_macro2::TokenTree::Group(g) => {
            1 + g.stream().into_iter().map(|t| weight(&t)).sum::<usize>()
        }
        _ => 1,
    }
}

/// When `item` is one `impl` block or `enum` (after its attributes and
/// visibility) of more than `size` tokens: its text, printed about `size`
/// tokens of its body (whole items, whole variants) at a time inside the
/// same header, the header and the closing `}` kept once. Items of an impl
/// and variants of an enum print independently at the same indentation,
/// so the text is the whole block's. `None` for anything else.
fn pretty_block(item: &TokenStream, size: usize) -> Result<Option<String>, String> {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = item.clone().into_iter().collect();
    let Some((TokenTree::Group(body), head)) = trees.split_last() else {
        return Ok(None);
    };
    if body.delimiter() != Delimiter::Brace {
        return Ok(None);
    }
    // Attributes (`#` and `[...]`), then the visibility.
    let mut at = 0;
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) =
        (head.get(at), head.get(at + 1))
    {
        if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        at += 2;
    }
    let keyword_at = match head.get(at) {
        Some(TokenTree::Ident(i)) if i == "pub" => match head.get(at + 1) {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => at + 2,
            _ => at + 1,
        },
        _ => at,
    };
    let is_enum = match head.get(keyword_at) {
        Some(TokenTree::Ident(i)) if i == "impl" => false,
        Some(TokenTree::Ident(i)) if i == "enum" => true,
        _ => return Ok(None),
    };
    if weight(&TokenTree::Group(body.clone())) <= size {
        return Ok(None);
    }
    let attrs: TokenStream = head[..at].iter().cloned().collect();
    let header: TokenStream = head[at..].iter().cloned().collect();
    let parts = if is_enum {
        variant_chunks(body.stream(), size)
    } else {
        item_chunks(body.stream(), size)
    };
    let last = parts.len() - 1;
    let mut out = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        let text = if i == 0 {
            pretty_sized(quote!(#attrs #header { #part }), usize::MAX)?
        } else {
            pretty_sized(quote!(#header { #part }), usize::MAX)?
        };
        let mut text = text.as_str();
        if i > 0 {
            // Drop the header: through its line `... {` at column 0.
            let mut rest = text;
            while let Some((line, after)) = rest.split_once('\n') {
                rest = after;
                if !line.starts_with(char::is_whitespace) && line.ends_with('{') {
                    break;
                }
            }
            text = rest;
        }
        if i < last {
            // Drop the closing `}`.
            let body = text.trim_end_matches('\n');
            text = body.strip_suffix('}').unwrap_or(body);
        }
        out.push_str(text);
    }
    Ok(Some(out))
}

/// The variants of an enum body cut after a top-level `,` into chunks of
/// about `size` tokens.
fn variant_chunks(tokens: TokenStream, size: usize) -> Vec<TokenStream> {
    use proc_macro2::TokenTree;
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut held = 0;
    for tree in tokens {
        held += weight(&tree);
        let comma = matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',');
        current.push(tree);
        if comma && held >= size {
            chunks.push(std::mem::take(&mut current).into_iter().collect());
            held = 0;
        }
    }
    if !current.is_empty() || chunks.is_empty() {
        chunks.push(current.into_iter().collect());
    }
    chunks
}

/// `tokens` cut between top-level items into chunks of about `size` tokens:
/// after a `;`, or after a `{...}` followed by what starts an item (`#` of
/// an attribute, or an item keyword). prettyplease prints items one after
/// another, so printing the chunks one by one gives the text of printing
/// the whole. A chunk of one large item is cut further by [`pretty_block`].
fn item_chunks(tokens: TokenStream, size: usize) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    const STARTS: [&str; 13] = [
        "pub", "fn", "impl", "struct", "enum", "mod", "use", "const", "static", "type", "trait",
        "unsafe", "extern",
    ];
    if size == usize::MAX {
        // Nothing is cut: no need to weigh every token.
        return vec![tokens];
    }
    let mut chunks: Vec<TokenStream> = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    // Tokens held in `current`, and where and with how many its last
    // unfinished item starts.
    let (mut held, mut item_start, mut held_before_item) = (0, 0, 0);
    let mut trees = tokens.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends_item = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => match trees.peek() {
                Some(TokenTree::Punct(p)) => p.as_char() == '#',
                Some(TokenTree::Ident(i)) => STARTS.iter().any(|k| i == k),
                None => true,
                _ => false,
            },
            _ => false,
        };
        held += weight(&tree);
        current.push(tree);
        if !ends_item {
            continue;
        }
        if held - held_before_item >= size && item_start > 0 {
            // A large item goes alone, so that `pretty_block` can cut it.
            let item = current.split_off(item_start);
            chunks.push(std::mem::take(&mut current).into_iter().collect());
            current = item;
        }
        if held >= size || held - held_before_item >= size {
            chunks.push(std::mem::take(&mut current).into_iter().collect());
            held = 0;
        }
        item_start = current.len();
        held_before_item = held;
    }
    if !current.is_empty() || chunks.is_empty() {
        chunks.push(current.into_iter().collect());
    }
    chunks
}

/// Copies pretty-printed text into one buffer with a blank line between
/// consecutive items (prettyplease writes none) and after the crate's
/// inner attributes and docs. Pieces may be pushed one by one: the result
/// is the same as spacing their concatenation.
pub(super) struct Spacer {
    pub(super) out: String,
    /// The last line pushed (without its newline).
    pub(super) prev: Option<String>,
}

impl Spacer {
    /// A spacer writing after `head` (copied as is).
    pub(super) fn new(head: String) -> Self {
        Spacer {
            out: head,
            prev: None,
        }
    }

    pub(super) fn push(&mut self, text: &str) {
        let mut last = None;
        for line in text.lines() {
            if let Some(p) = last.or(self.prev.as_deref()) {
                if needs_blank_line(p, line) {
                    self.out.push('\n');
                }
            }
            self.out.push_str(line);
            self.out.push('\n');
            last = Some(line);
        }
        if let Some(l) = last {
            self.prev = Some(l.to_string());
        }
    }
}

/// Whether a blank line goes between the consecutive lines `prev` and
/// `line`: between items (not inside a group of `use` or `type`), and
/// after inner attributes and docs.
pub(super) fn needs_blank_line(prev: &str, line: &str) -> bool {
    const STARTS: [&str; 14] = [
        "///", "#[", "pub ", "pub(", "impl ", "impl<", "fn ", "mod ", "struct ", "enum ", "type ",
        "const ", "use ", "trait ",
    ];
    let indent = |l: &str| l.len() - l.trim_start().len();
    let pt = prev.trim();
    let t = line.trim_start();
    let ends_item =
        (pt == "}" || pt.ends_with(';')) && !pt.starts_with("//") && indent(prev) == indent(line);
    let starts_item = STARTS.iter().any(|s| t.starts_with(s));
    let same_group = (pt.starts_with("type ") && t.starts_with("type "))
        || (pt.starts_with("use ") && t.starts_with("use "));
    let after_inner = prev.starts_with("#![") && !line.starts_with("#![");
    let after_docs = prev.starts_with("//!") && !line.starts_with("//!");
    (ends_item && starts_item && !same_group) || after_inner || after_docs
}

#[cfg(test)]
mod tests {
    use super::super::{events, families, ident, plan::Plan, support, types, Ctx, Options};
    use super::*;

    /// Printing in chunks gives the bytes of printing the whole: each piece
    /// of the default and edge-case catalogs cut after every item, and each
    /// module printed one type at a time.
    #[test]
    fn printing_in_chunks_is_printing_the_whole() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut dirs = vec![root.join("schema")];
        for e in std::fs::read_dir(root.join("tests/catalogs/edge")).unwrap() {
            dirs.push(e.unwrap().path());
        }
        for dir in dirs {
            let catalog = crate::load(&dir).unwrap_or_else(|d| panic!("{}", d.render(false)));
            let layout = families::Layout::new(&catalog);
            let ctx = Ctx {
                catalog: &catalog,
                plan: Plan::new(&catalog, Options::CRATE, Some(layout)),
            };
            let (mut cuts, mut blocks) = (0, 0);
            for piece in events::PIECES
                .iter()
                .map(|p| p(&ctx))
                .chain([support::items(&ctx)])
            {
                for chunk in item_chunks(piece.clone(), 1) {
                    cuts += 1;
                    blocks += usize::from(pretty_block(&chunk, 1).unwrap().is_some());
                }
                assert_eq!(
                    pretty_sized(piece.clone(), 1).unwrap(),
                    pretty_sized(piece, usize::MAX).unwrap(),
                    "{}",
                    dir.display()
                );
            }
            assert!(cuts > 12, "{}: {cuts} chunks", dir.display());
            // The `impl` blocks and enums were cut inside, not only between.
            assert!(blocks > 5, "{}: {blocks} blocks cut", dir.display());
            let items = || catalog.types.values().map(|t| types::item(&ctx, t));
            let name = ident("m");
            assert_eq!(
                pretty_module(quote!(#[doc = "d"]), &name, items(), 1).unwrap(),
                pretty_module(quote!(#[doc = "d"]), &name, items(), usize::MAX).unwrap(),
                "{}",
                dir.display()
            );
        }
    }

    /// Spacing pieces one by one gives the bytes of spacing the whole.
    #[test]
    fn spacing_pieces_is_spacing_the_whole() {
        let text = "//! Docs.\n#![warn(missing_docs)]\nuse a::b;\nuse c::d;\npub struct A;\nimpl A {\n    fn f() {}\n    fn g() {}\n}\ntype X = u8;\ntype Y = u8;\nenum E {}\n";
        let whole = {
            let mut s = Spacer::new(String::new());
            s.push(text);
            s.out
        };
        assert!(whole.contains("}\n\ntype X"), "{whole}");
        assert!(whole.contains("type X = u8;\ntype Y"), "{whole}");
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for cut in 0..lines.len() {
            let mut s = Spacer::new(String::new());
            s.push(&lines[..cut].concat());
            s.push(&lines[cut..].concat());
            assert_eq!(s.out, whole, "cut before line {cut}");
        }
    }
}
