//! The `JsonSchema` impls of fixed items the catalog's items sit beside
//! (behind the generated crate's `schemars` feature), as the generated
//! crate holds them: the emitter embeds them by name (see
//! [`super::Fixed`]).

// What the generated crate has beside them (not embedded).
use super::context::EventCode;
use super::support;

impl schemars::JsonSchema for EventCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "EventCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        support::schema([
            ("description", "An event code of the catalog.".into()),
            ("type", "string".into()),
            ("enum", Self::ALL.map(EventCode::as_str).to_vec().into()),
        ])
    }
}
