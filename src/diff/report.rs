//! What `eventcat diff` prints: for people, for machines (JSON), and for a
//! pull-request comment (Markdown).

use eventcat_codegen::diff::{breaking_bump, Bump, Change, Policy, Severity, Side};
use eventcat_codegen::model::Acknowledgement;

/// One side of the comparison, as shown in reports.
#[derive(Debug, Clone)]
pub struct Named {
    /// The folder or `REV:path`.
    pub source: String,
    /// The catalog's name.
    pub name: String,
    /// The catalog's version.
    pub version: String,
}

/// An `[[acknowledge]]` of the new catalog that matched no change.
#[derive(Debug, Clone)]
pub struct UnusedAck {
    /// The acknowledgement.
    pub ack: Acknowledgement,
    /// `file:line:column`.
    pub location: String,
}

/// The result of a comparison, judged.
#[derive(Debug)]
pub struct Report {
    /// The old catalog.
    pub old: Named,
    /// The new catalog.
    pub new: Named,
    /// Every change, most severe first (under `policy`), then in the
    /// comparison's order.
    pub changes: Vec<Change>,
    /// How changes are judged.
    pub policy: Policy,
    /// The severity from which a change fails the check.
    pub fail_on: Severity,
    /// Acknowledgements that matched nothing.
    pub unused: Vec<UnusedAck>,
    /// Whether the version bump fits the breaking changes.
    pub version: VersionCheck,
}

/// Whether the catalog version moved as far as its breaking changes need
/// (`--require-version-bump`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionCheck {
    /// Changes at `error` under the policy, acknowledged ones included (an
    /// intended break still needs the bump).
    pub breaking: usize,
    /// `major`, or `minor` below 1.0; `None` when nothing breaks, the bump
    /// is enough, or a version is not a semantic version.
    pub required: Option<&'static str>,
    /// Whether the bump fits (false also when it cannot be checked).
    pub ok: bool,
    /// Whether a failed check fails the command (`--require-version-bump`);
    /// otherwise it is a warning.
    pub enforced: bool,
    /// Why it does not pass.
    pub message: Option<String>,
}

impl VersionCheck {
    /// Checks `old` -> `new` for `breaking` breaking changes.
    pub fn new(breaking: usize, old: &str, new: &str, enforced: bool) -> Self {
        let mut check = VersionCheck {
            breaking,
            required: None,
            ok: true,
            enforced,
            message: None,
        };
        if breaking == 0 {
            return check;
        }
        let changes = plural(breaking, "breaking change");
        match breaking_bump(old, new) {
            Bump::Enough => {}
            Bump::TooSmall { required, next } => {
                check.required = Some(required);
                check.ok = false;
                let below = if required == "minor" {
                    " below 1.0"
                } else {
                    ""
                };
                check.message = Some(format!(
                    "{changes} but the version goes from {old} to {new}: breaking changes need a {required} version bump{below} (at least {next})"
                ));
            }
            Bump::NotSemver => {
                check.ok = false;
                check.message = Some(format!(
                    "{changes}, and the version `{old}` -> `{new}` is not a semantic version: the bump cannot be checked"
                ));
            }
        }
        check
    }

    /// `warning: ...` or `error: ...`, when there is something to say.
    pub fn line(&self) -> Option<String> {
        let m = self.message.as_ref()?;
        Some(if self.enforced {
            format!("error[version-bump]: {m}")
        } else {
            format!("warning[version-bump]: {m} (--require-version-bump makes this an error)")
        })
    }
}

/// Counts by effective severity, acknowledged changes apart.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Errors not acknowledged.
    pub error: usize,
    /// Warnings not acknowledged.
    pub warning: usize,
    /// Info.
    pub info: usize,
    /// Acknowledged changes (of any severity).
    pub acknowledged: usize,
}

