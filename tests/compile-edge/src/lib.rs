//! The Rust generated for the edge-case catalogs, compiled with every
//! optional derive and warnings denied: if the emitter produces code that
//! does not compile or warns for one of them, this crate fails to build.
#![deny(warnings, missing_docs)]

/// `tests/catalogs/edge/keywords`: keywords, digits and unicode in names.
pub mod keywords {
    include!(concat!(env!("OUT_DIR"), "/keywords.rs"));
}

/// `tests/catalogs/edge/recursion`: recursive types.
pub mod recursion {
    include!(concat!(env!("OUT_DIR"), "/recursion.rs"));
}

/// `tests/catalogs/edge/wire`: every wire shape.
pub mod wire {
    include!(concat!(env!("OUT_DIR"), "/wire.rs"));
}

/// `catalogs/bare`: code that needs no support item (one generated for
/// nothing would be dead code, denied here).
pub mod bare {
    include!(concat!(env!("OUT_DIR"), "/bare.rs"));
}

/// `tests/catalogs/edge/wire` with the derives behind this crate's
/// `schemars` and `proptest` features.
pub mod wire_gated {
    include!(concat!(env!("OUT_DIR"), "/wire_gated.rs"));
}
