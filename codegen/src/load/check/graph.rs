//! The type graph: infinite types, alias chains, payloads nested too
//! deep to read.

#[allow(unused_imports)]
use super::*;

impl Resolver<'_> {
    /// Types that contain themselves with no way to stop: a cycle of
    /// required, non-nullable references (through fields, aliases, and
    /// arrays with `min_items` of at least 1). One depth-first search with
    /// colours, so linear in the catalog; one report per cycle found.
    pub(in crate::load) fn check_infinite(&mut self, types: &BTreeMap<String, TypeDef>) {
        let edges = required_edges(types);
        for cycle in find_cycles(&edges) {
            self.report_infinite(types, cycle);
        }
    }

    /// Reports one infinite cycle, from its smallest type name, at the
    /// first field on it (or the type, for a cycle of aliases).
    fn report_infinite(&mut self, types: &BTreeMap<String, TypeDef>, mut cycle: Vec<Edge>) {
        // Start at the smallest name, so the report does not depend on
        // where the search came in.
        let min = (0..cycle.len()).min_by_key(|i| cycle[*i].0).unwrap_or(0);
        cycle.rotate_left(min);
        let start = cycle[0].0;
        let mut names: Vec<&str> = cycle.iter().map(|c| c.0).collect();
        names.push(start);
        let at = cycle
            .iter()
            .find_map(|c| c.1)
            .map(|f| f.origin.clone())
            .unwrap_or_else(|| types[start].origin.clone());
        let d = self.at_origin(ErrorKind::InfiniteType, &at, format!("type `{start}` contains itself forever: {}", names.join(" -> ")))
            .label("required, not nullable, and not in an array or map")
            .help("make a field on the cycle `optional = true` or `nullable = true`, or hold it in `array<...>`");
        self.diags.push(d);
    }

    /// Aliases that expand, through other aliases, into more than
    /// [`MAX_EXPANSION`] levels (alias hops plus `array`/`map` levels).
    /// Walks over types follow aliases one level at a time (emitters inline
    /// them), so this bounds their depth; computed once per alias.
    pub(in crate::load) fn check_alias_depth(&mut self, types: &BTreeMap<String, TypeDef>) {
        let mut depth: HashMap<&str, usize> = HashMap::new();
        for t in types.values() {
            if !matches!(t.kind, TypeKind::Alias(_)) || depth.contains_key(t.name.as_str()) {
                continue;
            }
            // Follow the chain iteratively, then fill depths on the way back.
            let mut chain: Vec<(&str, usize)> = Vec::new();
            let mut on_chain: BTreeSet<&str> = BTreeSet::new();
            let mut cur = t.name.as_str();
            let base = loop {
                if let Some(d) = depth.get(cur) {
                    break *d;
                }
                if !on_chain.insert(cur) {
                    // A cycle of aliases (through arrays or maps: Rust makes
                    // it a newtype; directly: reported as infinite).
                    break 0;
                }
                let Some(TypeDef {
                    kind: TypeKind::Alias(ty),
                    ..
                }) = types.get(cur)
                else {
                    break 0;
                };
                let (levels, next) = unwrap_levels(ty);
                chain.push((cur, levels));
                match next {
                    Some(n)
                        if matches!(types.get(n).map(|t| &t.kind), Some(TypeKind::Alias(_))) =>
                    {
                        cur = n;
                    }
                    _ => break 0,
                }
            };
            let mut d = base;
            let mut over: Option<&str> = None;
            for (name, levels) in chain.iter().rev() {
                let below = d;
                d = d.saturating_add(levels + 1);
                depth.insert(name, d);
                // Only where the limit is crossed: aliases above it in the
                // chain are over too, and are not reported again.
                if d > MAX_EXPANSION && below <= MAX_EXPANSION && over.is_none() {
                    over = Some(name);
                }
            }
            // Report the alias where the limit is first passed (once per chain).
            if let Some(name) = over {
                let d = self.at_origin(
                    ErrorKind::BadTypeExpr,
                    &types[name].origin,
                    format!("alias `{name}` expands, through other aliases, into more than {MAX_EXPANSION} levels"),
                )
                .label(format!("more than {MAX_EXPANSION} aliases and `array`/`map` levels before an object, an enum or a scalar"))
                .help(format!("at most {MAX_EXPANSION} levels fit: point the alias at the final type directly, or shorten the chain"));
                self.diags.push(d);
            }
        }
    }
    /// Payloads whose smallest valid value is nested more than
    /// [`MAX_PAYLOAD_DEPTH`] objects and arrays deep (a chain of required
    /// fields): JSON readers stop at 128 levels (serde_json, so the
    /// generated types and `eventcat validate` too), so no such event could
    /// be read. Computed once per type, without recursion; skipped when an
    /// infinite type was found (its depth has no bound).
    pub(in crate::load) fn check_event_depth(
        &mut self,
        types: &BTreeMap<String, TypeDef>,
        events: &[Event],
    ) {
        if self.diags.iter().any(|d| d.kind == ErrorKind::InfiniteType) {
            return;
        }
        let mut depth: HashMap<&str, usize> = HashMap::new();
        let mut reported: BTreeSet<&str> = BTreeSet::new();
        for ev in events {
            let root = ev.payload.as_str();
            // Iterative post-order: a type's depth once its targets have one.
            let mut stack: Vec<(&str, bool)> = vec![(root, false)];
            while let Some((name, expanded)) = stack.pop() {
                if depth.contains_key(name) {
                    continue;
                }
                let Some(t) = types.get(name) else {
                    depth.insert(name, 0);
                    continue;
                };
                let (own, next) = targets(t);
                if expanded {
                    let below = next
                        .iter()
                        .map(|(n, w)| depth.get(n).copied().unwrap_or(0).saturating_add(*w))
                        .max()
                        .unwrap_or(0);
                    depth.insert(name, own.saturating_add(below));
                } else {
                    stack.push((name, true));
                    for (n, _) in next {
                        if !depth.contains_key(n) {
                            stack.push((n, false));
                        }
                    }
                }
            }
            let d = depth.get(root).copied().unwrap_or(0);
            if d > MAX_PAYLOAD_DEPTH && reported.insert(root) {
                let diag = self.at_origin(
                    ErrorKind::TooDeep,
                    &types[root].origin,
                    format!("every `{root}` value is nested {d} objects and arrays deep, more than {MAX_PAYLOAD_DEPTH}"),
                )
                .label("required fields lead this deep")
                .help(format!("JSON readers (serde_json, the generated types, `eventcat validate`) stop at 128 levels: keep payloads within {MAX_PAYLOAD_DEPTH}, e.g. make a field on the chain `optional = true`"));
                self.diags.push(diag);
            }
        }
    }
}

