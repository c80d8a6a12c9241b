//! A relay that lies: the devnet's relay with its answers rewritten, to prove that nothing a
//! relay says can make an honest node look misbehaving (docs/trust.md). Each lie keeps the
//! message well formed (a tab must decode it) and changes what a relay can change: unsigned
//! bytes, what the chain is said to hold, old answers for new questions, sizes.
//!
//! `zg-align-devnet serve --relay-lie forge,replay,...` picks the lies (`--lying-relay INDEX`
//! picks which of `--relays N` tells them). Lies about nodes' own answers (forge, replay,
//! truncate: zgs, DA gRPC and proofs, providers' HTTP, CometBFT) hit every other answer of each
//! kind (request type and method);
//! lies about what the chain and the indexer hold (swap-map, flood) every fourth one of theirs, so
//! that rounds still find their nodes often enough to judge them. `hide` answers `failure` for
//! every request to every other node it is asked about (storage nodes, DA signers, providers);
//! `strip-votes` drops one honest validator's vote from every `/commit` (the commit still
//! verifies: the validator looks offline); `other-chain` says hello as a relay in front of
//! another chain.

use base64::Engine;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use zg_align::cometbft::RpcRoute;
use zg_align::protocol::{CheckRequest, CheckResponse, RemoteFailure};
use zg_align_relay::service::Rewrite;

/// How an answer is falsified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelayLie {
    /// One character or byte changed in the answer's largest unsigned field (a segment's data,
    /// a row, a response body, a signature).
    Forge,
    /// The previous answer to a request of the same type, in place of this one's.
    Replay,
    /// What the chain and the indexer are said to hold changed: a hex digit of a log, an
    /// `eth_call` answer or a transaction flipped, shard configurations swapped.
    SwapMap,
    /// The answer's largest field cut in half.
    Truncate,
    /// The answer's largest list repeated up to the check protocol's size cap.
    Flood,
    /// Every other node of each kind (storage nodes, DA signers, providers; in the order each was
    /// first asked about) gets `failure` 504 for every request, as if it never answered.
    Hide,
    /// Hello names another chain id (one more than the relay's).
    OtherChain,
    /// Every `/commit` answer shows one honest validator of every set ([`crate::cometbft::CometChain::stripped_validator`])
    /// with no vote: its slot made absent, as CometBFT writes an absent slot.
    StripVotes,
}

/// Most bytes a flooded answer grows to: under the check protocol's 1 MiB response cap.
const FLOOD_BYTES: usize = 900 * 1024;

