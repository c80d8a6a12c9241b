//! One serving pass through the relay: providers from the InferenceServing contract
//! (`getAllServices` pages by `eth_call`), each asked fresh canaries (or drift requests) with
//! [`CheckRequest::Chat`], its signature record fetched with [`CheckRequest::ChatSignature`], the
//! raw answers judged by [`run_provider_round`]. What the relay cannot do: make an honest provider
//! misbehaving, since only the expected key signing exactly the bytes the node sent and received
//! is evidence; a relay's failure, a garbled answer or a missing record is `unreachable`.

use super::relayed::{CheckSender, Relayed, Upstream};
use super::wire::{CheckRequest, CheckResponse, EvmChain, ServingSource};
use crate::serving::contract::{decode_get_all_services, get_all_services_call, ContractError, ServiceEntry, SetAside, MAX_PAGE};
use crate::serving::exchange::ExchangeError;
use crate::serving::{provider_id, run_provider_round, run_provider_round_each, CanaryGenerator, ChatExchange, ServeUnavailable, ServingState, ServingVerdict};
use crate::storage::rpc::{parse_response, RpcError};
use crate::storage::{JsonRpcTransport, TransportError};
use alloy_primitives::Bytes;
use base64::Engine;

/// Most services one pass reads from the contract (the first ones it lists); the rest wait for a
/// node that asks for more.
pub const MAX_PASS_SERVICES: u64 = 200;

/// Largest `getAllServices` answer read: a full page of services at the contract decoder's caps,
/// hex in a JSON-RPC envelope (the relay forwards up to 1000 KiB).
const MAX_PAGE_ANSWER_BYTES: usize = 800 * 1024;

/// Why the pass could not list the providers: nobody is judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServingPassError {
    #[error("getAllServices({offset}, {MAX_PAGE}) through the relay: {error}")]
    Transport { offset: u64, error: TransportError },
    #[error("getAllServices({offset}, {MAX_PAGE}): the EVM RPC's answer: {error}")]
    Rpc { offset: u64, error: RpcError },
    #[error("getAllServices({offset}, {MAX_PAGE}): the answer is not hex data")]
    NotHex { offset: u64 },
    #[error("getAllServices({offset}, {MAX_PAGE}): {error}")]
    Contract { offset: u64, error: ContractError },
    #[error("getAllServices({offset}, {MAX_PAGE}): an empty page, though the contract counts {total} services")]
    EmptyPage { offset: u64, total: u64 },
}

/// One page of the contract's service list and its total.
async fn page<S: CheckSender>(sender: &S, source: &ServingSource, offset: u64) -> Result<(Vec<Result<ServiceEntry, SetAside>>, u64), ServingPassError> {
    let evm = Relayed { sender, upstream: Upstream::Evm(EvmChain::Zg) };
    let body = crate::evm::call_body(1, source.contract, &get_all_services_call(offset, MAX_PAGE));
    let answer = evm.post(body, MAX_PAGE_ANSWER_BYTES).await.map_err(|error| ServingPassError::Transport { offset, error })?;
    let hex: Option<String> = parse_response(&answer, 1, MAX_PAGE_ANSWER_BYTES).map_err(|error| ServingPassError::Rpc { offset, error })?;
    let data: Bytes = hex.and_then(|h| h.parse().ok()).ok_or(ServingPassError::NotHex { offset })?;
    decode_get_all_services(&data, MAX_PAGE).map_err(|error| ServingPassError::Contract { offset, error })
}

