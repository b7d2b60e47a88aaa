//! Lifecycle checks: `since` versions and `[[acknowledge]]` entries.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    /// Every event's `since` is a version no later than the catalog's.
    /// Compared as semantic versions (`1.2.0`, `2.0.0-rc.1`), and only when
    /// the catalog's version is one: a catalog may use another scheme.
    pub(in crate::load) fn check_since(
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
    pub(in crate::load) fn resolve_acknowledgements(
        &mut self,
        files: &[Option<CatalogFile>],
    ) -> Vec<Acknowledgement> {
        let mut out = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let Some(f) = f else { continue };
            for ack in &f.acknowledge {
                let spec = ack.get_ref();
                let rule = spec.rule.get_ref();
                let id = crate::diff::RuleId::parse(rule);
                if id.is_none() {
                    let d = self.unknown_name(
                        ErrorKind::InvalidValue,
                        &Self::origin(i, spec.rule.span()),
                        format!("`{rule}` is not a rule of `eventcat diff`"),
                        did_you_mean(rule, crate::diff::rules::ids()),
                        Some(
                            "use a rule id as `eventcat diff` prints it (the README lists them)"
                                .into(),
                        ),
                    );
                    self.diags.push(d);
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
}