/// The rewrite the relay applies for `lies` (empty: none); `stripped` is the upper-case hex
/// address whose votes `strip-votes` drops.
pub fn rewrite(lies: &[RelayLie], stripped: String) -> Option<Rewrite> {
    if lies.is_empty() {
        return None;
    }
    let node_lies: Vec<RelayLie> = lies.iter().copied().filter(|l| matches!(l, RelayLie::Forge | RelayLie::Replay | RelayLie::Truncate)).collect();
    let map_lies: Vec<RelayLie> = lies.iter().copied().filter(|l| matches!(l, RelayLie::SwapMap | RelayLie::Flood)).collect();
    // Node lies take turns within each kind of request (every other segment download, every other
    // commit read), so where they land does not hang on how a round's requests interleave: a
    // global turn could fall on every status read and miss every segment in a round.
    let node_turns: Mutex<HashMap<String, usize>> = Mutex::default();
    let map_turn = AtomicUsize::new(0);
    let previous: Mutex<HashMap<String, CheckResponse>> = Mutex::default();
    let (hide, other_chain, strip) = (lies.contains(&RelayLie::Hide), lies.contains(&RelayLie::OtherChain), lies.contains(&RelayLie::StripVotes));
    // Each node's place among its kind's in the order first asked about: the even places are
    // hidden. Per kind, so every kind has hidden nodes however the kinds' requests interleave.
    let hidden: Mutex<HashMap<(&'static str, String), bool>> = Mutex::default();
    Some(Arc::new(move |request: &CheckRequest, answer: CheckResponse| {
        if let (true, CheckResponse::Hello(mut info)) = (other_chain, answer.clone()) {
            info.chain_id += 1;
            return CheckResponse::Hello(info);
        }
        // The relay's own profile and the report sink's word are left alone: lies about nodes only.
        if matches!(request, CheckRequest::Hello | CheckRequest::Echo { .. } | CheckRequest::PublishReport { .. }) {
            return answer;
        }
        let answer = match (strip, request, answer) {
            (true, CheckRequest::Comet(read), CheckResponse::Rpc { answer }) if read.route == RpcRoute::Commit => strip_vote(answer, &stripped),
            (_, _, answer) => answer,
        };
        if let Some(node) = hide.then(|| asked_node(request)).flatten() {
            let mut hidden = hidden.lock().expect("hide lock");
            let place = hidden.keys().filter(|(kind, _)| *kind == node.0).count();
            if *hidden.entry(node).or_insert(place % 2 == 0) {
                return CheckResponse::Failure(RemoteFailure { code: 504, message: "upstream time-out".into() });
            }
        }
        let kind = request_kind(request);
        let old = previous.lock().expect("replay lock").insert(kind.clone(), answer.clone());
        let map = matches!(request, CheckRequest::Indexer { .. } | CheckRequest::Evm { .. });
        let (lies, every) = if map { (&map_lies, 4) } else { (&node_lies, 2) };
        let n = if map {
            map_turn.fetch_add(1, Ordering::Relaxed)
        } else {
            let mut turns = node_turns.lock().expect("turn lock");
            let turn = turns.entry(kind).or_default();
            *turn += 1;
            *turn - 1
        };
        if lies.is_empty() || n % every != every - 1 {
            return answer;
        }
        match lies[(n / every) % lies.len()] {
            RelayLie::Replay => old.unwrap_or(answer),
            lie => falsify(lie, answer),
        }
    }))
}

/// `/commit`'s answer with `address`'s slot absent, written as the devnet writes an absent slot.
fn strip_vote(answer: Box<RawValue>, address: &str) -> CheckResponse {
    let Ok(mut value) = serde_json::from_str::<Value>(answer.get()) else { return CheckResponse::Rpc { answer } };
    if let Some(Value::Array(slots)) = value.pointer_mut("/result/signed_header/commit/signatures") {
        for slot in slots.iter_mut().filter(|s| s["validator_address"] == address) {
            *slot = crate::cometbft::json::commit_sig(&zg_align::cometbft::CommitSig::absent());
        }
    }
    CheckResponse::Rpc { answer: RawValue::from_string(value.to_string()).expect("valid JSON") }
}

/// The kind and node a request is to, for `hide`: a storage node's URL, a DA signer's or a provider's
/// account.
fn asked_node(request: &CheckRequest) -> Option<(&'static str, String)> {
    match request {
        CheckRequest::Zgs { node, .. } => Some(("storage", node.clone())),
        CheckRequest::DaRetrieve { signer, .. } => Some(("da", signer.to_string())),
        CheckRequest::Chat { provider, .. } | CheckRequest::ChatSignature { provider, .. } => Some(("serving", provider.to_string())),
        _ => None,
    }
}

/// The request's type, and for JSON-RPC calls its method: what a replayed answer must match.
fn request_kind(request: &CheckRequest) -> String {
    let tag = serde_json::to_value(request).ok().and_then(|v| v["type"].as_str().map(str::to_owned)).unwrap_or_default();
    let method = match request {
        CheckRequest::Indexer { call } | CheckRequest::Zgs { call, .. } | CheckRequest::Evm { call, .. } => {
            serde_json::from_str::<Value>(call.get()).ok().and_then(|v| v["method"].as_str().map(str::to_owned)).unwrap_or_default()
        }
        _ => String::new(),
    };
    format!("{tag}/{method}")
}

fn falsify(lie: RelayLie, answer: CheckResponse) -> CheckResponse {
    let b64 = base64::engine::general_purpose::STANDARD;
    let bytes = |text: &str, f: &dyn Fn(Vec<u8>) -> Vec<u8>| b64.encode(f(b64.decode(text).unwrap_or_default()));
    let change: &dyn Fn(Vec<u8>) -> Vec<u8> = match lie {
        RelayLie::Truncate => &|mut b: Vec<u8>| {
            b.truncate(b.len() / 2);
            b
        },
        _ => &|mut b: Vec<u8>| {
            let middle = b.len() / 2;
            if let Some(x) = b.get_mut(middle) {
                *x ^= 0x20;
            }
            b
        },
    };
    match answer {
        CheckResponse::Rpc { answer } => {
            let Ok(mut value) = serde_json::from_str::<Value>(answer.get()) else { return CheckResponse::Rpc { answer } };
            lie_in_json(lie, &mut value);
            let text = serde_json::to_string(&value).expect("JSON serialises");
            CheckResponse::Rpc { answer: RawValue::from_string(text).expect("valid JSON") }
        }
        CheckResponse::GrpcReply { reply } => CheckResponse::GrpcReply { reply: bytes(&reply, change) },
        CheckResponse::Http { status, content_encoding, res_key, body } => CheckResponse::Http { status, content_encoding, res_key, body: bytes(&body, change) },
        CheckResponse::DaProofs { proofs } => CheckResponse::DaProofs { proofs: proofs.into_iter().map(|p| p.map(|p| bytes(&p, change))).collect() },
        other => other,
    }
}

/// Changes a JSON-RPC answer as `lie` says.
fn lie_in_json(lie: RelayLie, value: &mut Value) {
    match lie {
        RelayLie::Forge => {
            if let Some(s) = largest_string(value) {
                *s = flip_char(s);
            }
        }
        RelayLie::Truncate => {
            if let Some(s) = largest_string(value) {
                let cut = s.char_indices().nth(s.chars().count() / 2).map_or(0, |(i, _)| i);
                s.truncate(cut);
            }
        }
        RelayLie::SwapMap => {
            // A shard configuration said to be another, or a hex digit of what the chain holds.
            if let Some(config) = value.pointer_mut("/result/trusted/0/config/shardId") {
                *config = Value::from(1 - config.as_u64().unwrap_or(0).min(1));
            } else if let Some(s) = first_hex_string(value) {
                *s = flip_char(s);
            }
        }
        RelayLie::Flood => {
            let size = serde_json::to_string(value).map_or(0, |t| t.len()).max(1);
            if let Some(list) = largest_array(value) {
                let one = list.clone();
                let each = serde_json::to_string(&one).map_or(1, |t| t.len()).max(1);
                let copies = (FLOOD_BYTES.saturating_sub(size) / each).min(10_000);
                for _ in 0..copies {
                    list.extend(one.iter().cloned());
                }
            }
        }
        RelayLie::Replay | RelayLie::Hide | RelayLie::OtherChain | RelayLie::StripVotes => {}
    }
}

/// One character changed for another of the same kind (hex stays hex, base64 stays base64).
fn flip_char(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let middle = chars.len() / 2;
    if let Some(c) = chars.get_mut(middle) {
        *c = match *c {
            '0' => '1',
            'A' => 'B',
            'a' => 'b',
            c if c.is_ascii_alphanumeric() => '0',
            _ => 'A',
        };
    }
    chars.into_iter().collect()
}

fn largest_string(value: &mut Value) -> Option<&mut String> {
    match value {
        Value::String(s) => Some(s),
        Value::Array(items) => items.iter_mut().filter_map(largest_string).max_by_key(|s| s.len()),
        Value::Object(fields) => fields.values_mut().filter_map(largest_string).max_by_key(|s| s.len()),
        _ => None,
    }
}

fn first_hex_string(value: &mut Value) -> Option<&mut String> {
    match value {
        Value::String(s) if s.len() > 2 && s.starts_with("0x") => Some(s),
        Value::Array(items) => items.iter_mut().find_map(first_hex_string),
        Value::Object(fields) => fields.iter_mut().filter(|(k, _)| k.as_str() != "jsonrpc").find_map(|(_, v)| first_hex_string(v)),
        _ => None,
    }
}

fn largest_array(value: &mut Value) -> Option<&mut Vec<Value>> {
    // The largest by element count, nested ones included (an indexer's node list, a page of logs).
    let mut best: Option<&mut Vec<Value>> = None;
    fn visit<'a>(value: &'a mut Value, best: &mut Option<&'a mut Vec<Value>>) {
        match value {
            // Children first would need a second borrow: lists of lists are not flooded.
            Value::Array(items) if !items.is_empty() && best.as_ref().is_none_or(|b| b.len() < items.len()) => *best = Some(items),
            Value::Object(fields) => fields.values_mut().for_each(|v| visit(v, best)),
            _ => {}
        }
    }
    visit(value, &mut best);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rpc(text: &str) -> CheckResponse {
        CheckResponse::Rpc { answer: RawValue::from_string(text.into()).unwrap() }
    }

    fn text(answer: &CheckResponse) -> String {
        match answer {
            CheckResponse::Rpc { answer } => answer.get().to_owned(),
            other => serde_json::to_string(other).unwrap(),
        }
    }

    #[test]
    fn each_lie_keeps_the_message_well_formed_and_changes_it() {
        let segment = r#"{"jsonrpc":"2.0","id":1,"result":{"root":"0x00ff","data":"QUJDREVGR0g=","index":0}}"#;
        let data = |answer: &str| serde_json::from_str::<Value>(answer).unwrap()["result"]["data"].as_str().unwrap().to_owned();
        let forged = data(&text(&falsify(RelayLie::Forge, rpc(segment))));
        assert!(forged != "QUJDREVGR0g=" && forged.len() == 12 && base64::engine::general_purpose::STANDARD.decode(&forged).is_ok(), "{forged}");
        assert_eq!(data(&text(&falsify(RelayLie::Truncate, rpc(segment)))), "QUJDRE");
        let swapped = text(&falsify(RelayLie::SwapMap, rpc(segment)));
        assert!(swapped.contains("\"root\":\"0x01ff\"") || swapped.contains("\"root\":\"0x00f0\""), "{swapped}");
        let nodes = r#"{"jsonrpc":"2.0","id":1,"result":{"trusted":[{"url":"u","config":{"shardId":0,"numShard":2}}],"discovered":[]}}"#;
        assert!(text(&falsify(RelayLie::SwapMap, rpc(nodes))).contains("\"shardId\":1"));
        let flooded = text(&falsify(RelayLie::Flood, rpc(nodes)));
        assert!(flooded.len() > 100_000 && flooded.len() < FLOOD_BYTES + 1024, "{}", flooded.len());
        let body = base64::engine::general_purpose::STANDARD.encode(b"hello world");
        let http = falsify(RelayLie::Forge, CheckResponse::Http { status: 200, content_encoding: None, res_key: None, body: body.clone() });
        assert!(matches!(http, CheckResponse::Http { body: b, .. } if b != body));
    }

    #[test]
    fn replay_answers_with_the_previous_answer_of_the_same_kind() {
        let lie = rewrite(&[RelayLie::Replay], String::new()).unwrap();
        let call = |n: u32| CheckRequest::Zgs { node: "n".into(), call: RawValue::from_string(format!(r#"{{"jsonrpc":"2.0","id":{n},"method":"zgs_downloadSegmentWithProof"}}"#)).unwrap() };
        let first = lie(&call(1), rpc(r#"{"a":1}"#));
        assert_eq!(text(&first), r#"{"a":1}"#, "every other answer is honest");
        let second = lie(&call(2), rpc(r#"{"a":2}"#));
        assert_eq!(text(&second), r#"{"a":1}"#, "the previous answer instead");
        assert_eq!(text(&lie(&call(3), rpc(r#"{"a":3}"#))), r#"{"a":3}"#);
        assert!(matches!(lie(&CheckRequest::Hello, CheckResponse::Echo { data: "x".into() }), CheckResponse::Echo { .. }));
    }

    #[test]
    fn node_lies_take_turns_within_each_kind_however_kinds_interleave() {
        let lie = rewrite(&[RelayLie::Forge], String::new()).unwrap();
        let call = |method: &str| CheckRequest::Zgs { node: "n".into(), call: RawValue::from_string(format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}"}}"#)).unwrap() };
        let forged = |method: &str| text(&lie(&call(method), rpc(r#"{"data":"abcdef"}"#))) != r#"{"data":"abcdef"}"#;
        // Segment and status reads alternate: a turn shared by both would forge only the statuses.
        let segments: Vec<bool> = (0..4)
            .map(|_| {
                let segment = forged("zgs_downloadSegmentWithProof");
                forged("zgs_getStatus");
                segment
            })
            .collect();
        assert_eq!(segments, [false, true, false, true]);
    }

    #[test]
    fn hide_fails_every_request_to_every_other_node_and_other_chain_changes_hello() {
        let lie = rewrite(&[RelayLie::Hide], String::new()).unwrap();
        let call = |node: &str| CheckRequest::Zgs { node: node.into(), call: RawValue::from_string(r#"{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus"}"#.into()).unwrap() };
        let hidden = |node: &str| matches!(lie(&call(node), rpc(r#"{"a":1}"#)), CheckResponse::Failure(RemoteFailure { code: 504, .. }));
        assert!(hidden("http://a"), "the first node asked about is hidden");
        assert!(!hidden("http://b"));
        assert!(hidden("http://c"));
        assert!(hidden("http://a") && !hidden("http://b"), "each node keeps its place");
        let indexer = CheckRequest::Indexer { call: RawValue::from_string("{}".into()).unwrap() };
        assert!(matches!(lie(&indexer, rpc(r#"{"a":1}"#)), CheckResponse::Rpc { .. }), "the map is not hidden");

        let lie = rewrite(&[RelayLie::OtherChain], String::new()).unwrap();
        let info: zg_align::protocol::RelayInfo = serde_json::from_value(serde_json::json!({
            "network": "devnet", "chainId": 16601, "maxLogRange": 1000, "version": "0",
            "upstreams": {"indexer": true, "evm": true, "licenseEvm": false, "reports": false, "da": false, "chat": false, "cometbft": false}
        }))
        .unwrap();
        assert!(matches!(lie(&CheckRequest::Hello, CheckResponse::Hello(info)), CheckResponse::Hello(i) if i.chain_id == 16602));
    }

    #[test]
    fn strip_votes_makes_one_validators_slot_absent_in_every_commit_and_nothing_else() {
        use zg_align::cometbft::{decode_commit, BlockIdFlag, RpcRead};
        let chain = crate::cometbft::CometChain::new(3, zg_align::cometbft::ChainProfile::ZG, zg_align::cometbft::Timestamp::from_unix_millis(1_700_000_000_000));
        let victim = chain.stripped_validator();
        let lie = rewrite(&[RelayLie::StripVotes], victim.to_hex()).unwrap();
        let commit = |h: u64| rpc(&crate::cometbft::json::envelope(crate::cometbft::json::commit_result(chain.header(h), &chain.commit(h), true)).to_string());
        for h in 1..=3 {
            let stripped = decode_commit(text(&lie(&CheckRequest::Comet(RpcRead::commit(h)), commit(h))).as_bytes()).expect("still a commit");
            let honest = decode_commit(text(&commit(h)).as_bytes()).unwrap();
            let slots = |c: &zg_align::cometbft::CommitResponse| c.signed_header.commit.signatures.clone();
            let changed: Vec<usize> = (0..slots(&honest).len()).filter(|&i| slots(&honest)[i] != slots(&stripped)[i]).collect();
            assert_eq!(changed.len(), 1, "height {h}: one slot changed");
            assert_eq!(slots(&honest)[changed[0]].validator_address, Some(victim));
            assert_eq!(slots(&stripped)[changed[0]].flag, BlockIdFlag::Absent);
        }
        let status = rpc(r#"{"a":1}"#);
        assert_eq!(text(&lie(&CheckRequest::Comet(RpcRead::status()), status)), r#"{"a":1}"#, "only commits");
    }
}
