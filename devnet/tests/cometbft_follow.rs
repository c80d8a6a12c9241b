//! The light verifier follows the devnet's chain over CometBFT's RPC, over real HTTP, as the node
//! would: trust from a configured height and hash, skipping (bisection) to the head, then a pass
//! over every height as its liveness sample, reading evidence from the blocks whose header names
//! some. Every fault in the manifest is found, and no honest validator is accused.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use zg_align::cometbft::*;
use zg_align_devnet::cometbft::{serve, CometChain, Fault, DEFAULT_HEAD, EVIDENCE_DELAY, FORGED_HEIGHT, WEAK_HEIGHT};

fn now() -> Timestamp {
    Timestamp::from_unix_millis(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64)
}

struct Rpc {
    base: String,
    client: reqwest::Client,
    requests: usize,
}

impl Rpc {
    async fn get(&mut self, path: &str) -> Vec<u8> {
        self.requests += 1;
        let response = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        response.bytes().await.unwrap().to_vec()
    }

    /// The light block at `height`: `/commit` and every `/validators` page.
    async fn light_block(&mut self, height: u64, profile: ChainProfile) -> LightBlock {
        let signed_header = decode_commit(&self.get(&format!("/commit?height={height}")).await).unwrap().signed_header;
        let mut pages = SetCollector::default();
        while let Some(page) = pages.next_page() {
            let body = self.get(&format!("/validators?height={height}&page={page}&per_page={MAX_PER_PAGE}")).await;
            pages.add(decode_validators(&body).unwrap()).unwrap();
        }
        LightBlock { signed_header, validators: pages.finish(profile).unwrap(), next_validators: None }
    }
}

