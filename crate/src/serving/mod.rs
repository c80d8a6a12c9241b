//! 0G serving providers (AI model monitoring), sans-IO: [`signature`] the TEE signature over each
//! response, [`model`] a small model the worker re-runs bit for bit, [`canary`] the versioned
//! prompts and chat bytes, [`drift`] the sequential test for answers nobody can re-run, [`check`]
//! what one answer proves and [`round`] one round over every provider of the devnet's map.
//!
//! 0G's own interfaces: [`contract`] the InferenceServing service list, [`signer_rule`] which key
//! the compute SDK expects, [`session`] the session headers a chat request carries,
//! [`exchange`] the raw answer, its chat ID and signature record, [`canary_gen`] requests drawn
//! fresh each round, [`provider_round`] one round over all of it. docs/serving.md.

pub mod canary;
pub mod canary_gen;
pub mod check;
pub mod contract;
pub mod drift;
pub mod exchange;
pub mod model;
pub mod provider_round;
pub mod round;
pub mod session;
pub mod signature;
pub mod signer_rule;
pub mod simulate;

pub use canary_gen::{CanaryGenerator, GeneratedRequest};
pub use check::{check_answer, ServeUnavailable, Served, ServingEvidence, ServingFault, ServingVerdict};
pub use contract::{ContractError, ServiceEntry};
pub use drift::{DriftMonitor, DriftParams, DriftStatus, DRIFT_PARAMS};
pub use exchange::{ChatExchange, ExchangeError};
pub use model::TinyModel;
pub use provider_round::{provider_id, run_provider_round, run_provider_round_each, CHATBOT};
pub use round::{rerunnable, ProviderEntry, ServingMap, ServingState, DRIFT_SAMPLES_PER_ROUND, MAX_DRIFT_MONITORS};
pub use session::{SessionError, SessionToken};
pub use signature::{signed_text, verify_response, SignatureFault, SignatureRecord};
pub use signer_rule::{expected_signer, Unverifiable};
