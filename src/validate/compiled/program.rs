//! The program: one node per catalog type, built once from the model
//! ([`Program::new`]), and how a whole event is checked with it.

#[allow(unused_imports)]
use super::*;

impl Num {
    pub(super) fn cmp(self, other: Num) -> std::cmp::Ordering {
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

    pub(super) fn is_integer(self) -> bool {
        match self {
            Num::F(f) => f.fract() == 0.0,
            _ => true,
        }
    }

    pub(super) fn describe(self) -> String {
        match self {
            Num::I(i) => i.to_string(),
            Num::U(u) => u.to_string(),
            Num::F(f) => describe(&Value::from(f)),
        }
    }
}

impl Limit {
    /// As the emitter writes a catalog bound (an integer when it is one).
    pub(super) fn from_catalog(x: f64) -> Self {
        let v = eventcat_codegen::model::as_integer(x).map_or(Value::from(x), Value::from);
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

    pub(super) fn int(i: i64) -> Self {
        Limit {
            value: Num::I(i),
            text: i.to_string(),
        }
    }
}

impl Object {
    /// Adds a field, after those added so far.
    fn add(&mut self, name: &str, slot: Slot, required: bool) {
        self.names.push(name.to_string());
        self.slots.push(slot);
        self.required.push(required);
    }

    /// The object with its name lookup when it has many fields.
    fn indexed(mut self) -> Self {
        if self.names.len() > LINEAR {
            let names = self.names.iter().enumerate().map(|(i, n)| (n.clone(), i));
            self.lookup = Some(names.collect());
        }
        self
    }

    /// The field named `key`; `hint`: where to look first (the field after
    /// the last one found: keys usually come in declared order).
    pub(super) fn find(&self, key: &str, hint: usize) -> Option<usize> {
        if self
            .names
            .get(hint)
            .is_some_and(|n| super::native::same(n, key))
        {
            return Some(hint);
        }
        match &self.lookup {
            Some(m) => m.get(key).copied(),
            // Onwards from the hint first (fields left out), then before it.
            None => {
                let hint = hint.min(self.names.len());
                let (before, after) = self.names.split_at(hint);
                after
                    .iter()
                    .position(|n| super::native::same(n, key))
                    .map(|i| hint + i)
                    .or_else(|| before.iter().position(|n| super::native::same(n, key)))
            }
        }
    }
}

/// A thread's copy of a pattern's regex, and the last short string it was
/// matched against with the answer (the same value comes back event after
/// event in envelope fields: a domain, an environment).
struct Local {
    regex: fancy_regex::Regex,
    last: String,
    matched: Option<bool>,
}

thread_local! {
    /// Each thread's own copies of a program's regexes (program id, then
    /// one per pattern, made on first use): a regex shared by threads takes
    /// a lock for its scratch space on every match but in one thread.
    static REGEXES: std::cell::RefCell<(u64, Vec<Option<Local>>)> =
        const { std::cell::RefCell::new((0, Vec::new())) };
}

/// Strings up to this long are remembered (no allocation past the first).
const REMEMBERED: usize = 64;

/// Program ids (0: none).
static PROGRAMS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Program {
    /// Whether pattern `p` matches `s`, with this thread's copy of its regex.
    pub(super) fn regex_match(&self, p: usize, s: &str) -> bool {
        REGEXES.with_borrow_mut(|(id, copies)| {
            if *id != self.id {
                *id = self.id;
                copies.clear();
            }
            if copies.len() <= p {
                copies.resize_with(p + 1, || None);
            }
            let local = copies[p].get_or_insert_with(|| Local {
                regex: self.patterns[p].regex.clone(),
                last: String::with_capacity(REMEMBERED),
                matched: None,
            });
            if let Some(m) = local.matched.filter(|_| local.last == s) {
                return m;
            }
            let m = local.regex.is_match(s).unwrap_or(true);
            if s.len() <= REMEMBERED {
                local.last.clear();
                local.last.push_str(s);
                local.matched = Some(m);
            }
            m
        })
    }
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Program")
            .field("nodes", &self.nodes.len())
            .field("codes", &self.codes.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Builder<'a> {
    pub(super) fn push(&mut self, n: Node) -> NodeId {
        self.prog.nodes.push(n);
        self.prog.nodes.len() - 1
    }

    pub(super) fn pattern(&mut self, p: &str) -> Result<usize, String> {
        if let Some(&i) = self.pattern_ids.get(p) {
            return Ok(i);
        }
        let translated = eventcat_codegen::pattern::to_rust_regex(p)?;
        let regex = fancy_regex::Regex::new(&translated)
            .map_err(|e| format!("the pattern `{p}` does not compile: {e}"))?;
        self.prog.patterns.push(Pattern {
            source: p.to_string(),
            regex,
            native: super::native::matcher(p),
        });
        let i = self.prog.patterns.len() - 1;
        self.pattern_ids.insert(p.to_string(), i);
        Ok(i)
    }

    /// The node of a type expression (a new node unless it is named).
    pub(super) fn type_ref(&mut self, ty: &TypeRef) -> Result<NodeId, String> {
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
            TypeRef::Json => self.any,
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
        })
    }

