//! What the differ compares inside a type: references, named types and
//! fields, each judged by what old and new accept (constraints and enum
//! values: values.rs).

use super::*;

impl<'a> Differ<'a> {
    // ------------------------------------------------------------ structure

    pub(super) fn compare_ref(
        &mut self,
        codes: &[String],
        path: &str,
        o: &TypeRef,
        n: &TypeRef,
        site: &Origin,
        stack: &mut Vec<(String, String)>,
    ) {
        // An alias can hold itself (`Nested = array<Nested>`): stop where a
        // pair of aliases is already being compared further up.
        let alias_pair = match (o, n) {
            (TypeRef::Named(a), TypeRef::Named(b))
                if is_alias(self.old, a) || is_alias(self.new, b) =>
            {
                Some((a.clone(), b.clone()))
            }
            (TypeRef::Named(a), _) if is_alias(self.old, a) => Some((a.clone(), String::new())),
            (_, TypeRef::Named(b)) if is_alias(self.new, b) => Some((String::new(), b.clone())),
            _ => None,
        };
        if let Some(pair) = &alias_pair {
            if stack.contains(pair) {
                return;
            }
            stack.push(pair.clone());
        }
        self.compare_dealiased(codes, path, o, n, site, stack);
        if alias_pair.is_some() {
            stack.pop();
        }
    }

    pub(super) fn compare_dealiased(
        &mut self,
        codes: &[String],
        path: &str,
        o: &TypeRef,
        n: &TypeRef,
        site: &Origin,
        stack: &mut Vec<(String, String)>,
    ) {
        let o = dealias(self.old, o);
        let n = dealias(self.new, n);
        match (&o, &n) {
            (TypeRef::Named(a), TypeRef::Named(b))
                if same_kind(&self.old.types[a], &self.new.types[b]) =>
            {
                self.compare_named(codes, path, a, b, site, stack)
            }
            (TypeRef::Array(a), TypeRef::Array(b)) => {
                self.compare_ref(codes, &format!("{path}[]"), a, b, site, stack)
            }
            (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.compare_ref(codes, &format!("{path}{{}}"), a, b, site, stack)
            }
            (TypeRef::Const(a), TypeRef::Const(b)) => {
                if a != b {
                    self.const_changed(codes, path, a, b, site);
                }
            }
            _ => self.shape_changed(codes, path, (Ty::Ref(&o), Ty::Ref(&n)), site),
        }
    }

    /// Reports a constant that holds another value.
    fn const_changed(&mut self, codes: &[String], path: &str, a: &str, b: &str, site: &Origin) {
        self.emit(
            RuleId::ConstChanged,
            codes,
            path,
            Some(format!("\"{a}\"")),
            Some(format!("\"{b}\"")),
            format!(
                "constant{} changed from \"{a}\" to \"{b}\"",
                if path.is_empty() {
                    String::new()
                } else {
                    format!(" `{path}`")
                }
            ),
            (Which::New, site),
        );
    }

    /// Reports a position whose (dealiased) type has another shape, judged
    /// by how the values old and new accept relate.
    fn shape_changed(&mut self, codes: &[String], path: &str, (o, n): (Ty, Ty), site: &Origin) {
        let (od, nd) = (describe_ty(o), describe_ty(n));
        let at = if path.is_empty() {
            String::new()
        } else {
            format!(" of `{path}`")
        };
        let (rule, message) = match relation(self.old, o, self.new, n) {
            Relation::Same => return,
            Relation::SameValues => (
                RuleId::RustTypeChanged,
                format!("type{at} changed from {od} to {nd}, which accept the same values: only the Rust type changes"),
            ),
            Relation::ExtensibleToString => (
                RuleId::ExtensibleEnumWidened,
                format!("type{at} widened from extensible enum {od} to {nd}: consumers built on the old catalog already keep any string; the Rust type changes"),
            ),
            Relation::Wider => (
                RuleId::TypeWidened,
                format!("type{at} widened from {od} to {nd}: consumers built on the old catalog can receive values they cannot read"),
            ),
            Relation::Narrower => (
                RuleId::TypeNarrowed,
                format!("type{at} narrowed from {od} to {nd}: producers not yet updated can send values the new catalog rejects"),
            ),
            Relation::Other => (RuleId::TypeChanged, format!("type{at} changed from {od} to {nd}")),
        };
        self.emit(
            rule,
            codes,
            path,
            Some(od),
            Some(nd),
            message,
            (Which::New, site),
        );
    }

