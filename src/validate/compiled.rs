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
use eventcat_codegen::model::{Catalog, Constraints, Field, StringFormat, TypeKind, TypeRef};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::schema::{describe, CodeOf, Violation};

type NodeId = usize;

/// A number as serde_json reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Num {
    I(i64),
    U(u64),
    F(f64),
}

impl Num {
    fn cmp(self, other: Num) -> std::cmp::Ordering {
        fn exact(n: Num) -> Option<i128> {
            match n {
                Num::I(i) => Some(i128::from(i)),
                Num::U(u) => Some(i128::from(u)),
                Num::F(f) if f.fract() == 0.0 && f.abs() < 1.0e38 => Some(f as i128),
                Num::F(_) => None,
            }
        }
        fn float(n: Num) -> f64 {
            match n {
                Num::I(i) => i as f64,
                Num::U(u) => u as f64,
                Num::F(f) => f,
            }
        }
        match (exact(self), exact(other)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => float(self).total_cmp(&float(other)),
        }
    }

    fn is_integer(self) -> bool {
        match self {
            Num::F(f) => f.fract() == 0.0,
            _ => true,
        }
    }

    fn describe(self) -> String {
        match self {
            Num::I(i) => i.to_string(),
            Num::U(u) => u.to_string(),
            Num::F(f) => describe(&Value::from(f)),
        }
    }
}

/// A bound of `minimum` / `maximum`, with its text in messages.
#[derive(Debug, Clone)]
struct Limit {
    value: Num,
    text: String,
}

impl Limit {
    /// As the emitter writes a catalog bound (an integer when it is one).
    fn from_catalog(x: f64) -> Self {
        let v = if x.fract() == 0.0 && x.abs() < 9.0e15 {
            Value::from(x as i64)
        } else {
            Value::from(x)
        };
        let value = match (v.as_i64(), v.as_f64()) {
            (Some(i), _) => Num::I(i),
            (None, Some(f)) => Num::F(f),
            _ => Num::F(x),
        };
        Limit {
            value,
            text: v.to_string(),
        }
    }

    fn int(i: i64) -> Self {
        Limit {
            value: Num::I(i),
            text: i.to_string(),
        }
    }
}

/// A compiled `pattern`.
struct Pattern {
    source: String,
    regex: fancy_regex::Regex,
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
    /// Name -> field, for objects with many fields (few: a linear scan).
    lookup: Option<HashMap<String, usize>>,
}

const LINEAR: usize = 12;

impl Object {
    fn find(&self, key: &str) -> Option<usize> {
        match &self.lookup {
            Some(m) => m.get(key).copied(),
            None => self.names.iter().position(|n| n == key),
        }
    }
}

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
    index: HashMap<String, usize>,
    allow_unknown: bool,
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Program")
            .field("nodes", &self.nodes.len())
            .field("codes", &self.codes.len())
            .finish_non_exhaustive()
    }
}

struct Builder<'a> {
    catalog: &'a Catalog,
    prog: Program,
    types: HashMap<&'a str, NodeId>,
    pattern_ids: HashMap<String, usize>,
    any: NodeId,
}

impl<'a> Builder<'a> {
    fn push(&mut self, n: Node) -> NodeId {
        self.prog.nodes.push(n);
        self.prog.nodes.len() - 1
    }

    fn pattern(&mut self, p: &str) -> Result<usize, String> {
        if let Some(&i) = self.pattern_ids.get(p) {
            return Ok(i);
        }
        let translated = eventcat_codegen::pattern::to_rust_regex(p)?;
        let regex = fancy_regex::Regex::new(&translated)
            .map_err(|e| format!("the pattern `{p}` does not compile: {e}"))?;
        self.prog.patterns.push(Pattern {
            source: p.to_string(),
            regex,
        });
        let i = self.prog.patterns.len() - 1;
        self.pattern_ids.insert(p.to_string(), i);
        Ok(i)
    }

    /// The node of a type expression (a new node unless it is named).
    fn type_ref(&mut self, ty: &TypeRef) -> Result<NodeId, String> {
        Ok(match ty {
            TypeRef::String(f) => {
                let pattern = match f {
                    StringFormat::DateTime => Some(self.pattern(DATE_TIME_PATTERN)?),
                    StringFormat::LocalDateTime => Some(self.pattern(LOCAL_DATE_TIME_PATTERN)?),
                    _ => None,
                };
                self.push(Node::Str {
                    format: *f,
                    pattern,
                })
            }
            TypeRef::Integer => self.push(Node::Int {
                min: Limit::int(i64::MIN),
                max: Limit::int(i64::MAX),
            }),
            TypeRef::Number => self.push(Node::Num),
            TypeRef::Boolean => self.push(Node::Bool),
            TypeRef::Json | TypeRef::Payload => self.any,
            TypeRef::Const(c) => self.push(Node::Const(c.clone())),
            TypeRef::Named(n) => *self
                .types
                .get(n.as_str())
                .ok_or_else(|| format!("unknown type `{n}`"))?,
            TypeRef::Array(t) => {
                let node = self.type_ref(t)?;
                self.push(Node::Array(Slot {
                    node,
                    null: Null::No,
                    checks: None,
                }))
            }
            TypeRef::Map(t) => {
                let node = self.type_ref(t)?;
                self.push(Node::Map(Slot {
                    node,
                    null: Null::No,
                    checks: None,
                }))
            }
            // Set per code by the caller.
            TypeRef::EventCode => self.push(Node::Const(String::new())),
        })
    }

