//! The resolved catalog: the one model every emitter and every check reads.
//!
//! A [`Catalog`] is only ever built by [`crate::load()`], after every check has
//! passed, so its invariants hold: every [`TypeRef::Named`] names a type in
//! [`Catalog::types`], every event's payload is an object type, codes are
//! unique and well-formed, `partial<T>` has been expanded into a derived
//! object type, and no two names collide once turned into Rust identifiers.
//!
//! Order is part of the model and never depends on the file system: families
//! are sorted by id, events keep their order inside their family's file,
//! types are keyed by name in a `BTreeMap`, fields keep their declared order.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

mod constraint;
mod graph;

pub use constraint::{as_integer, format_number, Constraint, Constraints};
pub use graph::{follow_aliases, strongly_connected};

/// A whole catalog, resolved and checked.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Machine name, e.g. `acme-webhooks`.
    pub name: String,
    /// Catalog version.
    pub version: String,
    /// Human title (defaults to the name).
    pub title: String,
    /// What the catalog covers (Markdown).
    pub description: String,
    /// The envelope every event is sent in.
    pub envelope: Envelope,
    /// How events are delivered over HTTP, when the catalog says
    /// (`[delivery]`); `None`: the Standard Webhooks defaults
    /// ([`Delivery::default`]).
    pub delivery: Option<Delivery>,
    /// Families, sorted by id.
    pub families: Vec<Family>,
    /// Every event, grouped by family (in [`Catalog::families`] order), each
    /// family's events in declaration order.
    pub events: Vec<Event>,
    /// Every named type, including derived `partial<T>` types.
    pub types: BTreeMap<String, TypeDef>,
    /// The files the catalog was read from, sorted by path.
    pub sources: Vec<SourceFile>,
    /// Intended breaking changes (`[[acknowledge]]`), in file order: `eventcat
    /// diff` shows the changes they match as acknowledged and does not fail
    /// on them.
    pub acknowledged: Vec<Acknowledgement>,
}

/// An intended breaking change, declared so `eventcat diff` passes on purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The rule it acknowledges.
    pub rule: crate::diff::RuleId,
    /// The event code it is about.
    pub code: Option<String>,
    /// The path it is about (changes at or below it match).
    pub path: Option<String>,
    /// Why the break is intended.
    pub reason: String,
    /// Where `[[acknowledge]]` was declared.
    pub origin: Origin,
}

/// A file the catalog was read from (kept for diagnostics that point back
/// into the catalog, such as example validation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path as given to the loader (catalog dir joined with the relative path).
    pub path: PathBuf,
    /// The file's text (shared with the loader's diagnostics, not copied).
    pub text: std::sync::Arc<str>,
}

/// Where something was declared: a byte range in one of [`Catalog::sources`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Index into [`Catalog::sources`].
    pub file: usize,
    /// Byte range in that file.
    pub span: Range<usize>,
}

/// The top-level object of every event on the wire.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// What the envelope is.
    pub description: String,
    /// Wire name of the field holding the event code.
    pub discriminator: String,
    /// Wire name of the field holding the payload.
    pub payload: String,
    /// Every envelope field in wire order, the discriminator and payload
    /// slots included.
    pub fields: Vec<EnvelopeField>,
}

/// One field of the envelope: the discriminator, the payload or an ordinary
/// field.
#[derive(Debug, Clone)]
pub enum EnvelopeField {
    /// The field holding the event code (one of the catalog's codes).
    Discriminator(Slot),
    /// The field holding the payload (the payload type of the event's code).
    Payload(Slot),
    /// Any other field, typed like an object's field.
    Plain(Field),
}

/// The discriminator or payload field of the envelope: always required,
/// never `null`; its type comes from the events.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Name on the wire.
    pub name: String,
    /// Description (Markdown).
    pub description: String,
    /// Where it was declared (the `[envelope]` header when it was not).
    pub origin: Origin,
}

impl Envelope {
    /// The ordinary fields (not the discriminator or the payload), in wire
    /// order.
    pub fn plain_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter_map(EnvelopeField::as_plain)
    }

    /// The discriminator's slot (always there in a loaded catalog).
    pub fn discriminator_slot(&self) -> Option<&Slot> {
        self.fields.iter().find_map(|f| match f {
            EnvelopeField::Discriminator(s) => Some(s),
            _ => None,
        })
    }

    /// The payload's slot (always there in a loaded catalog).
    pub fn payload_slot(&self) -> Option<&Slot> {
        self.fields.iter().find_map(|f| match f {
            EnvelopeField::Payload(s) => Some(s),
            _ => None,
        })
    }
}

impl EnvelopeField {
    /// Name on the wire.
    pub fn name(&self) -> &str {
        match self {
            EnvelopeField::Discriminator(s) | EnvelopeField::Payload(s) => &s.name,
            EnvelopeField::Plain(f) => &f.name,
        }
    }

