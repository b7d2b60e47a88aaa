//! The lines of `eventcat listen --capture FILE`: one JSON object per
//! delivery,
//!
//! ```text
//! {"eventcat_capture":{"n":1,"received_at_ms":...,"status":204,"verified":true,"headers":{...}},"event":<the body>}
//! ```
//!
//! with the metadata first and the body, as received, last (its line ends
//! turned into spaces, which JSON reads the same). `eventcat validate` reads
//! such a line as the event it holds, byte for byte ([`event_range`]), so
//! line numbers, numbers as written and duplicate keys are reported as for
//! any other input.

use serde_json::{json, Map, Value};

/// How a capture line starts.
pub const PREFIX: &[u8] = br#"{"eventcat_capture":"#;
const EVENT_KEY: &[u8] = br#","event":"#;

/// One capture line (with its `\n`).
pub fn line(
    n: u64,
    status: u16,
    verified: bool,
    headers: &[(String, String)],
    body: &[u8],
) -> Vec<u8> {
    let mut h = Map::new();
    for (k, v) in headers {
        h.insert(k.to_ascii_lowercase(), Value::String(v.clone()));
    }
    let received_at_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let meta = json!({
        "n": n,
        "received_at_ms": received_at_ms,
        "status": status,
        "verified": verified,
        "headers": h,
    });
    let mut out = Vec::with_capacity(body.len() + 256);
    out.extend_from_slice(PREFIX);
    out.extend_from_slice(meta.to_string().as_bytes());
    out.extend_from_slice(EVENT_KEY);
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        out.extend_from_slice(b"null");
    } else {
        out.extend(
            trimmed
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
        );
    }
    out.extend_from_slice(b"}\n");
    out
}

/// Where the event of a capture line is, when `bytes` (one whole top-level
/// JSON value) is one: `Some((start, end))`, else `None` (an ordinary
/// event).
pub fn event_range(bytes: &[u8]) -> Option<(usize, usize)> {
    if !bytes.starts_with(PREFIX) {
        return None;
    }
    // Skip the metadata object: serde_json reads one value and says where
    // it ended.
    let mut values = serde_json::Deserializer::from_slice(&bytes[PREFIX.len()..])
        .into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    let i = PREFIX.len() + values.byte_offset();
    let rest = bytes.get(i..)?;
    if !rest.starts_with(EVENT_KEY) {
        return None;
    }
    let start = i + EVENT_KEY.len();
    let mut end = bytes.len();
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if end <= start || bytes[end - 1] != b'}' {
        return None;
    }
    end -= 1;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_line_holds_the_body_byte_for_byte() {
        let body = br#"{"code": "a.b", "data": {"s": "}{\"", "n": 1.0}}"#;
        let headers = vec![("Webhook-Id".to_string(), "msg_1\"}".to_string())];
        let l = line(3, 204, true, &headers, body);
        assert!(l.ends_with(b"}\n"));
        let text = &l[..l.len() - 1];
        let v: Value = serde_json::from_slice(text).unwrap();
        assert_eq!(v["eventcat_capture"]["headers"]["webhook-id"], "msg_1\"}");
        assert_eq!(v["eventcat_capture"]["status"], 204);
        let (s, e) = event_range(text).unwrap();
        assert_eq!(&text[s..e], body);
        assert_eq!(event_range(body), None);
        // Line ends in a pretty-printed body become spaces: still one line.
        let l = line(1, 400, false, &[], b"{\n  \"code\": 1\n}\n");
        assert_eq!(l.iter().filter(|&&b| b == b'\n').count(), 1);
    }
}
