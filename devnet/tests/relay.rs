//! The relay in front of the devnet, over a real webrtc-direct connection: its profile, storage
//! checks through it (the same verdicts as straight over HTTP), what it refuses and why, an
//! upstream that is down, and 0G Chain's CometBFT RPC forwarded verbatim with the node's validator
//! round through it.

use serde_json::value::RawValue;
use std::net::SocketAddr;
use std::time::Duration;
use zg_align::p2p::CheckClient;
use zg_align::cometbft::{RpcQuery, RpcRead, RpcRoute};
use zg_align::protocol::{CheckRequest, CheckResponse, CheckSender, EvmChain, RelayUpstreams, RelayedComet};
use zg_align::storage::{discover_files, discover_nodes, run_storage_pass, PassConfig, ShardedNode, StorageVerdict, UnreachableReason};
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, relay_profile, Devnet};
use zg_align_relay::{client, Identity, Relay};

/// The slow node waits past the checks' time-out (20 s, in `pass_through`), which is generous: the
/// tests in this file run at once on two cores beside commits being signed, and an honest node's
/// check there took more than 8 s.
async fn start() -> Devnet {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(25_000), "www".into(), "pkg".into());
    Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet")
}

fn call(json: &str) -> Box<RawValue> {
    RawValue::from_string(json.into()).unwrap()
}

fn refused(answer: CheckResponse, code: u16) -> String {
    match answer {
        CheckResponse::Failure(f) if f.code == code => f.message,
        other => panic!("expected a {code} refusal, got {other:?}"),
    }
}

