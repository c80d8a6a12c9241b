//! zg-align's cryptography: what the node's checks spend their time in, in a crate of its own so
//! that it compiles at opt-level 3 while the rest of the wasm module is optimised for size (the
//! `wasm` profile in the workspace's Cargo.toml). Generic arkworks and digest code (pairings, hash
//! to curve, multi-scalar multiplication, keccak's sponge) is compiled in the crate that
//! instantiates it, so the hot paths are instantiated here, behind non-generic functions.
//!
//! The node re-exports these as `zg_align::bls` and behind `zg_align::hash::keccak256`. BN254 (the
//! DA quorum check, one pairing equation per certificate) is not here: it stays in the node's crate
//! at "z", where it is 52 KB gzipped smaller for 0.5 ms more a certificate (BENCHMARKS.md).

pub mod bls;
pub mod keccak;

// The unit tests run in headless Chromium too (`wasm-pack test --headless --chrome crate/crypto`).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
