//! Catalog files -> checked, resolved [`Catalog`].
//!
//! [`resolve`] reads parsed files and reports every problem it finds (it
//! does not stop at the first), each as a [`Diagnostic`] with a span. The
//! stages, in order:
//! - `files`: where the files come from (a folder, or memory);
//! - `discover`: the catalog's files, read;
//! - `syntax`: each file parsed once (TOML into the file format's types);
//! - this module: the parsed files built into one model;
//! - `lower`: type specs to the model's types, references resolved;
//! - `events`: the envelope, families and events;
//! - `delivery`: the delivery rules;
//! - `check`: what needs the whole catalog: names, the type graph,
//!   constraints, lifecycle, examples;
//! - `span`: where a problem is, and how to say it;
//! - `report`: the shapes of diagnostic the stages share (declared twice,
//!   two names for one Rust name, an unknown name, a value wrong at its key).

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

mod check;
mod delivery;
mod discover;
mod events;
mod files;
mod lower;
mod report;
mod span;
mod syntax;

#[allow(unused_imports)]
use discover::*;
pub use discover::{read_dir, read_sources};
pub use files::{CatalogFiles, FolderFiles, MemoryFiles};
#[allow(unused_imports)]
use lower::*;
#[allow(unused_imports)]
use report::*;
pub use span::string_content_start;
#[allow(unused_imports)]
use span::*;

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
/// the root. Example files are read from disk.
pub fn resolve_in(sources: Vec<SourceFile>, root: Option<&Path>) -> Result<Catalog, Diagnostics> {
    let files = FolderFiles::new(match root {
        Some(r) => r.to_path_buf(),
        None => common_parent(&sources),
    });
    resolve_with(sources, &files)
}

