//! Standard Webhooks signatures (v1): `v1,` + base64 of the HMAC-SHA256 of
//! `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the secret's bytes
//! (a `whsec_` secret is `whsec_` + base64 of them). One signature header may
//! hold several space-separated signatures (key rotation): a delivery is
//! authentic when any of them matches any of the receiver's secrets. The
//! timestamp must lie within the tolerance of the receiver's clock, in both
//! directions (replays of old deliveries are refused).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Prefix of Standard Webhooks secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// A signing key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    key: Vec<u8>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        write!(f, "Secret({} bytes)", self.key.len())
    }
}

impl Secret {
    /// Reads `whsec_<base64>` (or bare base64, as the reference libraries
    /// accept). The error says what is wrong without echoing the secret.
    pub fn parse(text: &str) -> Result<Secret, String> {
        let b64 = text.trim();
        let b64 = b64.strip_prefix(SECRET_PREFIX).unwrap_or(b64);
        let key = STANDARD
            .decode(b64)
            .map_err(|e| format!("the secret is not `whsec_` followed by base64 ({e})"))?;
        if key.is_empty() {
            return Err("the secret is empty".into());
        }
        Ok(Secret { key })
    }

    /// A secret from raw key bytes.
    pub fn from_bytes(key: &[u8]) -> Secret {
        Secret { key: key.to_vec() }
    }

    /// The secret as `whsec_<base64>`.
    pub fn to_whsec(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.key))
    }

    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any size");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `v1,<base64>` signature of a delivery.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self
            .mac(id, &timestamp.to_string(), body)
            .finalize()
            .into_bytes();
        format!("v1,{}", STANDARD.encode(tag))
    }

    /// Whether `signature` (the base64 after `v1,`) is this key's signature
    /// of the delivery (constant-time comparison).
    fn matches(&self, id: &str, timestamp: &str, body: &[u8], signature: &str) -> bool {
        match STANDARD.decode(signature) {
            Ok(tag) if !tag.is_empty() => self.mac(id, timestamp, body).verify_slice(&tag).is_ok(),
            _ => false,
        }
    }
}

/// Why a delivery's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// A header is missing (its name).
    MissingHeader(String),
    /// The timestamp header is not a whole number of seconds.
    BadTimestamp(String),
    /// The timestamp is older than the tolerance allows (age in seconds).
    TooOld(i64),
    /// The timestamp is further in the future than the tolerance allows.
    TooNew(i64),
    /// No `v1,` signature in the header matches any secret.
    NoMatch,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::MissingHeader(h) => write!(f, "header `{h}` is missing"),
            VerifyError::BadTimestamp(t) => {
                write!(f, "timestamp `{t}` is not a whole number of seconds")
            }
            VerifyError::TooOld(age) => write!(
                f,
                "timestamp is {age} s old, outside the tolerance (a replay or a slow clock)"
            ),
            VerifyError::TooNew(ahead) => {
                write!(
                    f,
                    "timestamp is {ahead} s in the future, outside the tolerance"
                )
            }
            VerifyError::NoMatch => write!(f, "no signature matches (forged, or the wrong secret)"),
        }
    }
}

impl VerifyError {
    /// Short machine-readable kind (`missing-header`, `bad-timestamp`,
    /// `stale-timestamp`, `future-timestamp`, `bad-signature`).
    pub fn kind(&self) -> &'static str {
        match self {
            VerifyError::MissingHeader(_) => "missing-header",
            VerifyError::BadTimestamp(_) => "bad-timestamp",
            VerifyError::TooOld(_) => "stale-timestamp",
            VerifyError::TooNew(_) => "future-timestamp",
            VerifyError::NoMatch => "bad-signature",
        }
    }
}

/// Checks a delivery: `timestamp` within `tolerance` seconds of `now` (both
/// Unix seconds), then any `v1,` signature of the space-separated
/// `signatures` header made by any of `secrets`. Signatures of other
/// versions are ignored, as the specification asks.
pub fn verify(
    secrets: &[Secret],
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
    tolerance: u64,
) -> Result<(), VerifyError> {
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| VerifyError::BadTimestamp(timestamp.chars().take(40).collect()))?;
    let tolerance = i64::try_from(tolerance).unwrap_or(i64::MAX);
    let age = now.saturating_sub(ts);
    if age > tolerance {
        return Err(VerifyError::TooOld(age));
    }
    if -age > tolerance {
        return Err(VerifyError::TooNew(-age));
    }
    let timestamp = timestamp.trim();
    for sig in signatures.split(' ').filter(|s| !s.is_empty()) {
        let Some(b64) = sig.strip_prefix("v1,") else {
            continue;
        };
        if secrets.iter().any(|s| s.matches(id, timestamp, body, b64)) {
            return Ok(());
        }
    }
    Err(VerifyError::NoMatch)
}

