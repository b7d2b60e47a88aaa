//! What the differ compares in a type's values: constraints (bounds,
//! lengths, patterns, formats) and enum values, each judged by what old and
//! new accept.

use super::*;

impl<'a> Differ<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn compare_constraints(
        &mut self,
        codes: &[String],
        path: &str,
        ty: &str,
        o: &Constraints,
        n: &Constraints,
        at: &Origin,
    ) {
        if o == n {
            return;
        }
        // (name, old, new, whether larger values allow more)
        let bounds: [(&str, Option<f64>, Option<f64>, bool); 6] = [
            ("minimum", o.minimum, n.minimum, false),
            ("maximum", o.maximum, n.maximum, true),
            (
                "min_length",
                o.min_length.map(|v| v as f64),
                n.min_length.map(|v| v as f64),
                false,
            ),
            (
                "max_length",
                o.max_length.map(|v| v as f64),
                n.max_length.map(|v| v as f64),
                true,
            ),
            (
                "min_items",
                o.min_items.map(|v| v as f64),
                n.min_items.map(|v| v as f64),
                false,
            ),
            (
                "max_items",
                o.max_items.map(|v| v as f64),
                n.max_items.map(|v| v as f64),
                true,
            ),
        ];
        for (name, ov, nv, upper) in bounds {
            let tightened = match (ov, nv) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b < a) == upper,
            };
            let show = |v: Option<f64>| v.map(|v| format!("{name} = {v}"));
            let (rule, message) = if tightened {
                (
                    RuleId::ConstraintTightened,
                    format!("`{name}` of `{path}` ({ty}) now allows less: producers not yet updated can send values the new catalog rejects"),
                )
            } else {
                (
                    RuleId::ConstraintLoosened,
                    format!("`{name}` of `{path}` ({ty}) now allows more: consumers relying on the old limit can meet values outside it"),
                )
            };
            self.emit(
                rule,
                codes,
                path,
                show(ov).or(Some(format!("no {name}"))),
                show(nv).or(Some(format!("no {name}"))),
                message,
                (Which::New, at),
            );
        }
        let show = |p: &Option<String>| {
            Some(
                p.as_ref()
                    .map_or("no pattern".to_string(), |p| format!("pattern = {p}")),
            )
        };
        let rule = match (&o.pattern, &n.pattern) {
            (None, None) => None,
            (a, b) if a == b => None,
            (None, Some(_)) => Some((
                RuleId::ConstraintTightened,
                format!("a `pattern` was added to `{path}` ({ty}): producers not yet updated can send values the new catalog rejects"),
            )),
            (Some(_), None) => Some((
                RuleId::ConstraintLoosened,
                format!("the `pattern` of `{path}` ({ty}) was removed: consumers relying on it can meet values that do not match it"),
            )),
            (Some(a), Some(b)) => match pattern::relation(a, b) {
                Some(std::cmp::Ordering::Equal) => None,
                Some(std::cmp::Ordering::Less) => Some((
                    RuleId::ConstraintTightened,
                    format!("the `pattern` of `{path}` ({ty}) now accepts a strict subset of what it accepted: producers not yet updated can send values the new catalog rejects"),
                )),
                Some(std::cmp::Ordering::Greater) => Some((
                    RuleId::ConstraintLoosened,
                    format!("the `pattern` of `{path}` ({ty}) now accepts more: consumers relying on the old pattern can meet values it rejects"),
                )),
                None => Some((
                    RuleId::PatternChanged,
                    format!("the `pattern` of `{path}` ({ty}) changed, and whether one accepts a subset of the other is not decided (eventcat compares only patterns of the same simple shape): values valid under one can be invalid under the other"),
                )),
            },
        };
        if let Some((rule, message)) = rule {
            self.emit(
                rule,
                codes,
                path,
                show(&o.pattern),
                show(&n.pattern),
                message,
                (Which::New, at),
            );
        }
    }

    pub(super) fn compare_enums(
        &mut self,
        codes: &[String],
        path: &str,
        (a, x): (&str, &EnumType),
        (b, y): (&str, &EnumType),
        ob: &Origin,
    ) {
        let at = (Which::New, ob);
        let field = if path.is_empty() {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        // A value whose generated variant keeps its name (`Mobile` for
        // `mobile` and `MOBILE`): only its serde rename changes.
        let same_variant =
            |v: &str, others: &[crate::model::EnumValue], mine: &[crate::model::EnumValue]| {
                let variant = naming::pascal_case(v);
                others
                    .iter()
                    .filter(|w| !mine.iter().any(|m| m.value == w.value))
                    .find(|w| naming::pascal_case(&w.value) == variant)
                    .map(|w| w.value.clone())
            };
        for v in &x.values {
            if !y.values.iter().any(|w| w.value == v.value) {
                let kept = same_variant(&v.value, &y.values, &x.values);
                let note = kept
                    .as_ref()
                    .map(|k| format!(" (its Rust variant stays, now for `{k}`)"))
                    .unwrap_or_default();
                self.emit_as(
                    RuleId::EnumValueRemoved,
                    codes,
                    path,
                    Some(v.value.clone()),
                    None,
                    format!(
                        "value `{}` removed from enum `{b}`{field}: producers that still send it are rejected{note}",
                        v.value
                    ),
                    at,
                    kept.is_some(),
                );
            }
        }
        for v in &y.values {
            if x.values.iter().any(|w| w.value == v.value) {
                continue;
            }
            let (rule, message) = if x.extensible {
                (
                    RuleId::ExtensibleEnumValueAdded,
                    format!("new value `{}` in extensible enum `{b}`{field}", v.value),
                )
            } else {
                (
                    RuleId::EnumValueAdded,
                    format!(
                        "new value `{}` in enum `{a}`{field}, which the old catalog declared closed: consumers built on it reject the value",
                        v.value
                    ),
                )
            };
            let kept = same_variant(&v.value, &x.values, &y.values);
            self.emit_as(
                rule,
                codes,
                path,
                None,
                Some(v.value.clone()),
                message,
                at,
                kept.is_some(),
            );
        }
        let closed = |e: &EnumType| if e.extensible { "extensible" } else { "closed" };
        if x.extensible != y.extensible {
            let (rule, message) = if y.extensible {
                (
                    RuleId::EnumBecameExtensible,
                    format!("enum `{b}` is now extensible: update consumers before the first new value ships"),
                )
            } else {
                (
                    RuleId::EnumBecameClosed,
                    format!(
                        "enum `{b}` is now closed: its catch-all variant is no longer generated"
                    ),
                )
            };
            self.emit(
                rule,
                codes,
                path,
                Some(closed(x).into()),
                Some(closed(y).into()),
                message,
                at,
            );
        } else if x.extensible {
            let ca = naming::catch_all_variant(x.values.iter().map(|v| v.value.as_str()));
            let cb = naming::catch_all_variant(y.values.iter().map(|v| v.value.as_str()));
            if ca != cb {
                self.emit(
                    RuleId::CatchAllRenamed,
                    codes,
                    path,
                    Some(ca.into()),
                    Some(cb.into()),
                    format!("the catch-all variant of `{b}` is now `{cb}` instead of `{ca}`"),
                    at,
                );
            }
        }
    }
}
