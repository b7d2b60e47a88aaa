//! The catalog file format: the serde types every `*.toml` file under a
//! catalog folder is read into.
//!
//! These types are the *raw* view of one file, with byte spans kept for
//! diagnostics. Nothing here is resolved or checked beyond TOML syntax and
//! the set of allowed keys; [`crate::load()`] turns the files of a folder
//! into one [`crate::model::Catalog`]. The JSON Schema of this format (for
//! editors) is derived from these types with schemars: see
//! [`catalog_format_schema`].
//!
//! Every file may hold any of the sections below; a catalog as a whole has
//! exactly one `[catalog]`, one `[envelope]`, and `[[event]]` tables only in
//! files that declare their `[family]`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// A string with the byte range it was read from.
pub type SpannedString = Spanned<String>;

/// One catalog file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "eventcat catalog file")]
pub struct CatalogFile {
    /// Catalog-wide metadata. Exactly one file of a catalog has it.
    #[schemars(with = "Option<CatalogMeta>")]
    pub catalog: Option<Spanned<CatalogMeta>>,
    /// The envelope every event is sent in. Exactly one file of a catalog has it.
    #[schemars(with = "Option<EnvelopeSpec>")]
    pub envelope: Option<Spanned<EnvelopeSpec>>,
    /// How events are delivered over HTTP (signatures, retries). Optional;
    /// at most one file of a catalog has it.
    #[schemars(with = "Option<DeliverySpec>")]
    pub delivery: Option<Spanned<DeliverySpec>>,
    /// The family whose events this file declares.
    #[schemars(with = "Option<FamilySpec>")]
    pub family: Option<Spanned<FamilySpec>>,
    /// The events of this file's family, in the order docs list them.
    #[serde(default)]
    #[schemars(with = "Vec<EventSpec>")]
    pub event: Vec<Spanned<EventSpec>>,
    /// Named payload types, shared by every file of the catalog.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, TypeSpec>")]
    pub types: IndexMap<SpannedString, Spanned<TypeSpec>>,
    /// Intended breaking changes: `eventcat diff` shows the changes they
    /// match as acknowledged and does not fail on them.
    #[serde(default)]
    #[schemars(with = "Vec<AcknowledgeSpec>")]
    pub acknowledge: Vec<Spanned<AcknowledgeSpec>>,
}

/// `[[acknowledge]]`: a breaking change made on purpose, so `eventcat diff`
/// passes. Needs a `code` or a `path` (or both).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeSpec {
    /// Id of the rule the change falls under, e.g. `required-field-removed`
    /// (`eventcat diff` prints it; the README lists them all).
    #[schemars(with = "String")]
    pub rule: SpannedString,
    /// The event code affected. A change to a type shared by several codes
    /// is acknowledged once each of its codes is (or by `path`).
    pub code: Option<String>,
    /// The path of the change as `eventcat diff` prints it, e.g.
    /// `data.user.emails`; changes at or below it match.
    pub path: Option<String>,
    /// Why the break is intended (shown in the report).
    pub reason: String,
}

/// `[catalog]`: what the catalog is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogMeta {
    /// Machine name of the catalog, e.g. `acme-webhooks`.
    #[schemars(with = "String")]
    pub name: SpannedString,
    /// Version of the catalog (semantic versioning recommended), used by `since`.
    #[schemars(with = "String")]
    pub version: SpannedString,
    /// Human title, shown as the docs heading.
    pub title: Option<String>,
    /// What the catalog covers (Markdown).
    #[serde(default)]
    pub description: String,
}

/// `[envelope]`: the top-level object every event is sent in.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSpec {
    /// What the envelope is (Markdown).
    #[serde(default)]
    pub description: String,
    /// The field holding the event code. Default `code`.
    #[schemars(with = "Option<String>")]
    pub discriminator: Option<SpannedString>,
    /// The field holding the payload, whose type depends on the code. Default `data`.
    #[schemars(with = "Option<String>")]
    pub payload: Option<SpannedString>,
    /// The envelope's fields, in wire order. The discriminator and payload
    /// fields may be listed (without `type`) to document and order them.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, FieldSpec>")]
    pub fields: IndexMap<SpannedString, Spanned<FieldSpec>>,
}

