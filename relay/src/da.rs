//! DA requests: `Signer.BatchRetrieve` to a registered signer's socket, and row proofs from the
//! owner's proof source. The relay reaches only sockets the DASigners precompile registers (its
//! own `eth_call` on the profile's EVM RPC, read with the core's decoders), and forwards the
//! signer's reply message or gRPC status as it came; the tab judges it.

use crate::service::{failure, truncate, upstream_failure, Service};
use alloy_primitives::Address;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zg_align::da::retrieve::{RetrieveAsk, MAX_REPLY_BYTES, MAX_ROWS_PER_ASK};
use zg_align::da::signers::{decode_get_signer, get_signer_call, DA_SIGNERS};
use zg_align::evm::{call_body, parse_call, EvmError};
use zg_align::hash::Hash32;
use zg_align::protocol::CheckResponse;
use zg_align::storage::rpc::RpcError;
use zg_align_proto::prost::Message;
use zg_align_proto::signer::signer_client::SignerClient;

/// How long a socket looked up on chain is used before it is looked up again.
const SOCKET_TTL: Duration = Duration::from_secs(60);
/// Sockets kept at most; the oldest go first.
const MAX_SOCKETS: usize = 1024;
/// Largest `getSigner` answer read for one signer.
const MAX_SIGNER_ANSWER_BYTES: usize = 16 * 1024;
/// Largest answer of the row-proof source read (16 proofs of 464 bytes, in hex, and JSON).
const MAX_PROOFS_ANSWER_BYTES: usize = 64 * 1024;
/// Longest proof forwarded.
const MAX_PROOF_BYTES: usize = 2048;

/// Signers' sockets as the precompile registered them, by account, with when they were read.
#[derive(Default)]
pub(crate) struct SignerSockets(Mutex<HashMap<Address, (Instant, String)>>);

impl SignerSockets {
    fn get(&self, signer: &Address) -> Option<String> {
        let sockets = self.0.lock().expect("sockets lock");
        sockets.get(signer).filter(|(at, _)| at.elapsed() < SOCKET_TTL).map(|(_, s)| s.clone())
    }

    fn put(&self, signer: Address, socket: String) {
        let mut sockets = self.0.lock().expect("sockets lock");
        if sockets.len() >= MAX_SOCKETS && !sockets.contains_key(&signer) {
            sockets.retain(|_, (at, _)| at.elapsed() < SOCKET_TTL);
            if sockets.len() >= MAX_SOCKETS {
                let oldest = sockets.iter().min_by_key(|(_, (at, _))| *at).map(|(a, _)| *a);
                oldest.map(|a| sockets.remove(&a));
            }
        }
        sockets.insert(signer, (Instant::now(), socket));
    }
}

/// The URL tonic dials for a registered socket: 0G's retriever prefixes `http://` when it has no
/// scheme; plain HTTP/2, no TLS.
fn signer_url(socket: &str) -> Result<String, String> {
    let url = if socket.contains("://") { socket.to_string() } else { format!("http://{socket}") };
    match url.parse::<url::Url>() {
        Ok(u) if u.scheme() == "http" && u.host().is_some() => Ok(url),
        Ok(u) => Err(format!("socket {} is not plain http", truncate(u.as_str()))),
        Err(e) => Err(format!("socket {}: {e}", truncate(socket))),
    }
}

impl Service {
    /// The signer's registered socket, from the cache or the precompile; a refusal for an account
    /// the precompile does not know.
    async fn signer_socket(&self, signer: Address) -> Result<String, CheckResponse> {
        if let Some(socket) = self.da_sockets.get(&signer) {
            return Ok(socket);
        }
        let body = call_body(1, DA_SIGNERS, &get_signer_call(&[signer]));
        let answer = self.upstreams.post_json(&self.profile.evm_rpc, body, MAX_SIGNER_ANSWER_BYTES).await.map_err(upstream_failure)?;
        let data = match parse_call(&answer, 1) {
            Ok(data) => data,
            // The precompile reverts for an account that is no signer.
            Err(EvmError::Rpc(RpcError::Remote { message, .. })) => {
                return Err(failure(403, format!("{signer} is not a signer the DASigners precompile knows ({})", truncate(&message))))
            }
            Err(e) => return Err(failure(502, format!("the EVM RPC's getSigner answer: {e}"))),
        };
        let registered = decode_get_signer(&data, &[signer]).map_err(|e| failure(403, format!("{signer}: no usable registration ({e})")))?;
        let socket = registered.into_iter().next().map(|r| r.socket).ok_or_else(|| failure(403, format!("{signer} is not registered")))?;
        self.da_sockets.put(signer, socket.clone());
        Ok(socket)
    }

