//! Catalog diagnostics: what went wrong, where (file, byte span, line and
//! column), and a hint, rendered like rustc's errors through miette.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

/// Every class of catalog error, so tools and tests can tell them apart.
/// The kebab-case name is shown as the diagnostic's code (`eventcat::<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// A file or folder could not be read.
    Io,
    /// The file is not valid TOML.
    Syntax,
    /// A key the format does not have.
    UnknownKey,
    /// A required key is missing.
    MissingKey,
    /// A value of the wrong type or out of its allowed set.
    InvalidValue,
    /// No `[catalog]` (or no `[envelope]`) in the whole catalog.
    MissingSection,
    /// `[catalog]`, `[envelope]` or a `[family]` declared twice.
    DuplicateSection,
    /// `[[event]]` in a file without `[family]`.
    EventWithoutFamily,
    /// A type expression that does not parse, or a misused built-in.
    BadTypeExpr,
    /// A reference to a type that is not declared.
    UnknownType,
    /// A type declared twice, or shadowing a built-in or generated name.
    DuplicateType,
    /// A type that is not exactly one of object, enum, alias.
    TypeShape,
    /// An enum without values, or with a value listed twice.
    BadEnum,
    /// A field with both `type` and `const`, or neither.
    BadField,
    /// A payload (or `partial<T>`) that is not an object type.
    NotAnObject,
    /// An event code declared twice.
    DuplicateCode,
    /// A code or family id that breaks the grammar.
    CodeGrammar,
    /// A code that does not start with its family's id.
    CodeFamilyMismatch,
    /// A code, segment or family named `all` (reserved for selectors).
    ReservedName,
    /// Two names that become the same Rust identifier.
    NameCollision,
    /// A type that contains itself with no way to stop (no optional,
    /// nullable, array or map on the cycle).
    InfiniteType,
    /// `status = "deprecated"` without a `deprecation` message, or a message
    /// on a status that is not deprecated.
    BadStatus,
    /// An example that is not valid JSON, or not an object.
    ExampleJson,
    /// An example whose discriminator is not its event's code.
    ExampleCode,
    /// An example that breaks its event's schema.
    ExampleInvalid,
    /// The envelope's discriminator or payload fields are misdeclared.
    BadEnvelope,
    /// A payload whose smallest valid value is nested too deep to be read.
    TooDeep,
}

impl ErrorKind {
    /// Kebab-case name, e.g. `unknown-type`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownKey => "unknown-key",
            ErrorKind::MissingKey => "missing-key",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::MissingSection => "missing-section",
            ErrorKind::DuplicateSection => "duplicate-section",
            ErrorKind::EventWithoutFamily => "event-without-family",
            ErrorKind::BadTypeExpr => "bad-type-expr",
            ErrorKind::UnknownType => "unknown-type",
            ErrorKind::DuplicateType => "duplicate-type",
            ErrorKind::TypeShape => "type-shape",
            ErrorKind::BadEnum => "bad-enum",
            ErrorKind::BadField => "bad-field",
            ErrorKind::NotAnObject => "not-an-object",
            ErrorKind::DuplicateCode => "duplicate-code",
            ErrorKind::CodeGrammar => "code-grammar",
            ErrorKind::CodeFamilyMismatch => "code-family-mismatch",
            ErrorKind::ReservedName => "reserved-name",
            ErrorKind::NameCollision => "name-collision",
            ErrorKind::InfiniteType => "infinite-type",
            ErrorKind::BadStatus => "bad-status",
            ErrorKind::ExampleJson => "example-json",
            ErrorKind::ExampleCode => "example-code",
            ErrorKind::ExampleInvalid => "example-invalid",
            ErrorKind::BadEnvelope => "bad-envelope",
            ErrorKind::TooDeep => "too-deep",
        }
    }
}

/// A file's name and text, shared by the diagnostics that point into it.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path of the file.
    pub path: PathBuf,
    /// Its text.
    pub text: Arc<str>,
}

impl SourceText {
    /// A source from a path and its text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        SourceText {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// A secondary location of a diagnostic ("first declared here").
#[derive(Debug, Clone)]
pub struct Note {
    /// What the location is.
    pub message: String,
    /// The file.
    pub source: SourceText,
    /// Byte span in it.
    pub span: Range<usize>,
}

/// One catalog error.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Its class.
    pub kind: ErrorKind,
    /// What is wrong.
    pub message: String,
    /// The file it is in (a folder or nothing for I/O errors).
    pub source: SourceText,
    /// Byte span of the offending text (empty span: no position).
    pub span: Range<usize>,
    /// Label under the span.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places involved.
    pub notes: Vec<Note>,
}

