//! Catalog files -> checked, resolved [`Catalog`].
//!
//! [`resolve`] reads parsed files and reports every problem it finds (it
//! does not stop at the first), each as a [`Diagnostic`] with a span.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics, ErrorKind, SourceText};
use crate::format::{self, CatalogFile, FieldSpec, SpannedString, StatusSpec, TypeSpec};
use crate::model::*;
use crate::naming;
use crate::typeexpr;

/// Built-in type keywords (besides string formats).
/// The longest event code accepted: codes become file names
/// (`<code>.schema.json`), which most file systems limit to 255 bytes.
pub const MAX_CODE_LEN: usize = 200;

const GENERICS: [&str; 3] = ["array", "map", "partial"];
const SCALARS: [&str; 4] = ["integer", "number", "boolean", "json"];

/// Resolves the files of one catalog (already read; `sources` sorted by path).
pub fn resolve(sources: Vec<SourceFile>) -> Result<Catalog, Diagnostics> {
    resolve_in(sources, None)
}

/// Like [`resolve`], for the catalog in folder `root`: example files must
/// be inside it. Without a root, the folder holding every source file is
/// the root.
pub fn resolve_in(sources: Vec<SourceFile>, root: Option<&Path>) -> Result<Catalog, Diagnostics> {
    let root = match root {
        Some(r) => normalize_lexically(r),
        None => common_parent(&sources),
    };
    let mut r = Resolver {
        root,
        texts: sources
            .iter()
            .map(|s| SourceText::new(s.path.clone(), s.text.clone()))
            .collect(),
        sources,
        diags: Vec::new(),
        broken: Vec::new(),
    };
    let files = r.parse_all();
    let catalog = r.build(files);
    let broken = std::mem::take(&mut r.broken);
    let mut diags = Diagnostics(r.diags);
    // A file that did not parse may declare the sections and types others
    // need: errors about them missing would be noise until it is fixed. Only
    // those it may declare are dropped (all, if it is not even TOML).
    let may_declare = |section: &str, name: Option<&str>| {
        broken.iter().any(|b| match b {
            None => true,
            Some(table) => match name {
                None => table.contains_key(section),
                Some(n) => table
                    .get(section)
                    .and_then(|t| t.as_table())
                    .is_some_and(|t| t.contains_key(n)),
            },
        })
    };
    diags.0.retain(|d| match d.kind {
        ErrorKind::MissingSection => {
            let section = backticked(&d.message).trim_matches(['[', ']']).to_string();
            !may_declare(&section, None)
        }
        ErrorKind::UnknownType => !may_declare("types", Some(backticked(&d.message))),
        _ => true,
    });
    if diags.is_empty() {
        Ok(catalog)
    } else {
        diags.sort();
        Err(diags)
    }
}

struct Resolver {
    /// The catalog folder (lexically normalised): example files must be in it.
    root: PathBuf,
    sources: Vec<SourceFile>,
    texts: Vec<SourceText>,
    diags: Vec<Diagnostic>,
    /// Files that did not load: their top-level TOML table, or `None` when
    /// the file is not even TOML.
    broken: Vec<Option<toml::Table>>,
}

/// Codes declared so far, and the Rust variant names they take.
#[derive(Default)]
struct SeenCodes {
    codes: HashMap<String, Origin>,
    idents: HashMap<String, (String, Origin)>,
}

/// A declared type waiting to be resolved.
struct Declared<'f> {
    file: usize,
    name: &'f SpannedString,
    spec: &'f Spanned<TypeSpec>,
}

