//! 0G serving providers (AI model monitoring), sans-IO: [`signature`] the TEE signature over each
//! response, [`model`] a small model the worker re-runs bit for bit, [`canary`] the versioned
//! prompts and chat bytes, [`drift`] the sequential test for answers nobody can re-run, [`check`]
//! what one answer proves and [`round`] one round over every provider. docs/serving.md.

pub mod canary;
pub mod check;
pub mod drift;
pub mod model;
pub mod round;
pub mod signature;
pub mod simulate;

pub use check::{check_answer, ServeUnavailable, Served, ServingEvidence, ServingFault, ServingVerdict};
pub use drift::{DriftMonitor, DriftParams, DriftStatus, DRIFT_PARAMS};
pub use model::TinyModel;
pub use round::{rerunnable, run_serving_round, ProviderEntry, ServingMap, ServingState, DRIFT_SAMPLES_PER_ROUND};
pub use signature::{signed_text, verify_response, SignatureFault, SignatureRecord};
