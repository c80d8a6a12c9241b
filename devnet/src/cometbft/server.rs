//! The devnet's chain behind CometBFT's RPC: `GET /status`, `/commit?height=`,
//! `/validators?height=&page=&per_page=` and `/block?height=`, answered as CometBFT answers them
//! (JSON-RPC envelope, its error codes and messages for a height out of range or a page that does
//! not exist, `per_page` 30 by default and at most 100, the latest height when none is given).
//! Signing happens off the async threads.

use super::chain::CometChain;
use super::json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

/// CometBFT's `defaultPerPage` and `maxPerPage`.
const DEFAULT_PER_PAGE: usize = 30;
const MAX_PER_PAGE: usize = 100;

/// Query parameters as CometBFT reads them (absent ones take its defaults).
#[derive(Debug, Deserialize)]
struct Params {
    height: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

/// An answer: 200 with a JSON-RPC result, or CometBFT's HTTP 500 with a JSON-RPC error.
fn answer(result: Result<Value, (i64, &'static str, String)>) -> Response {
    match result {
        Ok(value) => Json(json::envelope(value)).into_response(),
        Err((code, message, data)) => (StatusCode::INTERNAL_SERVER_ERROR, Json(json::error(code, message, &data))).into_response(),
    }
}

type RpcResult = Result<Value, (i64, &'static str, String)>;

fn invalid(data: String) -> (i64, &'static str, String) {
    (-32602, "Invalid params", data)
}

fn internal(data: String) -> (i64, &'static str, String) {
    (-32603, "Internal error", data)
}

/// An integer parameter (CometBFT also takes it quoted).
fn int_param(value: &Option<String>, name: &str) -> Result<Option<i64>, (i64, &'static str, String)> {
    let Some(text) = value else { return Ok(None) };
    let text = text.trim_matches('"');
    text.parse::<i64>().map(Some).map_err(|e| invalid(format!("error converting {name} parameter: {e}")))
}

/// CometBFT's `getHeight`: the latest when absent; errors above it or below 1.
fn height(chain: &CometChain, params: &Params) -> Result<u64, (i64, &'static str, String)> {
    match int_param(&params.height, "height")? {
        None => Ok(chain.head()),
        Some(h) if h <= 0 => Err(internal(format!("height must be greater than 0, but got {h}"))),
        Some(h) if h as u64 > chain.head() => {
            Err(internal(format!("height {h} must be less than or equal to the current blockchain height {}", chain.head())))
        }
        Some(h) => Ok(h as u64),
    }
}

fn status(chain: &CometChain) -> Value {
    let head = chain.head();
    let latest = chain.header(head);
    let first = chain.header(1);
    let node_key = chain.node_key();
    json!({
        "node_info": {
            "protocol_version": {"p2p": "9", "block": "11", "app": "1"},
            "id": "0000000000000000000000000000000000000000",
            "listen_addr": "tcp://127.0.0.1:26656",
            "network": chain.chain_id(),
            "version": "1.0.0-rc1",
            "channels": "40202122233038606100",
            "moniker": "zg-align-devnet",
            "other": {"tx_index": "on", "rpc_address": "tcp://127.0.0.1:26657"},
        },
        "sync_info": {
            "latest_block_hash": hex::encode_upper(chain.hash(head).0),
            "latest_app_hash": hex::encode_upper(&latest.app_hash),
            "latest_block_height": head.to_string(),
            "latest_block_time": latest.time.to_string(),
            "earliest_block_hash": hex::encode_upper(chain.hash(1).0),
            "earliest_app_hash": hex::encode_upper(&first.app_hash),
            "earliest_block_height": "1",
            "earliest_block_time": first.time.to_string(),
            "catching_up": false,
        },
        // The RPC node is a full node: its own key, no voting power.
        "validator_info": {
            "address": node_key.address(&chain.profile()).to_hex(),
            "pub_key": {"type": node_key.type_name(), "value": base64::engine::general_purpose::STANDARD.encode(node_key.chain_bytes(&chain.profile()))},
            "voting_power": "0",
        },
    })
}

fn commit(chain: &CometChain, params: &Params) -> RpcResult {
    let h = height(chain, params)?;
    // The latest height's commit is the node's own last seen one, not yet canonical.
    Ok(json::commit_result(chain.header(h), &chain.commit(h), h < chain.head()))
}

fn validators(chain: &CometChain, params: &Params) -> RpcResult {
    let h = height(chain, params)?;
    let set = chain.set(h);
    let per_page = match int_param(&params.per_page, "per_page")? {
        None => DEFAULT_PER_PAGE,
        Some(n) if n < 1 => DEFAULT_PER_PAGE,
        Some(n) => (n as usize).min(MAX_PER_PAGE),
    };
    let pages = set.len().div_ceil(per_page).max(1);
    let page = int_param(&params.page, "page")?.unwrap_or(1);
    if page < 1 || page as usize > pages {
        return Err(internal(format!("page should be within [1, {pages}] range, given {page}")));
    }
    let start = (page as usize - 1) * per_page;
    let end = (start + per_page).min(set.len());
    Ok(json::validators_result(h, &set.validators()[start..end], set.len(), &chain.profile()))
}

fn block(chain: &CometChain, params: &Params) -> RpcResult {
    let h = height(chain, params)?;
    Ok(json::block_result(&chain.block(h), chain.txs(h)))
}

/// Runs `f` on the blocking pool (it may sign a commit).
async fn blocking(chain: Arc<CometChain>, params: Params, f: fn(&CometChain, &Params) -> RpcResult) -> Response {
    match tokio::task::spawn_blocking(move || f(&chain, &params)).await {
        Ok(result) => answer(result),
        Err(e) => answer(Err(internal(e.to_string()))),
    }
}

/// CometBFT's RPC routes over `chain`.
pub fn router(chain: Arc<CometChain>) -> Router {
    Router::new()
        .route("/status", get(|State(chain): State<Arc<CometChain>>| async move { answer(Ok(status(&chain))) }))
        .route("/commit", get(|State(c): State<Arc<CometChain>>, Query(p): Query<Params>| blocking(c, p, commit)))
        .route("/validators", get(|State(c): State<Arc<CometChain>>, Query(p): Query<Params>| blocking(c, p, validators)))
        .route("/block", get(|State(c): State<Arc<CometChain>>, Query(p): Query<Params>| blocking(c, p, block)))
        .with_state(chain)
}

/// Listens on `addr` (a loopback port; 0 picks one) and serves [`router`]: returns the address
/// bound and the server's future (spawn it or await it).
pub async fn serve(chain: Arc<CometChain>, addr: SocketAddr) -> std::io::Result<(SocketAddr, impl Future<Output = std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = router(chain);
    Ok((local, zg_align_relay::http_server::serve(listener, app)))
}
