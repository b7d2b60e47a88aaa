//! What `eventcat validate` prints: violations as they are found (in input
//! order), then a summary. Three formats:
//! - human: one line per violation on stdout,
//!   `file:line: code: /json/pointer: message`, and the summary on stderr;
//! - json: one JSON document on stdout, violations streamed one per line,
//!   the summary last;
//! - junit: JUnit XML on stdout, one test case per catalog code (failed,
//!   passed, or skipped when no event had the code), plus cases for unknown
//!   codes, malformed input and unreadable files.
//!
//! Memory stays bounded: human and json stream; junit keeps at most
//! [`JUNIT_LINES_PER_CASE`] lines per case.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::dispatch::{Counts, Finding};

mod junit;

pub use junit::Junit;

/// Lines of detail a JUnit test case keeps; further ones are only counted.
pub const JUNIT_LINES_PER_CASE: usize = 200;

/// The figures of a whole run.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Catalog name.
    pub catalog: String,
    /// Catalog version.
    pub version: String,
    /// The catalog's codes, in catalog order.
    pub codes: Vec<String>,
    /// Number of sources read (files, stdin).
    pub sources: usize,
    /// Counts.
    pub counts: Counts,
    /// Sources that could not be read, with why.
    pub unreadable: Vec<String>,
    /// Per catalog code (same order as `codes`): `planned` (announced, not
    /// sent yet). Planned codes are not expected in a capture, so they are
    /// left out of "never seen".
    pub planned: Vec<bool>,
    /// `--min-events`: fewer events than this is a failed check.
    pub min_events: u64,
}

/// How much of the summary the human format prints (`--summary`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Detail {
    /// The totals, the codes with invalid events, and the number of codes
    /// never seen.
    #[default]
    Short,
    /// Also a table of every code seen and the list of codes never seen.
    Full,
}

impl Summary {
    /// Events that broke nothing.
    pub fn valid(&self) -> u64 {
        self.counts.events - self.counts.invalid
    }

    /// Catalog codes no event carried (producer coverage), planned codes
    /// left out.
    pub fn never_seen(&self) -> Vec<&str> {
        self.unseen(false)
    }

    /// Planned codes no event carried (not expected yet).
    pub fn planned_unseen(&self) -> Vec<&str> {
        self.unseen(true)
    }

    fn unseen(&self, planned: bool) -> Vec<&str> {
        self.codes
            .iter()
            .zip(&self.counts.per_code)
            .enumerate()
            .filter(|(i, (_, (n, _)))| {
                *n == 0 && self.planned.get(*i).copied().unwrap_or(false) == planned
            })
            .map(|(_, (c, _))| c.as_str())
            .collect()
    }

    /// Fewer events than `--min-events` asks for.
    pub fn too_few(&self) -> bool {
        self.counts.events < self.min_events
    }

    /// The `--min-events` failure, for people.
    pub fn too_few_message(&self) -> String {
        format!(
            "checked {} event{}, fewer than --min-events {}: an empty or truncated capture proves nothing (pass --min-events 0 to allow it)",
            self.counts.events,
            plural(self.counts.events),
            self.min_events
        )
    }

    /// Nothing failed: no invalid event, every input read, enough events.
    pub fn ok(&self) -> bool {
        self.counts.invalid == 0 && self.unreadable.is_empty() && !self.too_few()
    }

