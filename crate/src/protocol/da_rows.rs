//! Asking a DA signer for rows through the network peer, and what its answer means for the check.

use super::wire::{CheckRequest, CheckResponse};
use super::relayed::CheckSender;
use crate::da::{RowWithProof, RowsUnavailable};
use crate::hash::Hash32;
use crate::storage::TransportError;

/// Fetches `rows` of the blob `data_root` from `signer`. "Not found" (404) is a withholding
/// signer; no answer, or any other refusal, is a signer we could not reach.
pub async fn fetch_da_rows<S: CheckSender>(sender: &S, signer: String, data_root: Hash32, rows: Vec<u16>) -> Result<Vec<RowWithProof>, RowsUnavailable> {
    let request = CheckRequest::DaRows { signer, data_root, rows };
    // One retry on a fresh substream, as for storage (see RelayedZgs).
    let answer = match sender.send(request.clone()).await {
        Err(TransportError::Timeout { .. } | TransportError::Connect { .. }) => sender.send(request).await,
        other => other,
    };
    match answer {
        Ok(CheckResponse::DaRows { rows }) => Ok(rows),
        Ok(CheckResponse::Failure(f)) if f.code == 404 => Err(RowsUnavailable::Withheld { message: f.message }),
        Ok(CheckResponse::Failure(f)) => Err(RowsUnavailable::Timeout { message: format!("refused ({}): {}", f.code, f.message) }),
        Ok(_) => Err(RowsUnavailable::Timeout { message: "unexpected answer to a row request".into() }),
        Err(e) => Err(RowsUnavailable::Timeout { message: e.to_string() }),
    }
}
