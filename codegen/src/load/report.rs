//! Reporting: the shapes of diagnostic the loader gives again and again
//! (a value wrong at its key, a name declared twice, two names that become
//! one Rust name, a reference to a name that does not exist, a file that
//! cannot be read), each built in one place so that they read alike.
//! Diagnostics of one kind only are built where they are found.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    /// Reports a problem of `kind` at `span` of file `file`; the caller
    /// sets the label or hint of the returned diagnostic.
    pub(in crate::load) fn err(
        &mut self,
        kind: ErrorKind,
        file: usize,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::new(kind, &self.texts[file], span, msg);
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// Reports a value that is wrong where it stands (out of its allowed
    /// set or range, or of the wrong kind): `kind` at `span` of `file`,
    /// `label` under the value and `help` on how to write it.
    pub(in crate::load) fn located(
        &mut self,
        kind: ErrorKind,
        file: usize,
        span: Range<usize>,
        msg: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let d = self.err(kind, file, span, msg);
        d.label = label.into();
        d.help = Some(help.into());
    }

    /// A diagnostic of `kind` at `at`: where a type, a field or a code of
    /// the model was declared.
    pub(in crate::load) fn at_origin(
        &self,
        kind: ErrorKind,
        at: &Origin,
        msg: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(kind, &self.texts[at.file], at.span.clone(), msg)
    }

    /// Something declared twice: `kind` at the second one, `again`, with a
    /// note `first {verb} here` at the first (`verb`: `declared`, or
    /// `listed` for a value of a list).
    pub(in crate::load) fn twice(
        &self,
        kind: ErrorKind,
        again: &Origin,
        first: &Origin,
        verb: &str,
        msg: impl Into<String>,
    ) -> Diagnostic {
        self.at_origin(kind, again, msg).note(
            &self.texts[first.file],
            first.span.clone(),
            format!("first {verb} here"),
        )
    }

    /// Two names that become the same Rust name: a name collision at the
    /// second, `at`, with a note `` `other` is here `` at the first.
    pub(in crate::load) fn collision(
        &self,
        at: &Origin,
        other: &str,
        other_at: &Origin,
        msg: impl Into<String>,
    ) -> Diagnostic {
        self.at_origin(ErrorKind::NameCollision, at, msg).note(
            &self.texts[other_at.file],
            other_at.span.clone(),
            format!("`{other}` is here"),
        )
    }

    /// A name that is none of the names it may be: `kind` at `at`, with
    /// the closest of them as the hint (`closest`, see [`did_you_mean`]),
    /// else `otherwise` (if any).
    pub(in crate::load) fn unknown_name(
        &self,
        kind: ErrorKind,
        at: &Origin,
        msg: impl Into<String>,
        closest: Option<&str>,
        otherwise: Option<String>,
    ) -> Diagnostic {
        self.at_origin(kind, at, msg)
            .help_opt(closest.map(did_you_mean_help).or(otherwise))
    }

    /// A reference to a type that is not declared: an [`unknown_name`]
    /// of kind [`ErrorKind::UnknownType`] with its label.
    ///
    /// [`unknown_name`]: Self::unknown_name
    pub(in crate::load) fn undeclared_type(
        &self,
        at: &Origin,
        msg: impl Into<String>,
        closest: Option<&str>,
        otherwise: String,
    ) -> Diagnostic {
        self.unknown_name(ErrorKind::UnknownType, at, msg, closest, Some(otherwise))
            .label("not declared anywhere in the catalog")
    }
}

/// The hint for a name that is not known: the closest known name.
pub(in crate::load) fn did_you_mean_help(closest: &str) -> String {
    format!("did you mean `{closest}`?")
}

/// A file or folder `path` that cannot be read (`why`), at no position.
pub(in crate::load) fn cannot_read(
    path: &Path,
    why: &dyn std::fmt::Display,
    help: impl Into<String>,
) -> Diagnostic {
    let src = SourceText::new(path.to_path_buf(), "");
    Diagnostic::new(
        ErrorKind::Io,
        &src,
        0..0,
        format!("cannot read `{}`: {why}", path.display()),
    )
    .help(help)
}