    pub(super) fn field(&mut self, f: &Field) -> Result<Slot, String> {
        let null = if !f.nullable {
            Null::No
        } else {
            match &f.ty {
                TypeRef::Json => Null::No,
                TypeRef::Named(_) => Null::AnyOf,
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

    /// A builder with an empty program for `catalog` (node 0 is `any`).
    fn start(catalog: &'a Catalog, allow_unknown_fields: bool) -> Self {
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
                index: Names::default(),
                allow_unknown: allow_unknown_fields,
                suggestions: Default::default(),
                id: PROGRAMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            },
            types: HashMap::new(),
            pattern_ids: HashMap::new(),
            any: 0,
        };
        b.any = b.push(Node::Any);
        b
    }

    /// One node per named type, numbered first so references resolve.
    fn named_types(&mut self) -> Result<(), String> {
        let catalog = self.catalog;
        for name in catalog.types.keys() {
            let id = self.push(Node::Any);
            self.types.insert(name.as_str(), id);
        }
        for (name, def) in &catalog.types {
            let id = self.types[name.as_str()];
            let node = match &def.kind {
                TypeKind::Object(o) => {
                    let obj = self.object(&o.fields)?;
                    self.prog.objects.push(obj);
                    Node::Object(self.prog.objects.len() - 1)
                }
                TypeKind::Enum(e) => {
                    self.prog.enums.push(EnumSet::of(e));
                    Node::Enum(self.prog.enums.len() - 1)
                }
                TypeKind::Alias(t) => Node::Ref(self.type_ref(t)?),
            };
            self.prog.nodes[id] = node;
        }
        Ok(())
    }

    /// The envelope's object, where its discriminator and payload are, and
    /// each code's payload slot.
    fn envelope(&mut self) -> Result<(), String> {
        let catalog = self.catalog;
        let env = &catalog.envelope;
        let mut envelope = Object::default();
        for f in &env.fields {
            let slot = match f {
                EnvelopeField::Plain(p) => self.field(p)?,
                // Set per code by the caller.
                EnvelopeField::Discriminator(_) => Slot {
                    node: self.push(Node::Const(String::new())),
                    null: Null::No,
                    checks: None,
                },
                // Set per code below.
                EnvelopeField::Payload(_) => Slot {
                    node: self.any,
                    null: Null::No,
                    checks: None,
                },
            };
            envelope.add(f.name(), slot, !f.optional());
        }
        let envelope = envelope.indexed();
        let position = |name: &str, what: &str| {
            env.fields
                .iter()
                .position(|f| f.name() == name)
                .ok_or_else(|| format!("the envelope has no {what} field"))
        };
        let disc_index = position(&env.discriminator, "discriminator")?;
        let payload_index = position(&env.payload, "payload")?;
        let mut payloads = Vec::with_capacity(catalog.events.len());
        for e in &catalog.events {
            let mut slot = envelope.slots[payload_index].clone();
            slot.node = *self
                .types
                .get(e.payload.as_str())
                .ok_or_else(|| format!("unknown payload type `{}`", e.payload))?;
            payloads.push(slot);
        }
        let prog = &mut self.prog;
        prog.envelope = envelope;
        prog.disc_index = disc_index;
        prog.payload_index = payload_index;
        prog.payloads = payloads;
        Ok(())
    }

    pub(super) fn object(&mut self, fields: &[Field]) -> Result<Object, String> {
        let mut o = Object::default();
        for f in fields {
            o.add(&f.name, self.field(f)?, !f.optional);
        }
        Ok(o.indexed())
    }
}

impl EnumSet {
    /// The values of a catalog enum (`type: string` too).
    fn of(e: &eventcat_codegen::model::EnumType) -> Self {
        let values: Vec<String> = e.values.iter().map(|v| v.value.clone()).collect();
        let listed = format!(
            "one of {}",
            values
                .iter()
                .map(|v| Value::from(v.as_str()).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        EnumSet {
            values,
            typed: true,
            listed,
        }
    }
}

impl Program {
    /// Compiles the catalog's contract (strict, or with objects left open
    /// when `allow_unknown_fields`). Fails only on a `pattern` the regular
    /// expression engine rejects.
    pub fn new(catalog: &Catalog, allow_unknown_fields: bool) -> Result<Self, String> {
        let mut b = Builder::start(catalog, allow_unknown_fields);
        b.named_types()?;
        b.envelope()?;
        let mut prog = b.prog;
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
        // One UTF-8 check of the whole event is much cheaper than one per
        // string (what reading from bytes does); text that is not UTF-8 is
        // read from bytes, for serde_json's exact error.
        self.check_as(bytes, std::str::from_utf8(bytes).ok())
    }

    /// [`Program::check`] of text known to be UTF-8.
    pub fn check_str(&self, text: &str) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        self.check_as(text.as_bytes(), Some(text))
    }

    /// Checks `bytes`, read as `text` when it is UTF-8.
    fn check_as(
        &self,
        bytes: &[u8],
        text: Option<&str>,
    ) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        // Most events are valid: the fast path accepts them (or says it
        // cannot, and the full check runs).
        if let Some(code) = text.and_then(|t| super::accept::accept(self, t)) {
            return Ok((CodeOf::Known(code), Vec::new()));
        }
        self.check_fully(bytes, text)
    }

