//! `/zg-align/check/1` over a real webrtc-direct connection to the devnet: the network map, zgs
//! relays for every storage node (the same verdicts as over HTTP), echoes, and refusals.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use zg_align::protocol::{CheckRequest, CheckResponse, CheckSender, RelayedZgs};
use zg_align::storage::{run_storage_check, SamplingPolicy, StorageCheck, StorageVerdict};
use zg_align_devnet::files;
use zg_align_devnet::p2p::{self, Network};
use zg_align_devnet::p2p_client;
use zg_align_devnet::server::{storage_nodes, DevnetConfig};

async fn start() -> (Network, libp2p::Multiaddr) {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(6000), "www".into(), "pkg".into());
    let nodes = storage_nodes(&config);
    let network = Network::new(&config, nodes);
    let shared = Arc::new(Network::new(&config, network.storage.clone()));
    let ip: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (address, _task) = p2p::start(shared, ip.ip()).await.expect("listen");
    (network, address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_checks_over_libp2p_match_the_faults() {
    let (network, address) = start().await;
    let client = p2p_client::connect(address, Duration::from_millis(3000)).await.expect("dial");
    let CheckResponse::Network(map) = client.send(CheckRequest::Network).await.unwrap() else { panic!("network map") };
    assert_eq!(map, network.map);

    for node in &network.storage {
        let relay = RelayedZgs { sender: &client, node: node.id.clone() };
        let mut verdicts = Vec::new();
        for (i, file) in map.files.iter().enumerate() {
            let check = StorageCheck::new(file.root, file.size, &SamplingPolicy::default(), [i as u8 + 1; 32]).unwrap();
            verdicts.push(run_storage_check(check, &relay).await);
        }
        let verdict = StorageVerdict::combine(verdicts).unwrap();
        let expected = match node.fault.map(|f| f.name()) {
            None => "healthy",
            Some("corrupt") | Some("wrong-index") => "misbehaving",
            Some("withhold") | Some("slow") => "unreachable",
            Some(other) => panic!("unknown fault {other}"),
        };
        assert_eq!(verdict.name(), expected, "{}: {verdict:?}", node.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_and_refusals() {
    let (_, address) = start().await;
    let client = p2p_client::connect(address, Duration::from_secs(5)).await.expect("dial");
    for len in [0u32, 1024, 256 * 1024] {
        let CheckResponse::Echo { data } = client.send(CheckRequest::Echo { len }).await.unwrap() else { panic!() };
        assert_eq!(data.len(), len as usize);
    }
    let refused = client.send(CheckRequest::Echo { len: 10 << 20 }).await.unwrap();
    assert!(matches!(refused, CheckResponse::Failure(f) if f.code == 413));
    let call = serde_json::value::RawValue::from_string(r#"{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus","params":[]}"#.into()).unwrap();
    let unknown = client.send(CheckRequest::Zgs { node: "storage-99".into(), call }).await.unwrap();
    assert!(matches!(unknown, CheckResponse::Failure(f) if f.code == 404));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validator_commits_over_libp2p() {
    use zg_align::validator::{LightVerifier, LivenessPolicy, ValidatorStatus, MAX_BLOCKS_PER_PAGE};
    let (network, address) = start().await;
    // Pages are signed on first request: a generous deadline.
    let client = p2p_client::connect(address, Duration::from_secs(30)).await.expect("dial");
    let CheckResponse::Network(map) = client.send(CheckRequest::Network).await.unwrap() else { panic!("network map") };
    let info = map.validators.expect("validators in the network map");
    let mut verifier = LightVerifier::new(&info.chain_id, &info.anchor, LivenessPolicy::default()).unwrap();
    let mut rng = <rand_chacha::ChaCha20Rng as rand_chacha::rand_core::SeedableRng>::from_seed([1; 32]);
    let mut from = 1;
    let mut largest = 0;
    while from <= info.head {
        let CheckResponse::Commits(page) = client.send(CheckRequest::Commits { from, count: u32::MAX }).await.unwrap() else {
            panic!("commits")
        };
        assert_eq!(page.blocks.len() as u64, (info.head + 1 - from).min(MAX_BLOCKS_PER_PAGE as u64));
        largest = largest.max(zg_align::protocol::encode_response(&CheckResponse::Commits(page.clone())).len());
        from += page.blocks.len() as u64;
        verifier.process_page(&page, &mut rng);
    }
    assert_eq!(verifier.trusted_height(), info.head);
    assert!(largest < zg_align::protocol::MAX_RESPONSE_BYTES, "{largest} bytes");
    println!("largest commits page: {largest} bytes");
    let faults: std::collections::HashMap<_, _> =
        network.validators.manifest_validators().into_iter().map(|v| (v.pub_key, v.fault)).collect();
    for row in verifier.verdicts() {
        let expected = match faults[&row.validator] {
            None => ValidatorStatus::Healthy,
            Some("offline") => ValidatorStatus::Offline,
            Some("slow") => ValidatorStatus::Lagging,
            Some(_) => ValidatorStatus::Misbehaving,
        };
        assert_eq!(row.status, expected, "{row:?}");
    }
}
