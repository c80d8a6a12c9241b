//! The storage core, exported to JavaScript.

use super::fetch::FetchTransport;
use crate::hash::Hash32;
use crate::storage::{run_storage_check, FileHasher, SamplingPolicy, StorageCheck, StorageVerdict};
use serde::{Deserialize, Serialize};
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

/// A file a storage node should hold, as the manifest lists it.
#[derive(Deserialize)]
struct FileTarget {
    root: Hash32,
    size: u64,
}

/// The verdict on one node over several files, with each file's verdict.
#[derive(Serialize)]
struct NodeVerdict {
    #[serde(flatten)]
    verdict: StorageVerdict,
    files: Vec<StorageVerdict>,
}

/// Checks every file `[{root, size}]` on one zgs JSON-RPC endpoint with `fetch`, and returns the
/// node's verdict as a plain object: `{verdict: "healthy" | "misbehaving" | "unreachable", ...,
/// files: [per-file verdicts]}`. Evidence outranks a failure to answer.
#[wasm_bindgen(js_name = checkStorageNode)]
pub async fn check_storage_node(rpc_url: String, files: JsValue, timeout_ms: u32) -> Result<JsValue, JsError> {
    let files: Vec<FileTarget> =
        serde_wasm_bindgen::from_value(files).map_err(|e| JsError::new(&format!("files: {e}")))?;
    if files.is_empty() {
        return Err(JsError::new("files: at least one file to check"));
    }
    let transport = FetchTransport::new(rpc_url, timeout_ms);
    let mut verdicts = Vec::with_capacity(files.len());
    for file in files {
        let mut seed = [0u8; 32];
        crypto_random(&mut seed)?;
        let check = StorageCheck::new(file.root, file.size, &SamplingPolicy::default(), seed)?;
        verdicts.push(run_storage_check(check, &transport).await);
    }
    let verdict = StorageVerdict::combine(verdicts.clone()).expect("at least one file");
    let node = NodeVerdict { verdict, files: verdicts };
    Ok(node.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

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
