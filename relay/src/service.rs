//! What the relay does with each check-protocol request: call the upstream the request names, in
//! that upstream's own protocol, and hand back its answer verbatim. The relay checks only what
//! keeps it safe to run (allow-lists, caps, which hosts it calls); the tab verifies the answers.

use crate::known_nodes::KnownNodes;
use crate::profile::Profile;
use crate::registered_services::RegisteredServices;
use crate::upstream::{UpstreamError, Upstreams};
use serde_json::value::RawValue;
use serde_json::Value;
use std::sync::Arc;
use zg_align::cometbft::RpcRead;
use zg_align::protocol::{CheckRequest, CheckResponse, DaSource, EvmChain, LicenseContracts, RelayInfo, RemoteFailure, ServingSource};
use zg_align::storage::FlowSource;

/// Largest echo the relay sends back.
const MAX_ECHO_BYTES: u32 = 512 * 1024;
/// Most of an upstream's error body a failure carries.
const MAX_FAILURE_BODY_BYTES: usize = 4096;
/// Methods forwarded to storage nodes: reads only.
const ZGS_METHODS: &[&str] = &[
    "zgs_getStatus",
    "zgs_getShardConfig",
    "zgs_getFileInfo",
    "zgs_getFileInfoByTxSeq",
    "zgs_downloadSegmentWithProof",
    "zgs_downloadSegmentWithProofByTxSeq",
    "zgs_downloadSegment",
    "zgs_downloadSegmentByTxSeq",
    "zgs_checkFileFinalized",
    "zgs_getSectorProof",
];
const INDEXER_METHODS: &[&str] = &["indexer_getShardedNodes", "indexer_getFileLocations"];
const EVM_METHODS: &[&str] = &["eth_call", "eth_chainId", "eth_blockNumber", "eth_getLogs", "eth_getTransactionByHash"];

/// Rewrites an answer before it goes back to the tab. Only tests use it: the devnet's lying relay
/// (devnet/src/lying_relay.rs) proves that nothing a relay says can make an honest node look
/// misbehaving.
pub type Rewrite = Arc<dyn Fn(&CheckRequest, CheckResponse) -> CheckResponse + Send + Sync>;

/// The relay's state shared by every tab's requests.
pub struct Service {
    pub profile: Profile,
    pub(crate) upstreams: Upstreams,
    known: KnownNodes,
    /// DA signers' sockets looked up on the precompile.
    pub(crate) da_sockets: crate::da::SignerSockets,
    /// Serving providers the chain lists, looked up for chat requests.
    pub(crate) registered: RegisteredServices,
    rewrite: Option<Rewrite>,
}

impl Service {
    pub fn new(profile: Profile) -> Self {
        let upstreams = Upstreams::new(profile.limits.upstream_timeout(), profile.limits.in_flight_per_upstream);
        let known = KnownNodes::new(&profile.storage_nodes);
        Service { profile, upstreams, known, da_sockets: Default::default(), registered: RegisteredServices::default(), rewrite: None }
    }

    /// The same service, every answer passed through `rewrite` (tests only: a lying relay).
    pub fn with_rewrite(mut self, rewrite: Rewrite) -> Self {
        self.rewrite = Some(rewrite);
        self
    }

    /// The answer to one tab request, as sent: [`Service::serve`]'s, through the rewrite if any.
    pub async fn answer(&self, request: CheckRequest) -> CheckResponse {
        match &self.rewrite {
            None => self.serve(request).await,
            Some(rewrite) => {
                let asked = request.clone();
                let answer = self.serve(request).await;
                rewrite(&asked, answer)
            }
        }
    }

