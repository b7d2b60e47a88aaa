//! The work of one batch: parse each event, dispatch it on its code, and
//! count.

use std::collections::BTreeMap;

use serde_json::Value;

use super::numbers;
use super::reader::{Batch, Item};
use super::schema::{CodeOf, Validators, Violation};

/// One event (or piece of input) that breaks the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Line (1-based) the event starts on; for malformed JSON, the line of
    /// the syntax error. 0: the source could not be opened.
    pub line: u64,
    /// The code the event carries, as found (`None`: no usable code).
    pub code: Option<String>,
    /// Index of the code in the catalog's codes, when it is one of them.
    pub index: Option<usize>,
    /// What is wrong, sorted by pointer.
    pub violations: Vec<Violation>,
}

/// Counts of one batch (added up into the summary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Per catalog code (catalog order): events, and how many were invalid.
    pub per_code: Vec<(u64, u64)>,
    /// Events read, malformed ones included.
    pub events: u64,
    /// Events that broke the contract in any way.
    pub invalid: u64,
    /// Malformed JSON (or input that is not an event).
    pub malformed: u64,
    /// Events whose code is not in the catalog.
    pub unknown: u64,
    /// Events without a usable code (missing, not a string, not an object).
    pub no_code: u64,
    /// Occurrences of each unknown code.
    pub unknown_codes: BTreeMap<String, u64>,
    /// Sources that could not be read.
    pub unreadable: u64,
}

impl Counts {
    /// Zero counts for `codes` catalog codes.
    pub fn new(codes: usize) -> Self {
        Counts {
            per_code: vec![(0, 0); codes],
            ..Counts::default()
        }
    }

    /// Adds another batch's counts. At most `max_unknown` distinct unknown
    /// codes are kept by name (memory stays bounded); the rest are only
    /// counted in [`Counts::unknown`].
    pub fn add(&mut self, other: &Counts, max_unknown: usize) {
        for (a, b) in self.per_code.iter_mut().zip(&other.per_code) {
            a.0 += b.0;
            a.1 += b.1;
        }
        self.events += other.events;
        self.invalid += other.invalid;
        self.malformed += other.malformed;
        self.unknown += other.unknown;
        self.no_code += other.no_code;
        self.unreadable += other.unreadable;
        for (code, n) in &other.unknown_codes {
            if let Some(c) = self.unknown_codes.get_mut(code) {
                *c += n;
            } else if self.unknown_codes.len() < max_unknown {
                self.unknown_codes.insert(code.clone(), *n);
            }
        }
    }
}

/// What a worker hands back for one batch.
#[derive(Debug)]
pub struct Checked {
    /// Source index.
    pub source: usize,
    /// Invalid events, in input order.
    pub findings: Vec<Finding>,
    /// Counts.
    pub counts: Counts,
    /// I/O errors of the source (message), if reading it failed.
    pub unreadable: Option<String>,
    /// Findings whose message names a later line ([`closes_before`]):
    /// (index in `findings`, lines after the finding's line, the rest of
    /// the message), remade when the lines move ([`Checked::shift_lines`]).
    names_line: Vec<(usize, u64, String)>,
}

impl Checked {
    /// Nothing checked yet, for `source`, with `codes` catalog codes.
    pub fn new(source: usize, codes: usize) -> Self {
        Checked {
            source,
            findings: Vec::new(),
            counts: Counts::new(codes),
            unreadable: None,
            names_line: Vec::new(),
        }
    }

    /// Moves every line `by` lines down: a worker numbers the lines of its
    /// block from 1, and the printer, which knows where the block starts,
    /// moves them.
    pub fn shift_lines(&mut self, by: u64) {
        for f in &mut self.findings {
            f.line += by;
        }
        for (i, after, rest) in &self.names_line {
            let f = &mut self.findings[*i];
            if let Some(v) = f.violations.first_mut() {
                v.message = closes_before(f.line + after, rest);
            }
        }
    }

    /// Checks one event's JSON text (starting on `line`) and counts it. An
    /// error: the text is not one JSON value; nothing is counted then.
    pub fn event(
        &mut self,
        bytes: &[u8],
        line: u64,
        validators: &Validators,
    ) -> Result<(), serde_json::Error> {
        self.record(check_event(bytes, validators)?, line, validators);
        Ok(())
    }

    /// [`Checked::event`] of text known to be UTF-8.
    pub fn event_str(
        &mut self,
        text: &str,
        line: u64,
        validators: &Validators,
    ) -> Result<(), serde_json::Error> {
        let result = match validators.program() {
            Some(program) => program.check_str(text)?,
            None => check_event(text.as_bytes(), validators)?,
        };
        self.record(result, line, validators);
        Ok(())
    }

