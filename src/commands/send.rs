//! `eventcat send`: deliver events to a consumer endpoint, signed with
//! Standard Webhooks, on the catalog's delivery rules, and judge its answers
//! (the consumer contract over HTTP).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

use super::CmdResult;
use crate::commands::args::CatalogArg;
use crate::commands::fixtures::select;
use crate::commands::validate::ReportFormat;
use crate::fixtures::{self, Kind};
use crate::output::{load_checked, Format};
use crate::validate::reader::{self, Item};
use crate::validate::report::xml_escape;
use crate::validate::Validators;
use crate::webhooks::send::{agent, deliver, judge, Attempted, Expect, Outcome, Settings, Signing};
use crate::webhooks::{self, percentile};

/// Arguments of `eventcat send`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// The consumer's endpoint, e.g. `http://127.0.0.1:8080/webhooks`.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Files or folders of events (read as `eventcat validate` reads them;
    /// `-`: standard input). Not with `--fixtures`.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Send generated events instead of files: `valid` and `consumer` ones
    /// must be received (2xx), `invalid` ones rejected (4xx).
    #[arg(long, value_enum, value_name = "KIND")]
    pub fixtures: Option<Kind>,
    /// With `--fixtures`: which codes (`all`, `<family>.all`, codes).
    #[arg(
        long,
        value_name = "SELECTORS",
        value_delimiter = ',',
        default_value = "all"
    )]
    pub select: Vec<String>,
    /// With `--fixtures`: random events per code (besides examples and edge cases).
    #[arg(long, default_value_t = 1)]
    pub count: usize,
    /// With `--fixtures`: the seed of the random events.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Signing secret, `whsec_...` (repeat it to sign with several keys
    /// during a rotation). Default: `$EVENTCAT_SECRET`.
    #[arg(long, value_name = "SECRET")]
    pub secret: Vec<String>,
    /// Also send, for every event, a delivery with a forged signature and
    /// one with a stale timestamp: both must be rejected (4xx).
    #[arg(long)]
    pub tamper: bool,
    /// Multiplies the catalog's retry waits (`0.001` turns 5 s into 5 ms).
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0)]
    pub retry_scale: f64,
    /// At most this many attempts per delivery (default: one more than the
    /// catalog's retry schedule has waits).
    #[arg(long, value_name = "N")]
    pub max_attempts: Option<usize>,
    /// Per-request timeout (`15s`, `500ms`; default: the catalog's).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// The longest `Retry-After` honoured (`1h`; longer asks wait this long).
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub max_retry_after: String,
    /// Deliveries in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Human format: print violations only, no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

/// One delivery to make.
struct Planned {
    code: String,
    /// `file:line`, or the fixture's name.
    source: String,
    body: Vec<u8>,
    expect: Expect,
    signing: Signing,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let catalog_format = match args.format {
        ReportFormat::Json => Format::Json,
        _ => Format::Human,
    };
    let (catalog, validators) = load_checked(&args.catalog.catalog, catalog_format)?;
    Ok(send(args, catalog, validators)?)
}

