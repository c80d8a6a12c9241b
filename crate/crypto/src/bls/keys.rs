//! Public keys (G1) and signatures (G2) from and to their 48- and 96-byte compressed encodings.
//!
//! The encoding is the ZCash serialization that Ethereum, beacon-kit and the IETF BLS draft use:
//! big-endian x coordinate(s) with three flags in the top bits of the first byte, 0x80 compressed
//! (required), 0x40 infinity, 0x20 "y is the larger of y and -y". For G2, x = c0 + c1·u is written
//! c1 first. Decoding makes every check the standard asks for, each with its own error: length,
//! compression flag, canonical infinity (0xc0 then zeros, no sort flag), each coordinate below the
//! field modulus, x on the curve, the point in the prime-order subgroup; and for public keys
//! (KeyValidate) not the identity.

use super::error::{BlsError, Item};
use super::fq2_sqrt;
use ark_bls12_381::{g1, g2, Fq, Fq2, G1Affine, G2Affine};
use ark_ec::bls12::Bls12Config;
use ark_ec::scalar_mul::{sw_double_and_add_affine, sw_double_and_add_projective};
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ec::AffineRepr;
use ark_ff::{BigInt, Field, PrimeField};

/// Bytes of a compressed public key.
pub const PUBLIC_KEY_LEN: usize = 48;
/// Bytes of an uncompressed public key (x then y): how upstream CometBFT v1 writes BLS keys.
pub const PUBLIC_KEY_UNCOMPRESSED_LEN: usize = 96;
/// Bytes of a compressed signature.
pub const SIGNATURE_LEN: usize = 96;

const COMPRESSED: u8 = 0x80;
const INFINITY: u8 = 0x40;
const SORT: u8 = 0x20;
const FLAGS: u8 = COMPRESSED | INFINITY | SORT;

/// A validated public key: on the curve, in the G1 subgroup, not the identity (IETF KeyValidate).
/// Only [`PublicKey::from_bytes`] and [`super::SecretKey::public_key`] make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey(pub(super) G1Affine);

/// A signature: a point of the G2 subgroup (the identity included: it decodes, it never verifies
/// under a valid key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature(pub(super) G2Affine);

impl PublicKey {
    /// Decodes a 48-byte compressed G1 point and checks it is a usable key.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        let point = decode_g1(bytes)?;
        if point.is_zero() {
            return Err(BlsError::IdentityPublicKey);
        }
        Ok(PublicKey(point))
    }

    /// Decodes a 96-byte uncompressed G1 point (x then y, ZCash flags) and checks it is a usable key.
    pub fn from_uncompressed_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        let point = decode_g1_uncompressed(bytes)?;
        if point.is_zero() {
            return Err(BlsError::IdentityPublicKey);
        }
        Ok(PublicKey(point))
    }

    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        encode_g1(&self.0)
    }

    /// The 96-byte uncompressed encoding (blst's `Serialize`).
    pub fn to_uncompressed_bytes(&self) -> [u8; PUBLIC_KEY_UNCOMPRESSED_LEN] {
        encode_g1_uncompressed(&self.0)
    }

    /// The curve point, for callers that need arkworks directly.
    pub fn as_point(&self) -> &G1Affine {
        &self.0
    }
}

impl Signature {
    /// Decodes a 96-byte compressed G2 point in the subgroup.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        decode_g2(bytes).map(Signature)
    }

    pub fn to_bytes(&self) -> [u8; SIGNATURE_LEN] {
        encode_g2(&self.0)
    }

    /// The curve point, for callers that need arkworks directly.
    pub fn as_point(&self) -> &G2Affine {
        &self.0
    }

    /// Whether this is the point at infinity.
    pub fn is_identity(&self) -> bool {
        self.0.is_zero()
    }
}

