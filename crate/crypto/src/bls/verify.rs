//! Verification as one multi-Miller loop and one final exponentiation (IETF BLS draft, PoP
//! ciphersuite): `verify`, `aggregate_verify`, `fast_aggregate_verify`, and signature aggregation.
//!
//! e(pk, H(m)) == e(G1, sig) is checked as e(pk, H(m)) · e(-G1, sig) == 1.

use super::final_exponentiation::final_exponentiation;
use super::miller_loop;
use super::error::BlsError;
use super::hash_to_curve::hash_message;
use super::keys::{PublicKey, Signature};
use super::same_message::HashedMessage;
use ark_bls12_381::{G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::One;

/// Whether the product of the pairings e(g1_i, g2_i) is one: one multi-Miller loop and one final
/// exponentiation (both ours: [`miller_loop`], [`final_exponentiation`]).
pub(super) fn pairings_are_one(g1: &[G1Affine], g2: &[G2Affine]) -> bool {
    final_exponentiation(miller_loop::multi_miller_loop(g1, g2).0).is_some_and(|out| out.is_one())
}

fn minus_generator() -> G1Affine {
    -G1Affine::generator()
}

/// CoreVerify: whether `sig` signs `msg` under `pk`.
pub fn verify(pk: &PublicKey, msg: &[u8], sig: &Signature) -> bool {
    let Ok(h) = hash_message(msg) else { return false };
    pairings_are_one(&[pk.0, minus_generator()], &[h, sig.0])
}

/// CoreVerify over a message already hashed to G2 (under whichever DST the signer used).
pub fn verify_hashed(pk: &PublicKey, message: &HashedMessage, sig: &Signature) -> bool {
    pairings_are_one(&[pk.0, minus_generator()], &[message.0, sig.0])
}

/// AggregateVerify (PoP scheme: messages need not be distinct): whether `sig` aggregates a
/// signature of each `msgs[i]` under `pks[i]`. False for empty or mismatched lists.
pub fn aggregate_verify<M: AsRef<[u8]>>(pks: &[PublicKey], msgs: &[M], sig: &Signature) -> bool {
    if pks.is_empty() || pks.len() != msgs.len() {
        return false;
    }
    let mut g1: Vec<G1Affine> = pks.iter().map(|pk| pk.0).collect();
    let mut g2 = Vec::with_capacity(msgs.len() + 1);
    for msg in msgs {
        let Ok(h) = hash_message(msg.as_ref()) else { return false };
        g2.push(h);
    }
    g1.push(minus_generator());
    g2.push(sig.0);
    pairings_are_one(&g1, &g2)
}

/// FastAggregateVerify: whether `sig` aggregates signatures of the one `msg` by every key of
/// `pks` (keys proven by possession, as validator keys are). False for an empty list.
pub fn fast_aggregate_verify(pks: &[PublicKey], msg: &[u8], sig: &Signature) -> bool {
    if pks.is_empty() {
        return false;
    }
    let sum: G1Projective = pks.iter().map(|pk| pk.0).sum();
    let Ok(h) = hash_message(msg) else { return false };
    pairings_are_one(&[sum.into_affine(), minus_generator()], &[h, sig.0])
}

/// Aggregate: the sum of the signatures. An empty list is an error.
pub fn aggregate(sigs: &[Signature]) -> Result<Signature, BlsError> {
    if sigs.is_empty() {
        return Err(BlsError::EmptyAggregate);
    }
    let sum: G2Projective = sigs.iter().map(|s| s.0).sum();
    Ok(Signature(sum.into_affine()))
}