    /// The summary as JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "catalog": self.catalog,
            "version": self.version,
            "sources": self.sources,
            "events": self.counts.events,
            "valid": self.valid(),
            "invalid": self.counts.invalid,
            "malformed": self.counts.malformed,
            "unknown_code": self.counts.unknown,
            "no_code": self.counts.no_code,
            "codes": self.codes.iter().zip(&self.counts.per_code).map(|(c, (n, bad))| json!({
                "code": c,
                "events": n,
                "valid": n - bad,
                "invalid": bad,
            })).collect::<Vec<_>>(),
            "unknown_codes": self.counts.unknown_codes,
            "never_seen": self.never_seen(),
            "planned_not_seen": self.planned_unseen(),
            "unreadable": self.unreadable,
            "min_events": self.min_events,
        })
    }

    /// The summary for people.
    pub fn human(&self, level: Detail) -> String {
        let mut out = self.totals_line();
        out.push_str(&self.code_table(level));
        if !self.counts.unknown_codes.is_empty() {
            let list: Vec<String> = self
                .counts
                .unknown_codes
                .iter()
                .map(|(code, n)| format!("{code} ({n})"))
                .collect();
            out.push_str(&format!("unknown codes: {}\n", list.join(", ")));
        }
        out.push_str(&self.coverage(level));
        out
    }

    /// The first line: events and inputs checked, valid and invalid, and
    /// what else was counted.
    fn totals_line(&self) -> String {
        let c = &self.counts;
        let mut out = format!(
            "checked {} event{} from {} input{}: {} valid, {} invalid",
            c.events,
            plural(c.events),
            self.sources,
            plural(self.sources as u64),
            self.valid(),
            c.invalid
        );
        let mut detail = Vec::new();
        if c.malformed > 0 {
            detail.push(format!("{} malformed", c.malformed));
        }
        if c.unknown > 0 {
            detail.push(format!("{} unknown code", c.unknown));
        }
        if c.no_code > 0 {
            detail.push(format!("{} without a code", c.no_code));
        }
        if !detail.is_empty() {
            out.push_str(&format!(" ({})", detail.join(", ")));
        }
        out.push('\n');
        out
    }

    /// The table of codes: short, only the codes with invalid events; full,
    /// every code seen. Empty when no code qualifies.
    fn code_table(&self, level: Detail) -> String {
        let rows: Vec<(&String, &(u64, u64))> = self
            .codes
            .iter()
            .zip(&self.counts.per_code)
            .filter(|(_, (n, bad))| *n > 0 && (level == Detail::Full || *bad > 0))
            .collect();
        let mut out = String::new();
        if !rows.is_empty() {
            let w = rows.iter().map(|(code, _)| code.len()).max().unwrap_or(4);
            out.push_str(&format!(
                "  {:w$}  {:>9}  {:>9}  {:>9}\n",
                "code", "events", "valid", "invalid"
            ));
            for (code, (n, bad)) in rows {
                out.push_str(&format!("  {code:w$}  {n:>9}  {:>9}  {bad:>9}\n", n - bad));
            }
        }
        out
    }

    /// Producer coverage: the codes sent today never seen (counted, or
    /// listed in full), and the planned codes not sent yet.
    fn coverage(&self, level: Detail) -> String {
        let never = self.never_seen();
        let planned = self.planned_unseen();
        let expected = self.codes.len() - planned.len();
        let planned_note = match planned.len() {
            0 => String::new(),
            1 => "; 1 planned code not sent yet is not expected".to_string(),
            n => format!("; {n} planned codes not sent yet are not expected"),
        };
        let mut out = String::new();
        if never.is_empty() {
            out.push_str(&format!(
                "every one of the {expected} codes sent today was seen{planned_note}\n"
            ));
        } else if level == Detail::Short {
            out.push_str(&format!(
                "never seen: {} of {expected} codes sent today{planned_note} (--summary full lists them)\n",
                never.len()
            ));
        } else {
            out.push_str(&format!(
                "never seen ({} of {expected} codes sent today{planned_note}):\n",
                never.len()
            ));
            for code in never {
                out.push_str(&format!("  {code}\n"));
            }
        }
        if level == Detail::Full && !planned.is_empty() {
            out.push_str(&format!("planned, not sent yet: {}\n", planned.join(", ")));
        }
        out
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Where findings go.
pub trait Sink {
    /// An invalid event (called in input order).
    fn finding(&mut self, source: &str, finding: &Finding) -> io::Result<()>;
    /// A source that could not be read.
    fn unreadable(&mut self, message: &str) -> io::Result<()>;
    /// The end of the run.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
    /// Everything read so far is reported: write out what is buffered (so
    /// a stream, `tail -f | eventcat validate`, is reported as it arrives).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `-` stands for "no code" or "the whole event".
fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

/// The one-line form of every violation of a finding:
/// `file:line: code: /json/pointer: message`.
pub fn lines(source: &str, f: &Finding) -> Vec<String> {
    let code = f.code.as_deref().unwrap_or("");
    f.violations
        .iter()
        .map(|v| {
            format!(
                "{source}:{}: {}: {}: {}",
                f.line,
                or_dash(code),
                or_dash(&v.pointer),
                v.message
            )
        })
        .collect()
}

/// Lines on stdout, summary on stderr.
pub struct Human<W: Write, E: Write> {
    out: W,
    err: E,
    quiet: bool,
    detail: Detail,
}

impl<W: Write, E: Write> Human<W, E> {
    /// Writes violations to `out` and the summary (unless `quiet`) to `err`,
    /// with `detail`.
    pub fn new(out: W, err: E, quiet: bool, detail: Detail) -> Self {
        Human {
            out,
            err,
            quiet,
            detail,
        }
    }
}

impl<W: Write, E: Write> Sink for Human<W, E> {
    fn finding(&mut self, source: &str, finding: &Finding) -> io::Result<()> {
        for line in lines(source, finding) {
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    fn unreadable(&mut self, message: &str) -> io::Result<()> {
        self.out.flush()?;
        writeln!(self.err, "error: {message}")
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.flush()?;
        if !self.quiet {
            write!(self.err, "{}", summary.human(self.detail))?;
        }
        if summary.too_few() {
            writeln!(self.err, "error: {}", summary.too_few_message())?;
        }
        self.err.flush()
    }
}

/// One JSON document: `{"violations": [...], "summary": {...}, "ok": bool}`,
/// violations streamed one per line.
pub struct Json<W: Write> {
    out: W,
    first: bool,
    started: bool,
}

impl<W: Write> Json<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> Self {
        Json {
            out,
            first: true,
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(self.out, "{{\"violations\": [")?;
        }
        Ok(())
    }
}

/// A violation as JSON.
pub fn violation_json(source: &str, f: &Finding, v: &super::schema::Violation) -> Value {
    json!({
        "file": source,
        "line": f.line,
        "code": f.code,
        "known_code": f.index.is_some(),
        "pointer": v.pointer,
        "kind": v.kind,
        "message": v.message,
        "expected": v.expected,
        "found": v.found,
    })
}

impl<W: Write> Sink for Json<W> {
    fn finding(&mut self, source: &str, finding: &Finding) -> io::Result<()> {
        self.start()?;
        for v in &finding.violations {
            let sep = if self.first { "\n  " } else { ",\n  " };
            self.first = false;
            write!(self.out, "{sep}{}", violation_json(source, finding, v))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn unreadable(&mut self, _message: &str) -> io::Result<()> {
        Ok(()) // listed in the summary
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.start()?;
        let summary_text = serde_json::to_string_pretty(&summary.to_json())
            .expect("JSON serializes")
            .replace('\n', "\n  ");
        let ok = summary.ok();
        let close = if self.first { "]" } else { "\n]" };
        writeln!(
            self.out,
            "{close},\n  \"summary\": {summary_text},\n  \"ok\": {ok}\n}}"
        )?;
        self.out.flush()
    }
}

/// Escapes text for XML 1.0 (characters XML cannot hold become U+FFFD).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
