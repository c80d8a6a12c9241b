//! 0G DA rows and slices as their bytes travel, decoded strictly.
//!
//! 0G's encoder (0g-da-encoder, `EncodedSlice` and its parts) and DA node write these with
//! arkworks' `CanonicalSerialize`, uncompressed: a `usize` is a u64 little-endian, a `Vec<T>` a u64
//! little-endian count then the elements, an array its elements, a BN254 scalar 32 bytes
//! little-endian, a G1 point x then y (32 bytes little-endian each, flags in the top bits of y).
//!
//! - [`decode_row`]: what `Signer.BatchRetrieve` answers per row. The DA node keeps each row as
//!   `Vec<[u8; 32]>` (its "merkle row": every scalar little-endian) and serves those bytes as they
//!   are: no index, no proof (0g-da-node `get_raw_slice`; 0G's own retriever drops the first 8
//!   bytes and keeps the words).
//! - [`EncodedSlice`]: what the disperser sends a signer in `BatchSign` and the encoder returns:
//!   the row with its AMT (KZG) proof and its Merkle proof. [`EncodedSliceMerkle`] alone is the
//!   Merkle part, enough to check a retrieved row against the blob's data root.
//!
//! Hand-read with a cursor rather than a derived `CanonicalDeserialize`: arkworks' `Vec`
//! deserializer reserves capacity for whatever count the bytes claim, so every count is checked
//! here against the one 0G's dimensions allow before anything is allocated. Scalars and points are
//! read with arkworks itself (`Validate::Yes`: canonical scalars, points on the curve).

use super::rows::{COSETS, ROWS_PER_COSET, ROW_BYTES};
use crate::hash::Hash32;
use ark_bn254::{Fr, G1Affine};
use ark_serialize::{CanonicalDeserialize, Compress, Validate};
use serde::Serialize;

/// Scalars in a row (`BLOB_COL_N`).
pub const ROW_SCALARS: usize = ROW_BYTES / 32;
/// Rows of an encoded blob, all cosets (`BLOB_ROW_ENCODED`).
pub const ENCODED_ROWS: usize = COSETS * ROWS_PER_COSET;
/// Depth of a row's proofs: the Merkle path among a coset's rows, the AMT levels (`BLOB_ROW_LOG`).
pub const PROOF_DEPTH: usize = 10;
/// Bytes of a retrieved row: the u64 count then 1024 words.
pub const RETRIEVED_ROW_BYTES: usize = 8 + ROW_BYTES;
/// Bytes of a serialized [`EncodedSliceMerkle`].
pub const SLICE_MERKLE_BYTES: usize = COSETS * 32 + 8 + PROOF_DEPTH * 32 + 8 + 32;
/// Bytes of a serialized (uncompressed) [`EncodedSlice`].
pub const ENCODED_SLICE_BYTES: usize = 8 + (8 + 64 + 8 + 8 + ROW_BYTES + 8 + PROOF_DEPTH * 128 + 64) + SLICE_MERKLE_BYTES;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SliceError {
    #[error("{what}: {needed} more bytes needed, {remaining} left")]
    Truncated { what: &'static str, needed: usize, remaining: usize },
    #[error("{extra} bytes after the end")]
    Trailing { extra: usize },
    #[error("{what}: count {received}, expected {expected}")]
    Count { what: &'static str, expected: usize, received: u64 },
    #[error("{what} {received} is out of range (at most {max})")]
    Index { what: &'static str, received: u64, max: usize },
    #[error("word {index} of the row is not a canonical scalar (not below the field modulus)")]
    NotCanonical { index: usize },
    #[error("{what}: not a valid scalar or G1 point ({message})")]
    Element { what: &'static str, message: String },
    #[error("indexes disagree: slice {slice}, AMT {amt}, AMT row {amt_row}, Merkle leaf {merkle}")]
    IndexMismatch { slice: u64, amt: u64, amt_row: u64, merkle: u64 },
}

/// A cursor over untrusted bytes: every read says what it reads, and fails rather than panics.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], SliceError> {
        if self.bytes.len() < n {
            return Err(SliceError::Truncated { what, needed: n, remaining: self.bytes.len() });
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, SliceError> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().expect("8 bytes")))
    }

    /// A `Vec` count that must be exactly `expected`.
    fn count(&mut self, what: &'static str, expected: usize) -> Result<(), SliceError> {
        let received = self.u64(what)?;
        if received != expected as u64 {
            return Err(SliceError::Count { what, expected, received });
        }
        Ok(())
    }

    /// A `usize` index below `bound`.
    fn index(&mut self, what: &'static str, bound: usize) -> Result<u64, SliceError> {
        let received = self.u64(what)?;
        if received >= bound as u64 {
            return Err(SliceError::Index { what, received, max: bound - 1 });
        }
        Ok(received)
    }

    fn hash(&mut self, what: &'static str) -> Result<Hash32, SliceError> {
        Ok(Hash32(self.take(32, what)?.try_into().expect("32 bytes")))
    }

    fn element<T: CanonicalDeserialize>(&mut self, size: usize, what: &'static str) -> Result<T, SliceError> {
        let bytes = self.take(size, what)?;
        T::deserialize_with_mode(bytes, Compress::No, Validate::Yes).map_err(|e| SliceError::Element { what, message: e.to_string() })
    }

    fn g1(&mut self, what: &'static str) -> Result<G1Affine, SliceError> {
        self.element(64, what)
    }

    fn finish(self) -> Result<(), SliceError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(SliceError::Trailing { extra: self.bytes.len() })
        }
    }
}

