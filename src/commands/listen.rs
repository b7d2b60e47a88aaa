//! `eventcat listen`: a local webhook receiver that verifies each
//! delivery's signature and validates its body as `eventcat validate` does
//! (the producer contract over HTTP).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::output::{load_checked, Format};
use crate::validate::report::{Detail, Summary};
use crate::validate::{Engine, Validators};
use crate::webhooks::listen::{json_response, read_request, Judge, Limits, Request, Verdict};
use crate::webhooks::{self, capture, percentile, Secret};

/// Arguments of `eventcat listen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Port to listen on (`0`: any free port; the address is printed).
    #[arg(long, short, default_value_t = 8787)]
    pub port: u16,
    /// Address to bind. The default accepts connections from this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Secret signatures are checked with, `whsec_...` (repeat it to accept
    /// several keys during a rotation). Default: `$EVENTCAT_SECRET`.
    #[arg(long, value_name = "SECRET")]
    pub secret: Vec<String>,
    /// Do not check signatures (only with no secret given).
    #[arg(long)]
    pub no_verify: bool,
    /// Accept fields the catalog does not declare (as `validate` does with it).
    #[arg(long)]
    pub allow_unknown_fields: bool,
    /// Append every delivery (headers, status and body) to FILE, one JSON
    /// line each; `eventcat validate FILE` checks the bodies again.
    #[arg(long, value_name = "FILE")]
    pub capture: Option<PathBuf>,
    /// Pass valid deliveries on to this URL (same body and headers) and
    /// answer with its status.
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,
    /// Stop after N deliveries.
    #[arg(long, value_name = "N")]
    pub max: Option<u64>,
    /// Stop after this long (`30s`, `5m`; a bare number is seconds).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Print only rejected deliveries, and no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let (catalog, strict) = load_checked(&args.catalog.catalog, Format::Human)?;
    // The engine `validate` uses by default: the same verdicts.
    let validators = if args.allow_unknown_fields {
        Validators::with_engine(&catalog, true, Engine::Compiled)?
    } else {
        strict
    };
    Ok(listen(args, catalog, validators)?)
}

/// The secrets signatures are checked with, or `None` with `--no-verify`.
fn verifying_secrets(args: &Args) -> Result<Option<Vec<Secret>>, String> {
    let secrets = webhooks::secrets(&args.secret)?;
    match (secrets.is_empty(), args.no_verify) {
        (false, false) => Ok(Some(secrets)),
        (true, true) => Ok(None),
        (false, true) => Err("--no-verify with a secret: give one or the other".into()),
        (true, false) => Err(format!(
            "no secret to verify signatures with: pass --secret whsec_..., set {}, or --no-verify",
            webhooks::SECRET_ENV
        )),
    }
}

/// When to stop: `--max` and `--timeout`.
fn limits(args: &Args) -> Result<Limits, String> {
    Ok(Limits {
        max: args.max,
        timeout: args
            .timeout
            .as_deref()
            .map(webhooks::parse_duration_arg)
            .transpose()
            .map_err(|e| format!("--timeout: {e}"))?,
    })
}

/// Refuses a `--forward-to` that is not an http(s) URL.
fn check_forward_to(args: &Args) -> Result<(), String> {
    match &args.forward_to {
        Some(url) if !(url.starts_with("http://") || url.starts_with("https://")) => Err(format!(
            "--forward-to `{url}` is not an http:// or https:// URL"
        )),
        _ => Ok(()),
    }
}

/// Opens the `--capture` file for appending, if one is given.
fn open_capture(args: &Args) -> Result<Option<File>, String> {
    args.capture
        .as_ref()
        .map(|p| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| format!("cannot open `{}`: {e}", p.display()))
        })
        .transpose()
}

/// A flag Ctrl-C sets.
fn interrupt_flag() -> Arc<AtomicBool> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&interrupted);
    // A second handler cannot be set in one process; listening still works.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    interrupted
}

/// Binds the server, and says where it listens and what it checks.
fn bind(
    args: &Args,
    catalog: &eventcat_codegen::Catalog,
    validators: &Validators,
    verifying: bool,
) -> Result<tiny_http::Server, String> {
    let server = tiny_http::Server::http((args.host.as_str(), args.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    eprintln!(
        "listening on http://{addr}/ ({} codes of {} {}; signatures {})",
        validators.codes().len(),
        catalog.name,
        catalog.version,
        if verifying { "checked" } else { "NOT checked" }
    );
    Ok(server)
}

/// Answers deliveries until interrupted or a limit is reached, then sums
/// up: a violation when any delivery was rejected.
fn listen(
    args: &Args,
    catalog: eventcat_codegen::Catalog,
    validators: Validators,
) -> Result<Outcome, String> {
    let secrets = verifying_secrets(args)?;
    let limits = limits(args)?;
    check_forward_to(args)?;
    let capture_file = open_capture(args)?;
    let delivery = webhooks::delivery(&catalog);
    let forward_agent = webhooks::send::agent(Duration::from_millis(delivery.timeout_ms));
    let server = bind(args, &catalog, &validators, secrets.is_some())?;

    let interrupted = interrupt_flag();
    let mut session = Session {
        args,
        judge: Judge::new(&validators, secrets, delivery),
        forward_agent,
        capture_file,
        seen: 0,
        rejected: 0,
        latencies: Vec::new(),
    };
    let start = Instant::now();
    while !interrupted.load(Ordering::SeqCst) && !limits.reached(start, session.seen) {
        match server.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(req)) => session.handle(req),
            Ok(None) => {}
            Err(e) => return Err(format!("cannot accept: {e}")),
        }
    }
    drop(server);
    let _ = std::io::stdout().flush();

    if !args.quiet {
        let why = if interrupted.load(Ordering::SeqCst) {
            "interrupted"
        } else if limits.max.is_some_and(|m| session.seen >= m) {
            "--max reached"
        } else {
            "--timeout reached"
        };
        session.print_summary(why, start, &catalog);
    }
    Ok(if session.rejected > 0 {
        Outcome::Violation
    } else {
        Outcome::Ok
    })
}

