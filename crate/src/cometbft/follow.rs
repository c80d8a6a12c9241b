//! Following a CometBFT chain through one RPC, a round at a time, within a CPU budget: what the
//! node runs each round (natively in tests, in the worker through the relay). The reads go through
//! [`CometRpc`] (the only I/O seam), time through [`FollowClock`].
//!
//! Per round ([`ChainFollower::follow`]):
//! 1. `/status`: the chain id must be the configured one (else nothing is checked: the trust
//!    anchor is never replaced by what an RPC or relay says), and a head the node already verified
//!    must have the hash it verified (else another chain or a fork: nothing is checked).
//! 2. Once: the light block at the configured trusted height must hash to the configured hash.
//! 3. Skipping to the head ([`SyncPlan`], bisection when the set changed too much).
//! 4. Evidence: `/block` of each verified height whose header names evidence, each
//!    `DuplicateVoteEvidence` checked against the verified set of its votes' height (verified
//!    first when it is not).
//! 5. Liveness samples: heights drawn at random among the unverified ones of the last
//!    `sample_span` heights below the latest verified, each verified from the highest verified
//!    block below it.
//!
//! Steps 3 to 5 stop once the round's signature checking has taken `budget_ms` (the first light
//! block of a round always runs, so the chain is followed at any budget above 0). A light block
//! whose set the verifier already has (same hash as the header names) is read without its
//! `/validators` pages.

use super::error::{DecodeError, Rejected};
use super::light::{BlockReport, ConfigError, EvidenceOutcome, LightBlock, LightVerifier, SyncPlan, SyncStep, TrustOptions, VerifierFootprint};
use super::liveness::{LivenessPolicy, ValidatorVerdict};
use super::profile::ChainProfile;
use super::read::RpcRead;
use super::rpc::{decode_block, decode_commit, decode_status, decode_validators};
use super::set::SetCollector;
use super::types::{Hash32, Status, Timestamp};
use crate::storage::TransportError;
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Reads one CometBFT RPC route: the answer's bytes (a JSON-RPC envelope, or the bare result),
/// at most `read.route.max_bytes()`; time-outs are the implementation's.
#[allow(async_fn_in_trait)]
pub trait CometRpc {
    async fn read(&self, read: RpcRead) -> Result<Vec<u8>, TransportError>;
}

/// Time as the follower needs it.
#[allow(async_fn_in_trait)]
pub trait FollowClock {
    /// The wall clock (trusting period, headers from the future).
    fn now(&self) -> Timestamp;
    /// A monotonic clock in milliseconds (the budget).
    fn ms(&self) -> f64;
    /// Lets the host run between heavy steps (the worker answers its messages there).
    async fn pause(&self);
}

/// The trust anchor as the owner configures it (weak subjectivity: never from the RPC, the relay
/// or the page being checked). JSON: `{"chainId": "..", "height": 1, "hash": "5A01..",
/// "profile": "0g"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrustConfig {
    pub chain_id: String,
    pub height: u64,
    /// The header hash at `height`: 64 hex digits, `0x` optional.
    pub hash: String,
    /// `0g` (default) or `cometbft-v1` ([`ChainProfile::by_name`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// CometBFT's default (168 hours) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusting_period_seconds: Option<u64>,
}

/// A trust configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustConfigError {
    #[error("trust hash must be 64 hex digits")]
    Hash,
    #[error("unknown chain profile {0:?} (0g or cometbft-v1)")]
    Profile(String),
    #[error(transparent)]
    Options(#[from] ConfigError),
}

impl TrustConfig {
    pub fn options(&self) -> Result<(TrustOptions, ChainProfile), TrustConfigError> {
        let digits = self.hash.strip_prefix("0x").unwrap_or(&self.hash);
        let mut hash = [0u8; 32];
        hex::decode_to_slice(digits, &mut hash).map_err(|_| TrustConfigError::Hash)?;
        let profile = match &self.profile {
            None => ChainProfile::ZG,
            Some(name) => ChainProfile::by_name(name).ok_or_else(|| TrustConfigError::Profile(name.clone()))?,
        };
        let mut options = TrustOptions::new(&self.chain_id, self.height, Hash32(hash));
        if let Some(period) = self.trusting_period_seconds {
            options.trusting_period_seconds = period;
        }
        options.validate()?;
        Ok((options, profile))
    }
}

