//! Two relays in front of one devnet (`serve --relays 2`), as the worker uses them: a storage pass
//! through the first, then the second path's look at every node the first could not settle
//! (`second_look`), and the verdict the two allow (`paths::storage_verdict`). With the first relay
//! lying (hide and forge) every honest node still ends healthy, with the lie shown as the first
//! relay's fault, and each faulty node keeps a verdict that is not healthy. With two honest relays
//! the corrupt nodes' unsigned faults are confirmed through both: misbehaving, both paths in the
//! evidence. Serving providers the lying first relay hides are reached through the second. A relay
//! whose hello names another chain can be told apart by its hello alone. A validator whose votes
//! the lying first relay drops from every commit is found voting through the second, and healthy.

use std::collections::HashMap;
use std::time::Duration;
use zg_align::cometbft::{Address, ChainFollower, FollowConfig, LivenessPolicy, SecondVotes, TrustConfig, ValidatorStatus, ValidatorVerdict};
use zg_align::paths::{serving_verdict, storage_verdict, validator_verdict, RelayFaultKind, RelayRef, Rechecked, SecondStoragePath, SecondVotesPath, ServingPath, StoragePath, ValidatorPath};
use zg_align::protocol::{run_serving_pass, run_serving_pass_for, CheckRequest, CheckResponse, CheckSender, RelayUpstreams, RelayedComet};
use zg_align::serving::{ServingState, ServingVerdict};
use zg_align::storage::{discover_files, discover_nodes, run_storage_pass, second_look, PassConfig, SecondLook, StorageVerdict};
use zg_align_devnet::cometbft::{Fault, SystemClock};
use zg_align_devnet::lying_relay::RelayLie;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, Devnet};
use zg_align_relay::client;

fn config(lies: Vec<RelayLie>) -> DevnetConfig {
    let mut config = DevnetConfig::new(files::generated(), Duration::from_millis(4000), "www".into(), "pkg".into());
    config.relays = 2;
    config.lying_relay = 0;
    config.relay_lies = lies;
    config
}

async fn start(lies: Vec<RelayLie>) -> Devnet {
    Devnet::start(config(lies), "127.0.0.1:0".parse().unwrap()).await.expect("devnet")
}

/// A devnet whose chain has 60 heights: a window of 60, which two second looks cover and one does not.
async fn start_short_chain(lies: Vec<RelayLie>) -> Devnet {
    Devnet::start(config(lies).with_heights(60), "127.0.0.1:0".parse().unwrap()).await.expect("devnet")
}

fn seed(n: &mut u64) -> Option<[u8; 32]> {
    *n += 1;
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&n.to_le_bytes());
    Some(s)
}

/// One round as the worker runs it over two untrusted relays: node URL -> its verdict.
async fn round(devnet: &Devnet) -> HashMap<String, Rechecked<StorageVerdict>> {
    let relays = [&devnet.relay, &devnet.more_relays[0]];
    let mut clients = Vec::new();
    for relay in relays {
        let client = client::connect(relay.address.clone(), Duration::from_secs(2)).await.expect("dial");
        let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
        clients.push((client, info));
    }
    assert_eq!(clients[0].1.chain_id, clients[1].1.chain_id, "both in front of one chain");
    let peer = |index: usize| relays[index].address.to_string().rsplit("/p2p/").next().unwrap().to_string();
    let relay = |index: usize| RelayRef { index, peer: peer(index), address: relays[index].address.to_string() };
    let config = PassConfig { check_timeout: Duration::from_millis(3000), ..PassConfig::default() };
    let (first, second) = (RelayUpstreams(&clients[0].0), RelayUpstreams(&clients[1].0));
    let flow = clients[0].1.flow.unwrap();
    let mut n = 0;
    // The first relay's pass (its discovery through it too: a hiding relay hides nodes, not the map).
    let nodes = discover_nodes(&first).await.expect("indexer");
    let files = discover_files(&first, &flow, &nodes, &[], &config).await.expect("chain");
    let mut firsts: Vec<(String, StoragePath)> = Vec::new();
    run_storage_pass(&first, &files, &nodes, &config, || seed(&mut n), || async { true }, |url, verdict| {
        firsts.push((url.to_string(), StoragePath { relay: relay(0), trusted: false, verdict }));
    })
    .await;
    // The second path's look at each node the first could not settle.
    let asks: Vec<(String, SecondLook)> =
        firsts.iter().filter(|(_, p)| p.needs_second_path()).filter_map(|(url, p)| SecondLook::for_verdict(&p.verdict).map(|look| (url.clone(), look))).collect();
    let sights = second_look(&second, &clients[1].1.flow.unwrap(), &[], &config, || seed(&mut n), &asks).await.expect("the second relay lists nodes and files");
    let mut verdicts = HashMap::new();
    for (url, path) in firsts {
        let sight = asks.iter().position(|(u, _)| *u == url).map(|i| sights[i].clone());
        let second = sight.map(|s| SecondStoragePath { relay: relay(1), trusted: false, segment: s.segment, whole: s.whole });
        verdicts.insert(url, storage_verdict(path, second));
    }
    verdicts
}