impl Resolver {
    fn err(
        &mut self,
        kind: ErrorKind,
        file: usize,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(kind, &self.texts[file], span, msg);
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn origin(file: usize, span: Range<usize>) -> Origin {
        Origin { file, span }
    }

    // ---------------------------------------------------------------- parse

    fn parse_all(&mut self) -> Vec<Option<CatalogFile>> {
        (0..self.sources.len()).map(|i| self.parse_one(i)).collect()
    }

    fn parse_one(&mut self, i: usize) -> Option<CatalogFile> {
        let text = self.sources[i].text.clone();
        // Parsed once when it loads; on an error, parsed again as a plain
        // table to tell a TOML syntax error from a catalog-format one (and
        // to keep what the broken file may declare).
        let format_error = match format::parse(&text) {
            Ok(f) => return Some(f),
            Err(e) => e,
        };
        match text.parse::<toml::Table>() {
            Err(e) => {
                self.broken.push(None);
                let span = e.span().unwrap_or(0..0);
                self.err(
                    ErrorKind::Syntax,
                    i,
                    span,
                    format!("invalid TOML: {}", e.message().trim()),
                )
                .label = "here".into();
                None
            }
            Ok(table) => {
                self.broken.push(Some(table));
                let span = format_error.span().unwrap_or(0..0);
                let msg = format_error.message().trim().to_string();
                let (kind, help) = classify_serde_error(&msg);
                let d = self.err(kind, i, span, msg);
                d.help = help;
                None
            }
        }
    }

    // ---------------------------------------------------------------- build

    fn build(&mut self, files: Vec<Option<CatalogFile>>) -> Catalog {
        let mut meta: Option<(usize, &Spanned<format::CatalogMeta>)> = None;
        let mut envelope: Option<(usize, &Spanned<format::EnvelopeSpec>)> = None;
        let mut delivery: Option<(usize, &Spanned<format::DeliverySpec>)> = None;
        let mut declared: BTreeMap<String, Declared> = BTreeMap::new();

        for (i, f) in files.iter().enumerate() {
            let Some(f) = f else { continue };
            if let Some(m) = &f.catalog {
                if let Some((first, prev)) = meta {
                    let note_src = self.texts[first].clone();
                    let d = Diagnostic::new(
                        ErrorKind::DuplicateSection,
                        &self.texts[i],
                        header_span(m),
                        "`[catalog]` is declared twice",
                    )
                    .note(&note_src, header_span(prev), "first declared here")
                    .help("keep one `[catalog]` table for the whole catalog");
                    self.diags.push(d);
                } else {
                    meta = Some((i, m));
                }
            }
            if let Some(e) = &f.envelope {
                if let Some((first, prev)) = envelope {
                    let note_src = self.texts[first].clone();
                    let d = Diagnostic::new(
                        ErrorKind::DuplicateSection,
                        &self.texts[i],
                        header_span(e),
                        "`[envelope]` is declared twice",
                    )
                    .note(&note_src, header_span(prev), "first declared here")
                    .help("keep one `[envelope]` table for the whole catalog");
                    self.diags.push(d);
                } else {
                    envelope = Some((i, e));
                }
            }
            if let Some(e) = &f.delivery {
                if let Some((first, prev)) = delivery {
                    let note_src = self.texts[first].clone();
                    let d = Diagnostic::new(
                        ErrorKind::DuplicateSection,
                        &self.texts[i],
                        header_span(e),
                        "`[delivery]` is declared twice",
                    )
                    .note(&note_src, header_span(prev), "first declared here")
                    .help("keep one `[delivery]` table for the whole catalog");
                    self.diags.push(d);
                } else {
                    delivery = Some((i, e));
                }
            }
            for (name, spec) in &f.types {
                if let Some(prev) = declared.get(name.get_ref()) {
                    let note_src = self.texts[prev.file].clone();
                    let d = Diagnostic::new(
                        ErrorKind::DuplicateType,
                        &self.texts[i],
                        name.span(),
                        format!("type `{}` is declared twice", name.get_ref()),
                    )
                    .label("declared again here")
                    .note(&note_src, prev.name.span(), "first declared here")
                    .help("type names are shared by every file of the catalog; rename one of them");
                    self.diags.push(d);
                    continue;
                }
                declared.insert(
                    name.get_ref().clone(),
                    Declared {
                        file: i,
                        name,
                        spec,
                    },
                );
            }
        }
        let (name, version, title, description) = match meta {
            Some((_, m)) => {
                let m = m.get_ref();
                (
                    m.name.get_ref().clone(),
                    m.version.get_ref().clone(),
                    m.title.clone().unwrap_or_else(|| m.name.get_ref().clone()),
                    m.description.clone(),
                )
            }
            None => {
                self.missing_section(
                    "catalog",
                    "[catalog]\nname = \"my-webhooks\"\nversion = \"1.0.0\"",
                );
                Default::default()
            }
        };

        // Types: names first, then bodies (bodies may refer to any name).
        let mut partials: BTreeMap<String, (String, Origin)> = BTreeMap::new();
        self.check_type_names(&declared);
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        for (tname, d) in &declared {
            if let Some(def) = self.resolve_type(tname, d, &declared, &mut partials) {
                types.insert(tname.clone(), def);
            }
        }
        for (pname, (of, origin)) in &partials {
            if let Some(prev) = declared.get(pname) {
                let note_src = self.texts[prev.file].clone();
                let d = Diagnostic::new(
                    ErrorKind::NameCollision,
                    &self.texts[origin.file],
                    origin.span.clone(),
                    format!(
                        "`partial<{of}>` derives a type named `{pname}`, which is already declared"
                    ),
                )
                .note(&note_src, prev.name.span(), "declared here")
                .help(format!("rename the declared `{pname}`"));
                self.diags.push(d);
                continue;
            }
            if let Some(TypeKind::Object(obj)) = types.get(of).map(|t| &t.kind) {
                let fields = obj
                    .fields
                    .iter()
                    .map(|f| Field {
                        optional: true,
                        ..f.clone()
                    })
                    .collect();
                types.insert(
                    pname.clone(),
                    TypeDef {
                        name: pname.clone(),
                        description: format!(
                            "`{of}` with every field optional: a snapshot of the fields that changed."
                        ),
                        kind: TypeKind::Object(ObjectType { fields }),
                        derived_from: Some(of.clone()),
                        origin: origin.clone(),
                    },
                );
            }
        }

        let envelope = match envelope {
            Some((i, e)) => self.resolve_envelope(i, e, &declared, &mut partials),
            None => {
                self.missing_section(
                    "envelope",
                    "[envelope]\ndiscriminator = \"code\"\npayload = \"data\"",
                );
                Envelope {
                    description: String::new(),
                    discriminator: "code".into(),
                    payload: "data".into(),
                    fields: Vec::new(),
                }
            }
        };

        let (families, events) = self.resolve_families(&files, &types, &envelope.discriminator);
        if let Some((i, m)) = meta {
            self.check_since(&files, i, &m.get_ref().version);
        }

        self.check_type_idents(&types);
        self.check_infinite(&types);
        self.check_alias_depth(&types);
        self.check_event_depth(&types, &events);
        let acknowledged = self.resolve_acknowledgements(&files);
        let delivery = delivery.map(|(i, d)| self.resolve_delivery(i, d.get_ref()));

        Catalog {
            name,
            version,
            title,
            description,
            envelope,
            delivery,
            families,
            events,
            types,
            // The resolver is done with them (the diagnostics hold `texts`).
            sources: std::mem::take(&mut self.sources),
            acknowledged,
        }
    }

    /// Every event's `since` is a version no later than the catalog's.
    /// Compared as semantic versions (`1.2.0`, `2.0.0-rc.1`), and only when
    /// the catalog's version is one: a catalog may use another scheme.
    fn check_since(
        &mut self,
        files: &[Option<CatalogFile>],
        meta_file: usize,
        version: &SpannedString,
    ) {
        let Ok(current) = semver::Version::parse(version.get_ref()) else {
            return;
        };
        for (i, f) in files.iter().enumerate() {
            let Some(f) = f else { continue };
            for ev in &f.event {
                let Some(since) = &ev.get_ref().since else {
                    continue;
                };
                let span = since.span();
                let note_src = self.texts[meta_file].clone();
                match semver::Version::parse(since.get_ref()) {
                    Err(e) => {
                        let d = Diagnostic::new(
                            ErrorKind::InvalidValue,
                            &self.texts[i],
                            span,
                            format!("`since = \"{}\"` is not a semantic version ({e})", since.get_ref()),
                        )
                        .note(&note_src, version.span(), "the catalog's version, a semantic version")
                        .help(format!("write the catalog version that introduced the code, e.g. `since = \"{current}\"`"));
                        self.diags.push(d);
                    }
                    Ok(v) if v > current => {
                        let d = Diagnostic::new(
                            ErrorKind::InvalidValue,
                            &self.texts[i],
                            span,
                            format!("`since = \"{v}\"` is later than the catalog's version `{current}`"),
                        )
                        .note(&note_src, version.span(), "the catalog's version")
                        .help("a code is introduced in this version or an earlier one: lower `since`, or raise the catalog's `version`");
                        self.diags.push(d);
                    }
                    Ok(_) => {}
                }
            }
        }
    }

    /// `[[acknowledge]]` tables of every file, in file order.
    fn resolve_acknowledgements(&mut self, files: &[Option<CatalogFile>]) -> Vec<Acknowledgement> {
        let mut out = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let Some(f) = f else { continue };
            for ack in &f.acknowledge {
                let spec = ack.get_ref();
                let rule = spec.rule.get_ref();
                let id = crate::diff::RuleId::parse(rule);
                if id.is_none() {
                    let hint = did_you_mean(rule, crate::diff::rules::ids());
                    self.err(
                        ErrorKind::InvalidValue,
                        i,
                        spec.rule.span(),
                        format!("`{rule}` is not a rule of `eventcat diff`"),
                    )
                    .help = Some(match hint {
                        Some(h) => format!("did you mean `{h}`?"),
                        None => {
                            "use a rule id as `eventcat diff` prints it (the README lists them)"
                                .into()
                        }
                    });
                }
                if spec.code.is_none() && spec.path.is_none() {
                    self.err(
                        ErrorKind::MissingKey,
                        i,
                        header_span(ack),
                        "`[[acknowledge]]` needs a `code` or a `path`",
                    )
                    .help = Some(
                        "name what the break is about, e.g. `code = \"dir_sync.user.update.success\"` or `path = \"data.user.emails\"`"
                            .into(),
                    );
                }
                if spec.reason.trim().is_empty() {
                    self.err(
                        ErrorKind::InvalidValue,
                        i,
                        header_span(ack),
                        "`[[acknowledge]]` has an empty `reason`",
                    )
                    .help = Some("say why the break is intended".into());
                }
                // An unknown rule is an error above: the catalog does not load.
                let Some(rule) = id else { continue };
                out.push(Acknowledgement {
                    rule,
                    code: spec.code.clone(),
                    path: spec.path.clone(),
                    reason: spec.reason.trim().to_string(),
                    origin: Self::origin(i, header_span(ack)),
                });
            }
        }
        out
    }

