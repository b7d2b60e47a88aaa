//! The catalog's shape: its families, their resources and event codes, and
//! the types they get (through [`crate::shape`] and [`crate::resource`]).

use std::collections::HashSet;

use crate::model::{Catalog, Event, Family};
use crate::resource::{resource_types, Extra};
use crate::rng::Rng;
use crate::shape::{family_types, node_type, shared_types};
use crate::words::{human, nth_word, pascal, ACTIONS, FAMILY_WORDS, RESOURCE_WORDS};

/// Builds a catalog of `codes` event codes in `families` families.
pub fn build(codes: usize, families: usize, rng: &mut Rng) -> Catalog {
    let mut b = Builder {
        c: Catalog::default(),
        code_keys: HashSet::new(),
        codes_done: 0,
    };
    shared_types(&mut b.c);
    for fi in 0..families {
        let fam = nth_word(FAMILY_WORDS, fi);
        let quota = codes / families + usize::from(fi < codes % families);
        let family = b.family(fam, quota, rng);
        b.c.families.push(family);
    }
    b.c
}

/// The catalog being built and what the codes built so far hold.
struct Builder {
    /// The catalog.
    c: Catalog,
    /// Every code without its `.` and `_`, to catch collisions.
    code_keys: HashSet<String>,
    /// How many codes were made so far.
    codes_done: usize,
}

impl Builder {
    /// Family `fam` with `quota` codes, its types and its resources' types.
    fn family(&mut self, fam: String, quota: usize, rng: &mut Rng) -> Family {
        family_types(&mut self.c, &fam, rng);
        let ftitle = human(&fam);
        let mut node: Option<String> = None;
        let mut events: Vec<Event> = Vec::new();
        let mut remaining = quota;
        // Resource names: the word list from a random start, then again with
        // a round number (`user`, ..., `user2`).
        let start = rng.below(RESOURCE_WORDS.len() as u64) as usize;
        let mut ri = 0;
        while remaining > 0 {
            let n = RESOURCE_WORDS.len();
            let res = nth_word(RESOURCE_WORDS, (ri / n) * n + (start + ri) % n);
            ri += 1;
            let picked = pick_codes(&mut remaining, rng);
            self.resource(&fam, &res, &picked, &mut node, rng);
            for &(a, ok) in &picked {
                events.push(self.event(&fam, &res, &ftitle, a, ok, rng));
            }
        }
        Family {
            title: human(&fam).split(' ').map(pascal).collect::<Vec<_>>().join(" "),
            desc: format!(
                "Events of {ftitle}: resources of an organization created, changed or removed\nin the upstream system (Okta, Salesforce...) and synchronized to the\nproducer.\n\nSuccessful changes and failed attempts have their own codes\n(`*.success`, `*.fail`). Subscribe to every code of the family with\n`{fam}.all`."
            ),
            id: fam,
            events,
        }
    }

    /// The types of resource `res` of family `fam`, whose codes are `picked`:
    /// the base ones, then extras while below 1.4 types per code (the first
    /// may be the family's hierarchy `node`, made once).
    fn resource(
        &mut self,
        fam: &str,
        res: &str,
        picked: &[(usize, bool)],
        node: &mut Option<String>,
        rng: &mut Rng,
    ) {
        let has_fail = picked.iter().any(|p| !p.1);
        self.codes_done += picked.len();
        let base = 5 + if has_fail { 2 } else { 0 };
        let target = (self.codes_done * 7).div_ceil(5);
        let mut want = target.saturating_sub(self.c.type_count + base);
        let mut pool = vec![
            Extra::Status,
            Extra::Kind,
            Extra::Details,
            Extra::Settings,
            Extra::Tags,
            Extra::Labels,
            Extra::Snapshot,
        ];
        rng.shuffle(&mut pool);
        let mut extras: Vec<Extra> = Vec::new();
        if node.is_none() && want > 0 && rng.chance(50) {
            *node = Some(node_type(&mut self.c, fam));
            want -= 1;
        }
        for e in pool {
            if extras.len() >= want {
                break;
            }
            if e == Extra::Settings && !extras.contains(&Extra::Details) {
                continue;
            }
            extras.push(e);
        }
        resource_types(
            &mut self.c,
            fam,
            res,
            has_fail,
            &extras,
            node.as_deref(),
            rng,
        );
    }

