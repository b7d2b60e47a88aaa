//! Constraints: bounds that contradict each other, patterns that do not
//! compile.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    pub(in crate::load) fn check_constraints(
        &mut self,
        file: usize,
        fname: &SpannedString,
        ty: &TypeRef,
        c: &Constraints,
        declared: &BTreeMap<String, Declared>,
    ) {
        if c.is_empty() {
            return;
        }
        let base = dealias(ty, declared);
        let numeric = matches!(base, Some(TypeRef::Integer | TypeRef::Number));
        let stringy = matches!(base, Some(TypeRef::String(_)));
        let array = matches!(base, Some(TypeRef::Array(_)));
        let mut bad = Vec::new();
        if !numeric && (c.minimum.is_some() || c.maximum.is_some()) {
            bad.push("`minimum`/`maximum` apply to integer and number fields");
        }
        if !stringy && (c.min_length.is_some() || c.max_length.is_some() || c.pattern.is_some()) {
            bad.push("`min_length`/`max_length`/`pattern` apply to string fields");
        }
        if !array && (c.min_items.is_some() || c.max_items.is_some()) {
            bad.push("`min_items`/`max_items` apply to array fields");
        }
        let inverted = matches!((c.minimum, c.maximum), (Some(a), Some(b)) if a > b)
            || matches!((c.min_length, c.max_length), (Some(a), Some(b)) if a > b)
            || matches!((c.min_items, c.max_items), (Some(a), Some(b)) if a > b);
        if inverted {
            bad.push("a lower bound is above its upper bound, so no value fits");
        }
        if c.minimum.is_some_and(|m| !m.is_finite()) || c.maximum.is_some_and(|m| !m.is_finite()) {
            bad.push("`minimum`/`maximum` must be finite numbers (JSON has no `nan` or `inf`)");
        }
        for why in bad {
            self.located(
                ErrorKind::BadField,
                file,
                fname.span(),
                format!(
                    "constraint on field `{}` does not fit its type",
                    fname.get_ref()
                ),
                why,
                "remove the constraint or change the field's type",
            );
        }
        if let Some(why) = c.pattern.as_deref().and_then(Self::pattern_problem) {
            self.located(
                ErrorKind::InvalidValue,
                file,
                fname.span(),
                format!(
                    "the `pattern` of field `{}` cannot be used: {why}",
                    fname.get_ref()
                ),
                "this field's `pattern`",
                "write a regular expression without look-around (`(?=`, `(?!`, `(?<=`, `(?<!`) or back-references (`\\1`): every output (validators, fixtures, generated strategies) must agree on what it matches",
            );
        }
    }

    /// Why `pattern` cannot be honoured by every output, if it cannot: it is
    /// not valid ECMA-262, or it needs look-around or back-references, which
    /// the linear-time engines (`regex`, the fixtures generator) do not have.
    pub(in crate::load) fn pattern_problem(pattern: &str) -> Option<String> {
        let translated = match crate::pattern::to_rust_regex(pattern) {
            Ok(t) => t,
            Err(e) => return Some(e),
        };
        match regex_syntax::Parser::new().parse(&translated) {
            Ok(_) => None,
            Err(e) => {
                // The parser's own one-line reason (`look-around ... is not
                // supported`), not its multi-line rendering.
                let text = e.to_string();
                let reason = text
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("error: "))
                    .map_or(text.as_str(), |l| &l["error: ".len()..]);
                Some(format!("`{pattern}`: {reason}"))
            }
        }
    }
}