fn send(
    args: &Args,
    catalog: eventcat_codegen::Catalog,
    validators: Validators,
) -> Result<super::Outcome, String> {
    if !(args.to.starts_with("http://") || args.to.starts_with("https://")) {
        return Err(format!(
            "--to `{}` is not an http:// or https:// URL",
            args.to
        ));
    }
    if args.concurrency == 0 {
        return Err("--concurrency must be at least 1".into());
    }
    if !(args.retry_scale.is_finite() && args.retry_scale >= 0.0) {
        return Err("--retry-scale must be a number of 0 or more".into());
    }
    let secrets = webhooks::secrets(&args.secret)?;
    if secrets.is_empty() {
        return Err(format!(
            "no signing secret: pass --secret whsec_... or set {}",
            webhooks::SECRET_ENV
        ));
    }
    let delivery = webhooks::delivery(&catalog);
    let timeout = match &args.timeout {
        Some(t) => webhooks::parse_duration_arg(t).map_err(|e| format!("--timeout: {e}"))?,
        None => Duration::from_millis(delivery.timeout_ms),
    };
    let max_retry_after = webhooks::parse_duration_arg(&args.max_retry_after)
        .map_err(|e| format!("--max-retry-after: {e}"))?;
    let max_attempts = args.max_attempts.unwrap_or(delivery.retry_ms.len() + 1);
    if max_attempts == 0 {
        return Err("--max-attempts must be at least 1".into());
    }

    let mut plan = match args.fixtures {
        Some(kind) => {
            if !args.files.is_empty() {
                return Err("give files or --fixtures, not both".into());
            }
            plan_fixtures(&catalog, kind, args)?
        }
        None => plan_files(&validators, &args.files)?,
    };
    if args.tamper {
        let genuine: Vec<(String, String, Vec<u8>)> = plan
            .iter()
            .map(|p| (p.code.clone(), p.source.clone(), p.body.clone()))
            .collect();
        for (code, source, body) in genuine {
            for signing in [Signing::Forged, Signing::Stale] {
                plan.push(Planned {
                    code: code.clone(),
                    source: format!("{source} ({})", signing.as_str()),
                    body: body.clone(),
                    expect: Expect::Reject,
                    signing,
                });
            }
        }
    }

    let settings = Settings {
        to: args.to.clone(),
        secrets,
        delivery,
        retry_scale: args.retry_scale,
        max_retry_after,
        timeout,
        max_attempts,
        progress: matches!(args.format, ReportFormat::Human) && !args.quiet,
    };
    let results = send_all(&plan, &settings, args.concurrency);
    report(args, &plan, &results)
}

fn plan_fixtures(
    catalog: &eventcat_codegen::Catalog,
    kind: Kind,
    args: &Args,
) -> Result<Vec<Planned>, String> {
    let codes = select(catalog, &args.select)?;
    let mut all = Vec::new();
    for code in &codes {
        let ev = catalog.event(code).expect("selected codes exist");
        let f = fixtures::for_event(catalog, ev, kind, args.seed, args.count)
            .map_err(|e| format!("{code}: {e}"))?;
        all.extend(f);
    }
    if kind == Kind::Consumer {
        all.extend(fixtures::unknown_code_event(catalog));
    }
    Ok(all
        .into_iter()
        .map(|f| {
            let expect = match kind {
                Kind::Valid | Kind::Consumer => Expect::Accept,
                // Consumers ignore undeclared fields on purpose.
                Kind::Invalid if f.name.ends_with("-undeclared-field") => Expect::Either,
                Kind::Invalid => Expect::Reject,
            };
            Planned {
                code: f.code,
                source: f.name,
                body: serde_json::to_vec(&f.event).expect("JSON values serialize"),
                expect,
                signing: Signing::Genuine,
            }
        })
        .collect())
}

/// Events of files: sent as read. Those `validate` finds valid must be
/// received; the others are sent and reported, with no verdict required.
fn plan_files(validators: &Validators, files: &[PathBuf]) -> Result<Vec<Planned>, String> {
    let sources = reader::sources(files);
    let mut plan = Vec::new();
    let mut problems = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        reader::read_source(i, source, &mut |batch| {
            let checked = crate::validate::dispatch::check_batch(&batch, validators);
            let invalid: BTreeMap<u64, ()> =
                checked.findings.iter().map(|f| (f.line, ())).collect();
            for item in &batch.items {
                match item {
                    Item::Event {
                        start, end, line, ..
                    } => {
                        let body = batch.buf[*start..*end].to_vec();
                        let code = serde_json::from_slice::<Value>(&body)
                            .ok()
                            .and_then(|v| {
                                v.get(validators.discriminator())
                                    .and_then(Value::as_str)
                                    .map(str::to_string)
                            })
                            .unwrap_or_else(|| "-".into());
                        plan.push(Planned {
                            code,
                            source: format!("{}:{line}", source.name),
                            body,
                            expect: if invalid.contains_key(line) {
                                Expect::Either
                            } else {
                                Expect::Accept
                            },
                            signing: Signing::Genuine,
                        });
                    }
                    Item::Malformed { line, message } => {
                        problems.push(format!("{}:{line}: {message}", source.name));
                    }
                    Item::Unreadable { message, .. } => problems.push(message.clone()),
                }
            }
        });
    }
    if !problems.is_empty() {
        return Err(format!("cannot send every input: {}", problems.join("; ")));
    }
    Ok(plan)
}

