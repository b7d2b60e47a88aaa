//! Example values, generated from the types so that they are valid against
//! the schemas.

use std::fmt::Write as _;

use crate::model::{Catalog, Field, Kind, Ty};
use crate::rng::Rng;
use crate::words::{human, ACTIONS, FIRST, LAST, NOUNS, SLUG};

/// A JSON value, written with 2-space indentation.
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// Writes the value to `out`, its nested lines indented by `indent` + 2.
    pub fn write(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => write!(out, "{b}").unwrap(),
            Json::Int(i) => write!(out, "{i}").unwrap(),
            Json::Num(f) => write!(out, "{f:?}").unwrap(),
            // Generated strings hold no `"`, `\` or control characters.
            Json::Str(s) => write!(out, "\"{s}\"").unwrap(),
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Obj(items) if items.is_empty() => out.push_str("{}"),
            Json::Arr(items) => {
                out.push_str("[\n");
                for (i, v) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Obj(items) => {
                out.push_str("{\n");
                for (i, (k, v)) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    write!(out, "\"{k}\": ").unwrap();
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

/// A random version 4 UUID.
pub fn uuid(rng: &mut Rng) -> String {
    let a = rng.next();
    let b = rng.next();
    let h = format!("{a:016x}{b:016x}");
    // Version 4, variant 10xx.
    let variant = ['8', '9', 'a', 'b'][(b & 3) as usize];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        variant,
        &h[17..20],
        &h[20..32]
    )
}

/// A value of field `f` (None: leave the field out).
pub fn field_value(
    c: &Catalog,
    f: &Field,
    depth: usize,
    in_partial: bool,
    rng: &mut Rng,
) -> Option<Json> {
    if let Some(k) = &f.konst {
        return Some(Json::Str(k.clone()));
    }
    if (f.optional || in_partial) && (depth > 6 || rng.chance(if in_partial { 45 } else { 30 })) {
        return None;
    }
    if f.nullable && rng.chance(25) {
        return Some(Json::Null);
    }
    let ty = f.ty.as_ref().expect("field has a type");
    Some(value(c, ty, Some(f), depth, rng))
}

/// A value of type `ty`, within the constraints of field `f` if given;
/// `depth` is how deep in the example it is (optional fields are left out
/// below 6 levels, arrays kept to their minimum).
pub fn value(c: &Catalog, ty: &Ty, f: Option<&Field>, depth: usize, rng: &mut Rng) -> Json {
    match ty {
        Ty::Array(t) => {
            let lo = f.and_then(|f| f.min_items).unwrap_or(0);
            let hi = f.and_then(|f| f.max_items).unwrap_or(u64::MAX).min(2);
            let n = if depth > 6 {
                lo
            } else {
                lo.max(rng.below(hi.max(lo) + 1))
            };
            Json::Arr((0..n).map(|_| value(c, t, None, depth + 1, rng)).collect())
        }
        Ty::Map(t) => {
            let n = rng.range(1, 2);
            Json::Obj(
                (0..n)
                    .map(|i| {
                        (
                            format!("{}{i}", rng.word(NOUNS)),
                            value(c, t, None, depth + 1, rng),
                        )
                    })
                    .collect(),
            )
        }
        Ty::Named(n) => {
            let t = c.get(n);
            match &t.kind {
                Kind::Object(fields) => object(c, fields, depth + 1, false, rng),
                Kind::Enum { values, .. } => Json::Str(rng.pick(values).clone()),
                Kind::Alias(t) => value(c, t, None, depth, rng),
            }
        }
        Ty::Partial(n) => match &c.get(n).kind {
            Kind::Object(fields) => object(c, fields, depth + 1, true, rng),
            _ => unreachable!("partial of a non-object"),
        },
        Ty::Str
        | Ty::Int
        | Ty::Num
        | Ty::Bool
        | Ty::Json
        | Ty::Uuid
        | Ty::Email
        | Ty::Uri
        | Ty::Date
        | Ty::DateTime
        | Ty::LocalDateTime => primitive(ty, f, rng),
    }
}

/// A value of a primitive type `ty` (a scalar, `json` or a string format),
/// within the constraints of field `f` if given.
fn primitive(ty: &Ty, f: Option<&Field>, rng: &mut Rng) -> Json {
    match ty {
        Ty::Str => {
            if let Some(p) = f.and_then(|f| f.pattern) {
                return Json::Str(p.sample.into());
            }
            let (a, b) = (rng.word(NOUNS), rng.word(NOUNS));
            let mut s = format!("{} {b}", human(a));
            if let Some(max) = f.and_then(|f| f.max_length) {
                s.truncate(max as usize);
            }
            Json::Str(s)
        }
        Ty::Int => {
            let lo = f.and_then(|f| f.minimum).unwrap_or(0.0) as i64;
            let hi = f.and_then(|f| f.maximum).unwrap_or(1000.0) as i64;
            Json::Int(rng.range(lo, hi))
        }
        Ty::Num => {
            let lo = f.and_then(|f| f.minimum).unwrap_or(0.0);
            let hi = f.and_then(|f| f.maximum).unwrap_or(1000.0);
            let steps = rng.below(9) as f64 + 1.0;
            Json::Num(lo + (hi - lo) * steps / 10.0)
        }
        Ty::Bool => Json::Bool(rng.chance(50)),
        Ty::Json => Json::Obj(vec![
            ("source".into(), Json::Str("import".into())),
            ("attempt".into(), Json::Int(rng.range(1, 5))),
        ]),
        Ty::Uuid => Json::Str(uuid(rng)),
        Ty::Email => Json::Str(format!(
            "{}.{}@example.com",
            rng.word(FIRST),
            rng.word(LAST)
        )),
        Ty::Uri => Json::Str(format!(
            "https://example.com/{}/{}",
            rng.word(NOUNS),
            rng.range(1, 999)
        )),
        Ty::Date => Json::Str(format!(
            "2024-{:02}-{:02}",
            rng.range(1, 12),
            rng.range(1, 28)
        )),
        Ty::DateTime => Json::Str(format!(
            "2024-03-{:02}T{:02}:{:02}:27Z",
            rng.range(1, 28),
            rng.range(0, 23),
            rng.range(0, 59)
        )),
        Ty::LocalDateTime => Json::Str(format!(
            "2024-03-{:02}T{:02}:14:27",
            rng.range(1, 28),
            rng.range(0, 23)
        )),
        Ty::Named(_) | Ty::Array(_) | Ty::Map(_) | Ty::Partial(_) => {
            unreachable!("not a primitive type")
        }
    }
}

/// An object of `fields` (`partial`: each field optional).
pub fn object(c: &Catalog, fields: &[Field], depth: usize, partial: bool, rng: &mut Rng) -> Json {
    Json::Obj(
        fields
            .iter()
            .filter_map(|f| field_value(c, f, depth, partial, rng).map(|v| (f.name.clone(), v)))
            .collect(),
    )
}

/// An example event of `code`, whose payload is of type `payload`, as JSON.
pub fn example(c: &Catalog, code: &str, payload: &str, rng: &mut Rng) -> String {
    let mut data = value(c, &Ty::named(payload), None, 0, rng);
    // `change` follows from the code's action, as in the default catalog.
    let verb = code.rsplit('.').nth(1).unwrap_or_default();
    if let (Json::Obj(fields), Some(a)) = (&mut data, ACTIONS.iter().find(|a| a.0 == verb)) {
        for (k, v) in fields.iter_mut() {
            if k == "change" {
                *v = Json::Str(a.2.into());
            }
        }
    }
    let env = Json::Obj(vec![
        ("__type__".into(), Json::Str("Event".into())),
        ("__domain__".into(), Json::Str(SLUG.sample.into())),
        (
            "__environment__".into(),
            Json::Str(
                if rng.chance(80) {
                    "production"
                } else {
                    "sandbox"
                }
                .into(),
            ),
        ),
        ("code".into(), Json::Str(code.into())),
        ("data".into(), data),
    ]);
    let mut s = String::new();
    env.write(&mut s, 0);
    s
}
