//! One module per subcommand; each has `Args` (clap) and `run`.

pub mod catalog_schema;
pub mod generate;
pub mod lint;
