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
        let mut hint = 0;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let found = env.find(&key, hint);
            match found {
                Some(i) => {
                    hint = i + 1;
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
                crate::validate::schema::unknown_code(
                    disc_pointer(),
                    &code_text,
                    &prog.codes,
                    &prog.suggestions,
                ),
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
