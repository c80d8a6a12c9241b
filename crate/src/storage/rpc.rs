//! The zgs JSON-RPC shapes we use, and a strict reader for untrusted answers.
//!
//! Field names are camelCase as on the wire; segment data is base64. Every answer is capped in
//! bytes before it is parsed, and decoded sizes are checked before they are used.

use super::layout::SEGMENT_SIZE;
use super::proof::FileProof;
use crate::hash::Hash32;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

/// Largest `zgs_downloadSegmentWithProof` answer we read: base64 of 256 KiB plus a proof.
pub const MAX_SEGMENT_RESPONSE_BYTES: usize = 512 * 1024;
/// Largest answer for the small calls (status, file info).
pub const MAX_SMALL_RESPONSE_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RpcError {
    #[error("answer is {received} bytes, over the {limit}-byte cap")]
    TooLarge { limit: usize, received: usize },
    #[error("answer is not valid JSON-RPC: {message}")]
    Malformed { message: String },
    #[error("answer has id {received}, not {expected}")]
    WrongId { expected: u64, received: String },
    #[error("node answered error {code}: {message}")]
    Remote { code: i64, message: String },
    #[error("segment data is not valid base64: {message}")]
    Base64 { message: String },
    #[error("segment data is {received} bytes, over the {limit}-byte segment size")]
    DataTooLarge { limit: usize, received: usize },
}

/// One JSON-RPC 2.0 request body.
pub fn request_body(id: u64, method: &str, params: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
        .expect("a JSON value serialises")
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Envelope<T> {
    /// As text: an id is a number, and anything else (a list of a million zeros) costs no more
    /// than its bytes.
    id: Box<serde_json::value::RawValue>,
    #[serde(default = "absent", deserialize_with = "present")]
    result: Option<Option<T>>,
    #[serde(default)]
    error: Option<RemoteError>,
}

#[derive(Deserialize)]
struct RemoteError {
    code: i64,
    #[serde(default)]
    message: String,
}

fn absent<T>() -> Option<Option<T>> {
    None
}

/// Tells a `"result": null` (Some(None)) from a missing result (None).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Reads a JSON-RPC answer to request `id`. `Ok(None)` is a `null` result.
pub fn parse_response<T: DeserializeOwned>(body: &[u8], id: u64, limit: usize) -> Result<Option<T>, RpcError> {
    if body.len() > limit {
        return Err(RpcError::TooLarge { limit, received: body.len() });
    }
    let envelope: Envelope<T> =
        crate::bounded_json::from_bytes(body).map_err(|e| RpcError::Malformed { message: crate::bounded_json::short_error(&e) })?;
    if envelope.id.get().parse::<u64>().ok() != Some(id) {
        return Err(RpcError::WrongId { expected: id, received: truncate(envelope.id.get(), 80) });
    }
    match (envelope.result, envelope.error) {
        (_, Some(e)) => Err(RpcError::Remote { code: e.code, message: truncate(&e.message, 200) }),
        (Some(result), None) => Ok(result),
        (None, None) => Err(RpcError::Malformed { message: "neither result nor error".into() }),
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// `zgs_getStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub connected_peers: u64,
    pub log_sync_height: u64,
    pub log_sync_block: Hash32,
    pub next_tx_seq: u64,
    pub network_identity: NetworkIdentity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkIdentity {
    pub chain_id: u64,
    pub flow_address: String,
    pub p2p_protocol_version: ProtocolVersion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolVersion {
    pub major: u64,
    pub minor: u64,
    pub build: u64,
}

/// `zgs_getFileInfo(root, needAvailable)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    pub tx: Transaction,
    pub finalized: bool,
    pub is_cached: bool,
    pub uploaded_seg_num: u64,
    #[serde(default)]
    pub pruned: bool,
}

/// The flow transaction that submitted a file, as 0g-storage-node's `shared_types::Transaction`
/// serialises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// `U256`s, as `0x` hex strings.
    pub stream_ids: Vec<String>,
    /// In-place data: a Rust `Vec<u8>`, so a JSON array of numbers (empty for flow submissions).
    pub data: Vec<u8>,
    pub data_merkle_root: Hash32,
    /// `[depth, root]` of each submitted subtree; depth is the submission node's height + 1.
    pub merkle_nodes: Vec<(u64, Hash32)>,
    pub start_entry_index: u64,
    pub size: u64,
    pub seq: u64,
}

/// `zgs_getShardConfig`: which segments the node keeps (see [`super::shard`]).
pub use super::shard::ShardConfig;

/// `zgs_downloadSegmentWithProof(root, index)`, data decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentWithProof {
    pub root: Hash32,
    pub data: Vec<u8>,
    pub index: u64,
    pub proof: FileProof,
    pub file_size: u64,
}

/// The wire form; `data` stays base64 until it is checked.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SegmentWire {
    root: Hash32,
    data: String,
    index: u64,
    proof: FileProof,
    file_size: u64,
}

impl SegmentWithProof {
    /// Reads a `zgs_downloadSegmentWithProof` answer: `Ok(None)` when the node returned null.
    pub fn parse_response(body: &[u8], id: u64) -> Result<Option<Self>, RpcError> {
        let Some(wire) = parse_response::<SegmentWire>(body, id, MAX_SEGMENT_RESPONSE_BYTES)? else {
            return Ok(None);
        };
        let limit = SEGMENT_SIZE;
        if base64::decoded_len_estimate(wire.data.len()) > limit + 3 {
            return Err(RpcError::DataTooLarge { limit, received: base64::decoded_len_estimate(wire.data.len()) });
        }
        let data = base64::engine::general_purpose::STANDARD
            .decode(wire.data.as_bytes())
            .map_err(|e| RpcError::Base64 { message: e.to_string() })?;
        if data.len() > limit {
            return Err(RpcError::DataTooLarge { limit, received: data.len() });
        }
        Ok(Some(SegmentWithProof {
            root: wire.root,
            data,
            index: wire.index,
            proof: wire.proof,
            file_size: wire.file_size,
        }))
    }

    /// The JSON the zgs RPC returns for this segment (the devnet's side).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(SegmentWire {
            root: self.root,
            data: base64::engine::general_purpose::STANDARD.encode(&self.data),
            index: self.index,
            proof: self.proof.clone(),
            file_size: self.file_size,
        })
        .expect("segment serialises")
    }
}
