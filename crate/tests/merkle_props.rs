//! Property tests of the storage tree (native only: proptest).
//!
//! - a streamed root equals the whole-file root for any split of the bytes;
//! - `MerkleFold` (and its zero-subtree shortcut) equals the literal 0G tree, built level by level
//!   with an odd last node promoted;
//! - the `SegmentTree` proof of every segment verifies at its own index and at no other, and
//!   `verify_segment` accepts every data segment served with it;
//! - garbage lemmas and paths never panic and are always rejected.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::sync::OnceLock;
use zg_align::hash::{keccak256, parent, zero_hash};
use zg_align::storage::proof::MAX_PROOF_DEPTH;
use zg_align::storage::{
    file_root, verify_segment, FileHasher, FileLayout, FileProof, MerkleFold, ProofError, SegmentTree, SegmentWithProof,
    SEGMENT_SIZE,
};
use zg_align::Hash32;

/// The literal 0G definition: level by level, an odd last node promoted unchanged.
fn level_root(mut level: Vec<Hash32>) -> Hash32 {
    while level.len() > 1 {
        level = level.chunks(2).map(|p| if p.len() == 2 { parent(&p[0], &p[1]) } else { p[0] }).collect();
    }
    level[0]
}

/// 3.5 segments (four data segments, the last one short) and their tree, built once.
fn small_file() -> &'static (Vec<u8>, SegmentTree) {
    static FILE: OnceLock<(Vec<u8>, SegmentTree)> = OnceLock::new();
    FILE.get_or_init(|| {
        let data = bytes(3 * SEGMENT_SIZE + SEGMENT_SIZE / 2, 7);
        let tree = SegmentTree::from_file(&data).unwrap();
        (data, tree)
    })
}

