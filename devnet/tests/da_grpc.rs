//! The DA check over 0G's own interfaces, as the relay will drive it: quorums and keys from the
//! DASigners precompile's answers, rows from each signer's gRPC `BatchRetrieve` (tonic's client,
//! the reply's bytes forwarded), proofs from the blobs' encoded slices. Each devnet fault gets its
//! verdict and nobody else is accused over 500 rounds; hostile bytes anywhere give typed errors.

use alloy_primitives::Address;
use futures::future::LocalBoxFuture;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use zg_align::da::signers::{self, QuorumView, RegisteredSigner, DA_SIGNERS};
use zg_align::da::{collect_verdicts, judge, run_retrieve_round_each, CertVerdict, CertifiedBlob, DaVerdict, RetrieveAsk, RetrieveFailure, RetrieveOutcome, RetrievedVerdict};
use zg_align::hash::Hash32;
use zg_align_devnet::da::DaNetwork;
use zg_align_devnet::{da_grpc, evm_da};
use zg_align_proto::prost::Message;
use zg_align_proto::signer::signer_client::SignerClient;

/// One network with its signers serving, for every test of this file (encoding takes seconds).
async fn network() -> (Arc<DaNetwork>, Vec<(String, SocketAddr)>) {
    static NET: OnceLock<Arc<DaNetwork>> = OnceLock::new();
    let da = NET.get_or_init(|| Arc::new(DaNetwork::generate())).clone();
    // Each test has its own runtime: serve on this one.
    let served = da_grpc::serve_signers(da.clone()).await.unwrap();
    (da, served)
}

/// What the relay's `eth_call` returns, through the devnet's precompile.
fn eth_call(da: &DaNetwork, data: Vec<u8>) -> Vec<u8> {
    evm_da::answer_call(da, DA_SIGNERS, &data).expect("the precompile answers").expect("no revert")
}

/// The quorum as the worker reads it from the chain, with this test's sockets.
fn quorum_view(da: &DaNetwork, served: &[(String, SocketAddr)]) -> QuorumView {
    let epoch = signers::decode_epoch_number(&eth_call(da, signers::epoch_number_call())).unwrap();
    assert_eq!(signers::decode_quorum_count(&eth_call(da, signers::quorum_count_call(epoch))).unwrap(), 1);
    let rows = signers::decode_get_quorum(&eth_call(da, signers::get_quorum_call(epoch, 0))).unwrap();
    let distinct = signers::distinct_signers(&rows);
    let mut registered = signers::decode_get_signer(&eth_call(da, signers::get_signer_call(&distinct)), &distinct).unwrap();
    // The precompile names the sockets of the first runtime's servers; use this one's.
    for r in &mut registered {
        let i = da.signers.iter().position(|s| s.address == r.address).unwrap();
        r.socket = served[i].1.to_string();
    }
    QuorumView::new(epoch, 0, &rows, registered).unwrap()
}

/// The relay's call: tonic's client to the signer's socket, the reply re-encoded as bytes.
async fn retrieve(signer: RegisteredSigner, ask: RetrieveAsk) -> RetrieveOutcome {
    let mut client = match SignerClient::connect(format!("http://{}", signer.socket)).await {
        Ok(c) => c.max_decoding_message_size(zg_align::da::retrieve::MAX_REPLY_BYTES),
        Err(e) => return RetrieveOutcome::Transport { message: e.to_string() },
    };
    match client.batch_retrieve(ask.request()).await {
        Ok(reply) => RetrieveOutcome::Reply(reply.into_inner().encode_to_vec()),
        Err(status) => RetrieveOutcome::Status { code: status.code() as i32, message: status.message().to_owned() },
    }
}

fn blobs(da: &DaNetwork) -> Vec<CertifiedBlob> {
    da.map.blobs.iter().map(|b| CertifiedBlob { id: b.id.clone(), cert: b.cert.clone(), transaction: None }).collect()
}

