//! Rows of an encoded blob and their proofs against the coset roots.
//!
//! An encoded blob is 3 cosets of 1024 rows; a row is 1024 field elements of 32 bytes (32 KiB,
//! 128 chunks of 256 bytes). Each coset's root is the 0G keccak Merkle tree over its 256-byte
//! chunks, so a row is an aligned perfect subtree: its proof is the row's subtree root plus a
//! proof of that root among the coset's 1024 row roots, in the storage proof format.

use crate::hash::{keccak256, parent, Hash32};
use crate::storage::{root::segment_root, FileProof, ProofError, CHUNK_SIZE};
use serde::{Deserialize, Serialize};

pub const COSETS: usize = 3;
pub const ROWS_PER_COSET: usize = 1024;
pub const ROW_BYTES: usize = 1024 * 32;
pub const CHUNKS_PER_ROW: usize = ROW_BYTES / CHUNK_SIZE;

/// `keccak(keccak(r0 || r1) || r2)`.
pub fn data_root(coset_roots: &[Hash32; COSETS]) -> Hash32 {
    parent(&parent(&coset_roots[0], &coset_roots[1]), &coset_roots[2])
}

/// The root of one row's 128 chunks: the leaf its proof starts from.
pub fn row_root(row: &[u8]) -> Hash32 {
    segment_root(row, CHUNKS_PER_ROW)
}

/// One sampled row as a signer serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowWithProof {
    /// Quorum slot, 0..3072: coset `index / 1024`, row `index % 1024`.
    pub index: u16,
    /// The row's bytes, base64.
    #[serde(with = "base64_bytes")]
    pub data: Vec<u8>,
    pub proof: FileProof,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RowFault {
    #[error("row {index}: {received} bytes, a row is {expected}")]
    Length { index: u16, expected: usize, received: usize },
    #[error("row {index}: served instead of row {expected}")]
    WrongIndex { index: u16, expected: u16 },
    #[error("row {index}: {source}")]
    Proof { index: u16, source: ProofError },
}

/// Checks that `row` is row `expected` of the blob whose cosets have `coset_roots`.
pub fn verify_row(row: &RowWithProof, expected: u16, coset_roots: &[Hash32; COSETS]) -> Result<(), RowFault> {
    if row.index != expected {
        return Err(RowFault::WrongIndex { index: row.index, expected });
    }
    if row.data.len() != ROW_BYTES {
        return Err(RowFault::Length { index: row.index, expected: ROW_BYTES, received: row.data.len() });
    }
    let coset = row.index as usize / ROWS_PER_COSET;
    let Some(root) = coset_roots.get(coset) else {
        return Err(RowFault::WrongIndex { index: row.index, expected });
    };
    let position = (row.index as usize % ROWS_PER_COSET) as u64;
    row.proof
        .verify(&row_root(&row.data), root, position, ROWS_PER_COSET as u64)
        .map_err(|source| RowFault::Proof { index: row.index, source })
}

/// Keccak of a row's bytes, to name a row in evidence without carrying 32 KiB.
pub fn row_hash(row: &[u8]) -> Hash32 {
    keccak256(row)
}

/// Row bytes travel as standard base64, as zgs segment data does.
mod base64_bytes {
    use base64::{engine::general_purpose::STANDARD, Engine};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
