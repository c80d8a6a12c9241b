//! Hash to G2 per RFC 9380: `BLS12381G2_XMD:SHA-256_SSWU_RO_` (expand_message_xmd with SHA-256,
//! simplified SWU on the 3-isogenous curve, the isogeny, cofactor clearing). Hash to field and
//! cofactor clearing are arkworks'; the map is ours (`map_to_g2`, for speed: same points).

use super::error::BlsError;
use super::map_to_g2::map_to_g2_pair;
use ark_bls12_381::{Fq2, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::field_hashers::{DefaultFieldHasher, HashToField};
use sha2::Sha256;

/// The domain separation tag of the proof-of-possession ciphersuite, the one Ethereum and
/// beacon-kit sign with.
pub const DST_POP: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
/// The domain separation tag of the basic ciphersuite (no proof of possession), the one upstream
/// CometBFT signs with since v1.0.1 (`dstMinPk` in its crypto/bls12381).
pub const DST_NUL: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";

/// `hash_to_curve(msg)` onto G2 under the domain separation tag `dst` (RFC 9380 §3, random oracle).
/// The map is total on this curve: an error here would mean a broken field.
pub fn hash_to_g2(msg: &[u8], dst: &[u8]) -> Result<G2Affine, BlsError> {
    let u = <DefaultFieldHasher<Sha256, 128> as HashToField<Fq2>>::new(dst).hash_to_field::<2>(msg);
    let [q0, q1] = map_to_g2_pair(u)?;
    Ok((q0 + q1).into_affine().clear_cofactor())
}

/// The message's point under [`DST_POP`]: what a signature signs.
pub fn hash_message(msg: &[u8]) -> Result<G2Affine, BlsError> {
    hash_to_g2(msg, DST_POP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::{g2, G2Projective};
    use ark_ec::hashing::curve_maps::wb::WBMap;
    use ark_ec::hashing::map_to_curve_hasher::MapToCurveBasedHasher;
    use ark_ec::hashing::HashToCurve;
    use rand::{RngCore, SeedableRng};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    type ArkworksHasher = MapToCurveBasedHasher<G2Projective, DefaultFieldHasher<Sha256, 128>, WBMap<g2::Config>>;

    #[test]
    fn hashes_as_arkworks_hashes() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([3; 32]);
        for dst in [DST_POP, DST_NUL] {
            let arkworks = ArkworksHasher::new(dst).expect("hasher");
            for len in [0, 1, 32, 100, 300] {
                let mut msg = vec![0u8; len];
                rng.fill_bytes(&mut msg);
                assert_eq!(hash_to_g2(&msg, dst).expect("hash"), arkworks.hash(&msg).expect("hash"), "message of {len} bytes");
            }
        }
    }
}