/// `[delivery]`: how events travel over HTTP. Every key is optional; the
/// defaults are the Standard Webhooks ones.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverySpec {
    /// Signing scheme. Only `standard-webhooks` (v1, HMAC-SHA256) is known.
    #[schemars(with = "Option<String>")]
    pub scheme: Option<SpannedString>,
    /// Header carrying the message id. Default `webhook-id`.
    #[schemars(with = "Option<String>")]
    pub id_header: Option<SpannedString>,
    /// Header carrying the Unix timestamp. Default `webhook-timestamp`.
    #[schemars(with = "Option<String>")]
    pub timestamp_header: Option<SpannedString>,
    /// Header carrying the signatures. Default `webhook-signature`.
    #[schemars(with = "Option<String>")]
    pub signature_header: Option<SpannedString>,
    /// How far a timestamp may be from the receiver's clock, e.g. `"5m"`.
    /// Default `"5m"`.
    #[schemars(with = "Option<String>")]
    pub tolerance: Option<SpannedString>,
    /// How long the sender waits for an answer, e.g. `"15s"`. Default `"15s"`.
    #[schemars(with = "Option<String>")]
    pub timeout: Option<SpannedString>,
    /// Waits before each retry of a delivery that was not received, e.g.
    /// `["5s", "5m", "30m", "2h"]`. Default: the Standard Webhooks schedule
    /// (5s, 5m, 30m, 2h, 5h, 10h, 10h).
    #[schemars(with = "Option<Vec<String>>")]
    pub retry: Option<Vec<SpannedString>>,
    /// What a `410 Gone` answer stops: `"event"` (no further attempt of
    /// that event) or `"endpoint"` (no further delivery to the endpoint).
    /// Default `"endpoint"`, as Standard Webhooks senders do.
    #[schemars(with = "Option<String>")]
    pub gone: Option<SpannedString>,
}

/// `[family]`: a group of event codes sharing a prefix.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FamilySpec {
    /// The family id: the first segment of each of its codes, e.g. `dir_sync`.
    #[schemars(with = "String")]
    pub id: SpannedString,
    /// Human title, e.g. `Directory Sync`.
    pub title: String,
    /// What the family covers (Markdown).
    #[serde(default)]
    pub description: String,
}

/// Lifecycle status of an event code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusSpec {
    /// Sent today.
    Available,
    /// Announced, not sent yet.
    Planned,
    /// Still sent, going away; `deprecation` says why and what to use.
    Deprecated,
}

/// `[[event]]`: one event code.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// The event code: lower-case dotted segments, first segment = family id.
    #[schemars(with = "String")]
    pub code: SpannedString,
    /// Short human title, e.g. `User created`.
    pub title: String,
    /// What happened when this event is sent (Markdown).
    #[serde(default)]
    pub description: String,
    /// Name of the payload type (a `[types.*]` object).
    #[schemars(with = "String")]
    pub payload: SpannedString,
    /// Lifecycle status. Default `available`.
    #[schemars(with = "Option<StatusSpec>")]
    pub status: Option<Spanned<StatusSpec>>,
    /// With `status = "deprecated"`: why, and what to use instead.
    pub deprecation: Option<String>,
    /// Catalog version that introduced the code: at most the catalog's
    /// `version` (both compared as semantic versions when the catalog's is
    /// one).
    #[schemars(with = "Option<String>")]
    pub since: Option<SpannedString>,
    /// Sample events, as whole envelopes on the wire.
    #[serde(default)]
    #[schemars(with = "Vec<ExampleSpec>")]
    pub example: Vec<Spanned<ExampleSpec>>,
}

