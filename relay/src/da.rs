//! DA requests: `Signer.BatchRetrieve` to a registered signer's socket, and row proofs from the
//! owner's proof source.

use crate::service::{failure, Service};
use alloy_primitives::Address;
use zg_align::hash::Hash32;
use zg_align::protocol::CheckResponse;

impl Service {
    pub(crate) async fn da_retrieve(&self, _signer: Address, _epoch: u64, _quorum_id: u64, _data_root: Hash32, _rows: Vec<u16>) -> CheckResponse {
        failure(501, "DA retrieval is not built yet".into())
    }

    pub(crate) async fn da_proofs(&self, _data_root: Hash32, _rows: Vec<u16>) -> CheckResponse {
        failure(501, "DA row proofs are not built yet".into())
    }
}
