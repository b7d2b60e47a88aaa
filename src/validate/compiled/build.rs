//! Building the program from the model, once ([`Program::new`]): one node
//! per catalog type, numbered first so that references resolve, then the
//! envelope and each code's payload slot.

#[allow(unused_imports)]
use super::*;

/// Program ids (0: none).
static PROGRAMS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

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

    /// The object with its required bits, and its name lookup when it has
    /// many fields.
    fn indexed(mut self) -> Self {
        self.required_bits = super::accept::required_bits(&self.required);
        self.plain = self
            .names
            .iter()
            .all(|n| !n.bytes().any(|c| c == b'"' || c == b'\\' || c < 0x20));
        if self.names.len() > LINEAR {
            let names = self.names.iter().enumerate().map(|(i, n)| (n.clone(), i));
            self.lookup = Some(names.collect());
        }
        self
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
}
