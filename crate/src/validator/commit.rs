//! Checking one commit against one validator set: which signatures are valid, invalid or absent,
//! and how much voting power the valid ones carry.
//!
//! Every precommit of a block signs the same bytes, so the present signatures are checked as one
//! weighted same-message batch (two pairings); only when that fails does bisection find the
//! invalid ones. An invalid signature is only that: the slot does not count, and it says nothing
//! about the validator, whose slot anyone relaying the commit could have filled.

use super::block::Commit;
use super::error::ValidatorError;
use super::set::{more_than_two_thirds, ValidatorSet};
use super::sign_bytes::vote_sign_bytes;
use crate::bls::{find_invalid_same_message, HashedMessage, PublicKey, Signature};
use rand::RngCore;
use serde::Serialize;

/// One slot of a checked commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum SlotStatus {
    /// A signature of the block's vote sign bytes under the validator's key.
    Valid,
    /// Bytes that are no signature (wrong length, not a point, outside the subgroup, identity),
    /// or a signature that does not verify under this validator's key.
    Invalid { reason: String },
    /// No signature for this block (absent or nil).
    Absent,
}

/// The result of checking a commit against a set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitCheck {
    pub slots: Vec<SlotStatus>,
    pub signed_power: u64,
    pub total_power: u64,
}

impl CommitCheck {
    /// Whether valid signatures carry more than 2/3 of the set's voting power.
    pub fn has_quorum(&self) -> bool {
        more_than_two_thirds(self.signed_power, self.total_power)
    }

    pub fn invalid(&self) -> impl Iterator<Item = usize> + '_ {
        self.slots.iter().enumerate().filter(|(_, s)| matches!(s, SlotStatus::Invalid { .. })).map(|(i, _)| i)
    }

    pub fn count(&self, f: impl Fn(&SlotStatus) -> bool) -> usize {
        self.slots.iter().filter(|s| f(s)).count()
    }
}

/// Checks every signature of `commit` against `set` on `chain_id`. Errors only for a commit that
/// cannot be read against this set (slot count, chain id); bad signatures are [`SlotStatus::Invalid`].
/// `rng` draws the batch weights: seed it from randomness the signers cannot predict.
pub fn verify_commit<R: RngCore + ?Sized>(
    set: &ValidatorSet,
    chain_id: &str,
    commit: &Commit,
    rng: &mut R,
) -> Result<CommitCheck, ValidatorError> {
    if commit.signatures.len() != set.len() {
        return Err(ValidatorError::SignatureCount { expected: set.len(), got: commit.signatures.len() });
    }
    if commit.height == 0 {
        return Err(ValidatorError::ZeroHeight);
    }
    let message = vote_sign_bytes(chain_id, commit.height, commit.round, &commit.block_id)?;
    let hashed = HashedMessage::new(&message).expect("hash to G2 is total on BLS12-381");

    let mut slots = Vec::with_capacity(set.len());
    let mut present: Vec<(usize, Signature)> = Vec::new();
    for (i, slot) in commit.signatures.iter().enumerate() {
        let status = match slot {
            None => SlotStatus::Absent,
            Some(bytes) => match Signature::from_bytes(&bytes.0) {
                Err(e) => SlotStatus::Invalid { reason: e.to_string() },
                Ok(sig) if sig.is_identity() => SlotStatus::Invalid { reason: "signature is the identity point".into() },
                Ok(sig) => {
                    present.push((i, sig));
                    SlotStatus::Valid
                }
            },
        };
        slots.push(status);
    }

    let validators = set.validators();
    let pairs: Vec<(&PublicKey, &Signature)> = present.iter().map(|(i, sig)| (&validators[*i].key, sig)).collect();
    // One batch for all; bisection only if it fails.
    for bad in find_invalid_same_message(&hashed, &pairs, rng) {
        slots[present[bad].0] = SlotStatus::Invalid { reason: "signature does not verify under the validator's key".into() };
    }
    let signed_power = slots
        .iter()
        .zip(validators)
        .filter(|(s, _)| **s == SlotStatus::Valid)
        .map(|(_, v)| v.power)
        .sum();
    Ok(CommitCheck { slots, signed_power, total_power: set.total_power() })
}