/// Most levels an alias may expand into (see `check_alias_depth`).
pub(in crate::load) const MAX_EXPANSION: usize = 256;

/// Most levels of objects and arrays the smallest value of a payload may
/// need (the envelope and room for optional fields fit under 128).
pub(in crate::load) const MAX_PAYLOAD_DEPTH: usize = 100;

/// The JSON levels a type adds itself (1 for an object), and its required
/// targets with the JSON levels on the way.
pub(in crate::load) fn targets(t: &TypeDef) -> (usize, Vec<(&str, usize)>) {
    match &t.kind {
        TypeKind::Object(o) => (
            1,
            o.fields
                .iter()
                .filter(|f| !f.optional && !f.nullable)
                .filter_map(|f| required_levels(&f.ty, f.constraints.min_items))
                .collect(),
        ),
        TypeKind::Alias(ty) => (0, required_levels(ty, None).into_iter().collect()),
        TypeKind::Enum(_) => (0, Vec::new()),
    }
}

/// Like [`required_target`], with the JSON levels (non-empty arrays) between.
pub(in crate::load) fn required_levels(
    ty: &TypeRef,
    min_items: Option<u64>,
) -> Option<(&str, usize)> {
    match ty {
        TypeRef::Named(n) => Some((n.as_str(), 0)),
        TypeRef::Array(inner) if min_items.is_some_and(|m| m > 0) => {
            required_levels(inner, None).map(|(n, w)| (n, w + 1))
        }
        _ => None,
    }
}

/// The named type every value of `ty` must hold, if any (arrays only when
/// they must have items).
pub(in crate::load) fn required_target(ty: &TypeRef, min_items: Option<u64>) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n.as_str()),
        TypeRef::Array(inner) if min_items.is_some_and(|m| m > 0) => required_target(inner, None),
        _ => None,
    }
}

