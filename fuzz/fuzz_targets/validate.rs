//! Bytes -> event reader -> validator (a small catalog): findings at lines
//! of the input, never a panic.
#![no_main]

use std::sync::OnceLock;

use eventcat::validate::{self, reader, report, Validators};
use libfuzzer_sys::fuzz_target;

const CATALOG: &str = include_str!("../catalog.toml");

struct Lines(Vec<u64>);

impl report::Sink for Lines {
    fn finding(&mut self, _: &str, f: &validate::dispatch::Finding) -> std::io::Result<()> {
        self.0.push(f.line);
        Ok(())
    }
    fn unreadable(&mut self, _: &str) -> std::io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &report::Summary) -> std::io::Result<()> {
        Ok(())
    }
}

fn catalog() -> &'static (eventcat::codegen::Catalog, Validators) {
    static C: OnceLock<(eventcat::codegen::Catalog, Validators)> = OnceLock::new();
    C.get_or_init(|| {
        let c = eventcat::codegen::load_sources(vec![eventcat::codegen::model::SourceFile {
            path: "cat/catalog.toml".into(),
            text: CATALOG.into(),
        }])
        .expect("the fuzz catalog loads");
        let v = Validators::new(&c, false).expect("validators");
        (c, v)
    })
}

fuzz_target!(|data: &[u8]| {
    let (catalog, validators) = catalog();
    let dir = std::env::temp_dir().join(format!("eventcat-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("e.ndjson");
    std::fs::write(&path, data).unwrap();
    let sources = reader::sources(&[path]);
    let mut sink = Lines(Vec::new());
    validate::run(catalog, &sources, validators, 1, 0, &mut sink).unwrap();
    let lines = data.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    assert!(sink.0.iter().all(|l| *l >= 1 && *l <= lines));
});
