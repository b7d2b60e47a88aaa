//! `eventcat send` and `eventcat listen` over real HTTP on 127.0.0.1 (port
//! 0): round trips of every fixture kind, retries, `410`, `Retry-After`,
//! forged signatures and stale timestamps, `validate -` reporting as lines
//! arrive, and interop with the npm `standardwebhooks` package (skipped
//! locally when node or `tests/webhooks/node_modules` is missing; a failure
//! in CI). Every server stops itself (`--max`, `--timeout`, or a bounded
//! accept loop), and every wait is bounded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_eventcat"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("EVENTCAT_SECRET");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A child that prints `... 127.0.0.1:PORT ...` or `listening on PORT` on
/// stderr first; the rest of stderr is kept.
struct Server {
    child: Child,
    port: u16,
    stderr: mpsc::Receiver<String>,
}

impl Server {
    fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server runs");
        let err = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        let port = first
            .rsplit(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no port in {first:?}"));
        let port = if first.contains("127.0.0.1:") {
            let after = first.split("127.0.0.1:").nth(1).unwrap();
            after
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        } else {
            port
        };
        Server {
            child,
            port,
            stderr: rx,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Waits (at most 60 s) for the server to stop on its own.
    fn finish(mut self) -> (Option<i32>, String, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not stop on its own");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut out = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let mut err = String::new();
        while let Ok(l) = self.stderr.recv_timeout(Duration::from_secs(5)) {
            err.push_str(&l);
            err.push('\n');
        }
        (status, out, err)
    }
}

fn listen(extra: &[&str]) -> Server {
    let mut c = bin();
    c.args(["listen", "--port", "0", "--timeout", "90"])
        .args(extra);
    Server::start(c)
}

fn fixtures(kind: &str) -> Vec<u8> {
    let out = run(&["fixtures", "--kind", kind, "--count", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    out.stdout
}

fn lines(b: &[u8]) -> usize {
    b.split(|&c| c == b'\n').filter(|l| !l.is_empty()).count()
}

/// `validate --format json` of a file: (events, invalid).
fn validate_counts(path: &Path) -> (u64, u64) {
    let out = run(&["validate", "--format", "json", path.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("validate JSON");
    let c = &v["summary"];
    (
        c["events"].as_u64().unwrap(),
        c["invalid"].as_u64().unwrap(),
    )
}

fn send_json(args: &[&str]) -> (Option<i32>, Value) {
    let out = run(&[&["send", "--format", "json"], args].concat());
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)));
    (out.status.code(), v)
}

/// A fresh folder under cargo's `target/tmp` (not the system's temp
/// folder, which would keep one per run): emptied when a later run makes
/// it again, removed by `cargo clean`.
fn scratch(name: &str) -> PathBuf {
    // Tests run in parallel: each call gets a folder of its own.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("webhooks-{name}-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// For each fixture kind: `send` to `listen`; listen's verdicts are
/// `validate`'s on the same events (its capture, validated again, gives the
/// same counts as the fixtures validated directly), and send's verdicts
/// follow from them.
#[test]
fn send_listen_round_trip_of_every_fixture_kind() {
    let dir = scratch("round-trip");
    for kind in ["valid", "invalid", "consumer"] {
        let events = fixtures(kind);
        let n = lines(&events);
        let file = dir.join(format!("{kind}.ndjson"));
        std::fs::write(&file, &events).unwrap();
        let expected = validate_counts(&file);
        assert_eq!(expected.0, n as u64);

        let capture = dir.join(format!("{kind}.capture.ndjson"));
        // Valid ones also go forged and stale (--tamper): 3 deliveries each.
        let total = if kind == "valid" { 3 * n } else { n };
        // Requests: a rejected consumer-side event is tried twice.
        let requests = if kind == "consumer" {
            n + expected.1 as usize
        } else {
            total
        };
        let l = listen(&[
            "--secret",
            SECRET,
            "--max",
            &requests.to_string(),
            "--capture",
            capture.to_str().unwrap(),
        ]);
        let url = l.url();
        let mut args = vec![
            "--to",
            &url,
            "--secret",
            SECRET,
            "--fixtures",
            kind,
            "--count",
            "1",
            "--retry-scale",
            "0",
            "--max-attempts",
            "2",
        ];
        if kind == "valid" {
            args.push("--tamper");
        }
        let (code, report) = send_json(&args);
        let (lcode, lout, lerr) = l.finish();
        let deliveries = report["deliveries"].as_array().unwrap();
        assert_eq!(deliveries.len(), total, "{kind}");
        let statuses: Vec<u64> = deliveries
            .iter()
            .map(|d| d["status"].as_u64().unwrap())
            .collect();
        assert_eq!(
            lines(lout.as_bytes()),
            deliveries
                .iter()
                .map(|d| d["attempts"].as_u64().unwrap() as usize)
                .sum::<usize>(),
            "one line per request\n{lout}"
        );

        // listen's verdicts are validate's: the capture holds every request.
        let (cap_events, cap_invalid) = validate_counts(&capture);
        match kind {
            "valid" => {
                assert_eq!(code, Some(0), "{report:#}");
                assert_eq!(lcode, Some(1), "forged and stale ones were refused\n{lerr}");
                for (d, s) in deliveries.iter().zip(&statuses) {
                    let want = if d["signing"] == "genuine" { 204 } else { 401 };
                    assert_eq!(*s, want, "{d}");
                }
                assert!(
                    lerr.contains(&format!("{} bad signature or timestamp", 2 * n)),
                    "{lerr}"
                );
                assert_eq!(expected.1, 0);
                // Validated again, the bodies of the capture (refused ones too) are valid.
                assert_eq!((cap_events, cap_invalid), (total as u64, 0));
            }
            "invalid" => {
                // Every invalid event was answered 400: as expected (or, for
                // an undeclared field, the consumer's choice).
                assert_eq!(code, Some(0), "{report:#}");
                assert_eq!(lcode, Some(1));
                assert!(statuses.iter().all(|&s| s == 400), "{statuses:?}");
                assert_eq!(expected, (n as u64, n as u64));
                assert_eq!((cap_events, cap_invalid), expected);
                let answer: Value =
                    serde_json::from_str(deliveries[0]["answer"].as_str().unwrap()).unwrap();
                assert!(
                    !answer["violations"].as_array().unwrap().is_empty(),
                    "{answer}"
                );
            }
            _ => {
                // listen judges as `validate` (a producer's receiver): the
                // unknown code, fields and values are rejected, and `send`
                // calls each such rejection a contract violation.
                let rejected = statuses.iter().filter(|&&s| s == 400).count() as u64;
                assert_eq!(rejected, expected.1, "{statuses:?}");
                assert!(rejected >= 1, "the unknown-code event at least");
                assert_eq!(code, Some(1));
                assert_eq!(report["summary"]["violations"].as_u64(), Some(rejected));
                assert_eq!(lcode, Some(1));
                assert_eq!(cap_events, 2 * n as u64 - (n as u64 - rejected));
            }
        }
    }
}

/// What the scripted endpoint saw: arrival time, head (lower-cased), body.
type Seen = Vec<(Instant, String, Vec<u8>)>;

/// A scripted endpoint on 127.0.0.1: answers the i-th request with
/// `answers[i]` (status, extra header lines), records every request
/// (arrival time, headers, body), and stops after the last answer or 30 s.
fn endpoint(answers: Vec<(u16, &'static str)>) -> (String, std::thread::JoinHandle<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let handle = std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        for (status, extra) in answers {
            let mut stream = loop {
                match listener.accept() {
                    Ok((s, _)) => break s,
                    Err(_) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(5))
                    }
                    Err(_) => return seen,
                }
            };
            stream.set_nonblocking(false).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let (head, body) = read_http(&mut stream);
            seen.push((Instant::now(), head, body));
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n{extra}\r\n"
            );
            let _ = stream.write_all(reply.as_bytes());
        }
        seen
    });
    (url, handle)
}

