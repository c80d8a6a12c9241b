//! 32-byte hashes and keccak256, the hash of every 0G Merkle tree.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// A 32-byte hash, written as `0x` + 64 lowercase hex digits (the form 0G RPCs use).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash32(pub [u8; 32]);

impl Hash32 {
    pub const ZERO: Hash32 = Hash32([0; 32]);

    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }
}

impl fmt::Display for Hash32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Why a string is not a 32-byte hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashParseError {
    #[error("hash must start with 0x")]
    MissingPrefix,
    #[error("hash must have 64 hex digits, found {0}")]
    WrongLength(usize),
    #[error("hash has a non-hex digit")]
    NotHex,
}

impl FromStr for Hash32 {
    type Err = HashParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .ok_or(HashParseError::MissingPrefix)?;
        if digits.len() != 64 {
            return Err(HashParseError::WrongLength(digits.len()));
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(digits, &mut out).map_err(|_| HashParseError::NotHex)?;
        Ok(Hash32(out))
    }
}

impl Serialize for Hash32 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash32 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Borrowed when possible; a JSON string with escapes falls back to an owned copy.
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> Hash32 {
    Hash32(zg_align_crypto::keccak::keccak256(data))
}

/// A Merkle parent: keccak256(left || right).
pub fn parent(left: &Hash32, right: &Hash32) -> Hash32 {
    Hash32(zg_align_crypto::keccak::keccak256_pair(&left.0, &right.0))
}

/// Deepest zero-subtree we ever need: 2^64 chunks is beyond any file.
pub const MAX_DEPTH: usize = 64;

/// `ZERO_HASHES[h]` is the root of a subtree of 2^h all-zero chunks:
/// `ZERO_HASHES[0] = keccak256(256 zero bytes)`, `ZERO_HASHES[i] = parent(ZERO_HASHES[i-1], ZERO_HASHES[i-1])`.
pub fn zero_hash(height: usize) -> Hash32 {
    static TABLE: OnceLock<[Hash32; MAX_DEPTH + 1]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [Hash32::ZERO; MAX_DEPTH + 1];
        t[0] = keccak256(&[0u8; crate::storage::CHUNK_SIZE]);
        for i in 1..=MAX_DEPTH {
            t[i] = parent(&t[i - 1], &t[i - 1]);
        }
        t
    });
    table[height]
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn zero_chunk_hash_matches_spec() {
        assert_eq!(
            zero_hash(0).to_hex(),
            "0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5"
        );
        assert_eq!(zero_hash(1), parent(&zero_hash(0), &zero_hash(0)));
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let h = keccak256(b"abc");
        assert_eq!(h.to_hex().parse::<Hash32>().unwrap(), h);
        assert_eq!("00".parse::<Hash32>(), Err(HashParseError::MissingPrefix));
        assert_eq!("0x00".parse::<Hash32>(), Err(HashParseError::WrongLength(2)));
        let bad = format!("0x{}", "g".repeat(64));
        assert_eq!(bad.parse::<Hash32>(), Err(HashParseError::NotHex));
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<Hash32>(&json).unwrap(), h);
    }
}