/// `array`/`map` levels around a type expression, and the name inside.
pub(in crate::load) fn unwrap_levels(ty: &TypeRef) -> (usize, Option<&str>) {
    let mut levels = 0;
    let mut ty = ty;
    loop {
        match ty {
            TypeRef::Array(inner) | TypeRef::Map(inner) => {
                levels += 1;
                ty = inner;
            }
            TypeRef::Named(n) => return (levels, Some(n.as_str())),
            _ => return (levels, None),
        }
    }
}

/// A reference every value of a type must hold: the type it leads to, and
/// the field on the way (`None` through an alias).
type Edge<'t> = (&'t str, Option<&'t Field>);

/// Where the depth-first search of [`find_cycles`] is with a type.
#[derive(Clone, Copy, PartialEq)]
enum Colour {
    /// Not reached yet.
    White,
    /// On the current path.
    Grey,
    /// Done: every type it leads to was searched.
    Black,
}

/// Edges A -> B when every A value must hold a B value (the field on the
/// way, for the location): required, non-nullable fields, aliases, and
/// arrays with `min_items` of at least 1.
fn required_edges(types: &BTreeMap<String, TypeDef>) -> BTreeMap<&str, Vec<Edge<'_>>> {
    let mut edges: BTreeMap<&str, Vec<Edge>> = BTreeMap::new();
    for t in types.values() {
        let out = edges.entry(t.name.as_str()).or_default();
        match &t.kind {
            TypeKind::Object(o) => {
                for f in &o.fields {
                    if f.optional || f.nullable {
                        continue;
                    }
                    if let Some(n) = required_target(&f.ty, f.constraints.min_items) {
                        out.push((n, Some(f)));
                    }
                }
            }
            TypeKind::Alias(ty) => {
                if let Some(n) = required_target(ty, None) {
                    out.push((n, None));
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    edges
}

/// Every cycle of `edges`, once per set of members, each as its members
/// with the edge's field leaving each: one depth-first search with colours.
fn find_cycles<'t>(edges: &BTreeMap<&'t str, Vec<Edge<'t>>>) -> Vec<Vec<Edge<'t>>> {
    let mut colour: HashMap<&str, Colour> = edges.keys().map(|k| (*k, Colour::White)).collect();
    let mut reported: BTreeSet<Vec<&str>> = BTreeSet::new();
    let mut cycles: Vec<Vec<Edge>> = Vec::new();
    for start in edges.keys().copied() {
        if colour[start] != Colour::White {
            continue;
        }
        // The current path: (node, field that led to it, next edge index).
        let mut path: Vec<(&str, Option<&Field>, usize)> = vec![(start, None, 0)];
        colour.insert(start, Colour::Grey);
        while let Some(top) = path.last_mut() {
            let (node, idx) = (top.0, top.2);
            top.2 += 1;
            match edges[node].get(idx).copied() {
                None => {
                    colour.insert(node, Colour::Black);
                    path.pop();
                }
                Some((to, field)) => match colour.get(to).copied() {
                    Some(Colour::White) => {
                        colour.insert(to, Colour::Grey);
                        path.push((to, field, 0));
                    }
                    Some(Colour::Grey) => {
                        let cycle = cycle_on_path(&path, to, field);
                        let mut key: Vec<&str> = cycle.iter().map(|c| c.0).collect();
                        key.sort_unstable();
                        if reported.insert(key) {
                            cycles.push(cycle);
                        }
                    }
                    _ => {}
                },
            }
        }
    }
    cycles
}

/// The cycle an edge closes from the end of `path` back to `to` (on the
/// path) through `field`: its members, each with the field leaving it.
fn cycle_on_path<'t>(
    path: &[(&'t str, Option<&'t Field>, usize)],
    to: &str,
    field: Option<&'t Field>,
) -> Vec<Edge<'t>> {
    let from = path.iter().position(|p| p.0 == to).unwrap_or(0);
    let mut cycle: Vec<Edge> = Vec::new();
    for (i, p) in path[from..].iter().enumerate() {
        // The field leaving each member is the next member's.
        let leaving = path.get(from + i + 1).map_or(field, |n| n.1);
        cycle.push((p.0, leaving));
    }
    cycle
}
