//! Whether one `pattern` accepts a subset of another's strings, for the
//! simple patterns where that can be decided by looking at them.
//!
//! Inclusion of two arbitrary regular expressions is decidable in theory
//! but costly, and ECMA-262 patterns (lookaround, backreferences) are not
//! regular; eventcat decides only patterns of one shape: an optional `^`, a
//! sequence of atoms (a literal character, an escape such as `\d` or `\.`,
//! `.`, or a bracket class `[...]`), each with an optional quantifier (`*`,
//! `+`, `?`, `{n}`, `{n,}`, `{n,m}`), and an optional `$`. Two such patterns
//! are compared atom by atom: the atoms must be written the same, and a
//! pattern accepts less when each of its repetition ranges lies within the
//! other's (`^[0-9]{4,15}$` within `^[0-9]+$`), or when it extends a
//! pattern with no `$` (`^ab` accepts every string `^abc` does). Anything
//! else is undecided ([`relation`] returns `None`), and the caller keeps the
//! conservative answer: both sides can break.

use std::cmp::Ordering;

/// A parsed pattern of the simple shape.
#[derive(Debug, PartialEq, Eq)]
struct Simple {
    start: bool,
    end: bool,
    /// Atom text and its repetition range (`max` `None`: unbounded).
    atoms: Vec<(String, u64, Option<u64>)>,
}

/// Parses `p` when it has the simple shape (see the module docs).
fn parse(p: &str) -> Option<Simple> {
    let mut s = Scanner {
        chars: p.chars().collect(),
        i: 0,
    };
    let start = s.chars.first() == Some(&'^');
    if start {
        s.i = 1;
    }
    let mut end = false;
    let mut atoms = Vec::new();
    while s.i < s.chars.len() {
        if s.chars[s.i] == '$' && s.i + 1 == s.chars.len() {
            end = true;
            s.i += 1;
            break;
        }
        let atom = s.atom()?;
        let (min, max) = s.quantifier()?;
        // A lazy quantifier accepts the same strings (a pattern is a test,
        // not a capture).
        if (min != 1 || max != Some(1)) && s.chars.get(s.i) == Some(&'?') {
            s.i += 1;
        }
        atoms.push((atom, min, max));
    }
    if s.i != s.chars.len() {
        return None;
    }
    Some(Simple { start, end, atoms })
}

/// A pattern being parsed: its characters and the position reached.
struct Scanner {
    chars: Vec<char>,
    i: usize,
}

impl Scanner {
    /// The atom at the position (a character, an escape, `.` or a bracket
    /// class), or `None` when it is not one of the simple shape.
    fn atom(&mut self) -> Option<String> {
        match self.chars[self.i] {
            '\\' => self.escape(),
            '[' => self.class(),
            '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '^' | '$' | ']' => None,
            c => {
                self.i += 1;
                Some(c.to_string())
            }
        }
    }

    /// An escape such as `\d` or `\.`.
    fn escape(&mut self) -> Option<String> {
        let e = *self.chars.get(self.i + 1)?;
        // Backreferences, assertions and multi-character escapes are not
        // atoms of the simple shape.
        if e.is_ascii_digit() || "bBuxcpPk".contains(e) {
            return None;
        }
        self.i += 2;
        Some(format!("\\{e}"))
    }

    /// A bracket class `[...]`, as written.
    fn class(&mut self) -> Option<String> {
        let chars = &self.chars;
        let mut j = self.i + 1;
        if chars.get(j) == Some(&'^') {
            j += 1;
        }
        if chars.get(j) == Some(&']') {
            j += 1;
        }
        loop {
            match chars.get(j)? {
                '\\' => j += 2,
                '[' => return None,
                ']' => break,
                _ => j += 1,
            }
        }
        let text = chars[self.i..=j].iter().collect();
        self.i = j + 1;
        Some(text)
    }

    /// The repetition range of the quantifier at the position (`1..=1`
    /// when there is none).
    fn quantifier(&mut self) -> Option<(u64, Option<u64>)> {
        let range = match self.chars.get(self.i) {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => return self.braces(),
            _ => return Some((1, Some(1))),
        };
        self.i += 1;
        Some(range)
    }

    /// A `{n}`, `{n,}` or `{n,m}` quantifier.
    fn braces(&mut self) -> Option<(u64, Option<u64>)> {
        let i = self.i;
        let close = self.chars[i..].iter().position(|c| *c == '}')? + i;
        let body: String = self.chars[i + 1..close].iter().collect();
        let (lo, hi) = match body.split_once(',') {
            None => {
                let n = body.parse().ok()?;
                (n, Some(n))
            }
            Some((lo, "")) => (lo.parse().ok()?, None),
            Some((lo, hi)) => (lo.parse().ok()?, Some(hi.parse().ok()?)),
        };
        if hi.is_some_and(|h| h < lo) {
            return None;
        }
        self.i = close + 1;
        Some((lo, hi))
    }
}

