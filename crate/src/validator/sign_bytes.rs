//! Canonical bytes: what a precommit signs and what a block id hashes.
//!
//! CometBFT signs a protobuf `CanonicalVote` that carries each validator's own timestamp, so every
//! vote of a block signs different bytes and a commit costs one pairing per signature. Here the
//! vote carries no timestamp: every precommit for one block signs the very same bytes, and a
//! commit is checked as one weighted same-message batch (two pairings). Fixed-width big-endian
//! fields, then the length-prefixed chain id; nothing is optional, so each vote has exactly one
//! encoding.
//!
//! ```text
//! vote sign bytes (46 + n bytes):
//!   0      u8      type = 0x02 (precommit, CometBFT's SignedMsgType)
//!   1..9   u64 BE  height
//!   9..13  u32 BE  round
//!   13..45 [32]    block id
//!   45     u8      n = chain id length (1..=50)
//!   46..   [n]     chain id, printable ASCII
//!
//! header bytes (block id = SHA-256 of these):
//!   u8 n || chain id (n bytes) || height u64 BE || last block id [32] || validators hash [32]
//!   || next validators hash [32] || app hash [32]
//! ```

use super::block::Header;
use super::error::ValidatorError;
use crate::hash::Hash32;
use sha2::{Digest, Sha256};

/// CometBFT's `SignedMsgType` for a precommit.
pub const PRECOMMIT: u8 = 0x02;
/// CometBFT's `MaxChainIDLen`.
pub const MAX_CHAIN_ID_LEN: usize = 50;

fn check_chain_id(chain_id: &str) -> Result<(), ValidatorError> {
    let len = chain_id.len();
    if len == 0 || len > MAX_CHAIN_ID_LEN || !chain_id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ValidatorError::BadChainId { len, max: MAX_CHAIN_ID_LEN });
    }
    Ok(())
}

/// What every precommit for `block_id` at `height` and `round` on `chain_id` signs.
pub fn vote_sign_bytes(chain_id: &str, height: u64, round: u32, block_id: &Hash32) -> Result<Vec<u8>, ValidatorError> {
    check_chain_id(chain_id)?;
    let mut out = Vec::with_capacity(46 + chain_id.len());
    out.push(PRECOMMIT);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&round.to_be_bytes());
    out.extend_from_slice(&block_id.0);
    out.push(chain_id.len() as u8);
    out.extend_from_slice(chain_id.as_bytes());
    Ok(out)
}

/// The header's canonical bytes.
pub fn header_bytes(header: &Header) -> Result<Vec<u8>, ValidatorError> {
    check_chain_id(&header.chain_id)?;
    let mut out = Vec::with_capacity(1 + header.chain_id.len() + 8 + 4 * 32);
    out.push(header.chain_id.len() as u8);
    out.extend_from_slice(header.chain_id.as_bytes());
    out.extend_from_slice(&header.height.to_be_bytes());
    for h in [&header.last_block_id, &header.validators_hash, &header.next_validators_hash, &header.app_hash] {
        out.extend_from_slice(&h.0);
    }
    Ok(out)
}

/// The block id: SHA-256 of the header's canonical bytes.
pub fn block_id(header: &Header) -> Result<Hash32, ValidatorError> {
    Ok(Hash32(Sha256::digest(header_bytes(header)?).into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn vote_bytes_are_the_documented_layout() {
        let id = Hash32([0xab; 32]);
        let bytes = vote_sign_bytes("zg-1", 0x0102030405060708, 9, &id).unwrap();
        let mut expected = vec![0x02, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 9];
        expected.extend_from_slice(&[0xab; 32]);
        expected.extend_from_slice(b"\x04zg-1");
        assert_eq!(bytes, expected);
        for bad in ["", "a b", "é", &"x".repeat(51)] {
            assert!(matches!(vote_sign_bytes(bad, 1, 0, &id), Err(ValidatorError::BadChainId { .. })), "{bad:?}");
        }
        assert!(vote_sign_bytes(&"x".repeat(50), 1, 0, &id).is_ok());
    }
}
