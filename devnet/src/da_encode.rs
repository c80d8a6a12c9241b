//! A blob encoded as 0G's DA encoder encodes it (0g-da-encoder, production dimensions), so the
//! devnet's signers serve real rows:
//!
//! - raw data padded to 31 · 2^20 bytes, its length as a little-endian u32 in the last 4 bytes;
//!   each 31-byte unit a little-endian BN254 scalar: a 1024 × 1024 matrix, row-major;
//! - transposed, read as the evaluations of a polynomial `f` of degree < 2^20 over the 2^20-th
//!   roots of unity; coset `c` is `f` evaluated on `w_c · ω^k` with `w_c` the 2^28-th root of
//!   unity to the power `bitreverse(c, 8)` (coset 0 is the data itself), transposed back;
//! - rows of 1024 scalars, coset by coset (3072 rows); the Merkle tree hashes each scalar as 32
//!   little-endian bytes, leaves of 256 bytes, one tree per coset, and
//!   `dataRoot = keccak(keccak(r0 || r1) || r2)`.
//!
//! Only the AMT (KZG) part is not 0G's: its proofs need 0G's 2^20-point setup, which is not here.
//! The erasure commitment the signers sign is `f(τ) · G1` for a devnet `τ` (a KZG commitment to
//! the same polynomial); nothing in the node checks rows against it (docs/da.md).
//!
//! Honest minimum: the full dimensions (rows are 32 KiB, a quorum 3072 rows, proofs 10 deep as on
//! 0G), three FFTs of 2^20 points per blob; the data itself is 1 KiB, the rest zero padding.

use ark_bn254::{Fr, G1Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, FftField, Field, PrimeField};
use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
use zg_align::da::rows::{data_root, row_root, COSETS, ROWS_PER_COSET, ROW_BYTES};
use zg_align::da::slice::EncodedSliceMerkle;
use zg_align::hash::keccak256;
use zg_align::storage::MerkleTree;
use zg_align::Hash32;

/// Scalars per row, rows per coset: 2^10 each (`BLOB_COL_LOG`, `BLOB_ROW_LOG`).
pub const LOG: usize = 10;
pub const SIDE: usize = 1 << LOG;
/// Scalars in a raw blob (`RAW_BLOB_SIZE`).
pub const N: usize = SIDE * SIDE;
/// Payload bytes per scalar (`RAW_UNIT`).
pub const RAW_UNIT: usize = 31;
/// Largest payload (`MAX_RAW_DATA_SIZE`).
pub const MAX_DATA: usize = RAW_UNIT * N - 4;

/// An encoded blob: its coset trees, and (when kept) every row's bytes.
pub struct EncodedBlob {
    pub coset_roots: [Hash32; COSETS],
    pub data_root: Hash32,
    /// `f(τ) · G1`, EVM encoding.
    pub commitment: [u8; 64],
    trees: Vec<MerkleTree>,
    /// 3072 rows of 32 KiB, coset by coset; empty when dropped.
    rows: Vec<u8>,
}

/// The coset factor of coset `c` (amt `AMTParams::coset_factor(2^20, c)`).
fn coset_factor(c: usize) -> Fr {
    let two_adicity = Fr::TWO_ADICITY as usize;
    let pow = (c.reverse_bits() >> (usize::BITS as usize - (two_adicity - 2 * LOG))) as u64;
    Fr::TWO_ADIC_ROOT_OF_UNITY.pow([pow])
}

/// Swaps the two 10-bit halves of each index (`change_matrix_direction` of a square matrix).
fn transpose(v: &mut [Fr]) {
    for i in 0..v.len() {
        let t = (i % SIDE) * SIDE + i / SIDE;
        if i < t {
            v.swap(i, t);
        }
    }
}

/// The payload as 0G's `RawData` and `RawBlob`: padded, length at the end, 31-byte units.
pub fn raw_scalars(data: &[u8]) -> Vec<Fr> {
    assert!(data.len() <= MAX_DATA, "a blob holds at most {MAX_DATA} bytes");
    let mut padded = vec![0u8; RAW_UNIT * N];
    padded[..data.len()].copy_from_slice(data);
    padded[MAX_DATA..].copy_from_slice(&(data.len() as u32).to_le_bytes());
    padded.chunks(RAW_UNIT).map(Fr::from_le_bytes_mod_order).collect()
}

fn scalar_bytes(s: &Fr) -> Vec<u8> {
    s.into_bigint().to_bytes_le()
}

