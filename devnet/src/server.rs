//! The devnet's own HTTP server: the manifest, the tab's static files (www/ and pkg/), the
//! report sink the relay forwards signed reports to, and the DA row-proof source the relay's
//! profile names (the devnet plays the blobs' disperser).

use crate::cometbft::CometChain;
use crate::da::DaNetwork;
use crate::files::StoredFile;
use crate::manifest::{CometManifest, Manifest, ManifestFile, StorageEntry};
use crate::network::Network;
use crate::reports::Reports;
use crate::serving::ServingNetwork;
use crate::storage_node::DEVNET_CHAIN_ID;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::CorsLayer;
use zg_align::cometbft::{ChainProfile, Timestamp};
use zg_align::report::{Rejection, SignedReportJson};

/// Largest request body the devnet reads.
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
    /// License state and report ledger.
    pub reports: Arc<Reports>,
    /// The chain's validators behind a CometBFT RPC.
    pub cometbft: Arc<CometChain>,
    /// Serving providers; the `timeout` one waits `slow` too.
    pub serving: Arc<ServingNetwork>,
    /// How the devnet's lying relay lies (none: every relay is honest).
    pub relay_lies: Vec<crate::lying_relay::RelayLie>,
    /// Relays in front of the network (at least one).
    pub relays: usize,
    /// Which of them tells `relay_lies` (0: the first).
    pub lying_relay: usize,
}

impl DevnetConfig {
    pub fn new(files: Vec<Arc<StoredFile>>, slow: Duration, www: PathBuf, pkg: PathBuf) -> Self {
        // With the provably misbehaving provider: the page shows every serving verdict.
        let serving = Arc::new(ServingNetwork::generate(slow, crate::serving::DEFAULT_SWAP_AFTER).with_wrong_answer());
        DevnetConfig {
            files,
            slow,
            www,
            pkg,
            da: Arc::new(DaNetwork::generate()),
            reports: Default::default(),
            serving,
            cometbft: Arc::new(CometChain::new(crate::cometbft::DEFAULT_HEAD, ChainProfile::ZG, now())),
            relay_lies: Vec::new(),
            relays: 1,
            lying_relay: 0,
        }
    }

    /// The same devnet with a chain of `head` heights whose last block is now (commits are signed
    /// on first request; [`CometChain::precompute`] signs them all ahead).
    pub fn with_heights(mut self, head: u64) -> Self {
        self.cometbft = Arc::new(CometChain::new(head, ChainProfile::ZG, now()));
        self
    }

    /// The same devnet with its serving providers replaced (tests: a short swap, a short delay).
    pub fn with_serving(mut self, serving: ServingNetwork) -> Self {
        self.serving = Arc::new(serving);
        self
    }
}

/// The wall clock as CometBFT writes time.
pub fn now() -> Timestamp {
    let millis = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    Timestamp::from_unix_millis(millis)
}

/// The manifest of a devnet whose network is `network` and whose relays dial at `relays` (the
/// first is `relay`).
pub fn manifest(config: &DevnetConfig, network: &Network, relays: Vec<String>) -> Manifest {
    Manifest {
        chain_id: DEVNET_CHAIN_ID,
        relay: relays.first().cloned(),
        relays,
        indexer: network.indexer.clone(),
        evm: network.evm.clone(),
        flow: zg_align::storage::FlowSource { flow: crate::flow::FLOW_CONTRACT, deploy_block: 0 },
        slow_ms: config.slow.as_millis() as u64,
        files: network.flow.entries.iter().map(|e| ManifestFile { name: e.file.name.clone(), flow: e.flow.clone() }).collect(),
        storage: network
            .storage
            .iter()
            .map(|(n, url)| StorageEntry { id: n.id.clone(), rpc: url.clone(), shard: n.shard, fault: n.fault.map(|f| f.name()) })
            .collect(),
        da: config.da.manifest(),
        licenses: config.reports.licenses.manifest(network.evm.clone()),
        cometbft: CometManifest { rpc: network.cometbft.clone(), chain: config.cometbft.manifest() },
        serving: config.serving.manifest(),
    }
}

struct AppState {
    manifest: Manifest,
    config: DevnetConfig,
}

/// The router of the devnet's own HTTP server.
pub fn app(config: &DevnetConfig, manifest: Manifest) -> Router {
    let state = Arc::new(AppState { manifest, config: config.clone() });
    Router::new()
        .route("/devnet.json", get(|State(s): State<Arc<AppState>>| async move { Json(s.manifest.clone()) }))
        .route("/reports", get(list_reports).post(publish_report))
        .route("/da-proofs/{root}", get(da_proofs))
        .with_state(state)
        // The page, the wasm, and the npm package's sources, which the page imports as an embedder
        // would (its wasm/ links to pkg/): as the relay serves them.
        .merge(zg_align_relay::tab::router(&config.www, &config.pkg))
        .layer(CorsLayer::permissive())
}

/// `200 {accepted: true, signer, licenseTokenId, round, digest}` or
/// `422 {accepted: false, reason: {kind, ..}, message}` (400 for a body that is no report).
async fn publish_report(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    if body.len() > MAX_REQUEST_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
    }
    let (status, result) = match serde_json::from_slice::<SignedReportJson>(&body) {
        Err(e) => (StatusCode::BAD_REQUEST, Err(Rejection::Malformed { message: e.to_string() })),
        Ok(report) => match state.config.reports.submit(&report) {
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

#[derive(serde::Deserialize)]
struct ProofQuery {
    rows: String,
}

/// `GET /da-proofs/{dataRoot}?rows=1,2,3`: each row's 0G Merkle proof (a serialized
/// `EncodedSliceMerkle`) as the blob's disperser holds it, `0x` hex, or `null` where the devnet
/// has none; at most 16 rows. The relay's row-proof source (0G serves no such thing).
async fn da_proofs(State(state): State<Arc<AppState>>, Path(root): Path<String>, Query(q): Query<ProofQuery>) -> Response {
    let Ok(root) = root.parse::<alloy_primitives::B256>() else {
        return (StatusCode::BAD_REQUEST, "the data root is not 32 bytes of hex").into_response();
    };
    let rows: Result<Vec<u16>, _> = q.rows.split(',').map(str::parse::<u16>).collect();
    let rows = match rows {
        Ok(rows) if !rows.is_empty() && rows.len() <= zg_align::da::retrieve::MAX_ROWS_PER_ASK => rows,
        _ => return (StatusCode::BAD_REQUEST, "rows must be 1 to 16 row numbers, comma-separated").into_response(),
    };
    let root = zg_align::Hash32(root.0);
    let proofs: Vec<Option<String>> = rows.iter().map(|&r| state.config.da.row_proof(&root, r).map(|p| format!("0x{}", hex::encode(p)))).collect();
    Json(proofs).into_response()
}

async fn list_reports(State(state): State<Arc<AppState>>) -> Response {
    Json(json!({"reports": state.config.reports.stored()})).into_response()
}

/// Binds `addr` (port 0 picks a free one) and returns the bound address and a listener to serve
/// `app` on once the manifest is known.
pub async fn bind(addr: SocketAddr) -> std::io::Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}
