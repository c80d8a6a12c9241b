//! Ten thousand honest checks, every kind, through the devnet's relay, and not one accusation of
//! an honest node (issue 15's count): storage segments verified on the honest sharded nodes, DA
//! certificates and rows proven from the honest signers, validator signatures verified for the
//! honest validators, serving answers verified from the honest providers. The count is printed.

use std::collections::BTreeSet;
use std::time::Duration;
use zg_align::cometbft::{ChainFollower, FollowConfig, LivenessPolicy, TrustConfig, ValidatorStatus};
use zg_align::da::{CertVerdict, DaVerdict, RetrievedVerdict};
use zg_align::protocol::{run_da_pass, run_serving_pass, CheckRequest, CheckResponse, CheckSender, DaMemory, RelayUpstreams, RelayedComet};
use zg_align::serving::{ServingState, ServingVerdict};
use zg_align::storage::{discover_files, discover_nodes, run_storage_pass, PassConfig, StorageVerdict};
use zg_align_devnet::cometbft::SystemClock;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, Devnet};
use zg_align_relay::client;

const WANTED: u64 = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_honest_checks_of_every_kind_accuse_nobody() {
    // A short delay for the slow node and the time-out provider: only honest nodes are counted.
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(300), "www".into(), "pkg".into()).with_heights(100);
    config.cometbft.precompute_in_background();
    let devnet = Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet");
    let m = &devnet.manifest;
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(20)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };

    // Storage: the honest sharded nodes, pass after pass.
    let honest_storage: BTreeSet<&str> = m.storage.iter().filter(|n| n.fault.is_none()).map(|n| n.rpc.as_str()).collect();
    let up = RelayUpstreams(&client);
    let pass = PassConfig { check_timeout: Duration::from_secs(30), ..PassConfig::default() };
    let nodes = discover_nodes(&up).await.expect("indexer");
    let files = discover_files(&up, info.flow.as_ref().unwrap(), &nodes, &[], &pass).await.expect("flow");
    let honest_nodes: Vec<_> = nodes.into_iter().filter(|n| honest_storage.contains(n.url.as_str())).collect();
    let (mut segments, mut seed) = (0u64, 0u64);
    for _ in 0..20 {
        run_storage_pass(&up, &files, &honest_nodes, &pass, || { seed += 1; Some(zg_align::hash::keccak256(&seed.to_be_bytes()).0) }, || async { true }, |url, v| match v {
            StorageVerdict::Healthy { samples, .. } => segments += samples,
            other => panic!("honest storage node {url}: {other:?}"),
        })
        .await;
    }

    // DA: every certificate and the honest signers' rows, each proven against its blob's root.
    let honest_da: BTreeSet<&str> = m.da.signers.iter().chain(&m.da.blobs).filter(|e| e.fault.is_none()).map(|e| e.node.as_str()).collect();
    let source = info.da.clone().expect("the devnet's relay has DA");
    let (mut certificates, mut rows) = (0u64, 0u64);
    let mut memory = DaMemory::default();
    for round in 0..20u64 {
        let verdicts = run_da_pass(&client, &source, info.max_log_range, &mut memory, zg_align::hash::keccak256(&round.to_be_bytes()).0).await.expect("a DA pass");
        for (id, verdict) in verdicts.iter().filter(|(id, _)| honest_da.contains(id.as_str())) {
            match verdict {
                DaVerdict::Cert(CertVerdict::Healthy { .. }) => certificates += 1,
                DaVerdict::Retrieved(RetrievedVerdict::Healthy { proven, .. }) => rows += *proven as u64,
                other => panic!("honest DA {id}: {other:?}"),
            }
        }
    }

    // Validators: every height of the chain, each honest validator's signatures.
    let chain = &m.cometbft.chain;
    let trust = TrustConfig { chain_id: chain.chain_id.clone(), height: chain.trust_height, hash: chain.trust_hash.clone(), profile: Some(chain.profile.into()), trusting_period_seconds: None };
    let mut follower = ChainFollower::new(&trust, LivenessPolicy::default()).unwrap();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::from_seed([5; 32]);
    let unlimited = FollowConfig { budget_ms: f64::INFINITY, ..FollowConfig::default() };
    let report = follower.follow(&RelayedComet(&client), &SystemClock::default(), &unlimited, &mut rng).await;
    assert_eq!(report.problems, vec![], "{report:?}");
    let honest_validators: BTreeSet<&str> = chain.validators.iter().filter(|v| v.fault.is_none()).map(|v| v.address.as_str()).collect();
    let mut signatures = 0u64;
    for row in follower.verdicts().iter().filter(|r| honest_validators.contains(r.address.to_hex().as_str())) {
        assert!(row.evidence.is_empty() && row.status != ValidatorStatus::Offline, "honest validator {}: {row:?}", row.address.to_hex());
        signatures += row.signed as u64;
    }

    // Serving: the honest providers' signed answers (canaries re-run, drift answers watched).
    let honest_providers: BTreeSet<&str> = m.serving.providers.iter().filter(|p| p.fault.is_none()).map(|p| p.node.as_str()).collect();
    let source = info.serving.clone().expect("the devnet's relay has serving");
    let (mut state, mut answers) = (ServingState::default(), 0u64);
    for round in 0..15u64 {
        let verdicts = run_serving_pass(&client, &source, &mut state, zg_align::hash::keccak256(&(round + 99).to_be_bytes()).0).await.expect("a serving pass");
        for (id, verdict) in verdicts.iter().filter(|(id, _)| honest_providers.contains(id.as_str())) {
            match verdict {
                ServingVerdict::Healthy { answers: n, .. } => answers += *n as u64,
                other => panic!("honest provider {id}: {other:?}"),
            }
        }
    }

    let total = segments + certificates + rows + signatures + answers;
    eprintln!(
        "honest checks through the relay: {segments} storage segments, {certificates} DA certificates, {rows} DA rows proven, {signatures} validator signatures, {answers} serving answers: {total} in all, 0 accusations"
    );
    assert!(total >= WANTED, "{total} honest checks, fewer than {WANTED}");
}
