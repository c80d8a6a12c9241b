//! The DA pass through the relay, over a real webrtc-direct connection: certificates read from
//! DAEntrance's events and transactions on the devnet's EVM RPC, quorums from the precompile, rows
//! by `daRetrieve` (the relay's tonic call to each signer's registered socket) and proofs by
//! `daProofs`. Each devnet fault gets its verdict over a few rounds; the relay refuses what the
//! chain does not register. Then a hostile relay: one of the pass's answers changed (cut,
//! flipped, emptied, another status, garbage JSON-RPC) in a few hundred ways: nothing panics, no
//! honest blob or signer is accused, no faulty certificate passes.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::value::RawValue;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};
use zg_align::da::{CertVerdict, DaVerdict, QuorumCert, RetrieveFailure, RetrievedVerdict};
use zg_align::hash::Hash32;
use zg_align::p2p::CheckClient;
use zg_align::protocol::{run_da_pass, CheckRequest, CheckResponse, CheckSender, DaMemory, DaSource, EvmChain, RemoteFailure};
use zg_align::storage::TransportError;
use zg_align_devnet::json_mutation::mutate;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, Devnet};
use zg_align_relay::client;

async fn start() -> (Devnet, CheckClient, DaSource, u64) {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(6000), "www".into(), "pkg".into());
    let devnet = Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet");
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(10)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    assert!(info.upstreams.da);
    let source = info.da.clone().expect("the devnet's relay has DA");
    assert!(source.row_proofs);
    (devnet, client, source, info.max_log_range)
}

