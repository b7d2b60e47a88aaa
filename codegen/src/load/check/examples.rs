//! Examples: inline or from a file inside the catalog folder.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    pub(in crate::load) fn resolve_example(
        &mut self,
        file: usize,
        ex: &Spanned<format::ExampleSpec>,
        code: &str,
        disc: &str,
    ) -> Option<Example> {
        let spec = ex.get_ref();
        let (value, origin, path) = match (&spec.json, &spec.file) {
            (Some(j), None) => {
                let value = self.inline_example(file, j, code)?;
                (value, Self::origin(file, j.span()), None)
            }
            (None, Some(p)) => {
                let (value, idx, path) = self.file_example(file, p, code)?;
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
        self.check_example_code(&value, &origin, spec.json.is_some(), code, disc)?;
        Some(Example {
            name: spec.name.clone(),
            description: spec.description.clone(),
            value,
            origin,
            file: path,
        })
    }

    /// The JSON of an inline example, if it parses (else reported).
    fn inline_example(
        &mut self,
        file: usize,
        j: &SpannedString,
        code: &str,
    ) -> Option<serde_json::Value> {
        match serde_json::from_str::<serde_json::Value>(j.get_ref()) {
            Ok(v) => Some(v),
            Err(e) => {
                let span = json_error_span(&self.sources[file].text, j.span(), j.get_ref(), &e);
                self.err(ErrorKind::ExampleJson, file, span, format!("example of `{code}` is not valid JSON: {e}"))
                    .help = Some("write the example as a TOML literal string, `json = '''{ ... }'''`, so JSON escapes stay as written".into());
                None
            }
        }
    }

    /// The JSON of an example file `p` (relative to catalog file `file`),
    /// the index of the source it was added as, and its path; `None` (and
    /// reported) when it is outside the catalog, unreadable or not JSON.
    fn file_example(
        &mut self,
        file: usize,
        p: &SpannedString,
        code: &str,
    ) -> Option<(serde_json::Value, usize, PathBuf)> {
        let base = self.sources[file].path.parent().unwrap_or(Path::new("."));
        let path = base.join(p.get_ref());
        let text = self.read_example_file(file, p, &path)?;
        let idx = self.sources.len();
        let shared: std::sync::Arc<str> = text.as_str().into();
        self.sources.push(SourceFile {
            path: path.clone(),
            text: shared.clone(),
        });
        self.texts.push(SourceText::new(path.clone(), shared));
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(v) => Some((v, idx, path)),
            Err(e) => {
                let offset = offset_of_line_col(&text, e.line(), e.column());
                self.err(
                    ErrorKind::ExampleJson,
                    idx,
                    offset..offset,
                    format!("example of `{code}` is not valid JSON: {e}"),
                );
                None
            }
        }
    }

    /// The text of example file `p` (at `path`), if it is inside the
    /// catalog folder and readable (else reported at `p`).
    fn read_example_file(&mut self, file: usize, p: &SpannedString, path: &Path) -> Option<String> {
        if let Err(why) = self.check_inside_root(Path::new(p.get_ref()), path) {
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
        match self.files.read_text(path) {
            Ok(t) => Some(t),
            Err(e) => {
                self.err(
                    ErrorKind::Io,
                    file,
                    p.span(),
                    format!("cannot read example file `{}`: {e}", path.display()),
                )
                .help = Some(read_error_help(&e).to_string());
                None
            }
        }
    }

    /// Reports an example that is not a JSON object (`None`) or whose
    /// discriminator `disc` is not `code` (reported, still `Some`).
    fn check_example_code(
        &mut self,
        value: &serde_json::Value,
        origin: &Origin,
        inline: bool,
        code: &str,
        disc: &str,
    ) -> Option<()> {
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
            let span = self.json_key_span(origin, inline, disc);
            self.err(
                ErrorKind::ExampleCode,
                origin.file,
                span,
                format!("example of `{code}` has `{disc}` = {found}"),
            )
            .help = Some(format!("set `\"{disc}\": \"{code}\"` in the example"));
        }
        Some(())
    }

    /// Whether the example file `rel` (as written), at `path`, is inside the
    /// catalog folder: not absolute, no `..` leading out, and (when it
    /// exists) its real path, symlinks resolved, inside the real folder
    /// (see [`CatalogFiles::escapes_root`]).
    pub(in crate::load) fn check_inside_root(
        &self,
        rel: &Path,
        path: &Path,
    ) -> Result<(), &'static str> {
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
        if self.files.escapes_root(path) {
            return Err("resolves (through a symlink) outside the catalog folder");
        }
        Ok(())
    }

    /// Span of the first `"key"` in an example's JSON text (inline or file),
    /// falling back to the whole example.
    pub(in crate::load) fn json_key_span(
        &self,
        origin: &Origin,
        inline: bool,
        key: &str,
    ) -> Range<usize> {
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
}

/// The help for an example file that cannot be read.
fn read_error_help(e: &crate::fsread::ReadError) -> &'static str {
    match e {
        crate::fsread::ReadError::Utf8 { .. } => "example files are UTF-8 JSON text",
        crate::fsread::ReadError::NotRegular(_) => "an example file must be a regular file",
        crate::fsread::ReadError::TooLarge { .. } => {
            "an example is one event envelope: keep it small"
        }
        _ => "the path is relative to the catalog file that names it",
    }
}
