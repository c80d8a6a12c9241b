//! The light verifier: follows a chain of commits from a trust anchor, one verified block at a
//! time, and keeps what it learnt about each validator.
//!
//! Trust rules (CometBFT's light client, without its trusting period: nothing here has a clock):
//! - a block is accepted only if valid signatures carry more than 2/3 of the voting power of the
//!   set its header names, and its commit signs the header's hash;
//! - at the next height, that set must be the one the last verified header named as next
//!   (`next_validators_hash`), and the header must point back at the verified block: a set change
//!   is followed only through a header that a verified commit signed;
//! - skipping heights (after a block that could not be verified), the new block's valid signatures
//!   must also carry more than 1/3 of the power of the set trusted for the next height:
//!   at least one honest validator of the trusted set vouches for it.
//!
//! Refused blocks leave the state as it was and blame nobody.

use super::block::{SignedBlock, TrustAnchor, Vote};
use super::commit::{verify_commit, CommitCheck, SlotStatus};
use super::error::{BlockRejected, ValidatorError};
use super::hex::HexBytes;
use super::set::{more_than_one_third, ValidatorList, ValidatorSet};
use super::sign_bytes::{block_id, vote_sign_bytes};
use super::verdict::{Equivocation, LivenessPolicy, SignedVote, ValidatorStatus, ValidatorVerdict};
use crate::bls::{verify, Signature, PUBLIC_KEY_LEN, SIGNATURE_LEN};
use crate::hash::Hash32;
use rand::RngCore;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

type KeyBytes = [u8; PUBLIC_KEY_LEN];

/// Most equivocations kept (a peer cannot grow the verifier's memory without bound).
pub const MAX_EVIDENCE: usize = 1024;

/// One verified height.
#[derive(Debug)]
struct Record {
    height: u64,
    round: u32,
    block_id: Hash32,
    set: Arc<ValidatorSet>,
    slots: Vec<SlotStatus>,
    /// The valid signatures, by slot: the first half of any equivocation evidence.
    signatures: Vec<Option<[u8; SIGNATURE_LEN]>>,
}

/// What a verified block showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockReport {
    pub height: u64,
    pub round: u32,
    pub block_id: Hash32,
    pub signed_power: u64,
    pub total_power: u64,
    pub signed: usize,
    pub absent: usize,
    /// Keys whose slot held an invalid signature (a fault of the commit, not of the validator).
    pub invalid: Vec<HexBytes>,
    /// Whether the next height is signed by a different set.
    pub next_set_changes: bool,
    /// Whether heights were skipped to get here.
    pub skipped: bool,
}

/// What a gossiped vote turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum VoteOutcome {
    /// A valid vote consistent with everything seen.
    Consistent,
    /// A valid vote conflicting with another valid vote: evidence recorded.
    Equivocation,
    /// Not a valid signature by that key: ignored, blames nobody.
    InvalidSignature,
    /// The key is not in the set of that height.
    UnknownValidator,
    /// The height is not in the window of verified heights: cannot be judged.
    OutsideWindow,
}

/// Everything a page of blocks and votes did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageReport {
    pub accepted: Vec<BlockReport>,
    pub rejected: Vec<(u64, BlockRejected)>,
    pub votes: Vec<VoteOutcome>,
}

#[derive(Debug)]
pub struct LightVerifier {
    chain_id: String,
    policy: LivenessPolicy,
    height: u64,
    block_id: Hash32,
    next_validators_hash: Hash32,
    /// Decoded sets still referred to (by the window or as the trusted next set).
    sets: HashMap<Hash32, Arc<ValidatorSet>>,
    window: VecDeque<Record>,
    /// Valid votes seen outside commits, per height, round and key, within the window.
    loose: BTreeMap<(u64, u32, KeyBytes), SignedVote>,
    evidence: Vec<Equivocation>,
}

impl LightVerifier {
    pub fn new(chain_id: &str, anchor: &TrustAnchor, policy: LivenessPolicy) -> Result<Self, ValidatorError> {
        vote_sign_bytes(chain_id, 1, 0, &Hash32::ZERO)?; // checks the chain id
        let set = ValidatorSet::from_list(&anchor.next_validators)?;
        let hash = set.hash();
        let mut sets = HashMap::new();
        sets.insert(hash, Arc::new(set));
        Ok(LightVerifier {
            chain_id: chain_id.to_string(),
            policy: LivenessPolicy { window: policy.window.max(1), ..policy },
            height: anchor.height,
            block_id: anchor.block_id,
            next_validators_hash: hash,
            sets,
            window: VecDeque::new(),
            loose: BTreeMap::new(),
            evidence: Vec::new(),
        })
    }

    pub fn chain_id(&self) -> &str {
        &self.chain_id
    }

    /// The last verified height.
    pub fn trusted_height(&self) -> u64 {
        self.height
    }

    pub fn trusted_block_id(&self) -> Hash32 {
        self.block_id
    }

    /// The hash of the set trusted to sign the next height.
    pub fn next_validators_hash(&self) -> Hash32 {
        self.next_validators_hash
    }