    fn field(&mut self, f: &Field) -> Result<Slot, String> {
        let null = if !f.nullable {
            Null::No
        } else {
            match &f.ty {
                TypeRef::Json => Null::No,
                TypeRef::Named(_) | TypeRef::Payload => Null::AnyOf,
                _ => Null::Inline,
            }
        };
        let mut node = self.type_ref(&f.ty)?;
        let c: &Constraints = &f.constraints;
        let mut checks = Checks::default();
        // An integer's own range is replaced by a tighter catalog bound.
        if let (TypeRef::Integer, Node::Int { min, max }) = (&f.ty, &self.prog.nodes[node]) {
            let (mut min, mut max) = (min.clone(), max.clone());
            if let Some(x) = c.minimum {
                if x > i64::MIN as f64 {
                    min = Limit::from_catalog(x);
                }
            }
            if let Some(x) = c.maximum {
                if x < i64::MAX as f64 {
                    max = Limit::from_catalog(x);
                }
            }
            self.prog.nodes[node] = Node::Int { min, max };
        } else {
            checks.minimum = c.minimum.map(Limit::from_catalog);
            checks.maximum = c.maximum.map(Limit::from_catalog);
        }
        checks.min_length = c.min_length;
        checks.max_length = c.max_length;
        if let Some(p) = &c.pattern {
            checks.patterns.push(self.pattern(p)?);
        }
        checks.min_items = c.min_items;
        checks.max_items = c.max_items;
        if null == Null::Inline {
            // `const` turns into `enum: [c, null]`.
            if let Node::Const(value) = &self.prog.nodes[node] {
                let listed = format!("one of {}, null", Value::from(value.as_str()));
                self.prog.enums.push(EnumSet {
                    values: vec![value.clone()],
                    typed: false,
                    listed,
                });
                node = self.push(Node::Enum(self.prog.enums.len() - 1));
            }
        }
        let empty = c.is_empty();
        Ok(Slot {
            node,
            null,
            checks: (!empty).then(|| Box::new(checks)),
        })
    }

    fn object(&mut self, fields: &[Field]) -> Result<Object, String> {
        let mut o = Object::default();
        for f in fields {
            o.names.push(f.name.clone());
            o.slots.push(self.field(f)?);
            o.required.push(!f.optional);
        }
        if o.names.len() > LINEAR {
            o.lookup = Some(
                o.names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.clone(), i))
                    .collect(),
            );
        }
        Ok(o)
    }
}

