//! One delivery as a producer makes it: sign, POST, and retry on the
//! catalog's schedule until the endpoint answers 2xx (received) or `410`
//! (gone: stop), honouring `Retry-After` on `503` and `429`; then judge the
//! answer against what the event is ([`Expect`]).

use std::time::{Duration, Instant};

use eventcat_codegen::model::Delivery;

use super::signature::{now, Secret};

/// What a consumer must answer to a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// A valid or consumer-side event, correctly signed: 2xx.
    Accept,
    /// An invalid event, or a forged or stale signature: 4xx.
    Reject,
    /// Nothing is required (an event whose verdict is the consumer's choice,
    /// such as an undeclared field, which consumers may ignore).
    Either,
}

impl Expect {
    /// `accept`, `reject`, `either`.
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Accept => "accept",
            Expect::Reject => "reject",
            Expect::Either => "either",
        }
    }
}

/// How a delivery is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// With the secrets, at the current time.
    Genuine,
    /// With a key that is not the secret (a forgery).
    Forged,
    /// With the secrets, but a timestamp older than the tolerance (a replay).
    Stale,
}

impl Signing {
    /// `genuine`, `forged`, `stale`.
    pub fn as_str(self) -> &'static str {
        match self {
            Signing::Genuine => "genuine",
            Signing::Forged => "forged-signature",
            Signing::Stale => "stale-timestamp",
        }
    }
}

/// The sender's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Endpoint URL.
    pub to: String,
    /// Secrets to sign with (one signature each, for rotations).
    pub secrets: Vec<Secret>,
    /// The catalog's rules.
    pub delivery: Delivery,
    /// Multiplies every wait of the retry schedule (tests: `0.001`).
    pub retry_scale: f64,
    /// Longest wait a `Retry-After` may ask for.
    pub max_retry_after: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
    /// At most this many attempts (first one included).
    pub max_attempts: usize,
    /// Say on stderr when a delivery waits a second or more before its next
    /// attempt (the report itself comes at the end, in input order).
    pub progress: bool,
}

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx.
    Received(u16),
    /// A 4xx: to a delivery that may be rejected (not 408, 410, 429), the
    /// consumer's verdict, final; to one that must be received, the last
    /// answer once the attempts are exhausted.
    Rejected(u16),
    /// `410 Gone`: the endpoint asks the sender to stop.
    Gone,
    /// Attempts exhausted: the last status, or the last transport error.
    Failed(String),
    /// Not sent: an earlier delivery got `410`.
    NotSent,
}

/// One delivery's result.
#[derive(Debug, Clone)]
pub struct Attempted {
    /// How it ended.
    pub outcome: Outcome,
    /// Requests made.
    pub attempts: usize,
    /// From the first request to the last answer, waits included.
    pub elapsed: Duration,
    /// Time of the last request alone.
    pub last_latency: Duration,
    /// The first 300 bytes of the last answer's body.
    pub answer: String,
}

impl Outcome {
    /// The last HTTP status, if there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Received(s) | Outcome::Rejected(s) => Some(*s),
            Outcome::Gone => Some(410),
            Outcome::Failed(s) => s.parse().ok(),
            Outcome::NotSent => None,
        }
    }
}

/// Whether `outcome` breaks the contract for `expect`, and why.
pub fn judge(expect: Expect, signing: Signing, outcome: &Outcome) -> Option<String> {
    let what = match signing {
        Signing::Genuine => match expect {
            Expect::Reject => "an invalid event",
            _ => "a valid event",
        },
        Signing::Forged => "a forged signature",
        Signing::Stale => "a stale timestamp",
    };
    match (expect, outcome) {
        (Expect::Either, _) | (Expect::Accept, Outcome::Received(_)) => None,
        (Expect::Reject, Outcome::Rejected(_)) => None,
        (Expect::Accept, Outcome::Rejected(s)) => Some(format!("rejected {what} ({s})")),
        (Expect::Accept, Outcome::Failed(s)) => {
            Some(format!("{what} was not received (last answer: {s})"))
        }
        (_, Outcome::Gone) => Some("the endpoint answered 410 Gone: deliveries stopped".into()),
        (_, Outcome::NotSent) => Some("not sent: the endpoint answered 410 Gone before".into()),
        (Expect::Reject, Outcome::Received(s)) => Some(format!("accepted {what} ({s})")),
        (Expect::Reject, Outcome::Failed(s)) => {
            Some(format!("no 4xx verdict on {what} (last answer: {s})"))
        }
    }
}

/// An HTTP client for the sender.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .user_agent(concat!("eventcat/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// A key that is not the secret, for forged deliveries.
fn forger() -> Secret {
    Secret::from_bytes(b"eventcat --tamper: not the secret")
}

