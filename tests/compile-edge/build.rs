//! Generates one module per edge-case catalog (`../catalogs/edge/<name>`)
//! into `$OUT_DIR/<name>.rs`, with the schemars and proptest impls.

use eventcat_codegen::emit::rust::Derive;

const CATALOGS: [&str; 3] = ["keywords", "recursion", "wire"];

fn main() {
    for name in CATALOGS {
        let result = eventcat_codegen::Builder::new(format!("../catalogs/edge/{name}"))
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