    /// [`Program::check`] without the fast path.
    pub(super) fn check_fully(
        &self,
        bytes: &[u8],
        text: Option<&str>,
    ) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        let mut ctx = Ctx::default();
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let result = if first == Some(&b'{') {
            match text {
                Some(text) => {
                    self.envelope(&mut serde_json::Deserializer::from_str(text), &mut ctx)
                }
                None => self.envelope(&mut serde_json::Deserializer::from_slice(bytes), &mut ctx),
            }
        } else {
            Err(de::Error::custom("not an object"))
        };
        match result {
            Ok(code) if !ctx.duplicate => {
                let mut out = ctx.out;
                if !ctx.floats.is_empty() {
                    floats_as_written(bytes, &mut out, &ctx.floats);
                }
                crate::validate::schema::tidy(&mut out);
                Ok((code, out))
            }
            // A repeated key, something that is not an event object, or
            // malformed JSON: the slow way (which also gives serde_json's
            // exact error for the latter).
            _ => self.check_slow(bytes),
        }
    }

    /// Checks the event `de` reads (one whole JSON value).
    fn envelope<'de, R: serde_json::de::Read<'de>>(
        &self,
        de: &mut serde_json::Deserializer<R>,
        ctx: &mut Ctx,
    ) -> Result<CodeOf, serde_json::Error> {
        let code = Envelope { prog: self, ctx }.deserialize(&mut *de)?;
        de.end()?;
        Ok(code)
    }

    /// Parses the event to a tree (the last of repeated keys wins, as in
    /// the reference engine), names the repeated keys, and checks the tree
    /// written back without them.
    pub(super) fn check_slow(
        &self,
        bytes: &[u8],
    ) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
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
            crate::validate::schema::tidy(&mut out);
            (code, out)
        } else {
            let mut v = vec![Violation::expected(
                String::new(),
                "not-an-object",
                "an event object".into(),
                describe(&value),
            )];
            crate::validate::numbers::as_written(
                &mut v,
                &value,
                &crate::validate::numbers::scan(bytes),
            );
            (CodeOf::None, v)
        };
        violations.splice(0..0, crate::validate::duplicates::violations(bytes, &value));
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
/// [`crate::validate::numbers::as_written`] does for the reference engine).
pub(super) fn floats_as_written(bytes: &[u8], out: &mut [Violation], flagged: &[usize]) {
    let written = crate::validate::numbers::scan(bytes);
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