/// What one request got back.
struct Response {
    /// The status, or the transport error.
    status: Result<u16, String>,
    /// `Retry-After`, in seconds.
    retry_after: Option<u64>,
    /// The first 300 characters of the body.
    answer: String,
    /// Time of the request alone.
    latency: Duration,
}

impl Response {
    /// The status, or the transport error, as the report says it.
    fn status_text(&self) -> String {
        match &self.status {
            Ok(s) => s.to_string(),
            Err(e) => e.clone(),
        }
    }

    /// How this answer ends the delivery with no retry, if it does:
    /// received, gone, or rejected (when a 4xx verdict is allowed; not
    /// 408 or 429, which ask for a retry).
    fn settled(&self, expect: Expect) -> Option<Outcome> {
        match self.status {
            Ok(s) if (200..300).contains(&s) => Some(Outcome::Received(s)),
            Ok(410) => Some(Outcome::Gone),
            Ok(s)
                if expect != Expect::Accept && (400..500).contains(&s) && s != 408 && s != 429 =>
            {
                Some(Outcome::Rejected(s))
            }
            _ => None,
        }
    }

    /// How the delivery ends when this was its last attempt.
    fn exhausted(&self, expect: Expect) -> Outcome {
        match self.status {
            Ok(s) if (400..500).contains(&s) && expect == Expect::Accept => Outcome::Rejected(s),
            _ => Outcome::Failed(self.status_text()),
        }
    }
}

/// The timestamp and signature header of an attempt, as `signing` says.
fn sign(settings: &Settings, id: &str, body: &[u8], signing: Signing) -> (i64, String) {
    let ts = match signing {
        Signing::Stale => now() - (settings.delivery.tolerance_ms / 1000) as i64 - 60,
        _ => now(),
    };
    let signature = match signing {
        Signing::Forged => forger().sign(id, ts, body),
        _ => settings
            .secrets
            .iter()
            .map(|s| s.sign(id, ts, body))
            .collect::<Vec<_>>()
            .join(" "),
    };
    (ts, signature)
}

/// Signs and POSTs `body` once.
fn attempt(
    agent: &ureq::Agent,
    settings: &Settings,
    id: &str,
    body: &[u8],
    signing: Signing,
) -> Response {
    let d = &settings.delivery;
    let (ts, signature) = sign(settings, id, body, signing);
    let t0 = Instant::now();
    let result = agent
        .post(&settings.to)
        .header("content-type", "application/json")
        .header(d.id_header.as_str(), id)
        .header(d.timestamp_header.as_str(), ts.to_string())
        .header(d.signature_header.as_str(), signature)
        .send(body);
    let latency = t0.elapsed();
    let (status, retry_after, answer) = match result {
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let answer = resp
                .body_mut()
                .with_config()
                .limit(64 << 10)
                .read_to_string()
                .unwrap_or_default();
            (Ok(status), retry_after, answer)
        }
        Err(e) => (Err(e.to_string()), None, String::new()),
    };
    Response {
        status,
        retry_after,
        answer: answer.chars().take(300).collect(),
        latency,
    }
}

/// The wait before retry `retry_index`: what a `503` or `429` asks with
/// `Retry-After` (at most `--max-retry-after`), else the schedule's, scaled.
fn wait(settings: &Settings, response: &Response, retry_index: usize) -> Duration {
    match (&response.status, response.retry_after) {
        (Ok(503 | 429), Some(secs)) => Duration::from_secs(secs).min(settings.max_retry_after),
        _ => Duration::from_secs_f64(
            settings.delivery.retry_ms[retry_index] as f64 / 1000.0 * settings.retry_scale.max(0.0),
        ),
    }
}

/// Makes one delivery of `body` with id `id`, retrying as the rules say.
pub fn deliver(
    agent: &ureq::Agent,
    settings: &Settings,
    id: &str,
    body: &[u8],
    expect: Expect,
    signing: Signing,
) -> Attempted {
    let start = Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let response = attempt(agent, settings, id, body, signing);
        let done = |outcome| Attempted {
            outcome,
            attempts,
            elapsed: start.elapsed(),
            last_latency: response.latency,
            answer: response.answer.clone(),
        };
        if let Some(outcome) = response.settled(expect) {
            return done(outcome);
        }
        // Retry, or give up.
        let retry_index = attempts - 1;
        if attempts >= settings.max_attempts || retry_index >= settings.delivery.retry_ms.len() {
            return done(response.exhausted(expect));
        }
        let wait = wait(settings, &response, retry_index);
        if settings.progress && wait >= Duration::from_secs(1) {
            eprintln!(
                "{id}: {} (attempt {attempts} of {}); next attempt in {}",
                response.status_text(),
                settings.max_attempts,
                eventcat_codegen::model::format_duration(wait.as_millis() as u64)
            );
        }
        std::thread::sleep(wait);
    }
}
