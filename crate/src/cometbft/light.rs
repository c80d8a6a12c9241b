//! The light verifier: CometBFT's light-client rules, sans-IO.
//!
//! - Trust starts from a height and header hash given by configuration ([`TrustOptions`]; weak
//!   subjectivity: never from the RPC being checked or the page), checked when the first block is
//!   given ([`LightVerifier::initialize`]).
//! - A block at h is accepted from the highest verified block t below it, when t is within the
//!   trusting period, the header is for the chain, its time after t's and before now + clock
//!   drift, its validators are the set its header names, the commit signs its hash, and valid
//!   signatures carry more than 2/3 of that set's power. Adjacent (h = t + 1): the header's
//!   validators must be t's next validators. Skipping (h > t + 1): valid signatures of
//!   validators of the trusted set must also carry more than the trust level (1/3) of its power;
//!   otherwise the verdict is `NotEnoughTrust` and [`SyncPlan`] bisects. So a set change is only
//!   followed through headers verified this way.
//! - The trusted set for skipping is t's next validators when the verifier has them (the set
//!   whose hash t names, as tendermint-rs and the specification use), else t's own validators (as
//!   CometBFT's Go light client does): both are sets a verified header vouches for.
//!
//! Verified blocks are kept ([`MAX_RECORDS`] and [`MAX_SLOTS_KEPT`], oldest dropped first) as anchors, for liveness over
//! the last `window` of them, and for equivocation checks. Refused blocks change nothing and blame
//! nobody.

use super::commit::{more_than, verify_commit, CommitCheck, InvalidSlot, SlotStatus};
use super::error::{CommitError, Rejected};
use super::evidence::{check_vote_pair, vote_signature_verifies, EvidenceSource, Equivocation, NotEquivocation};
use super::hash::{evidence_hash, header_hash, merkle_root};
use super::liveness::{LivenessPolicy, ValidatorStatus, ValidatorVerdict};
use super::set::ValidatorSet;
use super::sign_bytes::MAX_CHAIN_ID_LEN;
use super::types::{Address, Block, Commit, CommitSig, Evidence, Hash32, Header, SignedHeader, Timestamp, Vote, VoteType};
use rand::RngCore;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Most verified blocks kept.
pub const MAX_RECORDS: usize = 128;
/// Most validator slots kept, all records together: each record's commit signatures (and their
/// statuses) plus the validators of each distinct set. With 0G's ~150 validators that is all of
/// [`MAX_RECORDS`]; a chain of 10,000 (the decoder's cap) keeps the latest two records. About
/// 200 bytes a slot: ~3.3 MB at most.
pub const MAX_SLOTS_KEPT: usize = 16_384;
/// Records kept whatever their slots: the latest verified block is what the next one is checked from.
const MIN_RECORDS_KEPT: usize = 2;
/// Most equivocations kept (nothing a peer sends grows memory without bound).
pub const MAX_EVIDENCE: usize = 1024;
/// Most bytes of votes in the equivocations kept (signatures and vote extensions: a vote's
/// extension may be up to 64 KiB, which the evidence's signatures do not cover).
pub const MAX_EVIDENCE_BYTES: usize = 2 << 20;
/// Most votes seen outside commits kept (for conflicts with later ones), and their bytes.
pub const MAX_OBSERVED_VOTES: usize = 4096;
pub const MAX_OBSERVED_BYTES: usize = 2 << 20;

/// The heap a kept vote stands for: the struct and its byte strings.
fn vote_bytes(vote: &Vote) -> usize {
    std::mem::size_of::<Vote>() + vote.block_id.hash.len() + vote.signature.len() + vote.extension.len() + vote.extension_signature.len()
}

/// The trust anchor and the trust rules, from configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustOptions {
    pub chain_id: String,
    /// The trusted height and its header hash.
    pub height: u64,
    pub hash: Hash32,
    /// How long a verified header may be used to verify later ones.
    pub trusting_period_seconds: u64,
    /// How far in the future a header's time may be.
    pub max_clock_drift_seconds: u64,
    /// Share of the trusted set's power that must sign a header to skip to it: within [1/3, 1].
    pub trust_numerator: u64,
    pub trust_denominator: u64,
}

/// A trust configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("chain id must be 1 to 50 bytes")]
    ChainId,
    #[error("the trusted height must be 1 or more")]
    Height,
    #[error("the trust level must be within [1/3, 1], got {0}/{1}")]
    TrustLevel(u64, u64),
    #[error("the trusting period must be more than 0")]
    TrustingPeriod,
}

