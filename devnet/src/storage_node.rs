//! A storage node of the devnet: a zgs JSON-RPC endpoint over the shared files, honest or with
//! one fault.

use crate::files::StoredFile;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use zg_align::storage::rpc::{FileInfo, NetworkIdentity, ProtocolVersion, Status, Transaction};
use zg_align::storage::SegmentWithProof;
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
    pub files: Vec<Arc<StoredFile>>,
    pub slow: Duration,
}

/// A JSON-RPC error object's code and message.
type RpcFailure = (i64, String);

impl StorageNode {
    /// Answers one JSON-RPC request body (already parsed as JSON) with a response body.
    pub async fn handle(&self, request: Value) -> Value {
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        if self.fault == Some(StorageFault::Slow) {
            tokio::time::sleep(self.slow).await;
        }
        let method = request.get("method").and_then(Value::as_str).unwrap_or("");
        let params = request.get("params").cloned().unwrap_or(json!([]));
        match self.dispatch(method, &params) {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err((code, message)) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
        }
    }

    fn dispatch(&self, method: &str, params: &Value) -> Result<Value, RpcFailure> {
        match method {
            "zgs_getStatus" => Ok(serde_json::to_value(self.status()).expect("serialises")),
            "zgs_getFileInfo" => {
                let file = self.file(param(params, 0)?)?;
                Ok(file.map_or(Value::Null, |f| serde_json::to_value(file_info(f)).expect("serialises")))
            }
            "zgs_downloadSegmentWithProof" => {
                let file = self.file(param(params, 0)?)?;
                let index = param(params, 1)?.as_u64().ok_or_else(|| invalid("index must be a number"))?;
                Ok(file.and_then(|f| self.segment(f, index)).map_or(Value::Null, |s| s.to_json()))
            }
            _ => Err((-32601, format!("Method not found: {method}"))),
        }
    }

    fn status(&self) -> Status {
        Status {
            connected_peers: 5,
            log_sync_height: 1000,
            log_sync_block: Hash32([0x11; 32]),
            next_tx_seq: self.files.len() as u64,
            network_identity: NetworkIdentity {
                chain_id: DEVNET_CHAIN_ID,
                flow_address: "0x0000000000000000000000000000000000000f10".into(),
                p2p_protocol_version: ProtocolVersion { major: 0, minor: 4, build: 0 },
            },
        }
    }

    fn file(&self, root: &Value) -> Result<Option<&StoredFile>, RpcFailure> {
        let root: Hash32 = root
            .as_str()
            .ok_or_else(|| invalid("root must be a string"))?
            .parse()
            .map_err(|e| invalid(&format!("root: {e}")))?;
        Ok(self.files.iter().find(|f| f.tree.root() == root).map(|f| f.as_ref()))
    }

    /// Segment `index` as this node serves it: honestly, or with its fault.
    fn segment(&self, file: &StoredFile, index: u64) -> Option<SegmentWithProof> {
        let segments = file.tree.layout().data_segments();
        if index >= segments {
            return None;
        }
        match self.fault {
            Some(StorageFault::Withhold) if index % 2 == 1 => None,
            Some(StorageFault::WrongIndex) if segments > 1 => {
                let mut other = honest_segment(file, (index + 1) % segments);
                other.index = index;
                Some(other)
            }
            Some(StorageFault::Corrupt) if index == segments / 2 => {
                let mut segment = honest_segment(file, index);
                segment.data[0] ^= 0x01;
                Some(segment)
            }
            _ => Some(honest_segment(file, index)),
        }
    }
}

/// What an honest node returns for a data segment: full segments, the last one cut after its last
/// data chunk, that chunk zero-padded.
pub fn honest_segment(file: &StoredFile, index: u64) -> SegmentWithProof {
    let layout = file.tree.layout();
    let len = layout.segment_data_len(index).expect("data segment");
    let start = index as usize * zg_align::storage::SEGMENT_SIZE;
    let mut data = file.data[start..(start + len).min(file.data.len())].to_vec();
    data.resize(len, 0);
    SegmentWithProof {
        root: file.tree.root(),
        data,
        index,
        proof: file.tree.proof(index).expect("data segment is in the tree"),
        file_size: layout.size(),
    }
}

fn file_info(file: &StoredFile) -> FileInfo {
    FileInfo {
        tx: Transaction {
            stream_ids: vec![],
            data: json!("0x"),
            data_merkle_root: file.tree.root(),
            // The devnet does not play the flow contract's submission subtrees.
            merkle_nodes: vec![],
            start_entry_index: 0,
            size: file.tree.layout().size(),
            seq: 0,
        },
        finalized: true,
        is_cached: false,
        uploaded_seg_num: file.tree.layout().data_segments(),
        pruned: false,
    }
}

fn param(params: &Value, i: usize) -> Result<&Value, RpcFailure> {
    params.get(i).ok_or_else(|| invalid(&format!("missing parameter {i}")))
}

fn invalid(message: &str) -> RpcFailure {
    (-32602, format!("Invalid params: {message}"))
}
