//! A 0G Merkle proof: `lemma = [leaf, siblings bottom-up.., root]`, `path[i]` true when the
//! node at that level is a left child. One-leaf trees have `lemma = [root]`, `path = []`.

use crate::hash::{parent, Hash32};
use serde::{Deserialize, Serialize};

/// Longest path we accept: no 0G tree is deeper than 64 levels.
pub const MAX_PROOF_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProof {
    pub lemma: Vec<Hash32>,
    pub path: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ProofError {
    #[error("proof shape: {lemma} lemma entries for {path} path bits (needs path + 2, or 1 and 0)")]
    Format { lemma: usize, path: usize },
    #[error("proof is {path} levels deep, more than {max}")]
    TooDeep { path: usize, max: usize },
    #[error("proof leaf {received} is not the hash of the data, {expected}")]
    LeafMismatch { expected: Hash32, received: Hash32 },
    #[error("proof root {received} is not the file root {expected}")]
    RootMismatch { expected: Hash32, received: Hash32 },
    #[error("proof path leads to leaf {received:?} of {leaves}, not {expected}")]
    PositionMismatch { expected: u64, received: Option<u64>, leaves: u64 },
    #[error("proof siblings hash to {received}, not the root {expected}")]
    PathMismatch { expected: Hash32, received: Hash32 },
}

impl FileProof {
    /// The proof of the only leaf of a one-leaf tree.
    pub fn single(root: Hash32) -> Self {
        FileProof { lemma: vec![root], path: vec![] }
    }

    fn check_format(&self) -> Result<(), ProofError> {
        let (lemma, path) = (self.lemma.len(), self.path.len());
        if path > MAX_PROOF_DEPTH {
            return Err(ProofError::TooDeep { path, max: MAX_PROOF_DEPTH });
        }
        let ok = if path == 0 { lemma == 1 } else { lemma == path + 2 };
        if ok { Ok(()) } else { Err(ProofError::Format { lemma, path }) }
    }

    /// The leaf index the path leads to in a tree of `leaves` leaves; `None` when the path does
    /// not fit that tree (too long, or stops above the leaves).
    pub fn position(&self, leaves: u64) -> Option<u64> {
        let (mut n, mut pos) = (leaves, 0u64);
        for &is_left in self.path.iter().rev() {
            if n <= 1 {
                return None;
            }
            let left = left_subtree_leaves(n);
            if is_left {
                n = left;
            } else {
                pos += left;
                n -= left;
            }
        }
        (n == 1).then_some(pos)
    }

    /// Checks that this proves `leaf` at `position` of a `leaves`-leaf tree with root `root`.
    pub fn verify(&self, leaf: &Hash32, root: &Hash32, position: u64, leaves: u64) -> Result<(), ProofError> {
        self.check_format()?;
        let claimed_leaf = self.lemma[0];
        if claimed_leaf != *leaf {
            return Err(ProofError::LeafMismatch { expected: *leaf, received: claimed_leaf });
        }
        let claimed_root = *self.lemma.last().expect("format checked");
        if claimed_root != *root {
            return Err(ProofError::RootMismatch { expected: *root, received: claimed_root });
        }
        let received = self.position(leaves);
        if received != Some(position) {
            return Err(ProofError::PositionMismatch { expected: position, received, leaves });
        }
        let computed = self.computed_root().expect("format checked");
        if computed != *root {
            return Err(ProofError::PathMismatch { expected: *root, received: computed });
        }
        Ok(())
    }

    /// The root the lemma's siblings hash up to from its leaf; `None` when the lemma does not
    /// have the proof's shape (see [`FileProof::verify`]).
    pub fn computed_root(&self) -> Option<Hash32> {
        self.check_format().ok()?;
        if self.path.is_empty() {
            return Some(self.lemma[0]);
        }
        let siblings = &self.lemma[1..self.lemma.len() - 1];
        Some(self.path.iter().zip(siblings).fold(self.lemma[0], |node, (&is_left, sibling)| {
            if is_left { parent(&node, sibling) } else { parent(sibling, &node) }
        }))
    }

    /// Siblings on the right of the path, top-down, with the first leaf each one covers and the
    /// height of the perfect subtree it roots: what a node checks against the rear padding.
    /// Meant for a proof that verified; for one that does not fit the tree it stops early.
    pub fn right_siblings(&self, leaves: u64) -> Vec<(Hash32, u64, u32)> {
        let mut out = Vec::new();
        let (mut n, mut pos) = (leaves, 0u64);
        let depth = self.path.len();
        for (i, &is_left) in self.path.iter().rev().enumerate() {
            if n <= 1 {
                break;
            }
            let left = left_subtree_leaves(n);
            if is_left {
                // The sibling is lemma[depth - i] (the top sibling is lemma[depth]).
                let Some(&sibling) = self.lemma.get(depth - i) else { break };
                out.push((sibling, pos + left, left.trailing_zeros()));
                n = left;
            } else {
                pos += left;
                n -= left;
            }
        }
        out
    }
}

/// Leaves under the left child of a node over `n >= 2` leaves: the largest power of two below
/// `n` (0G trees promote an odd last node, so the left part is always a perfect subtree).
/// Unlike `n.next_power_of_two() / 2` it cannot overflow for `n > 2^63`.
fn left_subtree_leaves(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}
