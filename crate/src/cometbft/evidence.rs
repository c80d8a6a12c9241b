//! Equivocation: two votes of one validator at one height, round and type for different blocks
//! (one may be for nil), both signed by its key. The evidence keeps everything needed to check it
//! again offline, by anyone: chain id, profile, the validator's key as the chain writes it, and
//! both votes in full ([`Equivocation::check`]). It comes from a block's `DuplicateVoteEvidence`
//! (each vote checked against the validator set of the votes' height, which the light verifier
//! verified) or from two signed votes the node saw itself. A vote whose signature does not verify
//! proves nothing and accuses nobody.

use super::key::ValidatorKey;
use super::profile::ChainProfile;
use super::types::{Address, Vote, VoteType};
use crate::bls;
use base64::Engine;
use ed25519_dalek::Verifier;
use serde::{Deserialize, Serialize};

/// Where the evidence was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum EvidenceSource {
    /// A `DuplicateVoteEvidence` in the block at this height (verified by the light verifier).
    Block { height: u64 },
    /// Two signed votes the node saw itself (a commit and a vote, or two votes).
    Observed,
}

/// The accused validator: its address and its key as the chain writes it (base64, as
/// `/validators` shows keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccusedValidator {
    pub address: Address,
    pub key_type: &'static str,
    pub key_base64: String,
}

/// Two valid signed votes of one validator for different blocks at one height, round and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Equivocation {
    pub chain_id: String,
    pub profile: ChainProfile,
    pub validator: AccusedValidator,
    pub vote_a: Vote,
    pub vote_b: Vote,
    pub source: EvidenceSource,
}

/// Why two votes prove no equivocation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum NotEquivocation {
    #[error("the votes differ in height, round or type")]
    DifferentSlot,
    #[error("the votes are from different validators")]
    DifferentValidators,
    #[error("both votes are for the same block")]
    SameBlock,
    #[error("the validator's key does not hash to the votes' address under profile {0}")]
    AddressMismatch(&'static str),
    #[error("vote {0} is not signed by the validator's key")]
    BadSignature(char),
    #[error("the validator's key cannot be read: {0}")]
    BadKey(String),
}

/// Whether `signature` over `vote` verifies under `key` on `chain_id` with `profile`'s rules.
pub fn vote_signature_verifies(key: &ValidatorKey, profile: &ChainProfile, chain_id: &str, vote: &Vote) -> bool {
    let sign_bytes = vote.sign_bytes(chain_id);
    match key {
        ValidatorKey::Bls12_381(pk) => match bls::Signature::from_bytes(&vote.signature) {
            Ok(sig) if !sig.is_identity() => bls::verify_hashed(pk, &profile.hash_bls_message(&sign_bytes), &sig),
            _ => false,
        },
        ValidatorKey::Ed25519(pk) => {
            ed25519_dalek::Signature::from_slice(&vote.signature).is_ok_and(|sig| pk.verify(&sign_bytes, &sig).is_ok())
        }
    }
}

/// Checks two votes as CometBFT's `VerifyDuplicateVote` does (without the ABCI power fields):
/// same height, round, type and validator address; different block ids; `key` hashes to that
/// address; both signatures verify.
pub fn check_vote_pair(key: &ValidatorKey, profile: &ChainProfile, chain_id: &str, a: &Vote, b: &Vote) -> Result<(), NotEquivocation> {
    if (a.height, a.round, a.vote_type) != (b.height, b.round, b.vote_type) {
        return Err(NotEquivocation::DifferentSlot);
    }
    if a.validator_address != b.validator_address {
        return Err(NotEquivocation::DifferentValidators);
    }
    if a.block_id == b.block_id {
        return Err(NotEquivocation::SameBlock);
    }
    if key.address(profile) != a.validator_address {
        return Err(NotEquivocation::AddressMismatch(profile.name));
    }
    for (name, vote) in [('a', a), ('b', b)] {
        if !vote_signature_verifies(key, profile, chain_id, vote) {
            return Err(NotEquivocation::BadSignature(name));
        }
    }
    Ok(())
}

impl Equivocation {
    pub(super) fn new(chain_id: &str, profile: ChainProfile, key: &ValidatorKey, vote_a: Vote, vote_b: Vote, source: EvidenceSource) -> Self {
        // One order (by block id) so that a pair reads the same whichever was seen first.
        let (vote_a, vote_b) = if block_key(&vote_a) <= block_key(&vote_b) { (vote_a, vote_b) } else { (vote_b, vote_a) };
        Equivocation {
            chain_id: chain_id.to_string(),
            profile,
            validator: AccusedValidator {
                address: vote_a.validator_address,
                key_type: key.type_name(),
                key_base64: base64::engine::general_purpose::STANDARD.encode(key.chain_bytes(&profile)),
            },
            vote_a,
            vote_b,
            source,
        }
    }

    /// Checks the evidence from scratch, from its own fields only.
    pub fn check(&self) -> Result<(), NotEquivocation> {
        let v = &self.validator;
        check_claimed(&self.chain_id, &self.profile, v.address, v.key_type, &v.key_base64, &self.vote_a, &self.vote_b)
    }

    /// What identifies one offence: validator, height, round, type.
    pub fn offence(&self) -> (Address, u64, u32, VoteType) {
        (self.validator.address, self.vote_a.height, self.vote_a.round, self.vote_a.vote_type)
    }
}

/// The block id's bytes in CometBFT's `BlockID.Key` order (hash, then part set header).
/// An [`Equivocation`] as its JSON says it, read back to be checked again by anyone
/// (`zg_align::evidence`, `zg-align-devnet verify evidence`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EquivocationClaim {
    pub chain_id: String,
    pub profile: ClaimedProfile,
    pub validator: ClaimedValidator,
    pub vote_a: Vote,
    pub vote_b: Vote,
}

/// A chain profile by its name; its rules are ours ([`ChainProfile::by_name`]), not the claim's.
#[derive(Debug, Clone, Deserialize)]
pub struct ClaimedProfile {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimedValidator {
    pub address: Address,
    pub key_type: String,
    pub key_base64: String,
}

impl EquivocationClaim {
    /// Checks the claim as [`Equivocation::check`] does; `None` for a profile this build does not know.
    pub fn check(&self) -> Option<Result<(), NotEquivocation>> {
        let profile = ChainProfile::by_name(&self.profile.name)?;
        let v = &self.validator;
        Some(check_claimed(&self.chain_id, &profile, v.address, &v.key_type, &v.key_base64, &self.vote_a, &self.vote_b))
    }
}

/// The key as written decodes, hashes to the claimed address, and signed both votes.
fn check_claimed(chain_id: &str, profile: &ChainProfile, address: Address, key_type: &str, key_base64: &str, a: &Vote, b: &Vote) -> Result<(), NotEquivocation> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(key_base64).map_err(|e| NotEquivocation::BadKey(e.to_string()))?;
    let key = ValidatorKey::from_type_and_bytes(key_type, &bytes).map_err(|e| NotEquivocation::BadKey(e.to_string()))?;
    if key.address(profile) != address {
        return Err(NotEquivocation::AddressMismatch(profile.name));
    }
    check_vote_pair(&key, profile, chain_id, a, b)
}

fn block_key(vote: &Vote) -> (Vec<u8>, u32, Vec<u8>) {
    (vote.block_id.hash.clone(), vote.block_id.parts.total, vote.block_id.parts.hash.clone())
}
