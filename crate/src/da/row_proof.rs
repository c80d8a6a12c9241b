//! A row checked against its blob's data root with 0G's Merkle proof, the rules of 0g-da-encoder's
//! `EncodedSliceMerkle::verify`: the three coset roots hash to the data root
//! (`keccak(keccak(r0 || r1) || r2)`); the row's 1024 words, in leaves of 8 (256 bytes), hash to
//! the proof's leaf; the leaf and the path (leaf first, left or right by the bits of the row's
//! index) hash to the root of the row's coset.
//!
//! The AMT (KZG) opening a full [`EncodedSlice`] also carries is not checked here: it needs 0G's
//! AMT verifier parameters (per coset a 2^20-point G1 basis, 64 MiB, from their setup files),
//! which a light node does not have; see docs/da.md.

use super::rows::{data_root, row_root, ROWS_PER_COSET, ROW_BYTES};
use super::slice::{EncodedSlice, EncodedSliceMerkle};
use crate::hash::{parent, Hash32};
use ark_bn254::G1Affine;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RowProofFault {
    #[error("row has {received} bytes, a row is {expected}")]
    Length { expected: usize, received: usize },
    #[error("proof is for row {received}, row {expected} was asked")]
    WrongIndex { expected: u16, received: u64 },
    #[error("the proof's coset roots hash to {computed}, not to the data root")]
    DataRoot { computed: Hash32 },
    #[error("row {index}: its words do not hash to the proof's leaf")]
    LocalRoot { index: u16 },
    #[error("row {index}: the path does not lead to its coset's root")]
    Path { index: u16 },
    #[error("the slice's erasure commitment is not the certified one")]
    Commitment,
}

impl RowProofFault {
    /// Whether the fault is the row's (its bytes do not hash to an authenticated leaf), rather
    /// than the proof's (a proof that does not authenticate its own leaf says nothing of the row).
    pub fn blames_row(&self) -> bool {
        matches!(self, RowProofFault::Length { .. } | RowProofFault::LocalRoot { .. })
    }
}

/// Checks that `merkle` is a proof for row `index` of the blob with `data_root`: its coset roots
/// hash to the data root and its leaf with its path leads to its coset's root. Once it holds, the
/// leaf is the row's root, whoever sent the proof.
pub fn authenticate_proof(index: u16, merkle: &EncodedSliceMerkle, data_root_expected: &Hash32) -> Result<(), RowProofFault> {
    if merkle.leaf_index != index as u64 || index as usize >= super::slice::ENCODED_ROWS {
        return Err(RowProofFault::WrongIndex { expected: index, received: merkle.leaf_index });
    }
    let computed = data_root(&merkle.roots);
    if computed != *data_root_expected {
        return Err(RowProofFault::DataRoot { computed });
    }
    let mut position = index as usize % ROWS_PER_COSET;
    let mut node = merkle.leaf;
    for sibling in &merkle.proof {
        node = if position % 2 == 1 { parent(sibling, &node) } else { parent(&node, sibling) };
        position >>= 1;
    }
    if merkle.proof.len() != super::slice::PROOF_DEPTH || node != merkle.roots[index as usize / ROWS_PER_COSET] {
        return Err(RowProofFault::Path { index });
    }
    Ok(())
}

/// Checks that `row` (32 KiB, as [`super::slice::decode_row`] returns it) is row `index` of the
/// blob with `data_root`, by `merkle`: the proof first ([`authenticate_proof`]), then the row's
/// words against the proof's leaf. 0G's encoder checks the same, the leaf before the path.
pub fn verify_row_merkle(row: &[u8], index: u16, merkle: &EncodedSliceMerkle, data_root_expected: &Hash32) -> Result<(), RowProofFault> {
    authenticate_proof(index, merkle, data_root_expected)?;
    if row.len() != ROW_BYTES {
        return Err(RowProofFault::Length { expected: ROW_BYTES, received: row.len() });
    }
    if row_root(row) != merkle.leaf {
        return Err(RowProofFault::LocalRoot { index });
    }
    Ok(())
}