async fn start() -> (Arc<CometChain>, SocketAddr) {
    let chain = Arc::new(CometChain::new(DEFAULT_HEAD, ChainProfile::ZG, now()));
    chain.precompute_in_background();
    let (addr, server) = serve(chain.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    tokio::spawn(server);
    (chain, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_light_verifier_finds_every_fault_of_the_devnet_chain_and_accuses_no_honest_validator() {
    let (chain, addr) = start().await;
    let manifest = chain.manifest();
    let mut rpc = Rpc { base: format!("http://{addr}"), client: reqwest::Client::new(), requests: 0 };
    let mut rng = ChaCha20Rng::from_seed([8; 32]);
    let profile = ChainProfile::by_name(manifest.profile).unwrap();

    let status = decode_status(&rpc.get("/status").await).unwrap();
    assert_eq!((status.chain_id.as_str(), status.latest_block_height), (manifest.chain_id.as_str(), DEFAULT_HEAD));

    // Trust from configuration (here the manifest stands in for it).
    let trust_hash = Hash32(hex::decode(&manifest.trust_hash).unwrap().try_into().unwrap());
    let options = TrustOptions::new(&status.chain_id, manifest.trust_height, trust_hash);
    let mut verifier = LightVerifier::new(options, LivenessPolicy::default()).unwrap();
    let anchor = rpc.light_block(manifest.trust_height, profile).await.check(&status.chain_id, &mut rng).unwrap();
    verifier.initialize(&anchor, now()).unwrap();

    // Skipping to the head: few light blocks, the set changes on the way.
    let mut plan = SyncPlan::new(status.latest_block_height);
    let mut fetched = Vec::new();
    loop {
        match plan.next(&verifier) {
            SyncStep::Fetch(h) => {
                fetched.push(h);
                let block = rpc.light_block(h, profile).await;
                plan.submit(&mut verifier, block, now(), &mut rng);
            }
            SyncStep::Done => break,
            SyncStep::Failed(e) => panic!("sync failed: {e} after {fetched:?}"),
        }
    }
    assert_eq!(verifier.latest_height(), Some(DEFAULT_HEAD));
    assert_eq!(verifier.verified_hash(DEFAULT_HEAD), Some(chain.hash(DEFAULT_HEAD)));
    assert!(fetched.len() <= 8, "skipping to the head took {fetched:?}");
    eprintln!("skipped from {} to {DEFAULT_HEAD} with light blocks at {fetched:?} ({} bisections)", manifest.trust_height, plan.bisections);

    // The liveness sample: here every height, each verified from the highest verified below it.
    let empty_evidence = merkle_root::<&[u8]>(&[]).0.to_vec();
    let mut rejected = Vec::new();
    let mut invalid = Vec::new();
    let mut set_changes = 0;
    let mut evidence_outcomes = Vec::new();
    for h in 2..DEFAULT_HEAD {
        let block = rpc.light_block(h, profile).await;
        let report = match block.check(&status.chain_id, &mut rng).and_then(|b| verifier.verify(&b, now())) {
            Ok(report) => report,
            Err(e) => {
                rejected.push((h, e));
                continue;
            }
        };
        set_changes += usize::from(report.next_set_changes);
        invalid.extend(report.invalid.iter().map(|s| (h, s.address)));
        let header = &rpc_header(&mut rpc, h).await;
        if header.evidence_hash != empty_evidence {
            let block = decode_block(&rpc.get(&format!("/block?height={h}")).await).unwrap();
            evidence_outcomes.extend(verifier.check_block_evidence(&block).unwrap().into_iter().map(|o| (h, o)));
        }
    }
    eprintln!("{} RPC requests in all", rpc.requests);

    // The weak commit is refused, as nothing but too little power, and blames nobody.
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0].0, WEAK_HEIGHT);
    assert!(matches!(rejected[0].1, Rejected::InsufficientPower { .. }));
    assert!(manifest.faults.iter().any(|f| f.fault == "below-two-thirds" && f.height == WEAK_HEIGHT));
    // The forged signature is that one slot, the victim the manifest names.
    let forged = manifest.faults.iter().find(|f| f.fault == "forged-signature").unwrap();
    let victim = manifest.validators.iter().find(|v| Some(&v.id) == forged.validator.as_ref()).unwrap();
    assert_eq!(invalid, vec![(FORGED_HEIGHT, Address(hex::decode(&victim.address).unwrap().try_into().unwrap()))]);
    // The set changes every 50 heights (seen from 50, 100 and 150 here; 200 is the head).
    assert_eq!(set_changes, 3);
    // Each equivocation of the manifest comes out of the block that shows it.
    let expected: Vec<(u64, u64)> = manifest.faults.iter().filter(|f| f.fault == "duplicate-vote").map(|f| (f.evidence_height.unwrap(), f.height)).collect();
    let found: Vec<(u64, u64)> = evidence_outcomes
        .iter()
        .map(|(h, o)| match o {
            EvidenceOutcome::Equivocation { height, .. } => (*h, *height),
            other => panic!("evidence at {h}: {other:?}"),
        })
        .collect();
    assert_eq!(found, expected);
    assert!(expected.iter().all(|(block, at)| block - at == EVIDENCE_DELAY));
    assert!(verifier.evidence().iter().all(|e| e.check().is_ok()));

    let by_address: HashMap<String, &zg_align_devnet::cometbft::ValidatorRow> = manifest.validators.iter().map(|v| (v.address.clone(), v)).collect();
    let rows = verifier.verdicts();
    assert_eq!(rows.len(), manifest.validators.len(), "the last epoch's set is every validator");
    for row in &rows {
        let entry = by_address[&row.address.to_hex()];
        assert_eq!(row.status, entry.expected_status(), "{} ({:?}): {row:?}", entry.id, entry.fault);
        assert_eq!(row.evidence.is_empty(), entry.fault != Some(Fault::Equivocating), "{}", entry.id);
    }
}

async fn rpc_header(rpc: &mut Rpc, h: u64) -> Header {
    decode_commit(&rpc.get(&format!("/commit?height={h}")).await).unwrap().signed_header.header
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rpc_answers_as_cometbft_does() {
    let (chain, addr) = start().await;
    let client = reqwest::Client::new();
    let get = |path: String| {
        let client = client.clone();
        async move {
            let response = client.get(format!("http://{addr}{path}")).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();

    let (code, body) = get("/commit?height=10".into()).await;
    assert_eq!(code, 200);
    let v = json(&body);
    assert_eq!((v["jsonrpc"].as_str(), v["id"].as_i64()), (Some("2.0"), Some(-1)));
    assert_eq!(v["result"]["signed_header"]["header"]["height"], "10", "int64 as a string");
    assert_eq!(v["result"]["signed_header"]["commit"]["round"], 0, "int32 as a number");
    assert_eq!(v["result"]["canonical"], true);
    let (_, latest) = get("/commit".into()).await;
    assert_eq!(json(&latest)["result"]["signed_header"]["header"]["height"], DEFAULT_HEAD.to_string());
    assert_eq!(json(&latest)["result"]["canonical"], false, "the latest commit is the node's own");
    // Every answer decodes; the header is the chain's.
    let decoded = decode_commit(body.as_bytes()).unwrap();
    assert_eq!(header_hash(&decoded.signed_header.header), chain.hash(10));

    let (code, body) = get(format!("/commit?height={}", DEFAULT_HEAD + 1)).await;
    assert_eq!(code, 500);
    let e = json(&body);
    assert_eq!(e["error"]["code"], -32603);
    assert_eq!(e["error"]["data"], format!("height {} must be less than or equal to the current blockchain height {DEFAULT_HEAD}", DEFAULT_HEAD + 1));
    assert!(matches!(decode_commit(body.as_bytes()), Err(DecodeError::Rpc { code: -32603, .. })));
    assert_eq!(json(&get("/block?height=0".into()).await.1)["error"]["data"], "height must be greater than 0, but got 0");

    // Pages: 30 by default, at most 100; the page must exist.
    let set_size = chain.set(10).len();
    let page = json(&get("/validators?height=10".into()).await.1);
    assert_eq!(page["result"]["count"], "30");
    assert_eq!(page["result"]["total"], set_size.to_string());
    let big = json(&get("/validators?height=10&per_page=500".into()).await.1);
    assert_eq!(big["result"]["count"], "100");
    assert_eq!(big["result"]["validators"][0]["pub_key"]["type"], "cometbft/PubKeyBls12_381");
    let pages = set_size.div_ceil(30);
    let (code, body) = get(format!("/validators?height=10&page={}", pages + 1)).await;
    assert_eq!(code, 500);
    assert_eq!(json(&body)["error"]["data"], format!("page should be within [1, {pages}] range, given {}", pages + 1));
    let mut collector = SetCollector::default();
    while let Some(p) = collector.next_page() {
        collector.add(decode_validators(get(format!("/validators?height=10&page={p}&per_page=100")).await.1.as_bytes()).unwrap()).unwrap();
    }
    assert_eq!(collector.finish(chain.profile()).unwrap().hash(), chain.set(10).hash());

    let status = decode_status(get("/status".into()).await.1.as_bytes()).unwrap();
    assert_eq!(status.latest_block_hash, chain.hash(DEFAULT_HEAD).0.to_vec());
    let block = decode_block(get("/block?height=17".into()).await.1.as_bytes()).unwrap();
    assert_eq!(block.last_commit.as_ref().unwrap().height, 16);
    assert_eq!(block.header, *chain.header(17));
    let with_evidence = decode_block(get("/block?height=7".into()).await.1.as_bytes()).unwrap();
    assert_eq!(with_evidence.evidence.len(), 1);
    assert_eq!(evidence_hash(&with_evidence.evidence).unwrap().0.to_vec(), with_evidence.header.evidence_hash);
}
