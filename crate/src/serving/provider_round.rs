//! One serving pass over 0G's real interfaces: providers from the InferenceServing contract
//! ([`super::contract::ServiceEntry`]), each asked a generated canary (or drift requests) through
//! the relay, the raw answer and its signature record judged. Two seams: `chat(service, body)`
//! posts the body verbatim to `{url}/v1/proxy/chat/completions` with the relay's session headers
//! and returns the response as received; `signature(service, path)` gets `{url}{path}`.
//!
//! What is evidence: an answer whose signature recovers to the expected key over
//! `sha256(request sent):sha256(response received)` is the provider's own word, which no relay
//! can forge; a canary answer in it that differs from the node's re-run is `misbehaving`.
//! Everything else (no answer, an HTTP error, no record, another key, hashes that differ, an
//! unreadable body) could be the relay's doing and leaves the provider `unreachable` with the
//! reason. Drift stays `drifting`.

use super::canary_gen::{CanaryGenerator, GeneratedRequest};
use super::check::{ServeUnavailable, ServingEvidence, ServingFault, ServingVerdict};
use super::contract::ServiceEntry;
use super::exchange::{chat_id, completion, decoded_body, parse_record, signature_path, ChatExchange};
use super::model::TinyModel;
use super::round::{ServingState, DRIFT_SAMPLES_PER_ROUND, RERUNNABLE_MODELS};
use super::signature::{signed_text, verify_response};
use super::signer_rule::expected_signer;
use alloy_primitives::Address;
use base64::Engine;
use futures::StreamExt;
use std::future::Future;

/// Providers asked at once (each keeps one request in flight).
pub const PROVIDERS_AT_ONCE: usize = 8;

/// The service type whose requests are chat completions.
pub const CHATBOT: &str = "chatbot";

/// The verdict id of a provider: its checksummed address.
pub fn provider_id(service: &ServiceEntry) -> String {
    service.provider.to_checksum(None)
}

/// The model the node re-runs for `service`, by name (the node knows each such model's weights).
pub fn rerunnable_model(service: &ServiceEntry) -> Option<TinyModel> {
    RERUNNABLE_MODELS.contains(&service.model.as_str()).then(|| TinyModel::from_seed(&service.model))
}

/// A provider's round, decided before anything is sent: the expected signer, whether its
/// answers feed the drift test, and its requests; or why it is not asked.
type Plan = Result<(Address, bool, Vec<Planned>), ServingVerdict>;

/// One request and the answer the node expects, if it re-runs it.
struct Planned {
    request: GeneratedRequest,
    expected: Option<String>,
}

/// Judges one answer to `planned`; returns the answer's text.
async fn ask<C, CFut, S, SFut>(service: &ServiceEntry, signer: Address, planned: &Planned, chat: &C, signature: &S) -> Result<String, ServingVerdict>
where
    C: Fn(ServiceEntry, Vec<u8>) -> CFut,
    CFut: Future<Output = Result<ChatExchange, ServeUnavailable>>,
    S: Fn(ServiceEntry, String) -> SFut,
    SFut: Future<Output = Result<(u16, Vec<u8>), ServeUnavailable>>,
{
    let unreachable = |reason| ServingVerdict::Unreachable { reason };
    let request = &planned.request.body;
    let exchange = chat(service.clone(), request.clone()).await.map_err(unreachable)?;
    if exchange.status != 200 {
        return Err(unreachable(ServeUnavailable::Http { status: exchange.status }));
    }
    let decoded = decoded_body(&exchange);
    let read = decoded.as_ref().ok().map(|d| completion(d));
    let body_id = read.as_ref().and_then(|r| r.as_ref().ok()).and_then(|(id, _)| id.as_deref());
    let id = chat_id(&exchange, body_id).map_err(|error| unreachable(ServeUnavailable::Unreadable { error }))?;
    let (status, record_bytes) = signature(service.clone(), signature_path(&id, &service.model)).await.map_err(unreachable)?;
    let record = parse_record(status, &record_bytes).map_err(|error| unreachable(ServeUnavailable::NoSignature { error }))?;
    verify_response(request, &exchange.body, &record, signer).map_err(|fault| unreachable(ServeUnavailable::Unattributed { fault }))?;
    // From here the provider signed exactly these bytes.
    let content = match (decoded, read) {
        (Err(error), _) | (Ok(_), Some(Err(error))) => return Err(unreachable(ServeUnavailable::Unreadable { error })),
        (Ok(_), Some(Ok((_, content)))) => content,
        (Ok(_), None) => unreachable!("read is Some whenever decoded is Ok"),
    };
    if let Some(expected) = &planned.expected {
        if &content != expected {
            return Err(ServingVerdict::Misbehaving {
                evidence: Box::new(ServingEvidence {
                    request: String::from_utf8_lossy(request).into_owned(),
                    response: base64::engine::general_purpose::STANDARD.encode(&exchange.body),
                    content_encoding: exchange.content_encoding.clone(),
                    text: signed_text(request, &exchange.body),
                    record,
                    fault: ServingFault::CanaryMismatch { prompt: planned.request.prompt.clone(), expected: expected.clone(), received: content },
                }),
            });
        }
    }
    Ok(content)
}