impl Report {
    /// Builds a report; sorts `changes` by severity under `policy`;
    /// `require_bump`: a breaking change without a major version bump fails
    /// (else it is a warning).
    pub fn new(
        old: Named,
        new: Named,
        mut changes: Vec<Change>,
        policy: Policy,
        fail_on: Severity,
        unused: Vec<UnusedAck>,
        require_bump: bool,
    ) -> Self {
        changes.sort_by_key(|c| std::cmp::Reverse(c.severity(&policy)));
        let breaking = changes
            .iter()
            .filter(|c| c.severity(&policy) == Severity::Error)
            .count();
        let version = VersionCheck::new(breaking, &old.version, &new.version, require_bump);
        Report {
            version,
            old,
            new,
            changes,
            policy,
            fail_on,
            unused,
        }
    }

    /// Whether a change at or above `fail_on` is not acknowledged, or the
    /// version bump is required and missing.
    pub fn failed(&self) -> bool {
        self.changes_failed() || (self.version.enforced && !self.version.ok)
    }

    /// Whether a change at or above `fail_on` is not acknowledged.
    pub fn changes_failed(&self) -> bool {
        self.changes
            .iter()
            .any(|c| c.fails(&self.policy, self.fail_on))
    }

    /// Counts by severity.
    pub fn counts(&self) -> Counts {
        let mut n = Counts::default();
        for c in &self.changes {
            if c.acknowledged.is_some() {
                n.acknowledged += 1;
                continue;
            }
            match c.severity(&self.policy) {
                Severity::Error => n.error += 1,
                Severity::Warning => n.warning += 1,
                Severity::Info => n.info += 1,
            }
        }
        n
    }

    fn breaks(&self, c: &Change) -> String {
        sides_text(&c.sides)
    }

    fn policy_text(&self) -> String {
        format!(
            "mode {}{}, failing on {}",
            self.policy.mode.as_str(),
            if self.policy.source {
                ""
            } else {
                " without source"
            },
            self.fail_on
        )
    }

    fn summary(&self) -> String {
        let n = self.counts();
        let mut parts = vec![
            plural(n.error, "error"),
            plural(n.warning, "warning"),
            format!("{} info", n.info),
        ];
        if n.acknowledged > 0 {
            parts.push(format!("{} acknowledged", n.acknowledged));
        }
        parts.join(", ")
    }

    /// For people: errors and warnings with their details, info changes one
    /// per line, then a summary. `no changes` when there are none.
    pub fn human(&self) -> String {
        if self.changes.is_empty() {
            let mut out = String::from("no changes\n");
            self.unused_human(&mut out);
            return out;
        }
        let mut out = String::new();
        for c in &self.changes {
            let sev = c.severity(&self.policy);
            let label = if c.acknowledged.is_some() {
                format!("{sev} (acknowledged)")
            } else {
                sev.to_string()
            };
            if sev == Severity::Info && c.acknowledged.is_none() {
                out.push_str(&format!(
                    "info[{}]: {}: {}{}  ({})\n",
                    c.rule.id,
                    where_text(c),
                    c.message,
                    change_text(c)
                        .map(|t| format!(" ({t})"))
                        .unwrap_or_default(),
                    c.location
                ));
                continue;
            }
            out.push_str(&format!("{label}[{}]: {}\n", c.rule.id, c.message));
            out.push_str(&format!("  --> {}\n", c.location));
            if !c.path.is_empty() {
                out.push_str(&format!("   = path: {}\n", c.path));
            }
            out.push_str(&format!("   = codes: {}\n", codes_text(c, usize::MAX)));
            if let Some(t) = change_text(c) {
                out.push_str(&format!("   = change: {t}\n"));
            }
            let counted = c.counted_sides(&self.policy);
            let breaks = self.breaks(c);
            if counted.len() == c.sides.len() {
                out.push_str(&format!("   = breaks: {breaks}\n"));
            } else {
                out.push_str(&format!(
                    "   = breaks: {breaks} (counted in this mode: {})\n",
                    sides_text(&counted)
                ));
            }
            if c.planned && !self.policy.planned {
                out.push_str(
                    "   = planned: every code it affects is planned (not sent yet), so at most a warning; --planned counts it in full\n",
                );
            }
            if let Some(a) = &c.acknowledged {
                out.push_str(&format!(
                    "   = acknowledged: {} ({})\n",
                    a.reason, a.location
                ));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "{} -> {}: {} ({})\n",
            self.old.source,
            self.new.source,
            self.summary(),
            self.policy_text()
        ));
        if let Some(line) = self.version.line() {
            out.push_str(&line);
            out.push('\n');
        }
        self.unused_human(&mut out);
        out
    }