/// The current time in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published v1 vectors (secret, id, timestamp, body, signature).
    const VECTORS: [(&str, &str, i64, &str, &str); 2] = [
        (
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
        (
            "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            1_649_367_553,
            r#"{"email":"test@example.com","username":"test_user"}"#,
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
        ),
    ];

    #[test]
    fn published_vectors_byte_for_byte() {
        for (secret, id, ts, body, sig) in VECTORS {
            let s = Secret::parse(secret).unwrap();
            assert_eq!(s.sign(id, ts, body.as_bytes()), sig);
            assert_eq!(s.to_whsec(), secret);
            verify(&[s], id, &ts.to_string(), sig, body.as_bytes(), ts, 300).unwrap();
        }
    }

    #[test]
    fn negative_controls_fail() {
        for (secret, id, ts, body, sig) in VECTORS {
            let s = [Secret::parse(secret).unwrap()];
            let t = ts.to_string();
            // One body byte flipped.
            let mut flipped = body.as_bytes().to_vec();
            flipped[3] ^= 0x01;
            assert_eq!(
                verify(&s, id, &t, sig, &flipped, ts, 300),
                Err(VerifyError::NoMatch)
            );
            // 301 s old (and 301 s ahead) with a 300 s tolerance; 300 s passes.
            assert_eq!(
                verify(&s, id, &t, sig, body.as_bytes(), ts + 301, 300),
                Err(VerifyError::TooOld(301))
            );
            assert_eq!(
                verify(&s, id, &t, sig, body.as_bytes(), ts - 301, 300),
                Err(VerifyError::TooNew(301))
            );
            verify(&s, id, &t, sig, body.as_bytes(), ts + 300, 300).unwrap();
            // An empty `v1,`, no header value, another version, another id.
            for bad in ["v1,", "", "v2,abc", "v1", " "] {
                assert_eq!(
                    verify(&s, id, &t, bad, body.as_bytes(), ts, 300),
                    Err(VerifyError::NoMatch),
                    "{bad:?}"
                );
            }
            assert_eq!(
                verify(&s, "msg_other", &t, sig, body.as_bytes(), ts, 300),
                Err(VerifyError::NoMatch)
            );
            // The timestamp is signed: the same signature under another one fails.
            assert_eq!(
                verify(&s, id, &(ts + 1).to_string(), sig, body.as_bytes(), ts, 300),
                Err(VerifyError::NoMatch)
            );
            assert!(matches!(
                verify(&s, id, "soon", sig, body.as_bytes(), ts, 300),
                Err(VerifyError::BadTimestamp(_))
            ));
        }
    }

    #[test]
    fn rotation_two_signatures_verify_with_either_secret() {
        let (old, id, ts, body, old_sig) = VECTORS[0];
        let old = Secret::parse(old).unwrap();
        let new = Secret::parse(VECTORS[1].0).unwrap();
        let new_sig = new.sign(id, ts, body.as_bytes());
        assert_ne!(new_sig, old_sig);
        let header = format!("{old_sig} {new_sig}");
        let t = ts.to_string();
        for secrets in [
            vec![old.clone()],
            vec![new.clone()],
            vec![new.clone(), old.clone()],
        ] {
            verify(&secrets, id, &t, &header, body.as_bytes(), ts, 300).unwrap();
        }
        let third = Secret::from_bytes(b"not either of them");
        assert_eq!(
            verify(&[third], id, &t, &header, body.as_bytes(), ts, 300),
            Err(VerifyError::NoMatch)
        );
    }

    #[test]
    fn secrets_are_checked_and_never_printed() {
        assert!(Secret::parse("whsec_!!!").is_err());
        assert!(Secret::parse("whsec_").is_err());
        let s = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(format!("{s:?}"), "Secret(24 bytes)");
        // Bare base64 is the same key.
        assert_eq!(
            Secret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(),
            s
        );
    }
}