fn by_fault<'a>(devnet: &Devnet, verdicts: &'a HashMap<String, Rechecked<StorageVerdict>>, fault: Option<&str>) -> Vec<&'a Rechecked<StorageVerdict>> {
    devnet.manifest.storage.iter().filter(|n| n.fault == fault).map(|n| verdicts.get(&n.rpc).unwrap_or_else(|| panic!("a verdict for {}", n.id))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lying_first_relay_is_seen_through_by_an_honest_second() {
    let devnet = start(vec![RelayLie::Hide, RelayLie::Forge]).await;
    assert_eq!(devnet.manifest.relays.len(), 2);
    assert_eq!(devnet.manifest.relay.as_deref(), Some(devnet.manifest.relays[0].as_str()));
    let mut faults = HashMap::<RelayFaultKind, usize>::new();
    for r in 0..3 {
        let verdicts = round(&devnet).await;
        for v in by_fault(&devnet, &verdicts, None) {
            assert_eq!(v.verdict.name(), "healthy", "round {r}: an honest node through a lying and an honest relay: {}", serde_json::to_string(v).unwrap());
        }
        for fault in ["corrupt", "wrong-index"] {
            for v in by_fault(&devnet, &verdicts, Some(fault)) {
                assert!(["unverifiable", "misbehaving"].contains(&v.verdict.name()), "round {r}: {fault}: {}", serde_json::to_string(v).unwrap());
                if v.verdict.name() == "misbehaving" {
                    assert!(v.confirmed, "confirmed through both relays, or not misbehaving");
                }
            }
        }
        for fault in ["withhold", "slow"] {
            for v in by_fault(&devnet, &verdicts, Some(fault)) {
                assert_eq!(v.verdict.name(), "unreachable", "round {r}: {fault}: {}", serde_json::to_string(v).unwrap());
            }
        }
        for v in verdicts.values() {
            if let Some(f) = &v.relay_fault {
                assert_eq!(f.relay.index, 0, "only the lying relay is blamed");
                *faults.entry(f.kind).or_default() += 1;
                assert!(v.paths.len() >= 2, "both paths shown");
            }
        }
    }
    assert!(faults.get(&RelayFaultKind::Hid).copied().unwrap_or(0) > 0, "hidden nodes shown as the relay's fault: {faults:?}");
    assert!(faults.get(&RelayFaultKind::Forged).copied().unwrap_or(0) > 0, "forged faults shown as the relay's fault: {faults:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsigned_fault_seen_through_two_honest_relays_is_misbehaving() {
    let devnet = start(Vec::new()).await;
    let verdicts = round(&devnet).await;
    for v in by_fault(&devnet, &verdicts, None) {
        assert_eq!(v.verdict.name(), "healthy");
        assert!(v.paths.is_empty(), "a healthy node needs no second path");
    }
    for fault in ["corrupt", "wrong-index"] {
        for v in by_fault(&devnet, &verdicts, Some(fault)) {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json["verdict"], "misbehaving", "{fault}: {json}");
            assert_eq!(json["confirmed"], true);
            let paths = json["paths"].as_array().unwrap();
            assert_eq!(paths.len(), 2);
            assert_eq!(paths[0]["relay"]["address"], devnet.manifest.relays[0]);
            assert_eq!(paths[1]["relay"]["address"], devnet.manifest.relays[1]);
            assert!(paths.iter().all(|p| p["verdict"] == "unverifiable" && p["answerKeccak"].is_string() && p["relay"]["peer"].as_str().unwrap().starts_with("12D3")), "{json}");
            // The accusation stands on its own evidence (`verify evidence`).
            let recheck = zg_align::evidence::recheck("storage", &json).unwrap();
            assert!(recheck.holds, "{}", recheck.why);
        }
    }
    for fault in ["withhold", "slow"] {
        for v in by_fault(&devnet, &verdicts, Some(fault)) {
            assert_eq!(v.verdict.name(), "unreachable", "unreachable through both");
            assert_eq!(v.paths.len(), 2);
            assert!(v.relay_fault.is_none(), "nobody blamed for a node that answers neither");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_in_front_of_another_chain_says_so_in_its_hello() {
    let devnet = start(vec![RelayLie::OtherChain]).await;
    let hello = |address| async move {
        let client = client::connect(address, Duration::from_secs(2)).await.expect("dial");
        let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
        info.chain_id
    };
    let (lying, honest) = (hello(devnet.relay.address.clone()).await, hello(devnet.more_relays[0].address.clone()).await);
    assert_eq!(honest, devnet.manifest.chain_id);
    assert_ne!(lying, honest);
}

/// Serving through two relays as the worker runs it: the first relay's pass, then the second's
/// pass over the providers the first got no signed answer from (`run_serving_pass_for`), and the
/// verdict the two allow (`paths::serving_verdict`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn providers_a_lying_first_relay_hides_are_reached_through_the_second() {
    let devnet = start(vec![RelayLie::Forge, RelayLie::Hide]).await;
    let relays = [&devnet.relay, &devnet.more_relays[0]];
    let mut clients = Vec::new();
    for relay in relays {
        let client = client::connect(relay.address.clone(), Duration::from_secs(2)).await.expect("dial");
        let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
        clients.push((client, info.serving.expect("a serving source")));
    }
    let relay = |index: usize| RelayRef { index, peer: format!("relay{index}"), address: relays[index].address.to_string() };
    let (mut first_state, mut second_state) = (ServingState::default(), ServingState::default());
    for round in 1..=2u8 {
        let firsts = run_serving_pass(&clients[0].0, &clients[0].1, &mut first_state, [round; 32]).await.expect("the first relay lists the providers");
        let firsts: Vec<(String, ServingPath)> = firsts.into_iter().map(|(id, verdict)| (id, ServingPath { relay: relay(0), trusted: false, verdict })).collect();
        let held: Vec<String> = firsts.iter().filter(|(_, p)| p.needs_second_path()).map(|(id, _)| id.clone()).collect();
        assert!(!held.is_empty(), "the lying relay hides or garbles some provider");
        let seconds = run_serving_pass_for(&clients[1].0, &clients[1].1, &mut second_state, [round; 32], &held).await.expect("the second relay lists the providers");
        assert_eq!(seconds.len(), held.len(), "the second path asks exactly the held providers");
        let verdicts: HashMap<String, Rechecked<ServingVerdict>> = firsts
            .into_iter()
            .map(|(id, path)| {
                let second = seconds.iter().find(|(s, _)| *s == id).map(|(_, verdict)| ServingPath { relay: relay(1), trusted: false, verdict: verdict.clone() });
                (id.clone(), serving_verdict(path, second))
            })
            .collect();
        let mut hid = 0;
        for p in &devnet.manifest.serving.providers {
            let v = verdicts.get(&p.node).unwrap_or_else(|| panic!("a verdict for {}", p.id));
            let expected = match p.fault.as_deref() {
                None | Some("model-swap") => "healthy",
                Some("wrong-answer") => "misbehaving",
                Some(_) => "unreachable",
            };
            assert_eq!(v.verdict.name(), expected, "{} ({:?}) in round {round}: {:?}", p.id, p.fault, v);
            if let Some(fault) = &v.relay_fault {
                assert_eq!((fault.relay.index, fault.kind), (0, RelayFaultKind::Hid), "only the first relay is blamed");
                hid += 1;
            }
            if expected == "unreachable" && !v.paths.is_empty() {
                assert!(v.relay_fault.is_none(), "nobody blamed for a provider no path got a signed answer from");
            }
        }
        assert!(hid > 0, "the providers relay 0 hid are shown as its fault");
    }
}

/// The validators as the worker judges them over two untrusted relays: the chain followed through
/// the first, then `looks` second looks at the heights where a validator offline or lagging
/// through the first has no vote. Address (hex) -> its verdict.
async fn validator_round(devnet: &Devnet, looks: usize) -> HashMap<String, Rechecked<ValidatorVerdict>> {
    let chain = &devnet.manifest.cometbft.chain;
    let trust = TrustConfig { chain_id: chain.chain_id.clone(), height: chain.trust_height, hash: chain.trust_hash.clone(), profile: Some(chain.profile.into()), trusting_period_seconds: None };
    let relays = [&devnet.relay, &devnet.more_relays[0]];
    let mut clients = Vec::new();
    for relay in relays {
        clients.push(client::connect(relay.address.clone(), Duration::from_secs(2)).await.expect("dial"));
    }
    let relay = |index: usize| RelayRef { index, peer: format!("relay{index}"), address: relays[index].address.to_string() };
    let mut follower = ChainFollower::new(&trust, LivenessPolicy::default()).unwrap();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::from_seed([9; 32]);
    let unlimited = FollowConfig { budget_ms: f64::INFINITY, ..FollowConfig::default() };
    let report = follower.follow(&RelayedComet(&clients[0]), &SystemClock::default(), &unlimited, &mut rng).await;
    assert!(report.head.is_some() && follower.verifier().is_initialised(), "{report:?}");
    let firsts: Vec<ValidatorPath> = follower.verdicts().into_iter().map(|verdict| ValidatorPath { relay: relay(0), trusted: false, verdict }).collect();
    let asked: Vec<Address> = firsts.iter().filter(|p| p.needs_second_path()).map(|p| p.verdict.address).collect();
    let mut votes = SecondVotes::default();
    for _ in 0..looks {
        let problem = votes.look(follower.verifier(), &RelayedComet(&clients[1]), &SystemClock::default(), &asked, f64::INFINITY, &mut rng).await;
        assert_eq!(problem, None, "the honest second relay answers");
    }
    let kept = follower.verifier().footprint().records * zg_align::cometbft::MAX_RECHECKED_VALIDATORS;
    assert!(votes.kept() > 0 && votes.kept() <= kept, "{} slots kept, at most {kept}", votes.kept());
    let policy = *follower.verifier().policy();
    firsts
        .into_iter()
        .map(|first| {
            let tally = votes.tally(follower.verifier(), &first.verdict.address);
            (first.verdict.address.to_hex(), validator_verdict(first, Some(SecondVotesPath { relay: relay(1), trusted: false, tally }), &policy))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_a_lying_first_relay_drops_are_found_through_the_second() {
    let devnet = start_short_chain(vec![RelayLie::StripVotes]).await;
    let chain = &devnet.manifest.cometbft.chain;
    // One look (MAX_RECHECK_READS commits) covers half the window: the stripped validator's
    // found votes are not yet enough to call it healthy, so the first relay's word stands, unblamed.
    let early = validator_round(&devnet, 1).await;
    let stripped = chain.validators.iter().find(|v| v.id == "validator-004").expect("validator-004").address.clone();
    let v = &early[&stripped];
    assert_eq!(v.verdict.status, ValidatorStatus::Offline, "{v:?}");
    assert!(v.relay_fault.is_none() && v.paths.len() == 2, "{v:?}");
    // Looked at over the whole window, its votes make it healthy, and relay 0 hid them.
    let verdicts = validator_round(&devnet, 2).await;
    for row in &chain.validators {
        let Some(v) = verdicts.get(&row.address) else { continue };
        if row.address == stripped {
            assert_eq!(v.verdict.status, ValidatorStatus::Healthy, "{v:?}");
            assert_eq!(v.relay_fault.as_ref().map(|f| (f.relay.index, f.kind)), Some((0, RelayFaultKind::Hid)), "{v:?}");
            assert_eq!(v.paths[0].verdict, zg_align::paths::VerdictName::Unreachable);
            assert!(v.verdict.signed + v.verdict.nil >= LivenessPolicy::default().min_observed, "{v:?}");
        } else {
            assert_eq!(v.verdict.status, row.expected_status(), "{}: {v:?}", row.id);
            assert!(v.relay_fault.is_none(), "{}: relay 0 dropped no vote of it: {v:?}", row.id);
        }
    }
    assert!(verdicts.contains_key(&stripped));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_validator_offline_through_two_honest_relays_blames_neither() {
    let devnet = start_short_chain(Vec::new()).await;
    let verdicts = validator_round(&devnet, 2).await;
    for row in &devnet.manifest.cometbft.chain.validators {
        let Some(v) = verdicts.get(&row.address) else { continue };
        assert_eq!(v.verdict.status, row.expected_status(), "{}: {v:?}", row.id);
        assert!(v.relay_fault.is_none(), "{}: {v:?}", row.id);
        // The offline and the slow validator were looked at again: both paths shown.
        assert_eq!(v.paths.len() == 2, row.fault.is_some_and(|f| f != Fault::Equivocating), "{}: {v:?}", row.id);
    }
}