impl TrustOptions {
    /// CometBFT's light client defaults: 168 hours of trusting period, 10 s of clock drift, 1/3.
    pub fn new(chain_id: &str, height: u64, hash: Hash32) -> Self {
        TrustOptions {
            chain_id: chain_id.to_string(),
            height,
            hash,
            trusting_period_seconds: 168 * 3600,
            max_clock_drift_seconds: 10,
            trust_numerator: 1,
            trust_denominator: 3,
        }
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.chain_id.is_empty() || self.chain_id.len() > MAX_CHAIN_ID_LEN {
            return Err(ConfigError::ChainId);
        }
        if self.height == 0 {
            return Err(ConfigError::Height);
        }
        let (n, d) = (self.trust_numerator, self.trust_denominator);
        if d == 0 || n.saturating_mul(3) < d || n > d {
            return Err(ConfigError::TrustLevel(n, d));
        }
        if self.trusting_period_seconds == 0 {
            return Err(ConfigError::TrustingPeriod);
        }
        Ok(())
    }
}

/// A block to verify: a signed header and the validator set of its height (every page of
/// `/validators?height=h`), and optionally the set of the next height.
#[derive(Debug, Clone)]
pub struct LightBlock {
    pub signed_header: SignedHeader,
    pub validators: ValidatorSet,
    pub next_validators: Option<ValidatorSet>,
}

impl LightBlock {
    pub fn height(&self) -> u64 {
        self.signed_header.header.height
    }

    /// The checks that need no trusted state, and every signature of the commit (see
    /// [`verify_commit`]). What fails here is `Invalid` whatever the trusted state.
    pub fn check<R: RngCore + ?Sized>(self, chain_id: &str, rng: &mut R) -> Result<CheckedBlock, Rejected> {
        let (header, commit) = (&self.signed_header.header, &self.signed_header.commit);
        if header.chain_id != chain_id {
            return Err(Rejected::WrongChain { expected: chain_id.to_string(), got: header.chain_id.clone() });
        }
        let named: Hash32 = hash32(&header.validators_hash).ok_or(Rejected::InvalidHeader("no validators hash".into()))?;
        if self.validators.hash() != named {
            return Err(Rejected::ValidatorsHash { expected: named, got: self.validators.hash() });
        }
        if let Some(next) = &self.next_validators {
            let named = hash32(&header.next_validators_hash).ok_or(Rejected::InvalidHeader("no next validators hash".into()))?;
            if next.hash() != named {
                return Err(Rejected::NextValidatorsHash { expected: named, got: next.hash() });
            }
        }
        if commit.height != header.height {
            return Err(CommitError::HeightMismatch { header: header.height, commit: commit.height }.into());
        }
        let hash = header_hash(header);
        if commit.block_id.hash32() != Some(hash) {
            return Err(CommitError::BlockIdMismatch { header: hash, commit: commit.block_id.hash_hex() }.into());
        }
        let check = verify_commit(chain_id, &self.validators, commit, rng)?;
        if check.slots.iter().all(|s| *s == SlotStatus::Absent) {
            return Err(CommitError::NoSignatures.into());
        }
        Ok(CheckedBlock { block: self, hash, check })
    }
}

fn hash32(bytes: &[u8]) -> Option<Hash32> {
    bytes.try_into().ok().map(Hash32)
}

/// A light block whose commit was checked against its own validator set: ready to be judged
/// against the trusted state (again, if a first try said `NotEnoughTrust`, at no new cost).
#[derive(Debug, Clone)]
pub struct CheckedBlock {
    block: LightBlock,
    hash: Hash32,
    check: CommitCheck,
}

impl CheckedBlock {
    pub fn height(&self) -> u64 {
        self.block.height()
    }

    pub fn hash(&self) -> Hash32 {
        self.hash
    }

    pub fn commit_check(&self) -> &CommitCheck {
        &self.check
    }

    pub fn block(&self) -> &LightBlock {
        &self.block
    }
}

/// One slot that did not count, by the validator the set puts there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvalidSlotReport {
    pub slot: usize,
    pub address: Address,
    pub reason: InvalidSlot,
}

/// What an accepted block showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockReport {
    pub height: u64,
    pub round: u32,
    pub hash: Hash32,
    pub time: Timestamp,
    pub signed_power: u64,
    pub nil_power: u64,
    pub total_power: u64,
    pub signed: usize,
    pub nil: usize,
    pub absent: usize,
    /// Slots that held a signature that did not count (a fault of the commit as relayed, not of
    /// the validator).
    pub invalid: Vec<InvalidSlotReport>,
    /// The verified height this one was checked from (itself for the trust anchor).
    pub verified_from: u64,
    /// Whether the next height is signed by another set.
    pub next_set_changes: bool,
    /// Whether the header's `evidence_hash` names a non-empty evidence list (read it with
    /// `/block` and [`LightVerifier::check_block_evidence`]).
    pub names_evidence: bool,
}

