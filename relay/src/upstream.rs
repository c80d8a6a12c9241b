//! HTTP to 0G's nodes: one POST (or GET) with a time-out, the answer read as a stream and cut at a
//! cap while it is read, and a limit on requests in flight per endpoint, so one slow node holds up
//! only the tabs' requests to that node.

use reqwest::header::CONTENT_TYPE;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    #[error("no answer within {ms} ms")]
    Timeout { ms: u64 },
    #[error("cannot reach {url}: {message}")]
    Connect { url: String, message: String },
    /// `body` is the whole answer (within the cap): some upstreams explain a refusal in it.
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16, body: Vec<u8> },
    #[error("the answer is over {limit} bytes")]
    TooLarge { limit: usize },
}

impl UpstreamError {
    /// The check protocol's failure code for this error.
    pub fn code(&self) -> u16 {
        match self {
            UpstreamError::Timeout { .. } => 504,
            UpstreamError::Connect { .. } => 502,
            UpstreamError::Status { status, .. } => *status,
            UpstreamError::TooLarge { .. } => 413,
        }
    }
}

/// Endpoints tracked for their in-flight limit at most; old ones are forgotten first.
const MAX_TRACKED_ENDPOINTS: usize = 4096;

#[derive(Clone)]
pub struct Upstreams {
    client: reqwest::Client,
    timeout: Duration,
    per_endpoint: usize,
    gates: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

impl Upstreams {
    pub fn new(timeout: Duration, per_endpoint: usize) -> Self {
        let client = reqwest::Client::builder()
            .connect_timeout(timeout)
            // 0G's nodes answer plain HTTP JSON; a relay follows no redirects (they could point anywhere).
            .redirect(reqwest::redirect::Policy::none())
            // Bodies are forwarded as received on the wire: a provider signs its compressed bytes.
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .no_zstd()
            .build()
            .expect("a plain HTTP client builds");
        Upstreams { client, timeout, per_endpoint, gates: Default::default() }
    }

    fn gate(&self, url: &Url) -> Arc<Semaphore> {
        let key = url.origin().ascii_serialization();
        let mut gates = self.gates.lock().expect("gates lock");
        if gates.len() >= MAX_TRACKED_ENDPOINTS && !gates.contains_key(&key) {
            gates.retain(|_, g| g.available_permits() < self.per_endpoint);
        }
        gates.entry(key).or_insert_with(|| Arc::new(Semaphore::new(self.per_endpoint))).clone()
    }

    /// Runs `call` holding one of `url`'s places in flight: calls that do not go through this
    /// client (the DA signers' gRPC) are held to the same per-endpoint limit.
    pub async fn gated<T>(&self, url: &Url, call: impl std::future::Future<Output = T>) -> T {
        let gate = self.gate(url);
        let _permit = gate.acquire().await.expect("never closed");
        call.await
    }

    /// POSTs a JSON body to `url` and returns the answer's exact bytes (at most `cap`).
    pub async fn post_json(&self, url: &Url, body: Vec<u8>, cap: usize) -> Result<Vec<u8>, UpstreamError> {
        let request = self.client.post(url.clone()).header(CONTENT_TYPE, "application/json").body(body);
        self.send(url, request, cap).await
    }

    /// GETs `url` and returns the answer's exact bytes (at most `cap`).
    pub async fn get(&self, url: &Url, cap: usize) -> Result<Vec<u8>, UpstreamError> {
        self.send(url, self.client.get(url.clone()), cap).await
    }

    /// POSTs `body` to `url` with `headers` and returns the answer whatever its status, body as
    /// received on the wire (at most `cap`).
    pub async fn post_raw(&self, url: &Url, headers: &[(&str, String)], body: Vec<u8>, cap: usize) -> Result<HttpAnswer, UpstreamError> {
        let mut request = self.client.post(url.clone()).body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        self.exchange(url, request, cap).await
    }

    /// GETs `url` and returns the answer whatever its status (body at most `cap`).
    pub async fn get_raw(&self, url: &Url, cap: usize) -> Result<HttpAnswer, UpstreamError> {
        self.exchange(url, self.client.get(url.clone()), cap).await
    }

    async fn send(&self, url: &Url, request: reqwest::RequestBuilder, cap: usize) -> Result<Vec<u8>, UpstreamError> {
        let answer = self.exchange(url, request, cap).await?;
        if !(200..300).contains(&answer.status) {
            return Err(UpstreamError::Status { url: url.to_string(), status: answer.status, body: answer.body });
        }
        Ok(answer.body)
    }

    async fn exchange(&self, url: &Url, request: reqwest::RequestBuilder, cap: usize) -> Result<HttpAnswer, UpstreamError> {
        let ms = self.timeout.as_millis() as u64;
        let exchange = self.gated(url, async {
            let connect = |e: reqwest::Error| UpstreamError::Connect { url: url.to_string(), message: without_url(e) };
            let mut response = request.send().await.map_err(connect)?;
            let (status, headers) = (response.status().as_u16(), response.headers().clone());
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(connect)? {
                if body.len() + chunk.len() > cap {
                    return Err(UpstreamError::TooLarge { limit: cap });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpAnswer { status, headers, body })
        });
        tokio::time::timeout(self.timeout, exchange).await.unwrap_or(Err(UpstreamError::Timeout { ms }))
    }
}

/// An HTTP answer as received: status, headers, and the body's bytes on the wire.
#[derive(Debug)]
pub struct HttpAnswer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl HttpAnswer {
    /// A header's value, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
}

/// reqwest's message repeats the URL (the error already names it) and hides the cause.
fn without_url(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn calls_to_one_endpoint_wait_for_a_place_and_others_do_not() {
        let upstreams = Upstreams::new(Duration::from_secs(1), 1);
        let (a, b) = (Url::parse("http://10.0.0.1:9000/x").unwrap(), Url::parse("http://10.0.0.2:9000/").unwrap());
        let (release, held) = tokio::sync::oneshot::channel::<()>();
        let first = tokio::spawn({
            let (upstreams, a) = (upstreams.clone(), a.clone());
            async move { upstreams.gated(&a, async { held.await.ok() }).await }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let same = Url::parse("http://10.0.0.1:9000/other/path").unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(50), upstreams.gated(&same, async {})).await.is_err(), "the one place at 10.0.0.1:9000 is held");
        assert!(tokio::time::timeout(Duration::from_millis(50), upstreams.gated(&b, async {})).await.is_ok(), "another endpoint is not held up");
        release.send(()).unwrap();
        first.await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(50), upstreams.gated(&same, async {})).await.is_ok(), "the place is free again");
    }
}
