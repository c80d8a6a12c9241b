//! The node's validator round (`ChainFollower`, what the worker runs each round) against the
//! devnet's CometBFT RPC over HTTP: the budget bounds a round and the chain is still covered round
//! after round; a trust anchor the RPC does not match, another chain, or a chain that conflicts
//! with what was verified checks nothing and accuses nobody.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::Arc;
use std::time::Duration;
use zg_align::cometbft::{ChainFollower, ChainProfile, FollowConfig, FollowProblem, LivenessPolicy, TrustConfig, ValidatorStatus};
use zg_align_devnet::cometbft::{serve, CometChain, Fault, HttpComet, SystemClock};
use zg_align_devnet::server::now;

/// A chain of `head` heights behind its RPC, commits signed ahead on a thread of their own.
async fn chain(head: u64) -> (Arc<CometChain>, HttpComet) {
    let chain = Arc::new(CometChain::new(head, ChainProfile::ZG, now()));
    chain.precompute_in_background();
    let (addr, server) = serve(chain.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    tokio::spawn(server);
    (chain, HttpComet::new(format!("http://{addr}"), Duration::from_secs(30)))
}

fn trust(chain: &CometChain) -> TrustConfig {
    let m = chain.manifest();
    TrustConfig { chain_id: m.chain_id, height: m.trust_height, hash: m.trust_hash, profile: Some(m.profile.into()), trusting_period_seconds: None }
}

/// At a budget smaller than one commit's check, each round checks exactly one light block (the
/// anchor, then the way to the head, then samples, then the heights evidence needs), and round
/// after round the whole chain is covered: every fault found, no honest validator judged anything
/// but healthy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_light_block_a_round_still_covers_the_chain() {
    let (chain, rpc) = chain(24).await;
    let mut follower = ChainFollower::new(&trust(&chain), LivenessPolicy::default()).unwrap();
    let mut rng = ChaCha20Rng::from_seed([3; 32]);
    let tiny = FollowConfig { budget_ms: 1.0, ..FollowConfig::default() };
    let mut rounds = 0;
    let mut evidence = 0;
    loop {
        let report = follower.follow(&rpc, &SystemClock::default(), &tiny, &mut rng).await;
        assert_eq!(report.problems, vec![], "round {rounds}");
        assert!(report.light_blocks <= 1, "round {rounds}: {} light blocks", report.light_blocks);
        evidence += report.evidence.len();
        rounds += 1;
        if report.light_blocks == 0 && follower.evidence_due().next().is_none() {
            break;
        }
        assert!(rounds < 60, "the chain is not covered after {rounds} rounds");
    }
    // The anchor, the head, the 22 heights between: one round each.
    assert_eq!(follower.verifier().verified_heights().count(), 24);
    assert_eq!(evidence, 2, "the equivocations at 5 and 15, from blocks 7 and 17");
    let m = chain.manifest();
    for row in follower.verdicts() {
        let entry = m.validators.iter().find(|v| v.address == row.address.to_hex()).unwrap();
        let expected = match entry.fault {
            None => ValidatorStatus::Healthy,
            Some(Fault::Offline) => ValidatorStatus::Offline,
            Some(Fault::Slow) => ValidatorStatus::Lagging,
            Some(Fault::Equivocating) => ValidatorStatus::Misbehaving,
        };
        assert_eq!(row.status, expected, "{}: {row:?}", entry.id);
    }
}

/// The trust anchor is the owner's: an RPC of another chain, an anchor hash the chain does not
/// have, or a height it does not have, checks nothing; and a chain that conflicts with what was
/// verified (here the devnet restarted: same validators, other blocks) is not followed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_rpc_says_never_replaces_the_trust_anchor() {
    let (chain, rpc) = chain(12).await;
    let mut rng = ChaCha20Rng::from_seed([4; 32]);
    let clock = SystemClock::default();
    let config = FollowConfig { budget_ms: f64::INFINITY, ..FollowConfig::default() };
    let nothing = |follower: &ChainFollower| follower.verifier().verified_heights().count() == 0 && follower.verdicts().is_empty();

    let other_chain = TrustConfig { chain_id: "zg-mainnet-1".into(), ..trust(&chain) };
    let mut follower = ChainFollower::new(&other_chain, LivenessPolicy::default()).unwrap();
    let report = follower.follow(&rpc, &clock, &config, &mut rng).await;
    assert!(matches!(&report.problems[..], [FollowProblem::WrongChain { served, .. }] if served == chain.chain_id()), "{report:?}");
    assert!(nothing(&follower));

    let other_hash = TrustConfig { hash: hex::encode(chain.hash(2).0), ..trust(&chain) };
    let mut follower = ChainFollower::new(&other_hash, LivenessPolicy::default()).unwrap();
    let report = follower.follow(&rpc, &clock, &config, &mut rng).await;
    assert!(matches!(&report.problems[..], [FollowProblem::Anchor { message }] if message.contains("trust anchor")), "{report:?}");
    assert!(nothing(&follower));

    let beyond = TrustConfig { height: 13, ..trust(&chain) };
    let mut follower = ChainFollower::new(&beyond, LivenessPolicy::default()).unwrap();
    let report = follower.follow(&rpc, &clock, &config, &mut rng).await;
    assert!(matches!(&report.problems[..], [FollowProblem::NoAnswer { silent: false, message, .. }] if message.contains("must be less than or equal")), "{report:?}");
    assert!(nothing(&follower));

    for bad in [TrustConfig { hash: "5A01".into(), ..trust(&chain) }, TrustConfig { profile: Some("tendermint".into()), ..trust(&chain) }, TrustConfig { height: 0, ..trust(&chain) }] {
        assert!(ChainFollower::new(&bad, LivenessPolicy::default()).is_err(), "{bad:?}");
    }

    // The chain as verified, then a restarted devnet: the same keys sign other blocks at the same
    // heights. The head it names conflicts with the verified one: nothing more is checked.
    let mut follower = ChainFollower::new(&trust(&chain), LivenessPolicy::default()).unwrap();
    let report = follower.follow(&rpc, &clock, &config, &mut rng).await;
    assert_eq!(report.problems, vec![]);
    let verified: Vec<u64> = follower.verifier().verified_heights().collect();
    tokio::time::sleep(Duration::from_millis(1100)).await; // Other block times, other hashes.
    let (restarted, rpc) = self::chain(12).await;
    assert_ne!(restarted.hash(12), chain.hash(12));
    let report = follower.follow(&rpc, &clock, &config, &mut rng).await;
    assert!(matches!(&report.problems[..], [FollowProblem::Conflict { height: 12, .. }]), "{report:?}");
    assert_eq!((report.light_blocks, follower.verifier().verified_heights().collect::<Vec<_>>()), (0, verified));
}
