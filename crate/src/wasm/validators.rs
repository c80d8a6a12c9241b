//! The validator pass of a round in the worker: follow 0G Chain's CometBFT RPC through the relay
//! with [`ChainFollower`] (the state outlives connections), within the round's CPU budget, and
//! report a row per validator. The trust anchor comes from the node's configuration (`trust`), or,
//! on a page served by a devnet, from that devnet's manifest (the owner's own configuration
//! there), read once: never from the relay. A validator the first relay's commits show offline or
//! lagging has its missing heights looked at through a second relay, when one is connected
//! ([`SecondVotes`], [`validator_verdict`]).

use super::node::{FirstPath, Memory, NodeConfig, NodeEvent, Verdict};
use super::second_paths::{SecondPath, SecondPaths};
use crate::cometbft::{Address, ChainFollower, FollowClock, FollowConfig, FollowProblem, LightVerifier, LivenessPolicy, Timestamp, TrustConfig, ValidatorVerdict, VoteTally, MAX_RECHECKED_VALIDATORS};
use crate::paths::{validator_verdict, Rechecked, SecondVotesPath, ValidatorPath};
use crate::protocol::{CheckSender, InFlightLimit, Limited, RelayInfo, RelayedComet};
use gloo_timers::future::TimeoutFuture;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// A validator's verdict with the row's category (`healthy`, `misbehaving`, `unreachable` for
/// offline or lagging, `pending` before enough heights were seen) beside the details (and, when a
/// second path was asked, what each path saw).
#[derive(Debug, Clone, Serialize)]
pub struct ValidatorRow {
    verdict: &'static str,
    #[serde(flatten)]
    detail: Rechecked<ValidatorVerdict>,
}

/// What the validator pass remembers across rounds and connections.
#[derive(Default)]
pub struct ValidatorMemory {
    follower: Option<ChainFollower>,
    /// The trust anchor read from the devnet's manifest, the first time.
    manifest_trust: Option<TrustConfig>,
    /// Whether "no trust anchor" was said already (once per run, not every round).
    said_untrusted: bool,
}

impl ValidatorMemory {
    /// What the follower holds, once there is one.
    pub(super) fn footprint(&self) -> Option<crate::cometbft::FollowerFootprint> {
        self.follower.as_ref().map(ChainFollower::footprint)
    }
}

/// The trust anchor of a devnet's manifest (`cometbft.chainId`, `trustHeight`, `trustHash`,
/// `profile`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ManifestChain {
    chain_id: String,
    trust_height: u64,
    trust_hash: String,
    profile: Option<String>,
}

impl ManifestChain {
    fn trust(self) -> TrustConfig {
        TrustConfig { chain_id: self.chain_id, height: self.trust_height, hash: self.trust_hash, profile: self.profile, trusting_period_seconds: None }
    }
}

/// The worker's clocks: `Date.now()` for the chain's times, `performance.now()` for the budget.
struct WorkerClock(Option<web_sys::Performance>);

impl WorkerClock {
    fn new() -> Self {
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok().and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
        WorkerClock(performance)
    }
}

impl FollowClock for WorkerClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(js_sys::Date::now() as i64)
    }

    fn ms(&self) -> f64 {
        self.0.as_ref().map_or_else(js_sys::Date::now, |p| p.now())
    }

    async fn pause(&self) {
        TimeoutFuture::new(0).await;
    }
}

/// The configured trust anchor, or the devnet manifest's (read once and kept).
async fn trust(config: &NodeConfig, memory: &RefCell<Memory>) -> Option<TrustConfig> {
    if let Some(trust) = &config.trust {
        return Some(trust.clone());
    }
    if let Some(trust) = &memory.borrow().validators.manifest_trust {
        return Some(trust.clone());
    }
    let manifest = super::node::fetch_manifest(config).await.ok()?;
    let trust = manifest.cometbft?.trust();
    memory.borrow_mut().validators.manifest_trust = Some(trust.clone());
    Some(trust)
}

