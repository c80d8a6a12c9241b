//! zg-align: a light 0G AI alignment node.
//!
//! The verification core is sans-IO: pure functions and state machines that take bytes and return
//! verdicts. The same code runs natively (tests, devnet tools) and as wasm in a dedicated web worker.
//! Browser glue lives in [`wasm`], compiled only for `wasm32`.

pub mod hash;
pub mod protocol;
pub mod storage;
pub mod webrtc_sdp;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use hash::Hash32;
