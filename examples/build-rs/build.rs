//! Generates `$OUT_DIR/events.rs` from the catalog in `../../schema`.

fn main() {
    match eventcat_codegen::Builder::new("../../schema").generate() {
        Ok(_) => {}
        Err(e) => {
            // The rendered diagnostics point at the catalog files.
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
