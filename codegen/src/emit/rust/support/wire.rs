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
    let formats = fixed::Fixed::parse(&fixed::WIRE_FORMATS);
    if uses.wire_uuid || uses.wire_date || uses.wire_date_time {
        out.extend(formats.items(&["checked"]));
    }
    if uses.wire_int {
        out.extend(fixed.items(&["i64"]));
    }
    if uses.wire_uuid {
        out.extend(formats.items(&["Uuid"]));
    }
    if uses.wire_date {
        out.extend(formats.items(&["NaiveDate"]));
    }
    if uses.wire_date_time {
        out.extend(formats.items(&["DateTime"]));
    }
    out
}