/// Asks every service and returns a verdict per provider (by checksummed address), in the
/// services' order. `generator` is seeded by the worker for this round.
pub async fn run_provider_round<C, CFut, S, SFut>(
    services: &[ServiceEntry],
    state: &mut ServingState,
    generator: &mut CanaryGenerator,
    chat: C,
    signature: S,
) -> Vec<(String, ServingVerdict)>
where
    C: Fn(ServiceEntry, Vec<u8>) -> CFut,
    CFut: Future<Output = Result<ChatExchange, ServeUnavailable>>,
    S: Fn(ServiceEntry, String) -> SFut,
    SFut: Future<Output = Result<(u16, Vec<u8>), ServeUnavailable>>,
{
    let got = std::cell::RefCell::new(Vec::with_capacity(services.len()));
    let record = |index, id, verdict| {
        got.borrow_mut().push((index, id, verdict));
        async { true }
    };
    run_provider_round_each(services, state, generator, chat, signature, record).await;
    let mut got = got.into_inner();
    got.sort_by_key(|(index, _, _)| *index);
    got.into_iter().map(|(_, id, verdict)| (id, verdict)).collect()
}

/// Asks every service, a few at a time, and hands each provider's verdict to
/// `on_verdict(index in services, checksummed address, verdict)` as soon as it is decided; stops
/// when `on_verdict` answers `false` (and returns `false`). `generator` is seeded by the worker
/// for this round.
pub async fn run_provider_round_each<C, CFut, S, SFut, V, VFut>(
    services: &[ServiceEntry],
    state: &mut ServingState,
    generator: &mut CanaryGenerator,
    chat: C,
    signature: S,
    mut on_verdict: V,
) -> bool
where
    C: Fn(ServiceEntry, Vec<u8>) -> CFut,
    CFut: Future<Output = Result<ChatExchange, ServeUnavailable>>,
    S: Fn(ServiceEntry, String) -> SFut,
    SFut: Future<Output = Result<(u16, Vec<u8>), ServeUnavailable>>,
    V: FnMut(usize, String, ServingVerdict) -> VFut,
    VFut: Future<Output = bool>,
{
    // Requests are drawn before anything is sent, in the services' order: the seed alone decides them.
    let plans: Vec<Plan> = services
        .iter()
        .map(|s| {
            if s.service_type != CHATBOT {
                return Err(ServingVerdict::Unchecked { reason: format!("service type {:?} is not a chatbot", s.service_type) });
            }
            let signer = expected_signer(s).map_err(|e| ServingVerdict::Unchecked { reason: e.to_string() })?;
            Ok(match rerunnable_model(s) {
                Some(model) => {
                    let request = generator.canary(&s.model);
                    let expected = Some(model.generate(&request.prompt, request.max_tokens));
                    (signer, false, vec![Planned { request, expected }])
                }
                None => (signer, true, (0..DRIFT_SAMPLES_PER_ROUND).map(|_| Planned { request: generator.drift(&s.model), expected: None }).collect()),
            })
        })
        .collect();
    let (chat, signature) = (&chat, &signature);
    // A few providers at once: a slow one holds one place, not the others.
    let asks = futures::stream::iter(services.iter().zip(&plans).enumerate())
        .map(|(index, (service, plan))| async move {
            let result = async {
                let (signer, drift, planned) = plan.as_ref().map_err(Clone::clone)?;
                let mut answers = Vec::new();
                for p in planned {
                    answers.push(ask(service, *signer, p, chat, signature).await?);
                }
                Ok::<_, ServingVerdict>((*drift, answers))
            };
            (index, service, result.await)
        })
        .buffer_unordered(PROVIDERS_AT_ONCE);
    futures::pin_mut!(asks);
    while let Some((index, service, result)) = asks.next().await {
        let verdict = match result {
            Err(verdict) => verdict,
            Ok((false, answers)) => ServingVerdict::Healthy { answers: answers.len(), drift: None },
            Ok((true, answers)) => state.drift_verdict((provider_id(service), crate::hash::keccak256(service.model.as_bytes())), &answers),
        };
        if !on_verdict(index, provider_id(service), verdict).await {
            return false;
        }
    }
    true
}