fn read_http(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => break,
        }
    }
    let head = text(&buf).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    let _ = stream.read_exact(&mut body);
    (head, body)
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or_default()
        .trim()
}

fn one_event() -> PathBuf {
    let dir = scratch("one");
    let path = dir.join("one.ndjson");
    let out = run(&[
        "fixtures",
        "--select",
        "dir_sync.user.provision.success",
        "--count",
        "0",
    ]);
    let first = text(&out.stdout).lines().next().unwrap().to_string();
    std::fs::write(&path, format!("{first}\n")).unwrap();
    path
}

#[test]
fn retries_on_the_schedule_with_the_same_id_and_fresh_signatures() {
    let (url, server) = endpoint(vec![(500, ""), (502, ""), (204, "")]);
    let file = one_event();
    let (code, report) = send_json(&[
        "--to",
        &url,
        "--secret",
        SECRET,
        "--retry-scale",
        "0.001",
        file.to_str().unwrap(),
    ]);
    let seen = server.join().unwrap();
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["deliveries"][0]["attempts"], 3);
    assert_eq!(seen.len(), 3);
    let secret = eventcat::webhooks::Secret::parse(SECRET).unwrap();
    let id = header(&seen[0].1, "webhook-id").to_string();
    for (_, head, body) in &seen {
        assert_eq!(header(head, "webhook-id"), id, "one id for every attempt");
        eventcat::webhooks::signature::verify(
            std::slice::from_ref(&secret),
            &id,
            header(head, "webhook-timestamp"),
            // Header values were lower-cased with the head: re-read them raw.
            &raw_signature(head, body, &secret, &id),
            body,
            eventcat::webhooks::signature::now(),
            300,
        )
        .unwrap();
    }
    // The default catalog's schedule (schema/delivery.toml) waits 0 s, then
    // 5 min: scaled by 0.001, the third attempt comes 300 ms after the
    // second. (The first wait is 0: no lower bound between the first two.)
    assert!(
        seen[2].0 - seen[1].0 >= Duration::from_millis(300),
        "{:?}",
        seen[2].0 - seen[1].0
    );
}

