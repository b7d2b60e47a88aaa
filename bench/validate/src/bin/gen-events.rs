//! Writes a large NDJSON file of events of a catalog, deterministic for a
//! seed: varied valid events generated from the catalog model (every code,
//! optional fields present or not, nullable ones sometimes null, arrays of
//! several lengths, random ids, names, dates...), with a few percent made
//! invalid on purpose (missing field, undeclared field, wrong type, unknown
//! enum value, unknown code, malformed JSON).
//!
//! Usage: gen-events CATALOG_DIR OUT.ndjson [MEGABYTES=220] [INVALID_PER_MILLE=30] [SEED=1]
//! Prints a JSON summary on stdout: events, invalid (by construction), bytes.

use std::collections::BTreeMap;
use std::io::Write;

use eventcat_codegen::model::{Catalog, EnvelopeField, Field, StringFormat, TypeKind, TypeRef};
use serde_json::{json, Map, Value};

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "tyrell",
    "cyberdyne",
    "jeanne",
    "martin",
    "durand",
    "lyon",
    "paris",
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "okta",
    "entra",
    "sales",
    "support",
    "engineering",
    "finance",
    "north",
    "south",
    "europe",
];

struct Gen<'a> {
    catalog: &'a Catalog,
    rng: Rng,
    /// Values seen in the catalog's examples for fields with a `pattern`,
    /// by field name (only those matching the pattern).
    pattern_pool: BTreeMap<String, Vec<String>>,
}

