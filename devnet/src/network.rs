//! The devnet's 0G network on loopback, each part on its own port and in its own protocol, as the
//! relay reaches 0G's: one zgs JSON-RPC endpoint per storage node, a storage indexer, the EVM
//! chain's JSON-RPC (licenses, the Flow contract's logs, the DASigners precompile, DAEntrance's
//! certificates, the InferenceServing contract), the chain's CometBFT RPC, one gRPC server per
//! DA signer and one HTTP server per serving provider.

use crate::evm::{self, Chain, EvmState};
use crate::flow::Flow;
use crate::server::DevnetConfig;
use crate::storage_node::{StorageFault, StorageNode, DEVNET_CHAIN_ID};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use zg_align::storage::rpc::ShardConfig;

/// Largest JSON-RPC request a devnet endpoint reads.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// The chain's height when the devnet starts; it grows by one block a second.
pub const GENESIS_HEIGHT: u64 = 100;

/// The devnet chain's clock: one block a second since the devnet started.
#[derive(Debug, Clone, Copy)]
pub struct Clock(Instant);

impl Clock {
    pub fn start() -> Clock {
        Clock(Instant::now())
    }

    pub fn block_number(&self) -> u64 {
        GENESIS_HEIGHT + self.0.elapsed().as_secs()
    }
}

/// The storage nodes the devnet plays: two honest ones sharded two ways (together they hold
/// everything), then one unsharded node per fault.
pub fn storage_nodes(config: &DevnetConfig, flow: &Arc<Flow>) -> Vec<StorageNode> {
    let shard = |id, n| ShardConfig::new(id, n).expect("valid shard");
    let nodes = [
        (None, shard(0, 2)),
        (None, shard(1, 2)),
        (Some(StorageFault::Corrupt), shard(0, 1)),
        (Some(StorageFault::WrongIndex), shard(0, 1)),
        (Some(StorageFault::Withhold), shard(0, 1)),
        (Some(StorageFault::Slow), shard(0, 1)),
    ];
    nodes
        .into_iter()
        .enumerate()
        .map(|(i, (fault, shard))| StorageNode { id: format!("storage-{i}"), fault, shard, flow: flow.clone(), slow: config.slow })
        .collect()
}

/// A running devnet network: where each part answers.
pub struct Network {
    pub flow: Arc<Flow>,
    /// Each storage node and its zgs JSON-RPC URL.
    pub storage: Vec<(StorageNode, String)>,
    pub indexer: String,
    pub evm: String,
    /// The CometBFT RPC of the chain's validators (`/status`, `/commit`, `/validators`, `/block`).
    pub cometbft: String,
    pub clock: Clock,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Network {
    fn drop(&mut self) {
        self.tasks.iter().for_each(|t| t.abort());
    }
}

impl Network {
    /// Starts every endpoint on `ip`, each on a free port.
    pub async fn start(config: &DevnetConfig, ip: IpAddr) -> std::io::Result<Network> {
        let clock = Clock::start();
        let flow = Arc::new(Flow::new(&config.files));
        let mut tasks = Vec::new();
        let mut storage = Vec::new();
        for node in storage_nodes(config, &flow) {
            let state = Arc::new((node.clone(), clock));
            let router = Router::new().route("/", post(storage_rpc)).with_state(state);
            let (url, task) = serve(ip, router).await?;
            tasks.push(task);
            storage.push((node, url));
        }
        let listed: Vec<Value> = storage
            .iter()
            .map(|(n, url)| json!({"url": url, "config": n.shard, "latency": 1, "since": 1_700_000_000}))
            .collect();
        let indexer_state = Arc::new(Indexer { nodes: listed, flow: flow.clone() });
        let (indexer, task) = serve(ip, Router::new().route("/", post(indexer_rpc)).with_state(indexer_state)).await?;
        tasks.push(task);
        // DA signers answer gRPC and providers HTTP, each on its own port: the precompile and the
        // serving contract name those sockets and URLs.
        crate::da_grpc::serve_signers(config.da.clone()).await?;
        crate::serving_http::serve_providers(config.serving.clone()).await?;
        let evm_state = EvmState { licenses: config.reports.licenses.clone(), flow: flow.clone(), da: config.da.clone(), serving: config.serving.clone() };
        let evm_state = Arc::new((evm_state, clock));
        let (evm, task) = serve(ip, Router::new().route("/", post(evm_rpc)).with_state(evm_state)).await?;
        tasks.push(task);
        let (cometbft, task) = serve_cometbft(config, ip).await?;
        tasks.push(task);
        Ok(Network { flow, storage, indexer, evm, cometbft, clock, tasks })
    }
}

/// Serves `router` on a free port of `ip`. Any origin may call it, as 0G's public RPCs and indexer
/// allow (the tab's `transport=http` mode and the wallet's `eth_call` need it).
async fn serve(ip: IpAddr, router: Router) -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    let router = router.layer(tower_http::cors::CorsLayer::permissive());
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, 0)).await?;
    let url = format!("http://{}", listener.local_addr()?);
    let task = tokio::spawn(async move {
        let _ = zg_align_relay::http_server::serve(listener, router).await;
    });
    Ok((url, task))
}

