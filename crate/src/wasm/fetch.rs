//! [`JsonRpcTransport`] over the browser's `fetch`, with a time-out through `AbortController`.

use crate::storage::{JsonRpcTransport, TransportError};
use gloo_net::http::Request;
use gloo_timers::callback::Timeout;

pub struct FetchTransport {
    url: String,
    timeout_ms: u32,
}

impl FetchTransport {
    pub fn new(url: String, timeout_ms: u32) -> Self {
        FetchTransport { url, timeout_ms }
    }
}

impl JsonRpcTransport for FetchTransport {
    async fn post(&self, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, TransportError> {
        let controller = web_sys::AbortController::new().map_err(|_| connect("no AbortController"))?;
        let signal = controller.signal();
        let abort = controller.clone();
        let timer = Timeout::new(self.timeout_ms, move || abort.abort());
        let timed_out = || signal.aborted();
        let request = Request::post(&self.url)
            .header("content-type", "application/json")
            .abort_signal(Some(&signal))
            .body(body)
            .map_err(|e| connect(&e.to_string()))?;
        let result = async {
            let response = request.send().await.map_err(|e| connect(&e.to_string()))?;
            if !response.ok() {
                return Err(TransportError::Status { status: response.status() });
            }
            let declared = response.headers().get("content-length").and_then(|v| v.parse::<usize>().ok());
            if declared.is_some_and(|n| n > max_bytes) {
                return Err(TransportError::TooLarge { limit: max_bytes });
            }
            read_capped(response, max_bytes).await
        }
        .await;
        drop(timer);
        match result {
            Err(TransportError::Connect { .. }) if timed_out() => {
                Err(TransportError::Timeout { ms: self.timeout_ms as u64 })
            }
            other => other,
        }
    }
}

/// Reads the body chunk by chunk and stops at the cap: a server that declares no length (or a
/// false one) cannot make the worker buffer more than `max_bytes`.
async fn read_capped(response: gloo_net::http::Response, max_bytes: usize) -> Result<Vec<u8>, TransportError> {
    use wasm_bindgen::JsCast;
    let Some(body) = response.body() else { return Ok(Vec::new()) };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read()).await.map_err(|e| connect(&format!("{e:?}")))?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true);
        if done {
            return Ok(bytes);
        }
        let value = js_sys::Reflect::get(&chunk, &"value".into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
        let Some(value) = value.dyn_ref::<js_sys::Uint8Array>() else { return Err(connect("the body stream gave something other than bytes")) };
        if bytes.len() + value.length() as usize > max_bytes {
            let _ = reader.cancel();
            return Err(TransportError::TooLarge { limit: max_bytes });
        }
        bytes.extend_from_slice(&value.to_vec());
    }
}

fn connect(message: &str) -> TransportError {
    TransportError::Connect { message: message.to_string() }
}
