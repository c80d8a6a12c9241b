//! A storage node of the devnet: a zgs JSON-RPC endpoint as 0g-storage-node answers it (shapes,
//! error codes, `null`s), over the flow's files, keeping only its shard's segments, honest or with
//! one fault.

use crate::flow::{Flow, FlowEntry, FLOW_CONTRACT};
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use zg_align::storage::rpc::{FileInfo, NetworkIdentity, ProtocolVersion, ShardConfig, Status, Transaction};
use zg_align::storage::{SegmentWithProof, CHUNKS_PER_SEGMENT, CHUNK_SIZE};
use zg_align::Hash32;

/// The ways a devnet storage node breaks the protocol. Names are stable: tests rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StorageFault {
    /// Flips one byte of the middle segment of each file (the proof stays honest).
    Corrupt,
    /// Answers segment i with the data and proof of segment i + 1, still labelled i.
    WrongIndex,
    /// Returns null for every odd segment index.
    Withhold,
    /// Answers honestly, but only after the devnet's slow delay.
    Slow,
}

impl StorageFault {
    pub fn name(&self) -> &'static str {
        match self {
            StorageFault::Corrupt => "corrupt",
            StorageFault::WrongIndex => "wrong-index",
            StorageFault::Withhold => "withhold",
            StorageFault::Slow => "slow",
        }
    }
}

/// The devnet's EVM chain id (0G mainnet is 16661, Galileo 16602).
pub const DEVNET_CHAIN_ID: u64 = 31337;

#[derive(Debug, Clone)]
pub struct StorageNode {
    pub id: String,
    pub fault: Option<StorageFault>,
    pub shard: ShardConfig,
    pub flow: Arc<Flow>,
    pub slow: Duration,
}

/// A JSON-RPC error object: code, message, data.
type RpcFailure = (i64, String, Option<String>);

impl StorageNode {
    /// Answers one JSON-RPC request body (already parsed as JSON) with a response body.
    /// `synced_block` is how far the node's log sync has come.
    pub async fn handle(&self, request: Value, synced_block: u64) -> Value {
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        if self.fault == Some(StorageFault::Slow) {
            tokio::time::sleep(self.slow).await;
        }
        let method = request.get("method").and_then(Value::as_str).unwrap_or("");
        let params = request.get("params").cloned().unwrap_or(json!([]));
        match self.dispatch(method, &params, synced_block) {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err((code, message, data)) => {
                let mut error = json!({"code": code, "message": message});
                if let Some(data) = data {
                    error["data"] = json!(data);
                }
                json!({"jsonrpc": "2.0", "id": id, "error": error})
            }
        }
    }

    fn dispatch(&self, method: &str, params: &Value, synced_block: u64) -> Result<Value, RpcFailure> {
        let json = |v: Option<Value>| v.unwrap_or(Value::Null);
        match method {
            "zgs_getStatus" => Ok(serde_json::to_value(self.status(synced_block)).expect("serialises")),
            "zgs_getShardConfig" => Ok(serde_json::to_value(self.shard).expect("serialises")),
            "zgs_getFileInfo" => Ok(json(self.by_root(param(params, 0)?)?.map(file_info))),
            "zgs_getFileInfoByTxSeq" => Ok(json(self.by_seq(param(params, 0)?)?.map(file_info))),
            "zgs_checkFileFinalized" => {
                let p = param(params, 0)?;
                let entry = if p.is_string() { self.by_root(p)? } else { self.by_seq(p)? };
                Ok(json(entry.map(|_| json!(true))))
            }
            "zgs_downloadSegmentWithProof" => {
                let entry = self.by_root(param(params, 0)?)?;
                self.segment_with_proof(entry, index(params, 1)?)
            }
            "zgs_downloadSegmentWithProofByTxSeq" => {
                let entry = self.by_seq(param(params, 0)?)?;
                self.segment_with_proof(entry, index(params, 1)?)
            }
            "zgs_downloadSegment" => {
                let entry = self.by_root(param(params, 0)?)?;
                self.chunks(entry, index(params, 1)?, index(params, 2)?)
            }
            "zgs_downloadSegmentByTxSeq" => {
                let entry = self.by_seq(param(params, 0)?)?;
                self.chunks(entry, index(params, 1)?, index(params, 2)?)
            }
            _ => Err((-32601, "Method not found".into(), None)),
        }
    }

    fn status(&self, synced_block: u64) -> Status {
        Status {
            connected_peers: 5,
            log_sync_height: synced_block,
            log_sync_block: Hash32([0x11; 32]),
            next_tx_seq: self.flow.entries.len() as u64,
            network_identity: NetworkIdentity {
                chain_id: DEVNET_CHAIN_ID,
                flow_address: FLOW_CONTRACT.to_string(),
                p2p_protocol_version: ProtocolVersion { major: 0, minor: 4, build: 0 },
            },
        }
    }

    fn by_root(&self, root: &Value) -> Result<Option<&FlowEntry>, RpcFailure> {
        let root: Hash32 = root
            .as_str()
            .ok_or_else(|| invalid("root", "must be a hex string"))?
            .parse()
            .map_err(|e: zg_align::hash::HashParseError| invalid("root", &e.to_string()))?;
        Ok(self.flow.by_root(&root))
    }

