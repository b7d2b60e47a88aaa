//! `eventcat fixtures`: sample events per code for consumers' tests.

use std::io::Write;
use std::path::PathBuf;

use eventcat_codegen::model::Catalog;

use super::{CmdResult, Outcome};
use crate::commands::args::CatalogArg;
use crate::fixtures::{self, Fixture, Kind};
use crate::output::{load_catalog, Format};

/// Arguments of `eventcat fixtures`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the catalog is.
    #[command(flatten)]
    pub catalog: CatalogArg,
    /// Write one JSON file per fixture under DIR/CODE/ (CODE: the event code) instead of NDJSON on stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Which codes: `all`, `<family>.all` or codes, comma-separated or repeated.
    #[arg(
        long,
        value_name = "SELECTORS",
        value_delimiter = ',',
        default_value = "all"
    )]
    pub select: Vec<String>,
    /// Seed of the random fixtures: the same seed gives the same files.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Random fixtures per code (besides examples and edge cases).
    #[arg(long, default_value_t = 3)]
    pub count: usize,
    /// `valid`: what a strict producer may send (passes `eventcat validate`);
    /// `consumer`: what a consumer must still accept (unknown fields, unknown
    /// values of extensible enums, an unknown code); `invalid`: contract
    /// violations, one per event.
    #[arg(long, value_enum, default_value_t = Kind::Valid)]
    pub kind: Kind,
}

/// Runs the command.
pub fn run(args: &Args) -> CmdResult {
    let catalog = load_catalog(&args.catalog.catalog, Format::Human)?;
    let codes = select(&catalog, &args.select)?;
    let mut all: Vec<Fixture> = Vec::new();
    for code in &codes {
        let ev = catalog.event(code).expect("selected codes exist");
        let f = fixtures::for_event(&catalog, ev, args.kind, args.seed, args.count)
            .map_err(|e| format!("{code}: {e}"))?;
        all.extend(f);
    }
    if args.kind == Kind::Consumer {
        all.extend(fixtures::unknown_code_event(&catalog));
    }
    let result = match &args.out {
        // A closed stdout (`| head -c 100`) ends the stream quietly.
        None => match write_ndjson(&all) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => r.map_err(|e| e.to_string()),
        },
        Some(dir) => write_files(dir, &all),
    };
    result?;
    Ok(Outcome::Ok)
}

/// Resolves selectors to codes, in catalog order. Unknown selectors are an
/// error naming the closest known ones.
pub fn select(catalog: &Catalog, selectors: &[String]) -> Result<Vec<String>, String> {
    let mut chosen = std::collections::BTreeSet::new();
    for sel in selectors.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let matched: Vec<&str> = if sel == "all" {
            catalog.events.iter().map(|e| e.code.as_str()).collect()
        } else if let Some(fam) = sel
            .strip_suffix(".all")
            .filter(|f| catalog.family(f).is_some())
        {
            catalog
                .family_events(fam)
                .map(|e| e.code.as_str())
                .collect()
        } else if catalog.event(sel).is_some() {
            vec![sel]
        } else {
            let known = catalog
                .events
                .iter()
                .map(|e| e.code.clone())
                .chain(catalog.families.iter().map(|f| format!("{}.all", f.id)))
                .chain(std::iter::once("all".to_string()))
                .collect::<Vec<_>>();
            let hint =
                eventcat_codegen::diagnostic::did_you_mean(sel, known.iter().map(String::as_str))
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_default();
            return Err(format!("unknown selector `{sel}`{hint}"));
        };
        chosen.extend(matched.into_iter().map(str::to_string));
    }
    Ok(catalog
        .events
        .iter()
        .filter(|e| chosen.contains(&e.code))
        .map(|e| e.code.clone())
        .collect())
}

fn write_ndjson(all: &[Fixture]) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in all {
        serde_json::to_writer(&mut out, &f.event)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

fn write_files(dir: &std::path::Path, all: &[Fixture]) -> Result<(), String> {
    for f in all {
        let path = dir.join(&f.code).join(format!("{}.json", f.name));
        let mut text = serde_json::to_string_pretty(&f.event).map_err(|e| e.to_string())?;
        text.push('\n');
        eventcat_codegen::output::write_if_changed(&path, text.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
