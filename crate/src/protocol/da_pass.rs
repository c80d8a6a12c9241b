//! One DA pass through the relay: certified blobs from the chain, quorums from the DASigners
//! precompile, rows from each signer.

use super::relayed::CheckSender;
use super::wire::DaSource;
use crate::da::DaVerdict;

/// What the DA pass keeps from round to round.
#[derive(Debug, Default)]
pub struct DaMemory {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaPassError {
    #[error("the DA pass is not built yet")]
    NotBuilt,
}

pub async fn run_da_pass<S: CheckSender>(_sender: &S, _source: &DaSource, _max_log_range: u64, _memory: &mut DaMemory, _seed: [u8; 32]) -> Result<Vec<(String, DaVerdict)>, DaPassError> {
    Err(DaPassError::NotBuilt)
}
