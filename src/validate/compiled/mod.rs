//! The compiled engine (`eventcat validate --engine compiled`, the default):
//! the catalog's contract compiled once into a validation [`Program`], and
//! each event checked *while it is parsed*, with no JSON tree built.
//!
//! - **The program** has one node per catalog type (objects: a field table
//!   with a fast lookup and the required fields; enums: their value set;
//!   aliases: their target), plus one small node per field of a scalar,
//!   array or map type. Named types are referred to by node index, so
//!   recursive types cost nothing more. Built in time linear in the catalog;
//!   shared read-only by every worker thread.
//! - **The fast path** (`accept.rs`): a hand-written parser walks the event
//!   with the program and only accepts; at anything it is not sure of
//!   (a violation, an escape, a fraction, a repeated or undeclared key) the
//!   check below runs, which alone writes violations.
//! - **The check** is a serde [`DeserializeSeed`] driven by the program over
//!   `serde_json`'s deserializer on the event's borrowed bytes: keys and
//!   strings are borrowed from the input (copied only when they hold an
//!   escape), required fields are tracked in a bit set, formats
//!   ([`eventcat_codegen::formats`]), patterns (ECMA-262, translated by
//!   [`eventcat_codegen::pattern`], run by `fancy-regex` as jsonschema does)
//!   and constraints are checked on the borrowed text. The envelope is
//!   dispatched on its discriminator as it is read; when the discriminator
//!   comes after the payload, the payload's raw text is kept (a borrowed
//!   [`RawValue`]) and checked once the code is known.
//! - **Same results as the reference engine** (the jsonschema crate over the
//!   emitted JSON Schemas, [`super::schema`]): it mirrors what the emitted
//!   schemas say (nullable as `type: [T, "null"]`, `enum` with `null` or
//!   `anyOf` with `null`; field constraints beside the type), reports the
//!   same raw errors and tidies them with the same rules, so pointers, kinds
//!   and messages are the same; `tests/engines.rs` holds both to it.
//! - **Numbers and duplicate keys in the same pass**: a number is checked as
//!   serde_json reads it (a float `-2^63` moved below the i64 range, as
//!   [`super::numbers::adjust`] does), and the text of a float is put back
//!   into a message only for an event that has one ([`super::numbers::scan`]
//!   runs then); a repeated key is seen while the object is read, and only
//!   then is the event checked the slow way (parsed to a tree, which keeps
//!   the last value, as the reference engine does).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use eventcat_codegen::emit::json_schema::{
    escape_pointer, DATE_TIME_PATTERN, LOCAL_DATE_TIME_PATTERN,
};
use eventcat_codegen::formats;
use eventcat_codegen::model::{
    Catalog, Constraints, EnvelopeField, Field, StringFormat, TypeKind, TypeRef,
};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::schema::{describe, CodeOf, Violation};

mod accept;
mod build;
mod check;
mod envelope;
mod lookup;
mod native;
mod program;
mod sets;

#[allow(unused_imports)]
use check::*;
#[allow(unused_imports)]
use envelope::*;

type NodeId = usize;

/// Name -> index, hashed eight bytes at a time (the `FxHash` of rustc): the
/// names are short and the map is fixed by the catalog (an input only
/// probes it), where SipHash's protection costs more than the lookup.
type Names = HashMap<String, usize, std::hash::BuildHasherDefault<WordHash>>;

/// rustc's FxHash: rotate, xor a word, multiply.
#[derive(Default)]
struct WordHash(u64);

impl WordHash {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for WordHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

/// A number as serde_json reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Num {
    I(i64),
    U(u64),
    F(f64),
}

/// A bound of `minimum` / `maximum`, with its text in messages.
#[derive(Debug, Clone)]
struct Limit {
    value: Num,
    text: String,
}

/// A compiled `pattern`.
struct Pattern {
    source: String,
    regex: fancy_regex::Regex,
    /// The same test, hand-written ([`native`]), for the patterns that
    /// formats carry.
    native: Option<fn(&str) -> bool>,
}

/// How `null` is accepted at a position (as the emitter writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Null {
    /// Not accepted (unless the type is any JSON value).
    No,
    /// In the type itself: `type: [T, "null"]`, or `enum: [.., null]`.
    Inline,
    /// `anyOf: [{$ref}, {type: null}]` (a named type).
    AnyOf,
}

/// What a value at one position must be: a type, how `null` is taken, and
/// the field's own constraints (beside the type in the schema).
#[derive(Debug, Clone)]
struct Slot {
    node: NodeId,
    null: Null,
    checks: Option<Box<Checks>>,
}

/// A field's constraints (each applies only to values of its JSON type).
#[derive(Debug, Clone, Default)]
struct Checks {
    minimum: Option<Limit>,
    maximum: Option<Limit>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    patterns: Vec<usize>,
    min_items: Option<u64>,
    max_items: Option<u64>,
}

