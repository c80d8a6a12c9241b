//! The serving check through the relay, over a real webrtc-direct connection: the node's pass
//! (`run_serving_pass`) lists providers from the InferenceServing contract by `eth_call`, sends
//! chat and signature requests through the relay, which posts them to each provider's registered
//! URL with its own funded session and forwards the answers as received. Each devnet fault gets
//! its verdict; a hostile relay that changes the honest answers makes nobody misbehaving but the
//! provider that signed a wrong answer.

use alloy_primitives::Address;
use base64::Engine;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zg_align::p2p::CheckClient;
use zg_align::protocol::{run_serving_pass, CheckRequest, CheckResponse, CheckSender, RemoteFailure, ServingSource};
use zg_align::serving::exchange::signature_path;
use zg_align::serving::{CanaryGenerator, ServingState, ServingVerdict};
use zg_align::storage::TransportError;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::serving::ServingNetwork;
use zg_align_devnet::{files, relay_profile, Devnet};
use zg_align_relay::{client, Identity, Relay};

/// The timeout provider waits this long; the test's relay gives up on a provider sooner.
const DELAY: Duration = Duration::from_millis(1500);
const RELAY_TIMEOUT_MS: u64 = 600;

struct Setup {
    _devnet: Devnet,
    _relay: Relay,
    client: CheckClient,
    source: ServingSource,
    /// Checksummed address -> devnet id.
    ids: BTreeMap<String, String>,
    /// Devnet id -> the key its answers are signed with.
    signers: BTreeMap<String, Address>,
}

