//! `gen-catalog`: writes a synthetic eventcat catalog of any size, shaped like
//! the default one (`schema/`), for benchmarks.
//!
//! ```text
//! gen-catalog --codes M [--families N] --out DIR [--seed S]
//! ```
//!
//! - `--codes M`: number of event codes (at least `N`).
//! - `--families N`: number of families; default `max(2, M / 15)` (the
//!   default catalog has 28 codes in 2 families).
//! - `--out DIR`: the catalog folder to write; created, must be empty.
//! - `--seed S`: PRNG seed (default 1). Same arguments, same bytes.
//!
//! Layout, as in `schema/`: `catalog.toml` (`[catalog]`, `[envelope]`),
//! `families/<id>.toml` (`[family]` and its `[[event]]`s, some planned or
//! deprecated, some with inline examples), `types/common.toml` (types shared
//! by every family) and `types/<id>.toml` (a family's types).
//!
//! Each family has a few resources (`invoice`, `user`...); a resource has
//! 5-12 codes `<family>.<resource>.<action>.<success|fail>` and, like the
//! Directory Sync user of the default catalog, the types
//! `<P>Event -> <P>Resource -> <P>Changes -> partial<P> -> <P>Details ->
//! <P>Settings` (objects nested several levels deep), failure payloads with
//! `<P>Attempt`, closed and extensible enums, aliases (`array`, `map`,
//! `partial`), optional / nullable / optional+nullable fields, constraints
//! and the uuid / email / uri / date / date-time / local-date-time formats.
//! Optional extra types are added per resource so that the catalog keeps
//! about 1.4 types (derived `partial<T>` included) per code, like the default
//! catalog (40 types, 28 codes).
//!
//! Examples are generated from the types, so they are valid against the
//! schemas: `eventcat lint --catalog DIR` passes. No dependencies: the PRNG
//! (splitmix64), the TOML and the JSON are written here, and nothing iterates
//! a hash map, so the output is byte-identical for the same arguments.
//!
//! Prints one summary line (codes, families, types, examples, files).
//!
//! Modules: [`rng`] (the PRNG), [`words`] (word lists, patterns, name
//! helpers), [`model`] (the catalog model), [`shape`] and [`resource`] (the
//! types of the catalog, the family's and each resource's), [`build`] (the
//! families, their resources and codes), [`example`] (example values),
//! [`toml`] (the files written); this file holds the command line.

mod build;
mod example;
mod model;
mod resource;
mod rng;
mod shape;
mod toml;
mod words;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use model::Kind;
use rng::Rng;
use toml::{catalog_file, family_file, types_file};

/// The parsed command line.
struct Args {
    codes: usize,
    families: Option<usize>,
    out: PathBuf,
    seed: u64,
}

/// The usage line, printed with `--help` and after an argument error.
const USAGE: &str = "usage: gen-catalog --codes M [--families N] --out DIR [--seed S]";

/// Parses the command line; `Err("")` for `--help`.
fn parse_args() -> Result<Args, String> {
    let mut codes = None;
    let mut families = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--codes" => {
                codes = Some(
                    val("--codes")?
                        .parse::<usize>()
                        .map_err(|e| format!("--codes: {e}"))?,
                )
            }
            "--families" => {
                families = Some(
                    val("--families")?
                        .parse::<usize>()
                        .map_err(|e| format!("--families: {e}"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "--seed" => {
                seed = val("--seed")?
                    .parse::<u64>()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        codes: codes.ok_or("--codes is required")?,
        families,
        out: out.ok_or("--out is required")?,
        seed,
    })
}

/// Writes `text` to `path`.
fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Builds the catalog, writes its files and returns the summary line.
fn run(args: Args) -> Result<String, String> {
    let families = args.families.unwrap_or((args.codes / 15).max(2));
    if families == 0 || args.codes < families {
        return Err(format!(
            "need at least one code per family ({} codes, {families} families)",
            args.codes
        ));
    }
    if args.out.exists()
        && std::fs::read_dir(&args.out)
            .map_err(|e| format!("{}: {e}", args.out.display()))?
            .next()
            .is_some()
    {
        return Err(format!("{} is not empty", args.out.display()));
    }
    let mut rng = Rng(args.seed);
    let c = build::build(args.codes, families, &mut rng);

    std::fs::create_dir_all(args.out.join("families")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(args.out.join("types")).map_err(|e| e.to_string())?;
    let mut files = 1;
    write(
        &args.out.join("catalog.toml"),
        &catalog_file(args.codes, families, args.seed),
    )?;
    for (path, idx) in &c.files {
        let what = match path.as_str() {
            "types/common.toml" => "types shared by every family".to_string(),
            p => format!(
                "types of the `{}` family",
                p.trim_start_matches("types/").trim_end_matches(".toml")
            ),
        };
        write(&args.out.join(path), &types_file(&c, idx, &what))?;
        files += 1;
    }
    let mut examples = 0;
    let (mut planned, mut deprecated) = (0, 0);
    for f in &c.families {
        write(
            &args.out.join(format!("families/{}.toml", f.id)),
            &family_file(&c, f, &mut rng),
        )?;
        files += 1;
        for e in &f.events {
            examples += e.examples;
            planned += usize::from(e.status == "planned");
            deprecated += usize::from(e.status == "deprecated");
        }
    }
    let (mut objects, mut enums, mut extensible, mut aliases) = (0, 0, 0, 0);
    for t in &c.types {
        match &t.kind {
            Kind::Object(_) => objects += 1,
            Kind::Enum { extensible: x, .. } => {
                enums += 1;
                extensible += usize::from(*x);
            }
            Kind::Alias(_) => aliases += 1,
        }
    }
    Ok(format!(
        "codes {} ({planned} planned, {deprecated} deprecated), families {families}, types {} ({objects} objects, {} derived, {enums} enums ({extensible} extensible), {aliases} aliases; {:.2} per code), examples {examples}, files {files}",
        args.codes,
        c.type_count,
        c.partials.len(),
        c.type_count as f64 / args.codes as f64,
    ))
}

/// Runs the generator: prints the summary line (the usage for `--help`); on
/// an error, prints it and the usage and exits with status 2.
fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-catalog: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
