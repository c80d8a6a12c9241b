//! keccak256, the hash of every 0G Merkle tree (storage segments, DA rows) and of BN254's hash to
//! G1. The node's `Hash32` wraps these.

use sha3::{Digest, Keccak256};

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// keccak256(left || right): a Merkle parent.
pub fn keccak256_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Keccak256::new();
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}
