//! A hostile relay: the devnet's honest answers (the indexer's node list, the chain's Submit logs,
//! storage nodes' status, shard and file info, the chain's CometBFT answers), framed as on the wire, with one JSON value changed at random
//! (numbers pushed to extremes, strings cut, emptied, repeated or with a hex digit flipped, arrays
//! emptied, repeated or cut, fields dropped, the message's type tag too). Whatever the peer sends,
//! the node's decoder refuses it with a typed error or the checks run to verdicts: nothing panics.
//! In the worker a panic would stop the node for good, so this is the property that keeps a
//! hostile peer from switching our node off.
//!
//! And the memory it costs: the same answers with one value blown up to the relay's frame cap (a
//! list of a hundred thousand copies of it, of zeros, nesting as deep as the bytes allow, a string
//! of them) are decoded and run through the round with a counting allocator, and the heap they
//! take stays under [`PEAK_FACTOR`] times the answer's bytes plus [`PEAK_SLACK`] over an honest
//! round's.

use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use zg_align::cometbft::{ChainFollower, CometRpc, FollowConfig, LivenessPolicy, RpcRead, TrustConfig, ValidatorStatus};
use zg_align::counting_alloc::{peak_during, CountingAllocator};
use zg_align::protocol::MAX_RESPONSE_BYTES;
use zg_align::protocol::{decode_payload, CheckResponse};
use zg_align::storage::rpc::{parse_response, FileInfo, ShardConfig, Status, MAX_SMALL_RESPONSE_BYTES};
use zg_align::storage::{decode_submit, SamplingPolicy, StorageCheck, TransportError};
use zg_align_devnet::cometbft::{CometChain, SystemClock};
use zg_align_devnet::files;
use zg_align_devnet::flow::FLOW_CONTRACT;
use zg_align_devnet::json_mutation::{inflate, mutate};
use zg_align_devnet::server::DevnetConfig;

#[global_allocator]
static ALLOCATOR: CountingAllocator<std::alloc::System> = CountingAllocator::new(std::alloc::System);

/// Heap a blown-up answer may cost per byte of it, over what the honest answer costs: the
/// decoders alone take at most 4 (crate/tests/bounded_memory.rs); the round holds the answer's
/// text twice on the way (the frame's `answer`, then each log's own text) and a parser's error
/// quotes the string it refused (a megabyte-long one, before it is cut to 300 characters)...
const PEAK_FACTOR: usize = 6;
/// ...plus this much.
const PEAK_SLACK: usize = 256 << 10;

/// The devnet's honest storage answers, as the relay frames them.
struct Devnet {
    /// The honest JSON-RPC answers of the storage side, each as `{"type":"rpc","body":{"answer":..}}`.
    storage_docs: Vec<(&'static str, Value)>,
}

/// One devnet for every case: generating its keys and chain is the slow part.
fn devnet() -> &'static Devnet {
    static DEVNET: OnceLock<Devnet> = OnceLock::new();
    DEVNET.get_or_init(|| {
        let config = DevnetConfig::new(files::generated(), Duration::from_millis(1), "www".into(), "pkg".into());
        let storage_docs = runtime().block_on(storage_answers(&config));
        Devnet { storage_docs }
    })
}