impl Program {
    /// Compiles the catalog's contract (strict, or with objects left open
    /// when `allow_unknown_fields`). Fails only on a `pattern` the regular
    /// expression engine rejects.
    pub fn new(catalog: &Catalog, allow_unknown_fields: bool) -> Result<Self, String> {
        let mut b = Builder {
            catalog,
            prog: Program {
                nodes: Vec::new(),
                objects: Vec::new(),
                enums: Vec::new(),
                patterns: Vec::new(),
                envelope: Object::default(),
                disc: catalog.envelope.discriminator.clone(),
                disc_index: 0,
                payload_index: 0,
                payloads: Vec::new(),
                codes: catalog.events.iter().map(|e| e.code.clone()).collect(),
                index: HashMap::new(),
                allow_unknown: allow_unknown_fields,
            },
            types: HashMap::new(),
            pattern_ids: HashMap::new(),
            any: 0,
        };
        b.any = b.push(Node::Any);
        // One node per named type, numbered first so references resolve.
        for name in catalog.types.keys() {
            let id = b.push(Node::Any);
            b.types.insert(name.as_str(), id);
        }
        for (name, def) in &catalog.types {
            let id = b.types[name.as_str()];
            let node = match &def.kind {
                TypeKind::Object(o) => {
                    let obj = b.object(&o.fields)?;
                    b.prog.objects.push(obj);
                    Node::Object(b.prog.objects.len() - 1)
                }
                TypeKind::Enum(e) => {
                    let values: Vec<String> = e.values.iter().map(|v| v.value.clone()).collect();
                    let listed = format!(
                        "one of {}",
                        values
                            .iter()
                            .map(|v| Value::from(v.as_str()).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    b.prog.enums.push(EnumSet {
                        values,
                        typed: true,
                        listed,
                    });
                    Node::Enum(b.prog.enums.len() - 1)
                }
                TypeKind::Alias(t) => Node::Ref(b.type_ref(t)?),
            };
            b.prog.nodes[id] = node;
        }
        let env = &b.catalog.envelope;
        let envelope = b.object(&env.fields)?;
        let disc_index = env
            .fields
            .iter()
            .position(|f| f.name == env.discriminator)
            .ok_or("the envelope has no discriminator field")?;
        let payload_index = env
            .fields
            .iter()
            .position(|f| f.name == env.payload)
            .ok_or("the envelope has no payload field")?;
        let mut payloads = Vec::with_capacity(catalog.events.len());
        for e in &catalog.events {
            let mut slot = envelope.slots[payload_index].clone();
            slot.node = *b
                .types
                .get(e.payload.as_str())
                .ok_or_else(|| format!("unknown payload type `{}`", e.payload))?;
            payloads.push(slot);
        }
        let mut prog = b.prog;
        prog.envelope = envelope;
        prog.disc_index = disc_index;
        prog.payload_index = payload_index;
        prog.payloads = payloads;
        prog.index = prog
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        Ok(prog)
    }

    /// The catalog's codes, in catalog order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// Checks one event's JSON text: its code and every violation, tidied
    /// and sorted by pointer as the reference engine does (duplicate keys
    /// first). An error: the text is not JSON (serde_json's own error, as
    /// the reference engine gets it).
    pub fn check(&self, bytes: &[u8]) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        let mut ctx = Ctx::default();
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let result = if first == Some(&b'{') {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            Envelope {
                prog: self,
                ctx: &mut ctx,
            }
            .deserialize(&mut de)
            .and_then(|code| de.end().map(|()| code))
        } else {
            Err(de::Error::custom("not an object"))
        };
        match result {
            Ok(code) if !ctx.duplicate => {
                let mut out = ctx.out;
                if !ctx.floats.is_empty() {
                    floats_as_written(bytes, &mut out, &ctx.floats);
                }
                super::schema::tidy(&mut out);
                Ok((code, out))
            }
            // A repeated key, something that is not an event object, or
            // malformed JSON: the slow way (which also gives serde_json's
            // exact error for the latter).
            _ => self.check_slow(bytes),
        }
    }

    /// Parses the event to a tree (the last of repeated keys wins, as in
    /// the reference engine), names the repeated keys, and checks the tree
    /// written back without them.
    fn check_slow(&self, bytes: &[u8]) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        let value: Value = serde_json::from_slice(bytes)?;
        let (code, mut violations) = if let Value::Object(_) = value {
            let text = serde_json::to_vec(&value).unwrap_or_default();
            let mut ctx = Ctx::default();
            let mut de = serde_json::Deserializer::from_slice(&text);
            let code = Envelope {
                prog: self,
                ctx: &mut ctx,
            }
            .deserialize(&mut de)
            .unwrap_or(CodeOf::None);
            let mut out = ctx.out;
            if !ctx.floats.is_empty() {
                floats_as_written(bytes, &mut out, &ctx.floats);
            }
            super::schema::tidy(&mut out);
            (code, out)
        } else {
            let mut v = vec![Violation::expected(
                String::new(),
                "not-an-object",
                "an event object".into(),
                describe(&value),
            )];
            super::numbers::as_written(&mut v, &value, &super::numbers::scan(bytes));
            (CodeOf::None, v)
        };
        violations.splice(0..0, super::duplicates::violations(bytes, &value));
        Ok((code, violations))
    }

    /// Checks a parsed value (the catalog's examples): written out, then
    /// checked as an event.
    pub fn check_value(&self, value: &Value) -> (CodeOf, Vec<Violation>) {
        let text = serde_json::to_vec(value).unwrap_or_default();
        self.check(&text).unwrap_or((CodeOf::None, Vec::new()))
    }
}

/// Puts the text of the floats of `flagged` violations back (as
/// [`super::numbers::as_written`] does for the reference engine).
fn floats_as_written(bytes: &[u8], out: &mut [Violation], flagged: &[usize]) {
    let written = super::numbers::scan(bytes);
    for &i in flagged {
        let Some(v) = out.get_mut(i) else { continue };
        let Some(w) = written.iter().find(|w| w.pointer == v.pointer) else {
            continue;
        };
        if let Some(expected) = &v.expected {
            if v.found
                .as_ref()
                .is_some_and(|found| v.message == format!("expected {expected}, found {found}"))
            {
                v.message = format!("expected {expected}, found {}", w.text);
            }
        }
        v.found = Some(w.text.clone());
    }
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

impl Ctx {
    fn push(&mut self, v: Violation, float: bool) {
        if float {
            self.floats.push(self.out.len());
        }
        self.out.push(v);
    }

    fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
        self.floats.retain(|&i| i < len);
    }
}