    /// Description (Markdown).
    pub fn description(&self) -> &str {
        match self {
            EnvelopeField::Discriminator(s) | EnvelopeField::Payload(s) => &s.description,
            EnvelopeField::Plain(f) => &f.description,
        }
    }

    /// Where it was declared.
    pub fn origin(&self) -> &Origin {
        match self {
            EnvelopeField::Discriminator(s) | EnvelopeField::Payload(s) => &s.origin,
            EnvelopeField::Plain(f) => &f.origin,
        }
    }

    /// May be absent (never for the discriminator and the payload).
    pub fn optional(&self) -> bool {
        self.as_plain().is_some_and(|f| f.optional)
    }

    /// The ordinary field, unless this is the discriminator or the payload.
    pub fn as_plain(&self) -> Option<&Field> {
        match self {
            EnvelopeField::Plain(f) => Some(f),
            _ => None,
        }
    }
}

/// How events travel over HTTP (`[delivery]`): the signing scheme and the
/// sender's rules. Durations are in milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Signing scheme: `standard-webhooks`.
    pub scheme: String,
    /// Header of the message id (lower case).
    pub id_header: String,
    /// Header of the Unix timestamp (lower case).
    pub timestamp_header: String,
    /// Header of the signatures (lower case).
    pub signature_header: String,
    /// Largest distance between a delivery's timestamp and the receiver's clock.
    pub tolerance_ms: u64,
    /// How long a sender waits for an answer.
    pub timeout_ms: u64,
    /// Waits before each retry of a delivery that was not received.
    pub retry_ms: Vec<u64>,
    /// What a `410 Gone` answer stops.
    pub gone: Gone,
}

/// What a `410 Gone` answer stops (`gone` in `[delivery]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// No further attempt of that event; other events are still sent.
    Event,
    /// No further delivery of any event to that endpoint.
    Endpoint,
}

impl Default for Delivery {
    /// The Standard Webhooks defaults: its three headers, a 5-minute
    /// tolerance, a 15 s timeout, retries after 5 s, 5 min, 30 min, 2 h, 5 h,
    /// 10 h and 10 h.
    fn default() -> Self {
        const S: u64 = 1000;
        Delivery {
            scheme: "standard-webhooks".into(),
            id_header: "webhook-id".into(),
            timestamp_header: "webhook-timestamp".into(),
            signature_header: "webhook-signature".into(),
            tolerance_ms: 300 * S,
            timeout_ms: 15 * S,
            retry_ms: vec![
                5 * S,
                300 * S,
                1800 * S,
                7200 * S,
                18000 * S,
                36000 * S,
                36000 * S,
            ],
            gone: Gone::Endpoint,
        }
    }
}

/// Reads a duration as the catalog writes it: a whole number followed by
/// `ms`, `s`, `m`, `h` or `d` (`"500ms"`, `"5s"`, `"30m"`, `"2h"`), in
/// milliseconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (num, unit) = t.split_at(digits);
    let scale: u64 = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => {
            return Err(format!(
                "`{text}` is not a duration: a whole number and a unit (`ms`, `s`, `m`, `h`, `d`), e.g. `\"5s\"`"
            ))
        }
    };
    if num.is_empty() {
        return Err(format!(
            "`{text}` has no number before its unit, e.g. `\"5{unit}\"`"
        ));
    }
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|&ms| ms <= 30 * 86_400_000)
        .ok_or_else(|| format!("`{text}` is longer than 30 days"))
}

/// Writes milliseconds as the largest whole unit (`"5s"`, `"30m"`, `"1500ms"`).
pub fn format_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    for (unit, scale) in [
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
    ] {
        if ms >= scale && ms.is_multiple_of(scale) {
            return format!("{}{unit}", ms / scale);
        }
    }
    format!("{ms}ms")
}

/// A family of event codes.
#[derive(Debug, Clone)]
pub struct Family {
    /// Id, the first segment of its codes.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Description (Markdown).
    pub description: String,
    /// Where `[family]` was declared.
    pub origin: Origin,
}

/// Lifecycle status of an event code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Sent today.
    Available,
    /// Announced, not sent yet.
    Planned,
    /// Still sent, going away.
    Deprecated {
        /// Why, and what to use instead.
        message: String,
    },
}

impl Status {
    /// `available`, `planned` or `deprecated`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Available => "available",
            Status::Planned => "planned",
            Status::Deprecated { .. } => "deprecated",
        }
    }
}

/// One event code.
#[derive(Debug, Clone)]
pub struct Event {
    /// The code, e.g. `dir_sync.user.provision.success`.
    pub code: String,
    /// Id of its family.
    pub family: String,
    /// Short human title.
    pub title: String,
    /// Description (Markdown).
    pub description: String,
    /// Name of its payload type, an object in [`Catalog::types`].
    pub payload: String,
    /// Lifecycle status.
    pub status: Status,
    /// Catalog version that introduced it.
    pub since: Option<String>,
    /// Sample events (whole envelopes).
    pub examples: Vec<Example>,
    /// Where `[[event]]` was declared.
    pub origin: Origin,
}

