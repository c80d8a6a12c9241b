//! zg-align: a light 0G AI alignment node.
//!
//! The verification core is sans-IO: pure functions and state machines that take bytes and return
//! verdicts. The same code runs natively (tests, devnet tools) and as wasm in a dedicated web worker.
//! Browser glue lives in [`wasm`], compiled only for `wasm32`.

// The benchmark workloads: the examples call them natively; in wasm only a `bench` build exports
// them (wasm/bench.rs), so the shipped module, which exports none, has none of their code.
pub mod benchmarks;
pub mod bounded_json;
pub mod cometbft;
pub mod counting_alloc;
pub mod da;
pub mod evidence;
pub mod evm;
pub mod hash;
pub mod license;
pub mod p2p;
pub mod paths;
pub mod protocol;
pub mod relay_address;
pub mod report;
pub mod serving;
pub mod storage;
pub mod webrtc_sdp;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use hash::Hash32;
/// BLS12-381 signatures (crate/crypto: a crate of its own, compiled for speed in a module built for size).
pub use zg_align_crypto::bls;

// The core's unit tests run in headless Chromium too (`wasm-pack test --headless --chrome`).
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
