//! Browser glue: what the worker and the page call. Only compiled for wasm32.

mod fetch;
mod storage;

pub use fetch::FetchTransport;
pub use storage::{check_storage_node, file_root, FileRootHasher};
