//! The sets an object check keeps: the keys of a map seen so far, and the
//! declared fields of an object seen so far.

#[allow(unused_imports)]
use super::*;

impl<'de> KeySet<'de> {
    /// Adds `key`; false if it was there already.
    pub(super) fn insert(&mut self, key: Cow<'de, str>) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key);
        }
        if self.list.contains(&key) {
            return false;
        }
        self.list.push(key);
        if self.list.len() > 16 {
            self.set = Some(self.list.drain(..).collect());
        }
        true
    }
}

impl Bits {
    pub(super) fn new(n: usize) -> Self {
        if n <= 128 {
            Bits::Small(0)
        } else {
            Bits::Large(vec![false; n])
        }
    }

    /// Sets `i`; false if it was set already.
    pub(super) fn set(&mut self, i: usize) -> bool {
        match self {
            Bits::Small(b) => {
                let m = 1u128 << i;
                let fresh = *b & m == 0;
                *b |= m;
                fresh
            }
            Bits::Large(v) => !std::mem::replace(&mut v[i], true),
        }
    }

    pub(super) fn get(&self, i: usize) -> bool {
        match self {
            Bits::Small(b) => *b & (1u128 << i) != 0,
            Bits::Large(v) => v[i],
        }
    }
}
