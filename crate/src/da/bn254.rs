//! BN254 points as 0G DA writes them, and the pairing checks of its signatures.
//!
//! Encodings are the EVM's (EIP-196/197), which the DA contracts use: a G1 point is `X || Y`, a G2
//! point `X.c1 || X.c0 || Y.c1 || Y.c0`, every coordinate a 32-byte big-endian integer below the
//! field modulus; `(0, 0)` is the point at infinity, which no key or signature may be.

use zg_align_crypto::keccak::keccak256;
use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, Field, One, PrimeField, Zero};

pub const G1_BYTES: usize = 64;
pub const G2_BYTES: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PointError {
    #[error("{what}: expected {expected} bytes, got {received}")]
    Length { what: &'static str, expected: usize, received: usize },
    #[error("{what}: a coordinate is not below the field modulus")]
    NotCanonical { what: &'static str },
    #[error("{what}: the point at infinity is not allowed")]
    Infinity { what: &'static str },
    #[error("{what}: the point is not on the curve")]
    NotOnCurve { what: &'static str },
    #[error("{what}: the point is not in the prime-order subgroup")]
    NotInSubgroup { what: &'static str },
}

fn field(bytes: &[u8], what: &'static str) -> Result<Fq, PointError> {
    // `from_bigint` refuses values >= p; `from_be_bytes_mod_order` would silently reduce them.
    let mut limbs = [0u64; 4];
    for (i, word) in bytes.rchunks(8).enumerate() {
        limbs[i] = u64::from_be_bytes(word.try_into().expect("32 bytes in 8-byte words"));
    }
    Fq::from_bigint(ark_ff::BigInt(limbs)).ok_or(PointError::NotCanonical { what })
}

fn field_bytes(f: &Fq) -> [u8; 32] {
    f.into_bigint().to_bytes_be().try_into().expect("32 bytes")
}

/// Decodes a G1 point that must be a real group element (keys, signatures, commitments).
pub fn decode_g1(bytes: &[u8], what: &'static str) -> Result<G1Affine, PointError> {
    if bytes.len() != G1_BYTES {
        return Err(PointError::Length { what, expected: G1_BYTES, received: bytes.len() });
    }
    let (x, y) = (field(&bytes[..32], what)?, field(&bytes[32..], what)?);
    if x.is_zero() && y.is_zero() {
        return Err(PointError::Infinity { what });
    }
    let p = G1Affine::new_unchecked(x, y);
    // G1 of BN254 has cofactor 1: on the curve means in the subgroup.
    if !p.is_on_curve() {
        return Err(PointError::NotOnCurve { what });
    }
    Ok(p)
}

pub fn encode_g1(p: &G1Affine) -> [u8; G1_BYTES] {
    let mut out = [0u8; G1_BYTES];
    if let Some((x, y)) = p.xy() {
        out[..32].copy_from_slice(&field_bytes(&x));
        out[32..].copy_from_slice(&field_bytes(&y));
    }
    out
}

/// Decodes a G2 point in the EVM order (imaginary part first), with the subgroup check G2 needs.
pub fn decode_g2(bytes: &[u8], what: &'static str) -> Result<G2Affine, PointError> {
    if bytes.len() != G2_BYTES {
        return Err(PointError::Length { what, expected: G2_BYTES, received: bytes.len() });
    }
    let c = |i: usize| field(&bytes[i * 32..(i + 1) * 32], what);
    let x = Fq2::new(c(1)?, c(0)?);
    let y = Fq2::new(c(3)?, c(2)?);
    if x.is_zero() && y.is_zero() {
        return Err(PointError::Infinity { what });
    }
    let p = G2Affine::new_unchecked(x, y);
    if !p.is_on_curve() {
        return Err(PointError::NotOnCurve { what });
    }
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(PointError::NotInSubgroup { what });
    }
    Ok(p)
}

pub fn encode_g2(p: &G2Affine) -> [u8; G2_BYTES] {
    let mut out = [0u8; G2_BYTES];
    if let Some((x, y)) = p.xy() {
        for (i, f) in [x.c1, x.c0, y.c1, y.c0].iter().enumerate() {
            out[i * 32..(i + 1) * 32].copy_from_slice(&field_bytes(f));
        }
    }
    out
}

/// Hash to G1 by try-and-increment, as the DA contracts' `BN254.hashToG1`: `x = digest mod p`;
/// while `x^3 + 3` has no square root, `x += 1`; `y = (x^3 + 3)^((p+1)/4)` (p = 3 mod 4, so that is
/// the root the contract's `expMod` takes). Not constant-time, and it need not be: inputs are public.
pub fn hash_to_g1(digest: &[u8; 32]) -> G1Affine {
    let mut x = Fq::from_be_bytes_mod_order(digest);
    let mut exponent = Fq::MODULUS;
    exponent.add_with_carry(&ark_ff::BigInt::from(1u64));
    exponent.div2();
    exponent.div2();
    loop {
        let beta = x * x * x + Fq::from(3u64);
        let y = beta.pow(exponent);
        if y * y == beta {
            return G1Affine::new_unchecked(x, y);
        }
        x += Fq::one();
    }
}

/// `sk * hash_to_g1(digest)`: how a DA signer signs (devnet and tests; the node never signs).
pub fn sign(sk: &Fr, digest: &[u8; 32]) -> G1Affine {
    (hash_to_g1(digest) * sk).into_affine()
}

/// Public keys of a secret key in G1 and G2, as a signer registers them.
pub fn public_keys(sk: &Fr) -> (G1Affine, G2Affine) {
    ((G1Affine::generator() * sk).into_affine(), (G2Affine::generator() * sk).into_affine())
}

/// The contract's binding of the G1 and G2 aggregate keys to one pairing equation:
/// `gamma = keccak(sig, apk1, apk2, H) mod r` over the EVM encodings.
fn gamma(sig: &G1Affine, apk1: &G1Affine, apk2: &G2Affine, hash: &G1Affine) -> Fr {
    let mut bytes = Vec::with_capacity(3 * G1_BYTES + G2_BYTES);
    bytes.extend_from_slice(&encode_g1(sig));
    bytes.extend_from_slice(&encode_g1(apk1));
    bytes.extend_from_slice(&encode_g2(apk2));
    bytes.extend_from_slice(&encode_g1(hash));
    Fr::from_be_bytes_mod_order(&keccak256(&bytes))
}

/// Checks an aggregate signature on `digest` as `DAEntrance` does, with one two-pairing equation:
/// `e(sig + gamma * apk1, -G2) * e(H + gamma * G1, apk2) == 1`. It holds only when `sig` is the
/// signature of the key behind both `apk1` (computed by the chain) and `apk2` (from the submitter).
pub fn verify_aggregate(digest: &[u8; 32], sig: &G1Affine, apk1: &G1Affine, apk2: &G2Affine) -> bool {
    let hash = hash_to_g1(digest);
    let g = gamma(sig, apk1, apk2, &hash);
    let left: G1Projective = *sig + *apk1 * g;
    let right: G1Projective = hash + G1Affine::generator() * g;
    let result = Bn254::multi_pairing([left.into_affine(), right.into_affine()], [-G2Affine::generator(), *apk2]);
    result.0.is_one()
}

/// Checks that a signer's G1 and G2 keys hold the same secret: `e(pk1, G2) == e(G1, pk2)`.
pub fn keys_match(pk1: &G1Affine, pk2: &G2Affine) -> bool {
    Bn254::multi_pairing([*pk1, -G1Affine::generator()], [G2Affine::generator(), *pk2]).0.is_one()
}

/// Sum of G1 points (the aggregate key of a set of signers, or their aggregate signature).
pub fn sum_g1<'a>(points: impl IntoIterator<Item = &'a G1Affine>) -> G1Affine {
    points.into_iter().fold(G1Projective::zero(), |acc, p| acc + p).into_affine()
}

pub fn sum_g2<'a>(points: impl IntoIterator<Item = &'a G2Affine>) -> G2Affine {
    points.into_iter().fold(ark_bn254::G2Projective::zero(), |acc, p| acc + p).into_affine()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn sk(n: u64) -> Fr {
        Fr::from(n * 1_000_003 + 7)
    }

    #[test]
    fn points_round_trip_and_reject_bad_encodings() {
        let (pk1, pk2) = public_keys(&sk(1));
        assert_eq!(decode_g1(&encode_g1(&pk1), "pk").unwrap(), pk1);
        assert_eq!(decode_g2(&encode_g2(&pk2), "pk").unwrap(), pk2);
        assert!(matches!(decode_g1(&[0u8; 64], "pk"), Err(PointError::Infinity { .. })));
        assert!(matches!(decode_g2(&[0u8; 128], "pk"), Err(PointError::Infinity { .. })));
        assert!(matches!(decode_g1(&[0u8; 63], "pk"), Err(PointError::Length { .. })));
        let mut off = encode_g1(&pk1);
        off[63] ^= 1;
        assert!(matches!(decode_g1(&off, "pk"), Err(PointError::NotOnCurve { .. })));
        let mut big = encode_g1(&pk1);
        big[..32].copy_from_slice(&[0xff; 32]);
        assert!(matches!(decode_g1(&big, "pk"), Err(PointError::NotCanonical { .. })));
        // Swapping the G2 halves (the usual encoding mistake) leaves the curve.
        let mut swapped = encode_g2(&pk2);
        swapped[..64].rotate_left(32);
        assert!(decode_g2(&swapped, "pk").is_err());
    }

    #[test]
    fn hash_to_g1_lands_on_the_curve_deterministically() {
        for i in 0u8..20 {
            let d = keccak256(&[i]);
            let p = hash_to_g1(&d);
            assert!(p.is_on_curve());
            assert_eq!(p, hash_to_g1(&d));
        }
    }

    #[test]
    fn aggregate_signatures_verify_and_forgeries_do_not() {
        let digest = keccak256(b"blob");
        let keys: Vec<_> = (1..=5).map(sk).collect();
        let sigs: Vec<_> = keys.iter().map(|k| sign(k, &digest)).collect();
        let pks: Vec<_> = keys.iter().map(public_keys).collect();
        let apk1 = sum_g1(pks.iter().map(|p| &p.0));
        let apk2 = sum_g2(pks.iter().map(|p| &p.1));
        let sig = sum_g1(&sigs);
        assert!(verify_aggregate(&digest, &sig, &apk1, &apk2));
        assert!(!verify_aggregate(&keccak256(b"other"), &sig, &apk1, &apk2));
        // One signature missing from the aggregate.
        assert!(!verify_aggregate(&digest, &sum_g1(&sigs[1..]), &apk1, &apk2));
        // A G2 key that does not match the G1 aggregate.
        let apk2_short = sum_g2(pks[1..].iter().map(|p| &p.1));
        assert!(!verify_aggregate(&digest, &sig, &apk1, &apk2_short));
        assert!(pks.iter().all(|(a, b)| keys_match(a, b)));
        assert!(!keys_match(&pks[0].0, &pks[1].1));
    }
}