impl Gen<'_> {
    fn word(&mut self) -> String {
        self.rng.pick(WORDS).to_string()
    }

    fn uuid(&mut self) -> String {
        let a = self.rng.next();
        let b = self.rng.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 + (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }

    fn date(&mut self) -> (u64, u64, u64) {
        (
            1950 + self.rng.below(75),
            1 + self.rng.below(12),
            1 + self.rng.below(28),
        )
    }

    fn time(&mut self) -> String {
        format!(
            "{:02}:{:02}:{:02}",
            self.rng.below(24),
            self.rng.below(60),
            self.rng.below(60)
        )
    }

    fn string(&mut self, f: &Field) -> Value {
        if let Some(p) = &f.constraints.pattern {
            let pool = self.pattern_pool.get(&f.name).cloned().unwrap_or_default();
            if pool.is_empty() {
                panic!(
                    "field `{}` has pattern {p:?} and no example value matching it",
                    f.name
                );
            }
            return Value::String(self.rng.pick(&pool).clone());
        }
        let min = f.constraints.min_length.unwrap_or(0) as usize;
        let max = f.constraints.max_length.unwrap_or(60) as usize;
        let mut s = self.word();
        while s.chars().count() < min {
            s.push(' ');
            s.push_str(&self.word());
        }
        if self.rng.chance(300) {
            s = format!("{s} {} {}", self.word(), self.rng.below(10_000));
        }
        let s: String = s.chars().take(max).collect();
        Value::String(s)
    }

    fn field(&mut self, f: &Field, code: &str, payload: &str) -> Value {
        if f.nullable && self.rng.chance(200) {
            return Value::Null;
        }
        self.value(&f.ty, Some(f), code, payload, 0)
    }

    /// A value of type `ty`, within the constraints of field `f` if given, for
    /// an event of `code` whose payload type is `payload`; `depth` is how deep
    /// in the event it is (optional fields are left out and arrays and maps
    /// kept to their minimum below 6 levels).
    fn value(
        &mut self,
        ty: &TypeRef,
        f: Option<&Field>,
        code: &str,
        payload: &str,
        depth: usize,
    ) -> Value {
        let c = f.map(|f| f.constraints.clone()).unwrap_or_default();
        match ty {
            TypeRef::String(format) => self.string_of(format, f),
            TypeRef::Integer => {
                let lo = c.minimum.unwrap_or(0.0) as i64;
                let hi = c.maximum.unwrap_or(10_000.0) as i64;
                json!(lo + self.rng.below((hi - lo + 1) as u64) as i64)
            }
            TypeRef::Number => {
                let lo = c.minimum.unwrap_or(0.0);
                let hi = c.maximum.unwrap_or(1000.0);
                json!(lo + (hi - lo) * (self.rng.below(1000) as f64 / 1000.0))
            }
            TypeRef::Boolean => Value::Bool(self.rng.chance(500)),
            TypeRef::Json => json!({ "k": self.word(), "n": self.rng.below(100) }),
            TypeRef::Const(s) => Value::String(s.clone()),
            TypeRef::Array(t) => {
                let min = c.min_items.unwrap_or(0);
                let max = c.max_items.unwrap_or(min + 3).min(min + 3);
                let n = if depth > 6 {
                    min
                } else {
                    min + self.rng.below(max - min + 1)
                };
                Value::Array(
                    (0..n)
                        .map(|_| self.value(t, None, code, payload, depth + 1))
                        .collect(),
                )
            }
            TypeRef::Map(t) => {
                let n = if depth > 6 { 0 } else { self.rng.below(3) };
                let mut m = Map::new();
                for i in 0..n {
                    let k = format!("{}{i}", self.word());
                    m.insert(k, self.value(t, None, code, payload, depth + 1));
                }
                Value::Object(m)
            }
            TypeRef::Named(name) => self.named(name, f, code, payload, depth),
        }
    }

    /// A value of the named type `name` (an enum value, an alias's value or
    /// an object), within the constraints of field `f` if given.
    fn named(
        &mut self,
        name: &str,
        f: Option<&Field>,
        code: &str,
        payload: &str,
        depth: usize,
    ) -> Value {
        let def = &self.catalog.types[name];
        match &def.kind {
            TypeKind::Enum(e) => {
                let v = &self.rng.pick(&e.values).value;
                Value::String(v.clone())
            }
            TypeKind::Alias(t) => {
                let t = t.clone();
                self.value(&t, f, code, payload, depth)
            }
            TypeKind::Object(o) => {
                let fields = o.fields.clone();
                self.object(&fields, code, payload, depth + 1)
            }
        }
    }

    /// A string of `format`, within the constraints of field `f` if given.
    fn string_of(&mut self, format: &StringFormat, f: Option<&Field>) -> Value {
        match format {
            StringFormat::Plain => match f {
                Some(f) => self.string(f),
                None => Value::String(self.word()),
            },
            StringFormat::Uuid => Value::String(self.uuid()),
            StringFormat::Email => {
                let (a, b, n) = (self.word(), self.word(), self.rng.below(100));
                Value::String(format!("{a}.{b}{n}@{}.example", self.word()))
            }
            StringFormat::Uri => {
                let n = self.rng.below(100_000);
                Value::String(format!(
                    "https://{}.example/{}/{n}",
                    self.word(),
                    self.word()
                ))
            }
            StringFormat::Date => {
                let (y, m, d) = self.date();
                Value::String(format!("{y:04}-{m:02}-{d:02}"))
            }
            StringFormat::DateTime => {
                let (y, m, d) = self.date();
                let zone = if self.rng.chance(500) { "Z" } else { "+01:00" };
                Value::String(format!("{y:04}-{m:02}-{d:02}T{}{zone}", self.time()))
            }
            StringFormat::LocalDateTime => {
                let (y, m, d) = self.date();
                Value::String(format!("{y:04}-{m:02}-{d:02}T{}", self.time()))
            }
        }
    }

    fn object(&mut self, fields: &[Field], code: &str, payload: &str, depth: usize) -> Value {
        let mut m = Map::new();
        for f in fields {
            if f.optional && (depth > 6 || self.rng.chance(300)) {
                continue;
            }
            let v = if f.nullable && self.rng.chance(200) {
                Value::Null
            } else {
                self.value(&f.ty, Some(f), code, payload, depth)
            };
            m.insert(f.name.clone(), v);
        }
        Value::Object(m)
    }

    fn event(&mut self, i: usize) -> Value {
        let e = &self.catalog.events[i];
        let (code, payload) = (e.code.clone(), e.payload.clone());
        let fields = self.catalog.envelope.fields.clone();
        let mut m = Map::new();
        for f in &fields {
            let v = match f {
                EnvelopeField::Discriminator(_) => Value::String(code.clone()),
                EnvelopeField::Payload(_) => {
                    let ty = TypeRef::Named(payload.clone());
                    self.value(&ty, None, &code, &payload, 0)
                }
                EnvelopeField::Plain(f) => {
                    if f.optional && self.rng.chance(300) {
                        continue;
                    }
                    self.field(f, &code, &payload)
                }
            };
            m.insert(f.name().to_string(), v);
        }
        Value::Object(m)
    }
}

/// Collects the string values of every key named `name`, at any depth.
fn harvest(v: &Value, name: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == name {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                }
                harvest(x, name, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| harvest(x, name, out)),
        _ => {}
    }
}

fn pattern_fields(catalog: &Catalog) -> Vec<Field> {
    let mut out: Vec<Field> = catalog.envelope.plain_fields().cloned().collect();
    for t in catalog.types.values() {
        if let TypeKind::Object(o) = &t.kind {
            out.extend(o.fields.iter().cloned());
        }
    }
    out.retain(|f| f.constraints.pattern.is_some());
    out
}

/// A required, non-`json` field of event `i`'s payload (always sent, and
/// `[1, 2, 3]` is never valid for it).
fn required_field(catalog: &Catalog, i: usize) -> String {
    let payload = &catalog.events[i].payload;
    catalog
        .object(payload)
        .and_then(|o| {
            o.fields
                .iter()
                .find(|f| !f.optional && !f.nullable && f.ty != TypeRef::Json)
        })
        .map(|f| f.name.clone())
        .unwrap_or_else(|| panic!("payload {payload} has no required field"))
}

