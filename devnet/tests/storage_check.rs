//! The storage check, run natively against the devnet's 0G endpoints over plain HTTP (no relay):
//! files from the Flow contract's Submit logs, nodes from the indexer, each node sampled within its
//! shard. Honest sharded nodes are healthy, each faulty node gets its verdict with the right
//! evidence, no honest node is ever reported misbehaving.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;
use zg_align::storage::{
    discover_files, discover_nodes, run_storage_check, run_storage_pass, PassConfig, ProofError, RoundFile, SamplingPolicy, SegmentFault,
    StorageCheck, StorageVerdict, TransportError, UncheckedReason, UnreachableReason,
};
use zg_align_devnet::rpc_client::{HttpTransport, HttpUpstreams};
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, Devnet};

/// Generous for a loaded machine; the slow node answers only after 2.5 times as long.
const CHECK_TIMEOUT: Duration = Duration::from_millis(2000);

async fn start_devnet() -> Devnet {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(5000), "www".into(), "pkg".into());
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    Devnet::start(config, addr).await.expect("devnet starts")
}

fn upstreams(devnet: &Devnet) -> HttpUpstreams {
    HttpUpstreams::new(devnet.manifest.indexer.clone(), devnet.manifest.evm.clone(), CHECK_TIMEOUT)
}

fn seed(n: u64) -> [u8; 32] {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&n.to_le_bytes());
    s
}

/// One whole pass: node URL -> verdict.
async fn pass(devnet: &Devnet, round: u64, config: &PassConfig) -> (Vec<RoundFile>, HashMap<String, StorageVerdict>) {
    let up = upstreams(devnet);
    let nodes = discover_nodes(&up).await.expect("indexer answers");
    let files = discover_files(&up, &devnet.relay.service.info().flow.unwrap(), &nodes, &[], config).await.expect("chain answers");
    let mut n = round * 1000;
    let mut out = HashMap::new();
    let complete = run_storage_pass(&up, &files, &nodes, config, || { n += 1; Some(seed(n)) }, || async { true }, |url, v| {
        assert!(out.insert(url.to_string(), v).is_none(), "one verdict per node");
    })
    .await;
    assert!(complete);
    (files, out)
}

