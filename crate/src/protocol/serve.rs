//! Asking a serving provider through the network peer, and what its answer means for the check.

use super::wire::{CheckRequest, CheckResponse};
use super::relayed::CheckSender;
use crate::serving::{ServeUnavailable, Served};
use crate::storage::TransportError;
use base64::Engine;

/// Sends `request` (a chat body) to `provider`. No answer in time is a time-out; a refusal, or an
/// answer the relay garbled (no base64), leaves nothing to judge: unreachable either way.
pub async fn fetch_served<S: CheckSender>(sender: &S, provider: String, request: String) -> Result<Served, ServeUnavailable> {
    let message = CheckRequest::Serve { provider, request };
    // One retry on a fresh substream when the connection failed (not on a time-out: a provider
    // that is slow once is slow twice, and the round should not wait double).
    let answer = match sender.send(message.clone()).await {
        Err(TransportError::Connect { .. }) => sender.send(message).await,
        other => other,
    };
    match answer {
        Ok(CheckResponse::Served { response, signature }) => match base64::engine::general_purpose::STANDARD.decode(&response) {
            Ok(response) => Ok(Served { response, record: signature }),
            Err(e) => Err(ServeUnavailable::Refused { message: format!("response is not base64: {e}") }),
        },
        Ok(CheckResponse::Failure(f)) => Err(ServeUnavailable::Refused { message: format!("refused ({}): {}", f.code, f.message) }),
        Ok(_) => Err(ServeUnavailable::Refused { message: "unexpected answer to a serve request".into() }),
        Err(TransportError::Timeout { ms }) => Err(ServeUnavailable::Timeout { message: format!("no answer within {ms} ms") }),
        Err(e) => Err(ServeUnavailable::Timeout { message: e.to_string() }),
    }
}