impl EncodedBlob {
    /// Encodes `data` (at most [`MAX_DATA`] bytes). `tau` is the devnet's commitment secret.
    pub fn encode(data: &[u8], tau: Fr) -> Self {
        let mut points = raw_scalars(data);
        transpose(&mut points);
        let domain = Radix2EvaluationDomain::<Fr>::new(N).expect("2^20 divides the field's 2-adicity");
        let coefficients = domain.ifft(&points);
        // Horner at τ: the KZG commitment of f.
        let at_tau = coefficients.iter().rev().fold(Fr::from(0u64), |acc, c| acc * tau + c);
        let commitment = zg_align::da::bn254::encode_g1(&(G1Affine::generator() * at_tau).into_affine());
        let mut rows = Vec::with_capacity(COSETS * N * 32);
        for c in 0..COSETS {
            let mut evaluations = if c == 0 {
                points.clone()
            } else {
                let w = coset_factor(c);
                let mut scaled = coefficients.clone();
                let mut power = Fr::from(1u64);
                for x in scaled.iter_mut() {
                    *x *= power;
                    power *= w;
                }
                domain.fft(&scaled)
            };
            transpose(&mut evaluations);
            for s in &evaluations {
                rows.extend_from_slice(&scalar_bytes(s));
            }
        }
        let trees: Vec<MerkleTree> = (0..COSETS)
            .map(|c| MerkleTree::from_leaves((0..ROWS_PER_COSET).map(|r| row_root(&rows[(c * ROWS_PER_COSET + r) * ROW_BYTES..][..ROW_BYTES])).collect()))
            .collect();
        let coset_roots = [trees[0].root(), trees[1].root(), trees[2].root()];
        EncodedBlob { data_root: data_root(&coset_roots), coset_roots, commitment, trees, rows }
    }

    /// Frees the rows (a blob nobody will ask rows of); roots and proofs stay.
    pub fn drop_rows(&mut self) {
        self.rows = Vec::new();
    }

    /// Row `index` (0..3072): 1024 little-endian scalars.
    pub fn row(&self, index: usize) -> Option<&[u8]> {
        self.rows.get(index * ROW_BYTES..(index + 1) * ROW_BYTES)
    }

    /// The whole encoded blob, rows in order (what the DA client's data root is the 0G storage
    /// root of).
    pub fn encoded(&self) -> &[u8] {
        &self.rows
    }

    /// Row `index`'s proof among its coset's rows, in the storage proof format (`daRows`).
    pub fn storage_proof(&self, index: usize) -> Option<zg_align::storage::FileProof> {
        self.trees.get(index / ROWS_PER_COSET)?.proof((index % ROWS_PER_COSET) as u64)
    }

    /// Row `index`'s Merkle proof as 0G's encoder builds it (`EncodedBlobMerkle::get_row`).
    pub fn merkle(&self, index: usize) -> Option<EncodedSliceMerkle> {
        let proof = self.storage_proof(index)?;
        // The storage proof's lemma is [leaf, siblings bottom-up..., root].
        let siblings = proof.lemma[1..proof.lemma.len() - 1].to_vec();
        Some(EncodedSliceMerkle { roots: self.coset_roots, proof: siblings, leaf_index: index as u64, leaf: proof.lemma[0] })
    }
}

/// A devnet payload: `len` bytes of a keccak stream from `seed`.
pub fn payload(seed: u64, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut block = keccak256(&seed.to_be_bytes());
    while out.len() < len {
        out.extend_from_slice(&block.0);
        block = keccak256(&block.0);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_poly::{univariate::DensePolynomial, DenseUVPolynomial, Polynomial};

    /// The FFT pipeline against direct evaluation of the interpolated polynomial, on a few
    /// entries of each coset: row r, column k of coset c is f(w_c · ω^(k·1024 + r)).
    #[test]
    fn rows_are_the_polynomial_on_its_cosets() {
        let data = payload(5, 4096);
        let blob = EncodedBlob::encode(&data, Fr::from(77u64));
        let mut points = raw_scalars(&data);
        transpose(&mut points);
        let domain = Radix2EvaluationDomain::<Fr>::new(N).unwrap();
        let f = DensePolynomial::from_coefficients_vec(domain.ifft(&points));
        let omega = domain.group_gen();
        for (c, r, k) in [(0usize, 0usize, 0usize), (0, 3, 5), (1, 0, 1), (1, 700, 999), (2, 1023, 17), (2, 5, 0)] {
            let x = coset_factor(c) * omega.pow([(k * SIDE + r) as u64]);
            let row = blob.row(c * ROWS_PER_COSET + r).unwrap();
            assert_eq!(&row[k * 32..(k + 1) * 32], &scalar_bytes(&f.evaluate(&x))[..], "coset {c} row {r} col {k}");
        }
        // Coset 0 is the raw blob itself: row 0 starts with the payload's first 31-byte units.
        assert_eq!(&blob.row(0).unwrap()[..31], &data[..31]);
        assert_eq!(blob.row(0).unwrap()[31], 0);
        assert_eq!(&blob.row(0).unwrap()[32..63], &data[31..62]);
        // Coset factors: 2^21-th and 2^22-th roots of unity.
        assert_eq!(coset_factor(1).pow([1u64 << 21]), Fr::from(1u64));
        assert_ne!(coset_factor(1).pow([1u64 << 20]), Fr::from(1u64));
        assert_eq!(coset_factor(2).pow([1u64 << 22]), Fr::from(1u64));
        assert_ne!(coset_factor(2).pow([1u64 << 21]), Fr::from(1u64));
        // The data root is the 0G storage root of the encoded blob, as 0G's DA client asserts
        // (`StorageRoot == MerkleTree(EncodedData).Root()`), by the storage code.
        assert_eq!(zg_align::storage::file_root(blob.encoded()).unwrap(), blob.data_root);
        // Every proof authenticates its row.
        for index in [0usize, 1023, 1024, 3071] {
            let m = blob.merkle(index).unwrap();
            zg_align::da::verify_row_merkle(blob.row(index).unwrap(), index as u16, &m, &blob.data_root).unwrap();
        }
    }
}
