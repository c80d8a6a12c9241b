//! The devnet's chain as a CometBFT RPC server: a generated chain of BLS validators that sign
//! their own `CanonicalVote`s ([`chain`]), CometBFT's RPC JSON ([`json`]), and the routes
//! `/status`, `/commit`, `/validators`, `/block` ([`server`]).

pub mod chain;
pub mod json;
pub mod server;

pub use chain::{ChainManifest, CometChain, Fault, FaultRow, ValidatorRow, CHAIN_ID, DEFAULT_HEAD, EPOCH, EVIDENCE_DELAY, FORGED_HEIGHT, UNIVERSE, WEAK_HEIGHT};
pub use server::{router, serve};
