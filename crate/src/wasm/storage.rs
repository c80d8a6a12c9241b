//! The storage core, exported to JavaScript.

use crate::storage::FileHasher;
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
