//! Per-validator verdicts: liveness over a window of verified heights, and equivocation evidence.
//!
//! Missing signatures is a liveness matter, never misbehaviour: a validator that misses votes is
//! `lagging` or `offline` (shown as "unreachable"). Only evidence anyone can check again, two
//! valid signatures of one validator for different blocks at one height and round, makes it
//! `misbehaving`. Invalid signatures in a commit count for nobody: whoever relayed the commit
//! could have put them there.

use super::block::Vote;
use super::hex::HexBytes;
use super::sign_bytes::vote_sign_bytes;
use crate::bls::{verify, PublicKey, Signature};
use crate::hash::Hash32;
use serde::{Deserialize, Serialize};

/// How liveness is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LivenessPolicy {
    /// Verified heights kept (the sliding window).
    pub window: usize,
    /// Heights a validator must have been expected to sign before it gets a liveness verdict.
    pub min_observed: u32,
    /// Largest share of missed heights, in percent, that is still healthy.
    pub max_missed_percent: u32,
}

impl Default for LivenessPolicy {
    /// 100 heights (Cosmos' default slashing window), 10 before judging, 10% missed allowed.
    fn default() -> Self {
        LivenessPolicy { window: 100, min_observed: 10, max_missed_percent: 10 }
    }
}

/// A validator's state, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ValidatorStatus {
    /// Two valid signatures for different blocks at one height and round (evidence attached).
    Misbehaving,
    /// Signed none of the heights it was expected to sign in the window.
    Offline,
    /// Signs, but missed more than `max_missed_percent` of the heights in the window.
    Lagging,
    /// Expected at fewer than `min_observed` heights in the window so far.
    Pending,
    Healthy,
}

impl ValidatorStatus {
    /// The verdict row's category: "healthy", "misbehaving", "unreachable" (offline or lagging:
    /// its votes do not reach the chain) or "pending".
    pub fn category(&self) -> &'static str {
        match self {
            ValidatorStatus::Misbehaving => "misbehaving",
            ValidatorStatus::Offline | ValidatorStatus::Lagging => "unreachable",
            ValidatorStatus::Pending => "pending",
            ValidatorStatus::Healthy => "healthy",
        }
    }

    pub(super) fn from_liveness(signed: u32, missed: u32, policy: &LivenessPolicy) -> Self {
        let observed = signed + missed;
        if observed < policy.min_observed.max(1) {
            ValidatorStatus::Pending
        } else if signed == 0 {
            ValidatorStatus::Offline
        } else if (missed as u64) * 100 > (observed as u64) * policy.max_missed_percent as u64 {
            ValidatorStatus::Lagging
        } else {
            ValidatorStatus::Healthy
        }
    }
}

/// One signed precommit, enough to check it again with the chain id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedVote {
    pub block_id: Hash32,
    pub signature: HexBytes,
}

/// Two valid precommits of one validator for different block ids at one height and round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Equivocation {
    pub chain_id: String,
    pub validator: HexBytes,
    pub height: u64,
    pub round: u32,
    pub first: SignedVote,
    pub second: SignedVote,
}

impl Equivocation {
    /// Checks the evidence from scratch: both signatures valid under the key, different blocks.
    pub fn check(&self) -> bool {
        let Ok(key) = PublicKey::from_bytes(&self.validator.0) else { return false };
        self.first.block_id != self.second.block_id
            && [&self.first, &self.second].iter().all(|v| {
                let (Ok(msg), Ok(sig)) =
                    (vote_sign_bytes(&self.chain_id, self.height, self.round, &v.block_id), Signature::from_bytes(&v.signature.0))
                else {
                    return false;
                };
                verify(&key, &msg, &sig)
            })
    }

    /// The two votes as gossip messages.
    pub fn votes(&self) -> [Vote; 2] {
        [&self.first, &self.second].map(|v| Vote {
            height: self.height,
            round: self.round,
            block_id: v.block_id,
            validator: self.validator.clone(),
            signature: v.signature.clone(),
        })
    }
}

/// One verdict row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorVerdict {
    pub validator: HexBytes,
    pub status: ValidatorStatus,
    /// Voting power in the latest verified set (0 if it has left).
    pub power: u64,
    /// In the window: heights signed with a valid signature, heights with no signature, and
    /// heights whose slot held an invalid signature (counted for nobody).
    pub signed: u32,
    pub missed: u32,
    pub invalid: u32,
    pub evidence: Vec<Equivocation>,
}
