//! `gen-catalog`: writes a synthetic eventcat catalog of any size, shaped like
//! the default one (`schema/`), for benchmarks.
//!
//! ```text
//! gen-catalog --codes M [--families N] --out DIR [--seed S]
//! ```
//!
//! - `--codes M`: number of event codes (at least `N`).
//! - `--families N`: number of families; default `max(2, M / 15)` (the
//!   default catalog has 28 codes in 2 families).
//! - `--out DIR`: the catalog folder to write; created, must be empty.
//! - `--seed S`: PRNG seed (default 1). Same arguments, same bytes.
//!
//! Layout, as in `schema/`: `catalog.toml` (`[catalog]`, `[envelope]`),
//! `families/<id>.toml` (`[family]` and its `[[event]]`s, some planned or
//! deprecated, some with inline examples), `types/common.toml` (types shared
//! by every family) and `types/<id>.toml` (a family's types).
//!
//! Each family has a few resources (`invoice`, `user`...); a resource has
//! 5-12 codes `<family>.<resource>.<action>.<success|fail>` and, like the
//! Directory Sync user of the default catalog, the types
//! `<P>Event -> <P>Resource -> <P>Changes -> partial<P> -> <P>Details ->
//! <P>Settings` (objects nested several levels deep), failure payloads with
//! `<P>Attempt`, closed and extensible enums, aliases (`array`, `map`,
//! `partial`), optional / nullable / optional+nullable fields, constraints
//! and the uuid / email / uri / date / date-time / local-date-time formats.
//! Optional extra types are added per resource so that the catalog keeps
//! about 1.4 types (derived `partial<T>` included) per code, like the default
//! catalog (40 types, 28 codes).
//!
//! Examples are generated from the types, so they are valid against the
//! schemas: `eventcat lint --catalog DIR` passes. No dependencies: the PRNG
//! (splitmix64), the TOML and the JSON are written here, and nothing iterates
//! a hash map, so the output is byte-identical for the same arguments.
//!
//! Prints one summary line (codes, families, types, examples, files).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ------------------------------------------------------------------ PRNG

/// splitmix64: small, fast, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len() as u64) as usize]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

// ------------------------------------------------------------------ word lists

const FAMILY_WORDS: &[&str] = &[
    "billing",
    "inventory",
    "shipping",
    "payments",
    "access_control",
    "support",
    "identity",
    "audit",
    "messaging",
    "analytics",
    "scheduling",
    "payroll",
    "storage",
    "compliance",
    "marketing",
    "crm",
    "lending",
    "insurance",
    "logistics",
    "learning",
    "booking",
    "streaming",
    "telemetry",
    "security",
    "procurement",
    "recruiting",
    "ticketing",
    "wallet",
    "forum",
    "gaming",
    "fleet",
    "energy",
    "farming",
    "clinic",
    "pharmacy",
    "library",
    "parking",
    "travel",
    "retail",
    "hosting",
    "data_export",
    "dir_sync",
    "sso_saml",
    "notifications",
];

// None of these ends with a suffix the generator appends to type names
// (Event, Resource, Changes, Attempt, Status, Kind, Details, Settings, Tags,
// Labels, Snapshot, Node, Change, Provider, Error, ErrorCode).
const RESOURCE_WORDS: &[&str] = &[
    "user",
    "group",
    "invoice",
    "order",
    "account",
    "device",
    "project",
    "document",
    "ticket",
    "payment",
    "refund",
    "subscription",
    "member",
    "team",
    "role",
    "policy",
    "token",
    "session",
    "report",
    "folder",
    "file",
    "comment",
    "review",
    "coupon",
    "product",
    "shipment",
    "vendor",
    "contract",
    "lead",
    "campaign",
    "asset",
    "license",
    "workspace",
    "channel",
    "message",
    "webhook",
    "schedule",
    "shift",
    "course",
    "badge",
    "vehicle",
    "sensor",
    "meter",
    "patient",
    "reservation",
    "room",
    "seat",
    "plan",
    "quote",
    "budget",
    "ledger",
    "batch",
    "job",
    "pipeline",
    "release",
    "domain",
    "certificate",
    "invite",
    "api_key",
    "connection",
];

/// (verb, past participle, `Change` value).
const ACTIONS: &[(&str, &str, &str)] = &[
    ("provision", "provisioned", "create"),
    ("update", "updated", "update"),
    ("deprovision", "deprovisioned", "delete"),
    ("activate", "activated", "activate"),
    ("deactivate", "deactivated", "deactivate"),
    ("suspend", "suspended", "suspend"),
    ("restore", "restored", "restore"),
    ("transfer", "transferred", "transfer"),
    ("archive", "archived", "archive"),
    ("merge", "merged", "merge"),
];

const PROVIDERS: &[&str] = &[
    "okta",
    "azure_ad",
    "google_workspace",
    "onelogin",
    "jumpcloud",
    "ping_identity",
    "rippling",
    "generic_scim",
    "salesforce",
    "hubspot",
    "stripe",
    "shopify",
    "zendesk",
    "workday",
];

const ERROR_CODES: &[&str] = &[
    "invalid_attributes",
    "conflict",
    "not_found",
    "limit_reached",
    "internal_error",
    "forbidden",
    "timeout",
    "rate_limited",
];

const STATUS_VALUES: &[&str] = &[
    "draft", "pending", "active", "paused", "closed", "failed", "expired", "blocked", "open",
    "resolved",
];

const KIND_VALUES: &[&str] = &[
    "standard", "premium", "internal", "external", "trial", "legacy", "partner", "system", "other",
];

const FIRST: &[&str] = &[
    "jeanne", "chloe", "amir", "kenji", "lucia", "omar", "sofia", "tomas",
];
const LAST: &[&str] = &[
    "martin", "nguyen", "haddad", "sato", "rossi", "diallo", "costa", "novak",
];
const NOUNS: &[&str] = &[
    "north", "blue", "rapid", "delta", "summit", "harbor", "cedar", "orbit",
];

// ------------------------------------------------------------------ model