/// The BN254 scalar field modulus r, as four little-endian u64 limbs.
const MODULUS: [u64; 4] = [0x43e1f593f0000001, 0x2833e84879b97091, 0xb85045b68181585d, 0x30644e72e131a029];

/// Whether 32 little-endian bytes are a scalar below r (what `scalar_to_h256` always writes).
fn canonical_scalar(word: &[u8]) -> bool {
    let limbs: [u64; 4] = std::array::from_fn(|i| u64::from_le_bytes(word[i * 8..i * 8 + 8].try_into().expect("8 bytes")));
    for i in (0..4).rev() {
        if limbs[i] != MODULUS[i] {
            return limbs[i] < MODULUS[i];
        }
    }
    false
}

/// One row as `BatchRetrieve` serves it: the 32 KiB the Merkle tree hashes (1024 little-endian
/// scalars), after the u64 count 1024. Every word must be a canonical scalar.
pub fn decode_row(bytes: &[u8]) -> Result<Vec<u8>, SliceError> {
    let mut r = Reader { bytes };
    r.count("row words", ROW_SCALARS)?;
    let words = r.take(ROW_BYTES, "row words")?;
    r.finish()?;
    if let Some(index) = words.chunks(32).position(|w| !canonical_scalar(w)) {
        return Err(SliceError::NotCanonical { index });
    }
    Ok(words.to_vec())
}

/// A row's bytes as `BatchRetrieve` serves them (what the devnet's signers send; tests).
pub fn encode_row(row: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + row.len());
    out.extend_from_slice(&((row.len() / 32) as u64).to_le_bytes());
    out.extend_from_slice(row);
    out
}

/// The Merkle part of a slice (0g-da-encoder `EncodedSliceMerkle`): the three coset roots, the
/// path of the row's root among its coset's 1024 row roots (leaf first), the row's index in the
/// blob and the row's own root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncodedSliceMerkle {
    pub roots: [Hash32; COSETS],
    pub proof: Vec<Hash32>,
    pub leaf_index: u64,
    pub leaf: Hash32,
}

