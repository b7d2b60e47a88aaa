//! The JUnit XML report: one test case per catalog code (failed, passed, or
//! skipped when no event had the code), plus cases for unknown codes,
//! malformed input, unreadable files and `--min-events`.

use std::io::{self, Write};

use super::{lines, plural, xml_escape, Sink, Summary, JUNIT_LINES_PER_CASE};
use crate::validate::dispatch::Finding;

/// The findings one test case collects.
#[derive(Debug, Default, Clone)]
struct Case {
    lines: Vec<String>,
    events: u64,
}

impl Case {
    /// Counts an invalid event and keeps its lines, up to the limit.
    fn add(&mut self, source: &str, f: &Finding) {
        self.events += 1;
        for line in lines(source, f) {
            if self.lines.len() < JUNIT_LINES_PER_CASE {
                self.lines.push(line);
            }
        }
    }
}

/// JUnit XML, written at the end.
pub struct Junit<W: Write> {
    out: W,
    per_code: Vec<Case>,
    unknown: Case,
    malformed: Case,
    unreadable: Vec<String>,
}

impl<W: Write> Junit<W> {
    /// Writes to `out`, for a catalog of `codes` codes.
    pub fn new(out: W, codes: usize) -> Self {
        Junit {
            out,
            per_code: vec![Case::default(); codes],
            unknown: Case::default(),
            malformed: Case::default(),
            unreadable: Vec::new(),
        }
    }
}

/// A failed case's text: the lines kept, and how many events there were
/// when some were left out.
fn failure_body(case: &Case) -> String {
    let mut body = case.lines.join("\n");
    let shown = case.lines.len();
    let total: usize = case.events as usize;
    if shown >= JUNIT_LINES_PER_CASE {
        body.push_str(&format!(
            "\n... (first {JUNIT_LINES_PER_CASE} lines shown; {total} invalid events in all)"
        ));
    }
    body
}

/// The test cases of the report as XML, and their tallies.
#[derive(Debug, Default)]
struct Cases {
    xml: String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Cases {
    /// One case per catalog code: skipped when no event had it (left out
    /// when it is planned), failed when an event was invalid.
    fn codes(&mut self, summary: &Summary, per_code: &[Case]) {
        for (i, code) in summary.codes.iter().enumerate() {
            let (n, bad) = summary.counts.per_code[i];
            if n == 0 && summary.planned.get(i).copied().unwrap_or(false) {
                continue; // planned: not sent yet, so not expected
            }
            self.tests += 1;
            let family = code.split('.').next().unwrap_or("");
            let head = format!(
                "    <testcase classname=\"{}\" name=\"{}\">",
                xml_escape(&format!("{}.{family}", summary.catalog)),
                xml_escape(code)
            );
            if n == 0 {
                self.skipped += 1;
                self.xml.push_str(&format!(
                    "{head}\n      <skipped message=\"no event with this code in the input\"/>\n    </testcase>\n"
                ));
            } else if bad > 0 {
                self.failures += 1;
                self.xml.push_str(&format!(
                    "{head}\n      <failure type=\"contract-violation\" message=\"{bad} of {n} events invalid\">{}</failure>\n    </testcase>\n",
                    xml_escape(&failure_body(&per_code[i]))
                ));
            } else {
                self.xml
                    .push_str(&format!("{}/>\n", head.trim_end_matches('>')));
            }
        }
    }

    /// The cases of events with unknown codes and of malformed input.
    fn input(&mut self, summary: &Summary, unknown: &Case, malformed: &Case) {
        let extra: [(&str, &Case, &str); 2] = [
            ("events with a known code", unknown, "unknown-code"),
            ("well-formed events", malformed, "malformed"),
        ];
        for (name, case, kind) in extra {
            self.tests += 1;
            let head = self.head(summary, name);
            if case.events == 0 {
                self.xml.push_str(&format!("{head}/>\n"));
            } else {
                self.failures += 1;
                self.xml.push_str(&format!(
                    "{head}>\n      <failure type=\"{kind}\" message=\"{} events\">{}</failure>\n    </testcase>\n",
                    case.events,
                    xml_escape(&failure_body(case))
                ));
            }
        }
    }

    /// The case of the inputs that could not be read (an error).
    fn readable(&mut self, summary: &Summary, unreadable: &[String]) {
        self.tests += 1;
        let head = self.head(summary, "readable inputs");
        if unreadable.is_empty() {
            self.xml.push_str(&format!("{head}/>\n"));
        } else {
            self.errors += 1;
            self.xml.push_str(&format!(
                "{head}>\n      <error type=\"io\" message=\"{} unreadable\">{}</error>\n    </testcase>\n",
                unreadable.len(),
                xml_escape(&unreadable.join("\n"))
            ));
        }
    }

    /// The `--min-events` case, when one is asked for.
    fn min_events(&mut self, summary: &Summary) {
        if summary.min_events == 0 {
            return;
        }
        self.tests += 1;
        let name = format!(
            "at least {} event{}",
            summary.min_events,
            plural(summary.min_events)
        );
        let head = self.head(summary, &name);
        if summary.too_few() {
            self.failures += 1;
            self.xml.push_str(&format!(
                "{head}>\n      <failure type=\"min-events\" message=\"{}\"/>\n    </testcase>\n",
                xml_escape(&summary.too_few_message())
            ));
        } else {
            self.xml.push_str(&format!("{head}/>\n"));
        }
    }

    /// The open start tag of a case of the whole catalog, `name` as is.
    fn head(&self, summary: &Summary, name: &str) -> String {
        format!(
            "    <testcase classname=\"{}\" name=\"{name}\"",
            xml_escape(&summary.catalog)
        )
    }
}

impl<W: Write> Junit<W> {
    /// Writes the document: the suite, its properties, then `cases`.
    fn write(&mut self, summary: &Summary, cases: &Cases) -> io::Result<()> {
        let suite = format!("{}@{}", summary.catalog, summary.version);
        let Cases {
            xml,
            tests,
            failures,
            errors,
            skipped,
        } = cases;
        let c = &summary.counts;
        writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            self.out,
            "<testsuites name=\"eventcat validate\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
        )?;
        writeln!(
            self.out,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
            xml_escape(&suite)
        )?;
        writeln!(self.out, "    <properties>")?;
        for (k, v) in [
            ("events", c.events),
            ("valid", summary.valid()),
            ("invalid", c.invalid),
            ("malformed", c.malformed),
            ("unknown_code", c.unknown),
        ] {
            writeln!(self.out, "      <property name=\"{k}\" value=\"{v}\"/>")?;
        }
        writeln!(self.out, "    </properties>")?;
        write!(self.out, "{xml}")?;
        writeln!(self.out, "  </testsuite>\n</testsuites>")?;
        self.out.flush()
    }
}

impl<W: Write> Sink for Junit<W> {
    fn finding(&mut self, source: &str, finding: &Finding) -> io::Result<()> {
        match (finding.index, &finding.code) {
            (Some(i), _) => self.per_code[i].add(source, finding),
            (None, Some(_)) => self.unknown.add(source, finding),
            (None, None) => self.malformed.add(source, finding),
        }
        Ok(())
    }

    fn unreadable(&mut self, message: &str) -> io::Result<()> {
        self.unreadable.push(message.to_string());
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let mut cases = Cases::default();
        cases.codes(summary, &self.per_code);
        cases.input(summary, &self.unknown, &self.malformed);
        cases.readable(summary, &self.unreadable);
        cases.min_events(summary);
        self.write(summary, &cases)
    }
}
