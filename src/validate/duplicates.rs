//! Duplicate object keys in an event (`{"status": "bogus", "status":
//! "open"}`). JSON parsers disagree on which one wins (serde_json keeps the
//! last), so a producer sending both is breaking the contract whatever the
//! schema says.
//!
//! Cheap in the common case: the object members of the raw text are counted
//! (one pass over the bytes) and compared with the members of the parsed
//! value; only when they differ is the text walked again to name the
//! duplicated keys.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A `duplicate-key` violation for every duplicated key of `bytes` (which
/// parsed as `value`), in document order.
pub fn violations(bytes: &[u8], value: &Value) -> Vec<super::schema::Violation> {
    duplicate_keys(bytes, value)
        .into_iter()
        .map(|pointer| {
            let key = pointer.rsplit('/').next().unwrap_or_default();
            let key = key.replace("~1", "/").replace("~0", "~");
            let message = format!("key `{key}` appears more than once in its object (parsers disagree on which value wins)");
            super::schema::Violation::other(pointer, "duplicate-key", message)
        })
        .collect()
}

/// JSON Pointers of every duplicated key of `bytes` (which parsed as
/// `value`), in text order; empty when there are none.
pub fn duplicate_keys(bytes: &[u8], value: &Value) -> Vec<String> {
    if members_in_text(bytes) == members_in_value(value) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // The text parsed once already: this cannot fail for another reason.
    let _ = Walk {
        pointer: String::new(),
        out: &mut out,
    }
    .deserialize(&mut de);
    out
}

/// Object members in a JSON text: the `:` outside strings.
fn members_in_text(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut in_str = false;
    let mut esc = false;
    for &b in bytes {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
        } else if b == b'"' {
            in_str = true;
        } else if b == b':' {
            n += 1;
        }
    }
    n
}

/// Object members in a parsed value (its depth is bounded by the parser).
fn members_in_value(v: &Value) -> usize {
    match v {
        Value::Object(o) => o.len() + o.values().map(members_in_value).sum::<usize>(),
        Value::Array(a) => a.iter().map(members_in_value).sum(),
        _ => 0,
    }
}

/// Walks a JSON text recording duplicated keys.
struct Walk<'a> {
    pointer: String,
    out: &'a mut Vec<String>,
}

impl Walk<'_> {
    fn child(&mut self, token: &str) -> Walk<'_> {
        let token = token.replace('~', "~0").replace('/', "~1");
        Walk {
            pointer: format!("{}/{token}", self.pointer),
            out: self.out,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        while seq.next_element_seed(self.child(&i.to_string()))?.is_some() {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(&key);
            if seen.contains(&key) {
                child.out.push(child.pointer.clone());
            }
            map.next_value_seed(child)?;
            seen.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dups(text: &str) -> Vec<String> {
        let value: Value = serde_json::from_str(text).unwrap();
        duplicate_keys(text.as_bytes(), &value)
    }

    #[test]
    fn finds_duplicates_at_every_depth() {
        assert_eq!(dups(r#"{"status":"bogus","status":"open"}"#), ["/status"]);
        assert_eq!(
            dups(r#"{"code":"a","data":{"x":[{"k":1,"k":2}]},"code":"b"}"#),
            ["/data/x/0/k", "/code"]
        );
        assert_eq!(dups(r#"{"a/b~":{"":1,"":2}}"#), ["/a~1b~0/"]);
    }

    #[test]
    fn no_false_positives() {
        assert!(dups(r#"{"a":"x:y","b":{"a":1},"c":["a","a"],"d\"":1,"d":2}"#).is_empty());
        assert!(dups(r#"{"k":"\\","l":"\":"}"#).is_empty());
    }
}