/// `[[event.example]]`: one sample event, inline (`json`) or in a file (`file`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// Short name, e.g. `Okta user`.
    pub name: Option<String>,
    /// What the sample shows.
    pub description: Option<String>,
    /// The event as JSON text.
    #[schemars(with = "Option<String>")]
    pub json: Option<SpannedString>,
    /// A JSON file holding the event, relative to this catalog file.
    #[schemars(with = "Option<String>")]
    pub file: Option<SpannedString>,
}

/// `[types.Name]`: a named type. Exactly one of `fields` (an object),
/// `values` (a string enum) or `type` (an alias of a type expression).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeSpec {
    /// What values of this type are (Markdown).
    #[serde(default)]
    pub description: String,
    /// Object: its fields, in wire order.
    #[schemars(with = "Option<IndexMap<String, FieldSpec>>")]
    pub fields: Option<Spanned<IndexMap<SpannedString, Spanned<FieldSpec>>>>,
    /// String enum: its values.
    #[schemars(with = "Option<Vec<String>>")]
    pub values: Option<Spanned<Vec<SpannedString>>>,
    /// String enum: whether consumers must expect values not listed yet
    /// (`true`: an unknown value is kept; `false`: it is an error). Default `false`.
    pub extensible: Option<bool>,
    /// String enum: a description per value.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub value_descriptions: IndexMap<SpannedString, String>,
    /// Alias: a type expression (see `FieldSpec::type`).
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>")]
    pub alias: Option<SpannedString>,
}

/// A field of an object or of the envelope.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// A type expression: `string`, `integer`, `number`, `boolean`, `json`,
    /// a string format (`uuid`, `email`, `uri`, `date`, `date-time`,
    /// `local-date-time`), a type name, `array<T>`, `map<T>` (string keys)
    /// or `partial<Object>` (every field optional).
    #[serde(rename = "type")]
    #[schemars(with = "Option<String>")]
    pub ty: Option<SpannedString>,
    /// A constant string the field always holds (instead of `type`).
    #[schemars(with = "Option<String>")]
    #[serde(rename = "const")]
    pub constant: Option<SpannedString>,
    /// What the field holds (Markdown).
    #[serde(default)]
    pub description: String,
    /// The field may be absent from the object. Default `false`.
    #[serde(default)]
    pub optional: bool,
    /// The field may be `null`. Default `false`.
    #[serde(default)]
    pub nullable: bool,
    /// Producers should stop sending the field; says why.
    pub deprecated: Option<String>,
    /// Numbers: smallest allowed value.
    pub minimum: Option<f64>,
    /// Numbers: largest allowed value.
    pub maximum: Option<f64>,
    /// Strings: fewest characters.
    pub min_length: Option<u64>,
    /// Strings: most characters.
    pub max_length: Option<u64>,
    /// Strings: an ECMA-262 regular expression the value must match.
    pub pattern: Option<String>,
    /// Arrays: fewest items.
    pub min_items: Option<u64>,
    /// Arrays: most items.
    pub max_items: Option<u64>,
}

/// The JSON Schema (draft 2020-12) of a catalog file, for editors.
pub fn catalog_format_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(CatalogFile);
    serde_json::to_value(schema).expect("a schemars schema always serializes")
}

/// Parses one catalog file's text.
pub fn parse(text: &str) -> Result<CatalogFile, toml::de::Error> {
    toml::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_spans() {
        let text = "[types.User]\nfields.id.type = \"uuid\"\n";
        let file = parse(text).unwrap();
        let (name, _) = file.types.first().unwrap();
        assert_eq!(&text[name.span()], "User");
        let fields = file.types[0].get_ref().fields.as_ref().unwrap();
        let (field, spec) = fields.get_ref().first().unwrap();
        assert_eq!(&text[field.span()], "id");
        assert_eq!(
            &text[spec.get_ref().ty.as_ref().unwrap().span()],
            "\"uuid\""
        );
    }
}
