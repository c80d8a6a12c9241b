//! What the node keeps from round to round, round after round against the devnet through its
//! relay (the worker's passes, natively: storage, DA, serving, validators): the validator
//! follower, the DA quorums, the serving drift tests and the rounds kept for reports. Each stays under its stated bound every round, and
//! at the end the heap each holds is measured (a counting allocator; each structure dropped on
//! this thread, the bytes freed counted) against the bytes its bound states.
//!
//! Before (bench/memory.mjs, 2026-12-02): the worker kept each round's verdicts as JSON values (a
//! storage verdict's evidence holds the node's whole answer, ~0.35 MB) for 16 rounds, 3.5-5.5 MB
//! of JSON text, and the follower's records grew two a round up to 128 (~3.4 MB) with no bound on
//! their slots: the heap held at a round's end rose from 0.7 MB to 10-11 MB by round 68, the wasm
//! memory's creep of ~0.05 MB a round. The log now keeps ~200 bytes a verdict (`ENTRY_BYTES`
//! below fails the JSON log: one storage verdict is over 100 KB).

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::time::Duration;
use zg_align::cometbft::{
    ChainFollower, FollowConfig, LivenessPolicy, TrustConfig, MAX_EVIDENCE, MAX_EVIDENCE_BYTES, MAX_OBSERVED_VOTES, MAX_RECORDS, MAX_SLOTS_KEPT,
};
use zg_align::counting_alloc::{thread_live_bytes, CountingAllocator};
use zg_align::protocol::{run_da_pass, run_serving_pass, CheckRequest, CheckResponse, CheckSender, DaMemory, RelayUpstreams, RelayedComet, MAX_QUORUMS_KEPT};
use zg_align::report::{RoundLog, MAX_LOG_BYTES, ROUNDS_KEPT};
use zg_align::serving::{ServingState, MAX_DRIFT_MONITORS};
use zg_align::storage::{discover_files, discover_nodes, run_storage_pass, AnswerPath, PassConfig};
use zg_align_devnet::cometbft::SystemClock;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, Devnet};
use zg_align_relay::client;

#[global_allocator]
static ALLOCATOR: CountingAllocator<std::alloc::System> = CountingAllocator::new(std::alloc::System);

/// Rounds run: past the rounds kept for reports, and enough for the follower to reach its bounds.
const ROUNDS: u64 = 24;
/// Heap the follower may hold: [`MAX_SLOTS_KEPT`] slots at a generous 256 bytes each, the
/// evidence and observed votes at their byte caps, and the records' own small parts.
const FOLLOWER_BYTES: usize = MAX_SLOTS_KEPT * 256 + 2 * MAX_EVIDENCE_BYTES + (1 << 20);
/// Heap the DA quorums and the drift tests may hold.
const DA_BYTES: usize = 1 << 20;
const SERVING_BYTES: usize = MAX_DRIFT_MONITORS * 2048;

/// Heap a verdict kept for reports costs, whatever its evidence (a node's 256 KiB answer included).
const ENTRY_BYTES: usize = 256;

/// A verdict as the worker's round log gets it: written as the event's JSON, read back.
fn as_emitted<T: serde::Serialize>(verdict: &T) -> Result<serde_json::Value, String> {
    serde_json::to_string(verdict).and_then(|text| serde_json::from_str(&text)).map_err(|e| e.to_string())
}

