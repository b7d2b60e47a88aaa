//! The fixed items of the generated `support` module (serde field helpers,
//! schema helpers, suggestions), as the generated crate holds them: the
//! emitter embeds them by name (see [`super::Fixed`]).

// Serde helpers of fields.

/// A field that may be absent but, when present, holds a value of
/// its type (`null` only if that type is itself nullable).
pub(super) fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// A field that must be present and may be `null`.
pub(super) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer)
}

/// Accepts exactly the string `expected`.
pub(super) fn constant<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<(), D::Error> {
    struct Visitor(&'static str);

    impl serde::de::Visitor<'_> for Visitor {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "the string `{}`", self.0)
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
            if v == self.0 {
                Ok(())
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
            }
        }
    }

    deserializer.deserialize_str(Visitor(expected))
}

// Schema helpers (behind `schemars`).

/// A JSON schema object with these keywords.
pub(super) fn schema<const N: usize>(keywords: [(&str, serde_json::Value); N]) -> schemars::Schema {
    let map: serde_json::Map<String, serde_json::Value> = keywords
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    schemars::Schema::from(map)
}

/// The schema of a field that must be present and may be `null`
/// (`Option<T>` alone would make it optional).
#[allow(dead_code)] // Only named in `#[schemars(with = ...)]`.
pub(super) struct Nullable<T>(std::marker::PhantomData<T>);

impl<T: schemars::JsonSchema> schemars::JsonSchema for Nullable<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<Option<T>>()
    }
}

/// The schema of an envelope field: its type's, described, with
/// the field's constraints.
pub(super) fn field<const N: usize>(
    mut schema: schemars::Schema,
    description: &str,
    keywords: [(&str, serde_json::Value); N],
) -> serde_json::Value {
    for (k, v) in keywords {
        schema.insert(k.to_string(), v);
    }
    schema.insert("description".to_string(), description.into());
    schema.into()
}

// Suggestions for unknown names.

/// The closest candidate to `input` by edit distance, if close
/// enough to be a likely typo.
pub(super) fn closest(
    input: &str,
    candidates: impl Iterator<Item = &'static str>,
) -> Option<&'static str> {
    let limit = (input.chars().count() / 3).max(3);
    candidates
        .map(|c| (edit_distance(input, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// The envelope's payload.

/// Serializes the payload of an event.
pub(super) struct Data<'a>(pub(super) &'a super::Event);

impl serde::Serialize for Data<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_payload(serializer)
    }
}