#[derive(Debug, Clone)]
enum Node {
    /// Any JSON value.
    Any,
    /// A string, with its format and the pattern its format carries.
    Str {
        format: StringFormat,
        pattern: Option<usize>,
    },
    Int {
        min: Limit,
        max: Limit,
    },
    Num,
    Bool,
    /// Always this string (`const`, no type).
    Const(String),
    /// A string enum (index in [`Program::enums`]).
    Enum(usize),
    Array(Slot),
    Map(Slot),
    /// Index in [`Program::objects`].
    Object(usize),
    /// A named type (an alias to another named type).
    Ref(NodeId),
}

/// An object type's fields.
#[derive(Debug, Clone, Default)]
struct Object {
    names: Vec<String>,
    slots: Vec<Slot>,
    required: Vec<bool>,
    /// The required fields as bits, for the fast path (`None`: a required
    /// field past the 128th, which it does not track).
    required_bits: Option<u128>,
    /// No name holds a quote, a backslash or a control character: a key
    /// without escapes in the input that equals a name byte for byte is
    /// that name (the fast path compares them in place).
    plain: bool,
    /// Name -> field, for objects with many fields (few: a linear scan).
    lookup: Option<Names>,
}

const LINEAR: usize = 12;

#[derive(Debug, Clone)]
struct EnumSet {
    values: Vec<String>,
    /// Whether the schema also says `type: string` (a catalog enum; not a
    /// nullable `const` written as `enum: [c, null]`).
    typed: bool,
    /// `one of "a", "b"` (and with `, null` for an inline nullable one).
    listed: String,
}

/// The compiled contract of a catalog.
pub struct Program {
    nodes: Vec<Node>,
    objects: Vec<Object>,
    enums: Vec<EnumSet>,
    patterns: Vec<Pattern>,
    envelope: Object,
    disc: String,
    disc_index: usize,
    payload_index: usize,
    /// Per code: the payload field's slot.
    payloads: Vec<Slot>,
    codes: Vec<String>,
    index: Names,
    allow_unknown: bool,
    suggestions: super::schema::Suggestions,
    /// Unique in the process (the threads' copies of the regexes are kept
    /// by it).
    id: u64,
}

struct Builder<'a> {
    catalog: &'a Catalog,
    prog: Program,
    types: HashMap<&'a str, NodeId>,
    pattern_ids: HashMap<String, usize>,
    any: NodeId,
}

/// What a check collects.
#[derive(Default)]
struct Ctx {
    out: Vec<Violation>,
    /// Violations whose `found` is a float (its text is put back at the end).
    floats: Vec<usize>,
    /// A repeated key was seen: the check stops (the slow way takes over).
    duplicate: bool,
}

/// A JSON Pointer, built only when a violation needs it.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

/// A key, borrowed from the input unless it holds an escape.
struct Key<'de>(Cow<'de, str>);

/// The envelope: dispatch on the discriminator, then the fields.
struct Envelope<'a> {
    prog: &'a Program,
    ctx: &'a mut Ctx,
}

/// The discriminator's value: a string, or a description of what it is.
enum Disc<'de> {
    Code(Cow<'de, str>),
    Other(String, bool),
}

struct DiscSeed<'a> {
    ctx: &'a mut Ctx,
}

/// The keys of an object seen so far (repeated keys), borrowed from the
/// input: a list while short, a hash set past that.
#[derive(Default)]
struct KeySet<'de> {
    list: Vec<Cow<'de, str>>,
    set: Option<std::collections::HashSet<Cow<'de, str>>>,
}

/// A set of field indexes.
enum Bits {
    Small(u128),
    Large(Vec<bool>),
}

/// Reads a value the contract says nothing about (any JSON value, an
/// undeclared field, a value of the wrong type), watching for repeated keys
/// only. Returns the number of items of an array.
struct Skip<'a> {
    ctx: &'a mut Ctx,
}

/// Checks one value against a slot.
struct Check<'a> {
    prog: &'a Program,
    slot: &'a Slot,
    path: &'a Path<'a>,
    ctx: &'a mut Ctx,
}

impl<'a> Check<'a> {
    /// Checks a value against `slot`, at `path`.
    fn new(prog: &'a Program, slot: &'a Slot, path: &'a Path<'a>, ctx: &'a mut Ctx) -> Self {
        Check {
            prog,
            slot,
            path,
            ctx,
        }
    }
}

/// The JSON type of a value, for the checks that apply to one type only.
#[derive(Clone, Copy, PartialEq)]
enum Seen<'s> {
    Null,
    Bool(bool),
    Num(Num),
    Str(&'s str),
    Array(usize),
    Object,
}

/// `-2^63` as a float.
const MIN_I64: f64 = -9_223_372_036_854_775_808.0;