/// A JSON Pointer, built only when a violation needs it.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn render(&self) -> String {
        let mut parts: Vec<Cow<'_, str>> = Vec::new();
        let mut p = self;
        loop {
            match p {
                Path::Root => break,
                Path::Key(parent, k) => {
                    parts.push(Cow::Owned(escape_pointer(k)));
                    p = parent;
                }
                Path::Index(parent, i) => {
                    parts.push(Cow::Owned(i.to_string()));
                    p = parent;
                }
            }
        }
        let mut s = String::new();
        for part in parts.iter().rev() {
            s.push('/');
            s.push_str(part);
        }
        s
    }

    fn child_render(&self, key: &str) -> String {
        format!("{}/{}", self.render(), escape_pointer(key))
    }
}

/// A key, borrowed from the input unless it holds an escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// The envelope: dispatch on the discriminator, then the fields.
struct Envelope<'a> {
    prog: &'a Program,
    ctx: &'a mut Ctx,
}

impl<'de> DeserializeSeed<'de> for Envelope<'_> {
    type Value = CodeOf;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<CodeOf, D::Error> {
        d.deserialize_map(self)
    }
}

/// The discriminator's value: a string, or a description of what it is.
enum Disc<'de> {
    Code(Cow<'de, str>),
    Other(String, bool),
}

impl<'de> Visitor<'de> for Envelope<'_> {
    type Value = CodeOf;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CodeOf, A::Error> {
        let prog = self.prog;
        let ctx = self.ctx;
        let env = &prog.envelope;
        let root = Path::Root;
        let mut seen = Bits::new(env.names.len());
        let mut unknown: Vec<Cow<'de, str>> = Vec::new();
        let mut disc: Option<Disc<'de>> = None;
        let mut code: Option<usize> = None;
        let mut raw_payload: Option<&'de RawValue> = None;
        let mut payload_done = false;
        let start = ctx.out.len();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let found = env.find(&key);
            match found {
                Some(i) => {
                    if !seen.set(i) {
                        ctx.duplicate = true;
                        return Err(de::Error::custom("duplicate key"));
                    }
                }
                None => {
                    if unknown.contains(&key) {
                        ctx.duplicate = true;
                        return Err(de::Error::custom("duplicate key"));
                    }
                }
            }
            let path = Path::Key(&root, &key);
            match found {
                Some(i) if i == prog.disc_index => {
                    let d = map.next_value_seed(DiscSeed { ctx: &mut *ctx })?;
                    if let Disc::Code(c) = &d {
                        code = prog.index.get(c.as_ref()).copied();
                    }
                    disc = Some(d);
                }
                Some(i) if i == prog.payload_index => match code {
                    Some(c) => {
                        map.next_value_seed(Check {
                            prog,
                            slot: &prog.payloads[c],
                            path: &path,
                            ctx: &mut *ctx,
                        })?;
                        payload_done = true;
                    }
                    None => raw_payload = Some(map.next_value::<&'de RawValue>()?),
                },
                Some(i) => map.next_value_seed(Check {
                    prog,
                    slot: &env.slots[i],
                    path: &path,
                    ctx: &mut *ctx,
                })?,
                None => {
                    if !prog.allow_unknown {
                        unknown_field(ctx, &root, &key, &env.names);
                    }
                    map.next_value_seed(Skip { ctx: &mut *ctx })?;
                    unknown.push(key);
                }
            }
        }
        // A payload kept raw whose code never became known (missing, not a
        // string, or unknown) is not checked against any type, but its
        // repeated keys are still violations: scan it for them (a repeat
        // sends the event the slow way, as everywhere else).
        if code.is_none() {
            if let Some(raw) = raw_payload {
                let mut de = serde_json::Deserializer::from_str(raw.get());
                if (Skip { ctx: &mut *ctx }).deserialize(&mut de).is_err() {
                    return Err(de::Error::custom("payload"));
                }
            }
        }
        let disc_pointer = || format!("/{}", escape_pointer(&prog.disc));
        let code_text = match disc {
            None => {
                ctx.truncate(start);
                ctx.push(
                    Violation::other(
                        disc_pointer(),
                        "missing-discriminator",
                        format!("missing field `{}` (the event code); the event cannot be checked further", prog.disc),
                    ),
                    false,
                );
                return Ok(CodeOf::None);
            }
            Some(Disc::Other(found, float)) => {
                ctx.truncate(start);
                ctx.push(
                    Violation::expected(
                        disc_pointer(),
                        "type",
                        "an event code (string)".into(),
                        found,
                    ),
                    float,
                );
                return Ok(CodeOf::None);
            }
            Some(Disc::Code(c)) => c,
        };
        let Some(i) = code else {
            ctx.truncate(start);
            ctx.push(
                super::schema::unknown_code(disc_pointer(), &code_text, &prog.codes),
                false,
            );
            return Ok(CodeOf::Unknown(code_text.into_owned()));
        };
        if !payload_done {
            if let Some(raw) = raw_payload {
                let key = &env.names[prog.payload_index];
                let path = Path::Key(&root, key);
                let mut de = serde_json::Deserializer::from_str(raw.get());
                let r = Check {
                    prog,
                    slot: &prog.payloads[i],
                    path: &path,
                    ctx: &mut *ctx,
                }
                .deserialize(&mut de);
                if r.is_err() {
                    return Err(de::Error::custom("payload"));
                }
            }
        }
        for (j, name) in env.names.iter().enumerate() {
            if env.required[j] && !seen.get(j) {
                required(ctx, &root, name);
            }
        }
        Ok(CodeOf::Known(i))
    }
}