/// Verdicts by the manifest's ids (`da-blob-N`, `da-signer-N`).
fn by_manifest_id(devnet: &Devnet, verdicts: Vec<(String, DaVerdict)>) -> BTreeMap<String, DaVerdict> {
    let da = &devnet.manifest.da;
    let names: HashMap<&str, &str> = da.signers.iter().chain(&da.blobs).map(|e| (e.node.as_str(), e.id.as_str())).collect();
    verdicts.into_iter().map(|(node, v)| (names.get(node.as_str()).map_or(node.clone(), |id| id.to_string()), v)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_da_fault_gets_its_verdict_through_the_relay() {
    let (devnet, client, source, max_log_range) = start().await;
    let mut memory = DaMemory::default();
    for round in 0..3u32 {
        let started = Instant::now();
        let seed = zg_align::hash::keccak256(&round.to_be_bytes()).0;
        let verdicts = run_da_pass(&client, &source, max_log_range, &mut memory, seed).await.expect("the chain is readable");
        assert_eq!(verdicts.len(), 4 + 8, "{verdicts:?}");
        let v = by_manifest_id(&devnet, verdicts);
        for b in ["da-blob-0", "da-blob-1"] {
            assert!(matches!(v[b], DaVerdict::Cert(CertVerdict::Healthy { signed_rows: 3072 })), "round {round}: {b} {:?}", v[b]);
        }
        for b in ["da-blob-2", "da-blob-3"] {
            assert!(matches!(v[b], DaVerdict::Cert(CertVerdict::Misbehaving { .. })), "round {round}: {b} {:?}", v[b]);
        }
        if round == 0 {
            certificate_evidence_stands_on_its_own(&v, &zg_align_devnet::da::DaNetwork::generate().map.blobs[0].cert);
        }
        for i in 0..6 {
            let id = format!("da-signer-{i}");
            // Every signer signed both valid certificates: 8 rows of each, every one proven.
            assert!(matches!(v[&id], DaVerdict::Retrieved(RetrievedVerdict::Healthy { rows: 16, proven: 16 })), "round {round}: {id} {:?}", v[&id]);
        }
        assert!(
            matches!(v["da-signer-6"], DaVerdict::Retrieved(RetrievedVerdict::Unreachable { reason: RetrieveFailure::Lost { .. }, .. })),
            "{:?}",
            v["da-signer-6"]
        );
        assert!(
            matches!(v["da-signer-7"], DaVerdict::Retrieved(RetrievedVerdict::Unreachable { reason: RetrieveFailure::BadRow { .. }, .. })),
            "{:?}",
            v["da-signer-7"]
        );
        eprintln!("round {round}: {} ms", started.elapsed().as_millis());
    }

    // What the relay refuses: an account the precompile does not know, too many rows.
    let ask = |signer, rows: Vec<u16>| CheckRequest::DaRetrieve { signer, epoch: 1, quorum_id: 0, data_root: Hash32::ZERO, rows };
    let refused = client.send(ask(alloy_primitives::Address::repeat_byte(7), vec![1])).await.unwrap();
    assert!(matches!(&refused, CheckResponse::Failure(f) if f.code == 403), "{refused:?}");
    let signer = devnet.manifest.da.signers[0].node.parse().unwrap();
    let many = client.send(ask(signer, (0..17).collect())).await.unwrap();
    assert!(matches!(&many, CheckResponse::Failure(f) if f.code == 400), "{many:?}");
    let proofs = client.send(CheckRequest::DaProofs { data_root: Hash32::ZERO, rows: vec![1, 2] }).await.unwrap();
    assert!(matches!(&proofs, CheckResponse::DaProofs { proofs } if proofs == &vec![None, None]), "{proofs:?}");
    // A transaction the chain does not have: the RPC's `null`, forwarded.
    let call = RawValue::from_string(format!(r#"{{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionByHash","params":["0x{}"]}}"#, "11".repeat(32))).unwrap();
    let CheckResponse::Rpc { answer } = client.send(CheckRequest::Evm { chain: EvmChain::Zg, call }).await.unwrap() else { panic!() };
    assert_eq!(serde_json::from_str::<Value>(answer.get()).unwrap()["result"], Value::Null);
}

/// `zg-align-devnet verify evidence` holds both failing certificates from their verdict events
/// alone, the same fault coming out; the valid certificate `valid` put in a failing one's place no
/// longer holds (exit 1); a verdict without its quorum, or a healthy one, is no accusation (2).
fn certificate_evidence_stands_on_its_own(v: &BTreeMap<String, DaVerdict>, valid: &QuorumCert) {
    let dir = tempfile::tempdir().unwrap();
    let verify = |event: &Value| {
        let path = dir.path().join("evidence.json");
        std::fs::write(&path, serde_json::to_vec(event).unwrap()).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zg-align-devnet")).args(["verify", "evidence"]).arg(&path).output().unwrap();
        (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let event = |id: &str| serde_json::json!({ "kind": "da", "node": id, "verdict": v[id] });
    for (id, fault) in [("da-blob-2", "aggregate signature does not verify"), ("da-blob-3", "under the 2/3")] {
        let (code, line) = verify(&event(id));
        assert_eq!(code, 0, "{id}: {line}");
        assert!(line.contains(fault) && !line.contains("another fault") && line.contains("DAEntrance transaction 0x"), "{id}: {line}");
    }
    // A forged signature fails whatever the keys: the quorum is printed, to be compared with the chain.
    let mut keys = event("da-blob-2");
    let signers = keys["verdict"]["evidence"]["quorum"]["signers"].as_array_mut().unwrap();
    signers.swap(0, 1);
    assert_eq!(verify(&keys).0, 0);
    let mut swapped = event("da-blob-3");
    let cert = serde_json::to_value(valid).unwrap();
    for field in ["dataRoot", "epoch", "quorumId"] {
        swapped["verdict"]["evidence"][field] = cert[field].clone();
    }
    swapped["verdict"]["evidence"]["certificate"] = cert;
    let (code, line) = verify(&swapped);
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("holds: 3072 of its quorum's rows signed"), "{line}");
    let mut bare = event("da-blob-3");
    bare["verdict"]["evidence"].as_object_mut().unwrap().remove("quorum");
    assert_eq!(verify(&bare).0, 2);
    assert_eq!(verify(&event("da-blob-0")).0, 2, "a healthy certificate accuses nobody");
}

/// The relay's honest answers, each asked once (then remembered), with the `target`-th request of
/// a pass answered with `change` applied.
struct HostileRelay<'a> {
    relay: &'a CheckClient,
    honest: RefCell<HashMap<String, CheckResponse>>,
    target: usize,
    change: (usize, u8),
    sent: Cell<usize>,
}

impl CheckSender for HostileRelay<'_> {
    async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError> {
        let key = serde_json::to_string(&request).unwrap();
        let known = self.honest.borrow().get(&key).cloned();
        let honest = match known {
            Some(answer) => answer,
            None => {
                let answer = self.relay.send(request).await?;
                self.honest.borrow_mut().insert(key, answer.clone());
                answer
            }
        };
        let n = self.sent.replace(self.sent.get() + 1);
        Ok(if n == self.target { change(honest, self.change) } else { honest })
    }
}

/// One hostile change of an answer.
fn change(answer: CheckResponse, (at, how): (usize, u8)) -> CheckResponse {
    let how = how as usize;
    if how % 16 == 15 {
        return CheckResponse::Failure(RemoteFailure { code: 502, message: "hostile".into() });
    }
    match answer {
        CheckResponse::Rpc { answer } => {
            let doc = mutate(&serde_json::from_str(answer.get()).unwrap(), at, how);
            CheckResponse::Rpc { answer: RawValue::from_string(doc.to_string()).unwrap() }
        }
        CheckResponse::GrpcReply { reply } => match how % 6 {
            0 => CheckResponse::GrpcReply { reply: reply[..reply.len() / 2].to_string() },
            1 => CheckResponse::GrpcReply { reply: String::new() },
            2 => CheckResponse::GrpcReply { reply: flip_char(&reply, at) },
            3 => {
                use base64::Engine;
                let b64 = base64::engine::general_purpose::STANDARD;
                let mut bytes = b64.decode(&reply).unwrap();
                let i = at % bytes.len().max(1);
                if let Some(b) = bytes.get_mut(i) {
                    *b ^= 1 << (how % 8);
                }
                CheckResponse::GrpcReply { reply: b64.encode(bytes) }
            }
            4 => CheckResponse::GrpcStatus { code: (at % 17) as i32, message: "hostile".into() },
            _ => CheckResponse::GrpcReply { reply: reply.repeat(2) },
        },
        CheckResponse::GrpcStatus { code, message } => match how % 3 {
            0 => CheckResponse::GrpcStatus { code: [0, 3, 13, 14, -1, i32::MAX][at % 6], message },
            1 => CheckResponse::GrpcReply { reply: String::new() },
            _ => CheckResponse::GrpcStatus { code, message: "x".repeat(at % 100_000) },
        },
        CheckResponse::DaProofs { proofs } => CheckResponse::DaProofs {
            proofs: match how % 5 {
                0 => vec![],
                1 => vec![None; proofs.len()],
                2 => proofs.iter().map(|p| p.as_ref().map(|p| flip_char(p, at))).collect(),
                3 => proofs.iter().map(|p| p.as_ref().map(|p| p[..p.len() / 2].to_string())).collect(),
                _ => proofs.iter().rev().cloned().collect(),
            },
        },
        other => other,
    }
}

fn flip_char(s: &str, at: usize) -> String {
    if s.is_empty() {
        return "!".into();
    }
    let i = at % s.len();
    let mut out = s.to_string();
    let c = if &s[i..=i] == "A" { "B" } else { "A" };
    out.replace_range(i..=i, c);
    out
}



#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_relay_never_makes_the_honest_misbehaving() {
    let (devnet, client, source, max_log_range) = start().await;
    let seed = [7u8; 32];
    let names = |verdicts| by_manifest_id(&devnet, verdicts);
    // The honest pass, which remembers every answer.
    let mut relay = HostileRelay { relay: &client, honest: RefCell::new(HashMap::new()), target: usize::MAX, change: (0, 0), sent: Cell::new(0) };
    let honest = names(run_da_pass(&relay, &source, max_log_range, &mut DaMemory::default(), seed).await.unwrap());
    let requests = relay.sent.get();
    assert!(requests > 30, "{requests} requests in a pass");
    let started = Instant::now();
    let mut rng = ChaCha20Rng::from_seed([3; 32]);
    let (mut differed, mut failed) = (0, 0);
    for case in 0..300 {
        relay.target = case % requests;
        relay.change = (rng.next_u64() as usize, rng.next_u32() as u8);
        relay.sent.set(0);
        let Ok(verdicts) = run_da_pass(&relay, &source, max_log_range, &mut DaMemory::default(), seed).await else {
            failed += 1;
            continue;
        };
        let v = names(verdicts);
        differed += (v != honest) as usize;
        for (id, verdict) in &v {
            let faulty_blob = ["da-blob-2", "da-blob-3"].contains(&id.as_str());
            match verdict {
                DaVerdict::Cert(CertVerdict::Misbehaving { .. }) => assert!(faulty_blob, "case {case} {:?}: {id} accused: {verdict:?}", relay.change),
                DaVerdict::Cert(CertVerdict::Healthy { .. }) => assert!(!faulty_blob, "case {case} {:?}: {id} passed: {verdict:?}", relay.change),
                DaVerdict::Cert(CertVerdict::Unchecked { .. } | CertVerdict::Unverifiable { .. }) | DaVerdict::Retrieved(_) => {}
            }
        }
    }
    eprintln!("300 hostile passes in {} ms: {differed} changed a verdict, {failed} found nothing to check", started.elapsed().as_millis());
    assert!(differed > 30, "the changes reach the verdicts ({differed} of 300)");
}
