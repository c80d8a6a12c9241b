//! The serving check over 0G's own interfaces, as the relay will drive it: services from the
//! InferenceServing contract's answers, each canary drawn fresh, posted with the SDK's session
//! headers to the provider's HTTP broker (reqwest, body bytes as received: gzip not undone), the
//! signature record fetched by chat ID. Each devnet fault gets its verdict and nobody else is
//! accused over 500 rounds; bad records, missing signatures and garbled bodies accuse nobody.

use alloy_primitives::Address;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use zg_align::serving::contract::{self, ServiceEntry};
use zg_align::serving::{run_provider_round, CanaryGenerator, ChatExchange, ServeUnavailable, ServingState, ServingVerdict};
use zg_align_devnet::evm_serving::{self, INFERENCE_SERVING};
use zg_align_devnet::serving::{devnet_account, ServingNetwork};
use zg_align_devnet::serving_http;

const SWAP_AFTER: u64 = 150;

struct Relay {
    http: reqwest::Client,
    key: k256::ecdsa::SigningKey,
    deadline: Duration,
}

impl Relay {
    fn new(deadline: Duration) -> Self {
        Relay { http: reqwest::Client::new(), key: devnet_account(), deadline }
    }

    /// The SDK's session headers for `provider`, signed by the relay's account (the relay's own code).
    fn headers(&self, provider: Address) -> Vec<(&'static str, String)> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        let nonce: [u8; 16] = zg_align::hash::keccak256(&now.to_be_bytes()).0[..16].try_into().unwrap();
        zg_align_relay::chat::signed_session_headers(&self.key, provider, now, nonce)
    }

    /// The chat request, body verbatim; the response exactly as received.
    async fn chat(&self, service: ServiceEntry, body: Vec<u8>) -> Result<ChatExchange, ServeUnavailable> {
        let mut request = self.http.post(format!("{}/v1/proxy/chat/completions", service.url)).header("content-type", "application/json").header("accept-encoding", "gzip").body(body);
        for (name, value) in self.headers(service.provider) {
            request = request.header(name, value);
        }
        let response = match tokio::time::timeout(self.deadline, request.send()).await {
            Err(_) => return Err(ServeUnavailable::Timeout { message: format!("no answer within {:?}", self.deadline) }),
            Ok(Err(e)) => return Err(ServeUnavailable::Refused { message: e.to_string() }),
            Ok(Ok(r)) => r,
        };
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (status, content_encoding, res_key) = (response.status().as_u16(), header("content-encoding"), header("zg-res-key"));
        let body = response.bytes().await.map_err(|e| ServeUnavailable::Timeout { message: e.to_string() })?.to_vec();
        Ok(ChatExchange { status, content_encoding, res_key, body })
    }

    async fn signature(&self, service: ServiceEntry, path: String) -> Result<(u16, Vec<u8>), ServeUnavailable> {
        let response = self.http.get(format!("{}{path}", service.url)).send().await.map_err(|e| ServeUnavailable::Refused { message: e.to_string() })?;
        let status = response.status().as_u16();
        Ok((status, response.bytes().await.map_err(|e| ServeUnavailable::Timeout { message: e.to_string() })?.to_vec()))
    }
}

/// The providers serving on this test's runtime, and their services as the contract lists them.
async fn network(delay: Duration) -> (Arc<ServingNetwork>, Vec<ServiceEntry>) {
    let net = Arc::new(ServingNetwork::generate(delay, SWAP_AFTER).with_wrong_answer());
    serving_http::serve_providers(net.clone()).await.unwrap();
    let answer = evm_serving::answer_call(&net, INFERENCE_SERVING, &contract::get_all_services_call(0, 50)).unwrap().unwrap();
    let (services, total) = contract::decode_get_all_services(&answer, 50).unwrap();
    let services: Vec<ServiceEntry> = services.into_iter().collect::<Result<_, _>>().expect("every devnet service is usable");
    assert_eq!(total as usize, net.providers.len());
    // The manifest-friendly list names the same URLs the contract lists.
    let endpoints = net.endpoints();
    assert!(endpoints.iter().zip(&services).all(|(e, s)| e.url == s.url && e.address == s.provider.to_checksum(None) && e.url.starts_with("http://127.0.0.1:")));
    (net, services)
}

fn id_of(net: &ServingNetwork, address: &str) -> String {
    net.providers.iter().find(|p| p.address.to_checksum(None) == address).map(|p| p.id.clone()).unwrap_or_else(|| address.to_owned())
}

