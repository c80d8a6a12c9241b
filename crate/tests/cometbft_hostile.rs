//! Hostile RPC answers (native only: proptest): valid `/commit`, `/validators` and `/block`
//! answers with one value replaced at random (a number, a string of hex or base64, a huge or
//! negative integer, null, an empty array, an object) are decoded and checked as the node would:
//! each gives a verdict or a typed error, never a panic, and a changed commit never gains a
//! signature it did not have.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{json, Value};
use zg_align::cometbft::*;

const VECTORS: &str = include_str!("../../tests/vectors/cometbft-bls.json");

fn profile() -> Value {
    serde_json::from_str::<Value>(VECTORS).unwrap()["profiles"][0].clone()
}

/// Every path to a leaf (or an array/object) of `v`.
fn paths(v: &Value, at: Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Object(map) => map.iter().for_each(|(k, c)| paths(c, [at.clone(), vec![json!(k)]].concat(), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, c)| paths(c, [at.clone(), vec![json!(i)]].concat(), out)),
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> &'a mut Value {
    path.iter().fold(v, |v, key| match key {
        Value::String(k) => &mut v[k.as_str()],
        Value::Number(i) => &mut v[i.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!([])),
        Just(json!({})),
        Just(json!("")),
        any::<i64>().prop_map(|n| json!(n)),
        any::<i64>().prop_map(|n| json!(n.to_string())),
        Just(json!("99999999999999999999999")),
        Just(json!("-1")),
        "[0-9A-F]{0,130}".prop_map(Value::String),
        "[A-Za-z0-9+/]{0,200}={0,2}".prop_map(Value::String),
        Just(json!("0001-01-01T00:00:00Z")),
        Just(json!("9999-12-31T23:59:59.999999999Z")),
    ]
}

fn check(commit: &[u8], validators: &[u8], rng: &mut ChaCha20Rng) -> Result<(usize, usize), String> {
    let sh = decode_commit(commit).map_err(|e| e.to_string())?.signed_header;
    let set = ValidatorSet::from_pages(vec![decode_validators(validators).map_err(|e| e.to_string())?], ChainProfile::ZG).map_err(|e| e.to_string())?;
    let chain_id = sh.header.chain_id.clone();
    let check = verify_commit(&chain_id, &set, &sh.commit, rng).map_err(|e| e.to_string())?;
    let _ = LightBlock { signed_header: sh, validators: set, next_validators: None }.check(&chain_id, rng);
    Ok((check.count(|s| *s == SlotStatus::Signed), check.count(|s| matches!(s, SlotStatus::Invalid(_)))))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn changed_commits_and_validator_pages_give_verdicts_or_typed_errors(pick in any::<prop::sample::Index>(), value in replacement(), in_commit in any::<bool>()) {
        let p = profile();
        let mut rng = ChaCha20Rng::from_seed([1; 32]);
        let (mut commit, mut validators) = (p["commitAnswer"].clone(), p["validatorsAnswer"].clone());
        let honest = check(commit.to_string().as_bytes(), validators.to_string().as_bytes(), &mut rng).unwrap();
        let target = if in_commit { &mut commit } else { &mut validators };
        let mut all = Vec::new();
        paths(target, Vec::new(), &mut all);
        let path = pick.get(&all).clone();
        *at_mut(target, &path) = value;
        if let Ok((signed, _)) = check(commit.to_string().as_bytes(), validators.to_string().as_bytes(), &mut rng) {
            prop_assert!(signed <= honest.0, "a change gave {signed} valid signatures, the honest commit has {}", honest.0);
        }
    }

    #[test]
    fn changed_blocks_give_typed_errors(pick in any::<prop::sample::Index>(), value in replacement()) {
        let p = profile();
        let commit = p["commitAnswer"]["result"]["signed_header"].clone();
        let vote = json!({"type": 2, "height": "5", "round": 0, "block_id": commit["commit"]["block_id"], "timestamp": "2025-01-01T00:00:00Z",
            "validator_address": commit["commit"]["signatures"][0]["validator_address"], "validator_index": 0,
            "signature": commit["commit"]["signatures"][0]["signature"], "extension": null, "extension_signature": null});
        let mut block = json!({"jsonrpc": "2.0", "id": -1, "result": {"block_id": commit["commit"]["block_id"], "block": {
            "header": commit["header"], "data": {"txs": ["AAAA"]},
            "evidence": {"evidence": [{"type": "tendermint/DuplicateVoteEvidence", "value": {"vote_a": vote, "vote_b": vote,
                "total_voting_power": "100", "validator_power": "10", "timestamp": "2025-01-01T00:00:00Z"}}]},
            "last_commit": commit["commit"]}}});
        prop_assert!(decode_block(block.to_string().as_bytes()).is_ok());
        let mut all = Vec::new();
        paths(&block, Vec::new(), &mut all);
        let path = pick.get(&all).clone();
        *at_mut(&mut block, &path) = value;
        if let Ok(b) = decode_block(block.to_string().as_bytes()) {
            let _ = evidence_hash(&b.evidence);
            let _ = header_hash(&b.header);
        }
    }
}
