//! The devnet's serving providers: small real models with fixed weights, each response signed by
//! the provider's TEE key as 0G providers sign them, honest and faulty. Names are stable: tests
//! rely on them.
//!
//! The same providers answer the devnet's JSON `serve` ([`ServingNetwork::serve`]) and 0G's own
//! interfaces: HTTP brokers ([`crate::serving_http`]) and the InferenceServing contract's service
//! list ([`crate::evm_serving`], [`ServingNetwork::services`]).
//!
//! Rounds of the swapping provider are counted by the requests it receives: round =
//! requests / `DRIFT_SAMPLES_PER_ROUND` (the node asks a drift-watched provider that many per round).

use alloy_primitives::{eip191_hash_message, Address, U256};
use k256::ecdsa::SigningKey;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;
use zg_align::serving::contract::ServiceEntry;
use zg_align::hash::keccak256;
use zg_align::serving::canary::{ChatRequest, ChatResponse, CANARY_VERSION};
use zg_align::serving::simulate::{swap_share, LARGE_MODEL, SWAP_MODEL};
use zg_align::serving::{signed_text, ProviderEntry, ServingMap, SignatureRecord, TinyModel, DRIFT_SAMPLES_PER_ROUND};

/// The re-runnable model of the devnet.
pub const TINY_MODEL: &str = "zg-tiny-lm-1";
/// Rounds before the swapping provider starts mixing in the other model (after the node's
/// 100-round drift baseline), and rounds over which its share grows to all answers.
pub const DEFAULT_SWAP_AFTER: u64 = 150;
pub const SWAP_RAMP: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderFault {
    /// Signs every response with a key that is not its registered TEE signer.
    UnregisteredKey,
    /// Signs the honest response, then returns another one.
    TamperedResponse,
    /// After `swapAfterRounds` rounds, answers more and more from another model.
    ModelSwap,
    /// Waits `delayMs` before each answer (longer than the node's deadline).
    Timeout,
    /// Answers greedy requests from another model than the one it declares, and signs them
    /// (added by [`ServingNetwork::with_wrong_answer`]).
    WrongAnswer,
}

pub struct Provider {
    pub id: String,
    pub fault: Option<ProviderFault>,
    /// Its account: the service's key on the InferenceServing contract.
    pub address: Address,
    pub model_name: &'static str,
    model: TinyModel,
    swap: TinyModel,
    key: SigningKey,
    requests: AtomicU64,
}

pub struct ServingNetwork {
    pub providers: Vec<Provider>,
    pub map: ServingMap,
    /// How long the `timeout` provider waits.
    pub delay: Duration,
    pub swap_after: u64,
    /// Each provider's base URL, once [`crate::serving_http::serve_providers`] listens.
    pub urls: OnceLock<Vec<String>>,
    /// Accounts the providers serve (funded on the devnet's ledger).
    pub funded: Vec<Address>,
}

impl std::fmt::Debug for ServingNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServingNetwork({} providers)", self.providers.len())
    }
}

/// What the manifest lists under `serving`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServingManifest {
    pub canary_version: u32,
    pub delay_ms: u64,
    pub swap_after_rounds: u64,
    pub swap_ramp_rounds: u64,
    pub providers: Vec<ProviderManifestEntry>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderManifestEntry {
    pub id: String,
    /// What the node's verdicts name it by: its checksummed account.
    pub node: String,
    /// Its broker's base URL (`{url}/v1/proxy/chat/completions`), once it serves.
    pub url: String,
    pub model: String,
    pub weights_hash: String,
    pub tee_signer: String,
    /// Whether the light node re-runs this model (else it watches for drift).
    pub rerun: bool,
    /// `null` when honest, else the fault's name.
    pub fault: Option<String>,
}

/// A provider as 0G's interfaces name it (see [`ServingNetwork::endpoints`]).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEndpoint {
    pub id: String,
    pub address: String,
    pub url: String,
    pub model: String,
    /// The key that signs its answers (for `serving-1`, the `TargetTeeAddress`).
    pub tee_signer: String,
    pub fault: Option<String>,
}

fn key(label: &str) -> SigningKey {
    SigningKey::from_slice(&keccak256(label.as_bytes()).0).expect("a keccak digest is a valid secp256k1 key")
}

/// The devnet's funded account, the one a relay configured for the devnet signs sessions with.
pub fn devnet_account() -> SigningKey {
    key("zg-align devnet serving account")
}

/// The provider with the separated TEE (`serving-1`): its broker key is registered as
/// `teeSignerAddress`, but the LLM's TEE signs and is named in `TargetTeeAddress`.
const SEPARATED: &str = "serving-1";

