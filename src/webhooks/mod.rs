//! Webhooks over HTTP: `eventcat send` (a producer that signs and delivers
//! events and judges the consumer's answers) and `eventcat listen` (a
//! receiver that verifies signatures and validates every delivery as
//! `eventcat validate` does).
//!
//! - [`signature`]: Standard Webhooks v1 signing and verification;
//! - [`send`]: deliveries with the catalog's retry rules, and their verdicts;
//! - [`listen`]: the receiver;
//! - [`capture`]: the NDJSON lines `listen --capture` writes and
//!   `eventcat validate` reads back.

pub mod capture;
pub mod listen;
pub mod send;
pub mod signature;

use eventcat_codegen::model::{Catalog, Delivery};

pub use signature::{Secret, VerifyError};

/// Environment variable holding the secret when `--secret` is not given.
pub const SECRET_ENV: &str = "EVENTCAT_SECRET";

/// The catalog's delivery rules, or the Standard Webhooks defaults.
pub fn delivery(catalog: &Catalog) -> Delivery {
    catalog.delivery.clone().unwrap_or_default()
}

/// The secrets of `--secret` (repeatable), else of `EVENTCAT_SECRET`
/// (space-separated, for a rotation). Empty when neither is set.
pub fn secrets(args: &[String]) -> Result<Vec<Secret>, String> {
    let texts: Vec<String> = if args.is_empty() {
        std::env::var(SECRET_ENV)
            .ok()
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default()
    } else {
        args.to_vec()
    };
    texts
        .iter()
        .map(|t| Secret::parse(t))
        .collect::<Result<Vec<_>, _>>()
}

/// Reads a `--timeout`-style duration (`"500ms"`, `"5s"`, `"2m"`; a bare
/// number is seconds).
pub fn parse_duration_arg(text: &str) -> Result<std::time::Duration, String> {
    let t = text.trim();
    let ms = if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<u64>()
            .ok()
            .and_then(|s| s.checked_mul(1000))
            .ok_or_else(|| format!("`{text}` is too long"))?
    } else {
        eventcat_codegen::model::parse_duration(t)?
    };
    Ok(std::time::Duration::from_millis(ms))
}

/// The `p`-th percentile (0..=100) of sorted values (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
