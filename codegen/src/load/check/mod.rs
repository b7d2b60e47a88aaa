//! The checks that need the whole catalog (or a whole file) at once.

#[allow(unused_imports)]
use super::*;

mod constraints;
mod examples;
mod graph;
mod lifecycle;
mod names;