/// The devnet's honest answers to what a storage round asks, fetched over HTTP once.
async fn storage_answers(config: &DevnetConfig) -> Vec<(&'static str, Value)> {
    let devnet = zg_align_devnet::Devnet::start(config.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let m = &devnet.manifest;
    let client = reqwest::Client::new();
    let ask = |url: String, body: Vec<u8>| {
        let client = client.clone();
        async move { serde_json::from_slice::<Value>(&client.post(url).body(body).send().await.unwrap().bytes().await.unwrap()).unwrap() }
    };
    let file = &m.files[2].flow;
    let node = &m.storage[0].rpc;
    let call = |method: &str, params: Value| zg_align::storage::rpc::request_body(1, method, params);
    let rpc = |answer: Value| json!({"type": "rpc", "body": {"answer": answer}});
    let topic = zg_align::storage::flow::submit_topic();
    vec![
        ("nodes", rpc(ask(m.indexer.clone(), zg_align::storage::indexer::sharded_nodes_body(1)).await)),
        ("logs", rpc(ask(m.evm.clone(), zg_align::evm::get_logs_body(1, FLOW_CONTRACT, 0, 1000, &[Some(topic)])).await)),
        ("status", rpc(ask(node.clone(), call("zgs_getStatus", json!([]))).await)),
        ("shard", rpc(ask(node.clone(), call("zgs_getShardConfig", json!([]))).await)),
        ("fileInfo", rpc(ask(node.clone(), call("zgs_getFileInfo", json!([file.root, true]))).await)),
    ]
}

/// Reads one storage answer as the storage round does, and runs what it drives.
fn check_storage_answer(what: &str, answer: &[u8]) {
    match what {
        "nodes" => {
            let _ = zg_align::storage::indexer::parse_sharded_nodes(answer, 1);
        }
        "logs" => {
            for log in zg_align::evm::parse_logs(answer, 1).unwrap_or_default() {
                if let Ok(file) = decode_submit(&log, FLOW_CONTRACT) {
                    let shard = ShardConfig::new(1, 2).unwrap();
                    if let Ok(mut check) = StorageCheck::in_shard(file.root, file.size, shard, file.start_entry_index, &SamplingPolicy::default(), [1; 32]) {
                        while let Some(request) = check.next_request() {
                            check.on_answer(&request, Err(TransportError::Timeout { ms: 1 }));
                        }
                        assert!(check.verdict().is_some_and(|v| matches!(v.name(), "unreachable" | "unchecked")), "no answer is never worse");
                    }
                }
            }
        }
        "status" => {
            let _ = parse_response::<Status>(answer, 1, MAX_SMALL_RESPONSE_BYTES);
        }
        "shard" => {
            if let Ok(Some(shard)) = parse_response::<ShardConfig>(answer, 1, MAX_SMALL_RESPONSE_BYTES) {
                if let Ok(shard) = shard.validated() {
                    let held = shard.file_segments(u64::MAX, u64::MAX);
                    assert!(held.count <= u64::MAX / shard.num_shard + 1);
                }
            }
        }
        _ => {
            if let Ok(Some(info)) = parse_response::<FileInfo>(answer, 1, MAX_SMALL_RESPONSE_BYTES) {
                let _ = zg_align::storage::flow::fold_root(info.tx.merkle_nodes.iter().map(|(_, r)| *r));
            }
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// One change to one value of a JSON document.
#[derive(Debug, Clone, Copy)]
struct Change {
    /// Which value (modulo their number), in the order of [`pointers`].
    at: usize,
    how: u8,
}

fn changes() -> impl Strategy<Value = Change> {
    (any::<usize>(), any::<u8>()).prop_map(|(at, how)| Change { at, how })
}

fn apply(doc: &Value, change: Change) -> Value {
    mutate(doc, change.at, change.how as usize)
}

/// Frames `doc` as the peer would and decodes it with the node's decoder.
fn on_the_wire(doc: &Value) -> Option<CheckResponse> {
    decode_payload::<CheckResponse>(&serde_json::to_vec(doc).unwrap()).ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_storage_answers_never_panic_the_round(change in changes(), which in 0usize..5) {
        let (what, doc) = &devnet().storage_docs[which];
        if let Some(CheckResponse::Rpc { answer }) = on_the_wire(&apply(doc, change)) {
            check_storage_answer(what, answer.get().as_bytes());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// One value of a storage answer blown up to the frame's cap: decoding it and running the
    /// checks it drives costs at most `PEAK_FACTOR` times its bytes plus `PEAK_SLACK`.
    #[test]
    fn inflated_storage_answers_cost_bounded_memory(at in any::<usize>(), how in 0usize..4, which in 0usize..5) {
        let (what, doc) = &devnet().storage_docs[which];
        let bytes = inflate(doc, at, how, MAX_RESPONSE_BYTES);
        let ((), peak) = peak_during(|| {
            if let Ok(CheckResponse::Rpc { answer }) = decode_payload::<CheckResponse>(&bytes) {
                check_storage_answer(what, answer.get().as_bytes());
            }
        });
        prop_assert!(peak <= PEAK_FACTOR * bytes.len() + PEAK_SLACK, "{what}, way {how}: {peak} bytes for {} bytes", bytes.len());
    }
}

/// The honest answers of a 10-height chain's CometBFT RPC, by path, fetched over HTTP once.
struct CometAnswers {
    chain: Arc<CometChain>,
    answers: HashMap<String, Vec<u8>>,
}

fn comet_answers() -> &'static CometAnswers {
    static ANSWERS: OnceLock<CometAnswers> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let chain = Arc::new(CometChain::new(10, zg_align::cometbft::ChainProfile::ZG, zg_align_devnet::server::now()));
        chain.precompute();
        let answers = runtime().block_on(async {
            let (addr, server) = zg_align_devnet::cometbft::serve(chain.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
            tokio::spawn(server);
            let mut reads = vec![RpcRead::status()];
            for h in 1..=10 {
                reads.extend([RpcRead::commit(h), RpcRead::validators(h, 1), RpcRead::validators(h, 2), RpcRead::block(h)]);
            }
            let mut answers = HashMap::new();
            for read in reads {
                let path = read.path_and_query();
                let body = reqwest::get(format!("http://{addr}/{path}")).await.unwrap().bytes().await.unwrap().to_vec();
                answers.insert(path, body);
            }
            answers
        });
        CometAnswers { chain, answers }
    })
}

/// The chain's RPC through a hostile relay: the `target`-th read of the round gets its answer
/// with `change` applied (or one value blown up, `inflation`: at, how), framed and decoded as on
/// the wire; every other read is honest.
struct HostileComet {
    target: usize,
    change: Change,
    inflation: Option<(usize, usize)>,
    reads: std::cell::Cell<usize>,
    /// The blown-up frame made for the target read, made once, outside what is measured.
    frame: std::cell::RefCell<Option<Vec<u8>>>,
}

impl HostileComet {
    fn new(target: usize, change: Change, inflation: Option<(usize, usize)>) -> Self {
        HostileComet { target, change, inflation, reads: std::cell::Cell::new(0), frame: Default::default() }
    }
}

impl CometRpc for HostileComet {
    async fn read(&self, read: RpcRead) -> Result<Vec<u8>, TransportError> {
        let n = self.reads.replace(self.reads.get() + 1);
        let Some(honest) = comet_answers().answers.get(&read.path_and_query()) else {
            return Err(TransportError::Refused { code: 500, message: "no such height".into() });
        };
        if n != self.target {
            return Ok(honest.clone());
        }
        let doc = json!({"type": "rpc", "body": {"answer": serde_json::from_slice::<Value>(honest).unwrap()}});
        if let Some((at, how)) = self.inflation {
            let mut frame = self.frame.borrow_mut();
            let frame = frame.get_or_insert_with(|| inflate(&doc, at, how, MAX_RESPONSE_BYTES));
            return match decode_payload::<CheckResponse>(frame) {
                Ok(CheckResponse::Rpc { answer }) => Ok(answer.get().as_bytes().to_vec()),
                _ => Err(TransportError::Refused { code: 0, message: "undecodable answer".into() }),
            };
        }
        match on_the_wire(&apply(&doc, self.change)) {
            Some(CheckResponse::Rpc { answer }) => Ok(answer.get().as_bytes().to_vec()),
            _ => Err(TransportError::Refused { code: 0, message: "undecodable answer".into() }),
        }
    }
}

proptest! {
    // Each case checks a few commits of 100 validators: fewer cases than the cheap properties.
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever one CometBFT answer becomes on its way, the validator round ends with rows or
    /// problems, never a panic, and accuses nobody but the validator that did equivocate.
    #[test]
    fn hostile_cometbft_answers_never_panic_the_round_nor_accuse_the_honest(change in changes(), target in 0usize..12) {
        let CometAnswers { chain, .. } = comet_answers();
        let m = chain.manifest();
        let trust = TrustConfig { chain_id: m.chain_id.clone(), height: m.trust_height, hash: m.trust_hash.clone(), profile: None, trusting_period_seconds: None };
        let mut follower = ChainFollower::new(&trust, LivenessPolicy { min_observed: 1, ..LivenessPolicy::default() }).unwrap();
        let rpc = HostileComet::new(target, change, None);
        let config = FollowConfig { budget_ms: f64::INFINITY, max_light_blocks: 5, ..FollowConfig::default() };
        let rng = &mut ChaCha20Rng::from_seed([6; 32]);
        runtime().block_on(follower.follow(&rpc, &SystemClock::default(), &config, rng));
        let equivocator = m.validators.iter().find(|v| v.fault == Some(zg_align_devnet::cometbft::Fault::Equivocating)).unwrap();
        for row in follower.verdicts() {
            prop_assert!(row.status != ValidatorStatus::Misbehaving || row.address.to_hex() == equivocator.address, "{row:?}");
        }
    }
}

/// One validator round as the hostile property runs it: the rows it ends with and the heap it took.
fn comet_round(rpc: &HostileComet) -> (Vec<zg_align::cometbft::ValidatorVerdict>, usize) {
    let CometAnswers { chain, .. } = comet_answers();
    let m = chain.manifest();
    let trust = TrustConfig { chain_id: m.chain_id.clone(), height: m.trust_height, hash: m.trust_hash.clone(), profile: None, trusting_period_seconds: None };
    let config = FollowConfig { budget_ms: f64::INFINITY, max_light_blocks: 5, ..FollowConfig::default() };
    let rng = &mut ChaCha20Rng::from_seed([6; 32]);
    let runtime = runtime();
    peak_during(|| {
        let mut follower = ChainFollower::new(&trust, LivenessPolicy { min_observed: 1, ..LivenessPolicy::default() }).unwrap();
        runtime.block_on(follower.follow(rpc, &SystemClock::default(), &config, rng));
        follower.verdicts()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// One CometBFT answer blown up to the frame's cap: the round takes at most `PEAK_FACTOR`
    /// times the frame's bytes plus `PEAK_SLACK` more than an honest round, and accuses nobody
    /// but the equivocator.
    #[test]
    fn inflated_cometbft_answers_cost_bounded_memory(at in any::<usize>(), how in 0usize..4, target in 0usize..12) {
        let (_, honest_peak) = comet_round(&HostileComet::new(usize::MAX, Change { at: 0, how: 0 }, None));
        // A first round makes the blown-up frame (the test's own work); the second is measured.
        let rpc = HostileComet::new(target, Change { at: 0, how: 0 }, Some((at, how)));
        comet_round(&rpc);
        rpc.reads.set(0);
        let (rows, peak) = comet_round(&rpc);
        prop_assert!(peak <= honest_peak + PEAK_FACTOR * MAX_RESPONSE_BYTES + PEAK_SLACK, "read {target}, way {how}: {peak} bytes, an honest round {honest_peak}");
        let m = comet_answers().chain.manifest();
        let equivocator = m.validators.iter().find(|v| v.fault == Some(zg_align_devnet::cometbft::Fault::Equivocating)).unwrap();
        for row in rows {
            prop_assert!(row.status != ValidatorStatus::Misbehaving || row.address.to_hex() == equivocator.address, "{row:?}");
        }
    }
}