/// Follows the chain for one round and reports each validator. `false` when a read got no answer
/// and our own link to the relay is down (the round is cut, nothing reported).
#[allow(clippy::too_many_arguments)]
pub(super) async fn validator_pass<S, P>(
    config: &NodeConfig,
    round: u64,
    info: &RelayInfo,
    sender: &S,
    first: &FirstPath,
    paths: &SecondPaths,
    memory: &RefCell<Memory>,
    emit: &Rc<dyn Fn(NodeEvent)>,
    link_alive: &impl Fn() -> P,
) -> bool
where
    S: CheckSender,
    P: Future<Output = bool>,
{
    if !info.upstreams.cometbft || config.validator_budget_ms == 0 {
        return true;
    }
    let problem = |message: String| emit(NodeEvent::Problem { round, kind: "validator", message });
    let Some(trust) = trust(config, memory).await else {
        if !std::mem::replace(&mut memory.borrow_mut().validators.said_untrusted, true) {
            problem("the relay reaches a CometBFT RPC, but no trust anchor is configured (trust: {chainId, height, hash}): validators are not checked".into());
        }
        return true;
    };
    let mut follower = match memory.borrow_mut().validators.follower.take() {
        Some(f) if f.trust() == &trust => f,
        _ => match ChainFollower::new(&trust, LivenessPolicy::default()) {
            Ok(f) => f,
            Err(e) => {
                problem(format!("the trust anchor cannot be used: {e}"));
                return true;
            }
        },
    };
    let Some(seed) = super::random::seed() else {
        memory.borrow_mut().validators.follower = Some(follower);
        return true; // Batch weights must be unpredictable: without randomness, no check.
    };
    let mut rng = <rand_chacha::ChaCha20Rng as rand::SeedableRng>::from_seed(seed);
    let budget = FollowConfig { budget_ms: f64::from(config.validator_budget_ms), ..FollowConfig::default() };
    let report = follower.follow(&RelayedComet(sender), &WorkerClock::new(), &budget, &mut rng).await;
    if report.silent() && !link_alive().await {
        memory.borrow_mut().validators.follower = Some(follower);
        return false;
    }
    // Rows when the RPC answered for our chain: what was verified, this round or before.
    let blocked = report.problems.iter().any(|p| matches!(p, FollowProblem::WrongChain { .. } | FollowProblem::Conflict { .. } | FollowProblem::Anchor { .. }));
    let usable = report.head.is_some() && !blocked && follower.verifier().is_initialised();
    let firsts: Vec<ValidatorPath> = follower.verdicts().into_iter().map(|verdict| ValidatorPath { relay: first.relay.clone(), trusted: first.trusted, verdict }).collect();
    let second = paths.first().filter(|_| usable && firsts.iter().any(ValidatorPath::needs_second_path));
    let (seconds, second_problem) = match &second {
        Some(second) => second_look(config, second, follower.verifier(), &firsts, memory, &mut rng).await,
        None => (Vec::new(), None),
    };
    let policy = *follower.verifier().policy();
    memory.borrow_mut().validators.follower = Some(follower);
    for p in &report.problems {
        problem(p.to_string());
    }
    if let (Some(second), Some(p)) = (&second, second_problem) {
        problem(format!("relay {} (second path): {p}", second.relay.index));
    }
    if !usable {
        return true;
    }
    for path in firsts {
        let node = path.verdict.address.to_hex();
        let seen = second.as_ref().and_then(|second| {
            let tally = seconds.iter().find(|(a, _)| *a == path.verdict.address)?.1;
            Some(SecondVotesPath { relay: second.relay.clone(), trusted: second.trusted, tally })
        });
        let detail = validator_verdict(path, seen, &policy);
        let verdict = Verdict::Validator(ValidatorRow { verdict: detail.verdict.status.category(), detail });
        emit(NodeEvent::Verdict { round, node, kind: "validator", verdict });
    }
    true
}

/// `second`'s look at the heights where the validators the first path shows offline or lagging
/// (the most powerful [`MAX_RECHECKED_VALIDATORS`]) have no vote, within half the validator budget:
/// what it showed of each, by address, and why it stopped short if it did. What it saw is kept for
/// the next rounds (a vote found is the validator's own signature, whichever relay carried it).
async fn second_look(
    config: &NodeConfig,
    second: &SecondPath,
    verifier: &LightVerifier,
    firsts: &[ValidatorPath],
    memory: &RefCell<Memory>,
    rng: &mut rand_chacha::ChaCha20Rng,
) -> (Vec<(Address, VoteTally)>, Option<FollowProblem>) {
    let Some(client) = second.comet() else { return (Vec::new(), None) };
    let mut asked: Vec<&ValidatorVerdict> = firsts.iter().filter(|p| p.needs_second_path()).map(|p| &p.verdict).collect();
    asked.sort_by_key(|v| std::cmp::Reverse(v.power));
    let asked: Vec<Address> = asked.into_iter().take(MAX_RECHECKED_VALIDATORS).map(|v| v.address).collect();
    let limit = InFlightLimit::new(config.max_in_flight);
    let sender = Limited { sender: client, limit: &limit };
    let mut votes = std::mem::take(&mut memory.borrow_mut().second.entry(second.relay.index).or_default().votes);
    let budget_ms = f64::from(config.validator_budget_ms) / 2.0;
    let problem = votes.look(verifier, &RelayedComet(&sender), &WorkerClock::new(), &asked, budget_ms, rng).await;
    let tallies = asked.iter().map(|a| (*a, votes.tally(verifier, a))).collect();
    memory.borrow_mut().second.entry(second.relay.index).or_default().votes = votes;
    (tallies, problem)
}