impl EncodedSliceMerkle {
    fn read(r: &mut Reader<'_>) -> Result<Self, SliceError> {
        let roots = [r.hash("coset root")?, r.hash("coset root")?, r.hash("coset root")?];
        r.count("Merkle proof", PROOF_DEPTH)?;
        let proof = (0..PROOF_DEPTH).map(|_| r.hash("Merkle proof")).collect::<Result<_, _>>()?;
        let leaf_index = r.index("Merkle leaf index", ENCODED_ROWS)?;
        let leaf = r.hash("Merkle leaf")?;
        Ok(EncodedSliceMerkle { roots, proof, leaf_index, leaf })
    }

    /// From its serialized bytes, exactly [`SLICE_MERKLE_BYTES`] of them.
    pub fn decode(bytes: &[u8]) -> Result<Self, SliceError> {
        let mut r = Reader { bytes };
        let merkle = Self::read(&mut r)?;
        r.finish()?;
        Ok(merkle)
    }

    /// Its serialized bytes, as arkworks writes the encoder's struct.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(SLICE_MERKLE_BYTES);
        for root in &self.roots {
            out.extend_from_slice(&root.0);
        }
        out.extend_from_slice(&(self.proof.len() as u64).to_le_bytes());
        for h in &self.proof {
            out.extend_from_slice(&h.0);
        }
        out.extend_from_slice(&self.leaf_index.to_le_bytes());
        out.extend_from_slice(&self.leaf.0);
        out
    }
}

/// The AMT part of a slice (0g-da-encoder `EncodedSliceAMT` with its `BlobRow`): the blob's
/// erasure commitment, the row as scalars, and the row's AMT proof (a commitment and a quotient
/// per level) with the low-degree ("high") commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedSliceAmt {
    pub index: u64,
    pub commitment: G1Affine,
    /// Index of the row within its coset.
    pub row_index: u64,
    pub row: Vec<Fr>,
    pub proof: Vec<(G1Affine, G1Affine)>,
    pub high_commitment: G1Affine,
}

impl EncodedSliceAmt {
    fn read(r: &mut Reader<'_>) -> Result<Self, SliceError> {
        let index = r.index("AMT index", ENCODED_ROWS)?;
        let commitment = r.g1("erasure commitment")?;
        let row_index = r.index("AMT row index", ROWS_PER_COSET)?;
        r.count("AMT row", ROW_SCALARS)?;
        let row = (0..ROW_SCALARS).map(|_| r.element::<Fr>(32, "AMT row scalar")).collect::<Result<_, _>>()?;
        r.count("AMT proof", PROOF_DEPTH)?;
        let proof = (0..PROOF_DEPTH).map(|_| Ok((r.g1("AMT proof commitment")?, r.g1("AMT proof quotient")?))).collect::<Result<_, SliceError>>()?;
        let high_commitment = r.g1("AMT high commitment")?;
        Ok(EncodedSliceAmt { index, commitment, row_index, row, proof, high_commitment })
    }

    /// The row's bytes as the Merkle tree hashes them: each scalar 32 bytes little-endian.
    pub fn row_bytes(&self) -> Vec<u8> {
        use ark_ff::{BigInteger, PrimeField};
        self.row.iter().flat_map(|s| s.into_bigint().to_bytes_le()).collect()
    }
}

/// A whole slice (0g-da-encoder `EncodedSlice`): index, AMT part, Merkle part. The three indexes
/// must agree (the encoder's `check_amt_idx` / `check_merkle_idx`, and the row within its coset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedSlice {
    pub index: u64,
    pub amt: EncodedSliceAmt,
    pub merkle: EncodedSliceMerkle,
}

