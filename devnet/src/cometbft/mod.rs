//! The devnet's chain as a CometBFT RPC server: a generated chain of BLS validators that sign
//! their own `CanonicalVote`s ([`chain`]), CometBFT's RPC JSON ([`json`]), and the routes
//! `/status`, `/commit`, `/validators`, `/block` ([`server`]); and the node's validator round run
//! natively against any CometBFT RPC ([`client`]).

pub mod chain;
pub mod client;
pub mod json;
pub mod server;

pub use chain::{ChainManifest, CometChain, Fault, FaultRow, ValidatorRow, CHAIN_ID, DEFAULT_HEAD, EPOCH, EVIDENCE_DELAY, FORGED_HEIGHT, UNIVERSE, WEAK_HEIGHT};
pub use client::{HttpComet, SystemClock};
pub use server::{router, serve};
