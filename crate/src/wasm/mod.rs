//! Browser glue: what the worker and the page call. Only compiled for wasm32.

#[cfg(feature = "bench")]
mod bench;
mod busy;
mod fetch;
mod first_verdict;
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

/// The heap counted, so the worker's `status` can tell what the node holds now from the wasm
/// memory's high-water mark (`counting_alloc`).
#[global_allocator]
static ALLOCATOR: crate::counting_alloc::CountingAllocator<std::alloc::System> = crate::counting_alloc::CountingAllocator::new(std::alloc::System);

pub use fetch::FetchTransport;
pub use storage::{file_root, FileRootHasher};
pub use worker::run_worker;