#[derive(Clone)]
enum Ty {
    Str,
    Int,
    Num,
    Bool,
    Json,
    Uuid,
    Email,
    Uri,
    Date,
    DateTime,
    LocalDateTime,
    Named(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Partial(String),
}

impl Ty {
    fn named(s: &str) -> Ty {
        Ty::Named(s.to_string())
    }
    fn expr(&self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Int => "integer".into(),
            Ty::Num => "number".into(),
            Ty::Bool => "boolean".into(),
            Ty::Json => "json".into(),
            Ty::Uuid => "uuid".into(),
            Ty::Email => "email".into(),
            Ty::Uri => "uri".into(),
            Ty::Date => "date".into(),
            Ty::DateTime => "date-time".into(),
            Ty::LocalDateTime => "local-date-time".into(),
            Ty::Named(n) => n.clone(),
            Ty::Array(t) => format!("array<{}>", t.expr()),
            Ty::Map(t) => format!("map<{}>", t.expr()),
            Ty::Partial(n) => format!("partial<{n}>"),
        }
    }
}

/// A `pattern` with a string that matches it (examples use it).
#[derive(Clone, Copy)]
struct Pattern {
    regex: &'static str,
    sample: &'static str,
}

const SLUG: Pattern = Pattern {
    regex: "^[a-z0-9]+(?:[-_][a-z0-9]+)*$",
    sample: "acme-corp",
};
const DIGITS: Pattern = Pattern {
    regex: "^[0-9]+$",
    sample: "5550142",
};
const E164: Pattern = Pattern {
    regex: "^\\+[1-9][0-9]{1,14}$",
    sample: "+33612345678",
};
const CURRENCY: Pattern = Pattern {
    regex: "^[A-Z]{3}$",
    sample: "EUR",
};
const COUNTRY: Pattern = Pattern {
    regex: "^[A-Z]{2}$",
    sample: "FR",
};
const LOCALE: Pattern = Pattern {
    regex: "^[a-z]{2}(-[A-Z]{2})?$",
    sample: "fr-FR",
};

#[derive(Clone)]
struct Field {
    name: String,
    ty: Option<Ty>,
    konst: Option<String>,
    desc: String,
    optional: bool,
    nullable: bool,
    deprecated: Option<String>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<Pattern>,
    min_items: Option<u64>,
    max_items: Option<u64>,
}

impl Field {
    fn new(name: &str, ty: Ty, desc: impl Into<String>) -> Field {
        Field {
            name: name.into(),
            ty: Some(ty),
            konst: None,
            desc: desc.into(),
            optional: false,
            nullable: false,
            deprecated: None,
            minimum: None,
            maximum: None,
            min_length: None,
            max_length: None,
            pattern: None,
            min_items: None,
            max_items: None,
        }
    }
    fn konst(name: &str, value: &str, desc: impl Into<String>) -> Field {
        let mut f = Field::new(name, Ty::Str, desc);
        f.ty = None;
        f.konst = Some(value.into());
        f
    }
    fn opt(mut self) -> Self {
        self.optional = true;
        self
    }
    fn null(mut self) -> Self {
        self.nullable = true;
        self
    }
    fn range(mut self, lo: f64, hi: f64) -> Self {
        self.minimum = Some(lo);
        self.maximum = Some(hi);
        self
    }
    fn len(mut self, lo: Option<u64>, hi: Option<u64>) -> Self {
        self.min_length = lo;
        self.max_length = hi;
        self
    }
    fn pattern(mut self, p: Pattern) -> Self {
        self.pattern = Some(p);
        self
    }
    fn items(mut self, lo: Option<u64>, hi: Option<u64>) -> Self {
        self.min_items = lo;
        self.max_items = hi;
        self
    }
    fn deprecated(mut self, why: &str) -> Self {
        self.deprecated = Some(why.into());
        self
    }
}

enum Kind {
    Object(Vec<Field>),
    Enum {
        values: Vec<String>,
        extensible: bool,
        value_descriptions: Vec<(String, String)>,
    },
    Alias(Ty),
}

struct TypeDef {
    name: String,
    desc: String,
    kind: Kind,
}

struct Event {
    code: String,
    title: String,
    desc: String,
    payload: String,
    status: &'static str,
    deprecation: Option<String>,
    since: &'static str,
    examples: usize,
}

struct Family {
    id: String,
    title: String,
    desc: String,
    events: Vec<Event>,
}

#[derive(Default)]
struct Catalog {
    types: Vec<TypeDef>,
    index: HashMap<String, usize>,
    /// Types file (relative path) -> indexes into `types`, in order.
    files: BTreeMap<String, Vec<usize>>,
    /// Declared types plus derived `partial<T>` ones.
    type_count: usize,
    partials: HashSet<String>,
    families: Vec<Family>,
}

impl Catalog {
    fn add(&mut self, file: &str, name: &str, desc: impl Into<String>, kind: Kind) {
        assert!(
            !self.index.contains_key(name) && !name.starts_with("Partial"),
            "generator bug: type name `{name}` taken"
        );
        // Count the `partial<T>` a type introduces (one derived type per T).
        let mut exprs = Vec::new();
        match &kind {
            Kind::Object(fields) => exprs.extend(fields.iter().filter_map(|f| f.ty.clone())),
            Kind::Alias(t) => exprs.push(t.clone()),
            Kind::Enum { .. } => {}
        }
        for t in exprs {
            self.note_partials(&t);
        }
        self.index.insert(name.to_string(), self.types.len());
        self.files
            .entry(file.to_string())
            .or_default()
            .push(self.types.len());
        self.types.push(TypeDef {
            name: name.to_string(),
            desc: desc.into(),
            kind,
        });
        self.type_count += 1;
    }
    fn note_partials(&mut self, t: &Ty) {
        match t {
            Ty::Partial(n) if self.partials.insert(n.clone()) => self.type_count += 1,
            Ty::Array(t) | Ty::Map(t) => self.note_partials(t),
            _ => {}
        }
    }
    fn get(&self, name: &str) -> &TypeDef {
        &self.types[self.index[name]]
    }
}