fn id_of(da: &DaNetwork, address: &str) -> String {
    da.signers.iter().find(|s| s.address.to_checksum(None) == address).map(|s| s.id.clone()).unwrap_or_else(|| address.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gets_its_verdict_over_grpc_and_nobody_else_over_500_rounds() {
    let (da, served) = network().await;
    let view = quorum_view(&da, &served);
    let blobs = blobs(&da);
    let proofs = |root: Hash32, rows: Vec<u16>| {
        let da = da.clone();
        async move { rows.iter().map(|&r| da.row_proof(&root, r)).collect::<Vec<_>>() }
    };
    let mut proven = 0usize;
    for round in 0..500u32 {
        let seed = zg_align::hash::keccak256(&round.to_be_bytes()).0;
        let mut got = Vec::new();
        assert!(run_retrieve_round_each(&blobs, std::slice::from_ref(&view), seed, 8, retrieve, proofs, &mut collect_verdicts(&mut got)).await);
        assert_eq!(got.len(), 4 + 8);
        let by_id: BTreeMap<String, &DaVerdict> = got.iter().map(|(id, v)| (id_of(&da, id), v)).collect();
        for b in ["da-blob-0", "da-blob-1"] {
            assert!(matches!(by_id[b], DaVerdict::Cert(CertVerdict::Healthy { signed_rows: 3072 })), "round {round}: {b} {:?}", by_id[b]);
        }
        for b in ["da-blob-2", "da-blob-3"] {
            assert!(matches!(by_id[b], DaVerdict::Cert(CertVerdict::Misbehaving { .. })), "round {round}: {b} {:?}", by_id[b]);
        }
        for i in 0..6 {
            let id = format!("da-signer-{i}");
            match by_id[&id] {
                DaVerdict::Retrieved(RetrievedVerdict::Healthy { rows, proven: p }) => {
                    assert_eq!(rows, p, "round {round}: every row of {id} proven");
                    proven += p;
                }
                other => panic!("round {round}: {id} accused: {other:?}"),
            }
        }
        assert!(
            matches!(by_id["da-signer-6"], DaVerdict::Retrieved(RetrievedVerdict::Unreachable { reason: RetrieveFailure::Lost { .. }, .. })),
            "round {round}: withholding signer {:?}",
            by_id["da-signer-6"]
        );
        assert!(
            matches!(by_id["da-signer-7"], DaVerdict::Retrieved(RetrievedVerdict::Unreachable { reason: RetrieveFailure::BadRow { .. }, .. })),
            "round {round}: altered rows {:?}",
            by_id["da-signer-7"]
        );
        if round == 0 {
            let json = serde_json::to_string(by_id["da-signer-7"]).unwrap();
            assert!(json.contains("localRoot"), "{json}");
        }
    }
    // 6 honest signers, 2 certified blobs, 8 rows each per round.
    assert_eq!(proven, 500 * 6 * 2 * 8);
}

/// A signer that has not answered yet holds back its own verdict only: every other verdict of the
/// round is given while its asks are still out (they wait at a gate the last of those opens).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_signer_holds_back_only_its_own_verdict() {
    let (da, served) = network().await;
    let view = quorum_view(&da, &served);
    let blobs = blobs(&da);
    // The first signer of the quorum: its ask is the first sent.
    let slow = view.signers[0].address;
    let slow_id = id_of(&da, &slow.to_checksum(None));
    let (gate, opened) = tokio::sync::watch::channel(false);
    let retrieve_slowly = |signer: RegisteredSigner, ask: RetrieveAsk| {
        let mut opened = opened.clone();
        async move {
            if signer.address == slow {
                opened.wait_for(|&open| open).await.expect("the gate is kept");
            }
            retrieve(signer, ask).await
        }
    };
    let proofs = |root: Hash32, rows: Vec<u16>| {
        let da = da.clone();
        async move { rows.iter().map(|&r| da.row_proof(&root, r)).collect::<Vec<_>>() }
    };
    let mut given: Vec<String> = Vec::new();
    let mut on_verdict = |id: String, _: DaVerdict| -> LocalBoxFuture<'_, bool> {
        given.push(id_of(&da, &id));
        // 4 blobs and 7 signers: all but the slow one.
        if given.len() == 11 {
            gate.send_replace(true);
        }
        Box::pin(std::future::ready(true))
    };
    let round = run_retrieve_round_each(&blobs, std::slice::from_ref(&view), [5; 32], 8, retrieve_slowly, proofs, &mut on_verdict);
    let complete = tokio::time::timeout(std::time::Duration::from_secs(60), round).await;
    assert_eq!(complete, Ok(true), "the others' verdicts did not come while {slow_id} waited");
    assert_eq!(given.len(), 12, "{given:?}");
    assert_eq!(given.last(), Some(&slow_id), "{given:?}");
    assert_eq!(given.iter().filter(|id| **id == slow_id).count(), 1, "{given:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_signers_answer_refusals_as_0gs_node() {
    let (da, served) = network().await;
    let view = quorum_view(&da, &served);
    let root = da.map.blobs[0].cert.data_root;
    let slots = &da.map.quorums[0].slots;
    let held_by = |s: usize| slots.iter().enumerate().filter(|(_, &x)| x as usize == s).map(|(r, _)| r as u16).collect::<Vec<_>>();
    let signer0 = view.signers.iter().find(|r| r.address == da.signers[0].address).unwrap().clone();
    // A row of another signer: InvalidArgument.
    let ask = RetrieveAsk::new(1, 0, root, vec![held_by(1)[0]]);
    let outcome = retrieve(signer0.clone(), ask.clone()).await;
    assert!(matches!(&outcome, RetrieveOutcome::Status { code: 3, message } if message == "invalid row indexes"), "{outcome:?}");
    assert!(matches!(judge(&ask, outcome, &[]), RetrievedVerdict::Unreachable { reason: RetrieveFailure::Refused { code: 3, .. }, .. }));
    // An unknown quorum or a blob the signer does not have: Internal.
    let outcome = retrieve(signer0.clone(), RetrieveAsk::new(9, 0, root, vec![held_by(0)[0]])).await;
    assert!(matches!(&outcome, RetrieveOutcome::Status { code: 13, .. }), "{outcome:?}");
    let outcome = retrieve(signer0.clone(), RetrieveAsk::new(1, 0, Hash32([9; 32]), vec![held_by(0)[0]])).await;
    assert!(matches!(&outcome, RetrieveOutcome::Status { code: 13, message } if message == "slice is missing"), "{outcome:?}");
    // Its own rows, without proofs: well formed, none proven.
    let ask = RetrieveAsk::new(1, 0, root, held_by(0)[..5].to_vec());
    assert_eq!(judge(&ask, retrieve(signer0.clone(), ask.clone()).await, &[]), RetrievedVerdict::Healthy { rows: 5, proven: 0 });
    // Proofs from another blob, or garbage: set aside, never held against the signer.
    let other = da.map.blobs[1].cert.data_root;
    let wrong: Vec<_> = ask.rows.iter().map(|&r| da.row_proof(&other, r)).collect();
    assert_eq!(judge(&ask, retrieve(signer0.clone(), ask.clone()).await, &wrong), RetrievedVerdict::Healthy { rows: 5, proven: 0 });
    let garbage = vec![Some(vec![1u8; 464]); 5];
    assert_eq!(judge(&ask, retrieve(signer0.clone(), ask.clone()).await, &garbage), RetrievedVerdict::Healthy { rows: 5, proven: 0 });
    // A signer nobody listens for: transport.
    let mut gone = signer0.clone();
    gone.socket = "127.0.0.1:1".into();
    assert!(matches!(retrieve(gone, ask.clone()).await, RetrieveOutcome::Transport { .. }));
    // GetStatus and BatchSign as the devnet says.
    let mut client = SignerClient::connect(format!("http://{}", signer0.socket)).await.unwrap();
    assert_eq!(client.get_status(zg_align_proto::signer::Empty {}).await.unwrap().into_inner().status_code, 200);
    assert_eq!(client.batch_sign(zg_align_proto::signer::BatchSignRequest::default()).await.unwrap_err().code(), tonic::Code::Unimplemented);
}

/// A relay that garbles bytes: any change to an honest reply gives a typed failure or (when the
/// change leaves every row as it was, or hits a row with no proof) a healthy verdict; never a
/// panic, never an accusation. Proofs are given for every row, so a changed row is always caught.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_replies_are_typed_failures() {
    let (da, served) = network().await;
    let view = quorum_view(&da, &served);
    let root = da.map.blobs[0].cert.data_root;
    let slots = &da.map.quorums[0].slots;
    let rows: Vec<u16> = slots.iter().enumerate().filter(|(_, &x)| x == 2).map(|(r, _)| r as u16).take(4).collect();
    let signer = view.signers.iter().find(|r| r.address == da.signers[2].address).unwrap().clone();
    let ask = RetrieveAsk::new(1, 0, root, rows.clone());
    let RetrieveOutcome::Reply(honest) = retrieve(signer, ask.clone()).await else { panic!("an honest reply") };
    let proofs: Vec<_> = ask.rows.iter().map(|&r| da.row_proof(&root, r)).collect();
    assert_eq!(judge(&ask, RetrieveOutcome::Reply(honest.clone()), &proofs), RetrievedVerdict::Healthy { rows: 4, proven: 4 });
    let mut state = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut failures = BTreeMap::new();
    for _ in 0..400 {
        let mut bytes = honest.clone();
        match next() % 4 {
            0 => {
                let i = (next() as usize) % bytes.len();
                bytes[i] ^= 1 << (next() % 8);
            }
            1 => bytes.truncate((next() as usize) % bytes.len()),
            2 => bytes.extend_from_slice(&next().to_le_bytes()),
            _ => {
                let i = (next() as usize) % bytes.len();
                bytes[i] = next() as u8;
            }
        }
        let changed = bytes != honest;
        match judge(&ask, RetrieveOutcome::Reply(bytes), &proofs) {
            RetrievedVerdict::Healthy { .. } => assert!(!changed, "a changed reply judged healthy"),
            RetrievedVerdict::Unreachable { reason, .. } => {
                let kind = serde_json::to_value(&reason).unwrap()["kind"].as_str().unwrap().to_owned();
                *failures.entry(kind).or_insert(0) += 1;
            }
            RetrievedVerdict::Unchecked { .. } => panic!("a signer asked is never left unchecked"),
        }
    }
    assert!(failures.contains_key("badRow") && failures.contains_key("garbled"), "{failures:?}");
}

