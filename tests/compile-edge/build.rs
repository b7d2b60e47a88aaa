//! Generates one module per edge-case catalog (`../catalogs/edge/<name>`)
//! into `$OUT_DIR/<name>.rs`, with the schemars and proptest impls, and
//! the same for `catalogs/bare` (code that needs no support item).

use eventcat_codegen::emit::rust::Derive;

const CATALOGS: [&str; 3] = ["keywords", "recursion", "wire"];

fn main() {
    let dirs = CATALOGS
        .iter()
        .map(|name| (*name, format!("../catalogs/edge/{name}")))
        .chain([("bare", "catalogs/bare".to_string())]);
    for (name, dir) in dirs {
        let result = eventcat_codegen::Builder::new(dir)
            .file_name(format!("{name}.rs"))
            .schemars(Derive::Always)
            .proptest(Derive::Always)
            .generate();
        if let Err(e) = result {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
    // The derives behind this crate's (off by default) features: checks the
    // code compiles, warning-free, without them.
    let result = eventcat_codegen::Builder::new("../catalogs/edge/wire")
        .file_name("wire_gated.rs")
        .schemars(Derive::Feature)
        .proptest(Derive::Feature)
        .generate();
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
