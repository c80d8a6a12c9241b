//! The rules that differ between CometBFT versions for BLS12-381 validator keys: what bytes a
//! vote's signature covers, the hash-to-curve domain separation tag, and how a key is written
//! where it is hashed (validator-set hash, address). One value, chosen per chain; 0G's pinned
//! rules are the default. Where each rule comes from is in docs/validators.md ("Chain profiles").

use crate::bls::{HashedMessage, PublicKey, DST_NUL, DST_POP};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt;

/// The hash-to-G2 domain separation tag a chain's validators sign with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BlsDst {
    /// `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_` (proof of possession, as Ethereum).
    Pop,
    /// `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_` (basic scheme).
    Nul,
}

impl BlsDst {
    pub fn tag(self) -> &'static [u8] {
        match self {
            BlsDst::Pop => DST_POP,
            BlsDst::Nul => DST_NUL,
        }
    }
}

/// How a BLS public key's bytes are written where the chain hashes them (the `bls12381` field of
/// `SimpleValidator.pub_key`, the address). Either form is accepted when decoding `/validators`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BlsKeyEncoding {
    /// 48 bytes, the compressed G1 point (blst `Compress`).
    Compressed,
    /// 96 bytes, the uncompressed G1 point x || y (blst `Serialize`).
    Uncompressed,
}

/// One chain's BLS rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainProfile {
    /// `0g` or `cometbft-v1`: how the CLI and configuration name it.
    pub name: &'static str,
    /// Sign `sha256(sign_bytes)` instead of the bytes when they are longer than 32 bytes.
    pub prehash_over_32_bytes: bool,
    pub dst: BlsDst,
    pub key_encoding: BlsKeyEncoding,
}

/// Longest message signed as it is when [`ChainProfile::prehash_over_32_bytes`] holds
/// (`MaxMsgLen` of the pinned crypto/bls12381).
pub const MAX_RAW_MESSAGE_LEN: usize = 32;

impl ChainProfile {
    /// 0G Chain's pinned rules: beacon-kit (0glabs/beacon-kit) replaces cometbft with
    /// v1.0.0-rc1.0.20240805134408-314422469051, whose crypto/bls12381 wraps cosmos/crypto v0.1.2:
    /// messages over 32 bytes are hashed with SHA-256 first, the DST is the PoP one, keys are the
    /// 48-byte compressed points.
    pub const ZG: ChainProfile = ChainProfile {
        name: "0g",
        prehash_over_32_bytes: true,
        dst: BlsDst::Pop,
        key_encoding: BlsKeyEncoding::Compressed,
    };

    /// Upstream CometBFT from v1.0.1 on (and berachain/cometbft, which 0glabs/beacon-kit's
    /// `dev-v2` branch pins): the bytes are signed as they are with the NUL DST, and a key is its
    /// 96-byte uncompressed point.
    pub const COMETBFT_V1: ChainProfile = ChainProfile {
        name: "cometbft-v1",
        prehash_over_32_bytes: false,
        dst: BlsDst::Nul,
        key_encoding: BlsKeyEncoding::Uncompressed,
    };

    pub const ALL: [ChainProfile; 2] = [ChainProfile::ZG, ChainProfile::COMETBFT_V1];

    /// The profile named `name` (`0g`, `cometbft-v1`).
    pub fn by_name(name: &str) -> Option<ChainProfile> {
        Self::ALL.into_iter().find(|p| p.name == name)
    }

    /// What a BLS signature over `sign_bytes` actually signs under this profile.
    pub fn bls_message<'a>(&self, sign_bytes: &'a [u8]) -> Cow<'a, [u8]> {
        if self.prehash_over_32_bytes && sign_bytes.len() > MAX_RAW_MESSAGE_LEN {
            Cow::Owned(Sha256::digest(sign_bytes).to_vec())
        } else {
            Cow::Borrowed(sign_bytes)
        }
    }

    /// `sign_bytes` as this profile signs them, hashed to G2: what a BLS signature is checked
    /// against (and, for signers, what the secret key multiplies).
    pub fn hash_bls_message(&self, sign_bytes: &[u8]) -> HashedMessage {
        HashedMessage::with_dst(&self.bls_message(sign_bytes), self.dst.tag()).expect("hash to G2 is total on BLS12-381")
    }

    /// A BLS key's bytes as this chain hashes them.
    pub fn bls_key_bytes(&self, key: &PublicKey) -> Vec<u8> {
        match self.key_encoding {
            BlsKeyEncoding::Compressed => key.to_bytes().to_vec(),
            BlsKeyEncoding::Uncompressed => key.to_uncompressed_bytes().to_vec(),
        }
    }
}

impl Default for ChainProfile {
    fn default() -> Self {
        ChainProfile::ZG
    }
}

impl fmt::Display for ChainProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}