/// `zg-align-devnet verify evidence` holds the accusation from the verdict event alone, and not
/// once the node's answer in it is changed.
fn evidence_stands_on_its_own(url: &str, verdict: &StorageVerdict) {
    let dir = tempfile::tempdir().unwrap();
    let verify = |event: &serde_json::Value| {
        let path = dir.path().join("verdict.json");
        std::fs::write(&path, event.to_string()).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zg-align-devnet")).args(["verify", "evidence"]).arg(&path).output().unwrap();
        (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let event = serde_json::json!({"kind": "storage", "node": url, "verdict": verdict});
    let (code, line) = verify(&event);
    assert_eq!(code, 0, "{url}: {line}");
    assert!(line.contains("fails"), "{line}");
    let mut changed = event.clone();
    let answer = changed["verdict"]["evidence"]["answer"].as_str().unwrap().replacen("\"result\"", "\"result\" ", 1);
    changed["verdict"]["evidence"]["answer"] = answer.into();
    assert_eq!(verify(&changed).0, 1, "a changed answer no longer matches the verdict's hash");
    assert_eq!(verify(&serde_json::json!({"kind": "storage"})).0, 2);
}

fn url_of<'a>(devnet: &'a Devnet, fault: Option<&str>) -> Vec<&'a str> {
    devnet.manifest.storage.iter().filter(|n| n.fault == fault).map(|n| n.rpc.as_str()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pass_finds_files_and_nodes_and_judges_each_node() {
    let devnet = start_devnet().await;
    // Requests time out after CHECK_TIMEOUT (the slow node misses it); a whole file check may take
    // longer on a loaded machine.
    let config = PassConfig { check_timeout: Duration::from_secs(60), ..PassConfig::default() };
    let (files, verdicts) = pass(&devnet, 0, &config).await;
    // Every file of the flow, from the chain's own record.
    assert_eq!(files.len(), devnet.manifest.files.len());
    for f in &devnet.manifest.files {
        let found = files.iter().find(|r| r.root == f.flow.root).expect("each submitted file is found");
        assert_eq!(found.flow.as_ref(), Some(&f.flow));
    }
    assert_eq!(verdicts.len(), devnet.manifest.storage.len(), "{verdicts:?}");
    for url in url_of(&devnet, None) {
        assert!(matches!(&verdicts[url], StorageVerdict::Healthy { samples, .. } if *samples > 0), "{url}: {:?}", verdicts[url]);
    }
    for fault in ["corrupt", "wrong-index"] {
        let url = url_of(&devnet, Some(fault))[0];
        assert_eq!(verdicts[url].name(), "misbehaving", "{fault}: {:?}", verdicts[url]);
        evidence_stands_on_its_own(url, &verdicts[url]);
    }
    let withhold = url_of(&devnet, Some("withhold"))[0];
    assert!(matches!(verdicts[withhold], StorageVerdict::Unreachable { reason: UnreachableReason::Withheld { .. }, .. }), "{:?}", verdicts[withhold]);
    let slow = url_of(&devnet, Some("slow"))[0];
    assert_eq!(verdicts[slow].name(), "unreachable", "{:?}", verdicts[slow]);
}

/// Each (node, file) check alone, sampled within the node's shard, with its evidence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_file_on_each_node_gets_its_evidence() {
    let devnet = start_devnet().await;
    let m = &devnet.manifest;
    let mut verdicts: HashMap<String, Vec<StorageVerdict>> = HashMap::new();
    for node in &m.storage {
        let transport = HttpTransport::new(node.rpc.clone(), CHECK_TIMEOUT);
        for (i, file) in m.files.iter().enumerate() {
            let f = &file.flow;
            let check = StorageCheck::in_shard(f.root, f.size, node.shard, f.start_entry_index, &SamplingPolicy::default(), seed(i as u64)).unwrap();
            verdicts.entry(node.id.clone()).or_default().push(run_storage_check(check, &transport).await);
        }
    }
    let verdicts = &verdicts;
    let by_fault = |fault: Option<&'static str>| m.storage.iter().filter(move |n| n.fault == fault).map(move |n| &verdicts[&n.id]);
    // The honest nodes hold half of each file each: healthy where their shard has segments of it,
    // unchecked where it has none (the one-chunk file sits in one segment).
    for node_verdicts in by_fault(None) {
        for v in node_verdicts {
            assert!(
                matches!(v, StorageVerdict::Healthy { samples, .. } if *samples > 0)
                    || matches!(v, StorageVerdict::Unchecked { reason: UncheckedReason::NotInShard, .. }),
                "{v:?}"
            );
        }
    }
    let unchecked = by_fault(None).flatten().filter(|v| v.name() == "unchecked").count();
    assert_eq!(unchecked, 1, "exactly one honest shard holds no segment of the one-chunk file");
    // corrupt: one flipped byte in every file's middle segment, caught by its data hash.
    for v in by_fault(Some("corrupt")).flatten() {
        let StorageVerdict::Misbehaving { evidence } = v else { panic!("corrupt node: {v:?}") };
        let file = m.files.iter().find(|f| f.flow.root == evidence.root).unwrap();
        assert_eq!(evidence.index, file.flow.size.div_ceil(256 * 1024) / 2);
        assert!(matches!(evidence.fault, SegmentFault::Proof(ProofError::LeafMismatch { .. })), "{evidence:?}");
    }
    // wrong-index: segment i answered with segment i+1's data and proof (a one-segment file has no other).
    for (file, v) in m.files.iter().zip(by_fault(Some("wrong-index")).flatten()) {
        if file.flow.size <= 256 * 1024 {
            assert!(matches!(v, StorageVerdict::Healthy { .. }), "{v:?}");
            continue;
        }
        let StorageVerdict::Misbehaving { evidence } = v else { panic!("wrong-index node: {v:?}") };
        assert!(matches!(evidence.fault, SegmentFault::Proof(ProofError::PositionMismatch { .. }) | SegmentFault::DataLength { .. }), "{evidence:?}");
    }
    // withhold: null for odd segments is no evidence: unreachable, never misbehaving.
    for (file, v) in m.files.iter().zip(by_fault(Some("withhold")).flatten()) {
        if file.flow.size <= 256 * 1024 {
            assert!(matches!(v, StorageVerdict::Healthy { .. }), "{v:?}");
        } else {
            assert!(matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Withheld { index }, .. } if index % 2 == 1), "{v:?}");
        }
    }
    // slow: answers after the check's time-out: unreachable.
    for v in by_fault(Some("slow")).flatten() {
        assert!(matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Transport { error: TransportError::Timeout { .. }, .. }, .. }), "{v:?}");
    }
}

