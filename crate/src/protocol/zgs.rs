//! The storage check's [`JsonRpcTransport`] over `/zg-align/check/1`: each zgs JSON-RPC call is
//! relayed to a named storage node, and the node's answer comes back verbatim.

use super::wire::{CheckRequest, CheckResponse};
use crate::storage::{JsonRpcTransport, TransportError};
use serde_json::value::RawValue;

/// Sends one request over the connection to the network; time-outs are the sender's job.
#[allow(async_fn_in_trait)]
pub trait CheckSender {
    async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError>;
}

/// A storage node reached through the network peer.
pub struct RelayedZgs<'a, S> {
    pub sender: &'a S,
    pub node: String,
}

impl<S: CheckSender> JsonRpcTransport for RelayedZgs<'_, S> {
    async fn post(&self, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, TransportError> {
        let call = String::from_utf8(body)
            .ok()
            .and_then(|s| RawValue::from_string(s).ok())
            .expect("the check builds its requests as JSON");
        // One retry on a fresh substream when no answer came: over WebRTC a substream now and then
        // stalls (see the closing note of the worker issue); one lost stream must not make an
        // honest node "unreachable". A node that misses both is reported.
        let request = CheckRequest::Zgs { node: self.node.clone(), call };
        let answer = match self.sender.send(request.clone()).await {
            Err(TransportError::Timeout { .. } | TransportError::Connect { .. }) => self.sender.send(request).await,
            other => other,
        };
        match answer? {
            CheckResponse::Zgs { answer } if answer.get().len() > max_bytes => Err(TransportError::TooLarge { limit: max_bytes }),
            CheckResponse::Zgs { answer } => Ok(answer.get().as_bytes().to_vec()),
            CheckResponse::Failure(f) => Err(TransportError::Refused { code: f.code, message: f.message }),
            other => Err(TransportError::Refused { code: 0, message: format!("unexpected answer {}", kind(&other)) }),
        }
    }
}

fn kind(response: &CheckResponse) -> &'static str {
    match response {
        CheckResponse::Network(_) => "network",
        CheckResponse::Zgs { .. } => "zgs",
        CheckResponse::Echo { .. } => "echo",
        CheckResponse::Failure(_) => "failure",
        CheckResponse::DaRows { .. } => "daRows",
        CheckResponse::ReportAccepted { .. } => "reportAccepted",
        CheckResponse::ReportRejected { .. } => "reportRejected",
        CheckResponse::Commits(_) => "commits",
        CheckResponse::Served { .. } => "served",
    }
}
