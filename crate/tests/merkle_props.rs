//! Property tests of the storage tree (native only: proptest).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use zg_align::hash::{keccak256, parent};
use zg_align::storage::{file_root, FileHasher, FileProof, MerkleFold, SegmentTree};
use zg_align::Hash32;

/// The literal 0G definition: level by level, an odd last node promoted unchanged.
fn level_root(mut level: Vec<Hash32>) -> Hash32 {
    while level.len() > 1 {
        level = level.chunks(2).map(|p| if p.len() == 2 { parent(&p[0], &p[1]) } else { p[0] }).collect();
    }
    level[0]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn streaming_equals_whole_for_any_split(data in proptest::collection::vec(any::<u8>(), 1..300_000), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let mut points: Vec<usize> = cuts.into_iter().map(|c| c % data.len()).collect();
        points.sort();
        let mut hasher = FileHasher::new();
        let mut at = 0;
        for p in points.into_iter().chain([data.len()]) {
            hasher.update(&data[at..p.max(at)]);
            at = p.max(at);
        }
        prop_assert_eq!(hasher.finalize().unwrap(), file_root(&data).unwrap());
    }

    #[test]
    fn fold_equals_the_level_by_level_tree(n in 1usize..2_000, salt in any::<u64>()) {
        let leaves: Vec<Hash32> = (0..n as u64).map(|i| keccak256(&(i ^ salt).to_le_bytes())).collect();
        let mut fold = MerkleFold::new();
        leaves.iter().for_each(|l| fold.push_leaf(*l));
        prop_assert_eq!(fold.root().unwrap(), level_root(leaves));
    }

    #[test]
    fn each_proof_proves_its_index_and_no_other(size in 1usize..(20 * 256 * 1024), seed in any::<u8>()) {
        let data: Vec<u8> = (0..size).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
        let tree = SegmentTree::from_file(&data).unwrap();
        let leaves = tree.layout().padded_segments();
        for i in 0..leaves {
            let proof = tree.proof(i).unwrap();
            let leaf = tree.segment_root(i).unwrap();
            prop_assert!(proof.verify(&leaf, &tree.root(), i, leaves).is_ok());
            for other in [i + 1, i.wrapping_sub(1)] {
                if other < leaves {
                    prop_assert!(proof.verify(&leaf, &tree.root(), other, leaves).is_err());
                }
            }
        }
    }

    #[test]
    fn garbage_proofs_are_rejected_without_panic(
        lemma in proptest::collection::vec(any::<[u8; 32]>(), 0..70),
        path in proptest::collection::vec(any::<bool>(), 0..70),
        position in any::<u64>(),
        leaves in 1u64..u64::MAX,
        leaf in any::<[u8; 32]>(),
        root in any::<[u8; 32]>(),
    ) {
        let proof = FileProof { lemma: lemma.into_iter().map(Hash32).collect(), path };
        let _ = proof.position(leaves);
        prop_assert!(proof.verify(&Hash32(leaf), &Hash32(root), position, leaves).is_err());
    }
}
