//! What the differ compares section by section: the envelope, each event
//! code (status, payload, examples), the families and the named types.

use super::*;
use crate::model::Event;

impl<'a> Differ<'a> {
    // ------------------------------------------------------------ envelope

    pub(super) fn envelope(&mut self) {
        let (o, n) = (&self.old.envelope, &self.new.envelope);
        let mut stack = Vec::new();
        let (of, nf) = (envelope_views(&o.fields), envelope_views(&n.fields));
        self.compare_fields(&[], "", &of, &nf, &mut stack);
        if o.description != n.description {
            let at = n
                .fields
                .first()
                .map(|f| f.origin().clone())
                .unwrap_or_default();
            self.emit(
                RuleId::DescriptionChanged,
                &[],
                "envelope.description",
                None,
                None,
                "the envelope's description changed".into(),
                (Which::New, &at),
            );
        }
        self.field_docs(&[], "envelope", &of, &nf);
    }

    // ------------------------------------------------------------ events

    pub(super) fn events(&mut self) {
        let payload = self.new.envelope.payload.clone();
        let (old, new) = (self.old, self.new);
        // Code lookups by map, and the new codes listed once: linear in the
        // number of codes, also when most of them changed.
        let new_by: HashMap<&str, &Event> =
            new.events.iter().map(|e| (e.code.as_str(), e)).collect();
        let old_codes: HashSet<&str> = old.events.iter().map(|e| e.code.as_str()).collect();
        let added: Vec<&Event> = new
            .events
            .iter()
            .filter(|e| !old_codes.contains(e.code.as_str()))
            .collect();
        for oe in &old.events {
            match new_by.get(oe.code.as_str()).copied() {
                None => self.code_removed(oe, &added),
                Some(ne) => {
                    let codes = [oe.code.clone()];
                    self.code_status(&codes, oe, ne);
                    self.code_metadata(&codes, oe, ne);
                    self.code_examples(&codes, oe, ne);
                    let site = ne.origin.clone();
                    let mut stack = Vec::new();
                    self.compare_ref(
                        &codes,
                        &payload,
                        &TypeRef::Named(oe.payload.clone()),
                        &TypeRef::Named(ne.payload.clone()),
                        &site,
                        &mut stack,
                    );
                }
            }
        }
        for ne in added {
            self.emit(
                RuleId::CodeAdded,
                std::slice::from_ref(&ne.code),
                "event",
                None,
                Some(ne.code.clone()),
                format!("new event code ({})", ne.status.as_str()),
                (Which::New, &ne.origin),
            );
        }
    }

    /// Reports an event code the new catalog lacks, with the added code it
    /// may have been renamed to (same payload and title).
    fn code_removed(&mut self, oe: &Event, added: &[&Event]) {
        let renamed = added
            .iter()
            .find(|e| e.payload == oe.payload && e.title == oe.title)
            .map(|e| format!(" (renamed to `{}`?)", e.code))
            .unwrap_or_default();
        let (rule, message) = match &oe.status {
            Status::Deprecated { .. } => (
                RuleId::DeprecatedCodeRemoved,
                format!("deprecated event code removed{renamed}"),
            ),
            _ => (
                RuleId::CodeRemoved,
                format!(
                    "event code removed{renamed} without being deprecated first (it was {})",
                    oe.status.as_str()
                ),
            ),
        };
        self.emit(
            rule,
            std::slice::from_ref(&oe.code),
            "event",
            Some(oe.code.clone()),
            None,
            message,
            (Which::Old, &oe.origin),
        );
    }

    /// Reports a change of a code's status, or of its deprecation message
    /// alone.
    fn code_status(&mut self, codes: &[String], oe: &Event, ne: &Event) {
        if oe.status == ne.status {
            return;
        }
        let at = (Which::New, &ne.origin);
        if oe.status.as_str() == ne.status.as_str() {
            // Only the deprecation message changed.
            self.emit(
                RuleId::DescriptionChanged,
                codes,
                "event.deprecation",
                None,
                None,
                "deprecation message changed".into(),
                at,
            );
            return;
        }
        let message = match &ne.status {
            Status::Deprecated { message } => format!("event code deprecated: {message}"),
            _ => format!(
                "event code status changed from {} to {}",
                oe.status.as_str(),
                ne.status.as_str()
            ),
        };
        self.emit(
            RuleId::CodeStatusChanged,
            codes,
            "event.status",
            Some(oe.status.as_str().into()),
            Some(ne.status.as_str().into()),
            message,
            at,
        );
    }

