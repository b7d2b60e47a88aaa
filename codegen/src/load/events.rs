//! The envelope, the delivery rules, the families and their events.

#[allow(unused_imports)]
use super::*;

impl Resolver {
    /// `[delivery]`: every value checked, errors at the value.
    pub(in crate::load) fn resolve_delivery(
        &mut self,
        file: usize,
        spec: &format::DeliverySpec,
    ) -> Delivery {
        let mut out = Delivery::default();
        if let Some(scheme) = &spec.scheme {
            if scheme.get_ref() == "standard-webhooks" {
                out.scheme = scheme.get_ref().clone();
            } else {
                self.located(
                    ErrorKind::InvalidValue,
                    file,
                    scheme.span(),
                    format!("unknown signing scheme `{}`", scheme.get_ref()),
                    "not a known scheme",
                    "the scheme eventcat signs and verifies is `standard-webhooks`",
                );
            }
        }
        for (value, slot) in [
            (&spec.id_header, &mut out.id_header),
            (&spec.timestamp_header, &mut out.timestamp_header),
            (&spec.signature_header, &mut out.signature_header),
        ] {
            let Some(v) = value else { continue };
            let name = v.get_ref();
            // RFC 9110 token characters.
            let token = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            if token {
                *slot = name.to_ascii_lowercase();
            } else {
                self.located(
                    ErrorKind::InvalidValue,
                    file,
                    v.span(),
                    format!("`{name}` is not an HTTP header name"),
                    "not a header name",
                    "header names are letters, digits and `-` (e.g. `webhook-signature`)",
                );
            }
        }
        let duration = |this: &mut Self, v: &SpannedString, min: u64| -> Option<u64> {
            match crate::model::parse_duration(v.get_ref()) {
                Ok(ms) if ms >= min => Some(ms),
                Ok(_) => {
                    this.located(
                        ErrorKind::InvalidValue,
                        file,
                        v.span(),
                        format!("`{}` is too short here", v.get_ref()),
                        &format!("must be at least {}", format_duration(min.max(1))),
                        "use a longer duration, e.g. `\"5m\"`",
                    );
                    None
                }
                Err(msg) => {
                    this.located(
                        ErrorKind::InvalidValue,
                        file,
                        v.span(),
                        msg,
                        "not a duration",
                        "write durations as `\"500ms\"`, `\"5s\"`, `\"30m\"`, `\"2h\"` or `\"1d\"`",
                    );
                    None
                }
            }
        };
        if let Some(v) = &spec.tolerance {
            if let Some(ms) = duration(self, v, 1000) {
                out.tolerance_ms = ms;
            }
        }
        if let Some(v) = &spec.timeout {
            if let Some(ms) = duration(self, v, 1) {
                out.timeout_ms = ms;
            }
        }
        if let Some(list) = &spec.retry {
            out.retry_ms = list.iter().filter_map(|v| duration(self, v, 0)).collect();
        }
        if let Some(v) = &spec.gone {
            match v.get_ref().as_str() {
                "event" => out.gone = crate::model::Gone::Event,
                "endpoint" => out.gone = crate::model::Gone::Endpoint,
                other => self.located(
                    ErrorKind::InvalidValue,
                    file,
                    v.span(),
                    format!("`{other}` is not what a `410 Gone` stops"),
                    "expected `event` or `endpoint`",
                    "`event`: no further attempt of that event; `endpoint`: no further delivery to the endpoint",
                ),
            }
        }
        out
    }

    // ---------------------------------------------------------------- envelope

