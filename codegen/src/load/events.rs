//! The envelope, the families and their events.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    // ---------------------------------------------------------------- envelope

    pub(in crate::load) fn resolve_envelope(
        &mut self,
        file: usize,
        e: &Spanned<format::EnvelopeSpec>,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Envelope {
        let spec = e.get_ref();
        let (disc, payload) = self.envelope_names(file, e);
        let mut fields = Vec::new();
        let mut idents: HashMap<String, (String, Range<usize>)> = HashMap::new();
        for (fname, fspec) in &spec.fields {
            self.check_envelope_ident(file, fname, &mut idents);
            let field = if *fname.get_ref() == disc {
                let slot = self.special_envelope_field(file, fname, fspec, "discriminator");
                EnvelopeField::Discriminator(slot)
            } else if *fname.get_ref() == payload {
                let slot = self.special_envelope_field(file, fname, fspec, "payload");
                EnvelopeField::Payload(slot)
            } else {
                match self.resolve_field(file, fname, fspec, declared, partials) {
                    Some(f) => EnvelopeField::Plain(f),
                    None => continue,
                }
            };
            fields.push(field);
        }
        // A slot not declared as a field still goes on the wire, last.
        let header = Self::origin(file, header_span(e));
        let slot = |name: &String, what: &str| Slot {
            name: name.clone(),
            description: what.to_string(),
            origin: header.clone(),
        };
        if !fields.iter().any(|f| f.name() == disc) {
            self.check_slot_ident(file, &disc, "discriminator", &idents);
            fields.push(EnvelopeField::Discriminator(slot(&disc, "The event code.")));
        }
        if !fields.iter().any(|f| f.name() == payload) {
            self.check_slot_ident(file, &payload, "payload", &idents);
            let what = "The payload; its type depends on the event code.";
            fields.push(EnvelopeField::Payload(slot(&payload, what)));
        }
        Envelope {
            description: spec.description.clone(),
            discriminator: disc,
            payload,
            fields,
        }
    }

    /// The names of the discriminator and payload fields (`code` and `data`
    /// unless set), reporting them when they are the same.
    fn envelope_names(
        &mut self,
        file: usize,
        e: &Spanned<format::EnvelopeSpec>,
    ) -> (String, String) {
        let spec = e.get_ref();
        let disc = spec
            .discriminator
            .as_ref()
            .map_or("code".to_string(), |d| d.get_ref().clone());
        let payload = spec
            .payload
            .as_ref()
            .map_or("data".to_string(), |d| d.get_ref().clone());
        if disc == payload {
            let span = spec.payload.as_ref().map_or(header_span(e), |p| p.span());
            self.err(
                ErrorKind::BadEnvelope,
                file,
                span,
                format!("the discriminator and the payload are both `{disc}`"),
            )
            .help = Some(
                "the code and the payload need fields of their own, usually `code` and `data`"
                    .into(),
            );
        }
        (disc, payload)
    }

    /// Reports an envelope field whose Rust name another field already has.
    fn check_envelope_ident(
        &mut self,
        file: usize,
        fname: &SpannedString,
        idents: &mut HashMap<String, (String, Range<usize>)>,
    ) {
        let ident = naming::snake_case(fname.get_ref());
        let Some((other, prev)) = idents.get(&ident) else {
            idents.insert(ident, (fname.get_ref().clone(), fname.span()));
            return;
        };
        let diag = self.collision(
            &Self::origin(file, fname.span()),
            other,
            &Self::origin(file, prev.clone()),
            format!(
                "envelope fields `{other}` and `{}` both become the Rust field `{ident}`",
                fname.get_ref()
            ),
        );
        self.diags.push(diag);
    }

    /// Reports a declared envelope field whose Rust name is that of the
    /// discriminator or payload `name` (`what`), which is not declared and
    /// so is added last: the generated struct would hold the name twice.
    fn check_slot_ident(
        &mut self,
        file: usize,
        name: &str,
        what: &str,
        idents: &HashMap<String, (String, Range<usize>)>,
    ) {
        let ident = naming::snake_case(name);
        let Some((other, at)) = idents.get(&ident) else {
            return;
        };
        let diag = Diagnostic::new(
            ErrorKind::NameCollision,
            &self.texts[file],
            at.clone(),
            format!(
                "envelope field `{other}` and the {what} field `{name}` (not declared, so added) both become the Rust field `{ident}`"
            ),
        )
        .help(format!("rename `{other}`, or declare the {what} as `fields.{name}`"));
        self.diags.push(diag);
    }

    /// The discriminator or payload field as declared: only its
    /// description is taken, anything else set is reported (`what`:
    /// `discriminator` or `payload`).
    fn special_envelope_field(
        &mut self,
        file: usize,
        fname: &SpannedString,
        fspec: &Spanned<FieldSpec>,
        what: &str,
    ) -> Slot {
        let s = fspec.get_ref();
        if s.ty.is_some() || s.constant.is_some() || s.optional || s.nullable {
            self.err(
                ErrorKind::BadEnvelope,
                file,
                fname.span(),
                format!(
                    "the {what} field `{}` cannot set `type`, `const`, `optional` or `nullable`",
                    fname.get_ref()
                ),
            )
            .help = Some(format!(
                "the {what}'s type comes from the events; give it only a `description`"
            ));
        }
        Slot {
            name: fname.get_ref().clone(),
            description: s.description.clone(),
            origin: Self::origin(file, fname.span()),
        }
    }

    // ---------------------------------------------------------------- families & events

    pub(in crate::load) fn resolve_families(
        &mut self,
        files: &[Option<CatalogFile>],
        types: &BTreeMap<String, TypeDef>,
        disc: &str,
    ) -> (Vec<Family>, Vec<Event>) {
        let mut families: Vec<Family> = Vec::new();
        let mut events: Vec<Event> = Vec::new();
        let mut seen = SeenCodes::default();
        let mut family_idents: HashMap<String, (String, Origin)> = HashMap::new();
        for (i, f) in files.iter().enumerate() {
            let Some(f) = f else { continue };
            let family = match &f.family {
                Some(fam) => {
                    let spec = fam.get_ref();
                    let id = spec.id.get_ref().clone();
                    self.check_family_id(i, &spec.id);
                    if let Some(prev) = families.iter().find(|p| p.id == id) {
                        let d = self
                            .twice(
                                ErrorKind::DuplicateSection,
                                &Self::origin(i, spec.id.span()),
                                &prev.origin,
                                "declared",
                                format!("family `{id}` is declared twice"),
                            )
                            .help("declare each family once, in the file that lists its events");
                        self.diags.push(d);
                        None
                    } else {
                        let origin = Self::origin(i, spec.id.span());
                        let ident = naming::pascal_case(&id);
                        if let Some((other, prev)) = family_idents.get(&ident) {
                            let d = self.collision(&origin, other, prev, format!("families `{other}` and `{id}` both become the Rust variant `Family::{ident}`"));
                            self.diags.push(d);
                        } else {
                            family_idents.insert(ident, (id.clone(), origin.clone()));
                        }
                        families.push(Family {
                            id: id.clone(),
                            title: spec.title.clone(),
                            description: spec.description.clone(),
                            origin,
                        });
                        Some(id)
                    }
                }
                None => {
                    if let Some(first) = f.event.first() {
                        self.err(ErrorKind::EventWithoutFamily, i, first.get_ref().code.span(), "`[[event]]` in a file without `[family]`")
                            .help = Some("add a `[family]` table with the `id` these codes start with to this file".into());
                    }
                    None
                }
            };
            let Some(family) = family else { continue };
            for ev in &f.event {
                if let Some(e) = self.resolve_event(i, ev, &family, types, &mut seen, disc) {
                    events.push(e);
                }
            }
        }
        families.sort_by(|a, b| a.id.cmp(&b.id));
        // Stable sort keeps declaration order inside a family.
        events.sort_by_key(|e| families.iter().position(|f| f.id == e.family));
        (families, events)
    }

    pub(in crate::load) fn check_family_id(&mut self, file: usize, id: &SpannedString) {
        let v = id.get_ref();
        if v == "all" {
            self.err(
                ErrorKind::ReservedName,
                file,
                id.span(),
                "`all` cannot be a family id",
            )
            .help =
                Some("`all` is reserved for the selector that subscribes to every event".into());
        } else if !is_segment(v) {
            self.err(ErrorKind::CodeGrammar, file, id.span(), format!("`{v}` is not a valid family id"))
                .help = Some(format!("a family id is lower-case letters, digits and `_`, starting with a letter, e.g. `{}`", naming::snake_case(v)));
        }
    }

    pub(in crate::load) fn resolve_event(
        &mut self,
        file: usize,
        ev: &Spanned<format::EventSpec>,
        family: &str,
        types: &BTreeMap<String, TypeDef>,
        seen: &mut SeenCodes,
        disc: &str,
    ) -> Option<Event> {
        let spec = ev.get_ref();
        let code = spec.code.get_ref().clone();
        let origin = Self::origin(file, spec.code.span());
        self.check_code_grammar(file, &spec.code, family);
        if !self.register_code(&origin, &code, seen) {
            return None;
        }
        self.check_payload(file, &spec.payload, types);
        let status = self.event_status(file, spec);
        let mut examples = Vec::new();
        for ex in &spec.example {
            if let Some(e) = self.resolve_example(file, ex, &code, disc) {
                examples.push(e);
            }
        }
        Some(Event {
            code,
            family: family.to_string(),
            title: spec.title.clone(),
            description: spec.description.clone(),
            payload: spec.payload.get_ref().clone(),
            status,
            since: spec.since.as_ref().map(|s| s.get_ref().clone()),
            examples,
            origin,
        })
    }

    /// Reports a code that is too long, uses the reserved segment `all`,
    /// breaks the code grammar, or does not start with its family id.
    fn check_code_grammar(&mut self, file: usize, code: &SpannedString, family: &str) {
        let (cspan, code) = (code.span(), code.get_ref());
        let segments: Vec<&str> = code.split('.').collect();
        if code.len() > MAX_CODE_LEN {
            let shown: String = code.chars().take(40).collect();
            self.err(
                ErrorKind::CodeGrammar,
                file,
                cspan,
                format!(
                    "code `{shown}...` is {} characters long, more than the limit of {MAX_CODE_LEN}",
                    code.chars().count()
                ),
            )
            .help = Some(format!(
                "a code names files (`json-schema/<code>.schema.json`) and must fit a file name: keep it to {MAX_CODE_LEN} characters or fewer"
            ));
        } else if segments.contains(&"all") {
            self.err(ErrorKind::ReservedName, file, cspan, format!("code `{code}` has a segment named `all`"))
                .help = Some("`all` is reserved for selectors (`all`, `<family>.all`); name the segment otherwise".into());
        } else if segments.len() < 2 || !segments.iter().all(|s| is_segment(s)) {
            self.err(ErrorKind::CodeGrammar, file, cspan, format!("`{code}` is not a valid event code"))
                .help = Some(format!(
                    "a code is lower-case dotted segments (letters, digits, `_`), the first being the family id, e.g. `{}`",
                    fixed_code(&segments, family)
                ));
        } else if segments[0] != family {
            self.err(
                ErrorKind::CodeFamilyMismatch,
                file,
                cspan,
                format!("code `{code}` does not start with its family id `{family}`"),
            )
            .help = Some(format!(
                "codes of this file start with `{family}.`, e.g. `{family}.{}`",
                segments[1..].join(".")
            ));
        }
    }

    /// Records a code and its Rust variant name; false (and reported) when
    /// the code is already declared. A variant name taken by another code
    /// is reported too.
    fn register_code(&mut self, origin: &Origin, code: &str, seen: &mut SeenCodes) -> bool {
        if let Some(prev) = seen.codes.get(code) {
            let d = self
                .twice(
                    ErrorKind::DuplicateCode,
                    origin,
                    prev,
                    "declared",
                    format!("event code `{code}` is declared twice"),
                )
                .help("each code is declared once; remove or rename one");
            self.diags.push(d);
            return false;
        }
        seen.codes.insert(code.to_string(), origin.clone());
        let ident = naming::pascal_case(code);
        if let Some((other, prev)) = seen.idents.get(&ident) {
            let d = self.collision(origin, other, prev, format!("codes `{other}` and `{code}` both become the Rust variant `EventCode::{ident}`"))
                .help("codes must differ by more than where `.` and `_` stand");
            self.diags.push(d);
        } else {
            seen.idents
                .insert(ident, (code.to_string(), origin.clone()));
        }
        true
    }

    /// Reports a payload that is not a declared object type.
    fn check_payload(
        &mut self,
        file: usize,
        payload: &SpannedString,
        types: &BTreeMap<String, TypeDef>,
    ) {
        let name = payload.get_ref();
        match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Object(_)) => {}
            Some(_) => {
                self.err(
                    ErrorKind::NotAnObject,
                    file,
                    payload.span(),
                    format!("payload `{name}` is not an object type"),
                )
                .help = Some("a payload is an object type (a `[types.X]` with `fields`)".into());
            }
            None => {
                let names: Vec<&str> = types.keys().map(String::as_str).collect();
                let d = self.undeclared_type(
                    &Self::origin(file, payload.span()),
                    format!("unknown payload type `{name}`"),
                    did_you_mean(name, names.iter().copied()),
                    format!("declare it with `[types.{name}]` and its `fields`"),
                );
                self.diags.push(d);
            }
        }
    }

    /// The event's lifecycle status, reporting a deprecated code without a
    /// `deprecation` message and a message on a code not deprecated.
    fn event_status(&mut self, file: usize, spec: &format::EventSpec) -> Status {
        let code = spec.code.get_ref();
        let span = spec.status.as_ref().map_or(spec.code.span(), |s| s.span());
        match (
            spec.status.as_ref().map(|s| *s.get_ref()),
            &spec.deprecation,
        ) {
            (Some(StatusSpec::Deprecated), Some(m)) => Status::Deprecated { message: m.clone() },
            (Some(StatusSpec::Deprecated), None) => {
                self.err(
                    ErrorKind::BadStatus,
                    file,
                    span,
                    format!("deprecated code `{code}` has no `deprecation` message"),
                )
                .help = Some(
                    "say why and what to use instead: `deprecation = \"Use ... instead\"`".into(),
                );
                Status::Deprecated {
                    message: String::new(),
                }
            }
            (s, Some(_)) => {
                self.err(
                    ErrorKind::BadStatus,
                    file,
                    span,
                    format!("code `{code}` has a `deprecation` message but is not deprecated"),
                )
                .help = Some("set `status = \"deprecated\"`, or remove `deprecation`".into());
                match s {
                    Some(StatusSpec::Planned) => Status::Planned,
                    _ => Status::Available,
                }
            }
            (Some(StatusSpec::Planned), None) => Status::Planned,
            (Some(StatusSpec::Available) | None, None) => Status::Available,
        }
    }
}

/// A valid code close to one written with `segments`, for the help of an
/// invalid code: its segments in snake case, prefixed with `family` when
/// that leaves fewer than two.
fn fixed_code(segments: &[&str], family: &str) -> String {
    let fixed: Vec<String> = segments
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| naming::snake_case(s))
        .collect();
    if fixed.len() >= 2 {
        fixed.join(".")
    } else {
        format!("{family}.{}", fixed.join("_"))
    }
}