    pub fn evidence(&self) -> &[Equivocation] {
        &self.evidence
    }

    /// Verifies one block; `sets` may hold the sets its header names (checked by hash).
    pub fn verify_block<R: RngCore + ?Sized>(
        &mut self,
        block: &SignedBlock,
        sets: &[ValidatorList],
        rng: &mut R,
    ) -> Result<BlockReport, BlockRejected> {
        let (header, commit) = (&block.header, &block.commit);
        if header.chain_id != self.chain_id {
            return Err(BlockRejected::WrongChain { expected: self.chain_id.clone(), got: header.chain_id.clone() });
        }
        if header.height != commit.height {
            return Err(BlockRejected::HeightMismatch { header: header.height, commit: commit.height });
        }
        let id = block_id(header)?;
        if id != commit.block_id {
            return Err(BlockRejected::BlockIdMismatch { header: id, commit: commit.block_id });
        }
        if header.height <= self.height {
            return Err(BlockRejected::NotNewer { height: header.height, trusted: self.height });
        }
        let adjacent = header.height == self.height + 1;
        if adjacent {
            if header.validators_hash != self.next_validators_hash {
                return Err(BlockRejected::UntrustedValidatorSet { expected: self.next_validators_hash, got: header.validators_hash });
            }
            if header.last_block_id != self.block_id {
                return Err(BlockRejected::ChainBreak { expected: self.block_id, got: header.last_block_id });
            }
        }
        let set = self.resolve(header.validators_hash, sets)?;
        let check = verify_commit(&set, &self.chain_id, commit, rng)?;
        if !check.has_quorum() {
            return Err(BlockRejected::InsufficientPower { signed: check.signed_power, total: check.total_power });
        }
        if !adjacent {
            self.check_trust(&set, &check, sets)?;
        }

        let report = BlockReport {
            height: header.height,
            round: commit.round,
            block_id: id,
            signed_power: check.signed_power,
            total_power: check.total_power,
            signed: check.count(|s| *s == SlotStatus::Valid),
            absent: check.count(|s| *s == SlotStatus::Absent),
            invalid: check.invalid().map(|i| HexBytes(set.validators()[i].key_bytes.to_vec())).collect(),
            next_set_changes: header.next_validators_hash != header.validators_hash,
            skipped: !adjacent,
        };
        let signatures = check
            .slots
            .iter()
            .zip(&commit.signatures)
            .map(|(status, sig)| match (status, sig) {
                (SlotStatus::Valid, Some(bytes)) => bytes.0.as_slice().try_into().ok(),
                _ => None,
            })
            .collect();
        self.height = header.height;
        self.block_id = id;
        self.next_validators_hash = header.next_validators_hash;
        // The next set may come later (by hash); fetch it now if it is here.
        let _ = self.resolve(header.next_validators_hash, sets);
        self.window.push_back(Record { height: header.height, round: commit.round, block_id: id, set, slots: check.slots, signatures });
        self.prune();
        Ok(report)
    }

    /// Blocks in order, then votes.
    pub fn process_page<R: RngCore + ?Sized>(&mut self, page: &super::block::CommitsPage, rng: &mut R) -> PageReport {
        let mut report = PageReport::default();
        for block in &page.blocks {
            match self.verify_block(block, &page.sets, rng) {
                Ok(r) => report.accepted.push(r),
                Err(e) => report.rejected.push((block.header.height, e)),
            }
        }
        for vote in page.votes.iter().take(super::block::MAX_VOTES_PER_PAGE) {
            report.votes.push(self.observe_vote(vote));
        }
        report
    }

    /// Takes in a vote seen outside a commit: checks its signature against the set of its height
    /// and keeps evidence if it conflicts with another valid vote of that validator.
    pub fn observe_vote(&mut self, vote: &Vote) -> VoteOutcome {
        let Some(record) = self.window.iter().find(|r| r.height == vote.height) else {
            return VoteOutcome::OutsideWindow;
        };
        let Some(slot) = record.set.position(&vote.validator.0) else {
            return VoteOutcome::UnknownValidator;
        };
        let validator = &record.set.validators()[slot];
        let valid = match (vote_sign_bytes(&self.chain_id, vote.height, vote.round, &vote.block_id), Signature::from_bytes(&vote.signature.0)) {
            (Ok(msg), Ok(sig)) => !sig.is_identity() && verify(&validator.key, &msg, &sig),
            _ => false,
        };
        if !valid {
            return VoteOutcome::InvalidSignature;
        }
        let this = SignedVote { block_id: vote.block_id, signature: vote.signature.clone() };
        // The committed vote, if this is the commit's round and the validator signed it.
        if vote.round == record.round {
            if let Some(sig) = record.signatures[slot] {
                let committed = SignedVote { block_id: record.block_id, signature: HexBytes(sig.to_vec()) };
                return self.compare(validator.key_bytes, vote.height, vote.round, committed, this);
            }
        }
        let key = (vote.height, vote.round, validator.key_bytes);
        match self.loose.get(&key).cloned() {
            Some(first) => self.compare(validator.key_bytes, vote.height, vote.round, first, this),
            None => {
                self.loose.insert(key, this);
                VoteOutcome::Consistent
            }
        }
    }