/// One verified height.
#[derive(Debug)]
struct Record {
    hash: Hash32,
    time: Timestamp,
    next_validators_hash: Hash32,
    next_validators: Option<Arc<ValidatorSet>>,
    /// The commit and set of this height, unless the height was trusted by its hash alone
    /// ([`LightVerifier::initialize_trusted`]).
    signed: Option<SignedRecord>,
}

#[derive(Debug)]
struct SignedRecord {
    validators: Arc<ValidatorSet>,
    commit: Commit,
    slots: Vec<SlotStatus>,
}

impl Record {
    fn validators(&self) -> Option<&Arc<ValidatorSet>> {
        self.signed.as_ref().map(|s| &s.validators)
    }
}

/// What a block's evidence item turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum EvidenceOutcome {
    /// New equivocation evidence, kept.
    Equivocation { address: Address, height: u64 },
    /// Evidence already kept.
    Known,
    /// The votes' height is not verified: verify it (its commit and validators) and ask again.
    NeedsHeight { height: u64 },
    /// The address is not in the verified set of that height.
    UnknownValidator { address: Address, height: u64 },
    /// The two votes prove nothing (accuses nobody).
    Unproven { reason: NotEquivocation },
    /// Evidence of another kind, not decoded.
    NotDecoded { type_name: String },
}

/// What a vote the node saw itself turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum VoteOutcome {
    /// A valid vote consistent with everything seen.
    Consistent,
    /// A valid vote conflicting with another valid vote of the same validator: evidence kept.
    Equivocation,
    /// Not signed by the validator's key: ignored, blames nobody.
    InvalidSignature,
    /// The address is not in the verified set of that height.
    UnknownValidator,
    /// The height is not verified (or no longer kept): cannot be judged.
    NotVerified,
}

/// What a [`LightVerifier`] holds, by count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifierFootprint {
    /// Verified heights kept.
    pub records: usize,
    /// Commit signatures (and their slots) kept, over all records.
    pub commit_slots: usize,
    /// Distinct validator sets kept (records share them) and their validators, together.
    pub sets: usize,
    pub set_slots: usize,
    pub evidence: usize,
    pub evidence_bytes: usize,
    pub observed_votes: usize,
    pub observed_bytes: usize,
}

/// Follows one chain from a configured trust anchor.
#[derive(Debug)]
pub struct LightVerifier {
    options: TrustOptions,
    policy: LivenessPolicy,
    records: BTreeMap<u64, Record>,
    evidence: Vec<Equivocation>,
    observed: BTreeMap<(u64, u32, VoteType, Address), Vote>,
}

impl LightVerifier {
    pub fn new(options: TrustOptions, policy: LivenessPolicy) -> Result<Self, ConfigError> {
        options.validate()?;
        let policy = LivenessPolicy { window: policy.window.clamp(1, MAX_RECORDS), ..policy };
        Ok(LightVerifier { options, policy, records: BTreeMap::new(), evidence: Vec::new(), observed: BTreeMap::new() })
    }

    pub fn options(&self) -> &TrustOptions {
        &self.options
    }

    pub fn chain_id(&self) -> &str {
        &self.options.chain_id
    }

    pub fn is_initialised(&self) -> bool {
        !self.records.is_empty()
    }

    /// The highest verified height.
    pub fn latest_height(&self) -> Option<u64> {
        self.records.keys().next_back().copied()
    }

    /// The hash of the verified block at `height`, if kept.
    pub fn verified_hash(&self, height: u64) -> Option<Hash32> {
        self.records.get(&height).map(|r| r.hash)
    }