/// A sharded node asked for a segment outside its shard answers null, as 0G's do: the check must
/// never ask it (else an honest node would look withholding).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sharded_nodes_answer_null_outside_their_shard() {
    let devnet = start_devnet().await;
    let node = devnet.manifest.storage.iter().find(|n| n.fault.is_none() && n.shard.num_shard == 2).unwrap();
    let file = devnet.manifest.files.iter().find(|f| f.flow.size > 2 * 256 * 1024).unwrap();
    let transport = HttpTransport::new(node.rpc.clone(), CHECK_TIMEOUT);
    let outside = (0..3).find(|&i| !node.shard.holds(file.flow.start_entry_index, i)).unwrap();
    let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"zgs_downloadSegmentWithProof","params":["{}",{outside}]}}"#, file.flow.root);
    use zg_align::storage::JsonRpcTransport;
    let answer = transport.post(body.into_bytes(), 1 << 20).await.unwrap();
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&answer).unwrap()["result"], serde_json::Value::Null);
    let past = file.flow.size.div_ceil(256 * 1024);
    let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"zgs_downloadSegmentWithProof","params":["{}",{past}]}}"#, file.flow.root);
    let answer: serde_json::Value = serde_json::from_slice(&transport.post(body.into_bytes(), 1 << 20).await.unwrap()).unwrap();
    assert_eq!(answer["error"], serde_json::json!({"code": -32602, "message": "Invalid params: index", "data": "index out of bound"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honest_nodes_are_never_accused_over_many_rounds() {
    let devnet = start_devnet().await;
    let honest: Vec<_> = devnet.manifest.storage.iter().filter(|n| n.fault.is_none()).collect();
    assert!(honest.len() >= 2);
    for round in 1..=20u64 {
        for node in &honest {
            let transport = HttpTransport::new(node.rpc.clone(), Duration::from_secs(5));
            for (i, file) in devnet.manifest.files.iter().enumerate() {
                // A lighter policy samples different subsets each round.
                let policy = SamplingPolicy { lost_fraction: 0.2, detection: 0.9 };
                let f = &file.flow;
                let check = StorageCheck::in_shard(f.root, f.size, node.shard, f.start_entry_index, &policy, seed(round * 1000 + i as u64)).unwrap();
                let v = run_storage_check(check, &transport).await;
                assert!(matches!(v.name(), "healthy" | "unchecked"), "round {round} {}: {v:?}", node.id);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_is_not_there_is_unreachable() {
    // Bind then drop a listener: nothing answers on that port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let transport = HttpTransport::new(format!("http://127.0.0.1:{port}/"), CHECK_TIMEOUT);
    let file = &files::generated()[1];
    let check = StorageCheck::new(file.tree.root(), file.data.len() as u64, &SamplingPolicy::default(), seed(9)).unwrap();
    let v = run_storage_check(check, &transport).await;
    assert!(matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Transport { error: TransportError::Connect { .. }, .. }, .. }), "{v:?}");
}

/// An owner's root is found on the chain through its submission's identity (from a node's file
/// info, folded back to the root first); a root no node knows is listed as not found, unchecked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owner_roots_are_found_through_their_submission() {
    let devnet = start_devnet().await;
    let up = upstreams(&devnet);
    let nodes = discover_nodes(&up).await.unwrap();
    let config = PassConfig { recent_files: 1, ..PassConfig::default() };
    let m = &devnet.manifest;
    let oldest = &m.files[0].flow;
    let unknown = zg_align::Hash32([7; 32]);
    let flow = devnet.relay.service.info().flow.unwrap();
    let files = discover_files(&up, &flow, &nodes, &[oldest.root, unknown, m.files.last().unwrap().flow.root], &config).await.unwrap();
    let summary: Vec<_> = files.iter().map(|f| (f.root, f.source, f.flow.clone())).collect();
    assert_eq!(
        summary,
        vec![
            (m.files.last().unwrap().flow.root, "recent", Some(m.files.last().unwrap().flow.clone())),
            (oldest.root, "owner", Some(oldest.clone())),
            (unknown, "owner", None),
        ]
    );
}