/// A listening run between deliveries: the judge, where deliveries go, and
/// what has been counted.
struct Session<'a> {
    args: &'a Args,
    judge: Judge<'a>,
    /// The client that passes valid deliveries on (`--forward-to`).
    forward_agent: ureq::Agent,
    /// The `--capture` file, until a write to it fails.
    capture_file: Option<File>,
    seen: u64,
    rejected: u64,
    /// Handling time of each delivery, in milliseconds.
    latencies: Vec<f64>,
}

impl Session<'_> {
    /// Reads, judges, answers, captures and prints one delivery.
    fn handle(&mut self, mut req: tiny_http::Request) {
        let t0 = Instant::now();
        self.seen += 1;
        let seen = self.seen;
        let request = match read_request(&mut req) {
            Ok(r) => r,
            Err((status, msg)) => {
                self.rejected += 1;
                let body = serde_json::json!({ "ok": false, "error": "body", "message": msg });
                let _ = req.respond(json_response(status, Some(&body)));
                let _ = writeln!(std::io::stdout().lock(), "#{seen} {status} - {msg}");
                return;
            }
        };
        let verdict = self.judge.judge(&request);
        let (status, answer, note) = match (&verdict, &self.args.forward_to) {
            (Verdict::Valid { .. }, Some(url)) => forward(&self.forward_agent, url, &request),
            _ => (verdict.status(), verdict.answer(), String::new()),
        };
        let _ = req.respond(json_response(status, answer.as_ref()));
        let elapsed = t0.elapsed();
        self.latencies.push(elapsed.as_secs_f64() * 1000.0);
        let ok = (200..300).contains(&status);
        if !ok {
            self.rejected += 1;
        }
        self.capture(status, &verdict, &request);
        if !self.args.quiet || !ok {
            let id = request
                .header(&self.judge.delivery.id_header)
                .unwrap_or("-");
            let _ = writeln!(
                std::io::stdout().lock(),
                "#{seen} {status} {} {id} {}{note} ({:.1} ms)",
                verdict.code().filter(|c| !c.is_empty()).unwrap_or("-"),
                verdict.describe(),
                elapsed.as_secs_f64() * 1000.0
            );
        }
    }

    /// Appends the delivery to the capture file; stops capturing when the
    /// file cannot be written.
    fn capture(&mut self, status: u16, verdict: &Verdict, request: &Request) {
        let Some(f) = self.capture_file.as_mut() else {
            return;
        };
        let verified = self.judge.secrets.is_some() && !matches!(verdict, Verdict::Unauthentic(_));
        let line = capture::line(self.seen, status, verified, &request.headers, &request.body);
        if let Err(e) = f.write_all(&line) {
            crate::output::print_error(&format!("cannot append to the capture file: {e}"));
            self.capture_file = None;
        }
    }

    /// The closing lines on stderr: the tallies and latencies, then the
    /// summary `validate --summary full` prints.
    fn print_summary(&mut self, why: &str, start: Instant, catalog: &eventcat_codegen::Catalog) {
        self.latencies.sort_by(f64::total_cmp);
        eprintln!(
            "received {} deliveries in {:.1} s ({why}): {} accepted, {} rejected ({} bad signature or timestamp); handling p50 {:.2} ms, p99 {:.2} ms",
            self.seen,
            start.elapsed().as_secs_f64(),
            self.seen - self.rejected,
            self.rejected,
            self.judge.unauthentic,
            percentile(&self.latencies, 50.0),
            percentile(&self.latencies, 99.0),
        );
        let validators = self.judge.validators;
        let summary = Summary {
            catalog: catalog.name.clone(),
            version: catalog.version.clone(),
            codes: validators.codes().to_vec(),
            sources: 1,
            counts: self.judge.counts.clone(),
            unreadable: Vec::new(),
            planned: crate::validate::planned_flags(catalog, validators.codes()),
            // listen judges deliveries, not a capture's size.
            min_events: 0,
        };
        eprint!("{}", summary.human(Detail::Full));
    }
}

/// Passes a valid delivery on to `url` (its body, and its headers but the
/// hop-by-hop ones): the status, answer and note to report.
fn forward(agent: &ureq::Agent, url: &str, request: &Request) -> (u16, Option<Value>, String) {
    let mut fwd = agent.post(url);
    for (k, v) in &request.headers {
        let lower = k.to_ascii_lowercase();
        if !["host", "content-length", "connection", "transfer-encoding"].contains(&lower.as_str())
        {
            fwd = fwd.header(k.as_str(), v.as_str());
        }
    }
    match fwd.send(&request.body[..]) {
        Ok(resp) => {
            let status = resp.status().as_u16();
            (status, None, format!(", forwarded: {status}"))
        }
        Err(e) => (
            502,
            Some(serde_json::json!({
                "ok": false, "error": "forward", "message": e.to_string()
            })),
            format!(", forward failed: {e}"),
        ),
    }
}
