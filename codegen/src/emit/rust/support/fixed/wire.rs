//! `Wire`, the trait the generated `support` module reads checked values
//! with, its impls for containers and integers, and the field helpers
//! using it, as the generated crate holds them: the emitter embeds them by
//! name (see [`super::Fixed`]). The impls for `uuid` and `chrono` types
//! are in `wire_formats.rs`.

/// A value read from the wire with eventcat's checks (the ones of
/// `eventcat validate`) rather than its type's own `Deserialize`.
pub(super) trait Wire: Sized {
    /// Reads a value.
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A `T` read through [`Wire`], for containers.
struct Read<T>(T);

impl<'de, T: Wire> serde::Deserialize<'de> for Read<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Read)
    }
}

impl<T: Wire> Wire for Option<T> {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Option<Read<T>> as serde::Deserialize>::deserialize(deserializer).map(|v| v.map(|r| r.0))
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <Vec<Read<T>> as serde::Deserialize>::deserialize(deserializer)
            .map(|v| v.into_iter().map(|r| r.0).collect())
    }
}

impl<T: Wire> Wire for std::collections::BTreeMap<String, T> {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <std::collections::BTreeMap<String, Read<T>> as serde::Deserialize>::deserialize(
            deserializer,
        )
        .map(|m| m.into_iter().map(|(k, r)| (k, r.0)).collect())
    }
}

/// A field read through [`Wire`].
pub(super) fn wire<'de, D: serde::Deserializer<'de>, T: Wire>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::read(deserializer)
}

/// A field that may be absent, read through [`Wire`] when present.
pub(super) fn present_wire<'de, D: serde::Deserializer<'de>, T: Wire>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::read(deserializer).map(Some)
}

/// An integer: a JSON number that is a whole number in the i64
/// range. Integral floats (`1.0`, `1e2`, `-0`) are integers, as in
/// JSON Schema; a number with a fraction or an exponent is read as
/// a 64-bit float, and must then lie strictly between -2^63 and
/// 2^63 (the float -2^63 also stands for `-9223372036854775809`).
impl Wire for i64 {
    fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl serde::de::Visitor<'_> for Visitor {
            type Value = i64;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer in the i64 range")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
                i64::try_from(v)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
                // 2^63 as a float; `as` is exact inside the open range.
                const LIMIT: f64 = 9_223_372_036_854_775_808.0;
                if v.fract() == 0.0 && v > -LIMIT && v < LIMIT {
                    Ok(v as i64)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
                }
            }
        }

        deserializer.deserialize_i64(Visitor)
    }
}
