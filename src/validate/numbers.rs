//! Numbers as written. serde_json reads a number with a fraction or an
//! exponent, or an integer beyond 64 bits, as a 64-bit float: `4.09e2` is
//! then printed `409.0` and `-9223372036854775809` `-9.223372036854776e18`,
//! and the latter even equals -2^63, the smallest i64, so a schema's
//! `minimum` of the i64 range would let it through.
//!
//! [`scan`] finds those numbers in the event's text (with their JSON
//! pointers); [`adjust`] moves a float -2^63 just below it, so that an
//! `integer` field rejects it as the generated Rust types do (which see the
//! same float and cannot tell `-9223372036854775809` from it); [`as_written`]
//! puts the text back into the messages.

use serde_json::Value;

use super::schema::Violation;

/// A number whose text is not what serde_json would print for its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// JSON Pointer to it.
    pub pointer: String,
    /// Its text in the input.
    pub text: String,
}

/// The numbers of `json` (valid JSON text) read as floats: those written
/// with a fraction, an exponent or `-0`, or out of the 64-bit integer range.
pub fn scan(json: &[u8]) -> Vec<Written> {
    let mut walk = Walk {
        json,
        stack: Vec::new(),
        keys: Vec::new(),
        expect_key: false,
        out: Vec::new(),
    };
    let mut i = 0;
    while i < json.len() {
        i = walk.step(i);
    }
    walk.out
}

/// Where [`scan`] is in a JSON text.
struct Walk<'a> {
    json: &'a [u8],
    /// One entry per open container: `Some(index)` in an array, `None` in
    /// an object.
    stack: Vec<Option<u64>>,
    /// The current key of each open object, as the byte range of its JSON
    /// string (quotes included) and whether it holds an escape. Keys are
    /// decoded only to build the pointer of a number found, so the common
    /// event (no such number) allocates nothing.
    keys: Vec<(usize, usize, bool)>,
    /// The next string is a key.
    expect_key: bool,
    /// The numbers found.
    out: Vec<Written>,
}

impl Walk<'_> {
    /// Reads what starts at `i`; returns where the next step starts.
    fn step(&mut self, i: usize) -> usize {
        match self.json[i] {
            b'{' => {
                self.stack.push(None);
                self.keys.push((0, 0, false));
                self.expect_key = true;
            }
            b'[' => {
                self.stack.push(Some(0));
                self.expect_key = false;
            }
            b'}' => {
                self.stack.pop();
                self.keys.pop();
            }
            b']' => {
                self.stack.pop();
            }
            b',' => match self.stack.last_mut() {
                Some(Some(n)) => *n += 1,
                Some(None) => self.expect_key = true,
                None => {}
            },
            b'"' => return self.string(i),
            b'-' | b'0'..=b'9' => return self.number(i),
            _ => {}
        }
        i + 1
    }

    /// A string starting at `i` (a key when one is expected).
    fn string(&mut self, start: usize) -> usize {
        let json = self.json;
        let mut i = start + 1;
        let mut escaped = false;
        while i < json.len() {
            match json[i] {
                b'\\' => escaped = true,
                b'"' => break,
                _ => {}
            }
            i += if json[i] == b'\\' { 2 } else { 1 };
        }
        i += 1;
        if self.expect_key {
            if let Some(k) = self.keys.last_mut() {
                *k = (start, i.min(json.len()), escaped);
            }
            self.expect_key = false;
        }
        i
    }

    /// A number starting at `start`, kept if it is read as a float.
    fn number(&mut self, start: usize) -> usize {
        let json = self.json;
        let mut i = start;
        while i < json.len() && matches!(json[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
            i += 1;
        }
        let text = &json[start..i];
        if read_as_float(text) {
            let pointer = self.pointer();
            self.out.push(Written {
                pointer,
                text: String::from_utf8_lossy(text).into_owned(),
            });
        }
        i
    }

    /// The JSON Pointer of the value being read.
    fn pointer(&self) -> String {
        let mut p = String::new();
        let mut k = self.keys.iter();
        for s in &self.stack {
            p.push('/');
            match s {
                Some(i) => p.push_str(&i.to_string()),
                None => {
                    let key = k.next().map_or(String::new(), |&(start, end, escaped)| {
                        let raw = &self.json[start..end];
                        if escaped {
                            serde_json::from_slice::<String>(raw).unwrap_or_default()
                        } else {
                            String::from_utf8_lossy(&raw[1..raw.len().saturating_sub(1)])
                                .into_owned()
                        }
                    });
                    p.push_str(&escape(&key));
                }
            }
        }
        p
    }
}

/// Whether serde_json reads this number text as a float (not as an i64 or
/// u64 exactly as written).
fn read_as_float(text: &[u8]) -> bool {
    if text.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) || text == b"-0" {
        return true;
    }
    // Only digits and a sign are left: at most 19 digits always fit.
    if text.len() <= 19 {
        return false;
    }
    let text = std::str::from_utf8(text).unwrap_or_default();
    text.parse::<i64>().is_err() && text.parse::<u64>().is_err()
}

/// `-2^63` as a float.
const MIN_I64: f64 = -9_223_372_036_854_775_808.0;

/// Moves every float -2^63 that [`scan`] found to the next float below
/// (-2^63 - 2048), so that the i64 range's `minimum` rejects it.
pub fn adjust(value: &mut Value, written: &[Written]) {
    for w in written {
        if let Some(v) = value.pointer_mut(&w.pointer) {
            if v.as_f64() == Some(MIN_I64) && v.is_f64() {
                *v = Value::from(-9_223_372_036_854_777_856.0_f64);
            }
        }
    }
}

/// Puts the text of the numbers back into the violations about them.
pub fn as_written(violations: &mut [Violation], value: &Value, written: &[Written]) {
    for v in violations.iter_mut() {
        let Some(w) = written.iter().find(|w| w.pointer == v.pointer) else {
            continue;
        };
        let Some(found) = &v.found else { continue };
        let Some(number) = value.pointer(&w.pointer) else {
            continue;
        };
        if *found != super::schema::describe(number) {
            continue;
        }
        if let Some(expected) = &v.expected {
            if v.message == format!("expected {expected}, found {found}") {
                v.message = format!("expected {expected}, found {}", w.text);
            }
        }
        v.found = Some(w.text.clone());
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numbers_read_as_floats_with_their_pointers() {
        let json = br#"{"a": 1, "b": [1.0, 2, {"c~/d": -9223372036854775809}], "e\"f": 4.09e2, "g": "1.5", "h": -0}"#;
        let found: Vec<(String, String)> = scan(json)
            .into_iter()
            .map(|w| (w.pointer, w.text))
            .collect();
        assert_eq!(
            found,
            [
                ("/b/0".to_string(), "1.0".to_string()),
                ("/b/2/c~0~1d".into(), "-9223372036854775809".into()),
                ("/e\"f".into(), "4.09e2".into()),
                ("/h".into(), "-0".into()),
            ]
        );
    }

    #[test]
    fn minus_two_to_the_63_as_a_float_moves_below_the_i64_range() {
        let json = br#"{"x": -9223372036854775809, "y": -9223372036854775808}"#;
        let mut v: Value = serde_json::from_slice(json).unwrap();
        adjust(&mut v, &scan(json));
        assert!(v["x"].as_f64().unwrap() < MIN_I64);
        assert_eq!(v["y"].as_i64(), Some(i64::MIN));
    }
}