/// A sample event.
#[derive(Debug, Clone)]
pub struct Example {
    /// Short name.
    pub name: Option<String>,
    /// What it shows.
    pub description: Option<String>,
    /// The event, as parsed JSON (object key order kept).
    pub value: serde_json::Value,
    /// Where the sample is: the `json` string, or the `file` key.
    pub origin: Origin,
    /// The JSON file it came from, if not inline.
    pub file: Option<PathBuf>,
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Name, as written in the catalog (PascalCase by convention).
    pub name: String,
    /// Description (Markdown).
    pub description: String,
    /// What it is.
    pub kind: TypeKind,
    /// For a derived type (`partial<User>` is `PartialUser`): the type it was
    /// derived from.
    pub derived_from: Option<String>,
    /// Where it was declared (for derived types: the first `partial<..>` use).
    pub origin: Origin,
}

/// What a named type is.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with named fields.
    Object(ObjectType),
    /// A string enum.
    Enum(EnumType),
    /// Another name for a type expression.
    Alias(TypeRef),
}

/// An object type.
#[derive(Debug, Clone)]
pub struct ObjectType {
    /// Fields in wire order.
    pub fields: Vec<Field>,
}

/// A field of an object or of the envelope.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    /// Description (Markdown).
    pub description: String,
    /// Its type.
    pub ty: TypeRef,
    /// May be absent.
    pub optional: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Producers should stop sending it; why.
    pub deprecated: Option<String>,
    /// Value constraints.
    pub constraints: Constraints,
    /// Where it was declared.
    pub origin: Origin,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// Values, in declared order.
    pub values: Vec<EnumValue>,
    /// Unknown values must be kept by consumers (and are still rejected by
    /// strict producer validation).
    pub extensible: bool,
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The string on the wire.
    pub value: String,
    /// What it means.
    pub description: Option<String>,
}

/// A resolved type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A string, possibly with a format.
    String(StringFormat),
    /// A whole number (fits in `i64`).
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Json,
    /// Always this string.
    Const(String),
    /// A named type in [`Catalog::types`].
    Named(String),
    /// A JSON array.
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary string keys.
    Map(Box<TypeRef>),
}

/// Formats of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StringFormat {
    /// Any string.
    Plain,
    /// RFC 9562 UUID (`uuid`).
    Uuid,
    /// E-mail address (`email`).
    Email,
    /// Absolute URI (`uri`).
    Uri,
    /// RFC 3339 full date (`date`).
    Date,
    /// RFC 3339 date-time with offset (`date-time`).
    DateTime,
    /// ISO 8601 date-time without offset, e.g. `2024-03-22T17:14:27`
    /// (`local-date-time`).
    LocalDateTime,
}

impl StringFormat {
    /// Every format with its catalog keyword.
    pub const ALL: [(StringFormat, &'static str); 7] = [
        (StringFormat::Plain, "string"),
        (StringFormat::Uuid, "uuid"),
        (StringFormat::Email, "email"),
        (StringFormat::Uri, "uri"),
        (StringFormat::Date, "date"),
        (StringFormat::DateTime, "date-time"),
        (StringFormat::LocalDateTime, "local-date-time"),
    ];

    /// The keyword used in catalog type expressions.
    pub fn keyword(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, k)| *k)
            .unwrap_or("string")
    }
}

impl Catalog {
    /// The event with this code.
    pub fn event(&self, code: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.code == code)
    }

    /// The family with this id.
    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    /// The events of one family, in order.
    pub fn family_events<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.family == id)
    }

    /// The type `ty` stands for once aliases are followed: `ty` itself
    /// unless it names an alias. The one walk over alias chains; a loaded
    /// catalog has none longer than its types (the loader rejects cycles),
    /// which also bounds the walk.
    pub fn resolve<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        self.resolve_until(ty, |_| false)
    }

    /// [`Catalog::resolve`], stopping at the aliases `keep` names (an
    /// emitter that gives some aliases a type of their own).
    pub fn resolve_until<'a>(
        &'a self,
        ty: &'a TypeRef,
        keep: impl Fn(&str) -> bool,
    ) -> &'a TypeRef {
        follow_aliases(ty, self.types.len(), |ty| {
            let TypeRef::Named(n) = ty else { return None };
            match self.types.get(n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) if !keep(n) => Some(inner),
                _ => None,
            }
        })
    }

    /// The object type named `name` (payloads are always objects).
    pub fn object(&self, name: &str) -> Option<&ObjectType> {
        match &self.types.get(name)?.kind {
            TypeKind::Object(o) => Some(o),
            _ => None,
        }
    }

    /// `path:line:column` of an origin, 1-based, columns in characters.
    pub fn locate(&self, origin: &Origin) -> String {
        match self.sources.get(origin.file) {
            Some(src) => {
                let (line, col) = crate::diagnostic::line_col(&src.text, origin.span.start);
                format!("{}:{line}:{col}", src.path.display())
            }
            None => "<unknown>".to_string(),
        }
    }
}