/// Whether every string `inner` matches, `outer` matches too.
fn within(inner: &Simple, outer: &Simple) -> bool {
    let anchors = (!outer.start || inner.start) && (!outer.end || inner.end);
    let lengths = if outer.end {
        inner.atoms.len() == outer.atoms.len()
    } else {
        inner.atoms.len() >= outer.atoms.len()
    };
    anchors
        && lengths
        && outer
            .atoms
            .iter()
            .zip(&inner.atoms)
            .all(|((oa, olo, ohi), (ia, ilo, ihi))| {
                oa == ia
                    && olo <= ilo
                    && match (ohi, ihi) {
                        (None, _) => true,
                        (Some(_), None) => false,
                        (Some(o), Some(i)) => i <= o,
                    }
            })
}

/// How the strings `new` matches relate to those `old` matches:
/// `Less` (a strict subset), `Greater` (a strict superset), `Equal`, or
/// `None` when eventcat cannot tell (see the module docs).
pub fn relation(old: &str, new: &str) -> Option<Ordering> {
    if old == new {
        return Some(Ordering::Equal);
    }
    let (o, n) = (parse(old)?, parse(new)?);
    match (within(&n, &o), within(&o, &n)) {
        (true, true) => Some(Ordering::Equal),
        (true, false) => Some(Ordering::Less),
        (false, true) => Some(Ordering::Greater),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn bounded_repetition_narrows() {
        assert_eq!(relation("^[0-9]+$", "^[0-9]{4,15}$"), Some(Less));
        assert_eq!(relation("^[0-9]{4,15}$", "^[0-9]+$"), Some(Greater));
        assert_eq!(relation("^[0-9]{4,15}$", "^[0-9]{5,10}$"), Some(Less));
        assert_eq!(relation("^[0-9]{1,}$", "^[0-9]+$"), Some(Equal));
        assert_eq!(
            relation("^\\+[1-9]\\d{1,14}$", "^\\+[1-9]\\d{1,10}$"),
            Some(Less)
        );
    }

    #[test]
    fn literal_prefix_extends_an_open_end() {
        assert_eq!(relation("^ab", "^abc"), Some(Less));
        assert_eq!(relation("^ab", "^ab[0-9]+$"), Some(Less));
        assert_eq!(relation("^abc", "^ab"), Some(Greater));
        // With `$`, a longer pattern is not within a shorter one.
        assert_eq!(relation("^ab$", "^abc$"), None);
    }

    #[test]
    fn anything_else_is_undecided() {
        assert_eq!(relation("^[0-9]+$", "^[a-z]+$"), None);
        assert_eq!(relation("^[0-9]{4,15}$", "^[0-9]{2,5}$"), None);
        assert_eq!(relation("^(a|b)+$", "^a+$"), None);
        assert_eq!(relation("^\\d+$", "^[0-9]+$"), None);
        assert_eq!(relation("^(\\w)\\1$", "^(\\w)\\1+$"), None);
        // Dropping `^` accepts more.
        assert_eq!(relation("^a+", "a+"), Some(Greater));
    }
}