impl Diagnostic {
    /// A diagnostic at `span` of `source`.
    pub fn new(
        kind: ErrorKind,
        source: &SourceText,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            kind,
            message: message.into(),
            source: source.clone(),
            span,
            label: String::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// Sets the label shown under the span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the hint if there is one.
    pub fn help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Adds a secondary location.
    pub fn note(mut self, source: &SourceText, span: Range<usize>, msg: impl Into<String>) -> Self {
        self.notes.push(Note {
            message: msg.into(),
            source: source.clone(),
            span,
        });
        self
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self) -> (usize, usize) {
        line_col(&self.source.text, self.span.start)
    }

    /// `path:line:column`.
    pub fn location(&self) -> String {
        let (line, col) = self.line_col();
        format!("{}:{line}:{col}", self.source.path.display())
    }

    /// The diagnostic as a JSON object (for `--format json`).
    pub fn to_json(&self) -> serde_json::Value {
        let (line, column) = self.line_col();
        serde_json::json!({
            "kind": self.kind.name(),
            "message": self.message,
            "file": self.source.path.display().to_string(),
            "line": line,
            "column": column,
            "label": self.label,
            "help": self.help,
            "notes": self.notes.iter().map(|n| {
                let (line, column) = line_col(&n.source.text, n.span.start);
                serde_json::json!({
                    "message": n.message,
                    "file": n.source.path.display().to_string(),
                    "line": line,
                    "column": column,
                })
            }).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All the errors of one load, in file and position order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Number of errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file, then position, then message, and drops exact repeats.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.source.path, a.span.start, a.kind, &a.message).cmp(&(
                &b.source.path,
                b.span.start,
                b.kind,
                &b.message,
            ))
        });
        self.0.dedup_by(|a, b| {
            a.source.path == b.source.path
                && a.span == b.span
                && a.kind == b.kind
                && a.message == b.message
        });
    }

    /// Renders every error like rustc does (with colors when `color`).
    pub fn render(&self, color: bool) -> String {
        self.0.iter().map(|d| render_one(d, color) + "\n").collect()
    }

    /// Every error as a JSON array.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Array(self.0.iter().map(Diagnostic::to_json).collect())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(f, "{} error(s) in the catalog", self.0.len())
    }
}

impl std::error::Error for Diagnostics {}

/// miette view of a note.
struct NoteReport {
    message: String,
    source: NamedSource<String>,
    span: Range<usize>,
}

fn named(source: &SourceText) -> NamedSource<String> {
    NamedSource::new(source.path.display().to_string(), source.text.to_string())
}

impl fmt::Debug for NoteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for NoteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoteReport {}

impl miette::Diagnostic for NoteReport {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".to_string()),
            self.span.clone(),
        ))))
    }
}

/// Renders one diagnostic to a string: miette's graphical report with the
/// source snippet, then its notes.
pub fn render_one(d: &Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let main = Full {
        d,
        source: named(&d.source),
        notes: d
            .notes
            .iter()
            .map(|n| NoteReport {
                message: n.message.clone(),
                source: named(&n.source),
                span: n.span.clone(),
            })
            .collect(),
    };
    let mut out = String::new();
    let _ = handler.render_report(&mut out, &main);
    out
}

/// A diagnostic with its source, as miette renders it.
struct Full<'a> {
    d: &'a Diagnostic,
    source: NamedSource<String>,
    notes: Vec<NoteReport>,
}

impl fmt::Debug for Full<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.d, f)
    }
}

impl fmt::Display for Full<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Full<'_> {}

impl miette::Diagnostic for Full<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("eventcat::{}", self.d.kind.name())))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.d.source.text.is_empty() {
            None
        } else {
            Some(&self.source)
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.d.source.text.is_empty() {
            return None;
        }
        let label = (!self.d.label.is_empty()).then(|| self.d.label.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label,
            self.d.span.clone(),
        ))))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.notes.is_empty() {
            return None;
        }
        Some(Box::new(
            self.notes.iter().map(|n| n as &dyn miette::Diagnostic),
        ))
    }
}

/// The closest of `candidates` to `word`, if close enough to suggest.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}