/// Bytes that differ from file to file and from chunk to chunk, cheap to make.
fn bytes(size: usize, seed: u8) -> Vec<u8> {
    (0..size).map(|i| ((i as u32).wrapping_mul(2_654_435_761) >> 13) as u8 ^ seed).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn streaming_equals_whole_for_any_split(
        data in proptest::collection::vec(any::<u8>(), 1..300_000),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let mut points: Vec<usize> = cuts.into_iter().map(|c| c % (data.len() + 1)).collect();
        points.sort();
        let mut hasher = FileHasher::new();
        let mut at = 0;
        for p in points.into_iter().chain([data.len()]) {
            hasher.update(&data[at..p]);
            at = p;
        }
        prop_assert_eq!(hasher.size(), data.len() as u64);
        prop_assert_eq!(hasher.finalize().unwrap(), file_root(&data).unwrap());
    }

    #[test]
    fn fold_equals_the_level_by_level_tree(n in 1usize..3_000, salt in any::<u64>()) {
        let leaves: Vec<Hash32> = (0..n as u64).map(|i| keccak256(&(i ^ salt).to_le_bytes())).collect();
        let mut fold = MerkleFold::new();
        leaves.iter().for_each(|l| fold.push_leaf(*l));
        prop_assert_eq!(fold.leaves(), n as u64);
        prop_assert_eq!(fold.root().unwrap(), level_root(leaves));
    }

    #[test]
    fn zero_subtrees_equal_zero_leaves(data_leaves in 0u64..2_000, zeros in 0u64..5_000) {
        prop_assume!(data_leaves + zeros > 0);
        let mut leaves: Vec<Hash32> = (0..data_leaves).map(|i| keccak256(&i.to_le_bytes())).collect();
        let mut fold = MerkleFold::new();
        leaves.iter().for_each(|l| fold.push_leaf(*l));
        fold.push_zero_leaves(zeros);
        leaves.extend((0..zeros).map(|_| zero_hash(0)));
        prop_assert_eq!(fold.leaves(), data_leaves + zeros);
        prop_assert_eq!(fold.root().unwrap(), level_root(leaves));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn each_proof_proves_its_index_and_no_other(size in 1usize..(20 * SEGMENT_SIZE), seed in any::<u8>()) {
        let data = bytes(size, seed);
        let tree = SegmentTree::from_file(&data).unwrap();
        let layout = FileLayout::new(size as u64).unwrap();
        let leaves = layout.padded_segments();
        prop_assert_eq!(tree.root(), file_root(&data).unwrap());
        for i in 0..leaves {
            let proof = tree.proof(i).unwrap();
            let leaf = tree.segment_root(i).unwrap();
            prop_assert_eq!(proof.verify(&leaf, &tree.root(), i, leaves), Ok(()));
            for other in (0..leaves).filter(|&o| o != i) {
                prop_assert!(proof.verify(&leaf, &tree.root(), other, leaves).is_err(), "proof {} at {}", i, other);
            }
            if i < layout.data_segments() {
                let len = layout.segment_data_len(i).unwrap();
                let start = i as usize * SEGMENT_SIZE;
                let mut served = data[start..(start + len).min(size)].to_vec();
                served.resize(len, 0);
                let answer = SegmentWithProof { root: tree.root(), data: served, index: i, proof, file_size: size as u64 };
                prop_assert_eq!(verify_segment(&tree.root(), &layout, i, &answer), Ok(leaf));
            } else {
                prop_assert_eq!(leaf, zero_hash(10));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn garbage_proofs_are_rejected_without_panic(
        lemma in proptest::collection::vec(any::<[u8; 32]>(), 0..70),
        path in proptest::collection::vec(any::<bool>(), 0..70),
        position in any::<u64>(),
        leaves in prop_oneof![1u64..64, any::<u64>()],
        leaf in any::<[u8; 32]>(),
        root in any::<[u8; 32]>(),
    ) {
        let proof = FileProof { lemma: lemma.into_iter().map(Hash32).collect(), path };
        let _ = proof.position(leaves);
        let _ = proof.position(0);
        let _ = proof.computed_root();
        let _ = proof.right_siblings(leaves);
        let _ = proof.right_siblings(0);
        prop_assert!(proof.verify(&Hash32(leaf), &Hash32(root), position, leaves).is_err());
        prop_assert!(proof.verify(&Hash32(leaf), &Hash32(root), position, 0).is_err());
        if proof.path.len() > MAX_PROOF_DEPTH {
            let err = proof.verify(&Hash32(leaf), &Hash32(root), position, leaves);
            prop_assert!(matches!(err, Err(ProofError::TooDeep { .. })), "{:?}", err);
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// A garbage proof attached to real segment data of a real file: rejected, never a panic.
    #[test]
    fn garbage_proofs_of_real_segments_are_rejected(
        lemma in proptest::collection::vec(any::<[u8; 32]>(), 0..70),
        path in proptest::collection::vec(any::<bool>(), 0..70),
        keep_leaf in any::<bool>(),
        keep_root in any::<bool>(),
        index in 0u64..4,
    ) {
        let (data, tree) = small_file();
        let layout = *tree.layout();
        let real = tree.proof(index).unwrap();
        let mut lemma: Vec<Hash32> = lemma.into_iter().map(Hash32).collect();
        if keep_leaf && !lemma.is_empty() {
            lemma[0] = real.lemma[0];
        }
        if keep_root && !lemma.is_empty() {
            *lemma.last_mut().unwrap() = tree.root();
        }
        let proof = FileProof { lemma, path };
        prop_assume!(proof != real);
        let len = layout.segment_data_len(index).unwrap();
        let start = index as usize * SEGMENT_SIZE;
        let answer = SegmentWithProof {
            root: tree.root(),
            data: data[start..(start + len).min(data.len())].to_vec(),
            index,
            proof,
            file_size: data.len() as u64,
        };
        prop_assert!(verify_segment(&tree.root(), &layout, index, &answer).is_err());
    }
}