/// Decodes a compressed G1 point with every check but KeyValidate's "not the identity": the
/// infinity encoding 0xc0.. decodes to the identity (as the Ethereum `deserialization_G1` tests
/// expect). Public keys go through [`PublicKey::from_bytes`], which rejects it.
pub fn decode_g1(bytes: &[u8]) -> Result<G1Affine, BlsError> {
    let item = Item::PublicKey;
    let bytes = fixed::<PUBLIC_KEY_LEN>(bytes, item)?;
    let Some(x) = check_flags(&bytes, item)? else {
        return Ok(G1Affine::zero());
    };
    let x = fq(&x[..], item)?;
    let point = g1_point_from_x(x, bytes[0] & SORT != 0).ok_or(BlsError::NotOnCurve(item))?;
    if !g1_in_subgroup(&point) {
        return Err(BlsError::NotInSubgroup(item));
    }
    Ok(point)
}

/// Decodes an uncompressed G1 point (x then y, big-endian) with every check: flags (compression
/// and sort clear; infinity only as 0x40 and zeros), both coordinates below the modulus, on the
/// curve, in the subgroup. The identity decodes; [`PublicKey::from_uncompressed_bytes`] refuses it.
pub fn decode_g1_uncompressed(bytes: &[u8]) -> Result<G1Affine, BlsError> {
    let item = Item::PublicKey;
    let bytes = fixed::<PUBLIC_KEY_UNCOMPRESSED_LEN>(bytes, item)?;
    let flags = bytes[0] & FLAGS;
    if flags & (COMPRESSED | SORT) != 0 {
        return Err(BlsError::NotUncompressed(item));
    }
    let mut xy = bytes;
    xy[0] &= !FLAGS;
    if flags & INFINITY != 0 {
        if xy.iter().any(|&b| b != 0) {
            return Err(BlsError::NonCanonicalInfinity(item));
        }
        return Ok(G1Affine::zero());
    }
    let x = fq(&xy[..48], item)?;
    let y = fq(&xy[48..], item)?;
    let point = G1Affine::new_unchecked(x, y);
    if !point.is_on_curve() {
        return Err(BlsError::NotOnCurve(item));
    }
    if !g1_in_subgroup(&point) {
        return Err(BlsError::NotInSubgroup(item));
    }
    Ok(point)
}

/// Whether a point of G1's curve is in the prime-order subgroup: φ(P) = -[x²]P, with φ the
/// endomorphism (x, y) → (βx, y) (eprint 2021/1130, section 6), arkworks' check with its early
/// out. The multiplications by x are plain double-and-add: arkworks' second one goes through
/// G1's GLV multiplication, which splits a scalar with big-integer arithmetic (num-bigint, 24 KB
/// of the module) to no gain on a 64-bit scalar.
fn g1_in_subgroup(p: &G1Affine) -> bool {
    let x = ark_bls12_381::Config::X;
    let x_p = sw_double_and_add_affine(p, x);
    if x_p == *p && !p.infinity {
        return false;
    }
    -sw_double_and_add_projective(&x_p, x) == g1::endomorphism(p)
}

/// The point of G1's curve with abscissa `x` and the larger (`greatest`) or smaller of its two
/// ordinates, as arkworks' `get_point_from_x_unchecked` gives it, with our windowed square root.
fn g1_point_from_x(x: Fq, greatest: bool) -> Option<G1Affine> {
    let y = fq2_sqrt::sqrt_fq(x.square() * x + g1::Config::COEFF_B)?;
    Some(G1Affine::new_unchecked(x, larger_or_smaller(y, greatest)))
}

/// `y` or `-y`: the larger of the two (as integers below p) when `greatest`, else the smaller.
fn larger_or_smaller<F: Field + Ord>(y: F, greatest: bool) -> F {
    let (smaller, larger) = if y < -y { (y, -y) } else { (-y, y) };
    if greatest { larger } else { smaller }
}

/// The uncompressed encoding of a G1 point: x then y (0x40 and zeros for the identity).
pub fn encode_g1_uncompressed(point: &G1Affine) -> [u8; PUBLIC_KEY_UNCOMPRESSED_LEN] {
    let mut out = [0u8; PUBLIC_KEY_UNCOMPRESSED_LEN];
    match point.xy() {
        None => out[0] = INFINITY,
        Some((x, y)) => {
            out[..48].copy_from_slice(&fq_bytes(&x));
            out[48..].copy_from_slice(&fq_bytes(&y));
        }
    }
    out
}

