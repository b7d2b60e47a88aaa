//! Type expressions: `uuid`, `array<PhoneNumber>`, `map<string>`,
//! `partial<User>`... parsed into a small syntax tree with byte offsets, so
//! an error points at the exact part of the expression.

use std::ops::Range;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExpr {
    /// The name before any `<`: a built-in or a type name.
    pub name: String,
    /// Byte range of `name` within the expression text.
    pub span: Range<usize>,
    /// The argument inside `<...>`, if any.
    pub arg: Option<Box<TypeExpr>>,
}

/// A syntax error in a type expression, with the offending range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Byte range within the expression text.
    pub span: Range<usize>,
}

/// Most type arguments nested in one expression (`array<array<string>>` is
/// 2). Every walk over types (resolving, emitters, fixtures, validation)
/// recurses along the nesting, so it is bounded here, before parsing.
pub const MAX_NESTING: usize = 64;

/// Parses a whole type expression (surrounding spaces allowed).
pub fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '<' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(SyntaxError {
                        message: format!(
                            "type arguments are nested more than {MAX_NESTING} levels deep"
                        ),
                        span: i..i + 1,
                    });
                }
            }
            '>' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let mut p = Parser { text, pos: 0 };
    let expr = p.expr()?;
    p.skip_ws();
    if p.pos < text.len() {
        return Err(SyntaxError {
            message: format!("unexpected `{}` after the type", &text[p.pos..]),
            span: p.pos..text.len(),
        });
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with(' ') {
            self.pos += 1;
        }
    }

    fn expr(&mut self) -> Result<TypeExpr, SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        let len = self.text[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(self.text.len() - start);
        if len == 0 {
            let found = self.text[start..].chars().next();
            return Err(SyntaxError {
                message: match found {
                    Some(c) => format!("expected a type name, found `{c}`"),
                    None => "expected a type name, found the end of the expression".to_string(),
                },
                span: start..(start + found.map_or(0, char::len_utf8)),
            });
        }
        self.pos += len;
        let name = self.text[start..self.pos].to_string();
        let span = start..self.pos;
        self.skip_ws();
        let arg = if self.text[self.pos..].starts_with('<') {
            self.pos += 1;
            let arg = self.expr()?;
            self.skip_ws();
            if !self.text[self.pos..].starts_with('>') {
                return Err(SyntaxError {
                    message: "expected `>` to close the type argument".to_string(),
                    span: self.pos..self.text.len(),
                });
            }
            self.pos += 1;
            Some(Box::new(arg))
        } else {
            None
        };
        Ok(TypeExpr { name, span, arg })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested() {
        let e = parse("array<map< uuid >>").unwrap();
        assert_eq!(e.name, "array");
        let inner = e.arg.unwrap();
        assert_eq!(inner.name, "map");
        let leaf = inner.arg.unwrap();
        assert_eq!(leaf.name, "uuid");
        assert_eq!(leaf.span, 11..15);
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(parse("array<uuid").unwrap_err().span, 10..10);
        assert_eq!(parse("array<>").unwrap_err().span, 6..7);
        assert_eq!(parse("uuid x").unwrap_err().span, 5..6);
        assert_eq!(parse("").unwrap_err().span, 0..0);
    }

    #[test]
    fn nesting_is_bounded_before_parsing() {
        let ok = format!(
            "{}string{}",
            "array<".repeat(MAX_NESTING),
            ">".repeat(MAX_NESTING)
        );
        assert!(parse(&ok).is_ok());
        // Deep enough to overflow the stack of a recursive parser.
        let n = 100_000;
        let deep = format!("{}string{}", "array<".repeat(n), ">".repeat(n));
        let e = parse(&deep).unwrap_err();
        let at = "array<".len() * MAX_NESTING + "array".len();
        assert_eq!(e.span, at..at + 1);
        assert!(e.message.contains("64 levels"), "{}", e.message);
    }
}
