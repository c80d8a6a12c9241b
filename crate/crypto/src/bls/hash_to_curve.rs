//! Hash to G2 per RFC 9380: `BLS12381G2_XMD:SHA-256_SSWU_RO_` (expand_message_xmd with SHA-256,
//! simplified SWU on the 3-isogenous curve, the isogeny, cofactor clearing), from arkworks.

use super::error::BlsError;
use ark_bls12_381::{g2, G2Affine, G2Projective};
use ark_ec::hashing::curve_maps::wb::WBMap;
use ark_ec::hashing::map_to_curve_hasher::MapToCurveBasedHasher;
use ark_ec::hashing::HashToCurve;
use ark_ff::field_hashers::DefaultFieldHasher;
use sha2::Sha256;

/// The domain separation tag of the proof-of-possession ciphersuite, the one Ethereum and
/// beacon-kit sign with.
pub const DST_POP: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/// The domain separation tag of the basic ciphersuite (no proof of possession), the one upstream
/// CometBFT signs with since v1.0.1 (`dstMinPk` in its crypto/bls12381).
pub const DST_NUL: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";

type G2Hasher = MapToCurveBasedHasher<G2Projective, DefaultFieldHasher<Sha256, 128>, WBMap<g2::Config>>;

/// `hash_to_curve(msg)` onto G2 under the domain separation tag `dst` (RFC 9380 §3, random oracle).
/// The maps are total on this curve: an error here would mean a broken arkworks.
pub fn hash_to_g2(msg: &[u8], dst: &[u8]) -> Result<G2Affine, BlsError> {
    let hasher = G2Hasher::new(dst).map_err(|e| BlsError::HashToCurve(e.to_string()))?;
    hasher.hash(msg).map_err(|e| BlsError::HashToCurve(e.to_string()))
}

/// The message's point under [`DST_POP`]: what a signature signs.
pub fn hash_message(msg: &[u8]) -> Result<G2Affine, BlsError> {
    hash_to_g2(msg, DST_POP)
}
