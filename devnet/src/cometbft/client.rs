//! The node's validator round run natively: a CometBFT RPC read over HTTP and the system clock,
//! for tests and tools that follow a chain (the devnet's, or any) without a relay.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use zg_align::cometbft::{CometRpc, FollowClock, RpcRead, Timestamp};
use zg_align::storage::TransportError;

/// A CometBFT RPC at `base` (`http://host:26657`), read with GETs as the relay reads it.
pub struct HttpComet {
    client: reqwest::Client,
    base: String,
    timeout: Duration,
}

impl HttpComet {
    pub fn new(base: impl Into<String>, timeout: Duration) -> Self {
        HttpComet { client: reqwest::Client::new(), base: base.into().trim_end_matches('/').to_string(), timeout }
    }
}

impl CometRpc for HttpComet {
    async fn read(&self, read: RpcRead) -> Result<Vec<u8>, TransportError> {
        let url = format!("{}/{}", self.base, read.path_and_query());
        let exchange = async {
            let connect = |e: reqwest::Error| TransportError::Connect { message: e.to_string() };
            let mut response = self.client.get(url).send().await.map_err(connect)?;
            let status = response.status();
            let mut bytes = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(connect)? {
                if bytes.len() + chunk.len() > read.route.max_bytes() {
                    return Err(TransportError::TooLarge { limit: read.route.max_bytes() });
                }
                bytes.extend_from_slice(&chunk);
            }
            if !status.is_success() {
                return Err(TransportError::Refused { code: status.as_u16(), message: String::from_utf8_lossy(&bytes).into_owned() });
            }
            Ok(bytes)
        };
        let ms = self.timeout.as_millis() as u64;
        tokio::time::timeout(self.timeout, exchange).await.unwrap_or(Err(TransportError::Timeout { ms }))
    }
}

/// The system's clocks; `pause` yields to the runtime.
pub struct SystemClock(Instant);

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock(Instant::now())
    }
}

impl FollowClock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64))
    }

    fn ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }

    async fn pause(&self) {
        tokio::task::yield_now().await;
    }
}