    /// What the relay tells a tab about its network.
    pub fn info(&self) -> RelayInfo {
        let p = &self.profile;
        RelayInfo {
            network: p.name.clone(),
            chain_id: p.chain_id,
            flow: p.flow.as_ref().map(|f| FlowSource { flow: f.address, deploy_block: f.deploy_block }),
            licenses: p.licenses.as_ref().map(|l| LicenseContracts { chain_id: l.chain_id, nft: l.nft, manager: l.manager }),
            da: p.da.as_ref().map(|d| DaSource { entrance: d.entrance, deploy_block: d.deploy_block, row_proofs: d.row_proofs.is_some() }),
            serving: p.contracts.inference_serving.map(|contract| ServingSource { contract }),
            upstreams: zg_align::protocol::Upstreams {
                indexer: p.indexer.is_some(),
                evm: true,
                license_evm: p.licenses.is_some(),
                reports: p.report_sink.is_some(),
                da: p.da.is_some(),
                chat: p.serving_account.is_some(),
                cometbft: p.cometbft.is_some(),
            },
            max_log_range: p.limits.max_log_range,
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// One line per configured upstream: whether it answers a trivial call (and, for the EVM RPC,
    /// whether its chain is the profile's).
    pub async fn probe(&self) -> Vec<String> {
        let p = &self.profile;
        let mut lines = Vec::new();
        let chain_id = zg_align::evm::chain_id_body(1);
        let evm = self.upstreams.post_json(&p.evm_rpc, chain_id.clone(), 4096).await;
        lines.push(match evm.map(|b| zg_align::evm::parse_chain_id(&b, 1)) {
            Ok(Ok(id)) if id == p.chain_id => format!("evm {}: chain {id}", p.evm_rpc),
            Ok(Ok(id)) => format!("evm {}: chain {id}, NOT the profile's {} (tabs will see wrong answers)", p.evm_rpc, p.chain_id),
            Ok(Err(e)) => format!("evm {}: unexpected answer ({e})", p.evm_rpc),
            Err(e) => format!("evm {}: unreachable ({e}); the relay keeps running", p.evm_rpc),
        });
        if let Some(indexer) = &p.indexer {
            let answer = self.upstreams.post_json(indexer, zg_align::storage::indexer::sharded_nodes_body(1), 256 * 1024).await;
            lines.push(match answer.map(|b| zg_align::storage::indexer::parse_sharded_nodes(&b, 1)) {
                Ok(Ok(nodes)) => format!("indexer {indexer}: {} storage nodes", nodes.len()),
                Ok(Err(e)) => format!("indexer {indexer}: unexpected answer ({e})"),
                Err(e) => format!("indexer {indexer}: unreachable ({e}); the relay keeps running"),
            });
        }
        if let Some(rpc) = &p.cometbft {
            let answer = self.upstreams.get(&comet_url(rpc, &RpcRead::status()), zg_align::cometbft::MAX_STATUS_BYTES).await;
            lines.push(match answer.map(|b| zg_align::cometbft::decode_status(&b)) {
                Ok(Ok(s)) => format!("cometbft {rpc}: chain {} at height {}", s.chain_id, s.latest_block_height),
                Ok(Err(e)) => format!("cometbft {rpc}: unexpected answer ({e})"),
                Err(e) => format!("cometbft {rpc}: unreachable ({e}); the relay keeps running"),
            });
        }
        if let Some(l) = &p.licenses {
            let answer = self.upstreams.post_json(&l.rpc, chain_id.clone(), 4096).await;
            lines.push(match answer.map(|b| zg_align::evm::parse_chain_id(&b, 1)) {
                Ok(Ok(id)) => format!("license chain {}: chain {id}", l.rpc),
                Ok(Err(e)) => format!("license chain {}: unexpected answer ({e})", l.rpc),
                Err(e) => format!("license chain {}: unreachable ({e}); the relay keeps running", l.rpc),
            });
        }
        lines
    }

    pub async fn serve(&self, request: CheckRequest) -> CheckResponse {
        match request {
            CheckRequest::Hello => CheckResponse::Hello(self.info()),
            CheckRequest::Echo { len } if len <= MAX_ECHO_BYTES => CheckResponse::Echo { data: "e".repeat(len as usize) },
            CheckRequest::Echo { len } => failure(413, format!("echo of {len} bytes is over {MAX_ECHO_BYTES}")),
            CheckRequest::Indexer { call } => self.indexer(call).await,
            CheckRequest::Zgs { node, call } => self.zgs(&node, call).await,
            CheckRequest::Evm { chain, call } => self.evm(chain, call).await,
            CheckRequest::PublishReport { report } => self.publish(&report).await,
            CheckRequest::DaRetrieve { signer, epoch, quorum_id, data_root, rows } => self.da_retrieve(signer, epoch, quorum_id, data_root, rows).await,
            CheckRequest::DaProofs { data_root, rows } => self.da_proofs(data_root, rows).await,
            CheckRequest::Chat { provider, body } => self.chat(provider, body).await,
            CheckRequest::ChatSignature { provider, path } => self.chat_signature(provider, path).await,
            CheckRequest::Comet(read) => self.comet(read).await,
        }
    }

    /// One CometBFT RPC read, as a GET on the configured RPC: a 200 answer verbatim as `rpc`;
    /// CometBFT says what went wrong as HTTP 500 with a JSON-RPC error body, forwarded as a
    /// failure with that status and body.
    async fn comet(&self, read: RpcRead) -> CheckResponse {
        let Some(rpc) = &self.profile.cometbft else { return failure(404, "this relay has no CometBFT RPC configured".into()) };
        if let Err(e) = read.validate() {
            return failure(400, e.to_string());
        }
        let cap = self.profile.limits.max_response_bytes.min(read.route.max_bytes());
        match self.upstreams.get(&comet_url(rpc, &read), cap).await {
            Ok(bytes) => match String::from_utf8(bytes).map_err(|e| e.to_string()).and_then(|t| RawValue::from_string(t).map_err(|e| e.to_string())) {
                Ok(answer) => CheckResponse::Rpc { answer },
                Err(e) => failure(502, format!("the CometBFT RPC's answer is not JSON: {e}")),
            },
            Err(UpstreamError::Status { status, body, .. }) => {
                let body = String::from_utf8_lossy(&body[..body.len().min(MAX_FAILURE_BODY_BYTES)]).into_owned();
                failure(status, body)
            }
            Err(e) => upstream_failure(e),
        }
    }

    async fn indexer(&self, call: Box<RawValue>) -> CheckResponse {
        let Some(url) = &self.profile.indexer else { return failure(404, "this relay has no storage indexer configured".into()) };
        if let Err(refused) = allowed(&call, INDEXER_METHODS) {
            return CheckResponse::Failure(refused);
        }
        match self.forward(url, call).await {
            Ok(answer) => {
                self.known.learn_from_indexer(answer.get().as_bytes());
                CheckResponse::Rpc { answer }
            }
            Err(failed) => failed,
        }
    }

    async fn zgs(&self, node: &str, call: Box<RawValue>) -> CheckResponse {
        let Some(url) = self.known.check(node) else {
            return failure(403, format!("{} is not a storage node the indexer listed", truncate(node)));
        };
        if let Err(refused) = allowed(&call, ZGS_METHODS) {
            return CheckResponse::Failure(refused);
        }
        self.forward(&url, call).await.map_or_else(|f| f, |answer| CheckResponse::Rpc { answer })
    }

    async fn evm(&self, chain: EvmChain, call: Box<RawValue>) -> CheckResponse {
        let url = match chain {
            EvmChain::Zg => &self.profile.evm_rpc,
            EvmChain::Licenses => match &self.profile.licenses {
                Some(l) => &l.rpc,
                None => return failure(404, "this relay has no license chain configured".into()),
            },
        };
        let method = match allowed(&call, EVM_METHODS) {
            Ok(method) => method,
            Err(refused) => return CheckResponse::Failure(refused),
        };
        if method == "eth_getLogs" {
            if let Err(message) = log_range_ok(&call, self.profile.limits.max_log_range) {
                return failure(400, message);
            }
        }
        self.forward(url, call).await.map_or_else(|f| f, |answer| CheckResponse::Rpc { answer })
    }

    /// POSTs the call and returns the answer verbatim, if it is JSON at all (the check protocol
    /// carries it as JSON; bytes that are not are the upstream's failure to answer).
    async fn forward(&self, url: &url::Url, call: Box<RawValue>) -> Result<Box<RawValue>, CheckResponse> {
        let cap = self.profile.limits.max_response_bytes;
        let bytes = self.upstreams.post_json(url, call.get().as_bytes().to_vec(), cap).await.map_err(upstream_failure)?;
        let text = String::from_utf8(bytes).map_err(|_| failure(502, "the upstream's answer is not UTF-8".into()))?;
        RawValue::from_string(text).map_err(|e| failure(502, format!("the upstream's answer is not JSON: {e}")))
    }

    async fn publish(&self, report: &zg_align::report::SignedReportJson) -> CheckResponse {
        let Some(sink) = &self.profile.report_sink else { return failure(404, "this relay has no report sink configured".into()) };
        let body = serde_json::to_vec(report).expect("a report serialises");
        // The sink answers 200 or 422 with `{accepted, ...}`: both are answers to forward.
        let bytes = match self.upstreams.post_json(sink, body, 64 * 1024).await {
            Ok(bytes) => bytes,
            Err(UpstreamError::Status { status: 422 | 400, body, .. }) => body,
            Err(e) => return upstream_failure(e),
        };
        sink_answer(&bytes)
    }
}

/// Reads a report sink's `{accepted: true, signer, licenseTokenId, round, digest}` or
/// `{accepted: false, reason, message}`.
fn sink_answer(bytes: &[u8]) -> CheckResponse {
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else { return failure(502, "the report sink's answer is not JSON".into()) };
    let text = |k: &str| v[k].as_str().map(str::to_string);
    match v["accepted"].as_bool() {
        Some(true) => match (text("signer"), text("licenseTokenId"), v["round"].as_u64(), text("digest")) {
            (Some(signer), Some(license_token_id), Some(round), Some(digest)) => CheckResponse::ReportAccepted { signer, license_token_id, round, digest },
            _ => failure(502, "the report sink's acceptance lacks fields".into()),
        },
        Some(false) => match serde_json::from_value(v["reason"].clone()) {
            Ok(reason) => CheckResponse::ReportRejected { reason, message: text("message").unwrap_or_default() },
            Err(e) => failure(502, format!("the report sink's refusal: {e}")),
        },
        None => failure(502, "the report sink's answer has no `accepted`".into()),
    }
}

/// The call's method if it is a single JSON-RPC request for one of `methods`.
fn allowed(call: &RawValue, methods: &[&str]) -> Result<String, RemoteFailure> {
    #[derive(serde::Deserialize)]
    struct Call {
        method: String,
    }
    let Ok(Call { method }) = serde_json::from_str::<Call>(call.get()) else {
        return Err(RemoteFailure { code: 400, message: "the call is not a single JSON-RPC request".into() });
    };
    if !methods.contains(&method.as_str()) {
        return Err(RemoteFailure { code: 403, message: format!("{} is not forwarded by this relay", truncate(&method)) });
    }
    Ok(method)
}

/// `eth_getLogs` must name numeric `fromBlock` and `toBlock` at most `max` blocks apart.
fn log_range_ok(call: &RawValue, max: u64) -> Result<(), String> {
    let v: Value = serde_json::from_str(call.get()).map_err(|e| e.to_string())?;
    let filter = &v["params"][0];
    let block = |k: &str| filter[k].as_str().and_then(zg_align::evm::quantity);
    match (block("fromBlock"), block("toBlock")) {
        (Some(from), Some(to)) if to >= from && to - from <= max => Ok(()),
        (Some(_), Some(_)) => Err(format!("eth_getLogs over more than {max} blocks")),
        _ => Err("eth_getLogs needs numeric fromBlock and toBlock".into()),
    }
}

/// `read` as a URL under the RPC's base URL (which may carry a path and query of its own, such as
/// a provider's key).
fn comet_url(base: &url::Url, read: &RpcRead) -> url::Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().push(read.route.name());
    }
    let path_and_query = read.path_and_query();
    if let Some((_, query)) = path_and_query.split_once('?') {
        let joined = match url.query() {
            Some(own) if !own.is_empty() => format!("{own}&{query}"),
            _ => query.to_string(),
        };
        url.set_query(Some(&joined));
    }
    url
}

