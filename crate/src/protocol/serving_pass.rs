//! One serving pass through the relay: providers from the InferenceServing contract, each asked
//! fresh canaries (or drift requests), the raw answers and signature records judged.

use super::relayed::CheckSender;
use super::wire::ServingSource;
use crate::serving::{ServingState, ServingVerdict};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServingPassError {
    #[error("the serving pass is not built yet")]
    NotBuilt,
}

pub async fn run_serving_pass<S: CheckSender>(_sender: &S, _source: &ServingSource, _state: &mut ServingState, _seed: [u8; 32]) -> Result<Vec<(String, ServingVerdict)>, ServingPassError> {
    Err(ServingPassError::NotBuilt)
}
