//! Parsing: each catalog file read as TOML into the file format's types,
//! once; a file that does not parse is reported and kept aside.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    pub(in crate::load) fn parse_all(&mut self) -> Vec<Option<CatalogFile>> {
        (0..self.sources.len()).map(|i| self.parse_one(i)).collect()
    }

    pub(in crate::load) fn parse_one(&mut self, i: usize) -> Option<CatalogFile> {
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
}