    pub(super) fn compare_named(
        &mut self,
        codes: &[String],
        path: &str,
        a: &str,
        b: &str,
        site: &Origin,
        stack: &mut Vec<(String, String)>,
    ) {
        let (old, new) = (self.old, self.new);
        let (ta, tb) = (&old.types[a], &new.types[b]);
        let (ia, ib) = (naming::type_ident(a), naming::type_ident(b));
        if ia != ib {
            self.renamed
                .entry(a.to_string())
                .or_default()
                .insert(b.to_string());
            self.emit(
                RuleId::RustTypeChanged,
                codes,
                path,
                Some(ia.clone()),
                Some(ib.clone()),
                format!("Rust type changed from `{ia}` to `{ib}` (same wire shape so far)"),
                (Which::New, site),
            );
        }
        let pair = (a.to_string(), b.to_string());
        if stack.contains(&pair) {
            return;
        }
        self.compared.insert(pair.clone());
        stack.push(pair);
        match (&ta.kind, &tb.kind) {
            (TypeKind::Object(x), TypeKind::Object(y)) => {
                self.compare_fields(codes, path, &views(&x.fields), &views(&y.fields), stack)
            }
            (TypeKind::Enum(x), TypeKind::Enum(y)) => {
                self.compare_enums(codes, path, (a, x), (b, y), &tb.origin)
            }
            _ => {}
        }
        stack.pop();
    }

    pub(super) fn compare_fields(
        &mut self,
        codes: &[String],
        path: &str,
        old: &[FieldView],
        new: &[FieldView],
        stack: &mut Vec<(String, String)>,
    ) {
        for of in old {
            let fpath = join(path, of.name);
            match new.iter().find(|f| f.name == of.name) {
                None => self.field_alone(codes, &fpath, of, Which::Old, (old, new)),
                Some(nf) => self.compare_field(codes, &fpath, of, nf, stack),
            }
        }
        for nf in new {
            if !old.iter().any(|f| f.name == nf.name) {
                let fpath = join(path, nf.name);
                self.field_alone(codes, &fpath, nf, Which::New, (old, new));
            }
        }
    }

    /// Reports field `f` (at `fpath`), which only the `which` version of
    /// its object has: removed when that is the old one, else added.
    fn field_alone(
        &mut self,
        codes: &[String],
        fpath: &str,
        f: &FieldView,
        which: Which,
        (old, new): (&[FieldView], &[FieldView]),
    ) {
        let (rule, mut what) = lone_field(f, fpath, which);
        let removed = which == Which::Old;
        let (others, mine) = if removed { (new, old) } else { (old, new) };
        let kept = kept_in_rust(f, others, mine);
        if let Some(other) = &kept {
            let ident = naming::snake_case(f.name);
            what.push_str(&if removed {
                format!(" (its Rust field `{ident}` stays, now read from `{other}`)")
            } else {
                format!(" (its Rust field `{ident}` is the one `{other}` had)")
            });
        }
        let shown = Some(describe_field(f));
        let (ov, nv) = if removed {
            (shown, None)
        } else {
            (None, shown)
        };
        let at = (which, f.origin);
        self.emit_as(rule, codes, fpath, ov, nv, what, at, kept.is_some());
    }

    pub(super) fn compare_field(
        &mut self,
        codes: &[String],
        path: &str,
        of: &FieldView,
        nf: &FieldView,
        stack: &mut Vec<(String, String)>,
    ) {
        let ty = describe_ty(nf.ty);
        if of.optional != nf.optional {
            let (rule, message) = optionality_change(path, &ty, nf.optional);
            self.emit_as(
                rule,
                codes,
                path,
                flag(of.optional, "optional", "required"),
                flag(nf.optional, "optional", "required"),
                message,
                (Which::New, nf.origin),
                same_wrapper(of, nf),
            );
        }
        self.nullability_changed(codes, path, &ty, of, nf);
        self.compare_constraints(codes, path, &ty, of.constraints, nf.constraints, nf.origin);
        let site = nf.origin.clone();
        match (of.ty, nf.ty) {
            (Ty::Ref(o), Ty::Ref(n)) => self.compare_ref(codes, path, o, n, &site, stack),
            (o, n) => {
                // A slot on one side at least: no alias pair to follow.
                let (od, nd) = (
                    self.dealias_ty(Which::Old, o),
                    self.dealias_ty(Which::New, n),
                );
                let o = od.as_ref().map_or(o, Ty::Ref);
                let n = nd.as_ref().map_or(n, Ty::Ref);
                self.shape_changed(codes, path, (o, n), &site);
            }
        }
    }