/// The head was lower-cased (base64 is case-sensitive): recompute the
/// signature and check the lower-cased one matches it.
fn raw_signature(head: &str, body: &[u8], secret: &eventcat::webhooks::Secret, id: &str) -> String {
    let ts: i64 = header(head, "webhook-timestamp").parse().unwrap();
    let sig = secret.sign(id, ts, body);
    assert_eq!(header(head, "webhook-signature"), sig.to_ascii_lowercase());
    sig
}

#[test]
fn retry_after_on_503_is_honoured() {
    let (url, server) = endpoint(vec![(503, "retry-after: 1\r\n"), (200, "")]);
    let file = one_event();
    let (code, report) = send_json(&[
        "--to",
        &url,
        "--secret",
        SECRET,
        "--retry-scale",
        "0",
        file.to_str().unwrap(),
    ]);
    let seen = server.join().unwrap();
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(seen.len(), 2);
    // The schedule's waits are scaled to 0: only Retry-After made it wait.
    assert!(seen[1].0 - seen[0].0 >= Duration::from_millis(950));
    assert!(report["deliveries"][0]["elapsed_ms"].as_f64().unwrap() >= 950.0);
}

/// A wait of a second or more is said on stderr as it starts (human
/// format), so a long retry schedule does not look like a hang.
#[test]
fn a_long_wait_is_said_before_it_starts() {
    let (url, server) = endpoint(vec![(503, "retry-after: 1\r\n"), (204, "")]);
    let file = one_event();
    let out = run(&[
        "send",
        "--to",
        &url,
        "--secret",
        SECRET,
        file.to_str().unwrap(),
    ]);
    server.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(": 503 (attempt 1 of 7); next attempt in 1s"),
        "{err}"
    );
}

/// Events of one code, `count` per fixture kind, in a file.
fn some_events(name: &str) -> (PathBuf, usize) {
    let out = run(&[
        "fixtures",
        "--select",
        "dir_sync.user.provision.success",
        "--count",
        "2",
    ]);
    let file = scratch(name).join("many.ndjson");
    std::fs::write(&file, &out.stdout).unwrap();
    (file, lines(&out.stdout))
}