pub(crate) fn upstream_failure(e: UpstreamError) -> CheckResponse {
    failure(e.code(), e.to_string())
}

pub fn failure(code: u16, message: String) -> CheckResponse {
    CheckResponse::Failure(RemoteFailure { code, message })
}

pub(crate) fn truncate(s: &str) -> String {
    s.chars().take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.into()).unwrap()
    }

    #[test]
    fn only_allowed_single_calls_pass() {
        assert_eq!(allowed(&raw(r#"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[]}"#), EVM_METHODS).ok().as_deref(), Some("eth_call"));
        assert!(allowed(&raw(r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[]}"#), EVM_METHODS).is_err());
        assert!(allowed(&raw(r#"[{"jsonrpc":"2.0","id":1,"method":"eth_call"}]"#), EVM_METHODS).is_err());
        assert!(allowed(&raw(r#"{"jsonrpc":"2.0","id":1,"method":"zgs_uploadSegment","params":[]}"#), ZGS_METHODS).is_err());
    }

    #[test]
    fn comet_reads_are_gets_under_the_base_url() {
        let at = |base: &str, read: RpcRead| comet_url(&base.parse().unwrap(), &read).to_string();
        assert_eq!(at("http://127.0.0.1:26657", RpcRead::status()), "http://127.0.0.1:26657/status");
        assert_eq!(at("http://127.0.0.1:26657/", RpcRead::commit(5)), "http://127.0.0.1:26657/commit?height=5");
        assert_eq!(at("https://rpc.example/zg/", RpcRead::validators(5, 2)), "https://rpc.example/zg/validators?height=5&page=2&per_page=100");
        assert_eq!(at("https://rpc.example/zg?key=1", RpcRead::block(9)), "https://rpc.example/zg/block?key=1&height=9");
        assert_eq!(at("https://rpc.example/zg?key=1", RpcRead::status()), "https://rpc.example/zg/status?key=1");
    }

    #[test]
    fn log_ranges_are_capped() {
        let call = |from: &str, to: &str| raw(&format!(r#"{{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{{"fromBlock":"{from}","toBlock":"{to}"}}]}}"#));
        assert!(log_range_ok(&call("0x1", "0x10"), 100).is_ok());
        assert!(log_range_ok(&call("0x1", "0x1000"), 100).is_err());
        assert!(log_range_ok(&call("0x10", "0x1"), 100).is_err());
        assert!(log_range_ok(&call("earliest", "latest"), 100).is_err());
    }

    #[test]
    fn sink_answers_are_read() {
        assert!(matches!(
            sink_answer(br#"{"accepted":true,"signer":"0x1","licenseTokenId":"1","round":3,"digest":"0x2"}"#),
            CheckResponse::ReportAccepted { round: 3, .. }
        ));
        assert!(matches!(
            sink_answer(br#"{"accepted":false,"reason":{"kind":"replayedRound","tokenId":"1","round":1},"message":"replayed"}"#),
            CheckResponse::ReportRejected { .. }
        ));
        assert!(matches!(sink_answer(b"{}"), CheckResponse::Failure(RemoteFailure { code: 502, .. })));
        assert!(matches!(sink_answer(br#"{"accepted":true}"#), CheckResponse::Failure(_)));
    }
}