    /// The verified heights kept, ascending.
    pub fn verified_heights(&self) -> impl Iterator<Item = u64> + '_ {
        self.records.keys().copied()
    }

    /// The highest verified height below `height`.
    pub fn verified_below(&self, height: u64) -> Option<u64> {
        self.records.range(..height).next_back().map(|(h, _)| *h)
    }

    pub fn evidence(&self) -> &[Equivocation] {
        &self.evidence
    }

    /// How much this verifier holds: what its bounds are stated on.
    pub fn footprint(&self) -> VerifierFootprint {
        let (sets, set_slots) = self.distinct_sets();
        VerifierFootprint {
            records: self.records.len(),
            commit_slots: self.commit_slots(),
            sets,
            set_slots,
            evidence: self.evidence.len(),
            evidence_bytes: self.evidence_bytes(),
            observed_votes: self.observed.len(),
            observed_bytes: self.observed.values().map(vote_bytes).sum(),
        }
    }

    fn commit_slots(&self) -> usize {
        self.records.values().filter_map(|r| r.signed.as_ref()).map(|s| s.slots.len()).sum()
    }

    /// Distinct sets the records hold (they share them) and their validators together.
    fn distinct_sets(&self) -> (usize, usize) {
        let mut sets: Vec<*const ValidatorSet> = Vec::new();
        let mut slots = 0;
        for set in self.records.values().flat_map(|r| r.validators().into_iter().chain(r.next_validators.as_ref())) {
            if !sets.contains(&Arc::as_ptr(set)) {
                sets.push(Arc::as_ptr(set));
                slots += set.len();
            }
        }
        (sets.len(), slots)
    }

    /// What [`MAX_SLOTS_KEPT`] bounds.
    fn slots_kept(&self) -> usize {
        self.commit_slots() + self.distinct_sets().1
    }

    fn evidence_bytes(&self) -> usize {
        self.evidence.iter().map(|e| vote_bytes(&e.vote_a) + vote_bytes(&e.vote_b)).sum()
    }

    /// Accepts the configured trust anchor: the block at the configured height whose header
    /// hashes to the configured hash, signed by more than 2/3 of its validators, not expired and
    /// not from the future.
    pub fn initialize(&mut self, block: &CheckedBlock, now: Timestamp) -> Result<BlockReport, Rejected> {
        let header = &block.block.signed_header.header;
        self.check_chain(header)?;
        if block.height() != self.options.height {
            return Err(Rejected::AnchorHeight { expected: self.options.height, got: block.height() });
        }
        if block.hash != self.options.hash {
            return Err(Rejected::AnchorHash { expected: self.options.hash, got: block.hash });
        }
        self.check_expiry(block.height(), header.time, now)?;
        self.check_not_future(header.time, now)?;
        if !block.check.has_quorum() {
            return Err(Rejected::InsufficientPower { signed: block.check.signed_power, total: block.check.total_power });
        }
        self.records.clear();
        Ok(self.record(block, block.height()))
    }

    /// Accepts the configured trust anchor by its hash alone: `header` must be at the configured
    /// height and hash to the configured hash, `next_validators` must be the set it names as next
    /// (`/validators?height=h+1`). No commit is needed: the configured hash already commits to
    /// the header. Nothing is learnt about liveness at that height.
    pub fn initialize_trusted(&mut self, header: &Header, next_validators: ValidatorSet, now: Timestamp) -> Result<(), Rejected> {
        if header.height != self.options.height {
            return Err(Rejected::AnchorHeight { expected: self.options.height, got: header.height });
        }
        let hash = header_hash(header);
        if hash != self.options.hash {
            return Err(Rejected::AnchorHash { expected: self.options.hash, got: hash });
        }
        self.check_chain(header)?;
        let named = hash32(&header.next_validators_hash).ok_or(Rejected::InvalidHeader("no next validators hash".into()))?;
        if next_validators.hash() != named {
            return Err(Rejected::NextValidatorsHash { expected: named, got: next_validators.hash() });
        }
        self.check_expiry(header.height, header.time, now)?;
        self.check_not_future(header.time, now)?;
        self.records.clear();
        self.records.insert(
            header.height,
            Record { hash, time: header.time, next_validators_hash: named, next_validators: Some(Arc::new(next_validators)), signed: None },
        );
        Ok(())
    }

    /// Verifies `block` from the highest verified block below it (see the module's rules).
    pub fn verify(&mut self, block: &CheckedBlock, now: Timestamp) -> Result<BlockReport, Rejected> {
        let header = &block.block.signed_header.header;
        self.check_chain(header)?;
        let Some((&trusted_height, trusted)) = self.records.range(..block.height()).next_back() else {
            return match self.latest_height() {
                None => Err(Rejected::NotInitialised),
                Some(_) => Err(Rejected::NotNewer { height: block.height(), trusted: self.records.keys().next().copied().unwrap_or(0) }),
            };
        };
        if self.records.contains_key(&block.height()) {
            return Err(Rejected::NotNewer { height: block.height(), trusted: block.height() });
        }
        self.check_expiry(trusted_height, trusted.time, now)?;
        if header.time <= trusted.time {
            return Err(Rejected::NonMonotonicTime { got: header.time.to_string(), trusted: trusted.time.to_string() });
        }
        let adjacent = block.height() == trusted_height + 1;
        if adjacent && block.block.validators.hash() != trusted.next_validators_hash {
            return Err(Rejected::NextValidators { expected: trusted.next_validators_hash, got: block.block.validators.hash() });
        }
        self.check_not_future(header.time, now)?;
        let check = &block.check;
        if !adjacent {
            let trusting = trusted.next_validators.as_ref().or(trusted.validators()).expect("every record has a set");
            let vouched: u64 = check
                .slots
                .iter()
                .zip(block.block.validators.validators())
                .filter(|(s, _)| **s == SlotStatus::Signed)
                .filter_map(|(_, v)| trusting.by_address(&v.address).map(|(_, t)| t.power))
                .sum();
            let (n, d) = (self.options.trust_numerator, self.options.trust_denominator);
            if !more_than(vouched, trusting.total_power(), n, d) {
                return Err(Rejected::NotEnoughTrust { signed: vouched, total: trusting.total_power(), numerator: n, denominator: d });
            }
        }
        if !check.has_quorum() {
            return Err(Rejected::InsufficientPower { signed: check.signed_power, total: check.total_power });
        }
        Ok(self.record(block, trusted_height))
    }

    /// A block checked for another chain id is not one of ours.
    fn check_chain(&self, header: &Header) -> Result<(), Rejected> {
        if header.chain_id != self.options.chain_id {
            return Err(Rejected::WrongChain { expected: self.options.chain_id.clone(), got: header.chain_id.clone() });
        }
        Ok(())
    }

    fn check_expiry(&self, height: u64, time: Timestamp, now: Timestamp) -> Result<(), Rejected> {
        let expires = time.plus_seconds(self.options.trusting_period_seconds);
        if expires <= now {
            return Err(Rejected::TrustExpired { height, expired_at: expires.to_string() });
        }
        Ok(())
    }

    fn check_not_future(&self, time: Timestamp, now: Timestamp) -> Result<(), Rejected> {
        if time >= now.plus_seconds(self.options.max_clock_drift_seconds) {
            return Err(Rejected::FromTheFuture { got: time.to_string(), now: now.to_string(), drift_seconds: self.options.max_clock_drift_seconds });
        }
        Ok(())
    }

    /// A verified set with this hash (sets are shared between records): a caller that already
    /// has the set a header names need not fetch it again.
    pub fn known_set(&self, hash: Hash32) -> Option<Arc<ValidatorSet>> {
        self.records.values().rev().find_map(|r| {
            r.validators().filter(|s| s.hash() == hash).or(r.next_validators.as_ref().filter(|s| s.hash() == hash)).cloned()
        })
    }

    fn record(&mut self, block: &CheckedBlock, verified_from: u64) -> BlockReport {
        let light = &block.block;
        let header = &light.signed_header.header;
        let commit = &light.signed_header.commit;
        let check = &block.check;
        let validators = self.known_set(light.validators.hash()).unwrap_or_else(|| Arc::new(light.validators.clone()));
        let next_hash = hash32(&header.next_validators_hash).unwrap_or(Hash32([0; 32]));
        let next_validators = match &light.next_validators {
            Some(set) => Some(self.known_set(set.hash()).unwrap_or_else(|| Arc::new(set.clone()))),
            None if next_hash == validators.hash() => Some(validators.clone()),
            None => self.known_set(next_hash),
        };
        let report = BlockReport {
            height: header.height,
            round: commit.round,
            hash: block.hash,
            time: header.time,
            signed_power: check.signed_power,
            nil_power: check.nil_power,
            total_power: check.total_power,
            signed: check.count(|s| *s == SlotStatus::Signed),
            nil: check.count(|s| *s == SlotStatus::Nil),
            absent: check.count(|s| *s == SlotStatus::Absent),
            invalid: check
                .invalid()
                .map(|(slot, reason)| InvalidSlotReport { slot, address: validators.validators()[slot].address, reason: reason.clone() })
                .collect(),
            verified_from,
            next_set_changes: next_hash != validators.hash(),
            names_evidence: header.evidence_hash != merkle_root::<&[u8]>(&[]).0,
        };
        self.records.insert(
            header.height,
            Record {
                hash: block.hash,
                time: header.time,
                next_validators_hash: next_hash,
                next_validators,
                signed: Some(SignedRecord { validators, commit: commit.clone(), slots: check.slots.clone() }),
            },
        );
        self.prune();
        // Votes seen earlier at this height may conflict with the commit.
        let earlier: Vec<Vote> = self.observed.range((header.height, 0, VoteType::Prevote, Address([0; 20]))..).take_while(|(k, _)| k.0 == header.height).map(|(_, v)| v.clone()).collect();
        for vote in earlier {
            self.compare_with_commit(&vote);
        }
        report
    }

    fn prune(&mut self) {
        while self.records.len() > MAX_RECORDS || (self.records.len() > MIN_RECORDS_KEPT && self.slots_kept() > MAX_SLOTS_KEPT) {
            self.records.pop_first();
        }
        let lowest = self.records.keys().next().copied().unwrap_or(0);
        self.observed.retain(|(h, ..), _| *h >= lowest);
    }

    /// Checks the evidence of a block this verifier verified (same height and header hash):
    /// the evidence list must hash to the header's `evidence_hash`, and each
    /// `DuplicateVoteEvidence` is checked against the verified validator set of its votes'
    /// height. New equivocations are kept.
    pub fn check_block_evidence(&mut self, block: &Block) -> Result<Vec<EvidenceOutcome>, Rejected> {
        let height = block.header.height;
        let hash = header_hash(&block.header);
        let verified = self.records.get(&height).map(|r| r.hash);
        if verified != Some(hash) || block.block_id.hash32() != Some(hash) {
            return Err(Rejected::BlockNotVerified { height });
        }
        if let Some(computed) = evidence_hash(&block.evidence) {
            if block.header.evidence_hash != computed.0 {
                return Err(Rejected::EvidenceHash { expected: hex::encode_upper(&block.header.evidence_hash), got: computed });
            }
        }
        let mut outcomes = Vec::with_capacity(block.evidence.len());
        for item in &block.evidence {
            let Evidence::DuplicateVote(dve) = item else {
                if let Evidence::Other { type_name } = item {
                    outcomes.push(EvidenceOutcome::NotDecoded { type_name: type_name.clone() });
                }
                continue;
            };
            let (a, b) = (&dve.vote_a, &dve.vote_b);
            let Some(set) = self.records.get(&a.height).and_then(Record::validators) else {
                outcomes.push(EvidenceOutcome::NeedsHeight { height: a.height });
                continue;
            };
            let Some((_, validator)) = set.by_address(&a.validator_address) else {
                outcomes.push(EvidenceOutcome::UnknownValidator { address: a.validator_address, height: a.height });
                continue;
            };
            let (key, profile) = (validator.key.clone(), set.profile());
            outcomes.push(match check_vote_pair(&key, &profile, &self.options.chain_id, a, b) {
                Err(reason) => EvidenceOutcome::Unproven { reason },
                Ok(()) => {
                    let e = Equivocation::new(&self.options.chain_id, profile, &key, a.clone(), b.clone(), EvidenceSource::Block { height });
                    if self.keep(e) {
                        EvidenceOutcome::Equivocation { address: a.validator_address, height: a.height }
                    } else {
                        EvidenceOutcome::Known
                    }
                }
            });
        }
        Ok(outcomes)
    }

    /// Keeps new evidence; false if the offence is already known (or the cap is reached).
    fn keep(&mut self, evidence: Equivocation) -> bool {
        let offence = evidence.offence();
        let bytes = vote_bytes(&evidence.vote_a) + vote_bytes(&evidence.vote_b);
        if self.evidence.iter().any(|e| e.offence() == offence) || self.evidence.len() >= MAX_EVIDENCE || self.evidence_bytes() + bytes > MAX_EVIDENCE_BYTES {
            return false;
        }
        self.evidence.push(evidence);
        true
    }

    /// Takes in a signed vote the node saw itself (from another peer, another RPC, or a commit
    /// that conflicts with a verified one: see [`Commit::signed_vote`]): checks its signature
    /// against the verified set of its height and keeps evidence if it conflicts with the
    /// verified commit's vote or another valid vote of that validator.
    pub fn observe_vote(&mut self, vote: &Vote) -> VoteOutcome {
        let Some(set) = self.records.get(&vote.height).and_then(Record::validators) else { return VoteOutcome::NotVerified };
        let Some((_, validator)) = set.by_address(&vote.validator_address) else { return VoteOutcome::UnknownValidator };
        let profile = set.profile();
        if !vote_signature_verifies(&validator.key, &profile, &self.options.chain_id, vote) {
            return VoteOutcome::InvalidSignature;
        }
        if self.compare_with_commit(vote) {
            return VoteOutcome::Equivocation;
        }
        let key = (vote.height, vote.round, vote.vote_type, vote.validator_address);
        match self.observed.get(&key).cloned() {
            Some(first) if first.block_id != vote.block_id => {
                let (key, profile) = self.key_at(vote).expect("the validator was found above");
                self.keep(Equivocation::new(&self.options.chain_id, profile, &key, first, vote.clone(), EvidenceSource::Observed));
                VoteOutcome::Equivocation
            }
            Some(_) => VoteOutcome::Consistent,
            None => {
                let bytes: usize = self.observed.values().map(vote_bytes).sum();
                if self.observed.len() < MAX_OBSERVED_VOTES && bytes + vote_bytes(vote) <= MAX_OBSERVED_BYTES {
                    self.observed.insert(key, vote.clone());
                }
                VoteOutcome::Consistent
            }
        }
    }

    fn key_at(&self, vote: &Vote) -> Option<(super::key::ValidatorKey, super::profile::ChainProfile)> {
        let set = self.records.get(&vote.height)?.validators()?;
        let (_, v) = set.by_address(&vote.validator_address)?;
        Some((v.key.clone(), set.profile()))
    }

    /// Whether a valid `vote` conflicts with the verified commit's vote of its validator (kept
    /// as evidence if so).
    fn compare_with_commit(&mut self, vote: &Vote) -> bool {
        let Some(record) = self.records.get(&vote.height).and_then(|r| r.signed.as_ref()) else { return false };
        if vote.vote_type != VoteType::Precommit || vote.round != record.commit.round {
            return false;
        }
        let Some((slot, _)) = record.validators.by_address(&vote.validator_address) else { return false };
        if !matches!(record.slots[slot], SlotStatus::Signed | SlotStatus::Nil) {
            return false;
        }
        let Some(committed) = record.commit.signed_vote(slot) else { return false };
        if committed.block_id == vote.block_id {
            return false;
        }
        let Some((key, profile)) = self.key_at(vote) else { return false };
        if check_vote_pair(&key, &profile, &self.options.chain_id, &committed, vote).is_err() {
            return false;
        }
        self.keep(Equivocation::new(&self.options.chain_id, profile, &key, committed, vote.clone(), EvidenceSource::Observed));
        true
    }

    /// The verified heights liveness is judged over (the latest `window` with a commit), newest first.
    fn window(&self) -> impl Iterator<Item = (u64, &SignedRecord)> + '_ {
        self.records.iter().rev().filter_map(|(h, r)| Some((*h, r.signed.as_ref()?))).take(self.policy.window)
    }

    /// How liveness is judged.
    pub fn policy(&self) -> &LivenessPolicy {
        &self.policy
    }

    /// The heights of the liveness window where `address` has no valid vote in the kept commit
    /// (its slot absent, or present and invalid), newest first, with that slot: what another
    /// path's commits may show otherwise ([`super::SecondVotes`]).
    pub fn unvoted_heights(&self, address: &Address) -> Vec<(u64, SlotStatus)> {
        self.window()
            .filter_map(|(height, record)| {
                let (i, _) = record.validators.by_address(address)?;
                matches!(record.slots[i], SlotStatus::Absent | SlotStatus::Invalid(_)).then(|| (height, record.slots[i].clone()))
            })
            .collect()
    }

    /// The slots of `addresses` in `commit`, a commit another path served for a height this
    /// verifier verified: their signatures alone are checked (one small batch), against the set
    /// verified at that height and for the block verified there. A valid one is the validator's
    /// own vote, which no relay can make; an absent or invalid one blames nobody. Addresses not in
    /// that set are left out.
    pub fn recheck_slots<R: RngCore + ?Sized>(&self, commit: &Commit, addresses: &[Address], rng: &mut R) -> Result<Vec<(Address, SlotStatus)>, Rejected> {
        let height = commit.height;
        let Some((record, signed)) = self.records.get(&height).and_then(|r| Some((r, r.signed.as_ref()?))) else {
            return Err(Rejected::BlockNotVerified { height });
        };
        if commit.block_id.hash[..] != record.hash.0[..] {
            return Err(Rejected::OtherBlock { height, verified: record.hash, got: hex::encode_upper(&commit.block_id.hash) });
        }
        let set = &signed.validators;
        let wanted: Vec<(Address, usize)> = addresses.iter().filter_map(|a| Some((*a, set.by_address(a)?.0))).collect();
        // Every other slot absent: only the wanted signatures are checked.
        let mut only = Commit { height, round: commit.round, block_id: commit.block_id.clone(), signatures: Vec::with_capacity(commit.signatures.len()) };
        for (i, sig) in commit.signatures.iter().enumerate() {
            let keep = wanted.iter().any(|(_, w)| *w == i);
            only.signatures.push(if keep { sig.clone() } else { CommitSig::absent() });
        }
        let check = verify_commit(&self.options.chain_id, set, &only, rng)?;
        Ok(wanted.into_iter().map(|(address, i)| (address, check.slots[i].clone())).collect())
    }

    /// One row per validator of the latest verified set, of the window, or of the evidence: the
    /// latest set's order first.
    pub fn verdicts(&self) -> Vec<ValidatorVerdict> {
        let window: Vec<&SignedRecord> = self.window().map(|(_, r)| r).collect();
        let latest = window.first().map(|r| r.validators.clone());
        let mut order: Vec<Address> = Vec::new();
        let mut counts: HashMap<Address, [u32; 4]> = HashMap::new();
        fn see<'a>(counts: &'a mut HashMap<Address, [u32; 4]>, order: &mut Vec<Address>, address: Address) -> &'a mut [u32; 4] {
            counts.entry(address).or_insert_with(|| {
                order.push(address);
                [0; 4]
            })
        }
        if let Some(set) = &latest {
            for v in set.validators() {
                see(&mut counts, &mut order, v.address);
            }
        }
        for record in &window {
            for (v, slot) in record.validators.validators().iter().zip(&record.slots) {
                let c = see(&mut counts, &mut order, v.address);
                let i = match slot {
                    SlotStatus::Signed => 0,
                    SlotStatus::Nil => 1,
                    SlotStatus::Absent => 2,
                    SlotStatus::Invalid(_) => 3,
                };
                c[i] += 1;
            }
        }
        for e in &self.evidence {
            see(&mut counts, &mut order, e.validator.address);
        }
        order
            .into_iter()
            .map(|address| {
                let [signed, nil, missed, invalid] = counts[&address];
                let evidence: Vec<Equivocation> = self.evidence.iter().filter(|e| e.validator.address == address).cloned().collect();
                let status = if evidence.is_empty() {
                    ValidatorStatus::from_liveness(signed + nil, missed, &self.policy)
                } else {
                    ValidatorStatus::Misbehaving
                };
                let power = latest.as_ref().and_then(|s| s.by_address(&address).map(|(_, v)| v.power)).unwrap_or(0);
                ValidatorVerdict { address, status, power, signed, nil, missed, invalid, evidence }
            })
            .collect()
    }
}