    pub(in crate::load) fn resolve_envelope(
        &mut self,
        file: usize,
        e: &Spanned<format::EnvelopeSpec>,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Envelope {
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
        let mut fields = Vec::new();
        let mut idents: HashMap<String, (String, Range<usize>)> = HashMap::new();
        for (fname, fspec) in &spec.fields {
            let ident = naming::snake_case(fname.get_ref());
            if let Some((other, prev)) = idents.get(&ident) {
                let src = self.texts[file].clone();
                let diag = Diagnostic::new(
                    ErrorKind::NameCollision,
                    &src,
                    fname.span(),
                    format!(
                        "envelope fields `{other}` and `{}` both become the Rust field `{ident}`",
                        fname.get_ref()
                    ),
                )
                .note(&src, prev.clone(), format!("`{other}` is here"));
                self.diags.push(diag);
            } else {
                idents.insert(ident, (fname.get_ref().clone(), fname.span()));
            }
            let special = if *fname.get_ref() == disc {
                Some(TypeRef::EventCode)
            } else if *fname.get_ref() == payload {
                Some(TypeRef::Payload)
            } else {
                None
            };
            match special {
                Some(ty) => {
                    let s = fspec.get_ref();
                    if s.ty.is_some() || s.constant.is_some() || s.optional || s.nullable {
                        let what = if ty == TypeRef::EventCode {
                            "discriminator"
                        } else {
                            "payload"
                        };
                        self.err(ErrorKind::BadEnvelope, file, fname.span(), format!("the {what} field `{}` cannot set `type`, `const`, `optional` or `nullable`", fname.get_ref()))
                            .help = Some(format!("the {what}'s type comes from the events; give it only a `description`"));
                    }
                    fields.push(Field {
                        name: fname.get_ref().clone(),
                        description: s.description.clone(),
                        ty,
                        optional: false,
                        nullable: false,
                        deprecated: None,
                        constraints: Constraints::default(),
                        origin: Self::origin(file, fname.span()),
                    });
                }
                None => {
                    if let Some(f) = self.resolve_field(file, fname, fspec, declared, partials) {
                        fields.push(f);
                    }
                }
            }
        }
        for (name, ty, what) in [
            (&disc, TypeRef::EventCode, "The event code."),
            (
                &payload,
                TypeRef::Payload,
                "The payload; its type depends on the event code.",
            ),
        ] {
            if !fields.iter().any(|f| &f.name == name) {
                fields.push(Field {
                    name: name.clone(),
                    description: what.to_string(),
                    ty,
                    optional: false,
                    nullable: false,
                    deprecated: None,
                    constraints: Constraints::default(),
                    origin: Self::origin(file, header_span(e)),
                });
            }
        }
        Envelope {
            description: spec.description.clone(),
            discriminator: disc,
            payload,
            fields,
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
                        let note_src = self.texts[prev.origin.file].clone();
                        let d = Diagnostic::new(
                            ErrorKind::DuplicateSection,
                            &self.texts[i],
                            spec.id.span(),
                            format!("family `{id}` is declared twice"),
                        )
                        .note(&note_src, prev.origin.span.clone(), "first declared here")
                        .help("declare each family once, in the file that lists its events");
                        self.diags.push(d);
                        None
                    } else {
                        let origin = Self::origin(i, spec.id.span());
                        let ident = naming::pascal_case(&id);
                        if let Some((other, prev)) = family_idents.get(&ident) {
                            let note_src = self.texts[prev.file].clone();
                            let d = Diagnostic::new(ErrorKind::NameCollision, &self.texts[i], spec.id.span(), format!("families `{other}` and `{id}` both become the Rust variant `Family::{ident}`"))
                                .note(&note_src, prev.span.clone(), format!("`{other}` is here"));
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
        let SeenCodes {
            codes,
            idents: code_idents,
        } = seen;
        let spec = ev.get_ref();
        let code = spec.code.get_ref().clone();
        let cspan = spec.code.span();
        let origin = Self::origin(file, cspan.clone());
        let segments: Vec<&str> = code.split('.').collect();
        if code.len() > MAX_CODE_LEN {
            let shown: String = code.chars().take(40).collect();
            self.err(
                ErrorKind::CodeGrammar,
                file,
                cspan.clone(),
                format!(
                    "code `{shown}...` is {} characters long, more than the limit of {MAX_CODE_LEN}",
                    code.chars().count()
                ),
            )
            .help = Some(format!(
                "a code names files (`json-schema/<code>.schema.json`) and must fit a file name: keep it to {MAX_CODE_LEN} characters or fewer"
            ));
        } else if segments.contains(&"all") {
            self.err(ErrorKind::ReservedName, file, cspan.clone(), format!("code `{code}` has a segment named `all`"))
                .help = Some("`all` is reserved for selectors (`all`, `<family>.all`); name the segment otherwise".into());
        } else if segments.len() < 2 || !segments.iter().all(|s| is_segment(s)) {
            let fixed: Vec<String> = segments
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| naming::snake_case(s))
                .collect();
            self.err(ErrorKind::CodeGrammar, file, cspan.clone(), format!("`{code}` is not a valid event code"))
                .help = Some(format!(
                    "a code is lower-case dotted segments (letters, digits, `_`), the first being the family id, e.g. `{}`",
                    if fixed.len() >= 2 { fixed.join(".") } else { format!("{family}.{}", fixed.join("_")) }
                ));
        } else if segments[0] != family {
            self.err(
                ErrorKind::CodeFamilyMismatch,
                file,
                cspan.clone(),
                format!("code `{code}` does not start with its family id `{family}`"),
            )
            .help = Some(format!(
                "codes of this file start with `{family}.`, e.g. `{family}.{}`",
                segments[1..].join(".")
            ));
        }
        if let Some(prev) = codes.get(&code) {
            let note_src = self.texts[prev.file].clone();
            let d = Diagnostic::new(
                ErrorKind::DuplicateCode,
                &self.texts[file],
                cspan.clone(),
                format!("event code `{code}` is declared twice"),
            )
            .note(&note_src, prev.span.clone(), "first declared here")
            .help("each code is declared once; remove or rename one");
            self.diags.push(d);
            return None;
        }
        codes.insert(code.clone(), origin.clone());
        let ident = naming::pascal_case(&code);
        if let Some((other, prev)) = code_idents.get(&ident) {
            let note_src = self.texts[prev.file].clone();
            let d = Diagnostic::new(ErrorKind::NameCollision, &self.texts[file], cspan.clone(), format!("codes `{other}` and `{code}` both become the Rust variant `EventCode::{ident}`"))
                .note(&note_src, prev.span.clone(), format!("`{other}` is here"))
                .help("codes must differ by more than where `.` and `_` stand");
            self.diags.push(d);
        } else {
            code_idents.insert(ident, (code.clone(), origin.clone()));
        }

        let payload = spec.payload.get_ref().clone();
        match types.get(&payload).map(|t| &t.kind) {
            Some(TypeKind::Object(_)) => {}
            Some(_) => {
                self.err(
                    ErrorKind::NotAnObject,
                    file,
                    spec.payload.span(),
                    format!("payload `{payload}` is not an object type"),
                )
                .help = Some("a payload is an object type (a `[types.X]` with `fields`)".into());
            }
            None => {
                let names: Vec<&str> = types.keys().map(String::as_str).collect();
                let hint = did_you_mean(&payload, names.iter().copied());
                let d = self.err(
                    ErrorKind::UnknownType,
                    file,
                    spec.payload.span(),
                    format!("unknown payload type `{payload}`"),
                );
                d.label = "not declared anywhere in the catalog".into();
                d.help = Some(match hint {
                    Some(h) => format!("did you mean `{h}`?"),
                    None => format!("declare it with `[types.{payload}]` and its `fields`"),
                });
            }
        }

        let status = match (
            spec.status.as_ref().map(|s| *s.get_ref()),
            &spec.deprecation,
        ) {
            (Some(StatusSpec::Deprecated), Some(m)) => Status::Deprecated { message: m.clone() },
            (Some(StatusSpec::Deprecated), None) => {
                let span = spec.status.as_ref().map_or(cspan.clone(), |s| s.span());
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
                let span = spec.status.as_ref().map_or(cspan.clone(), |s| s.span());
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
        };

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
            payload,
            status,
            since: spec.since.as_ref().map(|s| s.get_ref().clone()),
            examples,
            origin,
        })
    }
}