    fn missing_section(&mut self, section: &str, example: &str) {
        let src = self
            .texts
            .first()
            .cloned()
            .unwrap_or_else(|| SourceText::new("<catalog>", ""));
        let msg = if self.texts.is_empty() {
            format!("the catalog has no `.toml` files, so no `[{section}]` table")
        } else {
            format!("no file of the catalog declares `[{section}]`")
        };
        self.diags.push(
            Diagnostic::new(ErrorKind::MissingSection, &src, 0..0, msg).help(format!(
                "add to one file (usually `catalog.toml`):\n{example}"
            )),
        );
    }

    // ---------------------------------------------------------------- types

    fn check_type_names(&mut self, declared: &BTreeMap<String, Declared>) {
        for (name, d) in declared {
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                let suggestion = naming::pascal_case(name);
                let diag = Diagnostic::new(
                    ErrorKind::InvalidValue,
                    &self.texts[d.file],
                    d.name.span(),
                    format!("`{name}` is not a valid type name"),
                )
                .label("type names are ASCII letters, digits and `_`, starting with a letter")
                .help(format!("call it `{suggestion}`"));
                self.diags.push(diag);
            } else if is_builtin(name) {
                let diag = Diagnostic::new(ErrorKind::DuplicateType, &self.texts[d.file], d.name.span(), format!("`{name}` is a built-in type"))
                    .help("pick another name; built-ins are string, integer, number, boolean, json, the string formats, array, map and partial");
                self.diags.push(diag);
            } else if naming::RESERVED_TYPE_NAMES.contains(&naming::type_ident(name).as_str()) {
                let diag = Diagnostic::new(
                    ErrorKind::DuplicateType,
                    &self.texts[d.file],
                    d.name.span(),
                    format!("`{name}` is a name the generated Rust code uses itself"),
                )
                .help(format!(
                    "pick another name (reserved: {})",
                    naming::RESERVED_TYPE_NAMES.join(", ")
                ));
                self.diags.push(diag);
            }
        }
    }

    fn resolve_type(
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

    fn resolve_enum(
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
                let src = self.texts[file].clone();
                let diag = Diagnostic::new(
                    ErrorKind::BadEnum,
                    &src,
                    v.span(),
                    format!("value `{val}` is listed twice in enum `{name}`"),
                )
                .note(&src, prev.clone(), "first listed here")
                .help("remove one of them");
                self.diags.push(diag);
                continue;
            }
            seen.insert(val, v.span());
            let ident = naming::pascal_case(val);
            if let Some((other, prev)) = idents.get(&ident) {
                let src = self.texts[file].clone();
                let diag = Diagnostic::new(ErrorKind::NameCollision, &src, v.span(), format!("enum values `{other}` and `{val}` both become the Rust variant `{name}::{ident}`"))
                    .note(&src, prev.clone(), format!("`{other}` is here"))
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
                let hint = did_you_mean(key.get_ref(), seen.keys().copied());
                let diag = Diagnostic::new(
                    ErrorKind::UnknownKey,
                    &self.texts[file],
                    key.span(),
                    format!("`{}` is not a value of enum `{name}`", key.get_ref()),
                )
                .help_opt(hint.map(|h| format!("did you mean `{h}`?")));
                self.diags.push(diag);
            }
        }
        EnumType {
            values: out,
            extensible,
        }
    }

    fn resolve_fields(
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
                let src = self.texts[file].clone();
                let diag = Diagnostic::new(
                    ErrorKind::NameCollision,
                    &src,
                    fname.span(),
                    format!(
                        "fields `{other}` and `{}` of {owner} both become the Rust field `{ident}`",
                        fname.get_ref()
                    ),
                )
                .note(&src, prev.clone(), format!("`{other}` is here"))
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

    fn resolve_field(
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

    fn check_constraints(
        &mut self,
        file: usize,
        fname: &SpannedString,
        ty: &TypeRef,
        c: &Constraints,
        declared: &BTreeMap<String, Declared>,
    ) {
        let base = dealias(ty, declared);
        let numeric = matches!(base, Some(TypeRef::Integer | TypeRef::Number));
        let stringy = matches!(base, Some(TypeRef::String(_)));
        let array = matches!(base, Some(TypeRef::Array(_)));
        let mut bad = Vec::new();
        if !numeric && (c.minimum.is_some() || c.maximum.is_some()) {
            bad.push("`minimum`/`maximum` apply to integer and number fields");
        }
        if !stringy && (c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()) {
            bad.push("`min_length`/`max_length`/`pattern` apply to string fields");
        }
        if !array && (c.min_items.is_some() || c.max_items.is_some()) {
            bad.push("`min_items`/`max_items` apply to array fields");
        }
        let inverted = matches!((c.minimum, c.maximum), (Some(a), Some(b)) if a > b)
            || matches!((c.min_length, c.max_length), (Some(a), Some(b)) if a > b)
            || matches!((c.min_items, c.max_items), (Some(a), Some(b)) if a > b);
        if inverted {
            bad.push("a lower bound is above its upper bound, so no value fits");
        }
        if c.minimum.is_some_and(|m| !m.is_finite()) || c.maximum.is_some_and(|m| !m.is_finite()) {
            bad.push("`minimum`/`maximum` must be finite numbers (JSON has no `nan` or `inf`)");
        }
        for why in bad {
            let diag = Diagnostic::new(
                ErrorKind::BadField,
                &self.texts[file],
                fname.span(),
                format!(
                    "constraint on field `{}` does not fit its type",
                    fname.get_ref()
                ),
            )
            .label(why)
            .help("remove the constraint or change the field's type");
            self.diags.push(diag);
        }
        if let Some(why) = c.pattern.as_deref().and_then(Self::pattern_problem) {
            let diag = Diagnostic::new(
                ErrorKind::InvalidValue,
                &self.texts[file],
                fname.span(),
                format!(
                    "the `pattern` of field `{}` cannot be used: {why}",
                    fname.get_ref()
                ),
            )
            .label("this field's `pattern`")
            .help("write a regular expression without look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) or back-references (`\\1`): every output (validators, fixtures, generated strategies) must agree on what it matches");
            self.diags.push(diag);
        }
    }

    /// Why `pattern` cannot be honoured by every output, if it cannot: it is
    /// not valid ECMA-262, or it needs look-around or back-references, which
    /// the linear-time engines (`regex`, the fixtures generator) do not have.
    fn pattern_problem(pattern: &str) -> Option<String> {
        let translated = match crate::pattern::to_rust_regex(pattern) {
            Ok(t) => t,
            Err(e) => return Some(e),
        };
        match regex_syntax::Parser::new().parse(&translated) {
            Ok(_) => None,
            Err(e) => {
                // The parser's own one-line reason (`look-around ... is not
                // supported`), not its multi-line rendering.
                let text = e.to_string();
                let reason = text
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("error: "))
                    .map_or(text.as_str(), |l| &l["error: ".len()..]);
                Some(format!("`{pattern}`: {reason}"))
            }
        }
    }

    /// Resolves a type expression string (with its span in the file).
    fn resolve_expr(
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
                let diag = Diagnostic::new(
                    ErrorKind::BadTypeExpr,
                    &self.texts[file],
                    at(e.span),
                    format!("invalid type expression `{}`", shorten(text.get_ref())),
                )
                .label(e.message)
                .help(help);
                self.diags.push(diag);
                return None;
            }
        };
        self.resolve_parsed(file, &expr, &at, declared, partials)
    }

    fn resolve_parsed(
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

    fn unknown_type(
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
        let help = match hint {
            Some(h) => format!("did you mean `{h}`?"),
            None => format!("declare it with `[types.{name}]`, or use a built-in: string, integer, number, boolean, json, uuid, email, uri, date, date-time, local-date-time"),
        };
        let diag = Diagnostic::new(
            ErrorKind::UnknownType,
            &self.texts[file],
            span,
            format!("unknown type `{name}`"),
        )
        .label("not declared anywhere in the catalog")
        .help(help);
        self.diags.push(diag);
    }

    // ---------------------------------------------------------------- delivery

    /// Reports an invalid value at `span`, with a label and a hint.
    fn located(
        &mut self,
        kind: ErrorKind,
        file: usize,
        span: Range<usize>,
        msg: impl Into<String>,
        label: &str,
        help: impl Into<String>,
    ) {
        let d = self.err(kind, file, span, msg);
        d.label = label.into();
        d.help = Some(help.into());
    }

    /// `[delivery]`: every value checked, errors at the value.
    fn resolve_delivery(&mut self, file: usize, spec: &format::DeliverySpec) -> Delivery {
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

    fn resolve_envelope(
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

    fn resolve_families(
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

    fn check_family_id(&mut self, file: usize, id: &SpannedString) {
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

    fn resolve_event(
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

    fn resolve_example(
        &mut self,
        file: usize,
        ex: &Spanned<format::ExampleSpec>,
        code: &str,
        disc: &str,
    ) -> Option<Example> {
        let spec = ex.get_ref();
        let (value, origin, path) = match (&spec.json, &spec.file) {
            (Some(j), None) => {
                let value = match serde_json::from_str::<serde_json::Value>(j.get_ref()) {
                    Ok(v) => v,
                    Err(e) => {
                        let span =
                            json_error_span(&self.sources[file].text, j.span(), j.get_ref(), &e);
                        self.err(ErrorKind::ExampleJson, file, span, format!("example of `{code}` is not valid JSON: {e}"))
                            .help = Some("write the example as a TOML literal string, `json = '''{ ... }'''`, so JSON escapes stay as written".into());
                        return None;
                    }
                };
                (value, Self::origin(file, j.span()), None)
            }
            (None, Some(p)) => {
                let base = self.sources[file].path.parent().unwrap_or(Path::new("."));
                let path = base.join(p.get_ref());
                if let Err(why) = self.check_inside_root(Path::new(p.get_ref()), &path) {
                    self.err(
                        ErrorKind::Io,
                        file,
                        p.span(),
                        format!("example file `{}` {why}", p.get_ref()),
                    )
                    .help = Some(format!(
                        "example files must be inside the catalog folder `{}`: use a relative path, without `..` leading out of it, and no symlink pointing outside",
                        self.root.display()
                    ));
                    return None;
                }
                let text = match crate::fsread::read_text(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        let help = match e {
                            crate::fsread::ReadError::Utf8 { .. } => {
                                "example files are UTF-8 JSON text".to_string()
                            }
                            crate::fsread::ReadError::NotRegular(_) => {
                                "an example file must be a regular file".to_string()
                            }
                            crate::fsread::ReadError::TooLarge { .. } => {
                                "an example is one event envelope: keep it small".to_string()
                            }
                            _ => {
                                "the path is relative to the catalog file that names it".to_string()
                            }
                        };
                        self.err(
                            ErrorKind::Io,
                            file,
                            p.span(),
                            format!("cannot read example file `{}`: {e}", path.display()),
                        )
                        .help = Some(help);
                        return None;
                    }
                };
                let idx = self.sources.len();
                let shared: std::sync::Arc<str> = text.as_str().into();
                self.sources.push(SourceFile {
                    path: path.clone(),
                    text: shared.clone(),
                });
                self.texts.push(SourceText::new(path.clone(), shared));
                let value = match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(v) => v,
                    Err(e) => {
                        let offset = offset_of_line_col(&text, e.line(), e.column());
                        self.err(
                            ErrorKind::ExampleJson,
                            idx,
                            offset..offset,
                            format!("example of `{code}` is not valid JSON: {e}"),
                        );
                        return None;
                    }
                };
                (value, Self::origin(idx, 0..0), Some(path))
            }
            _ => {
                self.err(
                    ErrorKind::BadField,
                    file,
                    header_span(ex),
                    format!("an example of `{code}` needs exactly one of `json` and `file`"),
                )
                .help = Some(
                    "inline: `json = '''{ ... }'''`; from a file: `file = \"examples/x.json\"`"
                        .into(),
                );
                return None;
            }
        };
        let Some(obj) = value.as_object() else {
            self.err(
                ErrorKind::ExampleJson,
                origin.file,
                origin.span.clone(),
                format!("example of `{code}` is not a JSON object"),
            )
            .help = Some(
                "an example is a whole event envelope: `{ \"code\": ..., \"data\": { ... } }`"
                    .into(),
            );
            return None;
        };
        let found = obj.get(disc);
        if found.and_then(|v| v.as_str()) != Some(code) {
            let found = found.map_or("nothing".to_string(), |v| v.to_string());
            let span = self.json_key_span(&origin, spec.json.is_some(), disc);
            self.err(
                ErrorKind::ExampleCode,
                origin.file,
                span,
                format!("example of `{code}` has `{disc}` = {found}"),
            )
            .help = Some(format!("set `\"{disc}\": \"{code}\"` in the example"));
        }
        Some(Example {
            name: spec.name.clone(),
            description: spec.description.clone(),
            value,
            origin,
            file: path,
        })
    }

    /// Whether the example file `rel` (as written), at `path`, is inside the
    /// catalog folder: not absolute, no `..` leading out, and (when it
    /// exists) its real path, symlinks resolved, inside the real folder.
    fn check_inside_root(&self, rel: &Path, path: &Path) -> Result<(), &'static str> {
        if rel.has_root() || rel.is_absolute() {
            return Err("is an absolute path");
        }
        let lexical = normalize_lexically(path);
        if lexical
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
            || !lexical.starts_with(&self.root)
        {
            return Err("is outside the catalog folder");
        }
        if let (Ok(real), Ok(real_root)) = (path.canonicalize(), self.root_real()) {
            if !real.starts_with(real_root) {
                return Err("resolves (through a symlink) outside the catalog folder");
            }
        }
        Ok(())
    }

    fn root_real(&self) -> std::io::Result<PathBuf> {
        if self.root.as_os_str().is_empty() {
            Path::new(".").canonicalize()
        } else {
            self.root.canonicalize()
        }
    }

    /// Span of the first `"key"` in an example's JSON text (inline or file),
    /// falling back to the whole example.
    fn json_key_span(&self, origin: &Origin, inline: bool, key: &str) -> Range<usize> {
        let text = &self.sources[origin.file].text;
        let (start, body) = if inline {
            match string_content_start(text, origin.span.clone()) {
                Some(s) => (s, &text[s..origin.span.end]),
                None => return origin.span.clone(),
            }
        } else {
            (0, &text[..])
        };
        let needle = format!("\"{key}\"");
        match body.find(&needle) {
            Some(i) => (start + i)..(start + i + needle.len()),
            None => origin.span.clone(),
        }
    }

    // ---------------------------------------------------------------- global checks

    fn check_type_idents(&mut self, types: &BTreeMap<String, TypeDef>) {
        let mut seen: BTreeMap<String, &TypeDef> = BTreeMap::new();
        for t in types.values() {
            let ident = naming::type_ident(&t.name);
            if let Some(prev) = seen.get(&ident) {
                // Derived types collide by name and were reported already.
                if prev.derived_from.is_some() || t.derived_from.is_some() {
                    continue;
                }
                let note_src = self.texts[prev.origin.file].clone();
                let d = Diagnostic::new(
                    ErrorKind::NameCollision,
                    &self.texts[t.origin.file],
                    t.origin.span.clone(),
                    format!(
                        "types `{}` and `{}` both become the Rust type `{ident}`",
                        prev.name, t.name
                    ),
                )
                .note(
                    &note_src,
                    prev.origin.span.clone(),
                    format!("`{}` is here", prev.name),
                )
                .help("rename one of them");
                self.diags.push(d);
            } else {
                seen.insert(ident, t);
            }
        }
    }

    /// Types that contain themselves with no way to stop: a cycle of
    /// required, non-nullable references (through fields, aliases, and
    /// arrays with `min_items` of at least 1). One depth-first search with
    /// colours, so linear in the catalog; one report per cycle found.
    fn check_infinite(&mut self, types: &BTreeMap<String, TypeDef>) {
        // Edges A -> B when every A value must hold a B value (the field on
        // the way, for the location).
        let mut edges: BTreeMap<&str, Vec<(&str, Option<&Field>)>> = BTreeMap::new();
        for t in types.values() {
            let out = edges.entry(t.name.as_str()).or_default();
            match &t.kind {
                TypeKind::Object(o) => {
                    for f in &o.fields {
                        if f.optional || f.nullable {
                            continue;
                        }
                        if let Some(n) = required_target(&f.ty, f.constraints.min_items) {
                            out.push((n, Some(f)));
                        }
                    }
                }
                TypeKind::Alias(ty) => {
                    if let Some(n) = required_target(ty, None) {
                        out.push((n, None));
                    }
                }
                TypeKind::Enum(_) => {}
            }
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Colour {
            White,
            Grey,
            Black,
        }
        let mut colour: HashMap<&str, Colour> = edges.keys().map(|k| (*k, Colour::White)).collect();
        let mut reported: BTreeSet<Vec<&str>> = BTreeSet::new();
        let mut cycles: Vec<Vec<(&str, Option<&Field>)>> = Vec::new();
        for start in edges.keys().copied() {
            if colour[start] != Colour::White {
                continue;
            }
            // The current path: (node, field that led to it, next edge index).
            let mut path: Vec<(&str, Option<&Field>, usize)> = vec![(start, None, 0)];
            colour.insert(start, Colour::Grey);
            while let Some(top) = path.last_mut() {
                let (node, idx) = (top.0, top.2);
                top.2 += 1;
                match edges[node].get(idx).copied() {
                    None => {
                        colour.insert(node, Colour::Black);
                        path.pop();
                    }
                    Some((to, field)) => match colour.get(to).copied() {
                        Some(Colour::White) => {
                            colour.insert(to, Colour::Grey);
                            path.push((to, field, 0));
                        }
                        Some(Colour::Grey) => {
                            // `to` is on the path: the cycle is from it to here.
                            let from = path.iter().position(|p| p.0 == to).unwrap_or(0);
                            let mut cycle: Vec<(&str, Option<&Field>)> = Vec::new();
                            for (i, p) in path[from..].iter().enumerate() {
                                // The field leaving each member is the next member's.
                                let leaving = path.get(from + i + 1).map_or(field, |n| n.1);
                                cycle.push((p.0, leaving));
                            }
                            let mut key: Vec<&str> = cycle.iter().map(|c| c.0).collect();
                            key.sort_unstable();
                            if reported.insert(key) {
                                cycles.push(cycle);
                            }
                        }
                        _ => {}
                    },
                }
            }
        }
        for mut cycle in cycles {
            // Start at the smallest name, so the report does not depend on
            // where the search came in.
            let min = (0..cycle.len()).min_by_key(|i| cycle[*i].0).unwrap_or(0);
            cycle.rotate_left(min);
            let start = cycle[0].0;
            let mut names: Vec<&str> = cycle.iter().map(|c| c.0).collect();
            names.push(start);
            let at = cycle
                .iter()
                .find_map(|c| c.1)
                .map(|f| f.origin.clone())
                .unwrap_or_else(|| types[start].origin.clone());
            let d = Diagnostic::new(ErrorKind::InfiniteType, &self.texts[at.file], at.span.clone(), format!("type `{start}` contains itself forever: {}", names.join(" -> ")))
                .label("required, not nullable, and not in an array or map")
                .help("make a field on the cycle `optional = true` or `nullable = true`, or hold it in `array<...>`");
            self.diags.push(d);
        }
    }

    /// Aliases that expand, through other aliases, into more than
    /// [`MAX_EXPANSION`] levels (alias hops plus `array`/`map` levels).
    /// Walks over types follow aliases one level at a time (emitters inline
    /// them), so this bounds their depth; computed once per alias.
    fn check_alias_depth(&mut self, types: &BTreeMap<String, TypeDef>) {
        let mut depth: HashMap<&str, usize> = HashMap::new();
        for t in types.values() {
            if !matches!(t.kind, TypeKind::Alias(_)) || depth.contains_key(t.name.as_str()) {
                continue;
            }
            // Follow the chain iteratively, then fill depths on the way back.
            let mut chain: Vec<(&str, usize)> = Vec::new();
            let mut on_chain: BTreeSet<&str> = BTreeSet::new();
            let mut cur = t.name.as_str();
            let base = loop {
                if let Some(d) = depth.get(cur) {
                    break *d;
                }
                if !on_chain.insert(cur) {
                    // A cycle of aliases (through arrays or maps: Rust makes
                    // it a newtype; directly: reported as infinite).
                    break 0;
                }
                let Some(TypeDef {
                    kind: TypeKind::Alias(ty),
                    ..
                }) = types.get(cur)
                else {
                    break 0;
                };
                let (levels, next) = unwrap_levels(ty);
                chain.push((cur, levels));
                match next {
                    Some(n)
                        if matches!(types.get(n).map(|t| &t.kind), Some(TypeKind::Alias(_))) =>
                    {
                        cur = n;
                    }
                    _ => break 0,
                }
            };
            let mut d = base;
            let mut over: Option<&str> = None;
            for (name, levels) in chain.iter().rev() {
                let below = d;
                d = d.saturating_add(levels + 1);
                depth.insert(name, d);
                // Only where the limit is crossed: aliases above it in the
                // chain are over too, and are not reported again.
                if d > MAX_EXPANSION && below <= MAX_EXPANSION && over.is_none() {
                    over = Some(name);
                }
            }
            // Report the alias where the limit is first passed (once per chain).
            if let Some(name) = over {
                let origin = types[name].origin.clone();
                let d = Diagnostic::new(
                    ErrorKind::BadTypeExpr,
                    &self.texts[origin.file],
                    origin.span.clone(),
                    format!("alias `{name}` expands, through other aliases, into more than {MAX_EXPANSION} levels"),
                )
                .label(format!("more than {MAX_EXPANSION} aliases and `array`/`map` levels before an object, an enum or a scalar"))
                .help(format!("at most {MAX_EXPANSION} levels fit: point the alias at the final type directly, or shorten the chain"));
                self.diags.push(d);
            }
        }
    }
}

impl Resolver {
    /// Payloads whose smallest valid value is nested more than
    /// [`MAX_PAYLOAD_DEPTH`] objects and arrays deep (a chain of required
    /// fields): JSON readers stop at 128 levels (serde_json, so the
    /// generated types and `eventcat validate` too), so no such event could
    /// be read. Computed once per type, without recursion; skipped when an
    /// infinite type was found (its depth has no bound).
    fn check_event_depth(&mut self, types: &BTreeMap<String, TypeDef>, events: &[Event]) {
        if self.diags.iter().any(|d| d.kind == ErrorKind::InfiniteType) {
            return;
        }
        let mut depth: HashMap<&str, usize> = HashMap::new();
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for ev in events {
            let root = ev.payload.as_str();
            // Iterative post-order: a type's depth once its targets have one.
            let mut stack: Vec<(&str, bool)> = vec![(root, false)];
            while let Some((name, expanded)) = stack.pop() {
                if depth.contains_key(name) {
                    continue;
                }
                let Some(t) = types.get(name) else {
                    depth.insert(name, 0);
                    continue;
                };
                let (own, next) = targets(t);
                if expanded {
                    let below = next
                        .iter()
                        .map(|(n, w)| depth.get(n).copied().unwrap_or(0).saturating_add(*w))
                        .max()
                        .unwrap_or(0);
                    depth.insert(name, own.saturating_add(below));
                } else {
                    stack.push((name, true));
                    for (n, _) in next {
                        if !depth.contains_key(n) {
                            stack.push((n, false));
                        }
                    }
                }
            }
            let d = depth.get(root).copied().unwrap_or(0);
            if d > MAX_PAYLOAD_DEPTH && reported.insert(root) {
                let origin = types[root].origin.clone();
                let diag = Diagnostic::new(
                    ErrorKind::TooDeep,
                    &self.texts[origin.file],
                    origin.span.clone(),
                    format!("every `{root}` value is nested {d} objects and arrays deep, more than {MAX_PAYLOAD_DEPTH}"),
                )
                .label("required fields lead this deep")
                .help(format!("JSON readers (serde_json, the generated types, `eventcat validate`) stop at 128 levels: keep payloads within {MAX_PAYLOAD_DEPTH}, e.g. make a field on the chain `optional = true`"));
                self.diags.push(diag);
            }
        }
    }
}

/// Most levels of objects and arrays the smallest value of a payload may
/// need (the envelope and room for optional fields fit under 128).
const MAX_PAYLOAD_DEPTH: usize = 100;

/// The JSON levels a type adds itself (1 for an object), and its required
/// targets with the JSON levels on the way.
fn targets(t: &TypeDef) -> (usize, Vec<(&str, usize)>) {
    match &t.kind {
        TypeKind::Object(o) => (
            1,
            o.fields
                .iter()
                .filter(|f| !f.optional && !f.nullable)
                .filter_map(|f| required_levels(&f.ty, f.constraints.min_items))
                .collect(),
        ),
        TypeKind::Alias(ty) => (0, required_levels(ty, None).into_iter().collect()),
        TypeKind::Enum(_) => (0, Vec::new()),
    }
}

/// Like [`required_target`], with the JSON levels (non-empty arrays) between.
fn required_levels(ty: &TypeRef, min_items: Option<u64>) -> Option<(&str, usize)> {
    match ty {
        TypeRef::Named(n) => Some((n.as_str(), 0)),
        TypeRef::Array(inner) if min_items.is_some_and(|m| m > 0) => {
            required_levels(inner, None).map(|(n, w)| (n, w + 1))
        }
        _ => None,
    }
}

/// Most levels an alias may expand into (see `check_alias_depth`).
const MAX_EXPANSION: usize = 256;

/// The named type every value of `ty` must hold, if any (arrays only when
/// they must have items).
fn required_target(ty: &TypeRef, min_items: Option<u64>) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n.as_str()),
        TypeRef::Array(inner) if min_items.is_some_and(|m| m > 0) => required_target(inner, None),
        _ => None,
    }
}

