//! The envelope: read as it is parsed, dispatched on its discriminator
//! (the payload's raw text kept when the code comes after it).

#[allow(unused_imports)]
use super::*;

impl Ctx {
    pub(super) fn push(&mut self, v: Violation, float: bool) {
        if float {
            self.floats.push(self.out.len());
        }
        self.out.push(v);
    }

    pub(super) fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
        self.floats.retain(|&i| i < len);
    }
}

impl Path<'_> {
    pub(super) fn render(&self) -> String {
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

    pub(super) fn child_render(&self, key: &str) -> String {
        format!("{}/{}", self.render(), escape_pointer(key))
    }
}

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

impl<'de> DeserializeSeed<'de> for Envelope<'_> {
    type Value = CodeOf;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<CodeOf, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Envelope<'_> {
    type Value = CodeOf;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CodeOf, A::Error> {
        let (prog, ctx) = (self.prog, self.ctx);
        let start = ctx.out.len();
        let fields = read_fields(prog, ctx, &mut map)?;
        // A payload kept raw whose code never became known (missing, not a
        // string, or unknown) is not checked against any type, but its
        // repeated keys are still violations: scan it for them (a repeat
        // sends the event the slow way, as everywhere else).
        if let (None, Some(raw)) = (fields.code, fields.raw_payload) {
            let mut de = serde_json::Deserializer::from_str(raw.get());
            if (Skip { ctx: &mut *ctx }).deserialize(&mut de).is_err() {
                return Err(de::Error::custom("payload"));
            }
        }
        let i = match known_code(prog, ctx, start, fields.disc, fields.code) {
            Ok(i) => i,
            Err(code_of) => return Ok(code_of),
        };
        if let (false, Some(raw)) = (fields.payload_done, fields.raw_payload) {
            if check_raw_payload(prog, ctx, i, raw).is_err() {
                return Err(de::Error::custom("payload"));
            }
        }
        let env = &prog.envelope;
        for (j, name) in env.names.iter().enumerate() {
            if env.required[j] && !fields.seen.get(j) {
                required(ctx, &Path::Root, name);
            }
        }
        Ok(CodeOf::Known(i))
    }
}

/// What reading an envelope's fields found.
struct Fields<'de> {
    /// The declared fields present.
    seen: Bits,
    /// The discriminator's value, if present.
    disc: Option<Disc<'de>>,
    /// Its code's index, if it is a code of the catalog.
    code: Option<usize>,
    /// The payload's text, when it came before a known code.
    raw_payload: Option<&'de RawValue>,
    /// The payload was checked while read.
    payload_done: bool,
}

/// Reads an envelope's fields, checking each declared one as it is parsed
/// (the payload too once the code is known; before, its raw text is kept)
/// and reporting undeclared ones. A repeated key is an error (the event
/// goes the slow way).
fn read_fields<'de, A: MapAccess<'de>>(
    prog: &Program,
    ctx: &mut Ctx,
    map: &mut A,
) -> Result<Fields<'de>, A::Error> {
    let env = &prog.envelope;
    let root = Path::Root;
    let mut fields = Fields {
        seen: Bits::new(env.names.len()),
        disc: None,
        code: None,
        raw_payload: None,
        payload_done: false,
    };
    let mut unknown: Vec<Cow<'de, str>> = Vec::new();
    let mut hint = 0;
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        let found = env.find(&key, hint);
        let repeated = match found {
            Some(i) => {
                hint = i + 1;
                !fields.seen.set(i)
            }
            None => unknown.contains(&key),
        };
        if repeated {
            ctx.duplicate = true;
            return Err(de::Error::custom("duplicate key"));
        }
        let path = Path::Key(&root, &key);
        match found {
            Some(i) if i == prog.disc_index => {
                let d = map.next_value_seed(DiscSeed { ctx: &mut *ctx })?;
                if let Disc::Code(c) = &d {
                    fields.code = prog.index.get(c.as_ref()).copied();
                }
                fields.disc = Some(d);
            }
            Some(i) if i == prog.payload_index => match fields.code {
                Some(c) => {
                    let slot = &prog.payloads[c];
                    map.next_value_seed(Check::new(prog, slot, &path, ctx))?;
                    fields.payload_done = true;
                }
                None => fields.raw_payload = Some(map.next_value::<&'de RawValue>()?),
            },
            Some(i) => map.next_value_seed(Check::new(prog, &env.slots[i], &path, ctx))?,
            None => {
                if !prog.allow_unknown {
                    unknown_field(ctx, &root, &key, &env.names);
                }
                map.next_value_seed(Skip { ctx: &mut *ctx })?;
                unknown.push(key);
            }
        }
    }
    Ok(fields)
}

/// The index of the event's code, or (its violations reported in place of
/// any found so far) why there is none.
fn known_code(
    prog: &Program,
    ctx: &mut Ctx,
    start: usize,
    disc: Option<Disc<'_>>,
    code: Option<usize>,
) -> Result<usize, CodeOf> {
    let disc_pointer = || format!("/{}", escape_pointer(&prog.disc));
    let code_text = match disc {
        None => {
            ctx.truncate(start);
            let message = format!(
                "missing field `{}` (the event code); the event cannot be checked further",
                prog.disc
            );
            let v = Violation::other(disc_pointer(), "missing-discriminator", message);
            ctx.push(v, false);
            return Err(CodeOf::None);
        }
        Some(Disc::Other(found, float)) => {
            ctx.truncate(start);
            let expected = "an event code (string)".into();
            let v = Violation::expected(disc_pointer(), "type", expected, found);
            ctx.push(v, float);
            return Err(CodeOf::None);
        }
        Some(Disc::Code(c)) => c,
    };
    code.ok_or_else(|| {
        ctx.truncate(start);
        let v = crate::validate::schema::unknown_code(
            disc_pointer(),
            &code_text,
            &prog.codes,
            &prog.suggestions,
        );
        ctx.push(v, false);
        CodeOf::Unknown(code_text.into_owned())
    })
}

/// Checks a payload kept raw against code `i`'s payload type.
fn check_raw_payload(prog: &Program, ctx: &mut Ctx, i: usize, raw: &RawValue) -> Result<(), ()> {
    let key = &prog.envelope.names[prog.payload_index];
    let root = Path::Root;
    let path = Path::Key(&root, key);
    let mut de = serde_json::Deserializer::from_str(raw.get());
    Check::new(prog, &prog.payloads[i], &path, ctx)
        .deserialize(&mut de)
        .map_err(|_| ())
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

pub(super) fn items(n: usize) -> String {
    if n == 1 {
        "an array of 1 item".into()
    } else {
        format!("an array of {n} items")
    }
}
