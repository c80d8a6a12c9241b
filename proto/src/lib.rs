//! zg-align-proto: 0G's DA signer gRPC interface (package `signer`, service `Signer` with
//! `BatchSign`, `BatchRetrieve` and `GetStatus`), generated at build time from
//! `proto/signer.proto` by protox and tonic-prost-build, with no protoc binary.
//!
//! Without features: the prost messages only (the core decodes a forwarded `BatchRetrieveReply`
//! with them, in the worker too). With `grpc`: `signer::signer_client::SignerClient` (the relay)
//! and `signer::signer_server::{Signer, SignerServer}` (the devnet's signers).

pub mod signer {
    #![allow(clippy::all)]
    include!(concat!(env!("OUT_DIR"), "/signer.rs"));
}

/// The prost this crate's messages are built with (`Message::decode`, `encode_to_vec`).
pub use prost;