/// `array`/`map` levels around a type expression, and the name inside.
fn unwrap_levels(ty: &TypeRef) -> (usize, Option<&str>) {
    let mut levels = 0;
    let mut ty = ty;
    loop {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => {
                levels += 1;
                ty = inner;
            }
            TypeRef::Named(n) => return (levels, Some(n.as_str())),
            _ => return (levels, None),
        }
    }
}

/// The first `` `...` `` part of a message.
fn backticked(msg: &str) -> &str {
    msg.split('`').nth(1).unwrap_or("")
}

/// A long catalog string cut for a one-line message.
fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX).collect();
    format!("{head}...")
}

fn is_builtin(name: &str) -> bool {
    StringFormat::ALL.iter().any(|(_, k)| *k == name)
        || SCALARS.contains(&name)
        || GENERICS.contains(&name)
}

fn is_segment(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The type a type reference stands for once aliases are followed (one level
/// deep is enough for constraint checks; `None` for unknown names).
fn dealias(ty: &TypeRef, declared: &BTreeMap<String, Declared>) -> Option<TypeRef> {
    let mut ty = ty.clone();
    for _ in 0..16 {
        match &ty {
            TypeRef::Named(n) => {
                let d = declared.get(n)?;
                let spec = d.spec.get_ref();
                if spec.values.is_some() {
                    return Some(TypeRef::String(StringFormat::Plain));
                }
                let alias = spec.alias.as_ref()?;
                let parsed = typeexpr::parse(alias.get_ref()).ok()?;
                ty = match (parsed.name.as_str(), parsed.arg) {
                    ("array", Some(_)) => return Some(TypeRef::Array(Box::new(TypeRef::Json))),
                    ("map", Some(_)) => return Some(TypeRef::Map(Box::new(TypeRef::Json))),
                    (n, None) => match StringFormat::ALL.iter().find(|(_, k)| *k == n) {
                        Some((f, _)) => TypeRef::String(*f),
                        None => match n {
                            "integer" => TypeRef::Integer,
                            "number" => TypeRef::Number,
                            "boolean" => TypeRef::Boolean,
                            "json" => TypeRef::Json,
                            other => TypeRef::Named(other.to_string()),
                        },
                    },
                    _ => return None,
                };
            }
            TypeRef::Const(_) => return Some(TypeRef::String(StringFormat::Plain)),
            other => return Some(other.clone()),
        }
    }
    None
}

/// Span of a table header: the start of the table's span (one byte long, so
/// the label points at the `[`).
fn header_span<T>(s: &Spanned<T>) -> Range<usize> {
    let start = s.span().start;
    start..start
}

/// Byte offset where a TOML string's content starts, when the content is the
/// same bytes as the value (a literal string, or a basic string without
/// escapes); `None` when offsets inside the value do not map to the file.
pub fn string_content_start(text: &str, span: Range<usize>) -> Option<usize> {
    let raw = text.get(span.clone())?;
    for delim in ["'''", "\"\"\""] {
        if raw.starts_with(delim) {
            if delim == "\"\"\"" && raw.contains('\\') {
                return None;
            }
            let mut start = span.start + 3;
            // A newline right after the opening delimiter is trimmed.
            if text[start..].starts_with("\r\n") {
                start += 2;
            } else if text[start..].starts_with('\n') {
                start += 1;
            }
            return Some(start);
        }
    }
    if raw.starts_with('\'') || (raw.starts_with('"') && !raw.contains('\\')) {
        return Some(span.start + 1);
    }
    None
}

/// Where in the TOML file a JSON syntax error inside a string value is.
fn json_error_span(
    text: &str,
    span: Range<usize>,
    content: &str,
    e: &serde_json::Error,
) -> Range<usize> {
    match string_content_start(text, span.clone()) {
        Some(start) => {
            let off = offset_of_line_col(content, e.line(), e.column());
            let at = start + off;
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            at..end
        }
        None => span,
    }
}

/// Byte offset of a 1-based line and column (serde_json counts columns in
/// bytes; column 0 means before the first byte of the line).
fn offset_of_line_col(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1).min(l.len());
            let mut at = off + col;
            while at > 0 && !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        off += l.len();
    }
    text.len()
}

