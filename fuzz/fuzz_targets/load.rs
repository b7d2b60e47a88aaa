//! Bytes -> catalog loader -> every output: diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = eventcat::codegen::load_sources(vec![eventcat::codegen::model::SourceFile {
        path: "cat/catalog.toml".into(),
        text: text.into(),
    }]);
    if let Ok(catalog) = loaded {
        let _ = eventcat::codegen::emit::all(&catalog);
    }
});
