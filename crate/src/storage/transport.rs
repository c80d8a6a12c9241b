//! The one I/O seam of the storage check: POST a JSON-RPC body to a node, get bytes back.
//! Natively it is an HTTP client; in the browser it is `fetch`.

use super::check::{StorageCheck, StorageVerdict};
use futures::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;

/// Why no answer came: every one of these makes a node "unreachable", never "misbehaving".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TransportError {
    #[error("no answer within {ms} ms")]
    Timeout { ms: u64 },
    #[error("cannot reach the node: {message}")]
    Connect { message: String },
    #[error("node answered HTTP {status}")]
    Status { status: u16 },
    #[error("answer is over the {limit}-byte cap")]
    TooLarge { limit: usize },
    #[error("the network peer could not relay the call ({code}): {message}")]
    Refused { code: u16, message: String },
}

/// Sends one JSON-RPC request to one node endpoint. Implementations enforce their own time-out
/// and must not return more than `max_bytes` bytes.
#[allow(async_fn_in_trait)]
pub trait JsonRpcTransport {
    async fn post(&self, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, TransportError>;
}

/// Drives a [`StorageCheck`] to its verdict, one request at a time.
pub async fn run_storage_check<T: JsonRpcTransport>(check: StorageCheck, transport: &T) -> StorageVerdict {
    run_storage_check_pipelined(check, transport, 1).await
}

/// Drives a [`StorageCheck`] with up to `in_flight` requests outstanding, which hides the round
/// trip when the transport multiplexes (libp2p substreams, HTTP/2). Answers still in flight when
/// the check settles are read: evidence that arrives late still outranks a failure to answer.
pub async fn run_storage_check_pipelined<T: JsonRpcTransport>(mut check: StorageCheck, transport: &T, in_flight: usize) -> StorageVerdict {
    let mut pending = FuturesUnordered::new();
    loop {
        while pending.len() < in_flight.max(1) {
            let Some(request) = check.next_request() else { break };
            pending.push(async move {
                let answer = transport.post(request.body.clone(), request.max_bytes).await;
                (request, answer)
            });
        }
        let Some((request, answer)) = pending.next().await else { break };
        check.on_answer(&request, answer);
    }
    check.verdict().expect("every planned request was answered")
}