/// The catalog's values for each pattern-constrained field, by field name:
/// the example values of every field of that name that match its pattern
/// (for fields of one name with different patterns, the values matching
/// all of them).
fn pattern_pool(catalog: &Catalog) -> BTreeMap<String, Vec<String>> {
    let mut pool = BTreeMap::new();
    for f in pattern_fields(catalog) {
        let re = regex::Regex::new(f.constraints.pattern.as_deref().unwrap()).expect("pattern");
        let mut values = Vec::new();
        for e in &catalog.events {
            for x in &e.examples {
                harvest(&x.value, &f.name, &mut values);
            }
        }
        values.retain(|v| re.is_match(v));
        values.sort();
        values.dedup();
        pool.entry(f.name.clone())
            .and_modify(|old: &mut Vec<String>| old.retain(|v| values.contains(v)))
            .or_insert(values);
    }
    pool
}

/// The ways an event is made invalid, picked uniformly.
const INVALID_KINDS: &[&str] = &[
    "missing-field",
    "unknown-field",
    "wrong-type",
    "unknown-enum-value",
    "unknown-code",
    "malformed",
];

/// Makes `e`, an event of the catalog's `i`-th code, invalid in the way
/// `kind` says; returns the line to write instead of `e` for `malformed`.
fn make_invalid(catalog: &Catalog, e: &mut Value, i: usize, kind: &str) -> Option<String> {
    let disc = &catalog.envelope.discriminator;
    let payload = &catalog.envelope.payload;
    match kind {
        "missing-field" => {
            let f = required_field(catalog, i);
            e[payload].as_object_mut().unwrap().shift_remove(&f);
        }
        "unknown-field" => {
            e[payload]["x_unexpected"] = json!(true);
        }
        "wrong-type" => {
            let f = required_field(catalog, i);
            e[payload][&f] = json!([1, 2, 3]);
        }
        "unknown-enum-value" => {
            // The envelope's first enum field, else an unknown field.
            let enum_field = catalog.envelope.plain_fields().find(|f| {
                matches!(&f.ty, TypeRef::Named(n)
                    if matches!(catalog.types[n].kind, TypeKind::Enum(_)))
            });
            match enum_field {
                Some(f) => e[&f.name] = json!("not_a_declared_value"),
                None => e[payload]["x_unexpected"] = json!(1),
            }
        }
        "unknown-code" => {
            let code = e[disc].as_str().unwrap().to_string();
            e[disc] = json!(format!("{code}_v2"));
        }
        _ => {
            let text = e.to_string();
            return Some(text[..text.len() / 2].to_string());
        }
    }
    None
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen-events CATALOG_DIR OUT.ndjson [MEGABYTES=220] [INVALID_PER_MILLE=30] [SEED=1]");
        std::process::exit(2);
    }
    let catalog = eventcat_codegen::load(&args[1]).unwrap_or_else(|d| {
        eprintln!("{}", d.render(false));
        std::process::exit(2);
    });
    let target: u64 = args.get(3).map_or(220, |s| s.parse().expect("MEGABYTES")) << 20;
    let invalid_pm: u64 = args
        .get(4)
        .map_or(30, |s| s.parse().expect("INVALID_PER_MILLE"));
    let seed: u64 = args.get(5).map_or(1, |s| s.parse().expect("SEED"));

    let mut gen = Gen {
        catalog: &catalog,
        rng: Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x1000_0000_01B3)),
        pattern_pool: pattern_pool(&catalog),
    };

    let file = std::fs::File::create(&args[2]).expect("create output");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let (mut bytes, mut events, mut invalid) = (0u64, 0u64, 0u64);
    let mut per_kind: BTreeMap<&str, u64> = BTreeMap::new();
    let n_codes = catalog.events.len();
    while bytes < target {
        let i = (events as usize) % n_codes;
        let mut e = gen.event(i);
        let mut line = None;
        if gen.rng.chance(invalid_pm) {
            let kind = *gen.rng.pick(INVALID_KINDS);
            line = make_invalid(&catalog, &mut e, i, kind);
            invalid += 1;
            *per_kind.entry(kind).or_default() += 1;
        }
        let line = line.unwrap_or_else(|| e.to_string());
        out.write_all(line.as_bytes()).unwrap();
        out.write_all(b"\n").unwrap();
        bytes += line.len() as u64 + 1;
        events += 1;
    }
    out.flush().unwrap();
    println!(
        "{}",
        json!({ "events": events, "invalid": invalid, "bytes": bytes, "invalid_by_kind": per_kind })
    );
}