    fn compare(&mut self, key: KeyBytes, height: u64, round: u32, first: SignedVote, second: SignedVote) -> VoteOutcome {
        if first.block_id == second.block_id {
            return VoteOutcome::Consistent;
        }
        let known = self.evidence.iter().any(|e| e.height == height && e.round == round && e.validator.0 == key);
        if !known && self.evidence.len() < MAX_EVIDENCE {
            self.evidence.push(Equivocation { chain_id: self.chain_id.clone(), validator: HexBytes(key.to_vec()), height, round, first, second });
        }
        VoteOutcome::Equivocation
    }

    fn check_trust(&mut self, set: &ValidatorSet, check: &CommitCheck, sets: &[ValidatorList]) -> Result<(), BlockRejected> {
        let trusted = self.resolve(self.next_validators_hash, sets)?;
        let vouched: u64 = check
            .slots
            .iter()
            .zip(set.validators())
            .filter(|(s, _)| **s == SlotStatus::Valid)
            .filter_map(|(_, v)| trusted.position(&v.key_bytes).map(|i| trusted.validators()[i].power))
            .sum();
        if !more_than_one_third(vouched, trusted.total_power()) {
            return Err(BlockRejected::InsufficientTrust { signed: vouched, total: trusted.total_power() });
        }
        Ok(())
    }

    /// The decoded set with this hash: known already, or one of `sets` whose bytes hash to it.
    fn resolve(&mut self, hash: Hash32, sets: &[ValidatorList]) -> Result<Arc<ValidatorSet>, BlockRejected> {
        if let Some(set) = self.sets.get(&hash) {
            return Ok(set.clone());
        }
        let list = sets.iter().find(|s| s.hash().ok() == Some(hash)).ok_or(BlockRejected::UnknownValidatorSet { hash })?;
        let set = Arc::new(ValidatorSet::from_list(list)?);
        self.sets.insert(hash, set.clone());
        Ok(set)
    }

    fn prune(&mut self) {
        while self.window.len() > self.policy.window {
            self.window.pop_front();
        }
        let oldest = self.window.front().map_or(self.height, |r| r.height);
        self.loose.retain(|(h, _, _), _| *h >= oldest);
        let next = self.next_validators_hash;
        self.sets.retain(|hash, set| *hash == next || Arc::strong_count(set) > 1);
    }

    /// One row per validator seen in the window or in evidence: the latest set's order first.
    pub fn verdicts(&self) -> Vec<ValidatorVerdict> {
        let mut order: Vec<KeyBytes> = Vec::new();
        let mut rows: HashMap<KeyBytes, ValidatorVerdict> = HashMap::new();
        let latest = self.sets.get(&self.next_validators_hash).cloned().or_else(|| self.window.back().map(|r| r.set.clone()));
        let mut row = |key: &KeyBytes, order: &mut Vec<KeyBytes>| -> KeyBytes {
            rows.entry(*key).or_insert_with(|| {
                order.push(*key);
                let power = latest.as_ref().and_then(|s| s.position(key).map(|i| s.validators()[i].power)).unwrap_or(0);
                ValidatorVerdict {
                    validator: HexBytes(key.to_vec()),
                    status: ValidatorStatus::Pending,
                    power,
                    signed: 0,
                    missed: 0,
                    invalid: 0,
                    evidence: Vec::new(),
                }
            });
            *key
        };
        if let Some(set) = &latest {
            for v in set.validators() {
                row(&v.key_bytes, &mut order);
            }
        }
        let mut counts: HashMap<KeyBytes, (u32, u32, u32)> = HashMap::new();
        for record in &self.window {
            for (v, slot) in record.set.validators().iter().zip(&record.slots) {
                row(&v.key_bytes, &mut order);
                let c = counts.entry(v.key_bytes).or_default();
                match slot {
                    SlotStatus::Valid => c.0 += 1,
                    SlotStatus::Absent => c.1 += 1,
                    SlotStatus::Invalid { .. } => c.2 += 1,
                }
            }
        }
        for e in &self.evidence {
            if let Ok(key) = e.validator.0.as_slice().try_into() {
                row(&key, &mut order);
            }
        }
        order
            .into_iter()
            .map(|key| {
                let mut v = rows.remove(&key).expect("every ordered key has a row");
                let (signed, missed, invalid) = counts.get(&key).copied().unwrap_or_default();
                (v.signed, v.missed, v.invalid) = (signed, missed, invalid);
                v.evidence = self.evidence.iter().filter(|e| e.validator.0 == key).cloned().collect();
                v.status = if v.evidence.is_empty() {
                    ValidatorStatus::from_liveness(signed, missed, &self.policy)
                } else {
                    ValidatorStatus::Misbehaving
                };
                v
            })
            .collect()
    }
}