struct DiscSeed<'a> {
    ctx: &'a mut Ctx,
}

impl<'de> DeserializeSeed<'de> for DiscSeed<'_> {
    type Value = Disc<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Disc<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DiscSeed<'_> {
    type Value = Disc<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Disc<'de>, E> {
        Ok(Disc::Code(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Disc<'de>, E> {
        Ok(Disc::Code(Cow::Owned(s.to_string())))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Disc<'de>, E> {
        Ok(Disc::Other(v.to_string(), false))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Disc<'de>, E> {
        Ok(Disc::Other(Num::I(v).describe(), false))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Disc<'de>, E> {
        Ok(Disc::Other(Num::U(v).describe(), false))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Disc<'de>, E> {
        Ok(Disc::Other(Num::F(v).describe(), true))
    }
    fn visit_unit<E>(self) -> Result<Disc<'de>, E> {
        Ok(Disc::Other("null".into(), false))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Disc<'de>, A::Error> {
        let n = Skip { ctx: self.ctx }.visit_seq(seq)?;
        Ok(Disc::Other(items(n), false))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Disc<'de>, A::Error> {
        Skip { ctx: self.ctx }.visit_map(map)?;
        Ok(Disc::Other("an object".into(), false))
    }
}

fn items(n: usize) -> String {
    if n == 1 {
        "an array of 1 item".into()
    } else {
        format!("an array of {n} items")
    }
}

fn unknown_field(ctx: &mut Ctx, path: &Path<'_>, name: &str, declared: &[String]) {
    let hint =
        eventcat_codegen::diagnostic::did_you_mean(name, declared.iter().map(String::as_str))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
    ctx.push(
        Violation {
            pointer: path.child_render(name),
            kind: "unknown-field",
            expected: None,
            found: Some(name.to_string()),
            message: format!("field `{name}` is not declared in the catalog{hint}"),
        },
        false,
    );
}

fn required(ctx: &mut Ctx, path: &Path<'_>, name: &str) {
    ctx.push(
        Violation {
            pointer: path.child_render(name),
            kind: "required",
            expected: Some(format!("field `{name}`")),
            found: Some("nothing".into()),
            message: format!("missing required field `{name}`"),
        },
        false,
    );
}

/// The keys of an object seen so far (repeated keys), borrowed from the
/// input: a list while short, a hash set past that.
#[derive(Default)]
struct KeySet<'de> {
    list: Vec<Cow<'de, str>>,
    set: Option<std::collections::HashSet<Cow<'de, str>>>,
}

impl<'de> KeySet<'de> {
    /// Adds `key`; false if it was there already.
    fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key);
        }
        if self.list.contains(&key) {
            return false;
        }
        self.list.push(key);
        if self.list.len() > 16 {
            self.set = Some(self.list.drain(..).collect());
        }
        true
    }
}

/// A set of field indexes.
enum Bits {
    Small(u128),
    Large(Vec<bool>),
}

impl Bits {
    fn new(n: usize) -> Self {
        if n <= 128 {
            Bits::Small(0)
        } else {
            Bits::Large(vec![false; n])
        }
    }

    /// Sets `i`; false if it was set already.
    fn set(&mut self, i: usize) -> bool {
        match self {
            Bits::Small(b) => {
                let m = 1u128 << i;
                let fresh = *b & m == 0;
                *b |= m;
                fresh
            }
            Bits::Large(v) => !std::mem::replace(&mut v[i], true),
        }
    }

    fn get(&self, i: usize) -> bool {
        match self {
            Bits::Small(b) => *b & (1u128 << i) != 0,
            Bits::Large(v) => v[i],
        }
    }
}

