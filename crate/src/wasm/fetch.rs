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
            let bytes = response.binary().await.map_err(|e| connect(&e.to_string()))?;
            if bytes.len() > max_bytes {
                return Err(TransportError::TooLarge { limit: max_bytes });
            }
            Ok(bytes)
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

fn connect(message: &str) -> TransportError {
    TransportError::Connect { message: message.to_string() }
}
