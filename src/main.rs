//! The `eventcat` command line.
fn main() -> std::process::ExitCode {
    eventcat::cli::main()
}
