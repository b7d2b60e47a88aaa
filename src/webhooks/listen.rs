//! The receiver behind `eventcat listen`: one delivery at a time, verify
//! the signature, validate the body with the same code as `eventcat
//! validate` ([`crate::validate::dispatch::check_batch`] on the body cut by
//! [`crate::validate::reader::cut`]), answer, and count.

use std::io::Read;
use std::time::{Duration, Instant};

use eventcat_codegen::model::Delivery;
use serde_json::{json, Value};

use super::signature::{now, verify, Secret, VerifyError};
use crate::validate::dispatch::{check_batch, Counts, Finding};
use crate::validate::report::violation_json;
use crate::validate::{Validators, MAX_UNKNOWN_CODES};

/// Largest body read; a larger one is answered `413`.
pub const MAX_BODY: usize = 16 << 20;

/// A received request, as the judge sees it.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: String,
    /// Headers as received (names as sent).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// A header's value (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The verdict on one delivery.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Authentic and valid.
    Valid {
        /// Its code.
        code: String,
    },
    /// Authentic, but it breaks the contract.
    Invalid {
        /// The code it carries, if any.
        code: Option<String>,
        /// What `validate` found (may be several findings for a body that
        /// holds more than one value).
        findings: Vec<Finding>,
        /// A problem of the delivery itself (not exactly one event).
        problem: Option<String>,
    },
    /// The signature or timestamp was refused: the body was not judged.
    Unauthentic(VerifyError),
    /// Not a delivery (`GET`, ...).
    NotAllowed,
}

impl Verdict {
    /// The HTTP status to answer.
    pub fn status(&self) -> u16 {
        match self {
            Verdict::Valid { .. } => 204,
            Verdict::Invalid { .. } => 400,
            Verdict::Unauthentic(_) => 401,
            Verdict::NotAllowed => 405,
        }
    }

    /// The JSON answer body (`None` for 204).
    pub fn answer(&self) -> Option<Value> {
        match self {
            Verdict::Valid { .. } => None,
            Verdict::Invalid {
                findings, problem, ..
            } => {
                let mut violations: Vec<Value> = findings
                    .iter()
                    .flat_map(|f| {
                        f.violations
                            .iter()
                            .map(move |v| violation_json("<delivery>", f, v))
                    })
                    .collect();
                if let Some(p) = problem {
                    violations.push(json!({ "kind": "delivery", "message": p }));
                }
                Some(json!({ "ok": false, "violations": violations }))
            }
            Verdict::Unauthentic(e) => Some(json!({
                "ok": false,
                "error": e.kind(),
                "message": e.to_string(),
            })),
            Verdict::NotAllowed => Some(json!({
                "ok": false,
                "error": "method",
                "message": "webhook deliveries are POST requests",
            })),
        }
    }

