//! The `Wire` impls of the string formats eventcat checks itself (`uuid`,
//! `date`, `date-time`) and the check they share, as the generated crate
//! holds them: the emitter embeds them by name (see [`super::Fixed`]).
//! Compiled in tests only (`uuid` and `chrono` are dev-dependencies of this
//! crate).

// What the generated `support` module has around them (not embedded).
use super::wire::Wire;

/// A string of a format, or the error naming the format.
fn checked<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    format: &str,
    check: fn(&str) -> bool,
) -> Result<String, D::Error> {
    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
    if check(&value) {
        Ok(value)
    } else {
        Err(serde::de::Error::custom(format_args!(
            "expected {format}, found {value:?}"
        )))
    }
}

/// A UUID: `8-4-4-4-12` hex digits, either case (`formats::is_uuid`).
impl Wire for uuid::Uuid {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = checked(deserializer, "uuid", super::formats::is_uuid)?;
        uuid::Uuid::parse_str(&value)
            .map_err(|_| serde::de::Error::custom(format_args!("expected uuid, found {value:?}")))
    }
}

/// A date: `YYYY-MM-DD` (`formats::is_date`).
impl Wire for chrono::NaiveDate {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = checked(deserializer, "date", super::formats::is_date)?;
        chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
            .map_err(|_| serde::de::Error::custom(format_args!("expected date, found {value:?}")))
    }
}

/// A date-time with offset (`formats::is_date_time`), in UTC.
impl Wire for chrono::DateTime<chrono::Utc> {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = checked(deserializer, "date-time with offset", super::formats::is_date_time)?;
        chrono::DateTime::parse_from_rfc3339(&value)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| serde::de::Error::custom(format_args!("expected date-time with offset, found {value:?}")))
    }
}
