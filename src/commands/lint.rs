//! `eventcat lint`: load and check a catalog, print a one-screen summary.

use eventcat_codegen::model::{Catalog, Status, TypeKind};

use super::{CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::output::{load_catalog, Format};

/// Arguments of `eventcat lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    // Examples included: every one must match its event's schema.
    let catalog = load_catalog(&args.catalog.catalog, args.format)?;
    let summary = Summary::of(&catalog);
    match args.format {
        Format::Human => crate::output::print_stdout(&summary.human(&catalog)),
        Format::Json => crate::output::print_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&summary.json(&catalog)).expect("JSON serializes")
        )),
    }
    Ok(Outcome::Ok)
}

/// Counts shown by `lint`.
#[derive(Debug, Default)]
pub struct Summary {
    /// Object types (declared).
    pub objects: usize,
    /// Derived `partial<T>` types.
    pub derived: usize,
    /// Enums, and how many are extensible.
    pub enums: (usize, usize),
    /// Aliases.
    pub aliases: usize,
    /// Examples across all events.
    pub examples: usize,
}

impl Summary {
    /// Counts the catalog's types and examples.
    pub fn of(c: &Catalog) -> Self {
        let mut s = Summary::default();
        for t in c.types.values() {
            match &t.kind {
                TypeKind::Object(_) if t.derived_from.is_some() => s.derived += 1,
                TypeKind::Object(_) => s.objects += 1,
                TypeKind::Enum(e) => {
                    s.enums.0 += 1;
                    s.enums.1 += usize::from(e.extensible);
                }
                TypeKind::Alias(_) => s.aliases += 1,
            }
        }
        s.examples = c.events.iter().map(|e| e.examples.len()).sum();
        s
    }

    fn human(&self, c: &Catalog) -> String {
        let mut out = format!(
            "{} {}: {} families, {} event codes, {} types\n",
            c.name,
            c.version,
            c.families.len(),
            c.events.len(),
            c.types.len()
        );
        let width = c.families.iter().map(|f| f.id.len()).max().unwrap_or(0);
        let twidth = c.families.iter().map(|f| f.title.len()).max().unwrap_or(0);
        for f in &c.families {
            let events: Vec<_> = c.family_events(&f.id).collect();
            let mut extra = Vec::new();
            for (label, pred) in [
                (
                    "planned",
                    (|s: &Status| *s == Status::Planned) as fn(&Status) -> bool,
                ),
                ("deprecated", |s: &Status| {
                    matches!(s, Status::Deprecated { .. })
                }),
            ] {
                let n = events.iter().filter(|e| pred(&e.status)).count();
                if n > 0 {
                    extra.push(format!("{n} {label}"));
                }
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            };
            out.push_str(&format!(
                "  {:width$}  {:twidth$}  {:>3} codes{extra}\n",
                f.id,
                f.title,
                events.len(),
            ));
        }
        out.push_str(&format!(
            "types: {} objects, {} derived (partial), {} enums ({} extensible), {} aliases\n",
            self.objects, self.derived, self.enums.0, self.enums.1, self.aliases
        ));
        out.push_str(&format!(
            "examples: {}, each valid against its event's schema\n",
            self.examples
        ));
        out
    }

    fn json(&self, c: &Catalog) -> serde_json::Value {
        serde_json::json!({
            "catalog": c.name,
            "version": c.version,
            "ok": true,
            "families": c.families.iter().map(|f| serde_json::json!({
                "id": f.id,
                "title": f.title,
                "codes": c.family_events(&f.id).map(|e| serde_json::json!({
                    "code": e.code,
                    "status": e.status.as_str(),
                    "payload": e.payload,
                    "examples": e.examples.len(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "types": {
                "objects": self.objects,
                "derived": self.derived,
                "enums": self.enums.0,
                "extensible_enums": self.enums.1,
                "aliases": self.aliases,
            },
            "examples": self.examples,
        })
    }
}
