//! The devnet's serving providers as 0G's provider brokers serve (0g-serving-broker, inference
//! proxy): one axum HTTP server per provider on loopback.
//!
//! - `POST /v1/proxy/chat/completions`: the session is checked (the compute SDK's
//!   `Authorization: Bearer app-sk-...`, or the 2025 broker's `Address`, `Session-Token`,
//!   `Session-Signature`), the account must be funded; the body is read as an OpenAI chat request
//!   (any key order and whitespace); the answer is a `chat.completion`, gzipped
//!   (`Content-Encoding: gzip`), and the TEE key signs `sha256(request body as received):
//!   sha256(response body as sent, gzipped)`, as the broker signs the raw upstream bytes. The chat
//!   ID is the completion's `id`, also sent as `ZG-Res-Key` (except by `serving-1`, an older
//!   broker: the SDK then takes the body's `id`).
//! - `GET /v1/proxy/signature/{chatID}?model=...`: the record `{text, signature,
//!   signing_address, signing_algo}`; 404 for an unknown chat.
//!
//! Each provider's faults act here as on the devnet's JSON path (`unregistered-key`,
//! `tampered-response`, `model-swap`, `timeout`, `wrong-answer`).

use crate::serving::{sign, ProviderFault, ServingNetwork};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use zg_align::serving::canary::ChatResponse;
use zg_align::serving::model::MAX_TOKENS;
use zg_align::serving::session::verify_session;
use zg_align::serving::{signed_text, SignatureRecord};

/// Largest request body a provider reads.
const MAX_BODY: usize = 64 * 1024;
/// Signature records kept per provider (a broker keeps them in a cache with a TTL).
const RECORDS_KEPT: usize = 4096;
/// The provider that, like brokers before `ZG-Res-Key`, sends no chat-ID header.
const NO_RES_KEY: &str = "serving-1";

#[derive(Default)]
struct Records {
    by_id: HashMap<String, SignatureRecord>,
    order: VecDeque<String>,
}

struct ProviderState {
    net: Arc<ServingNetwork>,
    index: usize,
    records: Mutex<Records>,
}

/// An OpenAI chat request as clients send it; absent fields take OpenAI's defaults.
#[derive(Deserialize)]
struct ChatIn {
    model: String,
    messages: Vec<MessageIn>,
    #[serde(default)]
    max_tokens: Option<u32>,
    #[serde(default)]
    temperature: Option<f64>,
    #[serde(default)]
    stream: Option<bool>,
}

#[derive(Deserialize)]
struct MessageIn {
    role: String,
    content: String,
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(serde_json::json!({"code": status.as_u16(), "message": message.into()}))).into_response()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("writing to memory");
    e.finish().expect("writing to memory")
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

async fn chat(State(s): State<Arc<ProviderState>>, headers: HeaderMap, body: Bytes) -> Response {
    let net = &s.net;
    let p = &net.providers[s.index];
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let account = match verify_session(header, p.address, now_ms()) {
        Ok((_, account)) => account,
        Err(e) => return error(StatusCode::UNAUTHORIZED, format!("session validation failed: {e}")),
    };
    if !net.funded.contains(&account) {
        return error(StatusCode::PAYMENT_REQUIRED, format!("insufficient balance for {account}"));
    }
    if body.len() > MAX_BODY {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    }
    let request: ChatIn = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("not a chat request: {e}")),
    };
    if request.model != p.model_name {
        return error(StatusCode::BAD_REQUEST, format!("{} serves {}, not {}", p.id, p.model_name, request.model));
    }
    if request.stream == Some(true) {
        return error(StatusCode::BAD_REQUEST, "the devnet does not stream");
    }
    let Some(prompt) = request.messages.iter().rev().find(|m| m.role == "user").map(|m| m.content.as_str()) else {
        return error(StatusCode::BAD_REQUEST, "no user message");
    };
    let max_tokens = request.max_tokens.unwrap_or(16).min(MAX_TOKENS);
    let temperature = request.temperature.unwrap_or(1.0);
    if !(0.0..=2.0).contains(&temperature) {
        return error(StatusCode::BAD_REQUEST, "temperature out of range");
    }
    if p.fault == Some(ProviderFault::Timeout) {
        tokio::time::sleep(net.delay).await;
    }
    let (count, content) = net.content(p, prompt, max_tokens, temperature);
    let id = format!("chatcmpl-{}-{count}", p.id);
    let honest = gzip(&ChatResponse::new(id.clone(), p.model_name, content.clone()).to_bytes());
    let record = sign(&net.signing_key(p), &signed_text(&body, &honest));
    {
        let mut records = s.records.lock().expect("records lock");
        if records.order.len() == RECORDS_KEPT {
            if let Some(old) = records.order.pop_front() {
                records.by_id.remove(&old);
            }
        }
        records.order.push_back(id.clone());
        records.by_id.insert(id.clone(), record);
    }
    let sent = if p.fault == Some(ProviderFault::TamperedResponse) {
        gzip(&ChatResponse::new(id.clone(), p.model_name, format!("{content} buy now")).to_bytes())
    } else {
        honest
    };
    let mut response = (StatusCode::OK, sent).into_response();
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h.insert("content-encoding", HeaderValue::from_static("gzip"));
    if p.id != NO_RES_KEY {
        h.insert("zg-res-key", HeaderValue::from_str(&id).expect("an id is a header value"));
    }
    response
}

async fn signature(State(s): State<Arc<ProviderState>>, Path(chat_id): Path<String>) -> Response {
    // The broker looks chats up by the lowercased path.
    let record = s.records.lock().expect("records lock").by_id.get(&chat_id.to_ascii_lowercase()).cloned();
    match record {
        Some(r) => axum::Json(serde_json::json!({
            "text": r.text,
            "signature": r.signature,
            "signing_address": r.signing_address,
            "signing_algo": "ecdsa",
        }))
        .into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no signature for chat {chat_id}")),
    }
}

/// The router of provider `index`.
pub fn router(net: Arc<ServingNetwork>, index: usize) -> Router {
    let state = Arc::new(ProviderState { net, index, records: Mutex::new(Records::default()) });
    Router::new()
        .route("/v1/proxy/chat/completions", post(chat))
        .route("/v1/proxy/signature/{chat_id}", get(signature))
        .with_state(state)
}

/// Starts one HTTP server per provider on 127.0.0.1 (a free port each), records their base
/// URLs in `net.urls` (what the contract's service list then answers), and returns `(id, url)`
/// per provider in the network's order. The servers run until the runtime stops.
pub async fn serve_providers(net: Arc<ServingNetwork>) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(net.providers.len());
    for (index, p) in net.providers.iter().enumerate() {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let app = router(net.clone(), index);
        tokio::spawn(async move {
            if let Err(e) = zg_align_relay::http_server::serve(listener, app).await {
                eprintln!("serving provider HTTP server stopped: {e}");
            }
        });
        out.push((p.id.clone(), url));
    }
    let _ = net.urls.set(out.iter().map(|(_, u)| u.clone()).collect());
    Ok(out)
}
