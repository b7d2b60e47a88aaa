//! One module per subcommand; each has `Args` (clap) and `run`.

pub mod catalog_schema;
pub mod diff;
pub mod export;
pub mod fixtures;
pub mod generate;
pub mod lint;
pub mod listen;
pub mod send;
pub mod validate;
