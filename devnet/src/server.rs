//! The devnet's HTTP server: the manifest, one zgs JSON-RPC endpoint per storage node, and the
//! tab's static files (www/ and pkg/).

use crate::da::DaNetwork;
use crate::serving::ServingNetwork;
use crate::files::StoredFile;
use crate::manifest::{Manifest, StorageEntry};
use crate::validators::{self, ValidatorChain};
use zg_align::protocol::{FileEntry, NetworkMap, StorageNodeEntry};
use crate::storage_node::{StorageFault, StorageNode, DEVNET_CHAIN_ID};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use crate::evm;
use crate::reports::Reports;
use zg_align::report::{Rejection, SignedReportJson};
use tower_http::cors::CorsLayer;
use tower_http::services::ServeDir;

/// Largest JSON-RPC request a devnet node reads.
const MAX_REQUEST_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct DevnetConfig {
    pub files: Vec<Arc<StoredFile>>,
    /// How long the slow node waits before answering.
    pub slow: Duration,
    pub www: PathBuf,
    pub pkg: PathBuf,
    /// DA signers and blobs (generated: they hold no user data).
    pub da: Arc<DaNetwork>,
    /// License state and report ledger, shared with the libp2p side.
    pub reports: Arc<Reports>,
    pub validators: Arc<ValidatorChain>,
    /// Serving providers; the `timeout` one waits `slow` too.
    pub serving: Arc<ServingNetwork>,
}

impl DevnetConfig {
    pub fn new(files: Vec<Arc<StoredFile>>, slow: Duration, www: PathBuf, pkg: PathBuf) -> Self {
        let serving = Arc::new(ServingNetwork::generate(slow, crate::serving::DEFAULT_SWAP_AFTER));
        DevnetConfig {
            files,
            slow,
            www,
            pkg,
            da: Arc::new(DaNetwork::generate()),
            reports: Default::default(),
            serving,
            validators: Arc::new(ValidatorChain::new(crate::validators::DEFAULT_HEAD)),
        }
    }

    /// The same devnet with its serving providers replaced (tests: a short swap, a short delay).
    pub fn with_serving(mut self, serving: ServingNetwork) -> Self {
        self.serving = Arc::new(serving);
        self
    }
}

/// The storage nodes the devnet plays: two honest, then one per fault.
pub fn storage_nodes(config: &DevnetConfig) -> Vec<StorageNode> {
    let faults = [None, None, Some(StorageFault::Corrupt), Some(StorageFault::WrongIndex), Some(StorageFault::Withhold), Some(StorageFault::Slow)];
    faults
        .into_iter()
        .enumerate()
        .map(|(i, fault)| StorageNode { id: format!("storage-{i}"), fault, files: config.files.clone(), slow: config.slow })
        .collect()
}

struct AppState {
    manifest: Manifest,
    nodes: Vec<StorageNode>,
    reports: Arc<Reports>,
    serving: Arc<ServingNetwork>,
    started: Instant,
}

/// What the files and storage nodes are, as the libp2p side tells the light node.
pub fn network_map(config: &DevnetConfig, nodes: &[StorageNode]) -> NetworkMap {
    NetworkMap {
        files: config
            .files
            .iter()
            .map(|f| FileEntry { name: f.name.clone(), root: f.tree.root(), size: f.tree.layout().size() })
            .collect(),
        storage: nodes.iter().map(|n| StorageNodeEntry { id: n.id.clone() }).collect(),
        da: config.da.map.clone(),
        validators: Some(config.validators.info()),
        serving: config.serving.map.clone(),
    }
}