/// How much a round may do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowConfig {
    /// Milliseconds of decoding and signature checking per round; 0 checks nothing.
    pub budget_ms: f64,
    /// Liveness samples are drawn from this many heights below the latest verified one.
    pub sample_span: u64,
    /// Most light blocks read in one round, whatever the budget.
    pub max_light_blocks: usize,
}

impl Default for FollowConfig {
    /// 1 s per round: three or four 150-validator commits at about 0.3 s each in the worker. The
    /// browser node sets its own budget from its pause between rounds
    /// (`NodeConfig::validator_budget_for`).
    fn default() -> Self {
        FollowConfig { budget_ms: 1000.0, sample_span: 1000, max_light_blocks: 256 }
    }
}

/// Why a round stopped short or left something unread. None of these judges a validator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FollowProblem {
    #[error("no answer to /{read}: {message}")]
    NoAnswer {
        read: String,
        message: String,
        /// Whether it was a time-out or a lost connection (our own link may be at fault) rather
        /// than a refusal.
        silent: bool,
    },
    #[error("/{read} answered something unusable: {message}")]
    BadAnswer { read: String, message: String },
    #[error("the RPC serves chain {served:?}; the configured trust anchor is for {configured:?}: nothing checked")]
    WrongChain { configured: String, served: String },
    #[error("the configured trust anchor was refused: {message}")]
    Anchor { message: String },
    #[error("the RPC's block at height {height} hashes to {served}, the verified one to {verified}: another chain or a fork, nothing checked")]
    Conflict { height: u64, verified: Hash32, served: String },
    #[error("cannot reach the head {target} from the verified blocks: {message}")]
    Sync { target: u64, message: String },
    #[error("the evidence of block {height} was not read: {message}")]
    Evidence { height: u64, message: String },
}

impl FollowProblem {
    fn read_failed(read: RpcRead, error: TransportError) -> Self {
        let silent = matches!(error, TransportError::Timeout { .. } | TransportError::Connect { .. });
        FollowProblem::NoAnswer { read: read.path_and_query(), message: error.to_string(), silent }
    }

    fn bad_answer(read: RpcRead, message: impl ToString) -> Self {
        FollowProblem::BadAnswer { read: read.path_and_query(), message: message.to_string() }
    }
}

/// What one round did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowReport {
    /// The RPC's latest height, once `/status` answered.
    pub head: Option<u64>,
    /// Blocks verified this round (the anchor, the way to the head, evidence heights, samples).
    pub verified: Vec<BlockReport>,
    /// Heights read and refused (too little power, not enough trust to skip): a fault of the
    /// answer, not of a validator.
    pub refused: Vec<(u64, String)>,
    /// What each evidence item read this round turned out to be, by block height.
    pub evidence: Vec<(u64, EvidenceOutcome)>,
    pub light_blocks: usize,
    /// Time spent decoding and checking, in ms.
    pub spent_ms: f64,
    pub problems: Vec<FollowProblem>,
}

impl FollowReport {
    /// Whether a read got no answer at all (time-out or lost connection): the caller asks whether
    /// its own link still works before it reports the problem.
    pub fn silent(&self) -> bool {
        self.problems.iter().any(|p| matches!(p, FollowProblem::NoAnswer { silent: true, .. }))
    }
}

/// Most heights remembered as refused samples (not drawn again).
const MAX_REFUSED_SAMPLES: usize = 4096;
/// Most verified heights waiting for their evidence to be read.
const MAX_EVIDENCE_DUE: usize = 256;

/// What a [`ChainFollower`] holds, by count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowerFootprint {
    #[serde(flatten)]
    pub verifier: VerifierFootprint,
    pub evidence_due: usize,
    pub refused_samples: usize,
}

/// The chain as this node verified it, kept across rounds and connections.
#[derive(Debug)]
pub struct ChainFollower {
    verifier: LightVerifier,
    profile: ChainProfile,
    trust: TrustConfig,
    /// Verified heights whose header names evidence not read yet.
    evidence_due: BTreeSet<u64>,
    /// Sampled heights that were refused: not drawn again.
    refused_samples: BTreeSet<u64>,
}

