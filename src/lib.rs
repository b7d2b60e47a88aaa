//! eventcat: one webhook event catalog -> Rust types, JSON Schema, docs and
//! contract checks. This crate is the `eventcat` command line and the
//! contract checks; catalog loading and the emitters live in
//! [`eventcat_codegen`].
#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod diff;
pub mod fixtures;
pub mod output;
pub mod validate;
pub mod webhooks;

pub use eventcat_codegen as codegen;
