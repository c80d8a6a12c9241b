//! Validator public keys as `/validators` gives them: `cometbft/PubKeyBls12_381` (0G Chain; 48-byte
//! compressed or 96-byte uncompressed points both accepted, every check of docs/bls.md made) and
//! `tendermint/PubKeyEd25519` (CometBFT's default, for tendermint-rs's fixtures and other chains).
//! How the chain writes a key where it hashes it depends on the [`ChainProfile`].

use super::error::Problem;
use super::profile::ChainProfile;
use super::types::Address;
use crate::bls::{self, PUBLIC_KEY_LEN, PUBLIC_KEY_UNCOMPRESSED_LEN};
use sha2::{Digest, Sha256};

/// The JSON type name of BLS12-381 keys (CometBFT `bls12381.PubKeyName`).
pub const BLS12_381_KEY_TYPE: &str = "cometbft/PubKeyBls12_381";
/// The JSON type name of ed25519 keys.
pub const ED25519_KEY_TYPE: &str = "tendermint/PubKeyEd25519";

/// A usable validator key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidatorKey {
    Bls12_381(bls::PublicKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// The signature scheme of a key, for a set that mixes none (see [`super::ValidatorSet`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum KeyType {
    Bls12_381,
    Ed25519,
}

impl ValidatorKey {
    /// A key from its JSON type name and the bytes of its base64 value.
    pub fn from_type_and_bytes(type_name: &str, bytes: &[u8]) -> Result<Self, Problem> {
        match type_name {
            BLS12_381_KEY_TYPE => {
                let key = match bytes.len() {
                    PUBLIC_KEY_LEN => bls::PublicKey::from_bytes(bytes)?,
                    PUBLIC_KEY_UNCOMPRESSED_LEN => bls::PublicKey::from_uncompressed_bytes(bytes)?,
                    got => return Err(Problem::Length { expected: "48 or 96", got }),
                };
                Ok(ValidatorKey::Bls12_381(key))
            }
            ED25519_KEY_TYPE => {
                let bytes: [u8; 32] = bytes.try_into().map_err(|_| Problem::Length { expected: "32", got: bytes.len() })?;
                ed25519_dalek::VerifyingKey::from_bytes(&bytes).map(ValidatorKey::Ed25519).map_err(|_| Problem::BadEd25519Key)
            }
            other => Err(Problem::UnknownKeyType(other.chars().take(64).collect())),
        }
    }

    pub fn key_type(&self) -> KeyType {
        match self {
            ValidatorKey::Bls12_381(_) => KeyType::Bls12_381,
            ValidatorKey::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// The JSON type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            ValidatorKey::Bls12_381(_) => BLS12_381_KEY_TYPE,
            ValidatorKey::Ed25519(_) => ED25519_KEY_TYPE,
        }
    }

    /// The key's bytes as the chain writes them where it hashes them.
    pub fn chain_bytes(&self, profile: &ChainProfile) -> Vec<u8> {
        match self {
            ValidatorKey::Bls12_381(key) => profile.bls_key_bytes(key),
            ValidatorKey::Ed25519(key) => key.to_bytes().to_vec(),
        }
    }

    /// CometBFT's address: `sha256(chain bytes)[:20]` (`tmhash.SumTruncated`).
    pub fn address(&self, profile: &ChainProfile) -> Address {
        let digest = Sha256::digest(self.chain_bytes(profile));
        let mut out = [0u8; 20];
        out.copy_from_slice(&digest[..20]);
        Address(out)
    }
}