/// The chain's CometBFT RPC on a free port of `ip`, with CORS closed as CometBFT's default is
/// (only the relay reads it).
async fn serve_cometbft(config: &DevnetConfig, ip: IpAddr) -> std::io::Result<(String, tokio::task::JoinHandle<()>)> {
    let (addr, server) = crate::cometbft::serve(config.cometbft.clone(), SocketAddr::new(ip, 0)).await?;
    let task = tokio::spawn(async move {
        let _ = server.await;
    });
    Ok((format!("http://{addr}"), task))
}

fn too_large(body: &Bytes) -> Option<Response> {
    (body.len() > MAX_REQUEST_BYTES).then(|| (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response())
}

fn parse_error(e: serde_json::Error) -> Response {
    Json(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {e}")}})).into_response()
}

async fn storage_rpc(State(state): State<Arc<(StorageNode, Clock)>>, body: Bytes) -> Response {
    if let Some(refused) = too_large(&body) {
        return refused;
    }
    let (node, clock) = &*state;
    match serde_json::from_slice(&body) {
        Ok(request) => Json(node.handle(request, clock.block_number()).await).into_response(),
        Err(e) => parse_error(e),
    }
}

/// The storage indexer: every node with its shard (all trusted), and where a file is.
struct Indexer {
    nodes: Vec<Value>,
    flow: Arc<Flow>,
}

async fn indexer_rpc(State(indexer): State<Arc<Indexer>>, body: Bytes) -> Response {
    if let Some(refused) = too_large(&body) {
        return refused;
    }
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return parse_error(e),
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let result = match request.get("method").and_then(Value::as_str) {
        Some("indexer_getShardedNodes") => Ok(json!({"trusted": indexer.nodes, "discovered": []})),
        Some("indexer_getFileLocations") => {
            let root = request["params"][0].as_str().and_then(|r| r.parse::<zg_align::Hash32>().ok());
            match root.and_then(|r| indexer.flow.by_root(&r)) {
                Some(_) => Ok(Value::Array(indexer.nodes.clone())),
                None => Err((-32000, "file not found")),
            }
        }
        _ => Err((-32601, "the method does not exist/is not available")),
    };
    Json(match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err((code, message)) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
    })
    .into_response()
}

async fn evm_rpc(State(state): State<Arc<(EvmState, Clock)>>, body: Bytes) -> Response {
    if let Some(refused) = too_large(&body) {
        return refused;
    }
    let (evm_state, clock) = &*state;
    let chain = Chain { chain_id: DEVNET_CHAIN_ID, block_number: clock.block_number() };
    match evm::handle_body(evm_state, chain, &body) {
        Some(answer) => Json(answer).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}
