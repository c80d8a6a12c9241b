//! A whole file tree over segment roots, kept in memory to serve proofs (the devnet's side).

use super::layout::{FileLayout, LayoutError, CHUNKS_PER_SEGMENT, CHUNK_SIZE};
use super::proof::FileProof;
use super::root::segment_root;
use crate::hash::{parent, Hash32};

/// Every level of a file's segment tree, bottom (segment roots) to top (file root).
#[derive(Debug, Clone)]
pub struct SegmentTree {
    layout: FileLayout,
    levels: Vec<Vec<Hash32>>,
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
        Ok(Self::from_segment_roots(layout, leaves))
    }

    fn from_segment_roots(layout: FileLayout, leaves: Vec<Hash32>) -> Self {
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
        SegmentTree { layout, levels }
    }

    pub fn layout(&self) -> &FileLayout {
        &self.layout
    }

    pub fn root(&self) -> Hash32 {
        self.levels.last().expect("at least one level")[0]
    }

    pub fn segment_root(&self, index: u64) -> Option<Hash32> {
        self.levels[0].get(index as usize).copied()
    }

    /// The proof of segment `index` (padding segments included).
    pub fn proof(&self, index: u64) -> Result<FileProof, LayoutError> {
        let segments = self.levels[0].len() as u64;
        if index >= segments {
            return Err(LayoutError::SegmentOutOfRange { index, segments });
        }
        if segments == 1 {
            return Ok(FileProof::single(self.root()));
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
        Ok(FileProof { lemma, path })
    }
}
