//! What (de)serializing a field needs beyond serde's derives: `Wire`
//! helpers for integers, UUIDs and dates, present-or-absent fields.

#[allow(unused_imports)]
use super::*;

/// `Wire`: how the values eventcat checks itself are read (integers,
/// `uuid`, `date`, `date-time`, and arrays, maps and options of them), and
/// the field helpers using it.
pub(super) fn wire_items(uses: &crate::emit::rust::Uses) -> TokenStream {
    let fixed = fixed::Fixed::parse(&fixed::WIRE);
    // The trait, the reader of its items, and its impls for options,
    // arrays and maps.
    let mut out = fixed.items(&["Wire", "Read", "Option", "Vec", "BTreeMap"]);
    if uses.wire_fn {
        out.extend(fixed.items(&["wire"]));
    }
    if uses.present_wire_fn {
        out.extend(fixed.items(&["present_wire"]));
    }
    if uses.wire_uuid || uses.wire_date || uses.wire_date_time {
        out.extend(fixed.items(&["checked"]));
    }
    if uses.wire_int {
        out.extend(fixed.items(&["i64"]));
    }
    if uses.wire_uuid {
        out.extend(quote! {
            /// A UUID: `8-4-4-4-12` hex digits, either case (`formats::is_uuid`).
            impl Wire for uuid::Uuid {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = checked(deserializer, "uuid", super::formats::is_uuid)?;
                    uuid::Uuid::parse_str(&value)
                        .map_err(|_| serde::de::Error::custom(format_args!("expected uuid, found {value:?}")))
                }
            }
        });
    }
    if uses.wire_date {
        out.extend(quote! {
            /// A date: `YYYY-MM-DD` (`formats::is_date`).
            impl Wire for chrono::NaiveDate {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = checked(deserializer, "date", super::formats::is_date)?;
                    chrono::NaiveDate::parse_from_str(&value, "%Y-%m-%d")
                        .map_err(|_| serde::de::Error::custom(format_args!("expected date, found {value:?}")))
                }
            }
        });
    }
    if uses.wire_date_time {
        out.extend(quote! {
            /// A date-time with offset (`formats::is_date_time`), in UTC.
            impl Wire for chrono::DateTime<chrono::Utc> {
                fn read<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let value = checked(deserializer, "date-time with offset", super::formats::is_date_time)?;
                    chrono::DateTime::parse_from_rfc3339(&value)
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .map_err(|_| serde::de::Error::custom(format_args!("expected date-time with offset, found {value:?}")))
                }
            }
        });
    }
    out
}
