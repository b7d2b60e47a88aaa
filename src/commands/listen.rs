//! `eventcat listen`: a local webhook receiver that verifies each
//! delivery's signature and validates its body as `eventcat validate` does
//! (the producer contract over HTTP).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::output::{load_checked, Format};
use crate::validate::report::{Detail, Summary};
use crate::validate::{Engine, Validators};
use crate::webhooks::listen::{json_response, read_request, Judge, Limits, Verdict};
use crate::webhooks::{self, capture, percentile};

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

fn listen(
    args: &Args,
    catalog: eventcat_codegen::Catalog,
    validators: Validators,
) -> Result<Outcome, String> {
    let secrets = webhooks::secrets(&args.secret)?;
    let secrets = match (secrets.is_empty(), args.no_verify) {
        (false, false) => Some(secrets),
        (true, true) => None,
        (false, true) => return Err("--no-verify with a secret: give one or the other".into()),
        (true, false) => {
            return Err(format!(
            "no secret to verify signatures with: pass --secret whsec_..., set {}, or --no-verify",
            webhooks::SECRET_ENV
        ))
        }
    };
    let limits = Limits {
        max: args.max,
        timeout: args
            .timeout
            .as_deref()
            .map(webhooks::parse_duration_arg)
            .transpose()
            .map_err(|e| format!("--timeout: {e}"))?,
    };
    if let Some(url) = &args.forward_to {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "--forward-to `{url}` is not an http:// or https:// URL"
            ));
        }
    }
    let mut capture_file = match &args.capture {
        Some(p) => Some(
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
                .map_err(|e| format!("cannot open `{}`: {e}", p.display()))?,
        ),
        None => None,
    };
    let delivery = webhooks::delivery(&catalog);
    let forward_agent = webhooks::send::agent(Duration::from_millis(delivery.timeout_ms));
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
        if secrets.is_some() {
            "checked"
        } else {
            "NOT checked"
        }
    );

    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = Arc::clone(&interrupted);
        // A second handler cannot be set in one process; listening still works.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }

    let mut judge = Judge::new(&validators, secrets, delivery.clone());
    let start = Instant::now();
    let mut seen = 0u64;
    let mut rejected = 0u64;
    let mut latencies: Vec<f64> = Vec::new();
    let stdout = std::io::stdout();
    while !interrupted.load(Ordering::SeqCst) && !limits.reached(start, seen) {
        let mut req = match server.recv_timeout(Duration::from_millis(50)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(e) => return Err(format!("cannot accept: {e}")),
        };
        let t0 = Instant::now();
        seen += 1;
        let request = match read_request(&mut req) {
            Ok(r) => r,
            Err((status, msg)) => {
                rejected += 1;
                let body = serde_json::json!({ "ok": false, "error": "body", "message": msg });
                let _ = req.respond(json_response(status, Some(&body)));
                let _ = writeln!(stdout.lock(), "#{seen} {status} - {msg}");
                continue;
            }
        };
        let verdict = judge.judge(&request);
        let mut status = verdict.status();
        let mut answer = verdict.answer();
        let mut note = String::new();
        if let (Verdict::Valid { .. }, Some(url)) = (&verdict, &args.forward_to) {
            let mut fwd = forward_agent.post(url.as_str());
            for (k, v) in &request.headers {
                let lower = k.to_ascii_lowercase();
                if !["host", "content-length", "connection", "transfer-encoding"]
                    .contains(&lower.as_str())
                {
                    fwd = fwd.header(k.as_str(), v.as_str());
                }
            }
            match fwd.send(&request.body[..]) {
                Ok(resp) => {
                    status = resp.status().as_u16();
                    answer = None;
                    note = format!(", forwarded: {status}");
                }
                Err(e) => {
                    status = 502;
                    answer = Some(serde_json::json!({
                        "ok": false, "error": "forward", "message": e.to_string()
                    }));
                    note = format!(", forward failed: {e}");
                }
            }
        }
        let _ = req.respond(json_response(status, answer.as_ref()));
        let elapsed = t0.elapsed();
        latencies.push(elapsed.as_secs_f64() * 1000.0);
        let ok = (200..300).contains(&status);
        if !ok {
            rejected += 1;
        }
        if let Some(f) = capture_file.as_mut() {
            let verified = judge.secrets.is_some() && !matches!(verdict, Verdict::Unauthentic(_));
            let line = capture::line(seen, status, verified, &request.headers, &request.body);
            if let Err(e) = f.write_all(&line) {
                crate::output::print_error(&format!("cannot append to the capture file: {e}"));
                capture_file = None;
            }
        }
        if !args.quiet || !ok {
            let id = request.header(&delivery.id_header).unwrap_or("-");
            let _ = writeln!(
                stdout.lock(),
                "#{seen} {status} {} {id} {}{note} ({:.1} ms)",
                verdict.code().filter(|c| !c.is_empty()).unwrap_or("-"),
                verdict.describe(),
                elapsed.as_secs_f64() * 1000.0
            );
        }
    }
    drop(server);
    let _ = std::io::stdout().flush();

    if !args.quiet {
        latencies.sort_by(f64::total_cmp);
        let why = if interrupted.load(Ordering::SeqCst) {
            "interrupted"
        } else if limits.max.is_some_and(|m| seen >= m) {
            "--max reached"
        } else {
            "--timeout reached"
        };
        eprintln!(
            "received {seen} deliveries in {:.1} s ({why}): {} accepted, {rejected} rejected ({} bad signature or timestamp); handling p50 {:.2} ms, p99 {:.2} ms",
            start.elapsed().as_secs_f64(),
            seen - rejected,
            judge.unauthentic,
            percentile(&latencies, 50.0),
            percentile(&latencies, 99.0),
        );
        let summary = Summary {
            catalog: catalog.name.clone(),
            version: catalog.version.clone(),
            codes: validators.codes().to_vec(),
            sources: 1,
            counts: judge.counts.clone(),
            unreadable: Vec::new(),
            planned: crate::validate::planned_flags(&catalog, validators.codes()),
            // listen judges deliveries, not a capture's size.
            min_events: 0,
        };
        eprint!("{}", summary.human(Detail::Full));
    }
    Ok(if rejected > 0 {
        Outcome::Violation
    } else {
        Outcome::Ok
    })
}