/// The contract's services in its order, at most [`MAX_PASS_SERVICES`], each provider once: the
/// usable ones, and the verdicts of those set aside (`unchecked`, with the reason).
async fn list_services<S: CheckSender>(sender: &S, source: &ServingSource) -> Result<(Vec<ServiceEntry>, Vec<(String, ServingVerdict)>), ServingPassError> {
    let mut services: Vec<ServiceEntry> = Vec::new();
    let mut set_aside: Vec<(String, ServingVerdict)> = Vec::new();
    let mut offset = 0;
    // Each page moves the offset on by at least one or ends the listing: at most 200 pages.
    loop {
        let (entries, total) = page(sender, source, offset).await?;
        let wanted = total.min(MAX_PASS_SERVICES);
        if offset >= wanted {
            break;
        }
        if entries.is_empty() {
            return Err(ServingPassError::EmptyPage { offset, total });
        }
        offset += entries.len() as u64;
        let listed = offset >= wanted;
        for entry in entries {
            let provider = match &entry {
                Ok(s) => s.provider,
                Err(aside) => aside.provider,
            };
            let id = provider.to_checksum(None);
            if services.len() + set_aside.len() >= MAX_PASS_SERVICES as usize || services.iter().any(|s| s.provider == provider) || set_aside.iter().any(|(p, _)| *p == id) {
                continue;
            }
            match entry {
                Ok(s) => services.push(s),
                Err(aside) => set_aside.push((id, ServingVerdict::Unchecked { reason: format!("its service in the contract: {}", aside.error) })),
            }
        }
        // The page that reached the total ends the listing: asking for the next, empty one
        // would cost every pass a round trip to the relay before its first provider.
        if listed {
            break;
        }
    }
    Ok((services, set_aside))
}

/// A failed request as the provider's reason for no answer: the relay's time-out (504) or ours
/// is a time-out, anything else a refusal.
fn unavailable(failure: Result<CheckResponse, TransportError>) -> ServeUnavailable {
    match failure {
        Ok(CheckResponse::Failure(f)) if f.code == 504 => ServeUnavailable::Timeout { message: f.message },
        Ok(CheckResponse::Failure(f)) => ServeUnavailable::Refused { message: format!("the relay: {} ({})", f.message, f.code) },
        Ok(other) => ServeUnavailable::Refused { message: format!("the relay answered {} instead of http", other.kind()) },
        Err(e @ (TransportError::Timeout { .. } | TransportError::Connect { .. })) => ServeUnavailable::Timeout { message: e.to_string() },
        Err(e) => ServeUnavailable::Refused { message: e.to_string() },
    }
}

fn base64_body(body: &str) -> Result<Vec<u8>, ExchangeError> {
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| ExchangeError::Decode { encoding: "base64 (the relay's)".into(), message: e.to_string() })
}

async fn chat<S: CheckSender>(sender: &S, service: ServiceEntry, body: Vec<u8>) -> Result<ChatExchange, ServeUnavailable> {
    let body = String::from_utf8(body).map_err(|_| ServeUnavailable::Refused { message: "the request is not UTF-8".into() })?;
    match sender.send(CheckRequest::Chat { provider: service.provider, body }).await {
        Ok(CheckResponse::Http { status, content_encoding, res_key, body }) => {
            let body = base64_body(&body).map_err(|error| ServeUnavailable::Unreadable { error })?;
            Ok(ChatExchange { status, content_encoding, res_key, body })
        }
        other => Err(unavailable(other)),
    }
}

async fn signature<S: CheckSender>(sender: &S, service: ServiceEntry, path: String) -> Result<(u16, Vec<u8>), ServeUnavailable> {
    match sender.send(CheckRequest::ChatSignature { provider: service.provider, path }).await {
        Ok(CheckResponse::Http { status, body, .. }) => Ok((status, base64_body(&body).map_err(|error| ServeUnavailable::NoSignature { error })?)),
        other => Err(unavailable(other)),
    }
}

/// Lists the contract's providers and asks each through `sender`; one verdict per provider (its
/// checksummed address), in the contract's order. `seed` draws the round's requests. `Err` when
/// the list cannot be read.
pub async fn run_serving_pass<S: CheckSender>(
    sender: &S,
    source: &ServingSource,
    state: &mut ServingState,
    seed: [u8; 32],
) -> Result<Vec<(String, ServingVerdict)>, ServingPassError> {
    run_pass(sender, source, state, seed, |_| true).await
}

/// As [`run_serving_pass`], for the listed `providers` only (checksummed addresses): a second
/// path's look at the providers the first could not reach.
pub async fn run_serving_pass_for<S: CheckSender>(
    sender: &S,
    source: &ServingSource,
    state: &mut ServingState,
    seed: [u8; 32],
    providers: &[String],
) -> Result<Vec<(String, ServingVerdict)>, ServingPassError> {
    run_pass(sender, source, state, seed, |id| providers.iter().any(|p| p == id)).await
}