    /// The event of action `ACTIONS[a]` on resource `res` of family `fam`
    /// (titled `ftitle`), successful if `ok`.
    fn event(
        &mut self,
        fam: &str,
        res: &str,
        ftitle: &str,
        a: usize,
        ok: bool,
        rng: &mut Rng,
    ) -> Event {
        let verb = ACTIONS[a].0;
        let outcome = if ok { "success" } else { "fail" };
        let code = format!("{fam}.{res}.{verb}.{outcome}");
        // Stricter than eventcat's own check (codes that differ only
        // by `.` and `_` become one Rust variant).
        let key = code.replace(['.', '_'], "");
        assert!(
            self.code_keys.insert(key),
            "generator bug: code `{code}` collides"
        );
        let (title, desc) = event_texts(fam, res, ftitle, ACTIONS[a], ok);
        let roll = rng.below(100);
        let (status, since) = match roll {
            0..=5 => ("planned", "1.2.0"),
            6..=9 => ("deprecated", "1.0.0"),
            10..=39 => ("available", "1.1.0"),
            _ => ("available", "1.0.0"),
        };
        let deprecation = (status == "deprecated").then(|| {
            format!("Use `{fam}.{res}.update.success` instead; this code goes away in 2.0.0.")
        });
        let ex = match rng.below(100) {
            0..=4 => 2,
            5..=26 => 1,
            _ => 0,
        };
        let ex = if status == "planned" { 0 } else { ex };
        let p = format!("{}{}", pascal(fam), pascal(res));
        Event {
            code,
            title,
            desc,
            payload: if ok {
                format!("{p}Event")
            } else {
                format!("{p}FailureEvent")
            },
            status,
            deprecation,
            since,
            examples: ex,
        }
    }
}

/// Picks the (action, success) pairs of a resource's codes: 5 to 12 of them
/// (all of the `remaining` codes of the family when fewer than 3 would be
/// left), success first; takes them off `remaining`.
fn pick_codes(remaining: &mut usize, rng: &mut Rng) -> Vec<(usize, bool)> {
    // Candidate (action, outcome) pairs, success first.
    let mut actions: Vec<usize> = (0..ACTIONS.len()).collect();
    rng.shuffle(&mut actions);
    let mut cands: Vec<(usize, bool)> = Vec::new();
    for a in actions {
        cands.push((a, true));
        if rng.chance(70) {
            cands.push((a, false));
        }
    }
    let mut k = (rng.range(5, 12) as usize).min(*remaining);
    if *remaining - k < 3 {
        k = *remaining;
    }
    let k = k.min(cands.len());
    *remaining -= k;
    cands.truncate(k);
    cands
}

/// The title and description of the code of `action` (verb, past participle,
/// change) on resource `res` of family `fam` (titled `ftitle`), successful if
/// `ok`.
fn event_texts(
    fam: &str,
    res: &str,
    ftitle: &str,
    (verb, past, _): (&str, &str, &str),
    ok: bool,
) -> (String, String) {
    let rtitle = human(res);
    if ok {
        (
            format!("{rtitle} {past}"),
            format!(
                "Sent when a {r} of {ftitle} is {past} in the upstream system and the change\nwas applied. The payload carries the {r}'s id and, in `resource.changes`, the\nattributes that changed (before and after).\n\nEvents of the same {r} are sent in the order they happened; use `updated_at`\nto drop a stale one.",
                r = res.replace('_', " ")
            ),
        )
    } else {
        (
            format!("{rtitle} {verb} failed"),
            format!(
                "Sent when the upstream system asked to {verb} a {r} of {ftitle} and the change\ncould not be applied. Nothing changed; `error` says why. The upstream system\nusually retries, so a `{fam}.{res}.{verb}.success` may follow.",
                r = res.replace('_', " ")
            ),
        )
    }
}
