//! Many signatures of one message: a validator commit, where every vote signs the same sign bytes.
//!
//! The message is hashed to G2 once ([`HashedMessage`]). A batch gives each (key, signature) a
//! random non-zero 64-bit weight r_i and checks e(Σ r_i·pk_i, H(m)) · e(-G1, Σ r_i·sig_i) == 1:
//! two Miller loops and one final exponentiation whatever the number of signers. Plain
//! fast-aggregate-verify (unweighted sums) would accept a set of invalid signatures that cancel
//! out, and could not say which signer is valid; the weights make a batch with any invalid
//! signature pass with probability about 2^-64. When a batch fails, [`find_invalid_same_message`]
//! bisects: halves that verify are cleared in one go, so one bad signature among n costs about
//! log2(n) smaller batches (k bad ones at most 2·k·log2(n)) instead of n single verifications.

use super::batch::{bisect, nonzero_u64, weighted_sum};
use super::error::BlsError;
use super::hash_to_curve::{hash_message, hash_to_g2};
use super::keys::{PublicKey, Signature};
use super::verify::pairings_are_one;
use ark_bls12_381::{G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use rand::RngCore;

/// A message hashed to G2 under the PoP DST, to sign or verify many times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashedMessage(pub(super) G2Affine);

impl HashedMessage {
    /// `message` hashed to G2 under the proof-of-possession DST.
    pub fn new(message: &[u8]) -> Result<Self, BlsError> {
        hash_message(message).map(HashedMessage)
    }

    /// `message` hashed to G2 under the domain separation tag `dst` (a chain's choice: see
    /// [`super::DST_POP`], [`super::DST_NUL`]).
    pub fn with_dst(message: &[u8], dst: &[u8]) -> Result<Self, BlsError> {
        hash_to_g2(message, dst).map(HashedMessage)
    }
}

/// Whether every signature signs the message under its key (false for an empty batch).
pub fn batch_verify_same_message(
    message: &HashedMessage,
    pairs: &[(&PublicKey, &Signature)],
    rng: &mut dyn RngCore,
) -> bool {
    if pairs.is_empty() {
        return false;
    }
    let weights: Vec<u64> = pairs.iter().map(|_| nonzero_u64(rng)).collect();
    let keys: Vec<G1Affine> = pairs.iter().map(|(pk, _)| pk.0).collect();
    let sigs: Vec<G2Affine> = pairs.iter().map(|(_, sig)| sig.0).collect();
    let key_sum = weighted_sum(&keys, &weights).into_affine();
    let sig_sum = weighted_sum(&sigs, &weights).into_affine();
    pairings_are_one(&[key_sum, -G1Affine::generator()], &[message.0, sig_sum])
}

/// Indices (ascending) of the pairs whose signature does not sign the message, by bisection:
/// one batch for the whole list, then the left half of each failing part; when the left half
/// passes, the right half is known to fail and is split without being checked.
pub fn find_invalid_same_message(
    message: &HashedMessage,
    pairs: &[(&PublicKey, &Signature)],
    rng: &mut dyn RngCore,
) -> Vec<usize> {
    bisect(pairs.len(), |range| batch_verify_same_message(message, &pairs[range], rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::{verify, SecretKey};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn key(i: u8) -> SecretKey {
        let mut b = [0u8; 32];
        b[0] = 0x11;
        b[31] = i;
        SecretKey::from_bytes(&b).unwrap()
    }

    #[test]
    fn batches_and_bisection_name_exactly_the_bad_signatures() {
        let mut rng = ChaCha20Rng::from_seed([7; 32]);
        let msg = b"one block";
        let h = HashedMessage::new(msg).unwrap();
        let sks: Vec<SecretKey> = (1..=20).map(key).collect();
        let pks: Vec<PublicKey> = sks.iter().map(|k| k.public_key()).collect();
        let mut sigs: Vec<Signature> = sks.iter().map(|k| k.sign_hashed(&h)).collect();
        assert_eq!(sigs[3], sks[3].sign(msg).unwrap(), "sign_hashed is sign");
        assert!(verify(&pks[3], msg, &sigs[3]));
        let pairs = |sigs: &[Signature]| -> Vec<(PublicKey, Signature)> { pks.iter().copied().zip(sigs.iter().copied()).collect() };
        let owned = pairs(&sigs);
        let refs: Vec<(&PublicKey, &Signature)> = owned.iter().map(|(p, s)| (p, s)).collect();
        assert!(batch_verify_same_message(&h, &refs, &mut rng));
        assert!(find_invalid_same_message(&h, &refs, &mut rng).is_empty());
        assert!(!batch_verify_same_message(&h, &[], &mut rng));

        // Another signer's signature, another message's, and two swapped signatures that would
        // cancel out in an unweighted sum.
        sigs[0] = sks[1].sign_hashed(&h);
        sigs[7] = sks[7].sign(b"another block").unwrap();
        sigs.swap(12, 19);
        let owned = pairs(&sigs);
        let refs: Vec<(&PublicKey, &Signature)> = owned.iter().map(|(p, s)| (p, s)).collect();
        assert!(!batch_verify_same_message(&h, &refs, &mut rng));
        assert_eq!(find_invalid_same_message(&h, &refs, &mut rng), vec![0, 7, 12, 19]);
    }
}
