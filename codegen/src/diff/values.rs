//! What the differ compares in a type's values: constraints (bounds,
//! lengths, patterns, formats) and enum values, each judged by what old and
//! new accept.

use super::*;
use crate::model::EnumValue;

/// One enum compared at one position: the codes and path that reach it,
/// its old and new versions (name and type) and where the new one is.
struct EnumSite<'e> {
    codes: &'e [String],
    path: &'e str,
    old: (&'e str, &'e EnumType),
    new: (&'e str, &'e EnumType),
    at: &'e Origin,
    /// `` at `path` `` for messages, or nothing at the top.
    field: String,
}

impl<'a> Differ<'a> {
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
        for (name, ov, nv, upper) in limits(o, n) {
            let Some((rule, message)) = limit_change(name, path, ty, (ov, nv), upper) else {
                continue;
            };
            let show = |v: Option<f64>| v.map(|v| format!("{name} = {v}"));
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
        if let Some((rule, message)) = pattern_change(path, ty, &o.pattern, &n.pattern) {
            let show = |p: &Option<String>| {
                Some(
                    p.as_ref()
                        .map_or("no pattern".to_string(), |p| format!("pattern = {p}")),
                )
            };
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
        old: (&str, &EnumType),
        new: (&str, &EnumType),
        ob: &Origin,
    ) {
        let field = if path.is_empty() {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        let site = EnumSite {
            codes,
            path,
            old,
            new,
            at: ob,
            field,
        };
        self.enum_values_removed(&site);
        self.enum_values_added(&site);
        self.enum_openness(&site);
    }

    /// Reports the values the new enum lacks.
    fn enum_values_removed(&mut self, e: &EnumSite) {
        let (x, (b, y)) = (e.old.1, e.new);
        let field = &e.field;
        for v in &x.values {
            if y.values.iter().any(|w| w.value == v.value) {
                continue;
            }
            let kept = same_variant(&v.value, &y.values, &x.values);
            let note = kept
                .as_ref()
                .map(|k| format!(" (its Rust variant stays, now for `{k}`)"))
                .unwrap_or_default();
            self.emit_as(
                RuleId::EnumValueRemoved,
                e.codes,
                e.path,
                Some(v.value.clone()),
                None,
                format!(
                    "value `{}` removed from enum `{b}`{field}: producers that still send it are rejected{note}",
                    v.value
                ),
                (Which::New, e.at),
                kept.is_some(),
            );
        }
    }

    /// Reports the values the old enum lacks.
    fn enum_values_added(&mut self, e: &EnumSite) {
        let ((a, x), (b, y)) = (e.old, e.new);
        let field = &e.field;
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
                e.codes,
                e.path,
                None,
                Some(v.value.clone()),
                message,
                (Which::New, e.at),
                kept.is_some(),
            );
        }
    }

    /// Reports an enum that became extensible or closed, or whose
    /// catch-all variant got another name.
    fn enum_openness(&mut self, e: &EnumSite) {
        let (x, (b, y)) = (e.old.1, e.new);
        let at = (Which::New, e.at);
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
                e.codes,
                e.path,
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
                    e.codes,
                    e.path,
                    Some(ca.into()),
                    Some(cb.into()),
                    format!("the catch-all variant of `{b}` is now `{cb}` instead of `{ca}`"),
                    at,
                );
            }
        }
    }
}

/// A value whose generated variant keeps its name (`Mobile` for `mobile`
/// and `MOBILE`): the value of `others` (not in `mine`) it now stands for.
fn same_variant(v: &str, others: &[EnumValue], mine: &[EnumValue]) -> Option<String> {
    let variant = naming::pascal_case(v);
    others
        .iter()
        .filter(|w| !mine.iter().any(|m| m.value == w.value))
        .find(|w| naming::pascal_case(&w.value) == variant)
        .map(|w| w.value.clone())
}

/// The numeric limits of old and new: (name, old, new, whether larger
/// values allow more).
fn limits(o: &Constraints, n: &Constraints) -> [(&'static str, Option<f64>, Option<f64>, bool); 6] {
    let f = |v: Option<u64>| v.map(|v| v as f64);
    [
        ("minimum", o.minimum, n.minimum, false),
        ("maximum", o.maximum, n.maximum, true),
        ("min_length", f(o.min_length), f(n.min_length), false),
        ("max_length", f(o.max_length), f(n.max_length), true),
        ("min_items", f(o.min_items), f(n.min_items), false),
        ("max_items", f(o.max_items), f(n.max_items), true),
    ]
}

/// The rule and message for a changed limit `name`, or `None` when it did
/// not change; `upper`: larger values allow more.
fn limit_change(
    name: &str,
    path: &str,
    ty: &str,
    (ov, nv): (Option<f64>, Option<f64>),
    upper: bool,
) -> Option<(RuleId, String)> {
    let tightened = match (ov, nv) {
        (None, None) => return None,
        (Some(a), Some(b)) if a == b => return None,
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => (b < a) == upper,
    };
    Some(if tightened {
        (
            RuleId::ConstraintTightened,
            format!("`{name}` of `{path}` ({ty}) now allows less: producers not yet updated can send values the new catalog rejects"),
        )
    } else {
        (
            RuleId::ConstraintLoosened,
            format!("`{name}` of `{path}` ({ty}) now allows more: consumers relying on the old limit can meet values outside it"),
        )
    })
}

/// The rule and message for a changed `pattern`, or `None` when it accepts
/// the same strings.
fn pattern_change(
    path: &str,
    ty: &str,
    o: &Option<String>,
    n: &Option<String>,
) -> Option<(RuleId, String)> {
    match (o, n) {
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
    }
}