#[test]
fn bad_precompile_answers_are_typed_errors() {
    static NET: OnceLock<DaNetwork> = OnceLock::new();
    let da = NET.get_or_init(DaNetwork::generate);
    let rows = signers::decode_get_quorum(&eth_call(da, signers::get_quorum_call(1, 0))).unwrap();
    assert_eq!(rows.len(), 3072);
    // Reverts for what the chain does not have.
    assert!(evm_da::answer_call(da, DA_SIGNERS, &signers::get_quorum_call(2, 0)).unwrap().is_err());
    assert!(evm_da::answer_call(da, Address::ZERO, &signers::epoch_number_call()).is_none());
    // The answers, changed one byte at a time at every 7th position: typed errors or values that
    // still decode; never a panic.
    let answer = eth_call(da, signers::get_quorum_call(1, 0));
    let mut errors = 0;
    for i in (0..answer.len()).step_by(7) {
        let mut bad = answer.clone();
        bad[i] ^= 0x80;
        match signers::decode_get_quorum(&bad) {
            Ok(decoded) => assert_eq!(decoded.len(), 3072),
            Err(_) => errors += 1,
        }
    }
    assert!(errors > 0);
    // Before its signers listen, the devnet has no sockets to name: getSigner reverts.
    let distinct = signers::distinct_signers(&rows);
    assert!(evm_da::answer_call(da, DA_SIGNERS, &signers::get_signer_call(&distinct)).unwrap().is_err());
}