    /// Counts a checked event (starting on `line`).
    fn record(&mut self, checked: (CodeOf, Vec<Violation>), line: u64, validators: &Validators) {
        let (code, violations) = checked;
        let counts = &mut self.counts;
        counts.events += 1;
        let invalid = !violations.is_empty();
        // The code's name is kept only for a finding (most events are
        // valid: no allocation for them).
        let (name, index) = match code {
            CodeOf::Known(i) => {
                counts.per_code[i].0 += 1;
                counts.per_code[i].1 += u64::from(invalid);
                (invalid.then(|| validators.codes()[i].clone()), Some(i))
            }
            CodeOf::Unknown(c) => {
                counts.unknown += 1;
                *counts.unknown_codes.entry(c.clone()).or_default() += 1;
                (Some(c), None)
            }
            CodeOf::None => {
                counts.no_code += 1;
                (None, None)
            }
        };
        if invalid {
            counts.invalid += 1;
            self.findings.push(Finding {
                line,
                code: name,
                index,
                violations,
            });
        }
    }

    /// Checks every item of a batch.
    pub fn batch(&mut self, batch: &Batch, validators: &Validators) {
        for item in &batch.items {
            match item {
                Item::Event {
                    start,
                    end,
                    line,
                    incomplete,
                } => {
                    if let Err(e) = self.event(&batch.buf[*start..*end], *line, validators) {
                        self.counts.events += 1;
                        self.counts.invalid += 1;
                        self.counts.malformed += 1;
                        let (finding, names_line) = malformed(*line, *incomplete, &e);
                        if let Some((after, rest)) = names_line {
                            self.names_line.push((self.findings.len(), after, rest));
                        }
                        self.findings.push(finding);
                    }
                }
                Item::Malformed { line, message } => {
                    self.counts.events += 1;
                    self.counts.invalid += 1;
                    self.counts.malformed += 1;
                    self.findings.push(Finding {
                        line: *line,
                        code: None,
                        index: None,
                        violations: vec![Violation::other(
                            String::new(),
                            "malformed-json",
                            format!("malformed JSON: {message}"),
                        )],
                    });
                }
                Item::Unreadable { message, .. } => {
                    self.counts.unreadable += 1;
                    self.unreadable = Some(message.clone());
                }
            }
        }
    }
}

/// Checks every event of a batch.
pub fn check_batch(batch: &Batch, validators: &Validators) -> Checked {
    let mut checked = Checked::new(batch.source, validators.codes().len());
    checked.batch(batch, validators);
    checked
}

/// Checks one event's JSON text with the validators' engine: its code and
/// its violations (duplicate keys first, then by pointer). An error: the
/// text is not JSON.
pub fn check_event(
    bytes: &[u8],
    validators: &Validators,
) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
    if let Some(program) = validators.program() {
        return program.check(bytes);
    }
    let mut value = serde_json::from_slice::<Value>(bytes)?;
    let written = numbers::scan(bytes);
    numbers::adjust(&mut value, &written);
    let (code, mut violations) = validators.check(&value);
    numbers::as_written(&mut violations, &value, &written);
    violations.splice(0..0, super::duplicates::violations(bytes, &value));
    Ok((code, violations))
}

/// A finding for an event that does not parse, at the line of the error;
/// and, when its message names a later line, that line as (lines after the
/// finding's line, the rest of the message) for [`closes_before`].
fn malformed(
    line: u64,
    incomplete: bool,
    e: &serde_json::Error,
) -> (Finding, Option<(u64, String)>) {
    let full = e.to_string();
    // serde_json appends " at line L column C"; we give the absolute line.
    let msg = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_string();
    let mut names_line = None;
    let (at_line, message) = if incomplete && e.is_eof() {
        (
            line,
            "malformed JSON: the event never closes (truncated line, or a missing `}` or `]`)"
                .to_string(),
        )
    } else if incomplete && e.line() > 1 {
        // The error is past the event's first line, where the scanner saw
        // the next event start: most likely the event was cut short.
        let after = e.line() as u64 - 1;
        let rest = format!("({msg} at column {})", e.column());
        let message = closes_before(line + after, &rest);
        names_line = Some((after, rest));
        (line, message)
    } else if e.line() == 0 {
        (line, format!("malformed JSON: {msg}"))
    } else {
        (
            line + e.line() as u64 - 1,
            format!("malformed JSON: {msg} at column {}", e.column()),
        )
    };
    let finding = Finding {
        line: at_line,
        code: None,
        index: None,
        violations: vec![Violation::other(String::new(), "malformed-json", message)],
    };
    (finding, names_line)
}

/// The message of an event cut short: it never closes before `line`, where
/// the next event starts; `rest` says what the parser found there.
fn closes_before(line: u64, rest: &str) -> String {
    format!("malformed JSON: the event never closes before line {line} {rest}")
}