/// Reads a value the contract says nothing about (any JSON value, an
/// undeclared field, a value of the wrong type), watching for repeated keys
/// only. Returns the number of items of an array.
struct Skip<'a> {
    ctx: &'a mut Ctx,
}

impl<'de> DeserializeSeed<'de> for Skip<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_i64<E>(self, _: i64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_u64<E>(self, _: u64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_f64<E>(self, _: f64) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_str<E>(self, _: &str) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_unit<E>(self) -> Result<usize, E> {
        Ok(0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while seq
            .next_element_seed(Skip {
                ctx: &mut *self.ctx,
            })?
            .is_some()
        {
            n += 1;
        }
        Ok(n)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut keys = KeySet::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if !keys.insert(key) {
                self.ctx.duplicate = true;
                return Err(de::Error::custom("duplicate key"));
            }
            map.next_value_seed(Skip {
                ctx: &mut *self.ctx,
            })?;
        }
        Ok(0)
    }
}

/// Checks one value against a slot.
struct Check<'a> {
    prog: &'a Program,
    slot: &'a Slot,
    path: &'a Path<'a>,
    ctx: &'a mut Ctx,
}

impl<'de> DeserializeSeed<'de> for Check<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
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

impl Seen<'_> {
    fn describe(&self) -> (String, bool) {
        match self {
            Seen::Null => ("null".into(), false),
            Seen::Bool(b) => (b.to_string(), false),
            Seen::Num(n) => (n.describe(), matches!(n, Num::F(_))),
            Seen::Str(s) => (describe(&Value::from(*s)), false),
            Seen::Array(n) => (items(*n), false),
            Seen::Object => ("an object".into(), false),
        }
    }
}

/// `-2^63` as a float.
const MIN_I64: f64 = -9_223_372_036_854_775_808.0;

