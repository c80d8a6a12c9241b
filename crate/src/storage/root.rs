//! Streaming 0G file roots in O(log n) memory.
//!
//! 0G builds its trees level by level and promotes an odd last node unchanged. That tree equals
//! the right fold of the file's perfect subtrees (its binary decomposition), so a stack of at most
//! one subtree per height is all the state a streaming hasher needs: a 1 GiB file costs a few KiB.

use super::layout::{FileLayout, LayoutError, CHUNK_SIZE};
use crate::hash::{keccak256, parent, zero_hash, Hash32};

/// Left-to-right fold of perfect subtrees into an odd-promoting Merkle root.
#[derive(Debug, Clone, Default)]
pub struct MerkleFold {
    /// Pending perfect subtrees, heights strictly decreasing from the bottom.
    stack: Vec<(Hash32, u32)>,
    leaves: u64,
}

impl MerkleFold {
    pub fn new() -> Self {
        Self::default()
    }

    /// Leaves folded so far.
    pub fn leaves(&self) -> u64 {
        self.leaves
    }

    pub fn push_leaf(&mut self, leaf: Hash32) {
        self.push_subtree(leaf, 0);
    }

    /// Appends a perfect subtree of 2^height leaves. The leaves pushed so far must be a multiple
    /// of 2^height, which keeps the stack a binary decomposition.
    pub fn push_subtree(&mut self, root: Hash32, height: u32) {
        debug_assert_eq!(self.leaves % (1u64 << height), 0, "unaligned subtree");
        let (mut node, mut h) = (root, height);
        while let Some(&(left, lh)) = self.stack.last() {
            if lh != h {
                break;
            }
            self.stack.pop();
            node = parent(&left, &node);
            h += 1;
        }
        self.stack.push((node, h));
        self.leaves += 1u64 << height;
    }

    /// Appends `count` all-zero chunks as the largest aligned zero subtrees.
    pub fn push_zero_leaves(&mut self, mut count: u64) {
        while count > 0 {
            let align = self.leaves.trailing_zeros().min(63);
            let fits = 63 - count.leading_zeros();
            let h = align.min(fits);
            self.push_subtree(zero_hash(h as usize), h);
            count -= 1u64 << h;
        }
    }

    /// The root of everything pushed; `None` when nothing was.
    pub fn root(&self) -> Option<Hash32> {
        let mut nodes = self.stack.iter().rev();
        let mut acc = nodes.next()?.0;
        for (left, _) in nodes {
            acc = parent(left, &acc);
        }
        Some(acc)
    }
}

/// Computes a file's 0G Merkle root from bytes fed in any pieces.
#[derive(Debug, Clone, Default)]
pub struct FileHasher {
    fold: MerkleFold,
    partial: Vec<u8>,
    size: u64,
}

impl FileHasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, mut data: &[u8]) {
        self.size += data.len() as u64;
        if !self.partial.is_empty() {
            let take = (CHUNK_SIZE - self.partial.len()).min(data.len());
            self.partial.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.partial.len() < CHUNK_SIZE {
                return;
            }
            self.fold.push_leaf(keccak256(&self.partial));
            self.partial.clear();
        }
        let mut chunks = data.chunks_exact(CHUNK_SIZE);
        for chunk in &mut chunks {
            self.fold.push_leaf(keccak256(chunk));
        }
        self.partial.extend_from_slice(chunks.remainder());
    }

    /// Bytes fed so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Pads the last chunk and the tree as 0G does, and returns the file root.
    pub fn finalize(self) -> Result<Hash32, LayoutError> {
        Ok(self.padded()?.root().expect("a non-empty file has leaves"))
    }

    /// The root and the file's perfect subtrees `(root, height in chunks)`, largest first: the
    /// `nodes` of the file's flow submission, as the 0G SDKs split it (`splitNodes`).
    pub fn finalize_submission(self) -> Result<(Hash32, Vec<(Hash32, u32)>), LayoutError> {
        let fold = self.padded()?;
        Ok((fold.root().expect("a non-empty file has leaves"), fold.stack))
    }

    fn padded(mut self) -> Result<MerkleFold, LayoutError> {
        let layout = FileLayout::new(self.size)?;
        if !self.partial.is_empty() {
            self.partial.resize(CHUNK_SIZE, 0);
            self.fold.push_leaf(keccak256(&self.partial));
        }
        self.fold.push_zero_leaves(layout.padded_chunks() - layout.chunks());
        Ok(self.fold)
    }
}

/// The 0G root of a whole file held in memory.
pub fn file_root(data: &[u8]) -> Result<Hash32, LayoutError> {
    let mut hasher = FileHasher::new();
    hasher.update(data);
    hasher.finalize()
}

/// Root of one segment: its data chunks (the last zero-padded) then zero chunks up to `leaves`.
/// `data.len()` must not exceed `leaves * CHUNK_SIZE`.
pub fn segment_root(data: &[u8], leaves: usize) -> Hash32 {
    let mut fold = MerkleFold::new();
    let mut chunks = data.chunks(CHUNK_SIZE);
    for chunk in &mut chunks {
        if chunk.len() == CHUNK_SIZE {
            fold.push_leaf(keccak256(chunk));
        } else {
            let mut padded = [0u8; CHUNK_SIZE];
            padded[..chunk.len()].copy_from_slice(chunk);
            fold.push_leaf(keccak256(&padded));
        }
    }
    let data_chunks = fold.leaves();
    fold.push_zero_leaves((leaves as u64).saturating_sub(data_chunks));
    fold.root().unwrap_or(zero_hash(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Level-by-level tree with odd promotion: the literal 0G definition, for comparison.
    fn level_root(mut level: Vec<Hash32>) -> Hash32 {
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|p| if p.len() == 2 { parent(&p[0], &p[1]) } else { p[0] })
                .collect();
        }
        level[0]
    }

    #[test]
    fn fold_equals_level_by_level_tree() {
        for n in 1..300u64 {
            let leaves: Vec<Hash32> = (0..n).map(|i| keccak256(&i.to_le_bytes())).collect();
            let mut fold = MerkleFold::new();
            leaves.iter().for_each(|l| fold.push_leaf(*l));
            assert_eq!(fold.root().unwrap(), level_root(leaves), "n = {n}");
        }
    }

    #[test]
    fn zero_leaves_match_pushing_zero_chunks() {
        for (start, zeros) in [(1u64, 7u64), (5, 11), (16, 16), (3, 1000)] {
            let mut a = MerkleFold::new();
            let mut b = MerkleFold::new();
            for i in 0..start {
                a.push_leaf(keccak256(&i.to_le_bytes()));
                b.push_leaf(keccak256(&i.to_le_bytes()));
            }
            a.push_zero_leaves(zeros);
            (0..zeros).for_each(|_| b.push_leaf(zero_hash(0)));
            assert_eq!(a.root(), b.root());
        }
    }

    #[test]
    fn streaming_in_any_pieces_gives_one_root() {
        let data: Vec<u8> = (0..70_000u32).map(|i| (i * 7 + 3) as u8).collect();
        let whole = file_root(&data).unwrap();
        for piece in [1, 255, 256, 257, 4096, 65_537] {
            let mut h = FileHasher::new();
            data.chunks(piece).for_each(|p| h.update(p));
            assert_eq!(h.finalize().unwrap(), whole, "piece {piece}");
        }
        assert_eq!(file_root(&[]), Err(LayoutError::EmptyFile));
    }
}