/// Like [`resolve`], for the catalog `files` (`sources` read from them,
/// see [`read_sources`]): example files are read from `files` too, and
/// must be inside its root.
pub fn resolve_with(
    sources: Vec<SourceFile>,
    files: &dyn CatalogFiles,
) -> Result<Catalog, Diagnostics> {
    let mut r = Resolver {
        root: normalize_lexically(files.root()),
        files,
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

struct Resolver<'c> {
    /// The catalog folder (lexically normalised): example files must be in it.
    root: PathBuf,
    /// Where example files are read from.
    files: &'c dyn CatalogFiles,
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

/// What the catalog has one of (the first of each, with its file), and
/// its declared types by name.
#[derive(Default)]
struct Sections<'f> {
    meta: Option<(usize, &'f Spanned<format::CatalogMeta>)>,
    envelope: Option<(usize, &'f Spanned<format::EnvelopeSpec>)>,
    delivery: Option<(usize, &'f Spanned<format::DeliverySpec>)>,
    declared: BTreeMap<String, Declared<'f>>,
}

impl Resolver<'_> {
    fn origin(file: usize, span: Range<usize>) -> Origin {
        Origin { file, span }
    }

    // ---------------------------------------------------------------- parse

    fn build(&mut self, files: Vec<Option<CatalogFile>>) -> Catalog {
        let Sections {
            meta,
            envelope,
            delivery,
            declared,
        } = self.collect_sections(&files);
        let (name, version, title, description) = self.catalog_meta(meta);

        // Types: names first, then bodies (bodies may refer to any name).
        let mut partials: BTreeMap<String, (String, Origin)> = BTreeMap::new();
        let types = self.resolve_types(&declared, &mut partials);
        let envelope = self.envelope_or_default(envelope, &declared, &mut partials);

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

    /// Gathers the catalog-wide tables and the declared types of every
    /// parsed file, reporting a table or a type declared twice.
    fn collect_sections<'f>(&mut self, files: &'f [Option<CatalogFile>]) -> Sections<'f> {
        let mut s = Sections::default();
        for (i, f) in files.iter().enumerate() {
            let Some(f) = f else { continue };
            if let Some(m) = &f.catalog {
                self.keep_first(&mut s.meta, i, m, "catalog");
            }
            if let Some(e) = &f.envelope {
                self.keep_first(&mut s.envelope, i, e, "envelope");
            }
            if let Some(d) = &f.delivery {
                self.keep_first(&mut s.delivery, i, d, "delivery");
            }
            for (name, spec) in &f.types {
                self.declare_type(&mut s.declared, i, name, spec);
            }
        }
        s
    }

    /// Keeps the first `[section]` table of the catalog; reports a later one.
    fn keep_first<'f, T>(
        &mut self,
        first: &mut Option<(usize, &'f Spanned<T>)>,
        file: usize,
        table: &'f Spanned<T>,
        section: &str,
    ) {
        let Some((first_file, prev)) = *first else {
            *first = Some((file, table));
            return;
        };
        let d = self
            .twice(
                ErrorKind::DuplicateSection,
                &Self::origin(file, header_span(table)),
                &Self::origin(first_file, header_span(prev)),
                "declared",
                format!("`[{section}]` is declared twice"),
            )
            .help(format!(
                "keep one `[{section}]` table for the whole catalog"
            ));
        self.diags.push(d);
    }

    /// Records a declared type, or reports it when its name is taken.
    fn declare_type<'f>(
        &mut self,
        declared: &mut BTreeMap<String, Declared<'f>>,
        file: usize,
        name: &'f SpannedString,
        spec: &'f Spanned<TypeSpec>,
    ) {
        if let Some(prev) = declared.get(name.get_ref()) {
            let d = self
                .twice(
                    ErrorKind::DuplicateType,
                    &Self::origin(file, name.span()),
                    &Self::origin(prev.file, prev.name.span()),
                    "declared",
                    format!("type `{}` is declared twice", name.get_ref()),
                )
                .label("declared again here")
                .help("type names are shared by every file of the catalog; rename one of them");
            self.diags.push(d);
            return;
        }
        declared.insert(name.get_ref().clone(), Declared { file, name, spec });
    }

    /// The catalog's name, version, title and description, from
    /// `[catalog]`; all empty, and `[catalog]` reported missing, without it.
    fn catalog_meta(
        &mut self,
        meta: Option<(usize, &Spanned<format::CatalogMeta>)>,
    ) -> (String, String, String, String) {
        let Some((_, m)) = meta else {
            self.missing_section(
                "catalog",
                "[catalog]\nname = \"my-webhooks\"\nversion = \"1.0.0\"",
            );
            return Default::default();
        };
        let m = m.get_ref();
        (
            m.name.get_ref().clone(),
            m.version.get_ref().clone(),
            m.title.clone().unwrap_or_else(|| m.name.get_ref().clone()),
            m.description.clone(),
        )
    }

    /// Resolves every declared type (names checked first), then adds the
    /// types their `partial<T>` derive.
    fn resolve_types(
        &mut self,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> BTreeMap<String, TypeDef> {
        self.check_type_names(declared);
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        for (tname, d) in declared {
            if let Some(def) = self.resolve_type(tname, d, declared, partials) {
                types.insert(tname.clone(), def);
            }
        }
        self.derive_partials(declared, partials, &mut types);
        types
    }

    /// Adds the type each `partial<T>` derives from object `T`, reporting a
    /// derived name that a declared type already has.
    fn derive_partials(
        &mut self,
        declared: &BTreeMap<String, Declared>,
        partials: &BTreeMap<String, (String, Origin)>,
        types: &mut BTreeMap<String, TypeDef>,
    ) {
        for (pname, (of, origin)) in partials {
            if let Some(prev) = declared.get(pname) {
                let d = self
                    .at_origin(
                        ErrorKind::NameCollision,
                        origin,
                        format!(
                            "`partial<{of}>` derives a type named `{pname}`, which is already declared"
                        ),
                    )
                    .note(&self.texts[prev.file], prev.name.span(), "declared here")
                    .help(format!("rename the declared `{pname}`"));
                self.diags.push(d);
                continue;
            }
            if let Some(TypeKind::Object(obj)) = types.get(of).map(|t| &t.kind) {
                let def = partial_type(pname, of, obj, origin);
                types.insert(pname.clone(), def);
            }
        }
    }

    /// Resolves `[envelope]`; without one, reports it missing and uses
    /// the default envelope (`code` and `data`).
    fn envelope_or_default(
        &mut self,
        envelope: Option<(usize, &Spanned<format::EnvelopeSpec>)>,
        declared: &BTreeMap<String, Declared>,
        partials: &mut BTreeMap<String, (String, Origin)>,
    ) -> Envelope {
        if let Some((i, e)) = envelope {
            return self.resolve_envelope(i, e, declared, partials);
        }
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
}

/// The type `partial<of>` derives, named `name`: object `obj` with every
/// field optional.
fn partial_type(name: &str, of: &str, obj: &ObjectType, origin: &Origin) -> TypeDef {
    let fields = obj
        .fields
        .iter()
        .map(|f| Field {
            optional: true,
            ..f.clone()
        })
        .collect();
    TypeDef {
        name: name.to_string(),
        description: format!(
            "`{of}` with every field optional: a snapshot of the fields that changed."
        ),
        kind: TypeKind::Object(ObjectType { fields }),
        derived_from: Some(of.to_string()),
        origin: origin.clone(),
    }
}
