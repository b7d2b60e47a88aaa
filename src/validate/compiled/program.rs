//! The program ([`Program`], built by `build.rs`) and how a whole event
//! is checked with it: the fast path first, then the full check, then the
//! slow way for events with repeated keys or that are not objects.

#[allow(unused_imports)]
use super::*;

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Program")
            .field("nodes", &self.nodes.len())
            .field("codes", &self.codes.len())
            .finish_non_exhaustive()
    }
}

impl Program {
    /// The catalog's codes, in catalog order.
    pub fn codes(&self) -> &[String] {
        &self.codes
    }

    /// Checks one event's JSON text: its code and every violation, tidied
    /// and sorted by pointer as the reference engine does (duplicate keys
    /// first). An error: the text is not JSON (serde_json's own error, as
    /// the reference engine gets it).
    pub fn check(&self, bytes: &[u8]) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        // One UTF-8 check of the whole event is much cheaper than one per
        // string (what reading from bytes does); text that is not UTF-8 is
        // read from bytes, for serde_json's exact error.
        self.check_as(bytes, std::str::from_utf8(bytes).ok())
    }

    /// [`Program::check`] of text known to be UTF-8.
    pub fn check_str(&self, text: &str) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        self.check_as(text.as_bytes(), Some(text))
    }

    /// Checks `bytes`, read as `text` when it is UTF-8.
    fn check_as(
        &self,
        bytes: &[u8],
        text: Option<&str>,
    ) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        // Most events are valid: the fast path accepts them (or says it
        // cannot, and the full check runs).
        if let Some(code) = text.and_then(|t| super::accept::accept(self, t)) {
            return Ok((CodeOf::Known(code), Vec::new()));
        }
        self.check_fully(bytes, text)
    }

    /// [`Program::check`] without the fast path.
    pub(super) fn check_fully(
        &self,
        bytes: &[u8],
        text: Option<&str>,
    ) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        let mut ctx = Ctx::default();
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        let result = if first == Some(&b'{') {
            match text {
                Some(text) => {
                    self.envelope(&mut serde_json::Deserializer::from_str(text), &mut ctx)
                }
                None => self.envelope(&mut serde_json::Deserializer::from_slice(bytes), &mut ctx),
            }
        } else {
            Err(de::Error::custom("not an object"))
        };
        match result {
            Ok(code) if !ctx.duplicate => {
                let mut out = ctx.out;
                if !ctx.floats.is_empty() {
                    floats_as_written(bytes, &mut out, &ctx.floats);
                }
                crate::validate::schema::tidy(&mut out);
                Ok((code, out))
            }
            // A repeated key, something that is not an event object, or
            // malformed JSON: the slow way (which also gives serde_json's
            // exact error for the latter).
            _ => self.check_slow(bytes),
        }
    }

    /// Checks the event `de` reads (one whole JSON value).
    fn envelope<'de, R: serde_json::de::Read<'de>>(
        &self,
        de: &mut serde_json::Deserializer<R>,
        ctx: &mut Ctx,
    ) -> Result<CodeOf, serde_json::Error> {
        let code = Envelope { prog: self, ctx }.deserialize(&mut *de)?;
        de.end()?;
        Ok(code)
    }

    /// Parses the event to a tree (the last of repeated keys wins, as in
    /// the reference engine), names the repeated keys, and checks the tree
    /// written back without them.
    pub(super) fn check_slow(
        &self,
        bytes: &[u8],
    ) -> Result<(CodeOf, Vec<Violation>), serde_json::Error> {
        let value: Value = serde_json::from_slice(bytes)?;
        let (code, mut violations) = if let Value::Object(_) = value {
            let text = serde_json::to_vec(&value).unwrap_or_default();
            let mut ctx = Ctx::default();
            let mut de = serde_json::Deserializer::from_slice(&text);
            let code = Envelope {
                prog: self,
                ctx: &mut ctx,
            }
            .deserialize(&mut de)
            .unwrap_or(CodeOf::None);
            let mut out = ctx.out;
            if !ctx.floats.is_empty() {
                floats_as_written(bytes, &mut out, &ctx.floats);
            }
            crate::validate::schema::tidy(&mut out);
            (code, out)
        } else {
            let mut v = vec![Violation::expected(
                String::new(),
                "not-an-object",
                "an event object".into(),
                describe(&value),
            )];
            crate::validate::numbers::as_written(
                &mut v,
                &value,
                &crate::validate::numbers::scan(bytes),
            );
            (CodeOf::None, v)
        };
        violations.splice(0..0, crate::validate::duplicates::violations(bytes, &value));
        Ok((code, violations))
    }

    /// Checks a parsed value (the catalog's examples): written out, then
    /// checked as an event.
    pub fn check_value(&self, value: &Value) -> (CodeOf, Vec<Violation>) {
        let text = serde_json::to_vec(value).unwrap_or_default();
        self.check(&text).unwrap_or((CodeOf::None, Vec::new()))
    }
}

/// Puts the text of the floats of `flagged` violations back (as
/// [`crate::validate::numbers::as_written`] does for the reference engine).
pub(super) fn floats_as_written(bytes: &[u8], out: &mut [Violation], flagged: &[usize]) {
    let written = crate::validate::numbers::scan(bytes);
    for &i in flagged {
        let Some(v) = out.get_mut(i) else { continue };
        let Some(w) = written.iter().find(|w| w.pointer == v.pointer) else {
            continue;
        };
        if let Some(expected) = &v.expected {
            if v.found
                .as_ref()
                .is_some_and(|found| v.message == format!("expected {expected}, found {found}"))
            {
                v.message = format!("expected {expected}, found {}", w.text);
            }
        }
        v.found = Some(w.text.clone());
    }
}