/// Decodes a compressed G2 point (x.c1 then x.c0) with every check; infinity is allowed.
pub fn decode_g2(bytes: &[u8]) -> Result<G2Affine, BlsError> {
    let item = Item::Signature;
    let bytes = fixed::<SIGNATURE_LEN>(bytes, item)?;
    let Some(x) = check_flags(&bytes, item)? else {
        return Ok(G2Affine::zero());
    };
    let c1 = fq(&x[..48], item)?;
    let c0 = fq(&x[48..], item)?;
    let point = g2_point_from_x(Fq2::new(c0, c1), bytes[0] & SORT != 0).ok_or(BlsError::NotOnCurve(item))?;
    if !point.is_in_correct_subgroup_assuming_on_curve() {
        return Err(BlsError::NotInSubgroup(item));
    }
    Ok(point)
}

/// The point of G2's curve with abscissa `x` and the larger (`greatest`) or smaller of its two
/// ordinates, as arkworks' `get_point_from_x_unchecked` gives it, with our faster Fq2 square root.
fn g2_point_from_x(x: Fq2, greatest: bool) -> Option<G2Affine> {
    let y = fq2_sqrt::sqrt(x.square() * x + g2::Config::COEFF_B)?;
    Some(G2Affine::new_unchecked(x, larger_or_smaller(y, greatest)))
}

/// The compressed encoding of a G1 point (0xc0 and zeros for the identity).
pub fn encode_g1(point: &G1Affine) -> [u8; PUBLIC_KEY_LEN] {
    let mut out = [0u8; PUBLIC_KEY_LEN];
    match point.xy() {
        None => out[0] = COMPRESSED | INFINITY,
        Some((x, y)) => {
            out.copy_from_slice(&fq_bytes(&x));
            out[0] |= COMPRESSED | if y > -y { SORT } else { 0 };
        }
    }
    out
}

/// The compressed encoding of a G2 point: x.c1, then x.c0.
pub fn encode_g2(point: &G2Affine) -> [u8; SIGNATURE_LEN] {
    let mut out = [0u8; SIGNATURE_LEN];
    match point.xy() {
        None => out[0] = COMPRESSED | INFINITY,
        Some((x, y)) => {
            out[..48].copy_from_slice(&fq_bytes(&x.c1));
            out[48..].copy_from_slice(&fq_bytes(&x.c0));
            out[0] |= COMPRESSED | if y > -y { SORT } else { 0 };
        }
    }
    out
}

fn fixed<const N: usize>(bytes: &[u8], item: Item) -> Result<[u8; N], BlsError> {
    bytes.try_into().map_err(|_| BlsError::WrongLength { item, expected: N, got: bytes.len() })
}

/// Checks the three flag bits; `None` for a canonical infinity, else x's bytes with flags cleared.
fn check_flags<const N: usize>(bytes: &[u8; N], item: Item) -> Result<Option<[u8; N]>, BlsError> {
    let flags = bytes[0] & FLAGS;
    if flags & COMPRESSED == 0 {
        return Err(BlsError::NotCompressed(item));
    }
    let mut x = *bytes;
    x[0] &= !FLAGS;
    if flags & INFINITY != 0 {
        if flags & SORT != 0 || x.iter().any(|&b| b != 0) {
            return Err(BlsError::NonCanonicalInfinity(item));
        }
        return Ok(None);
    }
    Ok(Some(x))
}

/// A base-field element from 48 big-endian bytes, refusing values at or above the modulus.
fn fq(bytes: &[u8], item: Item) -> Result<Fq, BlsError> {
    let mut limbs = [0u64; 6];
    for (i, chunk) in bytes.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        limbs[5 - i] = u64::from_be_bytes(word);
    }
    Fq::from_bigint(BigInt::new(limbs)).ok_or(BlsError::CoordinateNotInField(item))
}