impl Check<'_> {
    /// The node at the end of any chain of references.
    fn resolve(&self, mut node: NodeId) -> NodeId {
        while let Node::Ref(n) = self.prog.nodes[node] {
            node = n;
        }
        node
    }

    fn type_error(&mut self, expected: &str, seen: &Seen<'_>, inline_null: bool) {
        let expected = if inline_null {
            format!("{expected} or null")
        } else {
            expected.to_string()
        };
        let (found, float) = seen.describe();
        self.ctx.push(
            Violation::expected(self.path.render(), "type", expected, found),
            float,
        );
    }

    /// The checks of a scalar (or of a container already read): the node's,
    /// then the field's own. `start`: where this value's violations start.
    fn scalar(&mut self, seen: Seen<'_>, start: usize) {
        let slot = self.slot;
        if seen == Seen::Null && slot.null != Null::No {
            return;
        }
        let node = self.resolve(slot.node);
        let inline = slot.null == Null::Inline;
        self.node_checks(node, &seen, inline);
        if slot.null == Null::AnyOf {
            self.any_of(start, &seen);
        }
        if let Some(c) = &slot.checks {
            self.checks(c, &seen);
        }
    }

    /// `anyOf: [{$ref}, {type: null}]` as the reference engine reports it:
    /// the branch's own errors when they go deeper than a wrong type,
    /// otherwise one type error listing what was allowed.
    fn any_of(&mut self, start: usize, seen: &Seen<'_>) {
        if self.ctx.out.len() == start {
            return;
        }
        let here = self.path.render();
        let shallow = self.ctx.out[start..]
            .iter()
            .all(|v| v.pointer == here && matches!(v.kind, "type" | "const"));
        if !shallow {
            return;
        }
        let mut expected: Vec<String> = Vec::new();
        for v in &self.ctx.out[start..] {
            let t = v.expected.clone().unwrap_or_default();
            if !expected.contains(&t) {
                expected.push(t);
            }
        }
        if !expected.iter().any(|t| t == "null") {
            expected.push("null".into());
        }
        self.ctx.truncate(start);
        let (found, float) = seen.describe();
        self.ctx.push(
            Violation::expected(here, "type", expected.join(" or "), found),
            float,
        );
    }

    fn node_checks(&mut self, node: NodeId, seen: &Seen<'_>, inline: bool) {
        match &self.prog.nodes[node] {
            Node::Any | Node::Ref(_) => {}
            Node::Str { format, pattern } => {
                let Seen::Str(s) = seen else {
                    return self.type_error("string", seen, inline);
                };
                let ok = match format {
                    StringFormat::Plain => true,
                    StringFormat::Uuid => formats::is_uuid(s),
                    StringFormat::Email => formats::is_email(s),
                    StringFormat::Uri => formats::is_uri(s),
                    StringFormat::Date => formats::is_date(s),
                    StringFormat::DateTime => formats::is_date_time(s),
                    StringFormat::LocalDateTime => formats::is_local_date_time(s),
                };
                if !ok {
                    let expected = if *format == StringFormat::LocalDateTime {
                        "a date-time without offset (local-date-time, e.g. \"2024-03-22T17:14:27\")"
                            .to_string()
                    } else {
                        format!("a string of format `{}`", format.keyword())
                    };
                    let (found, _) = seen.describe();
                    self.ctx.push(
                        Violation::expected(self.path.render(), "format", expected, found),
                        false,
                    );
                }
                if let Some(p) = pattern {
                    self.pattern(*p, s, seen);
                }
            }
            Node::Int { min, max } => {
                let Seen::Num(n) = seen else {
                    return self.type_error("integer", seen, inline);
                };
                if !n.is_integer() {
                    self.type_error("integer", seen, inline);
                }
                self.bounds(*n, Some(min), Some(max), seen);
            }
            Node::Num => {
                if !matches!(seen, Seen::Num(_)) {
                    self.type_error("number", seen, inline);
                }
            }
            Node::Bool => {
                if !matches!(seen, Seen::Bool(_)) {
                    self.type_error("boolean", seen, inline);
                }
            }
            Node::Const(c) => {
                if *seen != Seen::Str(c) {
                    let (found, float) = seen.describe();
                    self.ctx.push(
                        Violation::expected(
                            self.path.render(),
                            "const",
                            Value::from(c.as_str()).to_string(),
                            found,
                        ),
                        float,
                    );
                }
            }
            Node::Enum(e) => {
                let set = &self.prog.enums[*e];
                let ok = match seen {
                    Seen::Str(s) => set.values.iter().any(|v| v == s),
                    Seen::Null => inline,
                    _ => false,
                };
                if set.typed && !matches!(seen, Seen::Str(_)) {
                    // The type error (the enum error says more; tidied away).
                    self.type_error("string", seen, false);
                }
                if !ok {
                    let (found, float) = seen.describe();
                    self.ctx.push(
                        Violation::expected(self.path.render(), "enum", set.listed.clone(), found),
                        float,
                    );
                }
            }
            Node::Array(_) => {
                if !matches!(seen, Seen::Array(_)) {
                    self.type_error("array", seen, inline);
                }
            }
            Node::Map(_) | Node::Object(_) => {
                if *seen != Seen::Object {
                    self.type_error("object", seen, inline);
                }
            }
        }
    }

    fn pattern(&mut self, p: usize, s: &str, seen: &Seen<'_>) {
        let pat = &self.prog.patterns[p];
        if !pat.regex.is_match(s).unwrap_or(true) {
            let (found, _) = seen.describe();
            self.ctx.push(
                Violation::expected(
                    self.path.render(),
                    "pattern",
                    format!("a string matching `{}`", pat.source),
                    found,
                ),
                false,
            );
        }
    }

    fn bounds(&mut self, n: Num, min: Option<&Limit>, max: Option<&Limit>, seen: &Seen<'_>) {
        // As serde_json's float -2^63 is -2^63 - 1 read as a float: below.
        let n = match n {
            Num::F(f) if f == MIN_I64 => Num::F(-9_223_372_036_854_777_856.0),
            n => n,
        };
        let float = matches!(n, Num::F(_));
        if let Some(min) = min {
            if n.cmp(min.value).is_lt() {
                let (found, _) = seen.describe();
                self.ctx.push(
                    Violation::expected(
                        self.path.render(),
                        "minimum",
                        format!("a number >= {}", min.text),
                        found,
                    ),
                    float,
                );
            }
        }
        if let Some(max) = max {
            if n.cmp(max.value).is_gt() {
                let (found, _) = seen.describe();
                self.ctx.push(
                    Violation::expected(
                        self.path.render(),
                        "maximum",
                        format!("a number <= {}", max.text),
                        found,
                    ),
                    float,
                );
            }
        }
    }

    fn checks(&mut self, c: &Checks, seen: &Seen<'_>) {
        match seen {
            Seen::Num(n) => self.bounds(*n, c.minimum.as_ref(), c.maximum.as_ref(), seen),
            Seen::Str(s) => {
                if c.min_length.is_some() || c.max_length.is_some() {
                    let n = s.chars().count() as u64;
                    if let Some(limit) = c.min_length.filter(|&l| n < l) {
                        self.ctx.push(
                            Violation::expected(
                                self.path.render(),
                                "min-length",
                                format!("at least {limit} characters"),
                                n.to_string(),
                            ),
                            false,
                        );
                    }
                    if let Some(limit) = c.max_length.filter(|&l| n > l) {
                        self.ctx.push(
                            Violation::expected(
                                self.path.render(),
                                "max-length",
                                format!("at most {limit} characters"),
                                n.to_string(),
                            ),
                            false,
                        );
                    }
                }
                for &p in &c.patterns {
                    self.pattern(p, s, seen);
                }
            }
            Seen::Array(n) => {
                let n = *n as u64;
                if let Some(limit) = c.min_items.filter(|&l| n < l) {
                    let s = if limit == 1 { "" } else { "s" };
                    self.ctx.push(
                        Violation::expected(
                            self.path.render(),
                            "min-items",
                            format!("at least {limit} item{s}"),
                            n.to_string(),
                        ),
                        false,
                    );
                }
                if let Some(limit) = c.max_items.filter(|&l| n > l) {
                    let s = if limit == 1 { "" } else { "s" };
                    self.ctx.push(
                        Violation::expected(
                            self.path.render(),
                            "max-items",
                            format!("at most {limit} item{s}"),
                            n.to_string(),
                        ),
                        false,
                    );
                }
            }
            _ => {}
        }
    }
}

