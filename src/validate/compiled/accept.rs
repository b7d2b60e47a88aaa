//! The fast path of the compiled engine: a hand-written parser that only
//! *accepts*. It walks an event's text with the program and answers
//! `Some(code)` when the event is valid; at anything else (a violation, an
//! escape in a string, a fraction or exponent in a number, repeated or
//! undeclared keys, malformed JSON, the payload before the code, an object
//! inside a value of any type) it answers `None` and the full check
//! ([`super::Program::check`], serde_json driving the engine's visitors) runs
//! on the event, which alone writes violations. Valid events are most
//! events, and this path skips serde's visitor protocol for them.
//!
//! What it accepts, the full check accepts too: `tests/engines.rs` holds
//! the engine to the reference on fixtures and mutations of every kind, and
//! the tests below hold this path to the full check.

#[allow(unused_imports)]
use super::*;

/// The code index of `text` if it is a valid event (see the module docs).
pub(super) fn accept(prog: &Program, text: &str) -> Option<usize> {
    let mut p = Parser {
        prog,
        text,
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let code = p.envelope()?;
    p.ws();
    (p.i == p.b.len()).then_some(code)
}

struct Parser<'a> {
    prog: &'a Program,
    text: &'a str,
    b: &'a [u8],
    i: usize,
    /// Arrays and objects open (serde_json stops at 128).
    depth: u32,
}

/// Nesting this path goes to (below serde_json's limit of 128).
const MAX_DEPTH: u32 = 100;

/// The declared fields of an object seen so far (at most 128).
struct Seen(u128);

impl Seen {
    /// Marks field `i`; `None` if it was seen already (a repeated key).
    fn set(&mut self, i: usize) -> Option<()> {
        let m = 1u128.checked_shl(u32::try_from(i).ok()?)?;
        (self.0 & m == 0).then(|| self.0 |= m)
    }

    /// Whether every required field was seen (`required`: their bits, see
    /// [`required_bits`]; `None`, a required field past the 128th, never
    /// is).
    fn all(&self, required: Option<u128>) -> bool {
        required.is_some_and(|r| self.0 & r == r)
    }
}

