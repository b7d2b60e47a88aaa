//! The items of the generated `support` module that name the JSON path of
//! an error (with `serde_path_to_error`), as the generated crate holds them:
//! the emitter embeds them by name (see [`super::Fixed`]). Compiled in
//! tests only (`serde_path_to_error` is a dev-dependency of this crate).

/// The payload `data` (the field `field` of the envelope) as a
/// `T`; an error names the JSON path from `field` and what was
/// expected (`data.user.id: expected uuid, found "x"`).
pub(super) fn payload<T: serde::de::DeserializeOwned>(
    field: &str,
    data: serde_json::Value,
) -> Result<T, serde_json::Error> {
    serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let mut at = field.to_string();
        if path != "." {
            if !path.starts_with('[') {
                at.push('.');
            }
            at.push_str(&path);
        }
        // serde's message for a missing field names it: put it in the path.
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'));
        match missing {
            Some(name) => {
                serde::de::Error::custom(format_args!("{at}.{name}: missing required field"))
            }
            None => serde::de::Error::custom(format_args!("{at}: {message}")),
        }
    })
}

/// A `T` read from `deserializer`; an error names the JSON path
/// of the value at fault in front of the message (`id: expected
/// uuid, found "x"`), unless it is at the top.
pub(super) fn tracked<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            inner
        } else {
            serde::de::Error::custom(format_args!("{path}: {inner}"))
        }
    })
}
