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
    let mut out = Vec::new();
    // One entry per open container: `Some(index)` in an array, `None` in an
    // object; `keys` holds the current key of each open object as the byte
    // range of its JSON string (quotes included) and whether it holds an
    // escape. Keys are decoded only to build the pointer of a number found,
    // so the common event (no such number) allocates nothing.
    let mut stack: Vec<Option<u64>> = Vec::new();
    let mut keys: Vec<(usize, usize, bool)> = Vec::new();
    let mut expect_key = false;
    let pointer = |stack: &[Option<u64>], keys: &[(usize, usize, bool)]| {
        let mut p = String::new();
        let mut k = keys.iter();
        for s in stack {
            p.push('/');
            match s {
                Some(i) => p.push_str(&i.to_string()),
                None => {
                    let key = k.next().map_or(String::new(), |&(start, end, escaped)| {
                        let raw = &json[start..end];
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
    };
    let mut i = 0;
    while i < json.len() {
        match json[i] {
            b'{' => {
                stack.push(None);
                keys.push((0, 0, false));
                expect_key = true;
                i += 1;
            }
            b'[' => {
                stack.push(Some(0));
                expect_key = false;
                i += 1;
            }
            b'}' => {
                stack.pop();
                keys.pop();
                i += 1;
            }
            b']' => {
                stack.pop();
                i += 1;
            }
            b',' => {
                match stack.last_mut() {
                    Some(Some(n)) => *n += 1,
                    Some(None) => expect_key = true,
                    None => {}
                }
                i += 1;
            }
            b'"' => {
                let start = i;
                i += 1;
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
                if expect_key {
                    if let Some(k) = keys.last_mut() {
                        *k = (start, i.min(json.len()), escaped);
                    }
                    expect_key = false;
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < json.len()
                    && matches!(json[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let text = &json[start..i];
                if read_as_float(text) {
                    out.push(Written {
                        pointer: pointer(&stack, &keys),
                        text: String::from_utf8_lossy(text).into_owned(),
                    });
                }
            }
            _ => i += 1,
        }
    }
    out
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
