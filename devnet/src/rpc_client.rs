//! A native HTTP [`JsonRpcTransport`] and storage upstreams, for tests and tools that check the
//! devnet (or any 0G network) from outside, without a relay.

use std::time::Duration;
use zg_align::storage::{JsonRpcTransport, TransportError};

pub struct HttpTransport {
    client: reqwest::Client,
    url: String,
    timeout: Duration,
}

impl HttpTransport {
    pub fn new(url: impl Into<String>, timeout: Duration) -> Self {
        HttpTransport::with_client(reqwest::Client::new(), url, timeout)
    }

    /// Shares `client`'s connection pool.
    pub fn with_client(client: reqwest::Client, url: impl Into<String>, timeout: Duration) -> Self {
        HttpTransport { client, url: url.into(), timeout }
    }

    async fn post_unbounded(&self, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, TransportError> {
        let connect = |e: reqwest::Error| TransportError::Connect { message: e.to_string() };
        let mut response = self
            .client
            .post(&self.url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(connect)?;
        if !response.status().is_success() {
            return Err(TransportError::Status { status: response.status().as_u16() });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(connect)? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(TransportError::TooLarge { limit: max_bytes });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

impl JsonRpcTransport for HttpTransport {
    async fn post(&self, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, TransportError> {
        tokio::time::timeout(self.timeout, self.post_unbounded(body, max_bytes))
            .await
            .unwrap_or(Err(TransportError::Timeout { ms: self.timeout.as_millis() as u64 }))
    }
}

/// The storage pass's upstreams straight over HTTP (no relay): the indexer, the EVM RPC and each
/// storage node by its URL.
pub struct HttpUpstreams {
    pub indexer: String,
    pub evm: String,
    pub timeout: Duration,
    pub client: reqwest::Client,
}

impl HttpUpstreams {
    pub fn new(indexer: impl Into<String>, evm: impl Into<String>, timeout: Duration) -> Self {
        HttpUpstreams { indexer: indexer.into(), evm: evm.into(), timeout, client: reqwest::Client::new() }
    }
}

impl zg_align::storage::StorageUpstreams for HttpUpstreams {
    fn indexer(&self) -> impl JsonRpcTransport + '_ {
        HttpTransport::with_client(self.client.clone(), self.indexer.clone(), self.timeout)
    }

    fn evm(&self) -> impl JsonRpcTransport + '_ {
        HttpTransport::with_client(self.client.clone(), self.evm.clone(), self.timeout)
    }

    fn node(&self, url: &str) -> impl JsonRpcTransport + '_ {
        HttpTransport::with_client(self.client.clone(), url.to_string(), self.timeout)
    }
}