impl<'de> Visitor<'de> for Check<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(mut self, v: bool) -> Result<(), E> {
        let start = self.ctx.out.len();
        self.scalar(Seen::Bool(v), start);
        Ok(())
    }
    fn visit_i64<E>(mut self, v: i64) -> Result<(), E> {
        let start = self.ctx.out.len();
        self.scalar(Seen::Num(Num::I(v)), start);
        Ok(())
    }
    fn visit_u64<E>(mut self, v: u64) -> Result<(), E> {
        let start = self.ctx.out.len();
        self.scalar(Seen::Num(Num::U(v)), start);
        Ok(())
    }
    fn visit_f64<E>(mut self, v: f64) -> Result<(), E> {
        let start = self.ctx.out.len();
        self.scalar(Seen::Num(Num::F(v)), start);
        Ok(())
    }
    fn visit_str<E>(mut self, v: &str) -> Result<(), E> {
        let start = self.ctx.out.len();
        self.scalar(Seen::Str(v), start);
        Ok(())
    }
    fn visit_unit<E>(mut self) -> Result<(), E> {
        let start = self.ctx.out.len();
        self.scalar(Seen::Null, start);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let start = self.ctx.out.len();
        let node = self.resolve(self.slot.node);
        let n = match &self.prog.nodes[node] {
            Node::Array(item) => {
                let mut n = 0;
                loop {
                    let path = Path::Index(self.path, n);
                    let more = seq.next_element_seed(Check {
                        prog: self.prog,
                        slot: item,
                        path: &path,
                        ctx: &mut *self.ctx,
                    })?;
                    if more.is_none() {
                        break;
                    }
                    n += 1;
                }
                n
            }
            _ => Skip {
                ctx: &mut *self.ctx,
            }
            .visit_seq(seq)?,
        };
        self.scalar(Seen::Array(n), start);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let start = self.ctx.out.len();
        let node = self.resolve(self.slot.node);
        let prog = self.prog;
        match &prog.nodes[node] {
            Node::Object(o) => {
                let obj = &prog.objects[*o];
                let mut seen = Bits::new(obj.names.len());
                let mut unknown: Vec<Cow<'de, str>> = Vec::new();
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    let path = Path::Key(self.path, &key);
                    match obj.find(&key) {
                        Some(i) => {
                            if !seen.set(i) {
                                self.ctx.duplicate = true;
                                return Err(de::Error::custom("duplicate key"));
                            }
                            map.next_value_seed(Check {
                                prog,
                                slot: &obj.slots[i],
                                path: &path,
                                ctx: &mut *self.ctx,
                            })?;
                        }
                        None => {
                            if unknown.contains(&key) {
                                self.ctx.duplicate = true;
                                return Err(de::Error::custom("duplicate key"));
                            }
                            if !prog.allow_unknown {
                                unknown_field(self.ctx, self.path, &key, &obj.names);
                            }
                            map.next_value_seed(Skip {
                                ctx: &mut *self.ctx,
                            })?;
                            unknown.push(key);
                        }
                    }
                }
                for (j, name) in obj.names.iter().enumerate() {
                    if obj.required[j] && !seen.get(j) {
                        required(self.ctx, self.path, name);
                    }
                }
            }
            Node::Map(value) => {
                let mut keys = KeySet::default();
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    let path = Path::Key(self.path, &key);
                    map.next_value_seed(Check {
                        prog,
                        slot: value,
                        path: &path,
                        ctx: &mut *self.ctx,
                    })?;
                    if !keys.insert(key) {
                        self.ctx.duplicate = true;
                        return Err(de::Error::custom("duplicate key"));
                    }
                }
            }
            _ => {
                Skip {
                    ctx: &mut *self.ctx,
                }
                .visit_map(map)?;
            }
        }
        self.scalar(Seen::Object, start);
        Ok(())
    }
}