    fn unused_human(&self, out: &mut String) {
        for u in &self.unused {
            out.push_str(&format!(
                "note: the `[[acknowledge]]` of `{}`{} at {} matched no change; remove it once the release it was for is out\n",
                u.ack.rule,
                ack_target(&u.ack),
                u.location
            ));
        }
    }

    /// For machines: one JSON document.
    pub fn json(&self) -> serde_json::Value {
        let n = self.counts();
        let side_names = |s: &[Side]| s.iter().map(|s| s.as_str()).collect::<Vec<_>>();
        serde_json::json!({
            "old": named_json(&self.old),
            "new": named_json(&self.new),
            "mode": self.policy.mode.as_str(),
            "source": self.policy.source,
            "fail_on": self.fail_on.as_str(),
            "ok": !self.failed(),
            "planned": self.policy.planned,
            "version_bump": {
                "breaking": self.version.breaking,
                "required": self.version.required,
                "ok": self.version.ok,
                "enforced": self.version.enforced,
                "message": self.version.message,
            },
            "counts": {
                "error": n.error,
                "warning": n.warning,
                "info": n.info,
                "acknowledged": n.acknowledged,
            },
            "changes": self.changes.iter().map(|c| serde_json::json!({
                "rule": c.rule.id,
                "severity": c.severity(&self.policy).as_str(),
                "default_severity": c.rule.severity.as_str(),
                "breaks": side_names(&c.sides),
                "counted": side_names(&c.counted_sides(&self.policy)),
                "codes": if c.every_code() { serde_json::json!("all") } else { serde_json::json!(c.codes) },
                "planned": c.planned,
                "path": c.path,
                "old": c.old,
                "new": c.new,
                "message": c.message,
                "location": c.location,
                "acknowledged": c.acknowledged.as_ref().map(|a| serde_json::json!({
                    "reason": a.reason,
                    "location": a.location,
                })),
            })).collect::<Vec<_>>(),
            "unused_acknowledgements": self.unused.iter().map(|u| serde_json::json!({
                "rule": u.ack.rule.as_str(),
                "code": u.ack.code,
                "path": u.ack.path,
                "reason": u.ack.reason,
                "location": u.location,
            })).collect::<Vec<_>>(),
        })
    }

    /// For a pull-request comment: a heading, a summary, a table of the
    /// changes that count, and the info changes folded in `<details>`.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "### Catalog changes: {} → {}\n\n",
            code_span(&format!("{} {}", self.old.source, self.old.version)),
            code_span(&format!("{} {}", self.new.source, self.new.version)),
        );
        if self.changes.is_empty() {
            out.push_str("No changes.\n");
            return out;
        }
        let verdict = if self.failed() {
            "**Breaking changes found.**"
        } else {
            "No unacknowledged breaking change."
        };
        out.push_str(&format!(
            "{verdict} {} ({}).\n\n",
            self.summary(),
            self.policy_text()
        ));
        if let Some(line) = self.version.line() {
            out.push_str(&format!("{}\n\n", md_text(&line)));
        }
        let (main, info): (Vec<&Change>, Vec<&Change>) = self
            .changes
            .iter()
            .partition(|c| c.acknowledged.is_some() || c.severity(&self.policy) > Severity::Info);
        if !main.is_empty() {
            out.push_str(&table(self, &main, true));
        }
        if !info.is_empty() {
            out.push_str(&format!(
                "\n<details><summary>{} that break nothing</summary>\n\n",
                plural(info.len(), "change")
            ));
            out.push_str(&table(self, &info, false));
            out.push_str("\n</details>\n");
        }
        if !self.unused.is_empty() {
            out.push('\n');
            for u in &self.unused {
                out.push_str(&format!(
                    "- Note: the `[[acknowledge]]` of {}{} ({}) matched no change.\n",
                    code_span(u.ack.rule.as_str()),
                    md_text(&ack_target(&u.ack)),
                    code_span(&u.location)
                ));
            }
        }
        out
    }
}