/// The default catalog says a `410` stops sending *that event*: no retry of
/// it, every other event still sent.
#[test]
fn gone_410_stops_that_event_under_the_default_catalog() {
    let (file, n) = some_events("gone-event");
    assert!(n >= 3);
    let mut answers = vec![(410, "")];
    answers.extend(std::iter::repeat_n((204, ""), n - 1));
    let (url, server) = endpoint(answers);
    let (code, report) = send_json(&[
        "--to",
        &url,
        "--secret",
        SECRET,
        "--concurrency",
        "1",
        file.to_str().unwrap(),
    ]);
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), n, "one attempt per event, none after the 410");
    assert_eq!(code, Some(1), "a valid event was not received: {report:#}");
    let d = report["deliveries"].as_array().unwrap();
    assert_eq!(d[0]["status"], 410);
    assert_eq!(d[0]["attempts"], 1);
    for rest in &d[1..] {
        assert_eq!(rest["status"], 204, "{rest}");
        assert_eq!(rest["attempts"], 1);
    }
}

/// With `gone = "endpoint"` (the Standard Webhooks default), a `410` stops
/// every further delivery to the endpoint.
#[test]
fn gone_410_stops_every_delivery_when_the_catalog_says_endpoint() {
    let dir = scratch("gone-endpoint");
    let catalog = dir.join("schema");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"),
        &catalog,
    );
    std::fs::write(
        catalog.join("delivery.toml"),
        "[delivery]\ngone = \"endpoint\"\n",
    )
    .unwrap();
    let (file, n) = some_events("gone-endpoint-events");
    let (url, server) = endpoint(vec![(410, "")]);
    let (code, report) = send_json(&[
        "--catalog",
        catalog.to_str().unwrap(),
        "--to",
        &url,
        "--secret",
        SECRET,
        "--concurrency",
        "1",
        file.to_str().unwrap(),
    ]);
    let seen = server.join().unwrap();
    assert_eq!(seen.len(), 1, "nothing is sent after a 410");
    assert_eq!(code, Some(1));
    let d = report["deliveries"].as_array().unwrap();
    assert_eq!(d.len(), n);
    assert_eq!(d[0]["status"], 410);
    assert_eq!(d[0]["attempts"], 1);
    for rest in &d[1..] {
        assert_eq!(rest["outcome"], "not sent", "{rest}");
        assert_eq!(rest["attempts"], 0);
    }
}

#[test]
fn a_timeout_per_request_then_failure() {
    // Accepts, never answers: each attempt times out.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let hold = std::thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && held.len() < 2 {
            if let Ok((s, _)) = listener.accept() {
                held.push(s);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(500));
        held.len()
    });
    let file = one_event();
    let t0 = Instant::now();
    let (code, report) = send_json(&[
        "--to",
        &url,
        "--secret",
        SECRET,
        "--timeout",
        "200ms",
        "--max-attempts",
        "2",
        "--retry-scale",
        "0",
        file.to_str().unwrap(),
    ]);
    assert!(t0.elapsed() < Duration::from_secs(8));
    assert_eq!(code, Some(1), "{report:#}");
    let d = &report["deliveries"][0];
    assert_eq!(d["attempts"], 2);
    assert!(d["outcome"].as_str().unwrap().starts_with("failed"), "{d}");
    assert_eq!(hold.join().unwrap(), 2);
}

