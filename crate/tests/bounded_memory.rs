//! Hostile answers cost bounded memory, not only no panic: every decoder of what a peer sends
//! (the relay's frames, JSON-RPC answers of the indexer, storage nodes, the EVM RPC and CometBFT,
//! ABI-encoded contract answers, DA signers' protobuf replies, providers' completions) is fed
//! answers at its byte cap that inflate counts (a list claiming or holding hundreds of thousands
//! of entries), nest deeply, or carry huge strings, and the heap it takes while decoding is
//! measured with a counting allocator: at most [`PEAK_FACTOR`] times the answer's bytes plus
//! [`PEAK_SLACK`], for any input.
//!
//! Natively the test binary installs the counting allocator; in wasm the module's own is the
//! global allocator (crate/src/wasm/mod.rs), and the same counters answer.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolValue;
use zg_align::counting_alloc::peak_during;
use zg_align::hash::Hash32;

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: zg_align::counting_alloc::CountingAllocator<std::alloc::System> = zg_align::counting_alloc::CountingAllocator::new(std::alloc::System);

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Heap a decoder may take per byte of its input, at most...
const PEAK_FACTOR: usize = 4;
/// ...plus this much.
const PEAK_SLACK: usize = 256 << 10;
/// The largest answer a decoder is fed here: the relay's frames are at most 1 MiB
/// (`MAX_RESPONSE_BYTES`), so no answer through it is larger; decoders with a larger cap of their
/// own (a CometBFT block, 16 MiB) get twice that.
const MOST: usize = 2 << 20;

/// A JSON array of `0`s that makes `prefix + array + suffix` exactly `len` bytes (or close).
fn zeros(prefix: &str, suffix: &str, len: usize) -> Vec<u8> {
    let room = len.saturating_sub(prefix.len() + suffix.len() + 2);
    let n = (room / 2).max(1);
    let mut s = String::with_capacity(len);
    s.push_str(prefix);
    s.push('[');
    for i in 0..n {
        s.push_str(if i == 0 { "0" } else { ",0" });
    }
    s.push(']');
    s.push_str(suffix);
    s.into_bytes()
}

