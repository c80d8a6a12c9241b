//! `crypto.getRandomValues`, in a window or a worker alike.

use wasm_bindgen::{JsCast, JsError};

pub fn fill(buf: &mut [u8]) -> Result<(), JsError> {
    let global = js_sys::global();
    let crypto = js_sys::Reflect::get(&global, &"crypto".into()).map_err(|_| JsError::new("no crypto"))?;
    let get = js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| JsError::new("no crypto.getRandomValues"))?;
    let array = js_sys::Uint8Array::new_with_length(buf.len() as u32);
    get.call1(&crypto, &array).map_err(|_| JsError::new("crypto.getRandomValues failed"))?;
    array.copy_to(buf);
    Ok(())
}

/// 32 fresh random bytes for a seed; `None` when the platform has no `crypto.getRandomValues`.
pub fn seed() -> Option<[u8; 32]> {
    let mut seed = [0u8; 32];
    fill(&mut seed).ok().map(|()| seed)
}