/// The bits of the required fields (`None` if one is past the 128th).
pub(super) fn required_bits(required: &[bool]) -> Option<u128> {
    let mut bits = 0u128;
    for (j, _) in required.iter().enumerate().filter(|(_, &r)| r) {
        bits |= 1u128.checked_shl(u32::try_from(j).ok()?)?;
    }
    Some(bits)
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.ws();
        self.b[self.i..]
            .starts_with(word)
            .then(|| self.i += word.len())
    }

    /// A string without escapes or control characters.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.i;
        // Eight bytes at a time to the first `"`, `\\` or control character
        // (the lowest flagged byte is exact), then byte by byte.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        while let Some(w) = self.b.get(self.i..self.i + 8) {
            let v = u64::from_le_bytes(w.try_into().ok()?);
            let hit = zero(v ^ (ONES * u64::from(b'"')))
                | zero(v ^ (ONES * u64::from(b'\\')))
                | (v.wrapping_sub(ONES * 0x20) & !v & HIGH);
            if hit != 0 {
                self.i += (hit.trailing_zeros() / 8) as usize;
                break;
            }
            self.i += 8;
        }
        loop {
            match *self.b.get(self.i)? {
                b'"' => break,
                b'\\' | 0..=0x1f => return None,
                _ => self.i += 1,
            }
        }
        let s = self.text.get(start..self.i)?;
        self.i += 1;
        Some(s)
    }

    /// A number without fraction or exponent, as serde_json reads it.
    fn integer(&mut self) -> Option<Num> {
        self.ws();
        let neg = self.b.get(self.i) == Some(&b'-');
        let start = self.i + usize::from(neg);
        let mut end = start;
        while self.b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        let digits = &self.b[start..end];
        let after = self.b.get(end).copied();
        if digits.is_empty()
            || (digits.len() > 1 && digits[0] == b'0')
            || matches!(after, Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        self.i = end;
        let mut n: u64 = 0;
        for &d in digits {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        if neg {
            // `-0` is a float to serde_json: left to the full check.
            let n = i64::try_from(n).ok().filter(|&n| n > 0)?;
            Some(Num::I(-n))
        } else {
            Some(Num::U(n))
        }
    }

    /// Any JSON value but an object (whose repeated keys this path does not
    /// track).
    fn any(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'[' => self.items(|p| p.any()).map(drop),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.integer().map(drop),
        }
    }

    /// The items of an array, each read by `item`: how many.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<u64> {
        self.eat(b'[')?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        if self.eat(b']').is_some() {
            self.depth -= 1;
            return Some(0);
        }
        let mut n = 0;
        loop {
            item(self)?;
            n += 1;
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    self.depth -= 1;
                    return Some(n);
                }
                _ => return None,
            }
        }
    }

    /// An object: its members (key, colon, value), each read by
    /// `member`.
    fn object(&mut self, mut member: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        if self.eat(b'}').is_some() {
            self.depth -= 1;
            return Some(());
        }
        loop {
            member(self)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    self.depth -= 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The keys of an object, each value read by `value(parser, key)`.
    fn entries(&mut self, mut value: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.object(|p| {
            let key = p.string()?;
            p.eat(b':')?;
            value(p, key)
        })
    }

    fn envelope(&mut self) -> Option<usize> {
        let prog = self.prog;
        let env = &prog.envelope;
        let mut code = None;
        let seen = self.fields(env, |p, i| {
            if i == prog.disc_index {
                code = Some(*prog.index.get(p.string()?)?);
                Some(())
            } else if i == prog.payload_index {
                p.value(&prog.payloads[code?])
            } else {
                p.value(&env.slots[i])
            }
        })?;
        (code.is_some() && seen.all(env.required_bits)).then_some(code?)
    }

    /// The fields of an object of type `obj`, each value read by
    /// `value(parser, field)`: the fields seen (`None` at a repeated or
    /// undeclared key, or an object of more than 128 fields).
    fn fields(
        &mut self,
        obj: &Object,
        mut value: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<Seen> {
        if obj.names.len() > 128 {
            return None;
        }
        let (mut seen, mut hint) = (Seen(0), 0);
        self.object(|p| {
            let i = p.key(obj, hint)?;
            hint = i + 1;
            seen.set(i)?;
            p.eat(b':')?;
            value(p, i)
        })?;
        Some(seen)
    }

    /// A key of an object of type `obj`: its field. Keys usually come in
    /// declared order, so the field after the last one (`hint`) is compared
    /// with the text in place first, without scanning the key.
    fn key(&mut self, obj: &Object, hint: usize) -> Option<usize> {
        self.ws();
        if obj.plain {
            if let Some(name) = obj.names.get(hint) {
                let from = self.i + 1;
                let end = from + name.len();
                if self.b.get(self.i) == Some(&b'"')
                    && self.b.get(from..end) == Some(name.as_bytes())
                    && self.b.get(end) == Some(&b'"')
                {
                    self.i = end + 1;
                    return Some(hint);
                }
            }
        }
        let key = self.string()?;
        obj.find(key, hint)
    }

    /// A value of `slot`: `None` unless it is valid.
    fn value(&mut self, slot: &Slot) -> Option<()> {
        let prog = self.prog;
        let mut node = slot.node;
        while let Node::Ref(n) = prog.nodes[node] {
            node = n;
        }
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return (slot.null != Null::No || matches!(prog.nodes[node], Node::Any)).then_some(());
        }
        let checks = slot.checks.as_deref();
        match &prog.nodes[node] {
            Node::Any if checks.is_none() => self.any(),
            Node::Any => None,
            Node::Str { format, pattern } => {
                let s = self.string()?;
                let ok = has_format(*format, s) && pattern.is_none_or(|p| self.matches(&p, s));
                (ok && checks.is_none_or(|c| self.string_checks(c, s))).then_some(())
            }
            Node::Int { min, max } => {
                let n = self.integer()?;
                let ok = !n.cmp(min.value).is_lt() && !n.cmp(max.value).is_gt();
                (ok && checks.is_none_or(|c| bounds(c, n))).then_some(())
            }
            Node::Num => {
                let n = self.integer()?;
                checks.is_none_or(|c| bounds(c, n)).then_some(())
            }
            Node::Bool => match self.peek()? {
                b't' => self.literal(b"true"),
                _ => self.literal(b"false"),
            },
            Node::Const(c) => native::same(self.string()?, c).then_some(()),
            Node::Enum(e) => {
                let s = self.string()?;
                let set = &prog.enums[*e];
                set.values.iter().any(|v| native::same(v, s)).then_some(())
            }
            Node::Array(item) => {
                let n = self.items(|p| p.value(item))?;
                checks.is_none_or(|c| items(c, n)).then_some(())
            }
            Node::Map(value) => {
                let mut keys: Vec<&str> = Vec::new();
                self.entries(|p, key| {
                    if keys.contains(&key) {
                        return None;
                    }
                    keys.push(key);
                    p.value(value)
                })
            }
            Node::Object(o) => {
                let obj = &prog.objects[*o];
                let seen = self.fields(obj, |p, i| p.value(&obj.slots[i]))?;
                seen.all(obj.required_bits).then_some(())
            }
            Node::Ref(_) => None,
        }
    }

    fn matches(&self, p: &usize, s: &str) -> bool {
        match self.prog.patterns[*p].native {
            Some(native) => native(s),
            None => self.prog.regex_match(*p, s),
        }
    }

    fn string_checks(&self, c: &Checks, s: &str) -> bool {
        if c.min_length.is_some() || c.max_length.is_some() {
            let n = s.chars().count() as u64;
            if c.min_length.is_some_and(|l| n < l) || c.max_length.is_some_and(|l| n > l) {
                return false;
            }
        }
        c.patterns.iter().all(|p| self.matches(p, s))
    }
}

/// A field's `minimum` / `maximum`.
fn bounds(c: &Checks, n: Num) -> bool {
    c.minimum.as_ref().is_none_or(|m| !n.cmp(m.value).is_lt())
        && c.maximum.as_ref().is_none_or(|m| !n.cmp(m.value).is_gt())
}

/// A field's `min_items` / `max_items`.
fn items(c: &Checks, n: u64) -> bool {
    c.min_items.is_none_or(|l| n >= l) && c.max_items.is_none_or(|l| n <= l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, Kind};

    /// Found in review: a required field past the 128th must count as not
    /// seen (the shift wrapped to bit 0 in release builds).
    #[test]
    fn a_required_field_past_the_128th_is_never_seen() {
        let mut required = vec![false; 129];
        required[128] = true;
        let mut seen = Seen(0);
        seen.set(0).unwrap();
        assert_eq!(required_bits(&required), None);
        assert!(!seen.all(required_bits(&required)));
        assert!(seen.set(128).is_none());
        assert!(Seen(u128::MAX).all(required_bits(&required[..128])));
        required[5] = true;
        assert_eq!(required_bits(&required[..128]), Some(1 << 5));
        assert!(!Seen(1 << 4).all(required_bits(&required[..128])));
        assert!(Seen(1 << 5 | 1).all(required_bits(&required[..128])));
    }

    /// A key written with an escape can spell a field's name byte for byte
    /// (`"a\b"` is `a` and a backspace; the field is named `a\b`): it is not
    /// that field, so names with a backslash are never compared in place.
    #[test]
    fn a_key_with_an_escape_is_not_a_name_with_a_backslash() {
        let root = env!("CARGO_MANIFEST_DIR");
        let from = format!("{root}/tests/catalogs/special-chars");
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("families")).unwrap();
        for file in ["catalog.toml", "families/chars.toml"] {
            let text = std::fs::read_to_string(format!("{from}/{file}")).unwrap();
            let text = text.replace(
                "[types.CharsNested.fields.\"a|b <i>\"]",
                "[types.CharsNested.fields.\"a\\\\b\"]\ntype = \"string\"\noptional = true\n\n\
                 [types.CharsNested.fields.\"a|b <i>\"]",
            );
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let catalog = eventcat_codegen::load(dir.path()).unwrap();
        let prog = Program::new(&catalog, false).unwrap();
        let mut tried = 0;
        for ev in &catalog.events {
            for f in fixtures::for_event(&catalog, ev, Kind::Valid, 7, 4).unwrap() {
                let mut event = f.event.clone();
                let Some(nested) = event.pointer_mut("/data/nested") else {
                    continue;
                };
                // Only events this path accepts without the key.
                *nested = serde_json::json!({"a|b <i>": 1});
                if accept(&prog, &serde_json::to_string(&event).unwrap()).is_none() {
                    continue;
                }
                let text = serde_json::to_string(&event).unwrap();
                let text = text.replacen(r#"{"a|b <i>":1}"#, r#"{"a\b":"x","a|b <i>":1}"#, 1);
                let full = prog.check_fully(text.as_bytes(), Some(&text)).unwrap();
                assert!(!full.1.is_empty(), "the full check finds {text} valid");
                assert_eq!(accept(&prog, &text), None, "accepted {text}");
                tried += 1;
            }
        }
        assert!(tried > 0, "no event with a `nested` object accepted");
    }

    /// Every event this path accepts, the full check finds valid, with the
    /// same code; and it accepts most valid fixtures (else it is no fast
    /// path). Fixtures of three catalogs, each with every mutation.
    #[test]
    fn what_is_accepted_the_full_check_accepts() {
        let root = env!("CARGO_MANIFEST_DIR");
        for dir in [
            "schema",
            "tests/catalogs/edge/wire",
            "tests/catalogs/special-chars",
        ] {
            let catalog = eventcat_codegen::load(format!("{root}/{dir}")).unwrap();
            for lenient in [false, true] {
                let prog = Program::new(&catalog, lenient).unwrap();
                let (mut valid, mut accepted, mut checked) = (0, 0, 0);
                let mut plain_accepted = 0;
                for ev in &catalog.events {
                    for kind in [Kind::Valid, Kind::Consumer, Kind::Invalid] {
                        for f in fixtures::for_event(&catalog, ev, kind, 7, 4).unwrap() {
                            let mut texts = vec![serde_json::to_string(&f.event).unwrap()];
                            for m in fixtures::mutate::mutations(&catalog, ev, &f.event) {
                                texts.push(serde_json::to_string(&m.apply(&f.event)).unwrap());
                            }
                            let mut first = true;
                            for text in texts {
                                checked += 1;
                                let full = prog.check_fully(text.as_bytes(), Some(&text));
                                let fast = accept(&prog, &text);
                                if let Some(code) = fast {
                                    accepted += 1;
                                    match &full {
                                        Ok((CodeOf::Known(c), v)) if *c == code && v.is_empty() => {
                                        }
                                        other => {
                                            panic!("{dir}: accepted {text}\nfull check: {other:?}")
                                        }
                                    }
                                }
                                // The plain valid fixtures, strict: what a
                                // producer sends.
                                let plain = kind == Kind::Valid && !lenient && first;
                                if plain && matches!(&full, Ok((_, v)) if v.is_empty()) {
                                    valid += 1;
                                    plain_accepted += usize::from(fast.is_some());
                                }
                                first = false;
                            }
                        }
                    }
                }
                assert!(checked > 200, "{dir}: {checked} events");
                eprintln!(
                    "{dir} (lenient: {lenient}): {checked} events, {accepted} accepted fast; \
                     {plain_accepted} of {valid} plain valid ones"
                );
                // The default catalog's fixtures: at least half (their
                // random strings often hold escapes, left to the full check).
                if !lenient && dir == "schema" {
                    assert!(
                        plain_accepted * 2 >= valid,
                        "{dir}: the fast path accepted {plain_accepted} of {valid} valid events"
                    );
                }
                assert!(lenient || plain_accepted > 0, "{dir}: nothing accepted");
            }
        }
    }
}
