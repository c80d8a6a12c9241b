//! The storage check, run natively against a devnet served in this process: honest nodes are
//! healthy, each faulty node gets its verdict with the right evidence, no honest node is ever
//! reported misbehaving.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;
use zg_align::storage::{
    run_storage_check, ProofError, SamplingPolicy, SegmentFault, StorageCheck, StorageVerdict, TransportError,
    UnreachableReason,
};
use zg_align_devnet::files;
use zg_align_devnet::manifest::Manifest;
use zg_align_devnet::rpc_client::HttpTransport;
use zg_align_devnet::server::{bind, storage_nodes, DevnetConfig};

/// Generous for a loaded machine; the slow node answers only after 2.5 times as long.
const CHECK_TIMEOUT: Duration = Duration::from_millis(2000);

async fn start_devnet() -> Manifest {
    let config = DevnetConfig {
        files: files::generated(),
        slow: Duration::from_millis(5000),
        www: "www".into(),
        pkg: "pkg".into(),
        validators: std::sync::Arc::new(zg_align_devnet::validators::ValidatorChain::new(8)),
    };
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (manifest, _, server) = bind(&config, addr, storage_nodes(&config), None).await.expect("bind");
    tokio::spawn(server);
    manifest
}

fn seed(n: u64) -> [u8; 32] {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&n.to_le_bytes());
    s
}

/// Every (node, file) verdict, by node id.
async fn check_all(manifest: &Manifest, round: u64) -> HashMap<String, Vec<StorageVerdict>> {
    let mut out: HashMap<String, Vec<StorageVerdict>> = HashMap::new();
    for node in &manifest.storage {
        let transport = HttpTransport::new(node.rpc.clone(), CHECK_TIMEOUT);
        for (i, file) in manifest.files.iter().enumerate() {
            let check = StorageCheck::new(file.root, file.size, &SamplingPolicy::default(), seed(round * 100 + i as u64)).unwrap();
            out.entry(node.id.clone()).or_default().push(run_storage_check(check, &transport).await);
        }
    }
    out
}

fn fault_of<'a>(manifest: &'a Manifest, fault: &str) -> &'a str {
    &manifest.storage.iter().find(|n| n.fault == Some(fault)).expect("devnet plays this fault").id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verdicts_match_each_devnet_node() {
    let manifest = start_devnet().await;
    let verdicts = check_all(&manifest, 0).await;

    for node in manifest.storage.iter().filter(|n| n.fault.is_none()) {
        for v in &verdicts[&node.id] {
            assert!(matches!(v, StorageVerdict::Healthy { samples, .. } if *samples > 0), "{}: {v:?}", node.id);
        }
    }

    // corrupt: one flipped byte; every file's middle segment, caught by its data hash.
    for v in &verdicts[fault_of(&manifest, "corrupt")] {
        let StorageVerdict::Misbehaving { evidence } = v else { panic!("corrupt node: {v:?}") };
        let file = manifest.files.iter().find(|f| f.root == evidence.root).unwrap();
        let segments = file.size.div_ceil(256 * 1024);
        assert_eq!(evidence.index, segments / 2);
        assert!(matches!(evidence.fault, SegmentFault::Proof(ProofError::LeafMismatch { .. })), "{evidence:?}");
    }

    // wrong-index: segment i answered with segment i+1's data and proof (a one-segment file has no other).
    for (file, v) in manifest.files.iter().zip(&verdicts[fault_of(&manifest, "wrong-index")]) {
        if file.size <= 256 * 1024 {
            assert!(matches!(v, StorageVerdict::Healthy { .. }), "{v:?}");
            continue;
        }
        let StorageVerdict::Misbehaving { evidence } = v else { panic!("wrong-index node: {v:?}") };
        assert!(
            matches!(
                evidence.fault,
                SegmentFault::Proof(ProofError::PositionMismatch { .. }) | SegmentFault::DataLength { .. }
            ),
            "{evidence:?}"
        );
    }

    // withhold: null for odd segments is no evidence: unreachable, never misbehaving.
    for (file, v) in manifest.files.iter().zip(&verdicts[fault_of(&manifest, "withhold")]) {
        if file.size <= 256 * 1024 {
            assert!(matches!(v, StorageVerdict::Healthy { .. }), "{v:?}");
        } else {
            assert!(
                matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Withheld { index }, .. } if index % 2 == 1),
                "{v:?}"
            );
        }
    }

    // slow: answers after the check's time-out: unreachable.
    for v in &verdicts[fault_of(&manifest, "slow")] {
        assert!(
            matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Transport { error: TransportError::Timeout { .. }, .. }, .. }),
            "{v:?}"
        );
    }

    // Node-level verdicts.
    let node_verdict = |fault: &str| StorageVerdict::combine(verdicts[fault_of(&manifest, fault)].clone()).unwrap().name();
    assert_eq!(node_verdict("corrupt"), "misbehaving");
    assert_eq!(node_verdict("wrong-index"), "misbehaving");
    assert_eq!(node_verdict("withhold"), "unreachable");
    assert_eq!(node_verdict("slow"), "unreachable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honest_nodes_are_never_accused_over_many_rounds() {
    let manifest = start_devnet().await;
    let honest: Vec<_> = manifest.storage.iter().filter(|n| n.fault.is_none()).collect();
    assert!(honest.len() >= 2);
    for round in 1..=20u64 {
        for node in &honest {
            let transport = HttpTransport::new(node.rpc.clone(), Duration::from_secs(5));
            for (i, file) in manifest.files.iter().enumerate() {
                // A lighter policy samples different subsets each round.
                let policy = SamplingPolicy { lost_fraction: 0.2, detection: 0.9 };
                let check = StorageCheck::new(file.root, file.size, &policy, seed(round * 1000 + i as u64)).unwrap();
                let v = run_storage_check(check, &transport).await;
                assert_eq!(v.name(), "healthy", "round {round} {}: {v:?}", node.id);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_is_not_there_is_unreachable() {
    // Bind then drop a listener: nothing answers on that port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let transport = HttpTransport::new(format!("http://127.0.0.1:{port}/storage/storage-0"), CHECK_TIMEOUT);
    let file = &files::generated()[1];
    let check = StorageCheck::new(file.tree.root(), file.data.len() as u64, &SamplingPolicy::default(), seed(9)).unwrap();
    let v = run_storage_check(check, &transport).await;
    assert!(
        matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Transport { error: TransportError::Connect { .. }, .. }, .. }),
        "{v:?}"
    );
}