    /// One `Signer.BatchRetrieve` with tonic's client to the signer's registered socket: the
    /// reply message's bytes, or the status it answered; no answer in time is a failure.
    pub(crate) async fn da_retrieve(&self, signer: Address, epoch: u64, quorum_id: u64, data_root: Hash32, rows: Vec<u16>) -> CheckResponse {
        if self.profile.da.is_none() {
            return failure(404, "this relay has no DA configured".into());
        }
        if rows.is_empty() || rows.len() > MAX_ROWS_PER_ASK {
            return failure(400, format!("{} rows asked, 1 to {MAX_ROWS_PER_ASK} are forwarded", rows.len()));
        }
        let socket = match self.signer_socket(signer).await {
            Ok(socket) => socket,
            Err(refused) => return refused,
        };
        let url = match signer_url(&socket) {
            Ok(url) => url,
            Err(message) => return failure(502, format!("{signer}: {message}")),
        };
        let ask = RetrieveAsk::new(epoch, quorum_id, data_root, rows);
        let timeout = self.profile.limits.upstream_timeout();
        let Ok(gate) = url::Url::parse(&url) else { return failure(502, format!("{signer}: socket {} is not a URL", truncate(&socket))) };
        // Held to the per-endpoint limit in flight, as HTTP upstreams are: one slow signer holds
        // up only the requests to it, and a tab cannot have the relay open connections without end.
        let exchange = self.upstreams.gated(&gate, async {
            let client = match SignerClient::connect(url).await {
                Ok(client) => client,
                Err(e) => return failure(502, format!("cannot reach signer {signer} at {}: {e}", truncate(&socket))),
            };
            match client.max_decoding_message_size(MAX_REPLY_BYTES).batch_retrieve(ask.request()).await {
                Ok(reply) => CheckResponse::GrpcReply { reply: BASE64.encode(reply.into_inner().encode_to_vec()) },
                Err(status) => CheckResponse::GrpcStatus { code: status.code() as i32, message: truncate(status.message()) },
            }
        });
        tokio::time::timeout(timeout, exchange).await.unwrap_or_else(|_| failure(504, format!("signer {signer}: no answer within {} ms", timeout.as_millis())))
    }

    /// `GET {row_proofs}{dataRoot}?rows=1,2,3` on the profile's proof source; its answer, a JSON
    /// array of `0x` hex or `null` per row, forwarded as base64.
    pub(crate) async fn da_proofs(&self, data_root: Hash32, rows: Vec<u16>) -> CheckResponse {
        let Some(base) = self.profile.da.as_ref().and_then(|d| d.row_proofs.as_ref()) else {
            return failure(404, "this relay has no row-proof source configured".into());
        };
        if rows.is_empty() || rows.len() > MAX_ROWS_PER_ASK {
            return failure(400, format!("{} rows asked, 1 to {MAX_ROWS_PER_ASK} are forwarded", rows.len()));
        }
        let list = rows.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
        let url = match format!("{base}{data_root}?rows={list}").parse::<url::Url>() {
            Ok(url) => url,
            Err(e) => return failure(500, format!("the row-proof URL: {e}")),
        };
        let answer = match self.upstreams.get(&url, MAX_PROOFS_ANSWER_BYTES).await {
            Ok(answer) => answer,
            Err(e) => return upstream_failure(e),
        };
        match proofs_answer(&answer, rows.len()) {
            Ok(proofs) => CheckResponse::DaProofs { proofs },
            Err(message) => failure(502, format!("the row-proof source's answer: {message}")),
        }
    }
}

/// `[hex | null, ...]`, one per row asked, as base64.
fn proofs_answer(answer: &[u8], rows: usize) -> Result<Vec<Option<String>>, String> {
    let list: Vec<Option<String>> = serde_json::from_slice(answer).map_err(|e| e.to_string())?;
    if list.len() != rows {
        return Err(format!("{} proofs for {rows} rows", list.len()));
    }
    list.into_iter()
        .map(|p| {
            let Some(p) = p else { return Ok(None) };
            let bytes = hex::decode(p.strip_prefix("0x").unwrap_or(&p)).map_err(|e| e.to_string())?;
            if bytes.len() > MAX_PROOF_BYTES {
                return Err(format!("a proof of {} bytes", bytes.len()));
            }
            Ok(Some(BASE64.encode(bytes)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockets_become_plain_http_urls() {
        assert_eq!(signer_url("127.0.0.1:34000").unwrap(), "http://127.0.0.1:34000");
        assert_eq!(signer_url("http://da.example:34000").unwrap(), "http://da.example:34000");
        assert!(signer_url("https://da.example:34000").is_err());
        assert!(signer_url("file:///etc/passwd").is_err());
        assert!(signer_url("").is_err());
    }

    #[test]
    fn proof_answers_are_read_strictly() {
        assert_eq!(proofs_answer(br#"["0x0102", null]"#, 2).unwrap(), vec![Some(BASE64.encode([1, 2])), None]);
        assert!(proofs_answer(br#"["0x0102"]"#, 2).is_err());
        assert!(proofs_answer(br#"["0xzz"]"#, 1).is_err());
        assert!(proofs_answer(format!(r#"["0x{}"]"#, "00".repeat(MAX_PROOF_BYTES + 1)).as_bytes(), 1).is_err());
        assert!(proofs_answer(b"{}", 1).is_err());
    }

    #[test]
    fn the_socket_cache_is_bounded() {
        let cache = SignerSockets::default();
        for i in 0..(MAX_SOCKETS + 10) {
            cache.put(Address::from_word(alloy_primitives::B256::from(alloy_primitives::U256::from(i))), format!("s{i}"));
        }
        assert_eq!(cache.0.lock().unwrap().len(), MAX_SOCKETS);
        let last = Address::from_word(alloy_primitives::B256::from(alloy_primitives::U256::from(MAX_SOCKETS + 9)));
        assert_eq!(cache.get(&last).as_deref(), Some(format!("s{}", MAX_SOCKETS + 9).as_str()));
    }
}