    /// One line for people: `valid`, or `invalid: /ptr: message (+N more)`.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Valid { .. } => "valid".into(),
            Verdict::Invalid {
                findings, problem, ..
            } => {
                let all: Vec<String> = findings
                    .iter()
                    .flat_map(|f| f.violations.iter())
                    .map(|v| {
                        let p = if v.pointer.is_empty() {
                            "-"
                        } else {
                            &v.pointer
                        };
                        format!("{p}: {}", v.message)
                    })
                    .chain(problem.clone())
                    .collect();
                match all.len() {
                    0 => "invalid".into(),
                    1 => format!("invalid: {}", all[0]),
                    n => format!("invalid: {} (+{} more)", all[0], n - 1),
                }
            }
            Verdict::Unauthentic(e) => format!("refused: {} ({e})", e.kind()),
            Verdict::NotAllowed => "not a POST".into(),
        }
    }

    /// The code, when one was read.
    pub fn code(&self) -> Option<&str> {
        match self {
            Verdict::Valid { code } => Some(code),
            Verdict::Invalid { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}

/// The receiver's state: what it checks with, and what it has counted.
pub struct Judge<'a> {
    /// The catalog's validators (as `validate` builds them).
    pub validators: &'a Validators,
    /// Secrets a signature may be made with; `None`: signatures not checked.
    pub secrets: Option<Vec<Secret>>,
    /// The catalog's delivery rules (headers, tolerance).
    pub delivery: Delivery,
    /// Counts of the deliveries judged valid or invalid, as `validate` counts.
    pub counts: Counts,
    /// Deliveries refused for their signature.
    pub unauthentic: u64,
    /// Requests that were not deliveries.
    pub not_allowed: u64,
}

impl<'a> Judge<'a> {
    /// A judge with nothing counted yet.
    pub fn new(
        validators: &'a Validators,
        secrets: Option<Vec<Secret>>,
        delivery: Delivery,
    ) -> Self {
        Judge {
            counts: Counts::new(validators.codes().len()),
            validators,
            secrets,
            delivery,
            unauthentic: 0,
            not_allowed: 0,
        }
    }

    /// Judges one request, at `now` (Unix seconds), and counts it.
    pub fn judge_at(&mut self, req: &Request, now: i64) -> Verdict {
        if !req.method.eq_ignore_ascii_case("POST") {
            self.not_allowed += 1;
            return Verdict::NotAllowed;
        }
        if let Some(secrets) = &self.secrets {
            let d = &self.delivery;
            let get = |name: &str| {
                req.header(name)
                    .ok_or_else(|| VerifyError::MissingHeader(name.to_string()))
            };
            let checked = get(&d.id_header).and_then(|id| {
                let ts = get(&d.timestamp_header)?;
                let sig = get(&d.signature_header)?;
                verify(secrets, id, ts, sig, &req.body, now, d.tolerance_ms / 1000)
            });
            if let Err(e) = checked {
                self.unauthentic += 1;
                return Verdict::Unauthentic(e);
            }
        }
        self.validate(&req.body)
    }

    /// Judges one request now.
    pub fn judge(&mut self, req: &Request) -> Verdict {
        self.judge_at(req, now())
    }

    /// Validates a body as `eventcat validate` validates one input holding
    /// it, and counts it. A body must hold exactly one event.
    pub fn validate(&mut self, body: &[u8]) -> Verdict {
        let mut findings = Vec::new();
        let mut counts = Counts::new(self.validators.codes().len());
        for batch in crate::validate::reader::cut(body) {
            let checked = check_batch(&batch, self.validators);
            findings.extend(checked.findings);
            counts.add(&checked.counts, MAX_UNKNOWN_CODES);
        }
        let problem = match counts.events {
            0 => {
                // Count an empty body as one malformed event.
                counts.events = 1;
                counts.invalid = 1;
                counts.malformed = 1;
                Some("the body holds no event".to_string())
            }
            1 => None,
            n => Some(format!(
                "the body holds {n} JSON values; a delivery is one event"
            )),
        };
        let code = findings
            .iter()
            .find_map(|f| f.code.clone())
            .or_else(|| self.first_code(&counts));
        self.counts.add(&counts, MAX_UNKNOWN_CODES);
        if findings.is_empty() && problem.is_none() {
            Verdict::Valid {
                code: code.unwrap_or_default(),
            }
        } else {
            Verdict::Invalid {
                code,
                findings,
                problem,
            }
        }
    }

    fn first_code(&self, counts: &Counts) -> Option<String> {
        counts
            .per_code
            .iter()
            .position(|(n, _)| *n > 0)
            .map(|i| self.validators.codes()[i].clone())
    }
}

/// Reads a tiny_http request into a [`Request`]; `Err` when the body is too
/// large or unreadable (answer 413 / 400).
pub fn read_request(req: &mut tiny_http::Request) -> Result<Request, (u16, String)> {
    let headers = req
        .headers()
        .iter()
        .map(|h| {
            (
                h.field.as_str().as_str().to_string(),
                h.value.as_str().to_string(),
            )
        })
        .collect();
    if req.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err((
            413,
            format!("the body is larger than {} MiB", MAX_BODY >> 20),
        ));
    }
    let mut body = Vec::new();
    let mut reader = req.as_reader().take(MAX_BODY as u64 + 1);
    if let Err(e) = reader.read_to_end(&mut body) {
        return Err((400, format!("cannot read the body: {e}")));
    }
    if body.len() > MAX_BODY {
        return Err((
            413,
            format!("the body is larger than {} MiB", MAX_BODY >> 20),
        ));
    }
    Ok(Request {
        method: req.method().as_str().to_string(),
        headers,
        body,
    })
}

/// A JSON answer.
pub fn json_response(
    status: u16,
    body: Option<&Value>,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let mut r = tiny_http::Response::from_data(bytes).with_status_code(status);
    if body.is_some() {
        r.add_header(
            tiny_http::Header::from_bytes(&b"content-type"[..], &b"application/json"[..])
                .expect("a valid header"),
        );
    }
    r
}

/// When the listener stops on its own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// After this many deliveries.
    pub max: Option<u64>,
    /// After this long.
    pub timeout: Option<Duration>,
}

impl Limits {
    /// Whether a listener that started at `start` and took `seen` requests is done.
    pub fn reached(&self, start: Instant, seen: u64) -> bool {
        self.max.is_some_and(|m| seen >= m) || self.timeout.is_some_and(|t| start.elapsed() >= t)
    }
}
