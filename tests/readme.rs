//! The README's factual lines, checked against the binary:
//! - every `eventcat <command> --flag` written in a code block or code span
//!   names a command and flags that `eventcat <command> --help` lists;
//! - every console block marked `<!-- checked by tests/readme.rs ... -->`
//!   prints exactly what the README shows when run from the repository root;
//! - the claims of the quick start (which commands take `--catalog`, what
//!   `cargo install --path .` installs) hold.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_eventcat"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .output()
        .expect("the binary runs")
}

/// What `eventcat <path> --help` lists: subcommands and long flags.
#[derive(Debug, Default)]
struct Help {
    commands: BTreeSet<String>,
    flags: BTreeSet<String>,
}

fn help<'a>(path: &[String], cache: &'a mut BTreeMap<Vec<String>, Help>) -> &'a Help {
    cache.entry(path.to_vec()).or_insert_with(|| {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = run(&args);
        assert!(out.status.success(), "eventcat {args:?} failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut h = Help::default();
        let mut in_commands = false;
        for line in text.lines() {
            if line.starts_with("Commands:") {
                in_commands = true;
                continue;
            }
            if !line.starts_with(' ') {
                in_commands = false;
            }
            let t = line.trim_start();
            if in_commands && line.starts_with("  ") && !line.starts_with("   ") {
                if let Some(name) = t.split_whitespace().next() {
                    h.commands.insert(name.to_string());
                }
            }
            for word in t.split([' ', ',', '[', ']', '=']) {
                if word.starts_with("--") && word.len() > 2 {
                    h.flags
                        .insert(word.trim_end_matches(['.', ':']).to_string());
                }
            }
        }
        h
    })
}

/// The text of every code block and code span of `md`, one command line per
/// item, with the README line it is on.
fn code_lines(md: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, line) in md.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if in_block {
            out.push((i + 1, line.trim_start_matches("$ ").to_string()));
        } else {
            for (j, span) in line.split('`').enumerate() {
                if j % 2 == 1 {
                    out.push((i + 1, span.to_string()));
                }
            }
        }
    }
    out
}

/// The `eventcat ...` invocations of a line: the words after `eventcat`
/// (or `cargo run --`) up to a comment, pipe, redirection or the line end.
fn invocations(line: &str) -> Vec<Vec<String>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        // `cargo run -- ...`, `cargo run -q -- ...`
        let cargo_run = *w == "--"
            && words[..i].windows(2).any(|p| p == ["cargo", "run"])
            && words[..i]
                .iter()
                .rev()
                .take_while(|w| **w != "run")
                .all(|w| w.starts_with('-'));
        if *w != "eventcat" && !cargo_run {
            continue;
        }
        let start = i + 1;
        let args: Vec<String> = words[start..]
            .iter()
            .take_while(|w| !["#", "|", ">", "<", "&&", ";", "2>&1"].contains(w))
            .map(|w| w.to_string())
            .collect();
        out.push(args);
    }
    out
}

/// Checks the commands and flags written in `md`: (flags checked, what is
/// wrong).
fn check_commands(md: &str, cache: &mut BTreeMap<Vec<String>, Help>) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (line_no, line) in code_lines(md) {
        for args in invocations(&line) {
            // A placeholder (`eventcat <command> --help`) or prose.
            if args
                .first()
                .is_none_or(|a| a.starts_with('<') || a.starts_with("::"))
            {
                continue;
            }
            let mut path: Vec<String> = Vec::new();
            let mut rest = args.iter().peekable();
            while let Some(word) = rest.peek() {
                if help(&path, cache).commands.contains(word.as_str()) {
                    path.push((*word).clone());
                    rest.next();
                } else {
                    break;
                }
            }
            if path.is_empty() && !args[0].starts_with('-') {
                wrong.push(format!(
                    "README.md:{line_no}: `eventcat {}`: no command `{}`",
                    args.join(" "),
                    args[0]
                ));
                continue;
            }
            for word in rest {
                if !word.starts_with("--") || word == "--" {
                    continue;
                }
                let flag = word
                    .split('=')
                    .next()
                    .unwrap()
                    .trim_end_matches([',', ')', '.']);
                checked += 1;
                if !help(&path, cache).flags.contains(flag) {
                    wrong.push(format!(
                        "README.md:{line_no}: `eventcat {}`: `eventcat {} --help` lists no `{flag}`",
                        args.join(" "),
                        path.join(" ")
                    ));
                }
            }
        }
    }
    (checked, wrong)
}