#[test]
fn listen_refuses_forged_signatures_and_stale_timestamps() {
    let file = one_event();
    let body = std::fs::read(&file).unwrap();
    let body = body.trim_ascii_end();
    let secret = eventcat::webhooks::Secret::parse(SECRET).unwrap();
    let other = eventcat::webhooks::Secret::parse(OTHER_SECRET).unwrap();
    let now = eventcat::webhooks::signature::now();
    // (timestamp, signature header, expected status)
    let cases = [
        (now, secret.sign("msg_1", now, body), 204),
        (now, other.sign("msg_1", now, body), 401),
        (now - 301, secret.sign("msg_1", now - 301, body), 401),
        (now, "v1,".to_string(), 401),
        // Rotation: the old key's and the new key's signatures in one header.
        (
            now,
            format!(
                "{} {}",
                other.sign("msg_1", now, body),
                secret.sign("msg_1", now, body)
            ),
            204,
        ),
    ];
    let l = listen(&["--secret", SECRET, "--max", &cases.len().to_string()]);
    for (ts, sig, want) in &cases {
        let mut s = TcpStream::connect(("127.0.0.1", l.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let req = format!(
            "POST /hook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nwebhook-id: msg_1\r\nwebhook-timestamp: {ts}\r\nwebhook-signature: {sig}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        s.write_all(req.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {want}")),
            "{sig}: {answer}"
        );
        if *want == 401 {
            assert!(answer.contains("\"ok\":false"), "{answer}");
        }
    }
    let (code, out, err) = l.finish();
    assert_eq!(code, Some(1));
    assert!(out.contains("stale-timestamp"), "{out}");
    assert!(out.contains("bad-signature"), "{out}");
    assert!(err.contains("3 bad signature or timestamp"), "{err}");
}

/// `eventcat validate -` running: its stdin, and its stdout's lines as
/// they come.
fn validate_stdin() -> (
    std::process::Child,
    std::process::ChildStdin,
    mpsc::Receiver<String>,
) {
    let mut child = bin()
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, stdin, rx)
}

#[test]
fn validate_stdin_reports_each_event_as_its_line_arrives() {
    let (mut child, mut stdin, rx) = validate_stdin();
    // Stdin stays open: each line must be reported before the next is written.
    for i in 0..3 {
        writeln!(stdin, "{{\"code\": \"nope.{i}\", \"data\": {{}}}}").unwrap();
        stdin.flush().unwrap();
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("event {i} was not reported while stdin is open"));
        assert!(
            line.starts_with(&format!("<stdin>:{}: nope.{i}:", i + 1)),
            "{line}"
        );
    }
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn validate_stdin_reports_events_sent_without_a_line_end() {
    let (mut child, mut stdin, rx) = validate_stdin();
    // Concatenated documents, no line end, stdin left open: each is
    // reported once it closes.
    for i in 0..2 {
        write!(stdin, "{{\"code\": \"nope.{i}\", \"data\": {{}}}}").unwrap();
        stdin.flush().unwrap();
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("event {i} was not reported while stdin is open"));
        assert!(line.starts_with(&format!("<stdin>:1: nope.{i}:")), "{line}");
    }
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

/// Interop with the npm `standardwebhooks` package: its consumer verifies
/// what `send` signs (and refuses `--tamper`'s forgeries), `listen` verifies
/// what it signs, and it reproduces the published vectors too.
#[test]
fn interop_with_npm_standardwebhooks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/webhooks");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok || !dir.join("node_modules/standardwebhooks").exists() {
        let why = "node or tests/webhooks/node_modules missing (npm ci --prefix tests/webhooks)";
        if std::env::var_os("CI").is_some() {
            panic!("CI must install the interop test's tools: {why}");
        }
        eprintln!("skipped: {why}");
        return;
    }
    let node = |args: &[&str]| {
        let mut c = Command::new("node");
        c.arg(dir.join("interop.mjs")).args(args);
        c
    };
    // The published vectors, signed by the npm package.
    let v = node(&["vectors"]).output().unwrap();
    assert_eq!(
        text(&v.stdout),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\nv1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=\n"
    );

    // eventcat signs, npm verifies: genuine ones 204, forged and stale 401.
    let scratch = scratch("interop");
    let file = scratch.join("events.ndjson");
    let events = run(&["fixtures", "--select", "dir_sync.all", "--count", "0"]).stdout;
    std::fs::write(&file, &events).unwrap();
    let n = lines(&events);
    let server = Server::start({
        let mut c = node(&["serve", SECRET, &(3 * n).to_string()]);
        c.env_remove("CI");
        c
    });
    let url = format!("http://127.0.0.1:{}/", server.port);
    let (code, report) = send_json(&[
        "--to",
        &url,
        "--secret",
        SECRET,
        "--tamper",
        "--max-attempts",
        "1",
        file.to_str().unwrap(),
    ]);
    let (_, nout, _) = server.finish();
    assert_eq!(code, Some(0), "{report:#}\n{nout}");
    assert_eq!(nout.lines().filter(|l| l.starts_with("204 ")).count(), n);
    assert_eq!(
        nout.lines().filter(|l| l.starts_with("401 ")).count(),
        2 * n
    );

    // npm signs, eventcat listen verifies.
    let l = listen(&["--secret", SECRET, "--max", &n.to_string()]);
    let sent = node(&["send", &l.url(), SECRET, file.to_str().unwrap()])
        .output()
        .unwrap();
    let (code, out, err) = l.finish();
    assert_eq!(
        text(&sent.stdout)
            .lines()
            .filter(|l| l.starts_with("204 "))
            .count(),
        n,
        "{}\n{out}",
        text(&sent.stderr)
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains(&format!("received {n} deliveries")), "{err}");
}