/// What to do next to reach a target height.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStep {
    /// Fetch the light block at this height (`/commit?height=h` and every `/validators?height=h`
    /// page) and [`SyncPlan::submit`] it.
    Fetch(u64),
    /// The target is verified.
    Done,
    /// The target cannot be reached from the trusted state.
    Failed(Rejected),
}

/// Skipping verification to a target with CometBFT's bisection: try the target from the highest
/// verified block below it; on `NotEnoughTrust` try the middle height first, and so on. Blocks
/// fetched but not yet verifiable are kept (checked once) until they are.
#[derive(Debug)]
pub struct SyncPlan {
    target: u64,
    pending: Vec<u64>,
    waiting: BTreeMap<u64, CheckedBlock>,
    failed: Option<Rejected>,
    /// How many times a height had to be split.
    pub bisections: usize,
}

impl SyncPlan {
    pub fn new(target: u64) -> Self {
        SyncPlan { target, pending: vec![target], waiting: BTreeMap::new(), failed: None, bisections: 0 }
    }

    pub fn target(&self) -> u64 {
        self.target
    }

    pub fn next(&self, verifier: &LightVerifier) -> SyncStep {
        if let Some(e) = &self.failed {
            return SyncStep::Failed(e.clone());
        }
        if verifier.verified_hash(self.target).is_some() {
            return SyncStep::Done;
        }
        match self.pending.last() {
            Some(&h) => SyncStep::Fetch(h),
            None => SyncStep::Done,
        }
    }