impl ServingNetwork {
    /// Six providers: honest on the re-runnable model, honest on a model watched for drift, then
    /// one per fault.
    pub fn generate(delay: Duration, swap_after: u64) -> Self {
        let plan: [(Option<ProviderFault>, &'static str); 6] = [
            (None, TINY_MODEL),
            (None, LARGE_MODEL),
            (Some(ProviderFault::UnregisteredKey), TINY_MODEL),
            (Some(ProviderFault::TamperedResponse), TINY_MODEL),
            (Some(ProviderFault::ModelSwap), LARGE_MODEL),
            (Some(ProviderFault::Timeout), TINY_MODEL),
        ];
        let providers: Vec<Provider> = plan
            .into_iter()
            .enumerate()
            .map(|(i, (fault, model_name))| Provider {
                id: format!("serving-{i}"),
                fault,
                address: Address::from_private_key(&key(&format!("zg-align devnet serving provider {i}"))),
                model_name,
                model: TinyModel::from_seed(model_name),
                swap: TinyModel::from_seed(SWAP_MODEL),
                key: key(&format!("zg-align devnet serving tee {i}")),
                requests: AtomicU64::new(0),
            })
            .collect();
        let map = ServingMap {
            canary_version: CANARY_VERSION,
            providers: providers
                .iter()
                .map(|p| ProviderEntry {
                    id: p.id.clone(),
                    tee_signer: Address::from_private_key(&p.key).to_checksum(None),
                    model: p.model_name.into(),
                    weights_hash: p.model.weights_hash(),
                })
                .collect(),
        };
        ServingNetwork { providers, map, delay, swap_after, urls: OnceLock::new(), funded: vec![Address::from_private_key(&devnet_account())] }
    }

    /// Adds `serving-6`, which answers greedy requests from `zg-tiny-lm-2` while declaring
    /// `zg-tiny-lm-1`, and signs them: a provable canary mismatch.
    pub fn with_wrong_answer(mut self) -> Self {
        let i = self.providers.len();
        let p = Provider {
            id: format!("serving-{i}"),
            fault: Some(ProviderFault::WrongAnswer),
            address: Address::from_private_key(&key(&format!("zg-align devnet serving provider {i}"))),
            model_name: TINY_MODEL,
            model: TinyModel::from_seed(TINY_MODEL),
            swap: TinyModel::from_seed("zg-tiny-lm-2"),
            key: key(&format!("zg-align devnet serving tee {i}")),
            requests: AtomicU64::new(0),
        };
        self.map.providers.push(ProviderEntry {
            id: p.id.clone(),
            tee_signer: Address::from_private_key(&p.key).to_checksum(None),
            model: p.model_name.into(),
            weights_hash: p.model.weights_hash(),
        });
        self.providers.push(p);
        self
    }

    /// Each provider as the InferenceServing contract lists it. The URL is empty until the
    /// HTTP brokers listen. `serving-1` is a separated TEE: its broker's key is registered,
    /// the LLM's TEE (which signs) is named in `additionalInfo`.
    pub fn services(&self) -> Vec<ServiceEntry> {
        let urls = self.urls.get();
        self.providers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let tee = Address::from_private_key(&p.key);
                let (tee_signer_address, additional_info) = if p.id == SEPARATED {
                    let broker = Address::from_private_key(&key(&format!("zg-align devnet serving broker {i}")));
                    (broker, format!(r#"{{"TargetSeparated":true,"TargetTeeAddress":"{}","ProviderType":"decentralized"}}"#, tee.to_checksum(None)))
                } else {
                    (tee, "{}".to_owned())
                };
                ServiceEntry {
                    provider: p.address,
                    service_type: "chatbot".into(),
                    url: urls.map(|u| u[i].clone()).unwrap_or_default(),
                    input_price: U256::from(1_000_000_000u64),
                    output_price: U256::from(2_000_000_000u64),
                    updated_at: U256::from(1_700_000_000u64),
                    model: p.model_name.into(),
                    verifiability: "TeeML".into(),
                    additional_info,
                    tee_signer_address,
                    tee_signer_acknowledged: true,
                }
            })
            .collect()
    }

    /// Each provider as 0G's interfaces name it, with its fault (for the manifest): account, base
    /// URL (empty until the HTTP brokers listen), model and the key its answers must carry.
    pub fn endpoints(&self) -> Vec<ProviderEndpoint> {
        self.services()
            .into_iter()
            .zip(&self.providers)
            .map(|(s, p)| ProviderEndpoint {
                id: p.id.clone(),
                address: s.provider.to_checksum(None),
                url: s.url,
                model: s.model,
                tee_signer: Address::from_private_key(&p.key).to_checksum(None),
                fault: p.fault.map(|f| serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
            })
            .collect()
    }

    /// What provider `p` answers to `prompt`, and the request count it is its `count`th answer.
    pub(crate) fn content(&self, p: &Provider, prompt: &str, max_tokens: u32, temperature: f64) -> (u64, String) {
        let count = p.requests.fetch_add(1, Ordering::SeqCst);
        let draw = keccak256(format!("{} {count}", p.id).as_bytes()).0;
        let mut model = &p.model;
        let round = count / DRIFT_SAMPLES_PER_ROUND as u64;
        if p.fault == Some(ProviderFault::ModelSwap) && round >= self.swap_after {
            let share = swap_share(round - self.swap_after, SWAP_RAMP);
            if (u64::from_be_bytes(draw[..8].try_into().expect("8 bytes")) as f64) < share * u64::MAX as f64 {
                model = &p.swap;
            }
        }
        if p.fault == Some(ProviderFault::WrongAnswer) && temperature == 0.0 {
            model = &p.swap;
        }
        let content = if temperature > 0.0 { model.sample_seeded(prompt, max_tokens, temperature, keccak256(&draw).0) } else { model.generate(prompt, max_tokens) };
        (count, content)
    }

    /// The key a provider signs with: its TEE key, or a rogue one for `unregistered-key`.
    pub(crate) fn signing_key(&self, p: &Provider) -> SigningKey {
        match p.fault {
            Some(ProviderFault::UnregisteredKey) => key(&format!("zg-align devnet serving rogue {}", p.id)),
            _ => p.key.clone(),
        }
    }

    pub fn manifest(&self) -> ServingManifest {
        ServingManifest {
            canary_version: self.map.canary_version,
            delay_ms: self.delay.as_millis() as u64,
            swap_after_rounds: self.swap_after,
            swap_ramp_rounds: SWAP_RAMP,
            providers: self
                .providers
                .iter()
                .zip(&self.map.providers)
                .enumerate()
                .map(|(i, (p, e))| ProviderManifestEntry {
                    id: p.id.clone(),
                    node: p.address.to_checksum(None),
                    url: self.urls.get().map(|u| u[i].clone()).unwrap_or_default(),
                    model: e.model.clone(),
                    weights_hash: e.weights_hash.to_hex(),
                    tee_signer: e.tee_signer.clone(),
                    rerun: zg_align::serving::rerunnable(e).is_some(),
                    fault: p.fault.map(|f| serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()),
                })
                .collect(),
        }
    }

    /// A provider's answer to a chat request body: response bytes and signature record, or
    /// `Err((code, message))` when it serves none.
    pub async fn serve(&self, provider: &str, request: &str) -> Result<(Vec<u8>, SignatureRecord), (u16, String)> {
        let p = self.providers.iter().find(|p| p.id == provider).ok_or((404, format!("no serving provider {provider}")))?;
        let chat: ChatRequest = serde_json::from_str(request).map_err(|e| (400, format!("request is not a chat request: {e}")))?;
        if chat.model != p.model_name {
            return Err((400, format!("{provider} serves {}, not {}", p.model_name, chat.model)));
        }
        let prompt = chat.prompt().ok_or((400, "no user message".to_string()))?;
        if p.fault == Some(ProviderFault::Timeout) {
            tokio::time::sleep(self.delay).await;
        }
        let (count, content) = self.content(p, prompt, chat.max_tokens, chat.temperature);
        let response = ChatResponse::new(format!("chatcmpl-{provider}-{count}"), p.model_name, content.clone()).to_bytes();
        let signer = self.signing_key(p);
        let record = sign(&signer, &signed_text(request.as_bytes(), &response));
        if p.fault == Some(ProviderFault::TamperedResponse) {
            let tampered = ChatResponse::new(format!("chatcmpl-{provider}-{count}"), p.model_name, format!("{content} buy now")).to_bytes();
            return Ok((tampered, record));
        }
        Ok((response, record))
    }
}

/// `personal_sign` of `text`, as the provider's broker makes the record.
pub fn sign(key: &SigningKey, text: &str) -> SignatureRecord {
    let digest = eip191_hash_message(text.as_bytes());
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).expect("signing a digest does not fail");
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    SignatureRecord { text: text.into(), signature: format!("0x{}", hex::encode(bytes)), signing_address: Address::from_private_key(key).to_checksum(None) }
}