fn fq_bytes(x: &Fq) -> [u8; 48] {
    let limbs = x.into_bigint().0;
    let mut out = [0u8; 48];
    for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&limbs[5 - i].to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::SecretKey;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn uncompressed_keys_round_trip_and_refuse_bad_bytes() {
        let pk = SecretKey::from_bytes(&[7; 32]).unwrap().public_key();
        let raw = pk.to_uncompressed_bytes();
        assert_eq!(&raw[..48], &{
            let mut x = pk.to_bytes();
            x[0] &= 0x1f;
            x
        });
        assert_eq!(PublicKey::from_uncompressed_bytes(&raw).unwrap(), pk);
        let mut flagged = raw;
        flagged[0] |= 0x80;
        assert_eq!(PublicKey::from_uncompressed_bytes(&flagged), Err(BlsError::NotUncompressed(Item::PublicKey)));
        let mut off_curve = raw;
        off_curve[95] ^= 1;
        assert_eq!(PublicKey::from_uncompressed_bytes(&off_curve), Err(BlsError::NotOnCurve(Item::PublicKey)));
        let mut infinity = [0u8; 96];
        infinity[0] = 0x40;
        assert_eq!(PublicKey::from_uncompressed_bytes(&infinity), Err(BlsError::IdentityPublicKey));
        infinity[5] = 1;
        assert_eq!(PublicKey::from_uncompressed_bytes(&infinity), Err(BlsError::NonCanonicalInfinity(Item::PublicKey)));
        assert!(matches!(PublicKey::from_uncompressed_bytes(&raw[..48]), Err(BlsError::WrongLength { .. })));
        let mut big_x = raw;
        big_x[..48].fill(0x1f);
        assert_eq!(PublicKey::from_uncompressed_bytes(&big_x), Err(BlsError::CoordinateNotInField(Item::PublicKey)));
    }

    #[test]
    fn points_from_x_agree_with_arkworks() {
        use rand::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([4; 32]);
        let mut fq = || {
            let mut bytes = [0u8; 64];
            rng.fill_bytes(&mut bytes);
            Fq::from_le_bytes_mod_order(&bytes)
        };
        let (mut g1_found, mut g2_found) = (0, 0);
        for _ in 0..48 {
            let (x, x2) = (fq(), Fq2::new(fq(), fq()));
            for greatest in [false, true] {
                let ours = g1_point_from_x(x, greatest);
                assert_eq!(ours, G1Affine::get_point_from_x_unchecked(x, greatest), "G1, x = {x}");
                g1_found += usize::from(ours.is_some());
                let ours = g2_point_from_x(x2, greatest);
                assert_eq!(ours, G2Affine::get_point_from_x_unchecked(x2, greatest), "G2, x = {x2}");
                g2_found += usize::from(ours.is_some());
            }
        }
        assert!(g1_found > 30 && g1_found < 66 && g2_found > 30 && g2_found < 66, "{g1_found} and {g2_found} of 96");
    }

    #[test]
    fn g1_subgroup_check_agrees_with_arkworks() {
        use ark_ec::CurveGroup;
        use rand::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([3; 32]);
        let (mut inside, mut outside) = (0, 0);
        for _ in 0..64 {
            let mut bytes = [0u8; 64];
            rng.fill_bytes(&mut bytes);
            // Points of the whole curve (cofactor not cleared: almost never in the subgroup)...
            let Some(p) = G1Affine::get_point_from_x_unchecked(Fq::from_le_bytes_mod_order(&bytes), true) else { continue };
            assert_eq!(g1_in_subgroup(&p), p.is_in_correct_subgroup_assuming_on_curve());
            outside += usize::from(!g1_in_subgroup(&p));
            // ... and the same with the cofactor cleared: always in it.
            let q = p.clear_cofactor();
            assert!(g1_in_subgroup(&q) && q.is_in_correct_subgroup_assuming_on_curve());
            inside += 1;
            let sum = (q.into_group() + p).into_affine();
            assert_eq!(g1_in_subgroup(&sum), sum.is_in_correct_subgroup_assuming_on_curve());
        }
        assert!(inside > 20 && outside > 20, "{inside} inside, {outside} outside");
        assert!(g1_in_subgroup(&G1Affine::zero()) && g1_in_subgroup(&G1Affine::generator()));
    }
}
