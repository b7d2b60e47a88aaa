//! The parse-only baseline: reads an NDJSON file the way a validator must
//! (a chunk at a time, split into lines) and parses every line with
//! serde_json into `IgnoredAny` (JSON syntax checked, nothing kept), on one
//! thread. Prints a JSON summary on stdout: bytes, events, malformed,
//! seconds.
//!
//! Usage: parse-baseline [--value] FILE.ndjson
//!
//! `--value`: parse into `serde_json::Value` instead (the document tree a
//! validator needs), to tell the cost of building it from the cost of
//! schema validation.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use serde::de::IgnoredAny;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = args.iter().any(|a| a == "--value");
    let path = args
        .iter()
        .find(|a| *a != "--value")
        .expect("usage: parse-baseline [--value] FILE.ndjson");
    let start = Instant::now();
    let file = std::fs::File::open(path).expect("open input");
    let mut reader = BufReader::with_capacity(256 << 10, file);
    let mut line = Vec::with_capacity(1 << 16);
    let (mut bytes, mut events, mut malformed) = (0u64, 0u64, 0u64);
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).expect("read");
        if n == 0 {
            break;
        }
        bytes += n as u64;
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        events += 1;
        let ok = if value {
            serde_json::from_slice::<serde_json::Value>(text).is_ok()
        } else {
            serde_json::from_slice::<IgnoredAny>(text).is_ok()
        };
        if !ok {
            malformed += 1;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{{\"bytes\": {bytes}, \"events\": {events}, \"malformed\": {malformed}, \"seconds\": {seconds:.3}}}"
    );
}