impl ChainFollower {
    pub fn new(trust: &TrustConfig, policy: LivenessPolicy) -> Result<Self, TrustConfigError> {
        let (options, profile) = trust.options()?;
        Ok(ChainFollower {
            verifier: LightVerifier::new(options, policy)?,
            profile,
            trust: trust.clone(),
            evidence_due: BTreeSet::new(),
            refused_samples: BTreeSet::new(),
        })
    }

    /// The configuration this follower was made from.
    pub fn trust(&self) -> &TrustConfig {
        &self.trust
    }

    pub fn verifier(&self) -> &LightVerifier {
        &self.verifier
    }

    /// One row per validator (see [`LightVerifier::verdicts`]).
    pub fn verdicts(&self) -> Vec<ValidatorVerdict> {
        self.verifier.verdicts()
    }

    /// How much the follower holds, by count (its verifier's and its own sets of heights).
    pub fn footprint(&self) -> FollowerFootprint {
        FollowerFootprint { verifier: self.verifier.footprint(), evidence_due: self.evidence_due.len(), refused_samples: self.refused_samples.len() }
    }

    /// Verified heights whose evidence is still to be read.
    pub fn evidence_due(&self) -> impl Iterator<Item = u64> + '_ {
        self.evidence_due.iter().copied()
    }

    /// One round: see the module's steps.
    pub async fn follow<R: CometRpc, C: FollowClock, G: RngCore>(&mut self, rpc: &R, clock: &C, config: &FollowConfig, rng: &mut G) -> FollowReport {
        let mut round = Round { rpc, clock, config, report: FollowReport::default(), stalled: false, evidence_read: BTreeSet::new() };
        if config.budget_ms <= 0.0 {
            return round.report;
        }
        if let Err(problem) = self.prepare(&mut round, rng).await {
            round.problem(problem);
            return round.report;
        }
        self.evidence(&mut round, rng).await;
        while round.may_check() && self.sample(&mut round, rng).await {
            self.evidence(&mut round, rng).await;
        }
        round.report
    }

    /// Steps 1 to 3: status, the anchor, the way to the head. `Err` when nothing else may run.
    async fn prepare<R: CometRpc, C: FollowClock, G: RngCore>(&mut self, round: &mut Round<'_, R, C>, rng: &mut G) -> Result<(), FollowProblem> {
        let status = round.status().await?;
        round.report.head = Some(status.latest_block_height);
        if status.chain_id != self.verifier.chain_id() {
            return Err(FollowProblem::WrongChain { configured: self.verifier.chain_id().to_string(), served: status.chain_id });
        }
        if !self.verifier.is_initialised() {
            let height = self.verifier.options().height;
            let block = round.light_block(&self.verifier, self.profile, height).await?;
            let now = round.clock.now();
            let report = round.timed(|| block.check(self.verifier.chain_id(), rng).and_then(|b| self.verifier.initialize(&b, now)));
            let report = report.map_err(|e| FollowProblem::Anchor { message: e.to_string() })?;
            self.verified(round, report);
            round.clock.pause().await;
        }
        let head = status.latest_block_height;
        if let Some(verified) = self.verifier.verified_hash(head) {
            if verified.0[..] != status.latest_block_hash[..] {
                return Err(FollowProblem::Conflict { height: head, verified, served: hex::encode_upper(&status.latest_block_hash) });
            }
        }
        if self.verifier.latest_height().is_some_and(|latest| latest >= head) {
            return Ok(());
        }
        let mut plan = SyncPlan::new(head);
        loop {
            match plan.next(&self.verifier) {
                SyncStep::Done => return Ok(()),
                SyncStep::Failed(e) => {
                    round.problem(FollowProblem::Sync { target: head, message: e.to_string() });
                    return Ok(());
                }
                SyncStep::Fetch(_) if !round.may_check() => return Ok(()),
                SyncStep::Fetch(height) => {
                    let block = match round.light_block(&self.verifier, self.profile, height).await {
                        Ok(block) => block,
                        Err(p) => {
                            round.problem(p);
                            return Ok(());
                        }
                    };
                    let now = round.clock.now();
                    let reports = round.timed(|| plan.submit(&mut self.verifier, block, now, rng));
                    for report in reports {
                        self.verified(round, report);
                    }
                    round.clock.pause().await;
                }
            }
        }
    }

    fn verified<R, C>(&mut self, round: &mut Round<'_, R, C>, report: BlockReport) {
        if report.names_evidence {
            self.evidence_due.insert(report.height);
            while self.evidence_due.len() > MAX_EVIDENCE_DUE {
                self.evidence_due.pop_first();
            }
        }
        round.report.verified.push(report);
    }

    /// Step 4: the evidence of verified blocks that name some (each read at most once a round).
    async fn evidence<R: CometRpc, C: FollowClock, G: RngCore>(&mut self, round: &mut Round<'_, R, C>, rng: &mut G) {
        let due: Vec<u64> = self.evidence_due.iter().copied().filter(|h| !round.evidence_read.contains(h)).collect();
        for height in due {
            if !round.may_check() {
                return;
            }
            round.evidence_read.insert(height);
            let read = RpcRead::block(height);
            let body = match round.rpc.read(read).await {
                Ok(body) => body,
                Err(TransportError::TooLarge { limit }) => {
                    self.evidence_due.remove(&height);
                    let message = format!("/block is over the {limit}-byte cap");
                    round.problem(FollowProblem::Evidence { height, message });
                    continue;
                }
                Err(e) => {
                    round.problem(FollowProblem::read_failed(read, e));
                    return; // Kept for the next round.
                }
            };
            let block = match round.timed(|| decode_block(&body)) {
                Ok(block) => block,
                Err(e) => {
                    round.problem(FollowProblem::bad_answer(read, e));
                    continue; // Kept for the next round.
                }
            };
            let mut outcomes = match round.timed(|| self.verifier.check_block_evidence(&block)) {
                Ok(outcomes) => outcomes,
                Err(Rejected::BlockNotVerified { .. }) if self.verifier.verified_hash(height).is_none() => {
                    self.evidence_due.remove(&height); // No longer kept: nothing to compare it with.
                    continue;
                }
                Err(e) => {
                    round.problem(FollowProblem::bad_answer(read, e));
                    continue; // Another block than the verified one: kept for the next round.
                }
            };
            // Votes at heights not verified yet: verify them, then read the evidence again.
            let needed: BTreeSet<u64> = outcomes.iter().filter_map(|o| if let EvidenceOutcome::NeedsHeight { height } = o { Some(*height) } else { None }).collect();
            if !needed.is_empty() {
                for at in needed {
                    if !round.may_check() {
                        return; // Over the budget: the block stays due for the next round.
                    }
                    self.verify_height(round, at, rng).await;
                    if round.stalled {
                        return;
                    }
                }
                outcomes = round.timed(|| self.verifier.check_block_evidence(&block)).unwrap_or(outcomes);
            }
            self.evidence_due.remove(&height);
            round.report.evidence.extend(outcomes.into_iter().map(|o| (height, o)));
        }
    }

    /// Verifies one height from the highest verified block below it; refusals are reported.
    async fn verify_height<R: CometRpc, C: FollowClock, G: RngCore>(&mut self, round: &mut Round<'_, R, C>, height: u64, rng: &mut G) -> bool {
        if self.verifier.verified_below(height).is_none() {
            round.report.refused.push((height, "no verified block below it is kept".into()));
            return false;
        }
        let block = match round.light_block(&self.verifier, self.profile, height).await {
            Ok(block) => block,
            Err(p) => {
                round.problem(p);
                return false;
            }
        };
        let now = round.clock.now();
        let result = round.timed(|| block.check(self.verifier.chain_id(), rng).and_then(|b| self.verifier.verify(&b, now)));
        round.clock.pause().await;
        match result {
            Ok(report) => {
                self.verified(round, report);
                true
            }
            Err(e) => {
                round.report.refused.push((height, e.to_string()));
                false
            }
        }
    }

    /// Step 5: one random height behind the latest verified one; `false` when there is none left
    /// to draw or the RPC gave no usable answer (the height is drawn again another round).
    async fn sample<R: CometRpc, C: FollowClock, G: RngCore>(&mut self, round: &mut Round<'_, R, C>, rng: &mut G) -> bool {
        let Some(height) = self.draw(round.config.sample_span, rng) else { return false };
        let problems = round.report.problems.len();
        if self.verify_height(round, height, rng).await {
            return true;
        }
        if round.report.problems.len() > problems {
            return false;
        }
        if self.refused_samples.len() >= MAX_REFUSED_SAMPLES {
            self.refused_samples.clear();
        }
        self.refused_samples.insert(height);
        true
    }

    /// A height drawn uniformly among those not verified or refused, above the lowest verified
    /// block kept and within `span` below the latest verified one.
    fn draw<G: RngCore>(&self, span: u64, rng: &mut G) -> Option<u64> {
        let latest = self.verifier.latest_height()?;
        let lowest = self.verifier.verified_heights().next()?;
        let low = (lowest + 1).max(latest.saturating_sub(span) + 1);
        let open = |h: &u64| self.verifier.verified_hash(*h).is_none() && !self.refused_samples.contains(h);
        let count = (low..latest).filter(open).count();
        if count == 0 {
            return None;
        }
        (low..latest).filter(open).nth(rng.random_range(0..count))
    }
}