    /// Reports a field that may now or no longer be null, or (for `json`,
    /// null either way) whose Rust type gains or loses an `Option`.
    fn nullability_changed(
        &mut self,
        codes: &[String],
        path: &str,
        ty: &str,
        of: &FieldView,
        nf: &FieldView,
    ) {
        let at = (Which::New, nf.origin);
        let rust_same = same_wrapper(of, nf);
        let (old_null, new_null) = (
            flag(of.nullable, "nullable", "not nullable"),
            flag(nf.nullable, "nullable", "not nullable"),
        );
        // `json` accepts `null` whatever the flag says.
        let (on, nn) = (
            of.nullable || self.accepts_null(Which::Old, of.ty),
            nf.nullable || self.accepts_null(Which::New, nf.ty),
        );
        if on != nn {
            let (rule, message) = if nn {
                (
                    RuleId::FieldBecameNullable,
                    format!("field `{path}` ({ty}) may now be null: consumers built on the old catalog do not expect null"),
                )
            } else {
                (
                    RuleId::FieldBecameNonNullable,
                    format!("field `{path}` ({ty}) may no longer be null: producers that send null are rejected"),
                )
            };
            self.emit_as(
                rule, codes, path, old_null, new_null, message, at, rust_same,
            );
        } else if of.nullable != nf.nullable
            && !rust_same
            && self.accepts_null(Which::Old, of.ty)
            && self.accepts_null(Which::New, nf.ty)
        {
            self.emit(
                RuleId::RustTypeChanged,
                codes,
                path,
                old_null,
                new_null,
                format!("field `{path}` ({ty}) accepts null either way (json), but its Rust type gains or loses an `Option`"),
                at,
            );
        }
    }

    /// Whether a value of this type may be `null` (only `json` is).
    pub(super) fn accepts_null(&self, which: Which, ty: Ty) -> bool {
        matches!(self.dealias_ty(which, ty), Some(TypeRef::Json))
    }

    /// The type `ty` stands for in the `which` catalog (`None` for a slot).
    fn dealias_ty(&self, which: Which, ty: Ty) -> Option<TypeRef> {
        let c = match which {
            Which::Old => self.old,
            Which::New => self.new,
        };
        match ty {
            Ty::Ref(t) => Some(dealias(c, t)),
            Ty::EventCode | Ty::Payload => None,
        }
    }
}

/// The rule and message for field `f` (at `fpath`), which only the
/// `which` version of its object has.
fn lone_field(f: &FieldView, fpath: &str, which: Which) -> (RuleId, String) {
    let ty = describe_ty(f.ty);
    match which {
        Which::Old if !f.optional => (
            RuleId::RequiredFieldRemoved,
            format!("required field `{fpath}` ({ty}) removed: consumers built on the old catalog expect it"),
        ),
        Which::Old if f.deprecated.is_some() => (
            RuleId::DeprecatedFieldRemoved,
            format!("deprecated optional field `{fpath}` ({ty}) removed"),
        ),
        Which::Old => (
            RuleId::OptionalFieldRemoved,
            format!("optional field `{fpath}` ({ty}) removed: producers that still send it are rejected"),
        ),
        Which::New if f.optional => (
            RuleId::OptionalFieldAdded,
            format!("new optional field `{fpath}` ({ty})"),
        ),
        Which::New => (
            RuleId::RequiredFieldAdded,
            format!("new required field `{fpath}` ({ty}): producers not yet updated do not send it"),
        ),
    }
}

/// The rule and message for field `path`, which became optional (`optional`)
/// or required.
fn optionality_change(path: &str, ty: &str, optional: bool) -> (RuleId, String) {
    if optional {
        (
            RuleId::FieldBecameOptional,
            format!("field `{path}` ({ty}) may now be absent: consumers built on the old catalog expect it"),
        )
    } else {
        (
            RuleId::FieldBecameRequired,
            format!(
                "field `{path}` ({ty}) is now required: producers that leave it out are rejected"
            ),
        )
    }
}

/// `yes` or `no`, as a finding's old or new value.
fn flag(b: bool, yes: &str, no: &str) -> Option<String> {
    Some(if b { yes } else { no }.to_string())
}

/// Whether both fields get the same Rust wrapper (`T`, `Option<T>`,
/// `Option<Option<T>>`): it depends on how many of the two flags are set,
/// not on which.
fn same_wrapper(of: &FieldView, nf: &FieldView) -> bool {
    let wrappers = |f: &FieldView| usize::from(f.optional) + usize::from(f.nullable);
    wrappers(of) == wrappers(nf)
}

/// A wire key renamed while its Rust field keeps its name and type
/// (`__type__` -> `type`, both `type_`): the name in `others` (not in
/// `other_side`) that now has `f`'s Rust field.
fn kept_in_rust(f: &FieldView, others: &[FieldView], other_side: &[FieldView]) -> Option<String> {
    let ident = naming::snake_case(f.name);
    let ty = rust_field(f);
    others
        .iter()
        .filter(|g| !other_side.iter().any(|h| h.name == g.name))
        .find(|g| naming::snake_case(g.name) == ident && rust_field(g) == ty)
        .map(|g| g.name.to_string())
}