/// A devnet with the provably misbehaving provider (no swap within the test), and a relay in
/// front of it whose upstream time-out is shorter than the timeout provider's delay.
async fn setup() -> Setup {
    let serving = ServingNetwork::generate(DELAY, 1_000_000).with_wrong_answer();
    let ids = serving.providers.iter().map(|p| (p.address.to_checksum(None), p.id.clone())).collect();
    let signers = serving.endpoints().into_iter().map(|e| (e.id, e.tee_signer.parse().unwrap())).collect();
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(3000), "www".into(), "pkg".into()).with_serving(serving);
    let devnet = Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet");
    let mut profile = relay_profile(&devnet.network, &devnet.url).unwrap();
    profile.limits.upstream_timeout_ms = RELAY_TIMEOUT_MS;
    let relay = Relay::start(profile, Identity::ephemeral(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = client::connect(relay.address.clone(), Duration::from_secs(5)).await.expect("dial");
    let CheckResponse::Hello(info) = client.send(CheckRequest::Hello).await.unwrap() else { panic!("hello") };
    assert!(info.upstreams.chat, "the devnet's relay has a funded serving account");
    let source = info.serving.expect("the relay names the serving contract");
    Setup { _devnet: devnet, _relay: relay, client, source, ids, signers }
}

fn reason_kind(v: &ServingVerdict) -> String {
    let json = serde_json::to_value(v).unwrap();
    format!("{}/{}", json["reason"]["kind"].as_str().unwrap_or(""), json["reason"]["fault"]["kind"].as_str().unwrap_or(""))
}

fn address_of(s: &Setup, id: &str) -> Address {
    s.ids.iter().find(|(_, i)| *i == id).map(|(a, _)| a.parse().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_provider_gets_its_verdict_through_the_relay() {
    let s = setup().await;
    let mut state = ServingState::default();
    for round in 0..4u8 {
        let started = Instant::now();
        let got = run_serving_pass(&s.client, &s.source, &mut state, [round; 32]).await.expect("the contract lists the providers");
        assert_eq!(got.len(), 7);
        for (address, verdict) in &got {
            let id = s.ids[address].as_str();
            let kind = reason_kind(verdict);
            match id {
                "serving-0" | "serving-1" | "serving-4" => assert_eq!(verdict.name(), "healthy", "round {round}: {id} {verdict:?}"),
                "serving-2" => assert_eq!(kind, "unattributed/unregisteredSigner", "round {round}: {verdict:?}"),
                "serving-3" => assert_eq!(kind, "unattributed/responseMismatch", "round {round}: {verdict:?}"),
                "serving-5" => assert_eq!(kind, "timeout/", "round {round}: {verdict:?}"),
                "serving-6" => {
                    let ServingVerdict::Misbehaving { evidence } = verdict else { panic!("round {round}: {verdict:?}") };
                    assert!(matches!(evidence.fault, zg_align::serving::ServingFault::CanaryMismatch { .. }), "{evidence:?}");
                    assert_eq!(evidence.content_encoding.as_deref(), Some("gzip"), "the evidence keeps the bytes as signed");
                }
                other => panic!("{other}"),
            }
        }
        eprintln!("round {round}: {:?}", started.elapsed());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honest_gzip_goes_through_verbatim_and_the_relay_refuses_what_the_chain_does_not_list() {
    let s = setup().await;
    let s0 = address_of(&s, "serving-0");
    let request = CanaryGenerator::from_seed([3; 32]).canary("zg-tiny-lm-1");
    let body = String::from_utf8(request.body.clone()).unwrap();
    let CheckResponse::Http { status, content_encoding, res_key, body: raw } = s.client.send(CheckRequest::Chat { provider: s0, body }).await.unwrap() else {
        panic!("http")
    };
    assert_eq!((status, content_encoding.as_deref()), (200, Some("gzip")));
    let raw = base64::engine::general_purpose::STANDARD.decode(raw).unwrap();
    assert_eq!(&raw[..2], &[0x1f, 0x8b], "the body is gzip as on the wire");
    let chat_id = res_key.expect("serving-0 sends ZG-Res-Key");
    let CheckResponse::Http { status, body: record, .. } =
        s.client.send(CheckRequest::ChatSignature { provider: s0, path: signature_path(&chat_id, "zg-tiny-lm-1") }).await.unwrap()
    else {
        panic!("http")
    };
    assert_eq!(status, 200);
    let record = zg_align::serving::exchange::parse_record(200, &base64::engine::general_purpose::STANDARD.decode(record).unwrap()).unwrap();
    zg_align::serving::verify_response(&request.body, &raw, &record, s.signers["serving-0"]).unwrap();
    let exchange = zg_align::serving::ChatExchange { status, content_encoding: Some("gzip".into()), res_key: None, body: raw };
    let (_, content) = zg_align::serving::exchange::completion(&zg_align::serving::exchange::decoded_body(&exchange).unwrap()).unwrap();
    assert_eq!(content, zg_align::serving::TinyModel::from_seed("zg-tiny-lm-1").generate(&request.prompt, request.max_tokens));
    let refused = |answer: CheckResponse| match answer {
        CheckResponse::Failure(RemoteFailure { code, .. }) => code,
        other => panic!("{other:?}"),
    };
    let stranger = Address::with_last_byte(0x42);
    assert_eq!(refused(s.client.send(CheckRequest::Chat { provider: stranger, body: "{}".into() }).await.unwrap()), 403);
    assert_eq!(refused(s.client.send(CheckRequest::ChatSignature { provider: stranger, path: signature_path("x", "m") }).await.unwrap()), 403);
    for path in ["/v1/proxy/chat/completions", "/v1/proxy/signature/x?model=a&b=c", "/../x?model=a"] {
        assert_eq!(refused(s.client.send(CheckRequest::ChatSignature { provider: s0, path: path.into() }).await.unwrap()), 400, "{path}");
    }
    // The provider's own refusal comes back as its answer: a body that is not a chat request.
    let CheckResponse::Http { status, .. } = s.client.send(CheckRequest::Chat { provider: s0, body: "{}".into() }).await.unwrap() else { panic!() };
    assert_eq!(status, 400);
}

/// A relay that changes answers: it forwards each request to the honest relay and, when its dice
/// say so, changes what comes back (or where a chat goes).
struct Hostile<'a> {
    honest: &'a CheckClient,
    rng: Mutex<rand_chacha::ChaCha8Rng>,
    providers: Vec<Address>,
    /// Earlier answers, replayed in place of others.
    seen: Mutex<Vec<CheckResponse>>,
    changes: AtomicUsize,
}

impl Hostile<'_> {
    fn roll(&self, n: u64) -> u64 {
        self.rng.lock().unwrap().next_u64() % n
    }

    fn change_http(&self, status: u16, content_encoding: Option<String>, res_key: Option<String>, body: String) -> CheckResponse {
        let b64 = base64::engine::general_purpose::STANDARD;
        let (mut status, mut content_encoding, mut res_key, mut body) = (status, content_encoding, res_key, body);
        match self.roll(10) {
            0 => body.truncate(self.roll(body.len() as u64 + 1) as usize),
            1 => {
                let mut raw = b64.decode(&body).unwrap_or_default();
                if !raw.is_empty() {
                    let i = self.roll(raw.len() as u64) as usize;
                    raw[i] ^= 1 << self.roll(8);
                }
                body = b64.encode(raw);
            }
            2 => content_encoding = None,
            3 => content_encoding = Some(["deflate", "br", "identity", "gzip, gzip", "x"][self.roll(5) as usize].into()),
            4 => status = [200, 201, 404, 500, 402][self.roll(5) as usize],
            5 => res_key = [None, Some("chatcmpl-serving-0-0".into()), Some("../../x".into()), Some(String::new())][self.roll(4) as usize].clone(),
            6 => {
                body = b64.encode(
                    [b"not json".as_slice(), b"{}", br#"{"text":"a:b","signature":"0x00","signing_address":"0x0000000000000000000000000000000000000001"}"#]
                        [self.roll(3) as usize],
                )
            }
            7 => {
                let mut raw = vec![0u8; self.roll(600) as usize];
                self.rng.lock().unwrap().fill_bytes(&mut raw);
                body = b64.encode(raw);
            }
            8 => {
                // One char of the base64 text replaced: often no longer base64 at all.
                if !body.is_empty() {
                    let i = self.roll(body.len() as u64) as usize;
                    body.replace_range(i..i + 1, ["A", "=", "*", "/"][self.roll(4) as usize]);
                }
            }
            _ => return self.replay().unwrap_or(CheckResponse::Http { status, content_encoding, res_key, body }),
        }
        CheckResponse::Http { status, content_encoding, res_key, body }
    }

    /// An earlier answer of any provider, chat or record.
    fn replay(&self) -> Option<CheckResponse> {
        let seen = self.seen.lock().unwrap();
        (!seen.is_empty()).then(|| seen[self.roll(seen.len() as u64) as usize].clone())
    }

    fn change_rpc(&self, answer: &RawValue) -> CheckResponse {
        let mut text = answer.get().to_owned();
        match self.roll(4) {
            0 => {
                // One hex digit of the result changed.
                if let Some(start) = text.find("\"0x") {
                    let i = start + 3 + self.roll((text.len() - start - 3).max(1) as u64) as usize;
                    let c = text.as_bytes()[i];
                    if c.is_ascii_hexdigit() {
                        text.replace_range(i..i + 1, if c == b'0' { "1" } else { "0" });
                    }
                }
            }
            1 => text = r#"{"jsonrpc":"2.0","id":1,"result":"0x"}"#.into(),
            2 => text = r#"{"jsonrpc":"2.0","id":2,"result":"0x00"}"#.into(),
            _ => text = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"no"}}"#.into(),
        }
        CheckResponse::Rpc { answer: RawValue::from_string(text).unwrap() }
    }
}

impl CheckSender for Hostile<'_> {
    async fn send(&self, mut request: CheckRequest) -> Result<CheckResponse, TransportError> {
        // The listing is changed less often: a listing that does not decode judges nobody at all.
        let change = self.roll(100) < if matches!(request, CheckRequest::Evm { .. }) { 15 } else { 45 };
        if let CheckRequest::Chat { provider, .. } = &mut request {
            // Sent to another provider instead.
            if change && self.roll(8) == 0 {
                *provider = self.providers[self.roll(self.providers.len() as u64) as usize];
                self.changes.fetch_add(1, Ordering::Relaxed);
                return self.honest.send(request).await;
            }
        }
        let answer = self.honest.send(request).await?;
        if let CheckResponse::Http { .. } = &answer {
            let mut seen = self.seen.lock().unwrap();
            if seen.len() < 64 {
                seen.push(answer.clone());
            }
        }
        if !change {
            return Ok(answer);
        }
        self.changes.fetch_add(1, Ordering::Relaxed);
        Ok(match answer {
            CheckResponse::Http { status, content_encoding, res_key, body } => self.change_http(status, content_encoding, res_key, body),
            CheckResponse::Rpc { answer } => self.change_rpc(&answer),
            CheckResponse::Failure(f) => CheckResponse::Failure(RemoteFailure { code: [200, 400, 504][self.roll(3) as usize], message: f.message }),
            other => other,
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_relay_makes_nobody_misbehaving_but_the_wrong_answer() {
    let s = setup().await;
    let providers = s.ids.keys().map(|a| a.parse().unwrap()).collect();
    let hostile = Hostile {
        honest: &s.client,
        rng: Mutex::new(rand_chacha::ChaCha8Rng::seed_from_u64(13)),
        providers,
        seen: Mutex::new(Vec::new()),
        changes: AtomicUsize::new(0),
    };
    let started = Instant::now();
    let mut state = ServingState::default();
    let (mut listed, mut unlisted) = (0, 0);
    let mut names: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut round = 0u8;
    while hostile.changes.load(Ordering::Relaxed) < 250 {
        assert!(started.elapsed() < Duration::from_secs(90), "{} changes in {:?}", hostile.changes.load(Ordering::Relaxed), started.elapsed());
        round = round.wrapping_add(1);
        match run_serving_pass(&hostile, &s.source, &mut state, [round; 32]).await {
            Err(_) => unlisted += 1,
            Ok(verdicts) => {
                listed += 1;
                for (address, verdict) in verdicts {
                    let id = s.ids.get(&address).cloned().unwrap_or(address);
                    if let ServingVerdict::Misbehaving { evidence } = &verdict {
                        assert_eq!(id, "serving-6", "a hostile relay made {id} misbehaving: {evidence:?}");
                    }
                    *names.entry((id, verdict.name())).or_default() += 1;
                }
            }
        }
    }
    eprintln!(
        "{} changes over {round} rounds ({listed} listed, {unlisted} not) in {:?}: {names:?}",
        hostile.changes.load(Ordering::Relaxed),
        started.elapsed()
    );
    assert!(listed > 0 && unlisted > 0, "both listings that decode and listings that do not");
    assert!(names.contains_key(&("serving-6".to_string(), "misbehaving")), "the wrong answer is still caught when the relay leaves it alone");
}