/// `[delivery]`: checked by the loader (errors at file:line:column), shown on
/// the docs page, and followed by `send` (header names, retry schedule).
#[test]
fn delivery_section_is_checked_shown_and_followed() {
    let dir = scratch("delivery");
    let catalog = dir.join("schema");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("schema"),
        &catalog,
    );
    let toml = catalog.join("delivery.toml");
    std::fs::write(
        &toml,
        "[delivery]\nscheme = \"hmac-md5\"\nsignature_header = \"x sig\"\nretry = [\"5s\", \"soon\"]\ngone = \"forever\"\n",
    )
    .unwrap();
    let out = run(&[
        "lint",
        "--format",
        "json",
        "--catalog",
        catalog.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let diags: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = diags.to_string();
    for (line, what) in [
        (2, "unknown signing scheme"),
        (3, "not an HTTP header name"),
        (4, "is not a duration"),
        (5, "is not what a `410 Gone` stops"),
    ] {
        assert!(
            diags["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["line"] == line
                    && d["file"].as_str().unwrap().ends_with("delivery.toml")
                    && d["message"].as_str().unwrap().contains(what)),
            "{what} at line {line}: {text}"
        );
    }

    std::fs::write(
        &toml,
        "[delivery]\nsignature_header = \"X-Sig\"\ntolerance = \"2m\"\nretry = [\"1s\", \"2s\"]\n",
    )
    .unwrap();
    let out_dir = dir.join("out");
    let gen = run(&[
        "generate",
        "--catalog",
        catalog.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(gen.status.code(), Some(0), "{}", common::text(&gen.stderr));
    let md = std::fs::read_to_string(out_dir.join("docs/events.md")).unwrap();
    assert!(md.contains("### Delivery"), "{md}");
    assert!(md.contains("x-sig") && md.contains("retried after 1s, 2s") && md.contains("2m"));
    let html = std::fs::read_to_string(out_dir.join("docs/events.html")).unwrap();
    assert!(html.contains("id=\"delivery\"") && html.contains("x-sig"));

    // send signs in `x-sig` and retries twice (3 attempts), 1 s and 2 s scaled.
    let (url, server) = endpoint(vec![(500, ""), (500, ""), (500, "")]);
    let file = one_event();
    let (code, report) = send_json(&[
        "--catalog",
        catalog.to_str().unwrap(),
        "--to",
        &url,
        "--secret",
        SECRET,
        "--retry-scale",
        "0.01",
        file.to_str().unwrap(),
    ]);
    let seen = server.join().unwrap();
    assert_eq!(code, Some(1));
    assert_eq!(report["deliveries"][0]["attempts"], 3);
    assert_eq!(seen.len(), 3);
    assert!(
        header(&seen[0].1, "x-sig").starts_with("v1,"),
        "{}",
        seen[0].1
    );
    assert!(seen[2].0 - seen[1].0 >= Duration::from_millis(20));
}
