//! The producer contract check behind `eventcat validate`: captured events
//! against the catalog's JSON Schemas.
//!
//! - [`reader`] reads inputs (files, folders, stdin) in blocks of whole
//!   lines, and holds the structural scanner that cuts any layout (NDJSON,
//!   JSON documents, JSON arrays) into events;
//! - [`blocks`] checks a block in a worker thread, line by line where it is
//!   one event per line, with the scanner elsewhere, and stitches the blocks
//!   together in input order (the printer scans what a worker could not);
//! - [`compiled`] compiles the catalog into one validation program and
//!   checks each event while it is parsed (the default engine);
//! - [`schema`] compiles one validator per event code from the JSON Schema
//!   emitter's output, once, and turns schema errors into violations (the
//!   reference engine, `--engine reference`);
//! - [`dispatch`] checks an event (or a batch of them) against its code's
//!   validator and counts ([`numbers`] keeps numbers as written);
//! - [`report`] prints violations (human, JSON, JUnit) and the summary;
//! - [`examples`] checks the catalog's own examples (for `eventcat lint`).
//!
//! [`run`] wires them: one reader thread (it only reads and counts line
//! ends), N worker threads sharing the validators, and the calling thread
//! printing results in input order. Channels are bounded and at most a
//! fixed number of blocks are in flight, so memory stays constant whatever
//! the input size.

pub mod blocks;
pub mod compiled;
pub mod dispatch;
pub mod duplicates;
pub mod examples;
pub mod numbers;
pub mod reader;
pub mod report;
pub mod schema;

use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

use blocks::{read_blocks, speculate, Follow, Spare, Speculated};
use dispatch::Counts;
use reader::{Block, Source};
use report::{Sink, Summary};
pub use schema::{Engine, Validators, Violation};

/// Distinct unknown codes the summary names (others are only counted).
pub const MAX_UNKNOWN_CODES: usize = 100;

/// Per code of `codes`: whether the catalog marks it `planned`.
pub fn planned_flags(catalog: &eventcat_codegen::Catalog, codes: &[String]) -> Vec<bool> {
    let planned: std::collections::HashSet<&str> = catalog
        .events
        .iter()
        .filter(|e| e.status == eventcat_codegen::model::Status::Planned)
        .map(|e| e.code.as_str())
        .collect();
    codes.iter().map(|c| planned.contains(c.as_str())).collect()
}

/// The reader thread: every source in blocks, numbered in input order, each
/// sent once a token says there is room.
fn read_all(
    sources: &[Source],
    options: Options,
    spare: &Spare,
    token_tx: &mpsc::SyncSender<()>,
    work_tx: &mpsc::SyncSender<(u64, Block)>,
) {
    let mut seq = 0u64;
    for (i, source) in sources.iter().enumerate() {
        let mut go = true;
        let (size, positional) = (options.block_bytes, options.positional);
        read_blocks(i, source, size, positional, spare, &mut |block| {
            go = token_tx.send(()).is_ok() && work_tx.send((seq, block)).is_ok();
            seq += 1;
            go
        });
        if !go {
            return;
        }
    }
}

/// A worker thread: checks blocks until there are none (or nobody listens).
fn work(
    work_rx: &Mutex<mpsc::Receiver<(u64, Block)>>,
    done_tx: &mpsc::Sender<(u64, Speculated)>,
    validators: &Validators,
) {
    // The blocks a worker reads itself (regular files) are read into this
    // buffer, which stays in its core's cache (see `Block::fill`).
    let mut own = Vec::new();
    loop {
        let job = match work_rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((seq, mut block)) = job else { return };
        block.fill(&mut own);
        let mut sp = speculate(block, validators);
        sp.block.give_back(&mut own);
        if done_tx.send((seq, sp)).is_err() {
            return;
        }
    }
}

/// The calling thread's part: the blocks' results in input order, to the
/// sink.
struct Printer<'a> {
    sources: &'a [Source],
    validators: &'a Validators,
    spare: &'a Spare,
    counts: &'a mut Counts,
    unreadable: &'a mut Vec<String>,
}