    /// Takes the light block asked for by [`SyncPlan::next`]; returns what got verified.
    pub fn submit<R: RngCore + ?Sized>(&mut self, verifier: &mut LightVerifier, block: LightBlock, now: Timestamp, rng: &mut R) -> Vec<BlockReport> {
        let mut reports = Vec::new();
        let Some(&expected) = self.pending.last() else { return reports };
        if block.height() != expected {
            self.failed = Some(Rejected::UnexpectedHeight { expected, got: block.height() });
            return reports;
        }
        match block.check(verifier.chain_id(), rng) {
            Ok(checked) => {
                self.waiting.insert(expected, checked);
            }
            Err(e) => {
                self.failed = Some(e);
                return reports;
            }
        }
        while let Some(&height) = self.pending.last() {
            let Some(checked) = self.waiting.get(&height) else { break };
            match verifier.verify(checked, now) {
                Ok(report) => {
                    reports.push(report);
                    self.waiting.remove(&height);
                    self.pending.pop();
                }
                Err(Rejected::NotEnoughTrust { .. }) => {
                    let below = verifier.verified_below(height).unwrap_or(0);
                    let pivot = below + (height - below) / 2;
                    if pivot <= below || pivot >= height {
                        self.failed = Some(Rejected::InvalidHeader(format!("cannot bisect between {below} and {height}")));
                        break;
                    }
                    self.bisections += 1;
                    self.pending.push(pivot);
                    break;
                }
                Err(e) => {
                    self.failed = Some(e);
                    break;
                }
            }
        }
        reports
    }
}