/// The manifest and the router for a devnet reachable at `addr`.
pub fn app(config: &DevnetConfig, addr: SocketAddr, nodes: Vec<StorageNode>, bootstrap: Option<String>) -> (Manifest, Router) {
    let manifest = Manifest {
        chain_id: DEVNET_CHAIN_ID,
        bootstrap,
        slow_ms: config.slow.as_millis() as u64,
        files: network_map(config, &nodes).files,
        storage: nodes
            .iter()
            .map(|n| StorageEntry {
                id: n.id.clone(),
                rpc: format!("http://{addr}/storage/{}", n.id),
                fault: n.fault.map(|f| f.name()),
            })
            .collect(),
        da: config.da.manifest(),
        licenses: config.reports.licenses.manifest(format!("http://{addr}/evm")),
        validators: config.validators.manifest_validators(),
        commit_faults: config.validators.manifest_commit_faults(),
        serving: config.serving.manifest(),
    };
    let state = Arc::new(AppState { manifest: manifest.clone(), nodes, reports: config.reports.clone(), serving: config.serving.clone(), started: Instant::now() });
    let router = Router::new()
        .route("/devnet.json", get(|State(s): State<Arc<AppState>>| async move { Json(s.manifest.clone()) }))
        .route("/storage/{id}", post(storage_rpc))
        .route("/evm", post(evm_rpc))
        .route("/reports", get(list_reports).post(publish_report))
        .route("/serving/{id}", post(serving_request))
        .with_state(state)
        .merge(validators::router(config.validators.clone()))
        .nest_service("/pkg", ServeDir::new(&config.pkg))
        .fallback_service(ServeDir::new(&config.www))
        .layer(CorsLayer::permissive());
    (manifest, router)
}

async fn storage_rpc(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> Response {
    let Some(node) = state.nodes.iter().find(|n| n.id == id) else {
        return (StatusCode::NOT_FOUND, format!("no storage node {id}")).into_response();
    };
    if body.len() > MAX_REQUEST_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    match serde_json::from_slice(&body) {
        Ok(request) => Json(node.handle(request).await).into_response(),
        Err(e) => Json(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {e}")}}))
            .into_response(),
    }
}

/// One block a second since the devnet started, so `eth_blockNumber` moves like a chain's.
async fn evm_rpc(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    if body.len() > MAX_REQUEST_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    let chain = evm::Chain { chain_id: DEVNET_CHAIN_ID, block_number: 1 + state.started.elapsed().as_secs() };
    match evm::handle_body(&state.reports.licenses, chain, &body) {
        Some(answer) => Json(answer).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// `200 {accepted: true, signer, licenseTokenId, round, digest}` or
/// `422 {accepted: false, reason: {kind, ..}, message}` (400 for a body that is no report).
async fn publish_report(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    if body.len() > MAX_REQUEST_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    let (status, result) = match serde_json::from_slice::<SignedReportJson>(&body) {
        Err(e) => (StatusCode::BAD_REQUEST, Err(Rejection::Malformed { message: e.to_string() })),
        Ok(report) => match state.reports.submit(&report) {
            Ok(accepted) => (StatusCode::OK, Ok(accepted)),
            Err(reason) => (StatusCode::UNPROCESSABLE_ENTITY, Err(reason)),
        },
    };
    let body = match result {
        Ok(a) => json!({"accepted": true, "signer": a.signer, "licenseTokenId": a.license_token_id, "round": a.round, "digest": a.digest}),
        Err(reason) => json!({"accepted": false, "message": reason.to_string(), "reason": reason}),
    };
    (status, Json(body)).into_response()
}

/// A chat request body to one provider: `200 {response: base64 bytes, signature: {text, signature,
/// signing_address}}`, the same answer as the libp2p `serve` request.
async fn serving_request(State(state): State<Arc<AppState>>, Path(id): Path<String>, body: Bytes) -> Response {
    if body.len() > MAX_REQUEST_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    let Ok(request) = std::str::from_utf8(&body) else {
        return (StatusCode::BAD_REQUEST, "request is not UTF-8").into_response();
    };
    match state.serving.serve(&id, request).await {
        Ok((response, signature)) => {
            use base64::Engine;
            Json(json!({"response": base64::engine::general_purpose::STANDARD.encode(response), "signature": signature})).into_response()
        }
        Err((code, message)) => (StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST), message).into_response(),
    }
}

async fn list_reports(State(state): State<Arc<AppState>>) -> Response {
    Json(json!({"reports": state.reports.stored()})).into_response()
}

/// Binds `addr` (port 0 picks a free one) and serves until the future is dropped.
pub async fn bind(
    config: &DevnetConfig,
    addr: SocketAddr,
    nodes: Vec<StorageNode>,
    bootstrap: Option<String>,
) -> std::io::Result<(Manifest, SocketAddr, impl std::future::Future<Output = std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let (manifest, router) = app(config, local, nodes, bootstrap);
    Ok((manifest, local, async move { axum::serve(listener, router).await }))
}
