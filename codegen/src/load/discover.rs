//! Finding and reading a catalog's files.

#[allow(unused_imports)]
use super::*;

/// `p` with `.` removed and `..` applied lexically (a `..` that cannot be
/// applied is kept).
pub(in crate::load) fn normalize_lexically(p: &Path) -> PathBuf {
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
pub(in crate::load) fn common_parent(sources: &[SourceFile]) -> PathBuf {
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
    read_sources(&FolderFiles::new(dir))
}

/// Reads every `*.toml` file of `files` (hidden folders skipped), sorted
/// by path; every file that cannot be read is reported.
pub fn read_sources(files: &dyn CatalogFiles) -> Result<Vec<SourceFile>, Diagnostics> {
    let paths = files.toml_files().map_err(|(p, e)| {
        Diagnostics(vec![cannot_read(
            &p,
            &e,
            "pass the catalog folder with `--catalog DIR` (default `./schema`)",
        )])
    })?;
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        match files.read_text(&p) {
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
pub(in crate::load) fn read_error_diagnostic(p: &Path, e: crate::fsread::ReadError) -> Diagnostic {
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
            cannot_read(p, &e, help)
        }
    }
}