fn reason_kind(v: &ServingVerdict) -> String {
    let json = serde_json::to_value(v).unwrap();
    format!("{}/{}", json["reason"]["kind"].as_str().unwrap_or(""), json["reason"]["fault"]["kind"].as_str().unwrap_or(""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_gets_its_verdict_over_http_and_nobody_else_over_500_rounds() {
    let (net, services) = network(Duration::from_secs(60)).await;
    // The timeout provider has its own test: here every round would wait for the deadline.
    let services: Vec<ServiceEntry> = services.into_iter().filter(|s| id_of(&net, &s.provider.to_checksum(None)) != "serving-5").collect();
    let relay = Relay::new(Duration::from_secs(10));
    let mut state = ServingState::default();
    let mut alarm = None;
    for round in 0..500u64 {
        let mut generator = CanaryGenerator::from_seed(zg_align::hash::keccak256(&round.to_be_bytes()).0);
        let got = run_provider_round(&services, &mut state, &mut generator, |s, b| relay.chat(s, b), |s, p| relay.signature(s, p)).await;
        assert_eq!(got.len(), 6);
        let by_id: BTreeMap<String, &ServingVerdict> = got.iter().map(|(a, v)| (id_of(&net, a), v)).collect();
        for (id, verdict) in &by_id {
            let name = verdict.name();
            match id.as_str() {
                "serving-0" | "serving-1" => assert_eq!(name, "healthy", "round {round}: {id} {verdict:?}"),
                // Through a relay, another key's signature or a hash that differs accuses nobody.
                "serving-2" => assert_eq!(reason_kind(verdict), "unattributed/unregisteredSigner", "round {round}: {verdict:?}"),
                "serving-3" => assert_eq!(reason_kind(verdict), "unattributed/responseMismatch", "round {round}: {verdict:?}"),
                "serving-4" if round < SWAP_AFTER => assert_eq!(name, "healthy", "round {round}: swap before it starts"),
                "serving-4" if name == "drifting" => {
                    alarm.get_or_insert(round);
                }
                "serving-4" => assert!(alarm.is_none() && name == "healthy", "round {round}: {verdict:?}"),
                "serving-6" => {
                    assert_eq!(name, "misbehaving", "round {round}: {verdict:?}");
                    let json = serde_json::to_value(verdict).unwrap();
                    assert_eq!(json["evidence"]["fault"]["kind"], "canaryMismatch");
                    assert_eq!(json["evidence"]["contentEncoding"], "gzip");
                }
                other => panic!("{other}"),
            }
        }
    }
    let alarm = alarm.expect("the model swap is flagged");
    assert!((SWAP_AFTER..SWAP_AFTER + 150).contains(&alarm), "alarm at round {alarm}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_honest_gzipping_provider_is_healthy_and_its_evidence_checks_again() {
    let (net, services) = network(Duration::from_secs(60)).await;
    let relay = Relay::new(Duration::from_secs(10));
    let s0 = services[0].clone();
    let mut generator = CanaryGenerator::from_seed([3; 32]);
    let request = generator.canary(&s0.model);
    let exchange = relay.chat(s0.clone(), request.body.clone()).await.unwrap();
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.content_encoding.as_deref(), Some("gzip"));
    assert_eq!(&exchange.body[..2], &[0x1f, 0x8b], "the body is gzip on the wire");
    let mut state = ServingState::default();
    let got = run_provider_round(&services[..1], &mut state, &mut generator, |s, b| relay.chat(s, b), |s, p| relay.signature(s, p)).await;
    assert_eq!(got[0].1.name(), "healthy", "{:?}", got[0].1);
    // The wrong answer's evidence: anyone can hash the request and raw response, recover the
    // signer, undo the gzip and re-run the canary.
    let s6 = services.iter().find(|s| id_of(&net, &s.provider.to_checksum(None)) == "serving-6").unwrap().clone();
    let got = run_provider_round(std::slice::from_ref(&s6), &mut state, &mut generator, |s, b| relay.chat(s, b), |s, p| relay.signature(s, p)).await;
    let ServingVerdict::Misbehaving { evidence } = &got[0].1 else { panic!("{:?}", got[0].1) };
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD.decode(&evidence.response).unwrap();
    zg_align::serving::verify_response(evidence.request.as_bytes(), &raw, &evidence.record, s6.tee_signer_address).unwrap();
    let decoded = zg_align::serving::exchange::decoded_body(&ChatExchange { status: 200, content_encoding: evidence.content_encoding.clone(), res_key: None, body: raw }).unwrap();
    let (_, content) = zg_align::serving::exchange::completion(&decoded).unwrap();
    let zg_align::serving::ServingFault::CanaryMismatch { prompt, expected, received } = &evidence.fault else { panic!() };
    assert_eq!(&content, received);
    let body: serde_json::Value = serde_json::from_slice(evidence.request.as_bytes()).unwrap();
    let max_tokens = body["max_tokens"].as_u64().unwrap() as u32;
    assert_eq!(&zg_align::serving::TinyModel::from_seed(&s6.model).generate(prompt, max_tokens), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_and_bad_signatures_and_sessions_accuse_nobody() {
    let (net, services) = network(Duration::from_millis(300)).await;
    let relay = Relay::new(Duration::from_secs(10));
    let s0 = &services[0..1];
    let mut state = ServingState::default();
    let mut generator = CanaryGenerator::from_seed([5; 32]);
    let kind = |v: &ServingVerdict| reason_kind(v);
    // No record for the chat (the provider answers 404).
    let got = run_provider_round(s0, &mut state, &mut generator, |s, b| relay.chat(s, b), |_, _| async { Ok((404u16, b"{\"code\":404}".to_vec())) }).await;
    assert_eq!(kind(&got[0].1), "noSignature/");
    // Records that are not records, or another chat's.
    for body in [b"not json".to_vec(), b"{\"text\":1}".to_vec(), vec![b' '; 10_000]] {
        let got = run_provider_round(s0, &mut state, &mut generator, |s, b| relay.chat(s, b), |_, _| {
            let body = body.clone();
            async move { Ok((200u16, body)) }
        })
        .await;
        assert_eq!(kind(&got[0].1), "noSignature/", "{:?}", got[0].1);
    }
    let other = serde_json::json!({"text": "00:11", "signature": format!("0x{}", "11".repeat(65)), "signing_address": "0x0000000000000000000000000000000000000001"}).to_string();
    let got = run_provider_round(s0, &mut state, &mut generator, |s, b| relay.chat(s, b), |_, _| {
        let other = other.clone().into_bytes();
        async move { Ok((200u16, other)) }
    })
    .await;
    assert!(kind(&got[0].1).starts_with("unattributed/"), "{:?}", got[0].1);
    // A body the relay garbled on the way: the signature no longer covers it.
    let r = &relay;
    let garbling = |s, b| async move {
        r.chat(s, b).await.map(|mut e| {
            e.body[12] ^= 1;
            e
        })
    };
    let got = run_provider_round(s0, &mut state, &mut generator, garbling, |s, p| relay.signature(s, p)).await;
    assert_eq!(kind(&got[0].1), "unattributed/responseMismatch", "{:?}", got[0].1);
    // A request the relay changed: the provider signed other bytes than the node's.
    let got = run_provider_round(s0, &mut state, &mut generator, |s, mut b| { b.push(b' '); relay.chat(s, b) }, |s, p| relay.signature(s, p)).await;
    assert_eq!(kind(&got[0].1), "unattributed/requestMismatch", "{:?}", got[0].1);
    // Without a session, or an unfunded one: the provider refuses with an HTTP error.
    let url = &services[0].url;
    let no_session = reqwest::Client::new().post(format!("{url}/v1/proxy/chat/completions")).body("{}").send().await.unwrap();
    assert_eq!(no_session.status().as_u16(), 401);
    let mut stranger = Relay::new(Duration::from_secs(10));
    stranger.key = k256::ecdsa::SigningKey::from_slice(&zg_align::hash::keccak256(b"unfunded").0).unwrap();
    let got = run_provider_round(s0, &mut state, &mut generator, |s, b| stranger.chat(s, b), |s, p| stranger.signature(s, p)).await;
    assert_eq!(got[0].1, ServingVerdict::Unreachable { reason: ServeUnavailable::Http { status: 402 } });
    // The timeout provider: the relay's deadline passes.
    let s5 = services.iter().find(|s| id_of(&net, &s.provider.to_checksum(None)) == "serving-5").unwrap().clone();
    let quick = Relay::new(Duration::from_millis(100));
    let got = run_provider_round(&[s5], &mut state, &mut generator, |s, b| quick.chat(s, b), |s, p| quick.signature(s, p)).await;
    assert_eq!(kind(&got[0].1), "timeout/", "{:?}", got[0].1);
}