/// `[[[[...]]]]` `depth` deep.
fn nest(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A list of `item` repeated, comma-separated, to about `len` bytes with `prefix` and `suffix`.
fn repeated(prefix: &str, item: &str, suffix: &str, len: usize) -> Vec<u8> {
    let n = (len.saturating_sub(prefix.len() + suffix.len()) / (item.len() + 1)).max(1);
    let mut s = String::with_capacity(len);
    s.push_str(prefix);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push_str(suffix);
    s.into_bytes()
}

/// The JSON-RPC answers every JSON decoder is fed, at `cap` bytes: counts, nesting, strings,
/// in the result, the id, an unknown field and an error object.
fn hostile_envelopes(cap: usize) -> Vec<(String, Vec<u8>)> {
    let cap = cap.min(MOST);
    let env = |id: &str, rest: &str| format!(r#"{{"jsonrpc":"2.0","id":{id},{rest}"#);
    vec![
        ("zeros as the result".into(), zeros(&env("1", r#""result":"#), "}", cap)),
        ("zeros as the id".into(), zeros(r#"{"jsonrpc":"2.0","result":null,"id":"#, "}", cap)),
        ("zeros in an unknown field".into(), zeros(&env("1", r#""result":null,"x":"#), "}", cap)),
        ("zeros as error data".into(), zeros(&env("1", r#""error":{"code":1,"message":"m","data":"#), "}}", cap)),
        ("objects as the result".into(), repeated(&env("1", r#""result":["#), "{}", "]}", cap)),
        ("nulls as the result".into(), repeated(&env("1", r#""result":["#), "null", "]}", cap)),
        ("deep nesting in the result".into(), env("1", &format!(r#""result":{}}}"#, nest(cap / 2 - 64))).into_bytes()),
        ("deep nesting in the id".into(), format!(r#"{{"jsonrpc":"2.0","result":null,"id":{}}}"#, nest(cap / 2 - 64)).into_bytes()),
        ("a huge string result".into(), env("1", &format!(r#""result":"{}"}}"#, "a".repeat(cap - 64))).into_bytes()),
        ("a huge error message".into(), env("1", &format!(r#""error":{{"code":1,"message":"{}"}}}}"#, "a".repeat(cap - 64))).into_bytes()),
    ]
}

/// The cases over their cap, gathered so that one run names them all.
#[derive(Default)]
struct Over(std::cell::RefCell<Vec<String>>);

impl Over {
    /// Decodes `input` with `decode` and checks the heap it took.
    fn check(&self, what: &str, case: &str, input: &[u8], decode: impl FnOnce(&[u8])) {
        let ((), peak) = peak_during(|| decode(input));
        let cap = PEAK_FACTOR * input.len() + PEAK_SLACK;
        let line = format!("{what}: {case}: {} input bytes, peak {peak} bytes ({:.2} per input byte)", input.len(), peak as f64 / input.len() as f64);
        eprintln!("{line}");
        if peak > cap {
            self.0.borrow_mut().push(line);
        }
    }

    fn assert_none(self) {
        let over = self.0.into_inner();
        assert!(over.is_empty(), "over {PEAK_FACTOR} x input + {PEAK_SLACK} bytes:\n{}", over.join("\n"));
    }
}

/// A decoder under test: its name, the bytes it accepts at most, and the call.
type Decoder = (&'static str, usize, Box<dyn Fn(&[u8])>);

/// Every JSON decoder of a peer's answer, with the bytes it accepts at most.
fn json_decoders() -> Vec<Decoder> {
    use zg_align::cometbft::{
        decode_block, decode_commit, decode_status, decode_validators, MAX_BLOCK_BYTES, MAX_COMMIT_BYTES, MAX_STATUS_BYTES, MAX_VALIDATORS_PAGE_BYTES,
    };
    use zg_align::da::entrance::{decode_logs, decode_transaction, CertifiedLog, MAX_TX_RESPONSE_BYTES};
    use zg_align::storage::indexer::{parse_sharded_nodes, MAX_INDEXER_RESPONSE_BYTES};
    use zg_align::storage::rpc::{parse_response, FileInfo, Status, MAX_SEGMENT_RESPONSE_BYTES, MAX_SMALL_RESPONSE_BYTES};
    use zg_align::storage::SegmentWithProof;
    let log = CertifiedLog { data_root: Hash32([1; 32]), epoch: 1, quorum_id: 0, tx_hash: B256::repeat_byte(2), block_number: 9, log_index: 0 };
    let entrance = Address::repeat_byte(3);
    vec![
        ("zgs segment", MAX_SEGMENT_RESPONSE_BYTES, Box::new(|b| drop(SegmentWithProof::parse_response(b, 1)))),
        ("zgs status", MAX_SMALL_RESPONSE_BYTES, Box::new(|b| drop(parse_response::<Status>(b, 1, MAX_SMALL_RESPONSE_BYTES)))),
        ("zgs file info", MAX_SMALL_RESPONSE_BYTES, Box::new(|b| drop(parse_response::<FileInfo>(b, 1, MAX_SMALL_RESPONSE_BYTES)))),
        ("indexer nodes", MAX_INDEXER_RESPONSE_BYTES, Box::new(|b| drop(parse_sharded_nodes(b, 1)))),
        ("eth_getLogs", zg_align::evm::MAX_LOGS_RESPONSE_BYTES, Box::new(|b| drop(zg_align::evm::parse_logs(b, 1)))),
        ("eth_call", zg_align::evm::MAX_CALL_RESPONSE_BYTES, Box::new(|b| drop(zg_align::evm::parse_call(b, 1)))),
        ("eth_blockNumber", 4096, Box::new(|b| drop(zg_align::evm::parse_block_number(b, 1)))),
        ("DAEntrance logs", zg_align::evm::MAX_LOGS_RESPONSE_BYTES, Box::new(move |b| drop(decode_logs(b, 1, entrance)))),
        ("DA transaction", MAX_TX_RESPONSE_BYTES, Box::new(move |b| drop(decode_transaction(b, 1, &log, entrance)))),
        ("cometbft /commit", MAX_COMMIT_BYTES, Box::new(|b| drop(decode_commit(b)))),
        ("cometbft /validators", MAX_VALIDATORS_PAGE_BYTES, Box::new(|b| drop(decode_validators(b)))),
        ("cometbft /status", MAX_STATUS_BYTES, Box::new(|b| drop(decode_status(b)))),
        ("cometbft /block", MAX_BLOCK_BYTES, Box::new(|b| drop(decode_block(b)))),
        ("provider completion", zg_align::serving::exchange::MAX_DECODED_BYTES, Box::new(|b| drop(zg_align::serving::exchange::completion(b)))),
        ("provider signature record", zg_align::serving::exchange::MAX_RECORD_BYTES, Box::new(|b| drop(zg_align::serving::exchange::parse_record(200, b)))),
    ]
}

#[test]
fn json_answers_at_their_caps_cost_bounded_memory() {
    let over = Over::default();
    for (what, cap, decode) in json_decoders() {
        for (case, input) in hostile_envelopes(cap) {
            over.check(what, &case, &input, &decode);
        }
        // The same shapes as bare documents (CometBFT answers may come without an envelope, a
        // completion is a bare object).
        let cap = cap.min(MOST);
        over.check(what, "a bare array of zeros", &zeros("", "", cap), &decode);
        over.check(what, "a bare object of many keys", &repeated("{", r#""k":0"#, "}", cap), &decode);
        over.check(what, "bare deep nesting", nest(cap / 2).as_bytes(), &decode);
    }
    over.assert_none();
}

/// Lists whose entries look right, as many as the answer's bytes allow: each decoder keeps no
/// more than its cap of them and builds nothing for the rest.
#[test]
fn count_inflation_in_each_peer_list_costs_bounded_memory() {
    let over = Over::default();
    use zg_align::cometbft::{decode_block, decode_commit, decode_validators, MAX_VALIDATORS_PAGE_BYTES};
    use zg_align::storage::indexer::parse_sharded_nodes;
    let mb = 1 << 20;
    // The indexer's nodes.
    let node = r#"{"url":"http://10.0.0.1:5678","config":{"numShard":1,"shardId":0},"latency":1,"since":1}"#;
    let nodes = repeated(r#"{"jsonrpc":"2.0","id":1,"result":{"trusted":["#, node, r#"],"discovered":[]}}"#, 256 << 10);
    over.check("indexer nodes", "many nodes", &nodes, |b| drop(parse_sharded_nodes(b, 1)));
    // eth_getLogs: many logs, and the DA entrance's.
    let log = r#"{"address":"0x0000000000000000000000000000000000000001","topics":[],"data":"0x","blockNumber":"0x1","transactionHash":"0x0000000000000000000000000000000000000000000000000000000000000000","logIndex":"0x0"}"#;
    let logs = repeated(r#"{"jsonrpc":"2.0","id":1,"result":["#, log, "]}", mb);
    over.check("eth_getLogs", "many logs", &logs, |b| drop(zg_align::evm::parse_logs(b, 1)));
    over.check("DAEntrance logs", "many logs", &logs, |b| drop(zg_align::da::entrance::decode_logs(b, 1, Address::repeat_byte(1))));
    let empty_logs = repeated(r#"{"jsonrpc":"2.0","id":1,"result":["#, "{}", "]}", mb);
    over.check("eth_getLogs", "many empty logs", &empty_logs, |b| drop(zg_align::evm::parse_logs(b, 1)));
    // CometBFT: validators on a page, signatures in a commit, evidence in a block.
    let validator = r#"{"address":"0000000000000000000000000000000000000000","pub_key":{"type":"tendermint/PubKeyEd25519","value":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="},"voting_power":"1","proposer_priority":"0"}"#;
    let page = repeated(
        r#"{"jsonrpc":"2.0","id":1,"result":{"block_height":"1","count":"100","total":"100000000","validators":["#,
        validator,
        "]}}",
        MAX_VALIDATORS_PAGE_BYTES,
    );
    over.check("cometbft /validators", "many validators", &page, |b| drop(decode_validators(b)));
    let header = r#"{"version":{"block":"11","app":"0"},"chain_id":"c","height":"1","time":"2024-01-01T00:00:00Z","last_block_id":{"hash":"","parts":{"total":0,"hash":""}},"last_commit_hash":"","data_hash":"","validators_hash":"","next_validators_hash":"","consensus_hash":"","app_hash":"","last_results_hash":"","evidence_hash":"","proposer_address":""}"#;
    let commit = repeated(
        &format!(
            r#"{{"jsonrpc":"2.0","id":1,"result":{{"canonical":true,"signed_header":{{"header":{header},"commit":{{"height":"1","round":0,"block_id":{{"hash":"","parts":{{"total":0,"hash":""}}}},"signatures":["#
        ),
        r#"{"block_id_flag":1}"#,
        "]}}}}",
        MOST,
    );
    over.check("cometbft /commit", "many signatures", &commit, |b| drop(decode_commit(b)));
    let block = repeated(
        &format!(
            r#"{{"jsonrpc":"2.0","id":1,"result":{{"block_id":{{"hash":"","parts":{{"total":0,"hash":""}}}},"block":{{"header":{header},"data":{{"txs":[]}},"evidence":{{"evidence":["#
        ),
        r#"{"type":"x","value":0}"#,
        "]}}}}",
        MOST,
    );
    over.check("cometbft /block", "many evidence items", &block, |b| drop(decode_block(b)));
    let txs = zeros(
        &format!(r#"{{"jsonrpc":"2.0","id":1,"result":{{"block_id":{{"hash":"","parts":{{"total":0,"hash":""}}}},"block":{{"header":{header},"data":{{"txs":"#),
        "}}}}",
        MOST,
    );
    over.check("cometbft /block", "many transactions (skipped)", &txs, |b| drop(decode_block(b)));
    over.assert_none();
}

/// The relay's own frames: many proofs, a body before its type, a huge echo.
#[test]
fn relay_frames_at_the_cap_cost_bounded_memory() {
    let over = Over::default();
    use zg_align::protocol::{decode_payload, CheckResponse, MAX_RESPONSE_BYTES};
    let decode = |b: &[u8]| drop(decode_payload::<CheckResponse>(b));
    let cap = MAX_RESPONSE_BYTES;
    over.check("relay frame", "many proofs", &repeated(r#"{"type":"daProofs","body":{"proofs":["#, "null", "]}}", cap), decode);
    over.check("relay frame", "many proofs, the type last", &repeated(r#"{"body":{"proofs":["#, "null", r#"]},"type":"daProofs"}"#, cap), decode);
    over.check("relay frame", "zeros as an answer, the type last", &zeros(r#"{"body":{"answer":"#, r#"},"type":"rpc"}"#, cap), decode);
    over.check("relay frame", "zeros in a hello, the type last", &zeros(r#"{"body":{"network":"#, r#"},"type":"hello"}"#, cap), decode);
    over.check(
        "relay frame",
        "zeros in a refusal's reason, its kind last",
        &zeros(r#"{"type":"reportRejected","body":{"message":"m","reason":{"x":"#, r#","kind":"replayedRound"}}}"#, cap),
        decode,
    );
    over.check("relay frame", "a huge echo", format!(r#"{{"type":"echo","body":{{"data":"{}"}}}}"#, "a".repeat(cap - 64)).as_bytes(), decode);
    over.check("relay frame", "deep nesting", format!(r#"{{"type":"rpc","body":{{"answer":{}}}}}"#, nest(cap / 2 - 64)).as_bytes(), decode);
    for (case, input) in hostile_envelopes(cap) {
        over.check("relay frame", &case, &input, decode);
    }
    over.assert_none();
}

/// ABI-encoded contract answers whose lists claim huge lengths, or hold as many entries as fit.
#[test]
fn abi_answers_claiming_huge_counts_cost_bounded_memory() {
    let over = Over::default();
    use zg_align::da::signers::{decode_get_quorum, decode_get_signer};
    use zg_align::serving::contract::{decode_get_all_services, MAX_PAGE};
    let cap = zg_align::evm::MAX_CALL_RESPONSE_BYTES / 2;
    // A dynamic array: offset 32, then a length word, then what fits.
    let claiming = |length: U256, fill: usize| {
        let mut data = U256::from(32).to_be_bytes::<32>().to_vec();
        data.extend_from_slice(&length.to_be_bytes::<32>());
        data.resize(64 + fill, 0);
        data
    };
    let inputs = [
        ("a length of 2^256 - 1", claiming(U256::MAX, 64)),
        ("a length of 2^32", claiming(U256::from(1u64 << 32), 64)),
        ("a length of 2^32, the data full", claiming(U256::from(1u64 << 32), cap - 64)),
        ("as many entries as fit", (vec![Address::ZERO; cap / 32 - 2]).abi_encode()),
        ("as many strings as fit", (vec![String::new(); cap / 64 - 2]).abi_encode()),
    ];
    let asked = [Address::repeat_byte(1); 4];
    for (case, data) in &inputs {
        over.check("getQuorum", case, data, |b| drop(decode_get_quorum(b)));
        over.check("getSigner", case, data, |b| drop(decode_get_signer(b, &asked)));
        over.check("getAllServices", case, data, |b| drop(decode_get_all_services(b, MAX_PAGE)));
    }
    over.assert_none();
}

/// A DA signer's `BatchRetrieveReply` (protobuf) with many empty rows, or rows claiming lengths.
#[test]
fn protobuf_replies_claiming_huge_counts_cost_bounded_memory() {
    let over = Over::default();
    use zg_align::da::retrieve::{decode_reply, RetrieveAsk, MAX_REPLY_BYTES};
    let ask = RetrieveAsk::new(1, 0, Hash32([1; 32]), vec![1, 2, 3]);
    // Field 1 (repeated bytes), length 0, as many times as fit.
    let empty_rows = [0x0a, 0x00].repeat(MAX_REPLY_BYTES / 2);
    over.check("BatchRetrieveReply", "many empty rows", &empty_rows, |b| drop(decode_reply(b, &ask)));
    // One row claiming 2^35 bytes.
    let mut claiming = vec![0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
    claiming.resize(MAX_REPLY_BYTES, 0);
    over.check("BatchRetrieveReply", "a row claiming 2^35 bytes", &claiming, |b| drop(decode_reply(b, &ask)));
    over.assert_none();
}
