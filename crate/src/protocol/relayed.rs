//! JSON-RPC upstreams reached through the relay: each call goes out as one check-protocol
//! request naming its upstream (indexer, a storage node by URL, an EVM chain), and the upstream's
//! answer comes back verbatim, to be read by the same code that reads it over HTTP.

use super::wire::{CheckRequest, CheckResponse, EvmChain};
use crate::storage::{JsonRpcTransport, StorageUpstreams, TransportError};
use serde_json::value::RawValue;

/// Sends one request over the connection to the relay; time-outs are the sender's job.
#[allow(async_fn_in_trait)]
pub trait CheckSender {
    async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError>;
}

/// Which JSON-RPC upstream a relayed call is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    Indexer,
    /// A storage node, by the URL the indexer gave.
    Zgs(String),
    Evm(EvmChain),
}

/// One JSON-RPC upstream reached through the relay.
pub struct Relayed<'a, S> {
    pub sender: &'a S,
    pub upstream: Upstream,
}

impl<S: CheckSender> Relayed<'_, S> {
    fn request(&self, call: Box<RawValue>) -> CheckRequest {
        match &self.upstream {
            Upstream::Indexer => CheckRequest::Indexer { call },
            Upstream::Zgs(node) => CheckRequest::Zgs { node: node.clone(), call },
            Upstream::Evm(chain) => CheckRequest::Evm { chain: *chain, call },
        }
    }
}

impl<S: CheckSender> JsonRpcTransport for Relayed<'_, S> {
    async fn post(&self, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, TransportError> {
        let call = String::from_utf8(body)
            .ok()
            .and_then(|s| RawValue::from_string(s).ok())
            .expect("the checks build their requests as JSON");
        // One retry on a fresh substream when no answer came: over WebRTC a substream now and then
        // stalls (see the closing note of the worker issue); one lost stream must not make an
        // honest node "unreachable". A node that misses both is reported.
        let request = self.request(call);
        let answer = match self.sender.send(request.clone()).await {
            Err(TransportError::Timeout { .. } | TransportError::Connect { .. }) => self.sender.send(request).await,
            other => other,
        };
        match answer? {
            CheckResponse::Rpc { answer } if answer.get().len() > max_bytes => Err(TransportError::TooLarge { limit: max_bytes }),
            CheckResponse::Rpc { answer } => Ok(answer.get().as_bytes().to_vec()),
            CheckResponse::Failure(f) => Err(TransportError::Refused { code: f.code, message: f.message }),
            other => Err(TransportError::Refused { code: 0, message: format!("unexpected answer {}", other.kind()) }),
        }
    }
}

/// The storage pass's upstreams, all through one relay connection.
pub struct RelayUpstreams<'a, S>(pub &'a S);

impl<S: CheckSender> StorageUpstreams for RelayUpstreams<'_, S> {
    fn indexer(&self) -> impl JsonRpcTransport + '_ {
        Relayed { sender: self.0, upstream: Upstream::Indexer }
    }

    fn evm(&self) -> impl JsonRpcTransport + '_ {
        Relayed { sender: self.0, upstream: Upstream::Evm(EvmChain::Zg) }
    }

    fn node(&self, url: &str) -> impl JsonRpcTransport + '_ {
        Relayed { sender: self.0, upstream: Upstream::Zgs(url.to_string()) }
    }
}
