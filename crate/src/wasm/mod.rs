//! Browser glue: what the worker and the page call. Only compiled for wasm32.

#[cfg(feature = "bench")]
mod bench;
mod busy;
mod fetch;
mod node;
mod random;
pub mod report;
mod report_flow;
pub mod rtc;
mod second_paths;
pub mod signing;
mod storage;
mod validators;
pub mod worker;

pub use fetch::FetchTransport;
pub use storage::{file_root, FileRootHasher};
pub use worker::run_worker;