fn table(r: &Report, changes: &[&Change], with_breaks: bool) -> String {
    let mut out = String::new();
    if with_breaks {
        out.push_str("| Severity | Rule | Codes | Path | Change | Breaks | Where |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    } else {
        out.push_str("| Rule | Codes | Path | Change | Where |\n");
        out.push_str("| --- | --- | --- | --- | --- |\n");
    }
    for c in changes {
        let codes = if c.codes.is_empty() {
            no_codes(c).to_string()
        } else {
            let shown: Vec<String> = c.codes.iter().take(5).map(|s| code_span(s)).collect();
            let more = c.codes.len().saturating_sub(5);
            if more > 0 {
                format!("{} (+{more} more)", shown.join(", "))
            } else {
                shown.join(", ")
            }
        };
        let mut what = md_text(&c.message);
        if let Some(t) = change_text(c) {
            what.push_str(&format!("<br>{}", md_text(&t)));
        }
        let path = if c.path.is_empty() {
            String::new()
        } else {
            code_span(&c.path)
        };
        let location = code_span(&c.location);
        if with_breaks {
            let sev = c.severity(&r.policy);
            let sev = match &c.acknowledged {
                Some(a) => format!("{sev}, acknowledged: {}", md_text(&a.reason)),
                None => format!("**{sev}**"),
            };
            out.push_str(&format!(
                "| {sev} | {} | {codes} | {path} | {what} | {} | {location} |\n",
                code_span(c.rule.id),
                md_text(&sides_text(&c.sides))
            ));
        } else {
            out.push_str(&format!(
                "| {} | {codes} | {path} | {what} | {location} |\n",
                code_span(c.rule.id)
            ));
        }
    }
    out
}

fn named_json(n: &Named) -> serde_json::Value {
    serde_json::json!({ "source": n.source, "name": n.name, "version": n.version })
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn sides_text(sides: &[Side]) -> String {
    if sides.is_empty() {
        return "nobody".into();
    }
    sides
        .iter()
        .map(|s| match s {
            Side::Consumer => "consumers",
            Side::Producer => "producers",
            Side::Source => "Rust source",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `old -> new`, when the change has either.
fn change_text(c: &Change) -> Option<String> {
    match (&c.old, &c.new) {
        (None, None) => None,
        (Some(o), None) => Some(format!("was {o}")),
        (None, Some(n)) => Some(format!("now {n}")),
        (Some(o), Some(n)) => Some(format!("{o} -> {n}")),
    }
}

/// `codes: path` for one-line output (the path left out when the message
/// names it).
fn where_text(c: &Change) -> String {
    let codes = codes_text(c, 3);
    if c.path.is_empty() || c.message.contains(&format!("`{}`", c.path)) {
        codes
    } else {
        format!("{codes}: {}", c.path)
    }
}

/// What an empty code list means: the envelope (every code), or catalog
/// items no event reaches.
fn no_codes(c: &Change) -> &'static str {
    if c.every_code() {
        "every code"
    } else {
        "no event"
    }
}

fn codes_text(c: &Change, max: usize) -> String {
    let codes = &c.codes;
    if codes.is_empty() {
        return format!("({})", no_codes(c));
    }
    let mut s = codes
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if codes.len() > max {
        s.push_str(&format!(" (+{} more)", codes.len() - max));
    }
    s
}

fn ack_target(a: &Acknowledgement) -> String {
    let mut parts = Vec::new();
    if let Some(c) = &a.code {
        parts.push(format!("code `{c}`"));
    }
    if let Some(p) = &a.path {
        parts.push(format!("path `{p}`"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" for {}", parts.join(" and "))
    }
}

/// Text for a Markdown table cell: no HTML, no table breaks, no line breaks.
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span that survives backticks, `|` and line breaks in `s`.
pub fn code_span(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code_span("a.b"), "`a.b`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("a|b"), "`a\\|b`");
    }

    #[test]
    fn text_cells_escape_html_and_pipes() {
        assert_eq!(md_text("<b>|x\ny"), "&lt;b&gt;\\|x y");
    }
}
