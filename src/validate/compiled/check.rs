//! The check of a value against a node, while serde_json parses it:
//! objects (required fields in a bit set), enums, scalars and their formats
//! and constraints, arrays and maps.

#[allow(unused_imports)]
use super::*;

pub(super) fn unknown_field(ctx: &mut Ctx, path: &Path<'_>, name: &str, declared: &[String]) {
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

/// Whether `s` is of `format` (the checks of [`formats`]).
pub(super) fn has_format(format: StringFormat, s: &str) -> bool {
    match format {
        StringFormat::Plain => true,
        StringFormat::Uuid => formats::is_uuid(s),
        StringFormat::Email => formats::is_email(s),
        StringFormat::Uri => formats::is_uri(s),
        StringFormat::Date => formats::is_date(s),
        StringFormat::DateTime => formats::is_date_time(s),
        StringFormat::LocalDateTime => formats::is_local_date_time(s),
    }
}

pub(super) fn required(ctx: &mut Ctx, path: &Path<'_>, name: &str) {
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

impl<'de> DeserializeSeed<'de> for Check<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Seen<'_> {
    pub(super) fn describe(&self) -> (String, bool) {
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

impl Check<'_> {
    /// The node at the end of any chain of references.
    pub(super) fn resolve(&self, mut node: NodeId) -> NodeId {
        while let Node::Ref(n) = self.prog.nodes[node] {
            node = n;
        }
        node
    }

    pub(super) fn type_error(&mut self, expected: &str, seen: &Seen<'_>, inline_null: bool) {
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
    pub(super) fn scalar(&mut self, seen: Seen<'_>, start: usize) {
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
    pub(super) fn any_of(&mut self, start: usize, seen: &Seen<'_>) {
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

    pub(super) fn node_checks(&mut self, node: NodeId, seen: &Seen<'_>, inline: bool) {
        match &self.prog.nodes[node] {
            Node::Any | Node::Ref(_) => {}
            Node::Str { format, pattern } => {
                let Seen::Str(s) = seen else {
                    return self.type_error("string", seen, inline);
                };
                self.string_checks(*format, *pattern, s, seen);
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
            Node::Const(c) => self.const_check(c, seen),
            Node::Enum(e) => self.enum_check(*e, seen, inline),
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

    /// A string's format and pattern.
    fn string_checks(
        &mut self,
        format: StringFormat,
        pattern: Option<usize>,
        s: &str,
        seen: &Seen<'_>,
    ) {
        if !has_format(format, s) {
            let expected = if format == StringFormat::LocalDateTime {
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
            self.pattern(p, s, seen);
        }
    }

    /// A `const` string.
    fn const_check(&mut self, c: &str, seen: &Seen<'_>) {
        if !matches!(seen, Seen::Str(s) if super::native::same(s, c)) {
            let (found, float) = seen.describe();
            let expected = Value::from(c).to_string();
            self.ctx.push(
                Violation::expected(self.path.render(), "const", expected, found),
                float,
            );
        }
    }

    /// One of enum set `e`'s values (or `null`, for an inline nullable one).
    fn enum_check(&mut self, e: usize, seen: &Seen<'_>, inline: bool) {
        let set = &self.prog.enums[e];
        let ok = match seen {
            Seen::Str(s) => set.values.iter().any(|v| super::native::same(v, s)),
            Seen::Null => inline,
            _ => false,
        };
        if set.typed && !matches!(seen, Seen::Str(_)) {
            // The type error (the enum error says more; tidied away).
            self.type_error("string", seen, false);
        }
        if !ok {
            let (found, float) = seen.describe();
            let listed = self.prog.enums[e].listed.clone();
            self.ctx.push(
                Violation::expected(self.path.render(), "enum", listed, found),
                float,
            );
        }
    }

    pub(super) fn pattern(&mut self, p: usize, s: &str, seen: &Seen<'_>) {
        let pat = &self.prog.patterns[p];
        let matches = match pat.native {
            Some(native) => native(s),
            None => self.prog.regex_match(p, s),
        };
        if !matches {
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

    pub(super) fn bounds(
        &mut self,
        n: Num,
        min: Option<&Limit>,
        max: Option<&Limit>,
        seen: &Seen<'_>,
    ) {
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

    pub(super) fn checks(&mut self, c: &Checks, seen: &Seen<'_>) {
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
                let mut hint = 0;
                while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
                    let path = Path::Key(self.path, &key);
                    match obj.find(&key, hint) {
                        Some(i) => {
                            hint = i + 1;
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
