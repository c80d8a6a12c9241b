//! A whole file tree over segment roots, kept in memory to serve proofs (the devnet's side).

use super::layout::{FileLayout, LayoutError, CHUNKS_PER_SEGMENT, CHUNK_SIZE};
use super::proof::FileProof;
use super::root::segment_root;
use crate::hash::{parent, Hash32};

/// Every level of a 0G Merkle tree over given leaf hashes, bottom to top, kept to serve proofs.
/// An odd last node is promoted unchanged, as 0G trees do. Storage files (leaves = segment roots)
/// and DA cosets (leaves = row roots) both use it.
#[derive(Debug, Clone)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash32>>,
}

impl MerkleTree {
    /// `leaves` must not be empty.
    pub fn from_leaves(leaves: Vec<Hash32>) -> Self {
        assert!(!leaves.is_empty(), "a Merkle tree has at least one leaf");
        let mut levels = vec![leaves];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let next = levels
                .last()
                .unwrap()
                .chunks(2)
                .map(|p| if p.len() == 2 { parent(&p[0], &p[1]) } else { p[0] })
                .collect();
            levels.push(next);
        }
        MerkleTree { levels }
    }

    pub fn root(&self) -> Hash32 {
        self.levels.last().expect("at least one level")[0]
    }

    pub fn leaf_count(&self) -> u64 {
        self.levels[0].len() as u64
    }

    pub fn leaf(&self, index: u64) -> Option<Hash32> {
        self.levels[0].get(index as usize).copied()
    }

    /// The proof of leaf `index`; `None` past the last leaf.
    pub fn proof(&self, index: u64) -> Option<FileProof> {
        if index >= self.leaf_count() {
            return None;
        }
        if self.leaf_count() == 1 {
            return Some(FileProof::single(self.root()));
        }
        let mut idx = index as usize;
        let mut lemma = vec![self.levels[0][idx]];
        let mut path = Vec::new();
        for level in &self.levels[..self.levels.len() - 1] {
            if idx % 2 == 0 {
                if let Some(right) = level.get(idx + 1) {
                    lemma.push(*right);
                    path.push(true);
                }
            } else {
                lemma.push(level[idx - 1]);
                path.push(false);
            }
            idx /= 2;
        }
        lemma.push(self.root());
        Some(FileProof { lemma, path })
    }
}

/// A whole file's tree over its segment roots (padding segments included).
#[derive(Debug, Clone)]
pub struct SegmentTree {
    layout: FileLayout,
    tree: MerkleTree,
}

impl SegmentTree {
    pub fn from_file(data: &[u8]) -> Result<Self, LayoutError> {
        let layout = FileLayout::new(data.len() as u64)?;
        let leaves = (0..layout.padded_segments())
            .map(|i| {
                let start = (i as usize * CHUNKS_PER_SEGMENT * CHUNK_SIZE).min(data.len());
                let end = (start + CHUNKS_PER_SEGMENT * CHUNK_SIZE).min(data.len());
                Ok(segment_root(&data[start..end], layout.segment_leaves(i)?))
            })
            .collect::<Result<Vec<_>, LayoutError>>()?;
        Ok(SegmentTree { layout, tree: MerkleTree::from_leaves(leaves) })
    }

    pub fn layout(&self) -> &FileLayout {
        &self.layout
    }

    pub fn root(&self) -> Hash32 {
        self.tree.root()
    }

    pub fn segment_root(&self, index: u64) -> Option<Hash32> {
        self.tree.leaf(index)
    }

    /// The proof of segment `index` (padding segments included).
    pub fn proof(&self, index: u64) -> Result<FileProof, LayoutError> {
        let segments = self.tree.leaf_count();
        self.tree.proof(index).ok_or(LayoutError::SegmentOutOfRange { index, segments })
    }
}
