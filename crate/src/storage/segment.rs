//! Verifying one segment a storage node served, with the node's own rules
//! (`SegmentWithProof::validate` in 0g-storage-node) against a root we already trust.

use super::layout::{FileLayout, SEGMENT_TREE_HEIGHT};
use super::proof::ProofError;
use super::root::segment_root;
use super::rpc::SegmentWithProof;
use crate::hash::{zero_hash, Hash32};
use serde::Serialize;

/// What is wrong with a segment a node served: each variant says what was expected and what came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SegmentFault {
    #[error("answer is for root {received}, not {expected}")]
    WrongRoot { expected: Hash32, received: Hash32 },
    #[error("answer is for segment {received}, not {expected}")]
    WrongIndex { expected: u64, received: u64 },
    #[error("answer gives file size {received}, not {expected}")]
    WrongFileSize { expected: u64, received: u64 },
    #[error("segment data is {received} bytes, not {expected}")]
    DataLength { expected: usize, received: usize },
    #[error("{0}")]
    Proof(#[from] ProofError),
    #[error("proof node {received} covers only rear padding and must be {expected}")]
    RearPadding { expected: Hash32, received: Hash32 },
}

/// Checks `answer` as the segment `index` of the file `(root, layout)`. Returns the segment root.
pub fn verify_segment(
    root: &Hash32,
    layout: &FileLayout,
    index: u64,
    answer: &SegmentWithProof,
) -> Result<Hash32, SegmentFault> {
    if answer.root != *root {
        return Err(SegmentFault::WrongRoot { expected: *root, received: answer.root });
    }
    if answer.index != index {
        return Err(SegmentFault::WrongIndex { expected: index, received: answer.index });
    }
    if answer.file_size != layout.size() {
        return Err(SegmentFault::WrongFileSize { expected: layout.size(), received: answer.file_size });
    }
    // The caller asks only for segments of the file; an out-of-range index is its own bug.
    let expected_len = layout.segment_data_len(index).expect("index within the file");
    if answer.data.len() != expected_len {
        return Err(SegmentFault::DataLength { expected: expected_len, received: answer.data.len() });
    }
    let leaves = layout.segment_leaves(index).expect("data segment is in the padded tree");
    let seg_root = segment_root(&answer.data, leaves);
    let padded_segments = layout.padded_segments();
    answer.proof.verify(&seg_root, root, index, padded_segments)?;
    for (sibling, first_leaf, height) in answer.proof.right_siblings(padded_segments) {
        if first_leaf >= layout.data_segments() {
            let expected = zero_hash(height as usize + SEGMENT_TREE_HEIGHT);
            if sibling != expected {
                return Err(SegmentFault::RearPadding { expected, received: sibling });
            }
        }
    }
    Ok(seg_root)
}
