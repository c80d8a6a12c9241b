//! The benchmark workloads (`crate::benchmarks`), exported so `make bench` can time them in a
//! dedicated worker with `performance.now()`.

use crate::benchmarks;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn clock() -> Result<impl Fn() -> f64, JsError> {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).map_err(|_| JsError::new("no performance clock"))?;
    let performance: web_sys::Performance = performance.dyn_into().map_err(|_| JsError::new("no performance clock"))?;
    Ok(move || performance.now())
}

/// DA rows: a quorum certificate and 100 sampled rows, `reps` timed runs each.
#[wasm_bindgen(js_name = benchDa)]
pub fn bench_da(reps: u32) -> Result<JsValue, JsError> {
    let now = clock()?;
    Ok(serde_wasm_bindgen::to_value(&benchmarks::da(reps as usize, &now))?)
}

/// BLS rows: verify, fast-aggregate of 100, batch of 100 distinct messages, a 150-validator commit.
#[wasm_bindgen(js_name = benchBls)]
pub fn bench_bls(reps: u32) -> Result<JsValue, JsError> {
    let now = clock()?;
    Ok(serde_wasm_bindgen::to_value(&benchmarks::bls(reps as usize, &now))?)
}

/// The exact bytes the BLS rows check, hex-encoded, for `@noble/curves` in the page.
#[wasm_bindgen(js_name = benchBlsInputs)]
pub fn bench_bls_inputs() -> Result<JsValue, JsError> {
    Ok(serde_wasm_bindgen::to_value(&benchmarks::bls_inputs())?)
}

/// Where a single verify's time goes, and BLS12-381 field operations (`benchmarks::bls_profile`).
#[wasm_bindgen(js_name = benchBlsProfile)]
pub fn bench_bls_profile(reps: u32) -> Result<JsValue, JsError> {
    let now = clock()?;
    Ok(serde_wasm_bindgen::to_value(&benchmarks::bls_profile(reps as usize, &now))?)
}
