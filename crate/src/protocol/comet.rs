//! 0G Chain's CometBFT RPC reached through the relay: each read goes out as one
//! [`CheckRequest::Comet`], and the RPC's answer comes back verbatim, to be read by the same
//! decoders as over HTTP.

use super::relayed::CheckSender;
use super::wire::{CheckRequest, CheckResponse};
use crate::cometbft::{CometRpc, RpcRead};
use crate::storage::TransportError;

/// The CometBFT RPC behind the relay at the other end of `sender`.
pub struct RelayedComet<'a, S>(pub &'a S);

impl<S: CheckSender> CometRpc for RelayedComet<'_, S> {
    async fn read(&self, read: RpcRead) -> Result<Vec<u8>, TransportError> {
        let request = CheckRequest::Comet(read);
        // One retry on a fresh substream when no answer came, as for the other relayed reads.
        let answer = match self.0.send(request.clone()).await {
            Err(TransportError::Timeout { .. } | TransportError::Connect { .. }) => self.0.send(request).await,
            other => other,
        };
        match answer? {
            CheckResponse::Rpc { answer } if answer.get().len() > read.route.max_bytes() => Err(TransportError::TooLarge { limit: read.route.max_bytes() }),
            CheckResponse::Rpc { answer } => Ok(answer.get().as_bytes().to_vec()),
            CheckResponse::Failure(f) if f.code == 413 => Err(TransportError::TooLarge { limit: super::MAX_RESPONSE_BYTES }),
            CheckResponse::Failure(f) => Err(TransportError::Refused { code: f.code, message: f.message }),
            other => Err(TransportError::Refused { code: 0, message: format!("unexpected answer {}", other.kind()) }),
        }
    }
}
