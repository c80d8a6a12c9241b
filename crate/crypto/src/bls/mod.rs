//! BLS12-381 signatures as 0G Chain validators (beacon-kit) and Ethereum use them: public keys in
//! G1 (48 bytes compressed), signatures in G2 (96 bytes), messages hashed to G2 per RFC 9380 with
//! the proof-of-possession ciphersuite `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`.
//!
//! Curve, pairing and hash to curve are arkworks' (`ark-bls12-381` 0.5, no asm, runs in wasm) but
//! for hash to curve's map, the Miller loop and the final exponentiation, ours for speed
//! (`map_to_g2`, `miller_loop`, `final_exponentiation`, same results); this module adds the encoding checks of the standard, the IETF operations and
//! batching. Sans-IO: the only randomness, batch weights, comes from the caller.
//!
//! Held to the official Ethereum `bls12-381-tests` v0.1.2 and the RFC 9380 hash-to-G2 vectors in
//! `tests/bls_vectors.rs`, natively and in headless Chromium.

mod batch;
mod error;
mod final_exponentiation;
mod fq2_sqrt;
mod hash_to_curve;
mod keys;
mod map_to_g2;
mod miller_loop;
mod profile;
mod same_message;
mod sign;
mod verify;

pub use batch::{batch_verify, batch_verify_hashed, find_invalid, find_invalid_hashed, HashedSignatureSet, SignatureSet};
pub use error::{BlsError, Item};
pub use hash_to_curve::{hash_message, hash_to_g2, DST_NUL, DST_POP};
pub use map_to_g2::map_to_g2_pair;
pub use keys::{
    decode_g1, decode_g1_uncompressed, decode_g2, encode_g1, encode_g1_uncompressed, encode_g2, PublicKey, Signature, PUBLIC_KEY_LEN,
    PUBLIC_KEY_UNCOMPRESSED_LEN, SIGNATURE_LEN,
};
pub use profile::{profile_workloads, Workload};
pub use same_message::{batch_verify_same_message, find_invalid_same_message, HashedMessage};
pub use sign::{SecretKey, SECRET_KEY_LEN};
pub use verify::{aggregate, aggregate_verify, fast_aggregate_verify, verify, verify_hashed};
