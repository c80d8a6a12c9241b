//! Per-validator verdicts from what the light verifier saw: liveness over the window of verified
//! heights (a sample of the chain when it skips), and equivocation evidence.
//!
//! Missing votes is a liveness matter, never misbehaviour: a validator that misses votes is
//! `lagging` or `offline` (shown as "unreachable"). A nil vote counts as a vote (the validator is
//! up), as Cosmos' slashing module counts it. An invalid slot counts for nobody: whoever relayed
//! the commit could have spoiled it. Only evidence anyone can check again makes a validator
//! `misbehaving`.

use super::evidence::Equivocation;
use super::types::Address;
use serde::{Deserialize, Serialize};

/// How liveness is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LivenessPolicy {
    /// Verified heights kept for liveness (at most [`super::MAX_RECORDS`]).
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
    /// Signed two different votes at one height, round and type (evidence attached).
    Misbehaving,
    /// Voted at none of the heights it was expected at in the window.
    Offline,
    /// Votes, but missed more than `max_missed_percent` of the heights in the window.
    Lagging,
    /// Expected at fewer than `min_observed` heights in the window so far.
    Pending,
    Healthy,
}

impl ValidatorStatus {
    /// The verdict row's category: `healthy`, `misbehaving`, `unreachable` (offline or lagging:
    /// its votes do not reach the chain) or `pending`.
    pub fn category(&self) -> &'static str {
        match self {
            ValidatorStatus::Misbehaving => "misbehaving",
            ValidatorStatus::Offline | ValidatorStatus::Lagging => "unreachable",
            ValidatorStatus::Pending => "pending",
            ValidatorStatus::Healthy => "healthy",
        }
    }

    /// The status `voted` and `missed` heights give under `policy`.
    pub fn from_liveness(voted: u32, missed: u32, policy: &LivenessPolicy) -> Self {
        let observed = voted + missed;
        if observed < policy.min_observed.max(1) {
            ValidatorStatus::Pending
        } else if voted == 0 {
            ValidatorStatus::Offline
        } else if u64::from(missed) * 100 > u64::from(observed) * u64::from(policy.max_missed_percent) {
            ValidatorStatus::Lagging
        } else {
            ValidatorStatus::Healthy
        }
    }
}

/// One verdict row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorVerdict {
    pub address: Address,
    pub status: ValidatorStatus,
    /// Voting power in the latest verified set (0 if it has left).
    pub power: u64,
    /// In the window: heights with a valid precommit for the block, with a valid nil precommit,
    /// with no vote, and with a slot that did not verify (counted for nobody).
    pub signed: u32,
    pub nil: u32,
    pub missed: u32,
    pub invalid: u32,
    pub evidence: Vec<Equivocation>,
}