impl Printer<'_> {
    fn print(
        self,
        done_rx: mpsc::Receiver<(u64, Speculated)>,
        token_rx: mpsc::Receiver<()>,
        sink: &mut dyn Sink,
    ) -> std::io::Result<()> {
        let mut next = 0u64;
        let mut pending: BTreeMap<u64, Speculated> = BTreeMap::new();
        let mut follow = Follow::default();
        for (seq, speculated) in done_rx.iter() {
            pending.insert(seq, speculated);
            while let Some(sp) = pending.remove(&next) {
                let (c, buf) = follow.take(sp, self.validators, self.spare);
                // (The blocks workers read themselves come back empty.)
                if buf.capacity() > 0 {
                    self.spare.give(buf);
                }
                let name = &self.sources[c.source].name;
                for f in &c.findings {
                    sink.finding(name, f)?;
                }
                if let Some(msg) = &c.unreadable {
                    sink.unreadable(msg)?;
                    self.unreadable.push(msg.clone());
                }
                self.counts.add(&c.counts, MAX_UNKNOWN_CODES);
                let _ = token_rx.recv();
                next += 1;
            }
            // Report what has arrived before waiting for more (stdin, FIFOs).
            if pending.is_empty() {
                sink.flush()?;
            }
        }
        Ok(())
    }
}

/// How [`run`] goes: worker threads, the fewest events for a passing
/// check, and the size of the blocks workers take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// `--min-events`: fewer is a failed check.
    pub min_events: u64,
    /// Bytes of input a worker takes at a time (tests vary it).
    pub block_bytes: usize,
    /// Regular files are read by the workers, each the bytes of the blocks
    /// it checks (positional reads, on Unix), rather than copied by the
    /// reader thread ([`read_blocks`]; tests run both).
    pub positional: bool,
}

impl Options {
    /// `threads` workers, `min_events`, blocks of [`BLOCK_BYTES`], regular
    /// files read by the workers.
    pub fn new(threads: usize, min_events: u64) -> Self {
        Options {
            threads,
            min_events,
            block_bytes: BLOCK_BYTES,
            positional: true,
        }
    }
}

/// Bytes of input a worker takes at a time.
pub const BLOCK_BYTES: usize = 1 << 20;

/// Checks every event of `sources` with `options.threads` workers,
/// reporting each invalid event to `sink` in input order (source, then
/// line), then the summary. Returns the summary; an error only if writing
/// to the sink failed (reading stops then).
pub fn run(
    catalog: &eventcat_codegen::Catalog,
    sources: &[Source],
    validators: &Validators,
    options: Options,
    sink: &mut dyn Sink,
) -> std::io::Result<Summary> {
    let Options {
        threads,
        min_events,
        ..
    } = options;
    let threads = threads.max(1);
    let codes = validators.codes().len();
    let mut counts = Counts::new(codes);
    let mut unreadable = Vec::new();

    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Block)>(threads * 2);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, Speculated)>();
    // One token per block in flight: the reader takes one before sending a
    // block, the printer gives it back once the block is printed.
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(threads * 4);

    let spare = Spare::default();
    let result = std::thread::scope(|s| {
        let spare = &spare;
        s.spawn(move || read_all(sources, options, spare, &token_tx, &work_tx));
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            s.spawn(move || work(work_rx, &done_tx, validators));
        }
        drop(done_tx);
        // Owned by the printer, so that returning early (a write error)
        // drops them and the reader and workers stop instead of waiting
        // forever.
        let printer = Printer {
            sources,
            validators,
            spare,
            counts: &mut counts,
            unreadable: &mut unreadable,
        };
        printer.print(done_rx, token_rx, sink)
    });
    result?;
    let summary = Summary {
        catalog: catalog.name.clone(),
        version: catalog.version.clone(),
        codes: validators.codes().to_vec(),
        sources: sources.len(),
        counts,
        unreadable,
        planned: planned_flags(catalog, validators.codes()),
        min_events,
    };
    sink.finish(&summary)?;
    Ok(summary)
}