/// node URL -> verdict, over the relay.
async fn pass_through(client: &CheckClient, extra_nodes: &[ShardedNode]) -> std::collections::HashMap<String, StorageVerdict> {
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    let up = RelayUpstreams(client);
    let mut nodes = discover_nodes(&up).await.expect("indexer through the relay");
    nodes.extend_from_slice(extra_nodes);
    let config = PassConfig { check_timeout: Duration::from_secs(20), ..PassConfig::default() };
    let files = discover_files(&up, &info.flow.expect("a flow"), &nodes, &[], &config).await.expect("logs through the relay");
    assert_eq!(files.len(), files::generated().len());
    let mut out = std::collections::HashMap::new();
    let mut n = 0u8;
    run_storage_pass(&up, &files, &nodes, &config, || { n += 1; Some([n; 32]) }, || async { true }, |url, v| {
        out.insert(url.to_string(), v);
    })
    .await;
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_checks_through_the_relay_match_the_faults() {
    let devnet = start().await;
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(10)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    assert_eq!((info.network.as_str(), info.chain_id), ("devnet", 31337));
    assert!(info.upstreams.indexer && info.upstreams.evm && info.upstreams.reports && info.upstreams.da && info.upstreams.chat && info.upstreams.cometbft);
    let verdicts = pass_through(&client, &[]).await;
    for node in &devnet.manifest.storage {
        let expected = match node.fault {
            None => "healthy",
            Some("corrupt" | "wrong-index") => "misbehaving",
            Some("withhold" | "slow") => "unreachable",
            Some(other) => panic!("unknown fault {other}"),
        };
        assert_eq!(verdicts[&node.rpc].name(), expected, "{} {:?}: {:?}", node.id, node.fault, verdicts[&node.rpc]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_and_refusals() {
    let devnet = start().await;
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(5)).await.expect("dial");
    for len in [0u32, 1024, 256 * 1024] {
        let CheckResponse::Echo { data } = client.send(CheckRequest::Echo { len }).await.unwrap() else { panic!() };
        assert_eq!(data.len(), len as usize);
    }
    refused(client.send(CheckRequest::Echo { len: 10 << 20 }).await.unwrap(), 413);
    let status = r#"{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus","params":[]}"#;
    let node = devnet.manifest.storage[0].rpc.clone();
    // A node the indexer has not listed to this relay yet, and a host that is no node at all.
    let message = refused(client.send(CheckRequest::Zgs { node: node.clone(), call: call(status) }).await.unwrap(), 403);
    assert!(message.contains("not a storage node the indexer listed"), "{message}");
    refused(client.send(CheckRequest::Zgs { node: "http://169.254.169.254/".into(), call: call(status) }).await.unwrap(), 403);
    let listed = client.send(CheckRequest::Indexer { call: call(r#"{"jsonrpc":"2.0","id":1,"method":"indexer_getShardedNodes","params":[]}"#) }).await.unwrap();
    assert!(matches!(listed, CheckResponse::Rpc { .. }), "{listed:?}");
    // Now listed: forwarded, verbatim.
    let CheckResponse::Rpc { answer } = client.send(CheckRequest::Zgs { node: node.clone(), call: call(status) }).await.unwrap() else { panic!() };
    let direct = reqwest::Client::new().post(&node).body(status).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(answer.get().as_bytes(), &direct[..], "the node's exact bytes");
    // Methods outside the allow-lists, batches, and unbounded log queries.
    refused(client.send(CheckRequest::Zgs { node, call: call(r#"{"jsonrpc":"2.0","id":1,"method":"zgs_uploadSegment","params":[]}"#) }).await.unwrap(), 403);
    let evm = |c: &str| CheckRequest::Evm { chain: EvmChain::Zg, call: call(c) };
    refused(client.send(evm(r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x00"]}"#)).await.unwrap(), 403);
    refused(client.send(evm(r#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}]"#)).await.unwrap(), 400);
    refused(client.send(evm(r#"{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"0xffffff"}]}"#)).await.unwrap(), 400);
    refused(client.send(evm(r#"{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"earliest","toBlock":"latest"}]}"#)).await.unwrap(), 400);
    let chain_id = r#"{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}"#;
    let CheckResponse::Rpc { answer } = client.send(evm(chain_id)).await.unwrap() else { panic!() };
    let direct = reqwest::Client::new().post(&devnet.manifest.evm).body(chain_id).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(answer.get().as_bytes(), &direct[..], "the RPC's exact bytes");
    assert_eq!(serde_json::from_str::<serde_json::Value>(answer.get()).unwrap()["result"], "0x7a69");
    let licenses = CheckRequest::Evm { chain: EvmChain::Licenses, call: call(r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#) };
    assert!(matches!(client.send(licenses).await.unwrap(), CheckResponse::Rpc { .. }));
}

/// A tab over its request budget is refused (429) and served again once the bucket refills.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_over_its_rate_is_refused_not_served() {
    let devnet = start().await;
    let mut profile = relay_profile(&devnet.network, &devnet.url).unwrap();
    profile.limits.requests_per_second = 2;
    profile.limits.burst = 3;
    let relay = Relay::start(profile, Identity::ephemeral(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = client::connect(relay.address.clone(), Duration::from_secs(5)).await.expect("dial");
    let mut answers = Vec::new();
    for _ in 0..8 {
        answers.push(client.send(CheckRequest::Echo { len: 1 }).await.unwrap());
    }
    let served = answers.iter().filter(|a| matches!(a, CheckResponse::Echo { .. })).count();
    let limited = answers.iter().filter(|a| matches!(a, CheckResponse::Failure(f) if f.code == 429)).count();
    assert_eq!(served + limited, 8);
    assert!((3..=5).contains(&served), "{served} served of 8 at 2/s with a burst of 3");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(matches!(client.send(CheckRequest::Echo { len: 1 }).await.unwrap(), CheckResponse::Echo { .. }));
}

/// An upstream that does not answer makes its node unreachable; a relay in front of a dead
/// indexer says so, and starting a round fails without a verdict on anyone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_is_down_is_unreachable_never_misbehaving() {
    let devnet = start().await;
    let dead = format!("http://127.0.0.1:{}", std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port());
    let mut profile = relay_profile(&devnet.network, &devnet.url).unwrap();
    profile.storage_nodes.push(dead.parse().unwrap());
    let relay = Relay::start(profile.clone(), Identity::ephemeral(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = client::connect(relay.address.clone(), Duration::from_secs(5)).await.expect("dial");
    let shard = zg_align::storage::ShardConfig::default();
    let verdicts = pass_through(&client, &[ShardedNode { url: dead.clone(), config: shard, latency: 0, since: 0 }]).await;
    assert!(
        matches!(&verdicts[&dead], StorageVerdict::Unreachable { reason: UnreachableReason::NodeCall { .. }, .. }),
        "{:?}",
        verdicts[&dead]
    );
    for node in devnet.manifest.storage.iter().filter(|n| n.fault.is_none()) {
        assert_eq!(verdicts[&node.rpc].name(), "healthy", "{}: {:?}", node.id, verdicts[&node.rpc]);
    }

    profile.indexer = Some(dead.parse().unwrap());
    let blind = Relay::start(profile, Identity::ephemeral(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let probe = blind.probe_upstreams().await;
    assert!(probe.iter().any(|l| l.starts_with("indexer") && l.contains("unreachable")), "{probe:?}");
    let client = client::connect(blind.address.clone(), Duration::from_secs(5)).await.expect("dial");
    let err = discover_nodes(&RelayUpstreams(&client)).await.unwrap_err();
    assert!(err.to_string().starts_with("indexer:"), "{err}");
}

/// A devnet whose chain has `heights` heights, its commits signed ahead on a thread of their own.
async fn start_chain(heights: u64) -> Devnet {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(6000), "www".into(), "pkg".into()).with_heights(heights);
    config.cometbft.precompute_in_background();
    Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet")
}

/// The relay forwards CometBFT's answers byte for byte, its errors with their HTTP status and
/// body, and refuses reads outside the routes and ranges the node needs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cometbft_reads_through_the_relay_are_verbatim_and_strict() {
    let devnet = start_chain(30).await;
    let rpc = &devnet.manifest.cometbft.rpc;
    // Commits are signed on first request: a generous deadline.
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(30)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    assert!(info.upstreams.cometbft);
    let direct = |path: String| async move { reqwest::get(format!("{rpc}/{path}")).await.unwrap().bytes().await.unwrap() };
    for read in [RpcRead::status(), RpcRead::commit(5), RpcRead::validators(5, 1), RpcRead::block(7), RpcRead::commit(30)] {
        let CheckResponse::Rpc { answer } = client.send(CheckRequest::Comet(read)).await.unwrap() else { panic!("{read:?}") };
        assert_eq!(answer.get().as_bytes(), &direct(read.path_and_query()).await[..], "{read:?}: the RPC's exact bytes");
        let framed = zg_align::protocol::encode_response(&CheckResponse::Rpc { answer }).len();
        eprintln!("/{}: {framed} bytes on the wire", read.path_and_query());
        assert!(framed < 100_000, "{read:?} is {framed} bytes");
    }
    // CometBFT's refusals come back with their HTTP status and JSON-RPC body.
    let beyond = RpcRead::commit(31);
    let message = refused(client.send(CheckRequest::Comet(beyond)).await.unwrap(), 500);
    assert_eq!(message.as_bytes(), &direct(beyond.path_and_query()).await[..]);
    assert!(message.contains("height 31 must be less than or equal to the current blockchain height 30"), "{message}");
    // Only the routes and parameters the node needs, in range.
    let read = |route, height, page, per_page| CheckRequest::Comet(RpcRead { route, query: RpcQuery { height, page, per_page } });
    assert!(refused(client.send(read(RpcRoute::Validators, Some(5), Some(1), Some(101))).await.unwrap(), 400).contains("per_page"));
    assert!(refused(client.send(read(RpcRoute::Status, Some(5), None, None)).await.unwrap(), 400).contains("height"));
    assert!(refused(client.send(read(RpcRoute::Commit, Some(0), None, None)).await.unwrap(), 400).contains("height"));
    assert!(refused(client.send(read(RpcRoute::Block, Some(5), Some(2), None)).await.unwrap(), 400).contains("page"));

    // A relay with no RPC configured says so.
    let mut profile = relay_profile(&devnet.network, &devnet.url).unwrap();
    profile.cometbft = None;
    let bare = Relay::start(profile, Identity::ephemeral(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = client::connect(bare.address.clone(), Duration::from_secs(5)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    assert!(!info.upstreams.cometbft);
    refused(client.send(CheckRequest::Comet(RpcRead::status())).await.unwrap(), 404);
}

/// The node's validator round through the relay, as the worker runs it: trust from configuration
/// (the manifest stands in for it), skipping to the head, then every height behind it as the
/// sample, evidence read from the blocks that name some. Every fault of the manifest gets its
/// verdict, no honest validator is accused or called unreachable, and the forged slot counts
/// against nobody.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validators_through_the_relay() {
    use zg_align::cometbft::{ChainFollower, EvidenceOutcome, FollowConfig, LivenessPolicy, TrustConfig};
    use zg_align_devnet::cometbft::{SystemClock, FORGED_HEIGHT};
    let devnet = start_chain(30).await;
    let chain = &devnet.manifest.cometbft.chain;
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(30)).await.expect("dial");
    let trust = TrustConfig { chain_id: chain.chain_id.clone(), height: chain.trust_height, hash: chain.trust_hash.clone(), profile: Some(chain.profile.into()), trusting_period_seconds: None };
    let mut follower = ChainFollower::new(&trust, LivenessPolicy::default()).unwrap();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::from_seed([1; 32]);
    let unlimited = FollowConfig { budget_ms: f64::INFINITY, ..FollowConfig::default() };
    let report = follower.follow(&RelayedComet(&client), &SystemClock::default(), &unlimited, &mut rng).await;
    assert_eq!(report.problems, vec![], "{report:?}");
    assert_eq!(report.head, Some(30));
    let mut heights: Vec<u64> = report.verified.iter().map(|b| b.height).collect();
    heights.sort();
    assert_eq!(heights, (1..=30).collect::<Vec<_>>(), "the anchor, the head, and every height between as samples");
    eprintln!("{} light blocks, {:.0} ms of checking", report.light_blocks, report.spent_ms);
    // The forged signature spoils one slot of one commit.
    let forged: Vec<_> = report.verified.iter().flat_map(|b| b.invalid.iter().map(move |s| (b.height, s.address.to_hex()))).collect();
    let victim = chain.faults.iter().find(|f| f.fault == "forged-signature").and_then(|f| f.validator.clone()).unwrap();
    let victim = chain.validators.iter().find(|v| v.id == victim).unwrap();
    assert_eq!(forged, vec![(FORGED_HEIGHT, victim.address.clone())]);
    // Each equivocation comes out of the block that shows it.
    let mut found: Vec<(u64, u64)> = report
        .evidence
        .iter()
        .map(|(block, o)| match o {
            EvidenceOutcome::Equivocation { height, .. } => (*block, *height),
            other => panic!("evidence at {block}: {other:?}"),
        })
        .collect();
    found.sort();
    let expected: Vec<(u64, u64)> = chain.faults.iter().filter(|f| f.fault == "duplicate-vote").map(|f| (f.evidence_height.unwrap(), f.height)).collect();
    assert_eq!(found, expected);
    for row in follower.verdicts() {
        let entry = chain.validators.iter().find(|v| v.address == row.address.to_hex()).expect("a devnet validator");
        assert_eq!(row.status, entry.expected_status(), "{} ({:?}): {row:?}", entry.id, entry.fault);
        assert_eq!(row.invalid, u32::from(entry.id == victim.id), "{}", entry.id);
        assert!(row.evidence.iter().all(|e| e.check().is_ok()));
    }
    // Nothing is left to sample on a chain that does not grow: the next round reads only /status.
    let again = follower.follow(&RelayedComet(&client), &SystemClock::default(), &FollowConfig::default(), &mut rng).await;
    assert_eq!((again.light_blocks, again.verified.len(), again.problems.len()), (0, 0, 0), "{again:?}");
}

#[test]
fn a_relay_for_the_devnet_is_configured_as_for_0g() {
    // The devnet's relay profile parses through the same code as `--network FILE.toml`.
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../relay/profiles/mainnet.toml")).unwrap();
    assert!(zg_align_relay::Profile::from_toml(&text, "mainnet.toml").is_ok());
    let _ = SocketAddr::from(([127, 0, 0, 1], 0));
}