/// Heap bytes `value` held: freed when it is dropped here.
fn held<T>(value: T) -> usize {
    let before = thread_live_bytes();
    drop(value);
    (before - thread_live_bytes()).max(0) as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_the_node_keeps_stays_under_its_bounds_round_after_round() {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(300), "www".into(), "pkg".into());
    let devnet = Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet");
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(10)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    let da = info.da.clone().expect("the devnet's relay has DA");
    let serving = info.serving.clone().expect("the devnet's relay names the serving contract");
    assert!(info.upstreams.cometbft);
    let chain = &devnet.manifest.cometbft.chain;
    let trust = TrustConfig {
        chain_id: chain.chain_id.clone(),
        height: chain.trust_height,
        hash: chain.trust_hash.clone(),
        profile: Some(chain.profile.into()),
        trusting_period_seconds: None,
    };

    let mut follower = ChainFollower::new(&trust, LivenessPolicy::default()).unwrap();
    let mut da_memory = DaMemory::default();
    let mut serving_state = ServingState::default();
    let mut log = RoundLog::default();
    // Twice the worker's budget: the follower reaches its bounds in fewer rounds.
    let budget = FollowConfig { budget_ms: 2.0 * FollowConfig::default().budget_ms, ..FollowConfig::default() };
    let mut rng = ChaCha20Rng::from_seed([5; 32]);
    let mut verdicts_per_round = Vec::new();
    let upstreams = RelayUpstreams(&client);
    let flow = info.flow.expect("the devnet's relay names the flow contract");
    // A short check time-out: the devnet's node that never answers holds a round no longer than that.
    let pass = PassConfig { check_timeout: Duration::from_secs(2), concurrency: 6, ..PassConfig::default() };
    let mut largest_storage_verdict = 0;
    for round in 1..=ROUNDS {
        let seed = zg_align::hash::keccak256(&round.to_be_bytes()).0;
        let started = std::time::Instant::now();
        log.started(round);
        let mut verdicts = 0;
        // The passes side by side as the worker runs them (crate/src/wasm/node.rs, `full_round`):
        // storage beside DA and serving, validators once those two are done. The round lasts
        // about as long as its slowest pass, not their sum.
        let storage = async {
            let nodes = discover_nodes(&upstreams).await.expect("the indexer");
            let files = discover_files(&upstreams, &flow, &nodes, &[], &pass).await.expect("the chain's files");
            let mut storage = Vec::new();
            run_storage_pass(&upstreams, &files, &nodes, &pass, || Some(seed), || async { true }, |node, v| storage.push((node.to_string(), v))).await;
            storage
        };
        let others = async {
            let (da, serving) = futures::join!(run_da_pass(&client, &da, info.max_log_range, &mut da_memory, seed), run_serving_pass(&client, &serving, &mut serving_state, seed));
            let report = follower.follow(&RelayedComet(&client), &SystemClock::default(), &budget, &mut rng).await;
            (da.expect("DA"), serving.expect("serving"), report)
        };
        let (storage, (da_verdicts, serving_verdicts, report)) = futures::join!(storage, others);
        for (node, v) in storage {
            largest_storage_verdict = largest_storage_verdict.max(serde_json::to_vec(&v).unwrap().len());
            log.verdict(round, &node, "storage", as_emitted(&v.attributed(AnswerPath::Relayed)));
            verdicts += 1;
        }
        for (node, v) in da_verdicts {
            log.verdict(round, &node, "da", as_emitted(&v));
            verdicts += 1;
        }
        for (node, v) in serving_verdicts {
            log.verdict(round, &node, "serving", as_emitted(&v));
            verdicts += 1;
        }
        assert!(report.problems.is_empty(), "round {round}: {:?}", report.problems);
        for row in follower.verdicts() {
            let mut json = serde_json::to_value(&row).unwrap();
            json["verdict"] = row.status.category().into();
            log.verdict(round, &row.address.to_hex(), "validator", Ok(json));
            verdicts += 1;
        }
        log.ended(round, true);
        verdicts_per_round.push(verdicts);

        let f = follower.footprint();
        let v = f.verifier;
        eprintln!(
            "round {round}: {} ms, {verdicts} verdicts, follower {f:?}, DA {:?}, drift tests {}, log {:?}",
            started.elapsed().as_millis(),
            da_memory.footprint(),
            serving_state.monitors(),
            log.footprint()
        );
        assert!(v.records <= MAX_RECORDS && v.commit_slots + v.set_slots <= MAX_SLOTS_KEPT, "round {round}: {v:?}");
        assert!(v.evidence <= MAX_EVIDENCE && v.evidence_bytes <= MAX_EVIDENCE_BYTES && v.observed_votes <= MAX_OBSERVED_VOTES, "round {round}: {v:?}");
        assert!(da_memory.footprint().0 <= MAX_QUORUMS_KEPT, "round {round}");
        assert!(serving_state.monitors() <= MAX_DRIFT_MONITORS, "round {round}");
        let l = log.footprint();
        assert!(l.rounds <= ROUNDS_KEPT && l.bytes <= MAX_LOG_BYTES, "round {round}: {l:?}");
        assert_eq!(log.verdicts(round).unwrap().len(), verdicts, "round {round}: every verdict kept for its report");
    }
    assert_eq!(log.footprint().rounds, ROUNDS_KEPT);
    assert!(follower.footprint().verifier.records > 64, "the follower kept on verifying: {:?}", follower.footprint());

    // The heap each holds, against the bytes its bound states.
    let log_counted = log.footprint().bytes;
    let log_bytes = held(log);
    let follower_bytes = held(follower);
    let da_bytes = held(da_memory);
    let serving_bytes = held(serving_state);
    eprintln!(
        "held after {ROUNDS} rounds ({verdicts_per_round:?} verdicts): report log {log_bytes} bytes (counted {log_counted}), follower {follower_bytes}, DA {da_bytes}, drift tests {serving_bytes}"
    );
    assert!(log_bytes <= log_counted && log_counted <= MAX_LOG_BYTES, "the log counts what it holds: {log_bytes} > {log_counted}");
    let most = verdicts_per_round.iter().max().unwrap();
    assert!(largest_storage_verdict > 100_000, "a storage verdict carried a node's whole answer ({largest_storage_verdict} bytes of JSON)");
    assert!(log_bytes <= ROUNDS_KEPT * most * ENTRY_BYTES, "{log_bytes} bytes for {ROUNDS_KEPT} rounds of at most {most} verdicts");
    assert!(follower_bytes <= FOLLOWER_BYTES, "follower {follower_bytes} bytes");
    assert!(da_bytes <= DA_BYTES, "DA {da_bytes} bytes");
    assert!(serving_bytes <= SERVING_BYTES, "drift tests {serving_bytes} bytes");
}
