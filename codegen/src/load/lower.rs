//! Lowering: catalog type specs (TOML) to the model's types, references
//! resolved, aliases followed.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    pub(in crate::load) fn resolve_type(
        &mut self,
        name: &str,
        d: &Declared,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Option<TypeDef> {
        let spec = d.spec.get_ref();
        let file = d.file;
        let shapes = [
            spec.fields.is_some(),
            spec.values.is_some(),
            spec.alias.is_some(),
        ];
        let n = shapes.iter().filter(|b| **b).count();
        if n != 1 {
            let msg = if n == 0 {
                format!("type `{name}` has no `fields`, `values` or `type`")
            } else {
                format!("type `{name}` has more than one of `fields`, `values` and `type`")
            };
            let diag = Diagnostic::new(ErrorKind::TypeShape, &self.texts[file], d.name.span(), msg)
                .help("an object has `fields`, a string enum has `values`, an alias has `type`: exactly one of them");
            self.diags.push(diag);
            return None;
        }
        if spec.extensible.is_some() && spec.values.is_none() {
            let diag = Diagnostic::new(
                ErrorKind::TypeShape,
                &self.texts[file],
                d.name.span(),
                format!("`extensible` only applies to enums, and `{name}` is not one"),
            )
            .help("remove `extensible`");
            self.diags.push(diag);
        }
        if !spec.value_descriptions.is_empty() && spec.values.is_none() {
            let diag = Diagnostic::new(
                ErrorKind::TypeShape,
                &self.texts[file],
                d.name.span(),
                format!("`value_descriptions` only applies to enums, and `{name}` is not one"),
            )
            .help("remove `value_descriptions`");
            self.diags.push(diag);
        }
        let origin = Self::origin(file, d.name.span());
        let kind = if let Some(fields) = &spec.fields {
            let fields = self.resolve_fields(
                file,
                fields.get_ref(),
                declared,
                partials,
                &format!("type `{name}`"),
            );
            TypeKind::Object(ObjectType { fields })
        } else if let Some(values) = &spec.values {
            TypeKind::Enum(self.resolve_enum(file, name, values, spec))
        } else {
            let alias = spec.alias.as_ref().expect("one shape is set");
            let ty = self.resolve_expr(file, alias, declared, partials)?;
            TypeKind::Alias(ty)
        };
        Some(TypeDef {
            name: name.to_string(),
            description: spec.description.clone(),
            kind,
            derived_from: None,
            origin,
        })
    }

    pub(in crate::load) fn resolve_enum(
        &mut self,
        file: usize,
        name: &str,
        values: &Spanned<Vec<SpannedString>>,
        spec: &TypeSpec,
    ) -> EnumType {
        if values.get_ref().is_empty() {
            let diag = Diagnostic::new(
                ErrorKind::BadEnum,
                &self.texts[file],
                values.span(),
                format!("enum `{name}` has no values"),
            )
            .help("list at least one value, e.g. `values = [\"sandbox\", \"production\"]`");
            self.diags.push(diag);
        }
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        let mut idents: HashMap<String, (&str, Range<usize>)> = HashMap::new();
        let extensible = spec.extensible.unwrap_or(false);
        for v in values.get_ref() {
            let val = v.get_ref().as_str();
            if let Some(prev) = seen.get(val) {
                let diag = self
                    .twice(
                        ErrorKind::BadEnum,
                        &Self::origin(file, v.span()),
                        &Self::origin(file, prev.clone()),
                        "listed",
                        format!("value `{val}` is listed twice in enum `{name}`"),
                    )
                    .help("remove one of them");
                self.diags.push(diag);
                continue;
            }
            seen.insert(val, v.span());
            let ident = naming::pascal_case(val);
            if let Some((other, prev)) = idents.get(&ident) {
                let diag = self.collision(&Self::origin(file, v.span()), other, &Self::origin(file, prev.clone()), format!("enum values `{other}` and `{val}` both become the Rust variant `{name}::{ident}`"))
                    .help("enum values must differ by more than case and punctuation");
                self.diags.push(diag);
            } else {
                idents.insert(ident.clone(), (val, v.span()));
            }
        }
        let mut out = Vec::new();
        for v in values.get_ref() {
            if out.iter().any(|e: &EnumValue| &e.value == v.get_ref()) {
                continue;
            }
            out.push(EnumValue {
                value: v.get_ref().clone(),
                description: spec.value_descriptions.get(v.get_ref().as_str()).cloned(),
            });
        }
        for key in spec.value_descriptions.keys() {
            if !seen.contains_key(key.get_ref().as_str()) {
                let diag = self.unknown_name(
                    ErrorKind::UnknownKey,
                    &Self::origin(file, key.span()),
                    format!("`{}` is not a value of enum `{name}`", key.get_ref()),
                    did_you_mean(key.get_ref(), seen.keys().copied()),
                    None,
                );
                self.diags.push(diag);
            }
        }
        EnumType {
            values: out,
            extensible,
        }
    }

    pub(in crate::load) fn resolve_fields(
        &mut self,
        file: usize,
        fields: &IndexMap<SpannedString, Spanned<FieldSpec>>,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
        owner: &str,
    ) -> Vec<Field> {
        let mut out = Vec::new();
        let mut idents: HashMap<String, (String, Range<usize>)> = HashMap::new();
        for (fname, spec) in fields {
            let ident = naming::snake_case(fname.get_ref());
            if let Some((other, prev)) = idents.get(&ident) {
                let diag = self
                    .collision(
                        &Self::origin(file, fname.span()),
                        other,
                        &Self::origin(file, prev.clone()),
                        format!(
                            "fields `{other}` and `{}` of {owner} both become the Rust field `{ident}`",
                            fname.get_ref()
                        ),
                    )
                    .help("field names must differ by more than case and punctuation");
                self.diags.push(diag);
            } else {
                idents.insert(ident, (fname.get_ref().clone(), fname.span()));
            }
            if let Some(f) = self.resolve_field(file, fname, spec, declared, partials) {
                out.push(f);
            }
        }
        out
    }

    pub(in crate::load) fn resolve_field(
        &mut self,
        file: usize,
        fname: &SpannedString,
        spec: &Spanned<FieldSpec>,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Option<Field> {
        let s = spec.get_ref();
        let ty = match (&s.ty, &s.constant) {
            (Some(_), Some(c)) => {
                let diag = Diagnostic::new(
                    ErrorKind::BadField,
                    &self.texts[file],
                    c.span(),
                    format!("field `{}` has both `type` and `const`", fname.get_ref()),
                )
                .help("a constant field is always a string: remove `type`");
                self.diags.push(diag);
                return None;
            }
            (None, None) => {
                let diag = Diagnostic::new(ErrorKind::BadField, &self.texts[file], fname.span(), format!("field `{}` has no `type`", fname.get_ref()))
                    .help("add `type = \"string\"` (or another type), or `const = \"...\"` for a constant");
                self.diags.push(diag);
                return None;
            }
            (Some(t), None) => self.resolve_expr(file, t, declared, partials)?,
            (None, Some(c)) => TypeRef::Const(c.get_ref().clone()),
        };
        let constraints = Constraints {
            minimum: s.minimum,
            maximum: s.maximum,
            min_length: s.min_length,
            max_length: s.max_length,
            pattern: s.pattern.clone(),
            min_items: s.min_items,
            max_items: s.max_items,
        };
        self.check_constraints(file, fname, &ty, &constraints, declared);
        Some(Field {
            name: fname.get_ref().clone(),
            description: s.description.clone(),
            ty,
            optional: s.optional,
            nullable: s.nullable,
            deprecated: s.deprecated.clone(),
            constraints,
            origin: Self::origin(file, fname.span()),
        })
    }

    /// Resolves a type expression string (with its span in the file).
    pub(in crate::load) fn resolve_expr(
        &mut self,
        file: usize,
        text: &SpannedString,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Option<TypeRef> {
        let content_start = string_content_start(&self.sources[file].text, text.span());
        let at = |r: Range<usize>| match content_start {
            Some(s) => (s + r.start)..(s + r.end),
            None => text.span(),
        };
        let expr = match typeexpr::parse(text.get_ref()) {
            Ok(e) => e,
            Err(e) => {
                let help = if e.message.contains("nested more than") {
                    format!("at most {} levels of `<...>` fit in one type expression: declare an inner part as a named type (`[types.X]` with `type = \"...\"`) and use its name", typeexpr::MAX_NESTING)
                } else {
                    "type expressions look like `string`, `uuid`, `User`, `array<PhoneNumber>`, `map<string>`, `partial<User>`".to_string()
                };
                self.located(
                    ErrorKind::BadTypeExpr,
                    file,
                    at(e.span),
                    format!("invalid type expression `{}`", shorten(text.get_ref())),
                    e.message,
                    help,
                );
                return None;
            }
        };
        self.resolve_parsed(file, &expr, &at, declared, partials)
    }

    pub(in crate::load) fn resolve_parsed(
        &mut self,
        file: usize,
        e: &typeexpr::TypeExpr,
        at: &dyn Fn(Range<usize>) -> Range<usize>,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Option<TypeRef> {
        let name = e.name.as_str();
        let generic = GENERICS.contains(&name);
        if generic != e.arg.is_some() {
            let msg = if generic {
                format!("`{name}` needs a type argument, e.g. `{name}<string>`")
            } else {
                format!("`{name}` takes no type argument")
            };
            let diag = Diagnostic::new(
                ErrorKind::BadTypeExpr,
                &self.texts[file],
                at(e.span.clone()),
                msg,
            )
            .help("only `array<T>`, `map<T>` and `partial<Object>` take an argument");
            self.diags.push(diag);
            return None;
        }
        if let Some(arg) = &e.arg {
            if name == "partial" {
                let target = arg.name.as_str();
                if arg.arg.is_some() || !declared.contains_key(target) {
                    if is_builtin(target) || arg.arg.is_some() {
                        let diag = Diagnostic::new(
                            ErrorKind::NotAnObject,
                            &self.texts[file],
                            at(arg.span.clone()),
                            format!("`partial<{target}>` needs an object type"),
                        )
                        .help("`partial<T>` makes every field of the object type `T` optional");
                        self.diags.push(diag);
                    } else {
                        self.unknown_type(file, target, at(arg.span.clone()), declared);
                    }
                    return None;
                }
                let d = &declared[target];
                if d.spec.get_ref().fields.is_none() {
                    let diag = Diagnostic::new(ErrorKind::NotAnObject, &self.texts[file], at(arg.span.clone()), format!("`partial<{target}>` needs an object type, and `{target}` is not an object"))
                        .help("`partial<T>` makes every field of the object type `T` optional");
                    self.diags.push(diag);
                    return None;
                }
                let pname = naming::partial_name(target);
                partials.entry(pname.clone()).or_insert_with(|| {
                    (target.to_string(), Self::origin(file, at(e.span.clone())))
                });
                return Some(TypeRef::Named(pname));
            }
            let inner = self.resolve_parsed(file, arg, at, declared, partials)?;
            return Some(if name == "array" {
                TypeRef::Array(Box::new(inner))
            } else {
                TypeRef::Map(Box::new(inner))
            });
        }
        if let Some((f, _)) = StringFormat::ALL.iter().find(|(_, k)| *k == name) {
            return Some(TypeRef::String(*f));
        }
        match name {
            "integer" => return Some(TypeRef::Integer),
            "number" => return Some(TypeRef::Number),
            "boolean" => return Some(TypeRef::Boolean),
            "json" => return Some(TypeRef::Json),
            _ => {}
        }
        if declared.contains_key(name) {
            return Some(TypeRef::Named(name.to_string()));
        }
        self.unknown_type(file, name, at(e.span.clone()), declared);
        None
    }

    pub(in crate::load) fn unknown_type(
        &mut self,
        file: usize,
        name: &str,
        span: Range<usize>,
        declared: &BTreeMap<String, Declared>,
    ) {
        let builtins = StringFormat::ALL
            .iter()
            .map(|(_, k)| *k)
            .chain(SCALARS)
            .chain(GENERICS);
        let candidates: Vec<&str> = declared
            .keys()
            .map(String::as_str)
            .chain(builtins)
            .collect();
        let hint = did_you_mean(name, candidates.iter().copied()).or_else(|| {
            candidates
                .iter()
                .find(|c| c.eq_ignore_ascii_case(name))
                .copied()
        });
        let diag = self.undeclared_type(
            &Self::origin(file, span),
            format!("unknown type `{name}`"),
            hint,
            format!("declare it with `[types.{name}]`, or use a built-in: string, integer, number, boolean, json, uuid, email, uri, date, date-time, local-date-time"),
        );
        self.diags.push(diag);
    }
}

pub(in crate::load) fn is_builtin(name: &str) -> bool {
    StringFormat::ALL.iter().any(|(_, k)| *k == name)
        || SCALARS.contains(&name)
        || GENERICS.contains(&name)
}

pub(in crate::load) fn is_segment(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The type a type reference stands for once aliases are followed, as far
/// as constraint checks need it (`None` for unknown names and objects).
pub(in crate::load) fn dealias(
    ty: &TypeRef,
    declared: &BTreeMap<String, Declared>,
) -> Option<TypeRef> {
    let end = crate::model::follow_aliases(Some(ty.clone()), declared.len(), |t| match t {
        Some(TypeRef::Named(n)) => Some(alias_step(n, declared)),
        _ => None,
    });
    match end {
        Some(TypeRef::Named(_)) => None,
        Some(TypeRef::Const(_)) => Some(TypeRef::String(StringFormat::Plain)),
        other => other,
    }
}

/// One link of an alias chain in the declared types: what `name` stands
/// for (an enum is a string; an array or map alias is as far as the
/// constraint checks look; `None` for unknown names, objects and aliases
/// that do not parse).
fn alias_step(name: &str, declared: &BTreeMap<String, Declared>) -> Option<TypeRef> {
    let spec = declared.get(name)?.spec.get_ref();
    if spec.values.is_some() {
        return Some(TypeRef::String(StringFormat::Plain));
    }
    let parsed = typeexpr::parse(spec.alias.as_ref()?.get_ref()).ok()?;
    match (parsed.name.as_str(), parsed.arg) {
        ("array", Some(_)) => Some(TypeRef::Array(Box::new(TypeRef::Json))),
        ("map", Some(_)) => Some(TypeRef::Map(Box::new(TypeRef::Json))),
        (n, None) => Some(match StringFormat::ALL.iter().find(|(_, k)| *k == n) {
            Some((f, _)) => TypeRef::String(*f),
            None => match n {
                "integer" => TypeRef::Integer,
                "number" => TypeRef::Number,
                "boolean" => TypeRef::Boolean,
                "json" => TypeRef::Json,
                other => TypeRef::Named(other.to_string()),
            },
        }),
        _ => None,
    }
}
