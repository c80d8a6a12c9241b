//! CometBFT's RPC JSON, written as CometBFT writes it: JSON-RPC 2.0 envelopes with `id: -1` for
//! URI requests, 64-bit integers as decimal strings, 32-bit ones as numbers, hashes and
//! addresses as upper-case hex, signatures and keys as base64, times as RFC 3339 with nanoseconds.

use base64::Engine;
use serde_json::{json, Value};
use zg_align::cometbft::{Block, BlockId, ChainProfile, Commit, CommitSig, DuplicateVoteEvidence, Evidence, Header, Timestamp, Validator, Vote};

fn b64(bytes: &[u8]) -> Value {
    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn hex(bytes: &[u8]) -> Value {
    Value::String(hex::encode_upper(bytes))
}

fn time(t: Timestamp) -> Value {
    Value::String(t.to_string())
}

/// `{"jsonrpc":"2.0","id":-1,"result":...}`.
pub fn envelope(result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": -1, "result": result})
}

/// A JSON-RPC error as CometBFT answers one (`-32603` "Internal error" with the reason in `data`,
/// `-32602` "Invalid params").
pub fn error(code: i64, message: &str, data: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": -1, "error": {"code": code, "message": message, "data": data}})
}

pub fn block_id(id: &BlockId) -> Value {
    json!({"hash": hex(&id.hash), "parts": {"total": id.parts.total, "hash": hex(&id.parts.hash)}})
}

pub fn header(h: &Header) -> Value {
    json!({
        "version": {"block": h.version.block.to_string(), "app": h.version.app.to_string()},
        "chain_id": h.chain_id,
        "height": h.height.to_string(),
        "time": time(h.time),
        "last_block_id": block_id(&h.last_block_id),
        "last_commit_hash": hex(&h.last_commit_hash),
        "data_hash": hex(&h.data_hash),
        "validators_hash": hex(&h.validators_hash),
        "next_validators_hash": hex(&h.next_validators_hash),
        "consensus_hash": hex(&h.consensus_hash),
        "app_hash": hex(&h.app_hash),
        "last_results_hash": hex(&h.last_results_hash),
        "evidence_hash": hex(&h.evidence_hash),
        "proposer_address": hex(&h.proposer_address),
    })
}

pub fn commit(c: &Commit) -> Value {
    let signatures: Vec<Value> = c.signatures.iter().map(commit_sig).collect();
    json!({"height": c.height.to_string(), "round": c.round, "block_id": block_id(&c.block_id), "signatures": signatures})
}

/// One slot of a commit.
pub fn commit_sig(s: &CommitSig) -> Value {
    json!({
        "block_id_flag": s.flag.to_wire(),
        "validator_address": s.validator_address.map_or(Value::String(String::new()), |a| hex(&a.0)),
        "timestamp": time(s.timestamp),
        "signature": if s.signature.is_empty() { Value::Null } else { b64(&s.signature) },
    })
}

/// `/commit`'s result.
pub fn commit_result(h: &Header, c: &Commit, canonical: bool) -> Value {
    json!({"signed_header": {"header": header(h), "commit": commit(c)}, "canonical": canonical})
}

fn optional_b64(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        Value::Null
    } else {
        b64(bytes)
    }
}

pub fn vote(v: &Vote) -> Value {
    json!({
        "type": v.vote_type.to_wire(),
        "height": v.height.to_string(),
        "round": v.round,
        "block_id": block_id(&v.block_id),
        "timestamp": time(v.timestamp),
        "validator_address": hex(&v.validator_address.0),
        "validator_index": v.validator_index,
        "signature": b64(&v.signature),
        "extension": optional_b64(&v.extension),
        "extension_signature": optional_b64(&v.extension_signature),
    })
}

fn duplicate_vote(e: &DuplicateVoteEvidence) -> Value {
    json!({
        "type": "tendermint/DuplicateVoteEvidence",
        "value": {
            "vote_a": vote(&e.vote_a),
            "vote_b": vote(&e.vote_b),
            "total_voting_power": e.total_voting_power.to_string(),
            "validator_power": e.validator_power.to_string(),
            "timestamp": time(e.timestamp),
        }
    })
}

/// `/block`'s result.
pub fn block_result(b: &Block, txs: &[Vec<u8>]) -> Value {
    let evidence: Vec<Value> = b
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::DuplicateVote(d) => Some(duplicate_vote(d)),
            Evidence::Other { .. } => None,
        })
        .collect();
    json!({
        "block_id": block_id(&b.block_id),
        "block": {
            "header": header(&b.header),
            "data": {"txs": txs.iter().map(|t| b64(t)).collect::<Vec<_>>()},
            "evidence": {"evidence": evidence},
            "last_commit": b.last_commit.as_ref().map(commit),
        }
    })
}

/// One validator as `/validators` lists it.
pub fn validator(v: &Validator, profile: &ChainProfile) -> Value {
    json!({
        "address": hex(&v.address.0),
        "pub_key": {"type": v.key.type_name(), "value": b64(&v.key.chain_bytes(profile))},
        "voting_power": v.power.to_string(),
        "proposer_priority": "0",
    })
}

/// `/validators`' result for one page.
pub fn validators_result(height: u64, page: &[Validator], total: usize, profile: &ChainProfile) -> Value {
    json!({
        "block_height": height.to_string(),
        "validators": page.iter().map(|v| validator(v, profile)).collect::<Vec<_>>(),
        "count": page.len().to_string(),
        "total": total.to_string(),
    })
}