/// Makes every delivery with `concurrency` workers; results in plan order.
fn send_all(plan: &[Planned], settings: &Settings, concurrency: usize) -> Vec<Attempted> {
    let next = AtomicUsize::new(0);
    let gone = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, Attempted)>();
    let run = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    );
    std::thread::scope(|s| {
        for _ in 0..concurrency.min(plan.len().max(1)) {
            let tx = tx.clone();
            let (next, gone, run) = (&next, &gone, &run);
            s.spawn(move || {
                let agent = agent(settings.timeout);
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(p) = plan.get(i) else { return };
                    let result = if gone.load(Ordering::SeqCst) {
                        Attempted {
                            outcome: Outcome::NotSent,
                            attempts: 0,
                            elapsed: Duration::ZERO,
                            last_latency: Duration::ZERO,
                            answer: String::new(),
                        }
                    } else {
                        let id = format!("msg_eventcat_{run}_{i}");
                        let r = deliver(&agent, settings, &id, &p.body, p.expect, p.signing);
                        if r.outcome == Outcome::Gone
                            && settings.delivery.gone == eventcat_codegen::model::Gone::Endpoint
                        {
                            gone.store(true, Ordering::SeqCst);
                        }
                        r
                    };
                    if tx.send((i, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
    });
    let mut out: Vec<Option<Attempted>> = vec![None; plan.len()];
    for (i, r) in rx.iter() {
        out[i] = Some(r);
    }
    out.into_iter()
        .map(|r| r.expect("every delivery has a result"))
        .collect()
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

fn status_text(o: &Outcome) -> String {
    match o {
        Outcome::Received(s) => format!("{s} received"),
        Outcome::Rejected(s) => format!("{s} rejected"),
        Outcome::Gone => "410 gone".into(),
        Outcome::Failed(s) => format!("failed ({s})"),
        Outcome::NotSent => "not sent".into(),
    }
}

/// The figures of a run: each delivery's verdict, and the totals.
struct Tally {
    /// Per delivery, in plan order: why it breaks the contract, if it does.
    verdicts: Vec<Option<String>>,
    violations: usize,
    received: usize,
    attempts: usize,
    /// Request latency percentiles, in milliseconds.
    p50: f64,
    p99: f64,
}

impl Tally {
    /// Judges every result against its plan and adds them up.
    fn new(plan: &[Planned], results: &[Attempted]) -> Self {
        let verdicts: Vec<Option<String>> = plan
            .iter()
            .zip(results)
            .map(|(p, r)| judge(p.expect, p.signing, &r.outcome))
            .collect();
        let mut lat: Vec<f64> = results
            .iter()
            .filter(|r| r.attempts > 0)
            .map(|r| ms(r.last_latency))
            .collect();
        lat.sort_by(f64::total_cmp);
        Tally {
            violations: verdicts.iter().filter(|v| v.is_some()).count(),
            verdicts,
            received: results
                .iter()
                .filter(|r| matches!(r.outcome, Outcome::Received(_)))
                .count(),
            attempts: results.iter().map(|r| r.attempts).sum(),
            p50: percentile(&lat, 50.0),
            p99: percentile(&lat, 99.0),
        }
    }
}

/// The report of a run, in any of the formats.
struct Report<'a> {
    args: &'a Args,
    plan: &'a [Planned],
    results: &'a [Attempted],
    tally: Tally,
}

impl Report<'_> {
    /// Each delivery with its result and verdict, in plan order.
    fn rows(&self) -> impl Iterator<Item = (&Planned, &Attempted, &Option<String>)> {
        self.plan
            .iter()
            .zip(self.results)
            .zip(&self.tally.verdicts)
            .map(|((p, r), v)| (p, r, v))
    }

    /// Human format: a line per delivery on `out` (violations only with
    /// `--quiet`), the summary line on stderr.
    fn human(&self, out: &mut impl Write) -> std::io::Result<()> {
        for (p, r, v) in self.rows() {
            if self.args.quiet && v.is_none() {
                continue;
            }
            let mark = if v.is_some() { "FAIL" } else { "ok  " };
            write!(
                out,
                "{mark} {} {} [{}]: {} after {} attempt{}, {} ms",
                p.code,
                p.source,
                p.expect.as_str(),
                status_text(&r.outcome),
                r.attempts,
                if r.attempts == 1 { "" } else { "s" },
                ms(r.elapsed)
            )?;
            if let Some(v) = v {
                write!(out, ": {v}")?;
                if !r.answer.is_empty() {
                    write!(out, "; answer: {}", r.answer.replace('\n', " "))?;
                }
            }
            writeln!(out)?;
        }
        out.flush()?;
        if !self.args.quiet {
            let t = &self.tally;
            eprintln!(
                "sent {} deliveries to {}: {} as expected, {} contract violation{}; {} received, {} attempts; request latency p50 {} ms, p99 {} ms",
                self.plan.len(),
                self.args.to,
                self.plan.len() - t.violations,
                t.violations,
                if t.violations == 1 { "" } else { "s" },
                t.received,
                t.attempts,
                t.p50,
                t.p99,
            );
        }
        Ok(())
    }

    /// JSON format: every delivery, the summary and `ok`, in one document.
    fn json(&self, out: &mut impl Write) -> std::io::Result<()> {
        let deliveries: Vec<Value> = self
            .rows()
            .map(|(p, r, v)| {
                json!({
                    "code": p.code,
                    "source": p.source,
                    "expect": p.expect.as_str(),
                    "signing": p.signing.as_str(),
                    "status": r.outcome.status(),
                    "outcome": status_text(&r.outcome),
                    "attempts": r.attempts,
                    "elapsed_ms": ms(r.elapsed),
                    "latency_ms": ms(r.last_latency),
                    "violation": v,
                    "answer": r.answer,
                })
            })
            .collect();
        let t = &self.tally;
        let doc = json!({
            "deliveries": deliveries,
            "summary": {
                "to": self.args.to,
                "deliveries": self.plan.len(),
                "violations": t.violations,
                "received": t.received,
                "attempts": t.attempts,
                "latency_p50_ms": t.p50,
                "latency_p99_ms": t.p99,
            },
            "ok": t.violations == 0,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("JSON"))
            .and_then(|()| out.flush())
    }

    /// JUnit format: a test case per delivery, failed when it breaks the
    /// contract.
    fn junit(&self, out: &mut impl Write) -> std::io::Result<()> {
        let (n, violations) = (self.plan.len(), self.tally.violations);
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"eventcat send\" tests=\"{n}\" failures=\"{violations}\">\n<testsuite name=\"{}\" tests=\"{n}\" failures=\"{violations}\">\n",
            xml_escape(&self.args.to),
        );
        for (p, r, v) in self.rows() {
            let name = format!("{} {}", p.code, p.source);
            xml.push_str(&format!(
                "<testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
                xml_escape(&p.code),
                xml_escape(&name),
                r.elapsed.as_secs_f64()
            ));
            if let Some(v) = v {
                xml.push_str(&format!(
                    "<failure message=\"{}\">{}</failure>",
                    xml_escape(v),
                    xml_escape(&r.answer)
                ));
            }
            xml.push_str("</testcase>\n");
        }
        xml.push_str("</testsuite>\n</testsuites>\n");
        out.write_all(xml.as_bytes()).and_then(|()| out.flush())
    }
}

/// Prints the report in `--format`; a violation when any delivery broke
/// the contract.
fn report(args: &Args, plan: &[Planned], results: &[Attempted]) -> Result<super::Outcome, String> {
    let report = Report {
        args,
        plan,
        results,
        tally: Tally::new(plan, results),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        ReportFormat::Human => report.human(&mut out),
        ReportFormat::Json => report.json(&mut out),
        ReportFormat::Junit => report.junit(&mut out),
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(format!("cannot write the report: {e}"));
        }
        _ => {}
    }
    Ok(if report.tally.violations > 0 {
        super::Outcome::Violation
    } else {
        super::Outcome::Ok
    })
}
