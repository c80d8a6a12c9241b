//! Secret keys and signing: for the devnet's validators and for tests, not for the light node,
//! which only verifies. Key generation is the caller's (32 bytes from its own randomness or a seed).

use super::error::{BlsError, Item};
use super::hash_to_curve::hash_message;
use super::keys::{PublicKey, Signature};
use super::same_message::HashedMessage;
use ark_bls12_381::{Fr, G1Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInt, PrimeField, Zero};
use std::fmt;

/// Bytes of a secret key (a big-endian scalar below the group order r).
pub const SECRET_KEY_LEN: usize = 32;

/// A non-zero scalar below r.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(Fr);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// 32 big-endian bytes; zero and values at or above r are refused (no reduction).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        let bytes: [u8; SECRET_KEY_LEN] = bytes.try_into().map_err(|_| BlsError::WrongLength {
            item: Item::SecretKey,
            expected: SECRET_KEY_LEN,
            got: bytes.len(),
        })?;
        let mut limbs = [0u64; 4];
        for (i, chunk) in bytes.chunks_exact(8).enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            limbs[3 - i] = u64::from_be_bytes(word);
        }
        let scalar = Fr::from_bigint(BigInt::new(limbs)).ok_or(BlsError::SecretKeyOutOfRange)?;
        if scalar.is_zero() {
            return Err(BlsError::ZeroSecretKey);
        }
        Ok(SecretKey(scalar))
    }

    pub fn to_bytes(&self) -> [u8; SECRET_KEY_LEN] {
        let limbs = self.0.into_bigint().0;
        let mut out = [0u8; SECRET_KEY_LEN];
        for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&limbs[3 - i].to_be_bytes());
        }
        out
    }

    /// sk·G1 (never the identity, as sk is not zero).
    pub fn public_key(&self) -> PublicKey {
        PublicKey((G1Affine::generator() * self.0).into_affine())
    }

    /// sk·H(msg) with the proof-of-possession DST.
    pub fn sign(&self, msg: &[u8]) -> Result<Signature, BlsError> {
        Ok(Signature((hash_message(msg)? * self.0).into_affine()))
    }

    /// sk·H(msg) for a message hashed once: many signers of one message (the devnet's commits).
    pub fn sign_hashed(&self, message: &HashedMessage) -> Signature {
        Signature((message.0 * self.0).into_affine())
    }
}