/// Kind and hint for a serde error from the TOML deserializer.
fn classify_serde_error(msg: &str) -> (ErrorKind, Option<String>) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let found = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = match did_you_mean(found, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if !expected.is_empty() => format!("allowed keys here: {}", expected.join(", ")),
            None => "remove this key".to_string(),
        };
        return (ErrorKind::UnknownKey, Some(help));
    }
    if msg.starts_with("missing field") {
        return (
            ErrorKind::MissingKey,
            Some("add the missing key to this table".to_string()),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let found = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split_once("expected")
            .map(|(_, e)| e.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let help = did_you_mean(found, expected.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .unwrap_or_else(|| format!("allowed values: {}", expected.join(", ")));
        return (ErrorKind::InvalidValue, Some(help));
    }
    (ErrorKind::InvalidValue, None)
}

/// `p` with `.` removed and `..` applied lexically (a `..` that cannot be
/// applied is kept).
fn normalize_lexically(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir) | Some(Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// The deepest folder holding every source file (lexically normalised).
fn common_parent(sources: &[SourceFile]) -> PathBuf {
    let mut parents = sources
        .iter()
        .map(|s| normalize_lexically(s.path.parent().unwrap_or(Path::new(""))));
    let Some(mut root) = parents.next() else {
        return PathBuf::new();
    };
    for p in parents {
        while !p.starts_with(&root) {
            if !root.pop() {
                return PathBuf::new();
            }
        }
    }
    root
}

/// Reads every `*.toml` file below `dir` (hidden folders skipped), sorted by path.
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, Diagnostics> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let io_err = |p: &Path, e: std::io::Error| {
        let src = SourceText::new(p.to_path_buf(), "");
        Diagnostics(vec![Diagnostic::new(
            ErrorKind::Io,
            &src,
            0..0,
            format!("cannot read `{}`: {e}", p.display()),
        )
        .help(
            "pass the catalog folder with `--catalog DIR` (default `./schema`)",
        )])
    };
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| io_err(&d, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_err(&d, e))?;
            let path = entry.path();
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let ft = entry.file_type().map_err(|e| io_err(&path, e))?;
            if ft.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        match crate::fsread::read_text(&p) {
            Ok(text) => out.push(SourceFile {
                path: p,
                text: text.into(),
            }),
            Err(e) => diags.push(read_error_diagnostic(&p, e)),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(diags))
    }
}

/// The diagnostic for a catalog file that could not be read.
fn read_error_diagnostic(p: &Path, e: crate::fsread::ReadError) -> Diagnostic {
    use crate::fsread::ReadError;
    match e {
        ReadError::Utf8 { text, offset } => {
            let src = SourceText::new(p.to_path_buf(), text.as_str());
            let end = text[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            Diagnostic::new(
                ErrorKind::Io,
                &src,
                offset..end,
                format!("`{}` is not valid UTF-8", p.display()),
            )
            .help("catalog files are UTF-8 text: re-save this file as UTF-8 (the first invalid byte is marked)")
        }
        e => {
            let help = match &e {
                ReadError::NotRegular(_) => {
                    "catalog files must be regular files (or symlinks to one): remove it or rename it so it does not end in `.toml`".to_string()
                }
                ReadError::TooLarge { .. } => "split the catalog into smaller files".to_string(),
                _ => "pass the catalog folder with `--catalog DIR` (default `./schema`)".to_string(),
            };
            let src = SourceText::new(p.to_path_buf(), "");
            Diagnostic::new(
                ErrorKind::Io,
                &src,
                0..0,
                format!("cannot read `{}`: {e}", p.display()),
            )
            .help(help)
        }
    }
}