/// `billing_2` -> `Billing2`, `api_key` -> `ApiKey`.
fn pascal(s: &str) -> String {
    s.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `access_control` -> `Access control`.
fn human(s: &str) -> String {
    let t = s.replace('_', " ");
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The `i`-th name of a word list, with a round number once the list is used
/// up: `billing`, ..., `billing2`, ...
fn nth_word(words: &[&str], i: usize) -> String {
    let round = i / words.len();
    let w = words[i % words.len()];
    if round == 0 {
        w.to_string()
    } else {
        format!("{w}{}", round + 1)
    }
}

// ------------------------------------------------------------------ catalog shape

fn shared_types(c: &mut Catalog) {
    let f = "types/common.toml";
    c.add(
        f,
        "Environment",
        "The environment of the organization an event happened in. Every organization has\nboth; sandbox events are never about production data.",
        Kind::Enum {
            values: vec!["sandbox".into(), "production".into()],
            extensible: false,
            value_descriptions: vec![
                ("sandbox".into(), "The organization's test environment.".into()),
                ("production".into(), "The organization's live environment.".into()),
            ],
        },
    );
    c.add(
        f,
        "Profile",
        "The identity attributes of a person, named after the OpenID Connect standard\nclaims. Every attribute is always sent: one the source does not hold is `null`.",
        Kind::Object(vec![
            Field::new("email", Ty::Email, "The person's e-mail address."),
            Field::new("given_name", Ty::Str, "Given (first) name; `null` when unknown.").null(),
            Field::new("family_name", Ty::Str, "Family (last) name; `null` when unknown.").null(),
            Field::new("picture", Ty::Uri, "URL of a profile picture; `null` when unknown.").null(),
            Field::new("locale", Ty::Str, "Preferred locale as a BCP 47 tag, e.g. `fr-FR`.")
                .null()
                .pattern(LOCALE),
            Field::new("birthdate", Ty::Date, "Date of birth (`YYYY-MM-DD`), when the source holds it.")
                .opt()
                .null(),
        ]),
    );
    c.add(
        f,
        "Address",
        "A postal address. Each component is `null` when the source does not hold it.",
        Kind::Object(vec![
            Field::new("country", Ty::Str, "ISO 3166-1 alpha-2 country code.")
                .null()
                .pattern(COUNTRY),
            Field::new(
                "formatted",
                Ty::Str,
                "The whole address, formatted for display.",
            )
            .null(),
            Field::new("locality", Ty::Str, "City or locality.").null(),
            Field::new("postal_code", Ty::Str, "Postal code.")
                .null()
                .len(None, Some(16)),
            Field::new("street_address", Ty::Str, "Street, number, building.").null(),
        ]),
    );
    c.add(
        f,
        "PhoneNumber",
        "A phone number.",
        Kind::Object(vec![
            Field::new(
                "value",
                Ty::Str,
                "The number in E.164 form, e.g. `+33612345678`.",
            )
            .pattern(E164),
            Field::new("type", Ty::named("PhoneNumberType"), "Kind of number."),
            Field::new("primary", Ty::Bool, "Whether it is the preferred number.").opt(),
            Field::new("country_code", Ty::Int, "Country calling code.").range(1.0, 999.0),
            Field::new("extension", Ty::Str, "Extension digits, if any.")
                .opt()
                .null()
                .pattern(DIGITS),
        ]),
    );
    c.add(
        f,
        "PhoneNumberType",
        "Kind of a phone number.\n\n**Extensible**: other kinds may be sent; keep an unknown value as is.",
        Kind::Enum {
            values: ["mobile", "work", "home", "fax", "other"].map(String::from).to_vec(),
            extensible: true,
            value_descriptions: vec![],
        },
    );
    c.add(
        f,
        "Metadata",
        "Free-form string metadata attached by the producer's customer.",
        Kind::Alias(Ty::Map(Box::new(Ty::Str))),
    );
}

fn family_types(c: &mut Catalog, fam: &str, rng: &mut Rng) {
    let file = format!("types/{fam}.toml");
    let p = pascal(fam);
    let title = human(fam);
    let mut changes: Vec<String> = ACTIONS.iter().map(|a| a.2.to_string()).collect();
    changes.dedup();
    c.add(
        &file,
        &format!("{p}Change"),
        format!("The verb of what changed, sent as `change` in every {title} payload. It follows\nfrom the event code.\n\n**Extensible**: dispatch on the envelope's `code`, not on `change`."),
        Kind::Enum {
            value_descriptions: changes
                .iter()
                .take(3)
                .map(|v| (v.clone(), format!("The resource was subject to a `{v}`.")))
                .collect(),
            values: changes,
            extensible: true,
        },
    );
    let mut providers: Vec<String> = PROVIDERS.iter().map(|s| s.to_string()).collect();
    rng.shuffle(&mut providers);
    providers.truncate(rng.range(3, 8) as usize);
    providers.sort();
    c.add(
        &file,
        &format!("{p}Provider"),
        format!("The upstream system a {title} change came from.\n\n**Extensible**: new providers are supported over time."),
        Kind::Enum { values: providers, extensible: true, value_descriptions: vec![] },
    );
    let mut codes: Vec<String> = ERROR_CODES.iter().map(|s| s.to_string()).collect();
    codes.truncate(rng.range(4, ERROR_CODES.len() as i64) as usize);
    c.add(
        &file,
        &format!("{p}ErrorCode"),
        "Kind of a failure.\n\n**Extensible**: treat an unknown kind like `internal_error`.",
        Kind::Enum {
            values: codes,
            extensible: true,
            value_descriptions: vec![],
        },
    );
    c.add(
        &file,
        &format!("{p}Error"),
        format!("Why a {title} change failed (`*.fail` codes)."),
        Kind::Object(vec![
            Field::new(
                "code",
                Ty::Named(format!("{p}ErrorCode")),
                "Machine-readable kind of failure.",
            ),
            Field::new(
                "message",
                Ty::Str,
                "Human-readable explanation, for logs; do not parse it.",
            )
            .len(Some(1), Some(2000)),
            Field::new(
                "status",
                Ty::Int,
                "HTTP status of the upstream request that failed.",
            )
            .range(400.0, 599.0),
            Field::new(
                "retryable",
                Ty::Bool,
                "Whether the upstream system will retry.",
            )
            .opt(),
            Field::new(
                "detail",
                Ty::Json,
                "Provider-specific error detail, as sent.",
            )
            .opt()
            .null(),
        ]),
    );
}

/// Optional per-resource types, added while the catalog has fewer than 1.4
/// types per code.
#[derive(Clone, Copy, PartialEq)]
enum Extra {
    Status,
    Kind,
    Details,
    Settings,
    Tags,
    Labels,
    Snapshot,
}

#[allow(clippy::too_many_arguments)]
fn resource_types(
    c: &mut Catalog,
    fam: &str,
    res: &str,
    has_fail: bool,
    extras: &[Extra],
    node: Option<&str>,
    rng: &mut Rng,
) {
    let file = format!("types/{fam}.toml");
    let fp = pascal(fam);
    let rp = pascal(res);
    let p = format!("{fp}{rp}");
    let ftitle = human(fam);
    let rtitle = human(res).to_lowercase();
    let has = |e: Extra| extras.contains(&e);

    if has(Extra::Status) {
        let mut v: Vec<String> = STATUS_VALUES.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut v);
        v.truncate(rng.range(3, 6) as usize);
        c.add(
            &file,
            &format!("{p}Status"),
            format!("Lifecycle state of a {rtitle}. **Closed**: a value not listed is an error."),
            Kind::Enum {
                value_descriptions: v
                    .iter()
                    .take(2)
                    .map(|x| (x.clone(), format!("The {rtitle} is {x}.")))
                    .collect(),
                values: v,
                extensible: false,
            },
        );
    }
    if has(Extra::Kind) {
        let mut v: Vec<String> = KIND_VALUES.iter().map(|s| s.to_string()).collect();
        rng.shuffle(&mut v);
        v.truncate(rng.range(3, 7) as usize);
        c.add(
            &file,
            &format!("{p}Kind"),
            format!("Kind of {rtitle}.\n\n**Extensible**: keep a value you do not know."),
            Kind::Enum {
                values: v,
                extensible: true,
                value_descriptions: vec![],
            },
        );
    }
    if has(Extra::Tags) {
        c.add(
            &file,
            &format!("{p}Tags"),
            format!("Tags of a {rtitle}, in the order they were added."),
            Kind::Alias(Ty::Array(Box::new(Ty::Str))),
        );
    }
    if has(Extra::Labels) {
        c.add(
            &file,
            &format!("{p}Labels"),
            format!("Labels of a {rtitle}: each key lists its values."),
            Kind::Alias(Ty::Map(Box::new(Ty::Array(Box::new(Ty::Str))))),
        );
    }
    if has(Extra::Settings) {
        let mut fields = vec![
            Field::new("enabled", Ty::Bool, "Whether the setting is on."),
            Field::new(
                "threshold",
                Ty::Num,
                "Trigger threshold, between 0 and 1; `null` when unset.",
            )
            .null()
            .range(0.0, 1.0),
            Field::new("window_minutes", Ty::Int, "Evaluation window, in minutes.")
                .opt()
                .range(1.0, 1440.0),
        ];
        if has(Extra::Kind) {
            fields.push(
                Field::new(
                    "applies_to",
                    Ty::Array(Box::new(Ty::Named(format!("{p}Kind")))),
                    "Kinds the setting applies to.",
                )
                .items(Some(1), Some(5)),
            );
        }
        c.add(
            &file,
            &format!("{p}Settings"),
            format!("Settings of a {rtitle}."),
            Kind::Object(fields),
        );
    }
    if has(Extra::Details) {
        let mut fields = vec![
            Field::new("note", Ty::Str, "Free-text note; `null` when none.")
                .null()
                .len(None, Some(500)),
            Field::new("priority", Ty::Int, "Priority, 1 (highest) to 5.").range(1.0, 5.0),
            Field::new(
                "reviewed_at",
                Ty::DateTime,
                "When the details were last reviewed.",
            )
            .opt(),
        ];
        if has(Extra::Settings) {
            fields.push(
                Field::new(
                    "settings",
                    Ty::Named(format!("{p}Settings")),
                    "Its settings, when configured.",
                )
                .opt()
                .null(),
            );
        }
        c.add(
            &file,
            &format!("{p}Details"),
            format!("Details of a {rtitle}, nested in its attributes."),
            Kind::Object(fields),
        );
    }

    // The entity: what `new_values` / `previous_values` snapshot.
    let mut fields = vec![
        Field::new(
            "external_id",
            Ty::Str,
            format!("Id of the {rtitle} in the upstream system; `null` when it has none."),
        )
        .null(),
        Field::new(
            "active",
            Ty::Bool,
            format!("Whether the {rtitle} is active."),
        ),
    ];
    let pool: Vec<Field> = vec![
        Field::new("display_name", Ty::Str, "Name shown in lists.").len(Some(1), Some(200)),
        Field::new("email", Ty::Email, "Contact e-mail address."),
        Field::new("homepage", Ty::Uri, "Web page, when there is one.")
            .opt()
            .null(),
        Field::new("start_date", Ty::Date, "First day it applies.")
            .opt()
            .null(),
        Field::new(
            "created_at",
            Ty::DateTime,
            "When it was created, with an offset.",
        ),
        Field::new(
            "address",
            Ty::named("Address"),
            "Postal address; `null` when unknown.",
        )
        .null(),
        Field::new(
            "phone_numbers",
            Ty::Array(Box::new(Ty::named("PhoneNumber"))),
            "Phone numbers, the primary one first.",
        )
        .items(None, Some(10)),
        Field::new("owner", Ty::named("Profile"), "The person who owns it.").opt(),
        Field::new("quantity", Ty::Int, "How many units.").range(0.0, 100000.0),
        Field::new("ratio", Ty::Num, "Share between 0 and 1.").range(0.0, 1.0),
        Field::new("currency", Ty::Str, "ISO 4217 currency code.").pattern(CURRENCY),
        Field::new("locale", Ty::Str, "BCP 47 locale.")
            .null()
            .pattern(LOCALE),
        Field::new(
            "attributes",
            Ty::Map(Box::new(Ty::Array(Box::new(Ty::Str)))),
            "Custom attributes, as sent.",
        )
        .opt(),
        Field::new("raw", Ty::Json, "The upstream record, as sent.").opt(),
        Field::new("legacy_ref", Ty::Str, "Former reference.")
            .opt()
            .deprecated("Use `external_id`."),
        Field::new("metadata", Ty::named("Metadata"), "Customer metadata.").opt(),
        Field::new("slug", Ty::Str, "URL-safe handle.").pattern(SLUG),
        Field::new("aliases", Ty::Array(Box::new(Ty::Str)), "Other names.")
            .opt()
            .items(Some(1), None),
    ];
    for f in pool {
        if rng.chance(45) {
            fields.push(f);
        }
    }
    if has(Extra::Status) {
        fields.push(Field::new(
            "status",
            Ty::Named(format!("{p}Status")),
            "Lifecycle state.",
        ));
    }
    if has(Extra::Kind) {
        fields.push(
            Field::new("kind", Ty::Named(format!("{p}Kind")), "Kind.")
                .opt()
                .null(),
        );
    }
    if has(Extra::Details) {
        fields.push(
            Field::new("details", Ty::Named(format!("{p}Details")), "Details.")
                .opt()
                .null(),
        );
    }
    if has(Extra::Tags) {
        fields.push(Field::new("tags", Ty::Named(format!("{p}Tags")), "Tags."));
    } else if rng.chance(50) {
        fields
            .push(Field::new("tags", Ty::Array(Box::new(Ty::Str)), "Tags.").items(None, Some(20)));
    }
    if has(Extra::Labels) {
        fields.push(Field::new("labels", Ty::Named(format!("{p}Labels")), "Labels.").opt());
    }
    if let Some(node) = node {
        if rng.chance(60) {
            fields
                .push(Field::new("tree", Ty::named(node), "Where it sits in the hierarchy.").opt());
        }
    }
    fields.push(Field::new(
        "updated_at",
        Ty::LocalDateTime,
        "When it last changed, without a zone offset, e.g. `2024-03-22T17:14:27`.",
    ));
    c.add(
        &file,
        &p,
        format!("The attributes of a {rtitle} of {ftitle}, as they appear in snapshots\n(`new_values` / `previous_values`, as `Partial{p}`: only the attributes that\nchanged are present)."),
        Kind::Object(fields),
    );

    if has(Extra::Snapshot) {
        c.add(
            &file,
            &format!("{p}Snapshot"),
            format!("A partial {rtitle}: only the attributes that were sent."),
            Kind::Alias(Ty::Partial(p.clone())),
        );
    }
    let snapshot = if has(Extra::Snapshot) {
        Ty::Named(format!("{p}Snapshot"))
    } else {
        Ty::Partial(p.clone())
    };

    c.add(
        &file,
        &format!("{p}Changes"),
        format!("What changed on a {rtitle}: `new_values` after the change, `previous_values`\nbefore it. Both keys are always present; a side that does not exist is `null`."),
        Kind::Object(vec![
            Field::new("new_values", snapshot.clone(), "Changed attributes after the change; `null` on delete.").null(),
            Field::new("previous_values", snapshot.clone(), "The same attributes before the change; `null` on create.").null(),
        ]),
    );
    c.add(
        &file,
        &format!("{p}Resource"),
        format!("A {rtitle} as the `resource` of a {ftitle} event."),
        Kind::Object(vec![
            Field::konst(
                "__type__",
                &rp,
                format!("Resource type name, always `{rp}`."),
            ),
            Field::new("id", Ty::Uuid, format!("Id of the {rtitle}.")),
            Field::new("changes", Ty::Named(format!("{p}Changes")), "What changed."),
        ]),
    );
    let common = |resource: Ty, rdesc: &str| {
        vec![
            Field::konst(
                "__type__",
                &format!("{fp}Event"),
                format!("Payload type name, always `{fp}Event` in this family."),
            ),
            Field::new(
                "change",
                Ty::Named(format!("{fp}Change")),
                "What happened (see the event code).",
            ),
            Field::new(
                "connection_id",
                Ty::Uuid,
                "Id of the connection the change came through.",
            ),
            Field::new(
                "provider",
                Ty::Named(format!("{fp}Provider")),
                "Upstream system, e.g. `okta`.",
            ),
            Field::new("resource", resource, rdesc),
        ]
    };
    let mut ev = common(
        Ty::Named(format!("{p}Resource")),
        &format!("The {rtitle} concerned, with what changed."),
    );
    ev.push(
        Field::new(
            "occurred_at",
            Ty::DateTime,
            "When the change happened upstream.",
        )
        .opt(),
    );
    ev.push(
        Field::new(
            "metadata",
            Ty::named("Metadata"),
            "Metadata of the connection.",
        )
        .opt(),
    );
    c.add(
        &file,
        &format!("{p}Event"),
        format!("Payload of the successful `{fam}.{res}.*` codes."),
        Kind::Object(ev),
    );
    if has_fail {
        c.add(
            &file,
            &format!("{p}Attempt"),
            format!("The {rtitle} of a failed change. It may not exist on the producer's side, so\n`id` can be `null`."),
            Kind::Object(vec![
                Field::konst("__type__", &rp, format!("Resource type name, always `{rp}`.")),
                Field::new("id", Ty::Uuid, "Its id; `null` when it was never created.").null(),
                Field::new("attributes", snapshot, "The attributes the change tried to set.").opt(),
            ]),
        );
        let mut fe = common(
            Ty::Named(format!("{p}Attempt")),
            &format!("The {rtitle} the change was attempted on."),
        );
        fe.push(Field::new(
            "error",
            Ty::Named(format!("{fp}Error")),
            "Why it failed.",
        ));
        c.add(
            &file,
            &format!("{p}FailureEvent"),
            format!("Payload of the failed `{fam}.{res}.*.fail` codes."),
            Kind::Object(fe),
        );
    }
}

fn node_type(c: &mut Catalog, fam: &str) -> String {
    let name = format!("{}Node", pascal(fam));
    c.add(
        &format!("types/{fam}.toml"),
        &name,
        "A node of a hierarchy (a tree: `children` may nest to any depth).",
        Kind::Object(vec![
            Field::new("id", Ty::Uuid, "Id of the node."),
            Field::new("name", Ty::Str, "Name of the node.").len(Some(1), Some(100)),
            Field::new(
                "children",
                Ty::Array(Box::new(Ty::named(&name))),
                "Child nodes.",
            )
            .opt()
            .items(None, Some(50)),
        ]),
    );
    name
}

fn build(codes: usize, families: usize, rng: &mut Rng) -> Catalog {
    let mut c = Catalog::default();
    shared_types(&mut c);
    let mut code_keys: HashSet<String> = HashSet::new();
    let mut codes_done = 0usize;
    for fi in 0..families {
        let fam = nth_word(FAMILY_WORDS, fi);
        let quota = codes / families + usize::from(fi < codes % families);
        family_types(&mut c, &fam, rng);
        let ftitle = human(&fam);
        let mut node: Option<String> = None;
        let mut events: Vec<Event> = Vec::new();
        let mut remaining = quota;
        // Resource names: the word list from a random start, then again with
        // a round number (`user`, ..., `user2`).
        let start = rng.below(RESOURCE_WORDS.len() as u64) as usize;
        let mut ri = 0;
        while remaining > 0 {
            let n = RESOURCE_WORDS.len();
            let res = nth_word(RESOURCE_WORDS, (ri / n) * n + (start + ri) % n);
            ri += 1;
            // Candidate (action, outcome) pairs, success first.
            let mut actions: Vec<usize> = (0..ACTIONS.len()).collect();
            rng.shuffle(&mut actions);
            let mut cands: Vec<(usize, bool)> = Vec::new();
            for a in actions {
                cands.push((a, true));
                if rng.chance(70) {
                    cands.push((a, false));
                }
            }
            let mut k = (rng.range(5, 12) as usize).min(remaining);
            if remaining - k < 3 {
                k = remaining;
            }
            let k = k.min(cands.len());
            remaining -= k;
            let picked = &cands[..k];
            let has_fail = picked.iter().any(|p| !p.1);

            // Types: base ones, then extras while below 1.4 types per code.
            codes_done += k;
            let base = 5 + if has_fail { 2 } else { 0 };
            let target = (codes_done * 7).div_ceil(5);
            let mut want = target.saturating_sub(c.type_count + base);
            let mut pool = vec![
                Extra::Status,
                Extra::Kind,
                Extra::Details,
                Extra::Settings,
                Extra::Tags,
                Extra::Labels,
                Extra::Snapshot,
            ];
            rng.shuffle(&mut pool);
            let mut extras: Vec<Extra> = Vec::new();
            if node.is_none() && want > 0 && rng.chance(50) {
                node = Some(node_type(&mut c, &fam));
                want -= 1;
            }
            for e in pool {
                if extras.len() >= want {
                    break;
                }
                if e == Extra::Settings && !extras.contains(&Extra::Details) {
                    continue;
                }
                extras.push(e);
            }
            resource_types(&mut c, &fam, &res, has_fail, &extras, node.as_deref(), rng);

            let p = format!("{}{}", pascal(&fam), pascal(&res));
            let rtitle = human(&res);
            for &(a, ok) in picked {
                let (verb, past, _) = ACTIONS[a];
                let outcome = if ok { "success" } else { "fail" };
                let code = format!("{fam}.{res}.{verb}.{outcome}");
                // Stricter than eventcat's own check (codes that differ only
                // by `.` and `_` become one Rust variant).
                let key = code.replace(['.', '_'], "");
                assert!(
                    code_keys.insert(key),
                    "generator bug: code `{code}` collides"
                );
                let (title, desc) = if ok {
                    (
                        format!("{rtitle} {past}"),
                        format!(
                            "Sent when a {r} of {ftitle} is {past} in the upstream system and the change\nwas applied. The payload carries the {r}'s id and, in `resource.changes`, the\nattributes that changed (before and after).\n\nEvents of the same {r} are sent in the order they happened; use `updated_at`\nto drop a stale one.",
                            r = res.replace('_', " ")
                        ),
                    )
                } else {
                    (
                        format!("{rtitle} {verb} failed"),
                        format!(
                            "Sent when the upstream system asked to {verb} a {r} of {ftitle} and the change\ncould not be applied. Nothing changed; `error` says why. The upstream system\nusually retries, so a `{fam}.{res}.{verb}.success` may follow.",
                            r = res.replace('_', " ")
                        ),
                    )
                };
                let roll = rng.below(100);
                let (status, since) = match roll {
                    0..=5 => ("planned", "1.2.0"),
                    6..=9 => ("deprecated", "1.0.0"),
                    10..=39 => ("available", "1.1.0"),
                    _ => ("available", "1.0.0"),
                };
                let deprecation = (status == "deprecated").then(|| {
                    format!(
                        "Use `{fam}.{res}.update.success` instead; this code goes away in 2.0.0."
                    )
                });
                let ex = match rng.below(100) {
                    0..=4 => 2,
                    5..=26 => 1,
                    _ => 0,
                };
                let ex = if status == "planned" { 0 } else { ex };
                events.push(Event {
                    code,
                    title,
                    desc,
                    payload: if ok {
                        format!("{p}Event")
                    } else {
                        format!("{p}FailureEvent")
                    },
                    status,
                    deprecation,
                    since,
                    examples: ex,
                });
            }
        }
        c.families.push(Family {
            title: human(&fam).split(' ').map(pascal).collect::<Vec<_>>().join(" "),
            desc: format!(
                "Events of {ftitle}: resources of an organization created, changed or removed\nin the upstream system (Okta, Salesforce...) and synchronized to the\nproducer.\n\nSuccessful changes and failed attempts have their own codes\n(`*.success`, `*.fail`). Subscribe to every code of the family with\n`{fam}.all`."
            ),
            id: fam,
            events,
        });
    }
    c
}

// ------------------------------------------------------------------ examples

enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn write(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => write!(out, "{b}").unwrap(),
            Json::Int(i) => write!(out, "{i}").unwrap(),
            Json::Num(f) => write!(out, "{f:?}").unwrap(),
            // Generated strings hold no `"`, `\` or control characters.
            Json::Str(s) => write!(out, "\"{s}\"").unwrap(),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(items) if items.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push_str("[\n");
                for (i, v) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Obj(items) => {
                out.push_str("{\n");
                for (i, (k, v)) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    write!(out, "\"{k}\": ").unwrap();
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn uuid(rng: &mut Rng) -> String {
    let a = rng.next();
    let b = rng.next();
    let h = format!("{a:016x}{b:016x}");
    // Version 4, variant 10xx.
    let variant = ['8', '9', 'a', 'b'][(b & 3) as usize];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        variant,
        &h[17..20],
        &h[20..32]
    )
}

/// A value of field `f` (None: leave the field out).
fn field_value(
    c: &Catalog,
    f: &Field,
    depth: usize,
    in_partial: bool,
    rng: &mut Rng,
) -> Option<Json> {
    if let Some(k) = &f.konst {
        return Some(Json::Str(k.clone()));
    }
    if (f.optional || in_partial) && (depth > 6 || rng.chance(if in_partial { 45 } else { 30 })) {
        return None;
    }
    if f.nullable && rng.chance(25) {
        return Some(Json::Null);
    }
    let ty = f.ty.as_ref().expect("field has a type");
    Some(value(c, ty, Some(f), depth, rng))
}

fn value(c: &Catalog, ty: &Ty, f: Option<&Field>, depth: usize, rng: &mut Rng) -> Json {
    match ty {
        Ty::Str => {
            if let Some(p) = f.and_then(|f| f.pattern) {
                return Json::Str(p.sample.into());
            }
            let (a, b) = (rng.word(NOUNS), rng.word(NOUNS));
            let mut s = format!("{} {b}", human(a));
            if let Some(max) = f.and_then(|f| f.max_length) {
                s.truncate(max as usize);
            }
            Json::Str(s)
        }
        Ty::Int => {
            let lo = f.and_then(|f| f.minimum).unwrap_or(0.0) as i64;
            let hi = f.and_then(|f| f.maximum).unwrap_or(1000.0) as i64;
            Json::Int(rng.range(lo, hi))
        }
        Ty::Num => {
            let lo = f.and_then(|f| f.minimum).unwrap_or(0.0);
            let hi = f.and_then(|f| f.maximum).unwrap_or(1000.0);
            let steps = rng.below(9) as f64 + 1.0;
            Json::Num(lo + (hi - lo) * steps / 10.0)
        }
        Ty::Bool => Json::Bool(rng.chance(50)),
        Ty::Json => Json::Obj(vec![
            ("source".into(), Json::Str("import".into())),
            ("attempt".into(), Json::Int(rng.range(1, 5))),
        ]),
        Ty::Uuid => Json::Str(uuid(rng)),
        Ty::Email => Json::Str(format!(
            "{}.{}@example.com",
            rng.word(FIRST),
            rng.word(LAST)
        )),
        Ty::Uri => Json::Str(format!(
            "https://example.com/{}/{}",
            rng.word(NOUNS),
            rng.range(1, 999)
        )),
        Ty::Date => Json::Str(format!(
            "2024-{:02}-{:02}",
            rng.range(1, 12),
            rng.range(1, 28)
        )),
        Ty::DateTime => Json::Str(format!(
            "2024-03-{:02}T{:02}:{:02}:27Z",
            rng.range(1, 28),
            rng.range(0, 23),
            rng.range(0, 59)
        )),
        Ty::LocalDateTime => Json::Str(format!(
            "2024-03-{:02}T{:02}:14:27",
            rng.range(1, 28),
            rng.range(0, 23)
        )),
        Ty::Array(t) => {
            let lo = f.and_then(|f| f.min_items).unwrap_or(0);
            let hi = f.and_then(|f| f.max_items).unwrap_or(u64::MAX).min(2);
            let n = if depth > 6 {
                lo
            } else {
                lo.max(rng.below(hi.max(lo) + 1))
            };
            Json::Arr((0..n).map(|_| value(c, t, None, depth + 1, rng)).collect())
        }
        Ty::Map(t) => {
            let n = rng.range(1, 2);
            Json::Obj(
                (0..n)
                    .map(|i| {
                        (
                            format!("{}{i}", rng.word(NOUNS)),
                            value(c, t, None, depth + 1, rng),
                        )
                    })
                    .collect(),
            )
        }
        Ty::Named(n) => {
            let t = c.get(n);
            match &t.kind {
                Kind::Object(fields) => object(c, fields, depth + 1, false, rng),
                Kind::Enum { values, .. } => Json::Str(rng.pick(values).clone()),
                Kind::Alias(t) => value(c, t, None, depth, rng),
            }
        }
        Ty::Partial(n) => match &c.get(n).kind {
            Kind::Object(fields) => object(c, fields, depth + 1, true, rng),
            _ => unreachable!("partial of a non-object"),
        },
    }
}

fn object(c: &Catalog, fields: &[Field], depth: usize, partial: bool, rng: &mut Rng) -> Json {
    Json::Obj(
        fields
            .iter()
            .filter_map(|f| field_value(c, f, depth, partial, rng).map(|v| (f.name.clone(), v)))
            .collect(),
    )
}

fn example(c: &Catalog, code: &str, payload: &str, rng: &mut Rng) -> String {
    let mut data = value(c, &Ty::named(payload), None, 0, rng);
    // `change` follows from the code's action, as in the default catalog.
    let verb = code.rsplit('.').nth(1).unwrap_or_default();
    if let (Json::Obj(fields), Some(a)) = (&mut data, ACTIONS.iter().find(|a| a.0 == verb)) {
        for (k, v) in fields.iter_mut() {
            if k == "change" {
                *v = Json::Str(a.2.into());
            }
        }
    }
    let env = Json::Obj(vec![
        ("__type__".into(), Json::Str("Event".into())),
        ("__domain__".into(), Json::Str(SLUG.sample.into())),
        (
            "__environment__".into(),
            Json::Str(
                if rng.chance(80) {
                    "production"
                } else {
                    "sandbox"
                }
                .into(),
            ),
        ),
        ("code".into(), Json::Str(code.into())),
        ("data".into(), data),
    ]);
    let mut s = String::new();
    env.write(&mut s, 0);
    s
}

// ------------------------------------------------------------------ TOML

fn num(f: f64) -> String {
    if f.fract() == 0.0 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn write_field(out: &mut String, table: &str, f: &Field) {
    writeln!(out, "\n[{table}.{}]", f.name).unwrap();
    if let Some(t) = &f.ty {
        writeln!(out, "type = \"{}\"", t.expr()).unwrap();
    }
    if let Some(k) = &f.konst {
        writeln!(out, "const = \"{k}\"").unwrap();
    }
    if f.optional {
        out.push_str("optional = true\n");
    }
    if f.nullable {
        out.push_str("nullable = true\n");
    }
    for (k, v) in [("minimum", f.minimum), ("maximum", f.maximum)] {
        if let Some(v) = v {
            writeln!(out, "{k} = {}", num(v)).unwrap();
        }
    }
    for (k, v) in [
        ("min_length", f.min_length),
        ("max_length", f.max_length),
        ("min_items", f.min_items),
        ("max_items", f.max_items),
    ] {
        if let Some(v) = v {
            writeln!(out, "{k} = {v}").unwrap();
        }
    }
    if let Some(p) = f.pattern {
        writeln!(out, "pattern = '{}'", p.regex).unwrap();
    }
    if let Some(d) = &f.deprecated {
        writeln!(out, "deprecated = \"{d}\"").unwrap();
    }
    writeln!(out, "description = \"{}\"", f.desc).unwrap();
}

fn types_file(c: &Catalog, idx: &[usize], what: &str) -> String {
    let mut out = format!("# Generated by gen-catalog (bench/catalog): {what}.\n");
    for &i in idx {
        let t = &c.types[i];
        writeln!(
            out,
            "\n[types.{}]\ndescription = \"\"\"\n{}\"\"\"",
            t.name, t.desc
        )
        .unwrap();
        match &t.kind {
            Kind::Object(fields) => {
                for f in fields {
                    write_field(&mut out, &format!("types.{}.fields", t.name), f);
                }
            }
            Kind::Enum {
                values,
                extensible,
                value_descriptions,
            } => {
                let vs: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                writeln!(
                    out,
                    "values = [{}]\nextensible = {extensible}",
                    vs.join(", ")
                )
                .unwrap();
                if !value_descriptions.is_empty() {
                    writeln!(out, "\n[types.{}.value_descriptions]", t.name).unwrap();
                    for (v, d) in value_descriptions {
                        writeln!(out, "{v} = \"{d}\"").unwrap();
                    }
                }
            }
            Kind::Alias(ty) => writeln!(out, "type = \"{}\"", ty.expr()).unwrap(),
        }
    }
    out
}

fn catalog_file(codes: usize, families: usize, seed: u64) -> String {
    format!(
        r#"# Generated by gen-catalog (bench/catalog): --codes {codes} --families {families} --seed {seed}.

[catalog]
name = "synthetic-webhooks"
version = "1.2.0"
title = "Synthetic webhooks"
description = """
A synthetic catalog for benchmarks: {codes} event codes in {families} families,
shaped like the default catalog.

## Selecting events

A webhook lists the codes it wants to receive. Besides explicit codes, it may
use selectors:

- `all`: every event of every family;
- `<family>.all`: every event of one family."""

[envelope]
discriminator = "code"
payload = "data"
description = """
The Event object: the JSON body of every webhook request, whatever the family.
It carries the payload in `data`, whose shape depends on the code."""

[envelope.fields.__type__]
const = "Event"
description = "Type name of the envelope, always `Event`."

[envelope.fields.__domain__]
type = "string"
pattern = '{slug}'
description = "The domain of the organization the event happened in, e.g. `acme-corp`."

[envelope.fields.__environment__]
type = "Environment"
description = "The environment of the organization the event happened in."

[envelope.fields.code]
description = "The event code: what happened. It decides the type of `data`."

[envelope.fields.data]
description = "The payload. Its type depends on `code`."
"#,
        slug = SLUG.regex
    )
}

fn family_file(c: &Catalog, f: &Family, rng: &mut Rng) -> String {
    let mut out = format!(
        "# Generated by gen-catalog (bench/catalog): the `{}` family. Payload types are\n# in ../types/{}.toml.\n\n[family]\nid = \"{}\"\ntitle = \"{}\"\ndescription = \"\"\"\n{}\"\"\"\n",
        f.id, f.id, f.id, f.title, f.desc
    );
    for e in &f.events {
        writeln!(
            out,
            "\n[[event]]\ncode = \"{}\"\ntitle = \"{}\"\npayload = \"{}\"",
            e.code, e.title, e.payload
        )
        .unwrap();
        if e.status != "available" {
            writeln!(out, "status = \"{}\"", e.status).unwrap();
        }
        if let Some(d) = &e.deprecation {
            writeln!(out, "deprecation = \"{d}\"").unwrap();
        }
        writeln!(
            out,
            "since = \"{}\"\ndescription = \"\"\"\n{}\"\"\"",
            e.since, e.desc
        )
        .unwrap();
        for n in 0..e.examples {
            let json = example(c, &e.code, &e.payload, rng);
            writeln!(
                out,
                "\n[[event.example]]\nname = \"Sample {}\"\ndescription = \"A typical `{}` event.\"\njson = '''\n{json}\n'''",
                n + 1,
                e.code
            )
            .unwrap();
        }
    }
    out
}

// ------------------------------------------------------------------ main

struct Args {
    codes: usize,
    families: Option<usize>,
    out: PathBuf,
    seed: u64,
}

const USAGE: &str = "usage: gen-catalog --codes M [--families N] --out DIR [--seed S]";

fn parse_args() -> Result<Args, String> {
    let mut codes = None;
    let mut families = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--codes" => {
                codes = Some(
                    val("--codes")?
                        .parse::<usize>()
                        .map_err(|e| format!("--codes: {e}"))?,
                )
            }
            "--families" => {
                families = Some(
                    val("--families")?
                        .parse::<usize>()
                        .map_err(|e| format!("--families: {e}"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "--seed" => {
                seed = val("--seed")?
                    .parse::<u64>()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        codes: codes.ok_or("--codes is required")?,
        families,
        out: out.ok_or("--out is required")?,
        seed,
    })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn run(args: Args) -> Result<String, String> {
    let families = args.families.unwrap_or((args.codes / 15).max(2));
    if families == 0 || args.codes < families {
        return Err(format!(
            "need at least one code per family ({} codes, {families} families)",
            args.codes
        ));
    }
    if args.out.exists()
        && std::fs::read_dir(&args.out)
            .map_err(|e| format!("{}: {e}", args.out.display()))?
            .next()
            .is_some()
    {
        return Err(format!("{} is not empty", args.out.display()));
    }
    let mut rng = Rng(args.seed);
    let c = build(args.codes, families, &mut rng);

    std::fs::create_dir_all(args.out.join("families")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(args.out.join("types")).map_err(|e| e.to_string())?;
    let mut files = 1;
    write(
        &args.out.join("catalog.toml"),
        &catalog_file(args.codes, families, args.seed),
    )?;
    for (path, idx) in &c.files {
        let what = match path.as_str() {
            "types/common.toml" => "types shared by every family".to_string(),
            p => format!(
                "types of the `{}` family",
                p.trim_start_matches("types/").trim_end_matches(".toml")
            ),
        };
        write(&args.out.join(path), &types_file(&c, idx, &what))?;
        files += 1;
    }
    let mut examples = 0;
    let (mut planned, mut deprecated) = (0, 0);
    for f in &c.families {
        write(
            &args.out.join(format!("families/{}.toml", f.id)),
            &family_file(&c, f, &mut rng),
        )?;
        files += 1;
        for e in &f.events {
            examples += e.examples;
            planned += usize::from(e.status == "planned");
            deprecated += usize::from(e.status == "deprecated");
        }
    }
    let (mut objects, mut enums, mut extensible, mut aliases) = (0, 0, 0, 0);
    for t in &c.types {
        match &t.kind {
            Kind::Object(_) => objects += 1,
            Kind::Enum { extensible: x, .. } => {
                enums += 1;
                extensible += usize::from(*x);
            }
            Kind::Alias(_) => aliases += 1,
        }
    }
    Ok(format!(
        "codes {} ({planned} planned, {deprecated} deprecated), families {families}, types {} ({objects} objects, {} derived, {enums} enums ({extensible} extensible), {aliases} aliases; {:.2} per code), examples {examples}, files {files}",
        args.codes,
        c.type_count,
        c.partials.len(),
        c.type_count as f64 / args.codes as f64,
    ))
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-catalog: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
