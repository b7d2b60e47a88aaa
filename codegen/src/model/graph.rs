//! The type graph: alias chains, and cycles of references (one strongly
//! connected components algorithm for every emitter and check).

use std::collections::{BTreeMap, BTreeSet};

/// The one walk over alias chains: from `start`, `step` gives what an alias
/// stands for (`None`: not an alias, the chain ends there). A chain has at
/// most `types` links (the number of types; a longer one has a cycle, which
/// the loader reports), which bounds the walk; its last link is returned.
/// [`super::Catalog::resolve`] walks the model with it, and the loader the
/// declared types before the model exists.
pub fn follow_aliases<T>(start: T, types: usize, mut step: impl FnMut(&T) -> Option<T>) -> T {
    let mut at = start;
    for _ in 0..=types {
        match step(&at) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// Tarjan's strongly connected components of `graph` (edges to nodes that
/// are not keys of `graph` are ignored), without recursion, so that a chain
/// of 10,000 types does not overflow a thread's stack. Returns the
/// component of every node on a cycle (a component of two or more nodes,
/// or one node with an edge to itself): two nodes are on one cycle when
/// they have the same number.
pub fn strongly_connected<N: Ord>(graph: &BTreeMap<N, BTreeSet<N>>) -> BTreeMap<&N, usize> {
    let nodes: Vec<&N> = graph.keys().collect();
    let number: BTreeMap<&N, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = graph
        .values()
        .map(|to| to.iter().filter_map(|t| number.get(t).copied()).collect())
        .collect();
    let mut t = Tarjan::new(nodes.len());
    for v in 0..nodes.len() {
        if t.index[v].is_none() {
            t.search(&edges, v);
        }
    }
    let mut out = BTreeMap::new();
    for (id, comp) in t.components.iter().enumerate() {
        let cyclic = comp.len() > 1 || edges[comp[0]].contains(&comp[0]);
        if cyclic {
            out.extend(comp.iter().map(|&v| (nodes[v], id)));
        }
    }
    out
}

/// The state of Tarjan's algorithm over nodes `0..n`.
struct Tarjan {
    /// Order of discovery of each node.
    index: Vec<Option<usize>>,
    /// Smallest index reachable from each node's subtree.
    low: Vec<usize>,
    /// Nodes of components not finished yet.
    stack: Vec<usize>,
    on_stack: Vec<bool>,
    next: usize,
    /// Finished components, in the order they finish.
    components: Vec<Vec<usize>>,
}

impl Tarjan {
    /// Nothing searched yet.
    fn new(n: usize) -> Self {
        Tarjan {
            index: vec![None; n],
            low: vec![0; n],
            stack: Vec::new(),
            on_stack: vec![false; n],
            next: 0,
            components: Vec::new(),
        }
    }

    /// Discovers node `v`.
    fn discover(&mut self, v: usize) {
        self.index[v] = Some(self.next);
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
    }

    /// The depth-first search from `root`, with an explicit stack of
    /// (node, next edge to follow): the order of the recursive algorithm.
    fn search(&mut self, edges: &[Vec<usize>], root: usize) {
        self.discover(root);
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut next_edge)) = calls.last_mut() {
            if let Some(&w) = edges[v].get(*next_edge) {
                *next_edge += 1;
                match self.index[w] {
                    None => {
                        self.discover(w);
                        calls.push((w, 0));
                    }
                    Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                    Some(_) => {}
                }
                continue;
            }
            calls.pop();
            if Some(self.low[v]) == self.index[v] {
                self.finish(v);
            }
            if let Some(&(parent, _)) = calls.last() {
                self.low[parent] = self.low[parent].min(self.low[v]);
            }
        }
    }

    /// Pops the component whose root is `v`.
    fn finish(&mut self, v: usize) {
        let mut comp = Vec::new();
        while let Some(w) = self.stack.pop() {
            self.on_stack[w] = false;
            comp.push(w);
            if w == v {
                break;
            }
        }
        self.components.push(comp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(
        edges: &[(&'static str, &'static str)],
    ) -> BTreeMap<&'static str, BTreeSet<&'static str>> {
        let mut g: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry(a).or_default().insert(b);
            g.entry(b).or_default();
        }
        g
    }

    #[test]
    fn cycles_self_loops_and_chains() {
        let g = graph(&[
            ("a", "b"),
            ("b", "a"),
            ("b", "c"),
            ("c", "c"),
            ("c", "d"),
            ("d", "e"),
        ]);
        let c = strongly_connected(&g);
        assert_eq!(c.get(&"a"), c.get(&"b"));
        assert!(c.contains_key(&"a"));
        assert!(c.contains_key(&"c"));
        assert_ne!(c.get(&"a"), c.get(&"c"));
        assert!(!c.contains_key(&"d") && !c.contains_key(&"e"));
    }

    #[test]
    fn a_long_chain_and_a_long_cycle_do_not_overflow() {
        let names: Vec<String> = (0..200_000).map(|i| format!("t{i:06}")).collect();
        let mut g: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for w in names.windows(2) {
            g.entry(&w[0]).or_default().insert(&w[1]);
        }
        g.entry(&names[names.len() - 1]).or_default();
        assert!(strongly_connected(&g).is_empty());
        g.get_mut(names[names.len() - 1].as_str())
            .unwrap()
            .insert(&names[0]);
        let c = strongly_connected(&g);
        assert_eq!(c.len(), names.len());
        assert_eq!(c.values().collect::<BTreeSet<_>>().len(), 1);
    }
}
