//! What a check looks up in the program while it runs: numbers compared
//! exactly, an object's field found by name, a pattern matched with the
//! thread's own copy of its regex.

#[allow(unused_imports)]
use super::*;

impl Num {
    pub(super) fn cmp(self, other: Num) -> std::cmp::Ordering {
        fn exact(n: Num) -> Option<i128> {
            match n {
                Num::I(i) => Some(i128::from(i)),
                Num::U(u) => Some(i128::from(u)),
                Num::F(f) if f.fract() == 0.0 && f.abs() < 1.0e38 => Some(f as i128),
                Num::F(_) => None,
            }
        }
        fn float(n: Num) -> f64 {
            match n {
                Num::I(i) => i as f64,
                Num::U(u) => u as f64,
                Num::F(f) => f,
            }
        }
        match (exact(self), exact(other)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => float(self).total_cmp(&float(other)),
        }
    }

    pub(super) fn is_integer(self) -> bool {
        match self {
            Num::F(f) => f.fract() == 0.0,
            _ => true,
        }
    }

    pub(super) fn describe(self) -> String {
        match self {
            Num::I(i) => i.to_string(),
            Num::U(u) => u.to_string(),
            Num::F(f) => describe(&Value::from(f)),
        }
    }
}

impl Object {
    /// The field named `key`; `hint`: where to look first (the field after
    /// the last one found: keys usually come in declared order).
    pub(super) fn find(&self, key: &str, hint: usize) -> Option<usize> {
        if self
            .names
            .get(hint)
            .is_some_and(|n| super::native::same(n, key))
        {
            return Some(hint);
        }
        match &self.lookup {
            Some(m) => m.get(key).copied(),
            // Onwards from the hint first (fields left out), then before it.
            None => {
                let hint = hint.min(self.names.len());
                let (before, after) = self.names.split_at(hint);
                after
                    .iter()
                    .position(|n| super::native::same(n, key))
                    .map(|i| hint + i)
                    .or_else(|| before.iter().position(|n| super::native::same(n, key)))
            }
        }
    }
}

/// A thread's copy of a pattern's regex, and the last short string it was
/// matched against with the answer (the same value comes back event after
/// event in envelope fields: a domain, an environment).
struct Local {
    regex: fancy_regex::Regex,
    last: String,
    matched: Option<bool>,
}

thread_local! {
    /// Each thread's own copies of a program's regexes (program id, then
    /// one per pattern, made on first use): a regex shared by threads takes
    /// a lock for its scratch space on every match but in one thread.
    static REGEXES: std::cell::RefCell<(u64, Vec<Option<Local>>)> =
        const { std::cell::RefCell::new((0, Vec::new())) };
}

/// Strings up to this long are remembered (no allocation past the first).
const REMEMBERED: usize = 64;

impl Program {
    /// Whether pattern `p` matches `s`, with this thread's copy of its regex.
    pub(super) fn regex_match(&self, p: usize, s: &str) -> bool {
        REGEXES.with_borrow_mut(|(id, copies)| {
            if *id != self.id {
                *id = self.id;
                copies.clear();
            }
            if copies.len() <= p {
                copies.resize_with(p + 1, || None);
            }
            let local = copies[p].get_or_insert_with(|| Local {
                regex: self.patterns[p].regex.clone(),
                last: String::with_capacity(REMEMBERED),
                matched: None,
            });
            if let Some(m) = local.matched.filter(|_| local.last == s) {
                return m;
            }
            let m = local.regex.is_match(s).unwrap_or(true);
            if s.len() <= REMEMBERED {
                local.last.clear();
                local.last.push_str(s);
                local.matched = Some(m);
            }
            m
        })
    }
}