/// The providers `wanted` picks (by checksummed address), asked; those set aside last.
async fn run_pass<S: CheckSender>(
    sender: &S,
    source: &ServingSource,
    state: &mut ServingState,
    seed: [u8; 32],
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, ServingVerdict)>, ServingPassError> {
    let (mut services, mut set_aside) = list_services(sender, source).await?;
    services.retain(|s| wanted(&provider_id(s)));
    set_aside.retain(|(id, _)| wanted(id));
    let mut generator = CanaryGenerator::from_seed(seed);
    let mut verdicts = run_provider_round(&services, state, &mut generator, |s, b| chat(sender, s, b), |s, p| signature(sender, s, p)).await;
    verdicts.extend(set_aside);
    Ok(verdicts)
}

/// As [`run_serving_pass`], but each provider's verdict goes to `on_verdict(address, verdict)` as
/// soon as it is decided (a slow provider holds back no other's); stops when `on_verdict` answers
/// `false`, and answers `Ok(false)` then.
pub async fn run_serving_pass_each<S, V, VFut>(sender: &S, source: &ServingSource, state: &mut ServingState, seed: [u8; 32], mut on_verdict: V) -> Result<bool, ServingPassError>
where
    S: CheckSender,
    V: FnMut(String, ServingVerdict) -> VFut,
    VFut: std::future::Future<Output = bool>,
{
    let (services, set_aside) = list_services(sender, source).await?;
    for (id, verdict) in set_aside {
        if !on_verdict(id, verdict).await {
            return Ok(false);
        }
    }
    let mut generator = CanaryGenerator::from_seed(seed);
    let each = |_, id, verdict| on_verdict(id, verdict);
    Ok(run_provider_round_each(&services, state, &mut generator, |s, b| chat(sender, s, b), |s, p| signature(sender, s, p), each).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serving::contract::IInferenceServing;
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolCall;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A relay whose EVM RPC lists `services`, `page` at a time, with `total` as the count; chat
    /// requests fail as `chat` says.
    struct Listing {
        services: Vec<IInferenceServing::Service>,
        total: u64,
        page: usize,
        chat: Option<CheckResponse>,
        /// `getAllServices` calls answered.
        pages_read: std::cell::Cell<usize>,
    }

    impl CheckSender for Listing {
        async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError> {
            let call = match request {
                CheckRequest::Evm { call, .. } => call,
                CheckRequest::Chat { .. } | CheckRequest::ChatSignature { .. } => return self.chat.clone().ok_or(TransportError::Timeout { ms: 1 }),
                other => panic!("{other:?}"),
            };
            let v: serde_json::Value = serde_json::from_str(call.get()).unwrap();
            let data: Bytes = v["params"][0]["data"].as_str().unwrap().parse().unwrap();
            let c = IInferenceServing::getAllServicesCall::abi_decode(&data).unwrap();
            self.pages_read.set(self.pages_read.get() + 1);
            let offset = c.offset.to::<usize>().min(self.services.len());
            let services = self.services[offset..(offset + self.page).min(self.services.len())].to_vec();
            let out =
                IInferenceServing::getAllServicesCall::abi_encode_returns(&IInferenceServing::getAllServicesReturn { services, total: U256::from(self.total) });
            let answer = format!(r#"{{"jsonrpc":"2.0","id":1,"result":"{}"}}"#, Bytes::from(out));
            Ok(CheckResponse::Rpc { answer: serde_json::value::RawValue::from_string(answer).unwrap() })
        }
    }

    fn service(i: u8) -> IInferenceServing::Service {
        IInferenceServing::Service {
            provider: Address::with_last_byte(i),
            serviceType: "chatbot".into(),
            url: format!("http://p{i}:1"),
            inputPrice: U256::ZERO,
            outputPrice: U256::ZERO,
            updatedAt: U256::ZERO,
            model: "zg-tiny-lm-1".into(),
            verifiability: "TeeML".into(),
            additionalInfo: "{}".into(),
            teeSignerAddress: Address::with_last_byte(i.wrapping_add(100)),
            teeSignerAcknowledged: true,
        }
    }

    fn listing(n: u8, total: u64, page: usize) -> Listing {
        Listing { services: (0..n).map(service).collect(), total, page, chat: None, pages_read: Default::default() }
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        futures::executor::block_on(f)
    }

    #[test]
    fn pages_are_read_to_the_total_each_provider_once() {
        let source = ServingSource { contract: Address::with_last_byte(9) };
        let five = listing(5, 5, 2);
        let (got, set_aside) = run(list_services(&five, &source)).unwrap();
        assert_eq!(got.iter().map(|s| s.provider).collect::<Vec<_>>(), (0..5).map(Address::with_last_byte).collect::<Vec<_>>());
        assert!(set_aside.is_empty());
        assert_eq!(five.pages_read.get(), 3, "pages at 0, 2 and 4, none after the total");
        let one_page = listing(5, 5, 50);
        assert_eq!(run(list_services(&one_page, &source)).unwrap().0.len(), 5);
        assert_eq!(one_page.pages_read.get(), 1);
        let mut twice = listing(3, 4, 50);
        twice.services.push(service(1));
        assert_eq!(run(list_services(&twice, &source)).unwrap().0.len(), 3);
        assert!(run(list_services(&listing(0, 0, 50), &source)).unwrap().0.is_empty());
        assert!(matches!(run(list_services(&listing(2, 7, 50), &source)), Err(ServingPassError::EmptyPage { offset: 2, total: 7 })));
        // A total past the cap: the first 200 are asked.
        let many = listing(250, 250, 50);
        assert_eq!(run(list_services(&many, &source)).unwrap().0.len(), MAX_PASS_SERVICES as usize);
    }

    #[test]
    fn a_service_the_node_cannot_use_is_unchecked_and_the_others_are_asked() {
        let source = ServingSource { contract: Address::with_last_byte(9) };
        let mut relay = listing(4, 4, 2);
        relay.services[1].url = "ftp://p1".into();
        relay.services[2].additionalInfo = "x".repeat(crate::serving::contract::MAX_ADDITIONAL_INFO + 1);
        let (usable, set_aside) = run(list_services(&relay, &source)).unwrap();
        assert_eq!(usable.iter().map(|s| s.provider).collect::<Vec<_>>(), [0, 3].map(Address::with_last_byte));
        assert_eq!(set_aside.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(), [1, 2].map(|i| Address::with_last_byte(i).to_checksum(None)));
        let got = run(run_serving_pass(&relay, &source, &mut ServingState::default(), [1; 32])).unwrap();
        let names: Vec<(String, &str)> = got.iter().map(|(id, v)| (id.clone(), v.name())).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        for i in [1u8, 2] {
            let id = Address::with_last_byte(i).to_checksum(None);
            assert!(names.contains(&(id, "unchecked")), "{names:?}");
        }
        let json = serde_json::to_value(&got.iter().find(|(id, _)| *id == Address::with_last_byte(1).to_checksum(None)).unwrap().1).unwrap();
        assert!(json["reason"].as_str().unwrap().contains("is not http(s)"), "{json}");
        // The others were asked (no chat answers here: unreachable, not unchecked).
        assert!(names.contains(&(Address::with_last_byte(0).to_checksum(None), "unreachable")), "{names:?}");
    }

    #[test]
    fn failed_requests_are_no_answer_and_a_listing_failure_judges_nobody() {
        let source = ServingSource { contract: Address::with_last_byte(9) };
        let mut state = ServingState::default();
        let mut relay = listing(1, 1, 50);
        for (chat, kind) in [
            (None, "timeout"),
            (Some(CheckResponse::Failure(crate::protocol::RemoteFailure { code: 504, message: "slow".into() })), "timeout"),
            (Some(CheckResponse::Failure(crate::protocol::RemoteFailure { code: 403, message: "not listed".into() })), "refused"),
            (Some(CheckResponse::Echo { data: String::new() }), "refused"),
            (Some(CheckResponse::Http { status: 200, content_encoding: None, res_key: None, body: "!!".into() }), "unreadable"),
        ] {
            relay.chat = chat;
            let got = run(run_serving_pass(&relay, &source, &mut state, [1; 32])).unwrap();
            let json = serde_json::to_value(&got[0].1).unwrap();
            assert_eq!((json["verdict"].as_str(), json["reason"]["kind"].as_str()), (Some("unreachable"), Some(kind)), "{json}");
        }
        struct Down;
        impl CheckSender for Down {
            async fn send(&self, _: CheckRequest) -> Result<CheckResponse, TransportError> {
                Ok(CheckResponse::Failure(crate::protocol::RemoteFailure { code: 502, message: "EVM RPC down".into() }))
            }
        }
        assert!(matches!(run(run_serving_pass(&Down, &source, &mut state, [1; 32])), Err(ServingPassError::Transport { offset: 0, .. })));
    }
}