#[test]
fn commands_and_flags_written_in_the_readme_exist() {
    let mut cache = BTreeMap::new();
    let (checked, wrong) = check_commands(&readme(), &mut cache);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 20, "only {checked} flags found in the README");
    // The check itself finds a misspelt command and an unknown flag.
    let md = "Run `eventcat valdate x`.\n\n```sh\neventcat validate --no-such-flag x  # note\ncargo run -- lint --catalog schema\n```\n";
    let (checked, wrong) = check_commands(md, &mut cache);
    assert_eq!(checked, 2);
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    assert!(wrong[0].contains("README.md:1: `eventcat valdate x`: no command `valdate`"));
    assert!(wrong[1].contains("lists no `--no-such-flag`"), "{wrong:?}");
}

#[test]
fn console_blocks_marked_as_checked_print_what_the_readme_shows() {
    let md = readme();
    let lines: Vec<&str> = md.lines().collect();
    let mut blocks = 0;
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with("<!-- checked by tests/readme.rs") {
            i += 1;
            continue;
        }
        assert_eq!(lines[i + 1], "```console", "README.md:{}", i + 2);
        let command = lines[i + 2]
            .strip_prefix("$ eventcat ")
            .unwrap_or_else(|| panic!("README.md:{}: not `$ eventcat ...`", i + 3));
        let end = (i + 3..lines.len())
            .find(|&j| lines[j] == "```")
            .expect("the block closes");
        let expected: Vec<&str> = lines[i + 3..end].to_vec();
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = run(&args);
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let printed: Vec<&str> = printed.lines().collect();
        assert_eq!(
            printed,
            expected,
            "README.md:{}: `eventcat {command}` prints something else",
            i + 3
        );
        blocks += 1;
        i = end;
    }
    assert!(blocks >= 1, "no checked block in the README");
}

#[test]
fn quick_start_claims_hold() {
    let md = readme();
    // "every command that reads a catalog takes `--catalog DIR`, default
    // `schema`; `catalog-schema` reads none"
    assert!(md.contains("every command that reads a catalog takes `--catalog DIR`"));
    let mut cache = BTreeMap::new();
    let commands = help(&[], &mut cache).commands.clone();
    assert!(commands.len() >= 7, "{commands:?}");
    for command in commands.iter().filter(|c| *c != "help") {
        let path = vec![command.clone()];
        let h = help(&path, &mut cache);
        if !h.commands.is_empty() {
            // `export asyncapi|openapi`: the leaves read the catalog.
            for sub in h.commands.clone().iter().filter(|c| *c != "help") {
                let leaf = vec![command.clone(), sub.clone()];
                assert!(
                    help(&leaf, &mut cache).flags.contains("--catalog"),
                    "eventcat {command} {sub} takes no --catalog"
                );
            }
            continue;
        }
        let takes = h.flags.contains("--catalog");
        assert_eq!(
            takes,
            command != "catalog-schema",
            "eventcat {command}: --catalog {}",
            if takes { "taken" } else { "missing" }
        );
    }
    // "install it once with `cargo install --path .`": the root package
    // builds a binary named `eventcat`.
    assert!(md.contains("cargo install --path ."));
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap()).unwrap();
    let bin_named_eventcat = manifest
        .get("bin")
        .and_then(|b| b.as_array())
        .is_some_and(|bins| bins.iter().any(|b| b["name"].as_str() == Some("eventcat")))
        || manifest["package"]["name"].as_str() == Some("eventcat");
    assert!(bin_named_eventcat);
    assert!(Path::new(env!("CARGO_BIN_EXE_eventcat")).exists());
}