/// The Merkle half of 0G's `EncodedSlice::verify` over a whole slice: its commitment must be the
/// certified erasure commitment, and its row (from the AMT part) must prove against the data root.
pub fn verify_slice_merkle(slice: &EncodedSlice, commitment: &G1Affine, data_root_expected: &Hash32) -> Result<(), RowProofFault> {
    if slice.amt.commitment != *commitment {
        return Err(RowProofFault::Commitment);
    }
    let index = u16::try_from(slice.index).map_err(|_| RowProofFault::WrongIndex { expected: u16::MAX, received: slice.index })?;
    verify_row_merkle(&slice.amt.row_bytes(), index, &slice.merkle, data_root_expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use crate::hash::keccak256;
    use crate::storage::MerkleTree;

    /// Three cosets of small pseudo-random rows, their trees, and 0G-shaped proofs.
    struct Blob {
        rows: Vec<Vec<u8>>,
        trees: Vec<MerkleTree>,
    }

    fn row(i: usize) -> Vec<u8> {
        // Canonical scalars: top byte of each word zero.
        let mut r = vec![0u8; ROW_BYTES];
        for (w, word) in r.chunks_mut(32).enumerate().take(8) {
            word[..31].copy_from_slice(&keccak256(&[i as u8, w as u8]).0[..31]);
        }
        r
    }

    fn blob() -> Blob {
        let rows: Vec<Vec<u8>> = (0..3 * ROWS_PER_COSET).map(row).collect();
        let trees = (0..3).map(|c| MerkleTree::from_leaves(rows[c * ROWS_PER_COSET..(c + 1) * ROWS_PER_COSET].iter().map(|r| row_root(r)).collect())).collect();
        Blob { rows, trees }
    }

    impl Blob {
        fn roots(&self) -> [Hash32; 3] {
            [self.trees[0].root(), self.trees[1].root(), self.trees[2].root()]
        }

        fn merkle(&self, index: usize) -> EncodedSliceMerkle {
            let (c, r) = (index / ROWS_PER_COSET, index % ROWS_PER_COSET);
            // The storage proof's lemma is [leaf, siblings..., root]; 0G's proof is the siblings.
            let lemma = self.trees[c].proof(r as u64).unwrap().lemma;
            EncodedSliceMerkle { roots: self.roots(), proof: lemma[1..lemma.len() - 1].to_vec(), leaf_index: index as u64, leaf: row_root(&self.rows[index]) }
        }
    }

    #[test]
    fn honest_rows_prove_and_each_fault_is_named() {
        let b = blob();
        let root = data_root(&b.roots());
        for index in [0usize, 1, 777, 1023, 1024, 2047, 2048, 3071] {
            let m = b.merkle(index);
            assert_eq!(m.proof.len(), 10);
            assert_eq!(verify_row_merkle(&b.rows[index], index as u16, &m, &root), Ok(()), "row {index}");
            // Through its serialized bytes too.
            assert_eq!(EncodedSliceMerkle::decode(&m.encode()).unwrap(), m);
        }
        let m = b.merkle(1500);
        let mut altered = b.rows[1500].clone();
        altered[4000] ^= 1;
        assert_eq!(verify_row_merkle(&altered, 1500, &m, &root), Err(RowProofFault::LocalRoot { index: 1500 }));
        assert_eq!(verify_row_merkle(&b.rows[1500], 1501, &m, &root), Err(RowProofFault::WrongIndex { expected: 1501, received: 1500 }));
        // Another row with its own honest proof, offered for this index.
        assert!(matches!(verify_row_merkle(&b.rows[1501], 1500, &m, &root), Err(RowProofFault::LocalRoot { .. })));
        let mut bad_path = m.clone();
        bad_path.proof[3].0[0] ^= 1;
        assert_eq!(verify_row_merkle(&b.rows[1500], 1500, &bad_path, &root), Err(RowProofFault::Path { index: 1500 }));
        // A coherent proof of a different blob.
        let mut other = m.clone();
        other.roots[0].0[5] ^= 1;
        assert!(matches!(verify_row_merkle(&b.rows[1500], 1500, &other, &root), Err(RowProofFault::DataRoot { .. })));
        assert!(matches!(verify_row_merkle(&b.rows[1500][..100], 1500, &m, &root), Err(RowProofFault::Length { .. })));
    }
}