impl EncodedSlice {
    /// From its serialized bytes, exactly [`ENCODED_SLICE_BYTES`] of them.
    pub fn decode(bytes: &[u8]) -> Result<Self, SliceError> {
        let mut r = Reader { bytes };
        let index = r.index("slice index", ENCODED_ROWS)?;
        let amt = EncodedSliceAmt::read(&mut r)?;
        let merkle = EncodedSliceMerkle::read(&mut r)?;
        r.finish()?;
        if amt.index != index || merkle.leaf_index != index || amt.row_index != index % ROWS_PER_COSET as u64 {
            return Err(SliceError::IndexMismatch { slice: index, amt: amt.index, amt_row: amt.row_index, merkle: merkle.leaf_index });
        }
        Ok(EncodedSlice { index, amt, merkle })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_ff::{BigInteger, PrimeField};
    use ark_serialize::CanonicalSerialize;

    /// The encoder's structs, field for field, serialized by arkworks' own derive: our reader
    /// must take exactly what arkworks writes.
    #[derive(CanonicalSerialize)]
    struct ArkMerkle {
        root: [[u8; 32]; 3],
        proof: Vec<[u8; 32]>,
        leaf_index: usize,
        leaf: [u8; 32],
    }

    #[derive(CanonicalSerialize)]
    struct ArkBlobRow {
        index: usize,
        row: Vec<Fr>,
        proof: Vec<(G1Affine, G1Affine)>,
        high_commitment: G1Affine,
    }

    #[derive(CanonicalSerialize)]
    struct ArkAmt {
        index: usize,
        commitment: G1Affine,
        row: ArkBlobRow,
    }

    #[derive(CanonicalSerialize)]
    struct ArkSlice {
        index: usize,
        amt: ArkAmt,
        merkle: ArkMerkle,
    }

    fn point(n: u64) -> G1Affine {
        (G1Affine::generator() * Fr::from(n)).into_affine()
    }

    fn ark_slice(index: usize) -> ArkSlice {
        let h = |n: u8| [n; 32];
        ArkSlice {
            index,
            amt: ArkAmt {
                index,
                commitment: point(7),
                row: ArkBlobRow {
                    index: index % ROWS_PER_COSET,
                    row: (0..ROW_SCALARS as u64).map(|i| -Fr::from(i + 1)).collect(),
                    proof: (0..PROOF_DEPTH as u64).map(|d| (point(d + 11), point(d + 101))).collect(),
                    high_commitment: point(5),
                },
            },
            merkle: ArkMerkle { root: [h(1), h(2), h(3)], proof: (0..PROOF_DEPTH as u8).map(|d| h(d + 10)).collect(), leaf_index: index, leaf: h(9) },
        }
    }

    fn uncompressed<T: CanonicalSerialize>(t: &T) -> Vec<u8> {
        let mut out = Vec::new();
        t.serialize_uncompressed(&mut out).unwrap();
        out
    }

    #[test]
    fn reads_what_arkworks_writes() {
        let ark = ark_slice(2049);
        let bytes = uncompressed(&ark);
        assert_eq!(bytes.len(), ENCODED_SLICE_BYTES);
        let slice = EncodedSlice::decode(&bytes).unwrap();
        assert_eq!(slice.index, 2049);
        assert_eq!(slice.amt.row_index, 1);
        assert_eq!(slice.amt.commitment, point(7));
        assert_eq!(slice.amt.row, ark.amt.row.row);
        assert_eq!(slice.amt.proof, ark.amt.row.proof);
        assert_eq!(slice.merkle.roots[2], Hash32([3; 32]));
        assert_eq!(slice.merkle.proof[9], Hash32([19; 32]));
        // The row's Merkle bytes are the scalars' little-endian bytes, as `scalar_to_h256`.
        assert_eq!(&slice.amt.row_bytes()[..32], &(-Fr::from(1u64)).into_bigint().to_bytes_le()[..]);
        let merkle = uncompressed(&ark.merkle);
        assert_eq!(merkle.len(), SLICE_MERKLE_BYTES);
        assert_eq!(EncodedSliceMerkle::decode(&merkle).unwrap(), slice.merkle);
        assert_eq!(slice.merkle.encode(), merkle);
        // A retrieved row is arkworks' Vec<[u8; 32]>.
        let words: Vec<[u8; 32]> = slice.amt.row_bytes().chunks(32).map(|w| w.try_into().unwrap()).collect();
        let row = uncompressed(&words);
        assert_eq!(row.len(), RETRIEVED_ROW_BYTES);
        assert_eq!(decode_row(&row).unwrap(), slice.amt.row_bytes());
        assert_eq!(encode_row(&slice.amt.row_bytes()), row);
    }

    #[test]
    fn hostile_counts_are_refused_before_any_allocation() {
        let mut bytes = uncompressed(&ark_slice(3));
        // The row's count claims 2^62 scalars: a derived deserializer would try to reserve them.
        let at = 8 + 8 + 64 + 8;
        bytes[at..at + 8].copy_from_slice(&(1u64 << 62).to_le_bytes());
        assert_eq!(EncodedSlice::decode(&bytes), Err(SliceError::Count { what: "AMT row", expected: ROW_SCALARS, received: 1 << 62 }));
        let mut row = encode_row(&[0u8; ROW_BYTES]);
        row[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(decode_row(&row), Err(SliceError::Count { .. })));
        let mut merkle = uncompressed(&ark_slice(3).merkle);
        merkle[96..104].copy_from_slice(&(1u64 << 40).to_le_bytes());
        assert!(matches!(EncodedSliceMerkle::decode(&merkle), Err(SliceError::Count { what: "Merkle proof", .. })));
    }

    #[test]
    fn every_malformation_is_a_typed_error() {
        let good = uncompressed(&ark_slice(5));
        // Every truncation.
        for cut in [0, 7, 8, 100, good.len() - 1] {
            assert!(matches!(EncodedSlice::decode(&good[..cut]), Err(SliceError::Truncated { .. })), "cut at {cut}");
        }
        let mut long = good.clone();
        long.push(0);
        assert_eq!(EncodedSlice::decode(&long), Err(SliceError::Trailing { extra: 1 }));
        // Index out of the blob, and indexes that disagree.
        let mut far = good.clone();
        far[..8].copy_from_slice(&3072u64.to_le_bytes());
        assert!(matches!(EncodedSlice::decode(&far), Err(SliceError::Index { what: "slice index", .. })));
        let mut other = good.clone();
        other[..8].copy_from_slice(&6u64.to_le_bytes());
        assert!(matches!(EncodedSlice::decode(&other), Err(SliceError::IndexMismatch { .. })));
        // A commitment off the curve.
        let mut off = good.clone();
        off[16] ^= 1;
        assert!(matches!(EncodedSlice::decode(&off), Err(SliceError::Element { what: "erasure commitment", .. })));
        // A scalar of the row at or above r.
        let mut big = good.clone();
        let at = 8 + 8 + 64 + 8 + 8;
        big[at..at + 32].copy_from_slice(&[0xff; 32]);
        assert!(matches!(EncodedSlice::decode(&big), Err(SliceError::Element { what: "AMT row scalar", .. })));
        // Retrieved rows: a word equal to r is refused, r - 1 is taken.
        let mut modulus = [0u8; 32];
        for (i, limb) in MODULUS.iter().enumerate() {
            modulus[i * 8..i * 8 + 8].copy_from_slice(&limb.to_le_bytes());
        }
        let mut row = vec![0u8; ROW_BYTES];
        row[64..96].copy_from_slice(&modulus);
        assert_eq!(decode_row(&encode_row(&row)), Err(SliceError::NotCanonical { index: 2 }));
        row[64] -= 1;
        assert!(decode_row(&encode_row(&row)).is_ok());
        assert!(matches!(decode_row(&encode_row(&row[..ROW_BYTES - 32])), Err(SliceError::Count { .. })));
        assert!(matches!(decode_row(&[]), Err(SliceError::Truncated { .. })));
    }
}