    fn by_seq(&self, seq: &Value) -> Result<Option<&FlowEntry>, RpcFailure> {
        Ok(self.flow.by_seq(seq.as_u64().ok_or_else(|| invalid("tx_seq", "must be a number"))?))
    }

    /// Whether this node keeps segment `index` of `entry` (its shard's rule).
    fn keeps(&self, entry: &FlowEntry, index: u64) -> bool {
        self.shard.holds(entry.flow.start_entry_index, index)
    }

    /// Segment `index` with its proof, as this node serves it: `null` out of its shard or withheld,
    /// `-32602 index out of bound` past the file.
    fn segment_with_proof(&self, entry: Option<&FlowEntry>, index: u64) -> Result<Value, RpcFailure> {
        let Some(entry) = entry else { return Ok(Value::Null) };
        let segments = entry.file.tree.layout().data_segments();
        if index >= segments {
            return Err(invalid("index", "index out of bound"));
        }
        if !self.keeps(entry, index) {
            return Ok(Value::Null);
        }
        let segment = match self.fault {
            Some(StorageFault::Withhold) if index % 2 == 1 => return Ok(Value::Null),
            Some(StorageFault::WrongIndex) if segments > 1 => {
                let mut other = honest_segment(entry, (index + 1) % segments);
                other.index = index;
                other
            }
            Some(StorageFault::Corrupt) if index == segments / 2 => {
                let mut segment = honest_segment(entry, index);
                segment.data[0] ^= 0x01;
                segment
            }
            _ => honest_segment(entry, index),
        };
        Ok(segment.to_json())
    }

    /// Chunks `start..end` of the file (within one segment), base64, as `zgs_downloadSegment`.
    fn chunks(&self, entry: Option<&FlowEntry>, start: u64, end: u64) -> Result<Value, RpcFailure> {
        let Some(entry) = entry else { return Ok(Value::Null) };
        if start >= end {
            return Err(invalid("end_index", "invalid chunk index"));
        }
        if end - start > CHUNKS_PER_SEGMENT as u64 {
            return Err(invalid("end_index", &format!("exceeds maximum chunks {CHUNKS_PER_SEGMENT}")));
        }
        let chunks = entry.file.tree.layout().chunks();
        let index = start / CHUNKS_PER_SEGMENT as u64;
        if end > chunks || !self.keeps(entry, index) || (self.fault == Some(StorageFault::Withhold) && index % 2 == 1) {
            return Ok(Value::Null);
        }
        let mut data = entry.file.data.get(start as usize * CHUNK_SIZE..).unwrap_or_default().to_vec();
        data.resize((end - start) as usize * CHUNK_SIZE, 0);
        if self.fault == Some(StorageFault::Corrupt) && index == entry.file.tree.layout().data_segments() / 2 {
            data[0] ^= 0x01;
        }
        Ok(json!(base64::engine::general_purpose::STANDARD.encode(data)))
    }
}

/// What an honest node returns for a data segment: full segments, the last one cut after its last
/// data chunk, that chunk zero-padded.
pub fn honest_segment(entry: &FlowEntry, index: u64) -> SegmentWithProof {
    let file = &entry.file;
    let layout = file.tree.layout();
    let len = layout.segment_data_len(index).expect("data segment");
    let start = index as usize * zg_align::storage::SEGMENT_SIZE;
    let mut data = file.data[start..(start + len).min(file.data.len())].to_vec();
    data.resize(len, 0);
    SegmentWithProof { root: file.tree.root(), data, index, proof: file.tree.proof(index).expect("data segment is in the tree"), file_size: layout.size() }
}

/// `zgs_getFileInfo` as the node answers for a finalized file of the flow.
fn file_info(entry: &FlowEntry) -> Value {
    let layout = entry.file.tree.layout();
    let info = FileInfo {
        tx: Transaction {
            stream_ids: vec![],
            data: vec![],
            data_merkle_root: entry.flow.root,
            // The node keeps each submission node's height + 1 (0g-storage-node log sync).
            merkle_nodes: entry.nodes.iter().map(|(root, height)| (*height as u64 + 1, *root)).collect(),
            start_entry_index: entry.flow.start_entry_index,
            size: entry.flow.size,
            seq: entry.flow.tx_seq,
        },
        finalized: true,
        is_cached: false,
        uploaded_seg_num: layout.data_segments(),
        pruned: false,
    };
    serde_json::to_value(info).expect("serialises")
}

fn param(params: &Value, i: usize) -> Result<&Value, RpcFailure> {
    params.get(i).ok_or_else(|| (-32602, "invalid length of params".into(), None))
}

fn index(params: &Value, i: usize) -> Result<u64, RpcFailure> {
    param(params, i)?.as_u64().ok_or_else(|| invalid("index", "must be a number"))
}

/// 0g-storage-node's `error::invalid_params`: `-32602`, "Invalid params: PARAM", the reason as data.
fn invalid(param: &str, message: &str) -> RpcFailure {
    (-32602, format!("Invalid params: {param}"), Some(message.to_string()))
}