    /// Reports changes of a code's title, description and `since`.
    fn code_metadata(&mut self, codes: &[String], oe: &Event, ne: &Event) {
        for (what, o, n) in [
            ("title", Some(&oe.title), Some(&ne.title)),
            ("description", Some(&oe.description), Some(&ne.description)),
            ("since", oe.since.as_ref(), ne.since.as_ref()),
        ] {
            if o != n {
                let (ov, nv) = if what == "description" {
                    (None, None)
                } else {
                    (o.cloned(), n.cloned())
                };
                self.emit(
                    RuleId::DescriptionChanged,
                    codes,
                    &format!("event.{what}"),
                    ov,
                    nv,
                    format!("event {what} changed"),
                    (Which::New, &ne.origin),
                );
            }
        }
    }

    /// Reports changed examples of a code (their counts when those differ).
    fn code_examples(&mut self, codes: &[String], oe: &Event, ne: &Event) {
        if same_examples(&oe.examples, &ne.examples) {
            return;
        }
        let (ov, nv) = if oe.examples.len() == ne.examples.len() {
            (None, None)
        } else {
            (
                Some(count(oe.examples.len(), "example")),
                Some(count(ne.examples.len(), "example")),
            )
        };
        self.emit(
            RuleId::ExampleChanged,
            codes,
            "event.examples",
            ov,
            nv,
            examples_message(&oe.examples, &ne.examples),
            (Which::New, &ne.origin),
        );
    }

    // ------------------------------------------------------------ families

    pub(super) fn families(&mut self) {
        let (old, new) = (self.old, self.new);
        for of in &old.families {
            match new.family(&of.id) {
                None => {
                    let codes: Vec<String> =
                        old.family_events(&of.id).map(|e| e.code.clone()).collect();
                    self.emit(
                        RuleId::FamilyRemoved,
                        &codes,
                        &format!("families.{}", of.id),
                        Some(of.id.clone()),
                        None,
                        format!(
                            "family removed: `Family::{}` is no longer generated",
                            naming::pascal_case(&of.id)
                        ),
                        (Which::Old, &of.origin),
                    );
                }
                Some(nf) => {
                    for (what, o, n) in [
                        ("title", &of.title, &nf.title),
                        ("description", &of.description, &nf.description),
                    ] {
                        if o != n {
                            let (ov, nv) = if what == "title" {
                                (Some(o.clone()), Some(n.clone()))
                            } else {
                                (None, None)
                            };
                            self.emit(
                                RuleId::DescriptionChanged,
                                &[],
                                &format!("families.{}.{what}", of.id),
                                ov,
                                nv,
                                format!("family {what} changed"),
                                (Which::New, &nf.origin),
                            );
                        }
                    }
                }
            }
        }
        for nf in &new.families {
            if old.family(&nf.id).is_none() {
                let codes: Vec<String> =
                    new.family_events(&nf.id).map(|e| e.code.clone()).collect();
                self.emit(
                    RuleId::FamilyAdded,
                    &codes,
                    &format!("families.{}", nf.id),
                    None,
                    Some(nf.id.clone()),
                    format!(
                        "new family: `Family::{}` is generated",
                        naming::pascal_case(&nf.id)
                    ),
                    (Which::New, &nf.origin),
                );
            }
        }
    }

    // ------------------------------------------------------------ types

