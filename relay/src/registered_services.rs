//! The serving providers a tab may ask the relay to call: those the InferenceServing contract
//! lists, looked up with `getService(provider)` by `eth_call` on the profile's own EVM RPC and
//! decoded by the core. An answer is kept a minute (a bounded number of them), so a round's chat
//! and signature requests cost one call per provider; a tab cannot make the relay reach a host
//! the chain does not register.

use crate::upstream::{UpstreamError, Upstreams};
use alloy_primitives::Address;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use url::Url;
use zg_align::serving::contract::{decode_get_service, get_service_call};
use zg_align::serving::ServiceEntry;
use zg_align::storage::RpcError;

/// How long a lookup (listed or not) is kept.
const TTL: Duration = Duration::from_secs(60);
/// Most providers remembered; the oldest go first.
const MAX_REMEMBERED: usize = 1024;
/// Largest `getService` answer read: one service at its caps, hex, in a JSON-RPC envelope.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error("{provider} is not a provider the InferenceServing contract lists")]
    NotListed { provider: Address },
    #[error("getService on the EVM RPC: {0}")]
    Rpc(UpstreamError),
    #[error("getService on the EVM RPC: {message}")]
    Answer { message: String },
}

impl LookupError {
    /// The check protocol's failure code.
    pub fn code(&self) -> u16 {
        match self {
            LookupError::NotListed { .. } => 403,
            LookupError::Rpc(e) => e.code(),
            LookupError::Answer { .. } => 502,
        }
    }
}

#[derive(Default)]
pub struct RegisteredServices {
    remembered: Mutex<HashMap<Address, (Instant, Option<ServiceEntry>)>>,
}

impl RegisteredServices {
    /// The service `provider` registers at `contract`, as the EVM RPC `rpc` answers.
    pub async fn lookup(&self, upstreams: &Upstreams, rpc: &Url, contract: Address, provider: Address) -> Result<ServiceEntry, LookupError> {
        if let Some(known) = self.recall(provider) {
            return known.ok_or(LookupError::NotListed { provider });
        }
        let body = zg_align::evm::call_body(1, contract, &get_service_call(provider));
        let answer = upstreams.post_json(rpc, body, MAX_ANSWER_BYTES).await.map_err(LookupError::Rpc)?;
        let found = match zg_align::evm::parse_call(&answer, 1) {
            Ok(data) => Some(decode_get_service(&data).map_err(|e| LookupError::Answer { message: e.to_string() })?),
            // The contract reverts `ServiceNotExist` (geth and anvil: code 3, "execution reverted").
            Err(zg_align::evm::EvmError::Rpc(RpcError::Remote { code, message })) if code == 3 || message.contains("revert") => None,
            Err(e) => return Err(LookupError::Answer { message: e.to_string() }),
        };
        if found.as_ref().is_some_and(|s| s.provider != provider) {
            return Err(LookupError::Answer { message: format!("the service of {provider} names another provider") });
        }
        self.remember(provider, found.clone());
        found.ok_or(LookupError::NotListed { provider })
    }

    fn recall(&self, provider: Address) -> Option<Option<ServiceEntry>> {
        let remembered = self.remembered.lock().expect("registered services lock");
        remembered.get(&provider).filter(|(at, _)| at.elapsed() < TTL).map(|(_, s)| s.clone())
    }

    fn remember(&self, provider: Address, service: Option<ServiceEntry>) {
        let now = Instant::now();
        let mut remembered = self.remembered.lock().expect("registered services lock");
        remembered.retain(|_, (at, _)| now.duration_since(*at) < TTL);
        if remembered.len() >= MAX_REMEMBERED && !remembered.contains_key(&provider) {
            if let Some(oldest) = remembered.iter().min_by_key(|(_, (at, _))| *at).map(|(p, _)| *p) {
                remembered.remove(&oldest);
            }
        }
        remembered.insert(provider, (now, service));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_lookups_are_bounded() {
        let r = RegisteredServices::default();
        for i in 0..(MAX_REMEMBERED as u64 + 10) {
            let mut bytes = [0u8; 20];
            bytes[12..].copy_from_slice(&i.to_be_bytes());
            r.remember(Address::from(bytes), None);
        }
        assert_eq!(r.remembered.lock().unwrap().len(), MAX_REMEMBERED);
        let mut last = [0u8; 20];
        last[12..].copy_from_slice(&(MAX_REMEMBERED as u64 + 9).to_be_bytes());
        assert_eq!(r.recall(Address::from(last)), Some(None));
    }
}