/// One round's reads, clock and accounts.
struct Round<'a, R, C> {
    rpc: &'a R,
    clock: &'a C,
    config: &'a FollowConfig,
    report: FollowReport,
    /// A read got no answer: nothing more is read this round.
    stalled: bool,
    /// Blocks whose evidence was read this round.
    evidence_read: BTreeSet<u64>,
}

impl<R, C: FollowClock> Round<'_, R, C> {
    /// Whether another light block may be checked: the first always, then while the budget lasts.
    fn may_check(&self) -> bool {
        !self.stalled
            && (self.report.light_blocks == 0 || (self.report.spent_ms < self.config.budget_ms && self.report.light_blocks < self.config.max_light_blocks))
    }

    fn problem(&mut self, problem: FollowProblem) {
        self.stalled |= matches!(problem, FollowProblem::NoAnswer { .. });
        self.report.problems.push(problem);
    }

    /// Runs a heavy step and counts its time against the budget.
    fn timed<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let start = self.clock.ms();
        let out = f();
        self.report.spent_ms += (self.clock.ms() - start).max(0.0);
        out
    }
}

impl<R: CometRpc, C: FollowClock> Round<'_, R, C> {
    async fn status(&mut self) -> Result<Status, FollowProblem> {
        let read = RpcRead::status();
        let body = self.rpc.read(read).await.map_err(|e| FollowProblem::read_failed(read, e))?;
        self.timed(|| decode_status(&body)).map_err(|e| FollowProblem::bad_answer(read, e))
    }

    /// The light block at `height`: `/commit`, and `/validators` page by page unless the verifier
    /// already has the set the header names.
    async fn light_block(&mut self, verifier: &LightVerifier, profile: ChainProfile, height: u64) -> Result<LightBlock, FollowProblem> {
        self.report.light_blocks += 1;
        let read = RpcRead::commit(height);
        let body = self.rpc.read(read).await.map_err(|e| FollowProblem::read_failed(read, e))?;
        let signed_header = self.timed(|| decode_commit(&body)).map_err(|e| FollowProblem::bad_answer(read, e))?.signed_header;
        if signed_header.header.height != height {
            return Err(FollowProblem::bad_answer(read, format!("a commit for height {} came", signed_header.header.height)));
        }
        let named = <[u8; 32]>::try_from(signed_header.header.validators_hash.as_slice()).ok().map(Hash32);
        if let Some(set) = named.and_then(|hash| verifier.known_set(hash)) {
            return Ok(LightBlock { signed_header, validators: (*set).clone(), next_validators: None });
        }
        let mut pages = SetCollector::default();
        while let Some(page) = pages.next_page() {
            let read = RpcRead::validators(height, page as u32);
            let body = self.rpc.read(read).await.map_err(|e| FollowProblem::read_failed(read, e))?;
            let page = self.timed(|| decode_validators(&body)).map_err(|e: DecodeError| FollowProblem::bad_answer(read, e))?;
            if page.block_height != height {
                return Err(FollowProblem::bad_answer(read, format!("a page for height {} came", page.block_height)));
            }
            pages.add(page).map_err(|e| FollowProblem::bad_answer(read, e))?;
        }
        let validators = self.timed(|| pages.finish(profile)).map_err(|e| FollowProblem::bad_answer(RpcRead::validators(height, 1), e))?;
        Ok(LightBlock { signed_header, validators, next_validators: None })
    }
}