    /// Catalog-level type changes: removed and added types, their docs and
    /// deprecations (reported once per type, not per path), and structural
    /// changes of types that no walk from a payload compared.
    pub(super) fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let old_reach = reach(old);
        let new_reach = reach(new);
        let by_ident = |c: &'a Catalog| -> BTreeMap<String, &'a TypeDef> {
            c.types
                .values()
                .map(|t| (naming::type_ident(&t.name), t))
                .collect()
        };
        let (oi, ni) = (by_ident(old), by_ident(new));
        for (ident, ot) in &oi {
            let Some(nt) = ni.get(ident) else {
                self.type_removed(&old_reach, ot);
                continue;
            };
            let codes = codes_of(&new_reach, &nt.name);
            let tpath = format!("types.{}", nt.name);
            if ot.derived_from.is_none() && nt.derived_from.is_none() {
                self.type_docs(&codes, &tpath, ot, nt);
            }
            if !self.compared.contains(&(ot.name.clone(), nt.name.clone())) {
                self.compare_off_wire(&tpath, ot, nt);
            }
        }
        for (ident, nt) in &ni {
            if !oi.contains_key(ident) {
                let codes = codes_of(&new_reach, &nt.name);
                self.emit(
                    RuleId::TypeAdded,
                    &codes,
                    &format!("types.{}", nt.name),
                    None,
                    Some(nt.name.clone()),
                    format!("new type `{}`", nt.name),
                    (Which::New, &nt.origin),
                );
            }
        }
    }

    /// Reports a type that is no longer generated, with the types found in
    /// its place (when a walk saw it renamed).
    fn type_removed(&mut self, old_reach: &BTreeMap<String, BTreeSet<String>>, ot: &TypeDef) {
        let codes = codes_of(old_reach, &ot.name);
        let now = self
            .renamed
            .get(&ot.name)
            .map(|s| s.iter().cloned().collect::<Vec<_>>().join(", "));
        let message = match &now {
            Some(n) => format!("type `{}` is no longer generated (now `{n}`)", ot.name),
            None => format!("type `{}` is no longer generated", ot.name),
        };
        self.emit(
            RuleId::TypeRemoved,
            &codes,
            &format!("types.{}", ot.name),
            Some(ot.name.clone()),
            now,
            message,
            (Which::Old, &ot.origin),
        );
    }

    /// Reports description changes of a type, of its fields and of its
    /// enum values.
    fn type_docs(&mut self, codes: &[String], tpath: &str, ot: &TypeDef, nt: &TypeDef) {
        if ot.description != nt.description {
            self.emit(
                RuleId::DescriptionChanged,
                codes,
                tpath,
                None,
                None,
                format!("description of type `{}` changed", nt.name),
                (Which::New, &nt.origin),
            );
        }
        match (&ot.kind, &nt.kind) {
            (TypeKind::Object(a), TypeKind::Object(b)) => {
                self.field_docs(codes, tpath, &views(&a.fields), &views(&b.fields))
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for v in &b.values {
                    let before = a.values.iter().find(|x| x.value == v.value);
                    if before.is_some_and(|before| before.description != v.description) {
                        self.emit(
                            RuleId::DescriptionChanged,
                            codes,
                            &format!("{tpath}.values.{}", v.value),
                            None,
                            None,
                            format!("description of value `{}` changed", v.value),
                            (Which::New, &nt.origin),
                        );
                    }
                }
            }
            _ => {}
        }
    }

    /// Compares the structure of a type that no walk from a payload
    /// compared (its changes break only the generated Rust).
    fn compare_off_wire(&mut self, tpath: &str, ot: &TypeDef, nt: &TypeDef) {
        let site = nt.origin.clone();
        let mut stack = Vec::new();
        self.off_wire = true;
        self.compare_ref(
            &[],
            tpath,
            &TypeRef::Named(ot.name.clone()),
            &TypeRef::Named(nt.name.clone()),
            &site,
            &mut stack,
        );
        self.off_wire = false;
    }

    /// Description and deprecation changes of the fields both versions of an
    /// object have.
    pub(super) fn field_docs(
        &mut self,
        codes: &[String],
        owner: &str,
        old: &[FieldView],
        new: &[FieldView],
    ) {
        for nf in new {
            let Some(of) = old.iter().find(|f| f.name == nf.name) else {
                continue;
            };
            let path = format!("{owner}.{}", nf.name);
            let at = (Which::New, nf.origin);
            if of.description != nf.description {
                self.emit(
                    RuleId::DescriptionChanged,
                    codes,
                    &path,
                    None,
                    None,
                    format!("description of field `{}` changed", nf.name),
                    at,
                );
            }
            match (&of.deprecated, &nf.deprecated) {
                (None, Some(why)) => self.emit(
                    RuleId::FieldDeprecated,
                    codes,
                    &path,
                    None,
                    Some(why.to_string()),
                    format!("field `{}` deprecated: {why}", nf.name),
                    at,
                ),
                (Some(_), None) => self.emit(
                    RuleId::DescriptionChanged,
                    codes,
                    &path,
                    None,
                    None,
                    format!("field `{}` is no longer deprecated", nf.name),
                    at,
                ),
                (Some(a), Some(b)) if a != b => self.emit(
                    RuleId::DescriptionChanged,
                    codes,
                    &path,
                    None,
                    None,
                    format!("deprecation message of field `{}` changed", nf.name),
                    at,
                ),
                _ => {}
            }
        }
    }
}
