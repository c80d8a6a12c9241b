//! Checking one commit against one validator set: every present signature over its own sign
//! bytes (each vote carries its own timestamp), BLS ones as one batch of distinct messages
//! (random 64-bit weights from the caller's RNG, one multi-Miller loop, one final
//! exponentiation), bisection naming the bad ones when the batch fails.
//!
//! Counting is CometBFT's: only `Commit` slots with a valid signature carry power for the block;
//! `Nil` slots are checked too (CometBFT's `VerifyCommit` does) but count for nothing; `Absent`
//! slots are not votes. Unlike CometBFT, which stops at the first bad signature (and
//! `VerifyCommitLight` stops counting at 2/3), every signature is checked and a bad one marks
//! only its slot: liveness needs every slot, and a relay could have spoiled any slot, so a bad
//! slot accuses nobody. Quorum is more than 2/3 of the set's power in valid `Commit` slots.

use super::error::CommitError;
use super::key::ValidatorKey;
use super::set::ValidatorSet;
use super::sign_bytes::MAX_CHAIN_ID_LEN;
use super::types::{Address, BlockIdFlag, Commit};
use crate::bls::{self, find_invalid_hashed, HashedMessage, HashedSignatureSet};
use ed25519_dalek::Verifier;
use rand::RngCore;
use serde::Serialize;

/// Why a present slot does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum InvalidSlot {
    /// The slot names another address than the set's validator at that position.
    WrongAddress { listed: Address, expected: Address },
    /// The signature bytes are no signature of the key's scheme (length, point, subgroup, identity).
    Undecodable { reason: String },
    /// A well-formed signature that does not verify over the slot's sign bytes.
    DoesNotVerify,
}

/// One slot of a checked commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum SlotStatus {
    /// No vote (`Absent`).
    Absent,
    /// A valid precommit for this block (`Commit`).
    Signed,
    /// A valid precommit for nil (`Nil`): the validator voted, not for this block.
    Nil,
    /// A present slot that does not count.
    Invalid(InvalidSlot),
}

/// The result of checking a commit against a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitCheck {
    pub slots: Vec<SlotStatus>,
    /// Power of the valid `Commit` slots.
    pub signed_power: u64,
    /// Power of the valid `Nil` slots.
    pub nil_power: u64,
    pub total_power: u64,
}

/// Whether `part` is more than `numerator / denominator` of `total` (no overflow).
pub fn more_than(part: u64, total: u64, numerator: u64, denominator: u64) -> bool {
    u128::from(part) * u128::from(denominator) > u128::from(total) * u128::from(numerator)
}

impl CommitCheck {
    /// More than 2/3 of the set's power signed this block.
    pub fn has_quorum(&self) -> bool {
        more_than(self.signed_power, self.total_power, 2, 3)
    }

    /// Slots whose signature did not count though present.
    pub fn invalid(&self) -> impl Iterator<Item = (usize, &InvalidSlot)> + '_ {
        self.slots.iter().enumerate().filter_map(|(i, s)| match s {
            SlotStatus::Invalid(why) => Some((i, why)),
            _ => None,
        })
    }

    pub fn count(&self, f: impl Fn(&SlotStatus) -> bool) -> usize {
        self.slots.iter().filter(|s| f(s)).count()
    }
}

/// Checks every signature of `commit` against `set` (the set of the commit's height) on
/// `chain_id`, under the set's profile. Errors only for a commit that cannot be read against this
/// set; bad signatures are [`SlotStatus::Invalid`]. `rng` draws the batch weights: seed it from
/// randomness the signers cannot predict.
pub fn verify_commit<R: RngCore + ?Sized>(chain_id: &str, set: &ValidatorSet, commit: &Commit, rng: &mut R) -> Result<CommitCheck, CommitError> {
    if chain_id.is_empty() || chain_id.len() > MAX_CHAIN_ID_LEN {
        return Err(CommitError::BadChainId(chain_id.len()));
    }
    if commit.signatures.len() != set.len() {
        return Err(CommitError::SignatureCount { expected: set.len(), got: commit.signatures.len() });
    }
    let profile = set.profile();
    let mut slots = Vec::with_capacity(set.len());
    // BLS slots to batch: (slot, hashed sign bytes, signature).
    let mut bls_slots: Vec<(usize, HashedMessage, bls::Signature)> = Vec::new();
    for (i, (sig, validator)) in commit.signatures.iter().zip(set.validators()).enumerate() {
        let status = match (sig.flag, sig.validator_address) {
            (BlockIdFlag::Absent, _) | (_, None) => SlotStatus::Absent,
            (_, Some(listed)) if listed != validator.address => {
                SlotStatus::Invalid(InvalidSlot::WrongAddress { listed, expected: validator.address })
            }
            (flag, Some(_)) => {
                let counted = if flag == BlockIdFlag::Commit { SlotStatus::Signed } else { SlotStatus::Nil };
                let sign_bytes = commit.vote_sign_bytes(chain_id, i).expect("slot index within the commit");
                match &validator.key {
                    ValidatorKey::Bls12_381(_) => match bls::Signature::from_bytes(&sig.signature) {
                        Err(e) => SlotStatus::Invalid(InvalidSlot::Undecodable { reason: e.to_string() }),
                        Ok(s) if s.is_identity() => SlotStatus::Invalid(InvalidSlot::Undecodable { reason: "signature is the identity point".into() }),
                        Ok(s) => {
                            bls_slots.push((i, profile.hash_bls_message(&sign_bytes), s));
                            counted
                        }
                    },
                    ValidatorKey::Ed25519(key) => match ed25519_dalek::Signature::from_slice(&sig.signature) {
                        Err(_) => SlotStatus::Invalid(InvalidSlot::Undecodable { reason: format!("{} bytes, not a 64-byte ed25519 signature", sig.signature.len()) }),
                        Ok(s) if key.verify(&sign_bytes, &s).is_ok() => counted,
                        Ok(_) => SlotStatus::Invalid(InvalidSlot::DoesNotVerify),
                    },
                }
            }
        };
        slots.push(status);
    }

    let keys: Vec<&bls::PublicKey> = bls_slots
        .iter()
        .map(|(i, _, _)| match &set.validators()[*i].key {
            ValidatorKey::Bls12_381(k) => k,
            ValidatorKey::Ed25519(_) => unreachable!("only BLS slots are batched"),
        })
        .collect();
    let sets: Vec<HashedSignatureSet<'_>> = bls_slots
        .iter()
        .zip(&keys)
        .map(|((_, message, signature), public_key)| HashedSignatureSet { public_key, message, signature })
        .collect();
    // The BLS crate takes `&mut dyn RngCore` (non-generic, so it is compiled there); `&mut R` is
    // an RngCore of known size even where `R` is not.
    let mut rng = rng;
    for bad in find_invalid_hashed(&sets, &mut rng) {
        slots[bls_slots[bad].0] = SlotStatus::Invalid(InvalidSlot::DoesNotVerify);
    }

    let power_of = |wanted: &SlotStatus| -> u64 {
        slots.iter().zip(set.validators()).filter(|(s, _)| *s == wanted).map(|(_, v)| v.power).sum()
    };
    Ok(CommitCheck { signed_power: power_of(&SlotStatus::Signed), nil_power: power_of(&SlotStatus::Nil), total_power: set.total_power(), slots })
}
