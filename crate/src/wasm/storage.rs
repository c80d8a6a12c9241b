//! The storage core, exported to JavaScript.

use super::fetch::FetchTransport;
use crate::hash::Hash32;
use crate::storage::{run_storage_check, FileHasher, SamplingPolicy, StorageCheck};
use wasm_bindgen::prelude::*;

/// The 0G root of `data`, as `0x` + 64 hex digits.
#[wasm_bindgen(js_name = fileRoot)]
pub fn file_root(data: &[u8]) -> Result<String, JsError> {
    Ok(crate::storage::file_root(data)?.to_hex())
}

/// A streaming root: feed a file in pieces (for example from `Blob.stream()`), memory stays small.
#[wasm_bindgen]
#[derive(Default)]
pub struct FileRootHasher(FileHasher);

#[wasm_bindgen]
impl FileRootHasher {
    #[wasm_bindgen(constructor)]
    pub fn new() -> FileRootHasher {
        FileRootHasher::default()
    }

    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The root; the hasher is consumed.
    pub fn finalize(self) -> Result<String, JsError> {
        Ok(self.0.finalize()?.to_hex())
    }
}

/// Runs the storage check of one file on one zgs JSON-RPC endpoint with `fetch`, and returns the
/// verdict as a plain object (`{verdict: "healthy" | "misbehaving" | "unreachable", ...}`).
#[wasm_bindgen(js_name = checkStorage)]
pub async fn check_storage(rpc_url: String, root: String, size: f64, timeout_ms: u32) -> Result<JsValue, JsError> {
    let root: Hash32 = root.parse()?;
    if !(size.is_finite() && size >= 1.0 && size <= 9_007_199_254_740_991.0 && size.fract() == 0.0) {
        return Err(JsError::new("size must be a whole number of bytes, at least 1"));
    }
    let mut seed = [0u8; 32];
    crypto_random(&mut seed)?;
    let check = StorageCheck::new(root, size as u64, &SamplingPolicy::default(), seed)?;
    let verdict = run_storage_check(check, &FetchTransport::new(rpc_url, timeout_ms)).await;
    Ok(verdict.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

use serde::Serialize;

/// Fills `buf` from `crypto.getRandomValues`, in a window or a worker alike.
fn crypto_random(buf: &mut [u8]) -> Result<(), JsError> {
    let global = js_sys::global();
    let crypto = js_sys::Reflect::get(&global, &"crypto".into()).map_err(|_| JsError::new("no crypto"))?;
    let get = js_sys::Reflect::get(&crypto, &"getRandomValues".into()).map_err(|_| JsError::new("no getRandomValues"))?;
    let array = js_sys::Uint8Array::new_with_length(buf.len() as u32);
    js_sys::Function::from(get).call1(&crypto, &array).map_err(|_| JsError::new("getRandomValues failed"))?;
    array.copy_to(buf);
    Ok(())
}
