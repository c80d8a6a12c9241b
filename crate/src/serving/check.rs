//! One provider answer, judged: the signature over the bytes the node itself sent and received,
//! then (for a model the node can run) the answer against its own re-run, bit for bit.
//!
//! Misbehaving needs evidence a third party can check again: the request and response bytes, the
//! provider's signature record and what failed. Drift is statistical, so it gets its own verdict
//! (`drifting`, with the test statistic) and is never reported as misbehaving. A provider that
//! does not answer in time, or refuses, is unreachable.

use super::canary::ChatResponse;
use super::drift::DriftStatus;
use super::signature::{signed_text, verify_response, SignatureFault, SignatureRecord};
use alloy_primitives::Address;
use base64::Engine;
use serde::Serialize;

/// What a provider returned for one request: the exact response bytes and its signature record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    pub response: Vec<u8>,
    pub record: SignatureRecord,
}

/// Why a provider gave no answer to judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ServeUnavailable {
    /// No answer within the deadline, or the connection failed.
    Timeout { message: String },
    /// The network refused the request (unknown provider, provider down).
    Refused { message: String },
    /// The provider answered with an HTTP error.
    Http { status: u16 },
    /// The answer cannot be read: too large, an unknown or broken encoding, not a chat
    /// completion, or no chat ID to ask for its signature.
    Unreadable { error: super::exchange::ExchangeError },
    /// No signature record for the answer (none served, or not one).
    NoSignature { error: super::exchange::ExchangeError },
    /// The record does not show the expected key signing exactly the bytes sent and received.
    /// Through a relay that is not the provider's fault for sure: no accusation.
    Unattributed { fault: SignatureFault },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ServingFault {
    #[error("{signature}")]
    Signature { signature: SignatureFault },
    /// Signed by the provider, but not a chat completion.
    #[error("signed response is not a chat completion: {message}")]
    UnreadableResponse { message: String },
    /// The answer to a greedy canary is not the model's, re-run by the node.
    #[error("canary answer differs from the re-run of the declared model")]
    CanaryMismatch { prompt: String, expected: String, received: String },
}

/// Everything needed to check a misbehaving verdict again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServingEvidence {
    /// The request body the node sent, verbatim.
    pub request: String,
    /// The response body received, base64: exactly the bytes on the wire, still compressed when
    /// `contentEncoding` says so (what the provider signed).
    pub response: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// `hex(sha256(request)):hex(sha256(response))` of those bytes, as the node computed it.
    pub text: String,
    pub record: SignatureRecord,
    pub fault: ServingFault,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum ServingVerdict {
    /// Every answer signed by the registered signer; canaries matched; no drift alarm.
    Healthy { answers: usize, drift: Option<DriftStatus> },
    Misbehaving { evidence: Box<ServingEvidence> },
    /// The drift test's alarm: the answers no longer follow the provider's own baseline.
    Drifting { drift: DriftStatus },
    Unreachable { reason: ServeUnavailable },
    /// The map does not let us check it (unreadable signer address, unknown canary version).
    Unchecked { reason: String },
}

impl ServingVerdict {
    pub fn name(&self) -> &'static str {
        match self {
            ServingVerdict::Healthy { .. } => "healthy",
            ServingVerdict::Misbehaving { .. } => "misbehaving",
            ServingVerdict::Drifting { .. } => "drifting",
            ServingVerdict::Unreachable { .. } => "unreachable",
            ServingVerdict::Unchecked { .. } => "unchecked",
        }
    }
}

/// Checks one answer to `request` and returns its text. `expected` is the node's own re-run of a
/// greedy canary, when it has one.
pub fn check_answer(request: &[u8], served: &Served, signer: Address, expected: Option<&str>) -> Result<String, Box<ServingEvidence>> {
    let evidence = |fault| {
        Box::new(ServingEvidence {
            request: String::from_utf8_lossy(request).into_owned(),
            response: base64::engine::general_purpose::STANDARD.encode(&served.response),
            content_encoding: None,
            text: signed_text(request, &served.response),
            record: served.record.clone(),
            fault,
        })
    };
    verify_response(request, &served.response, &served.record, signer).map_err(|f| evidence(ServingFault::Signature { signature: f }))?;
    let content = ChatResponse::content_of(&served.response).map_err(|message| evidence(ServingFault::UnreadableResponse { message }))?;
    if let Some(expected) = expected {
        if content != expected {
            let prompt = crate::bounded_json::from_bytes::<super::canary::ChatRequest>(request)
                .ok()
                .and_then(|r| r.prompt().map(str::to_owned))
                .unwrap_or_default();
            return Err(evidence(ServingFault::CanaryMismatch { prompt, expected: expected.into(), received: content }));
        }
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use crate::serving::canary::{ChatRequest, ChatResponse, CANARIES_V1};
    use crate::serving::TinyModel;
    use alloy_primitives::eip191_hash_message;
    use k256::ecdsa::SigningKey;

    fn served(key: &SigningKey, request: &[u8], content: &str) -> Served {
        let response = ChatResponse::new("chatcmpl-1".into(), "zg-tiny-lm-1", content.into()).to_bytes();
        let text = signed_text(request, &response);
        let (sig, recid) = key.sign_prehash_recoverable(eip191_hash_message(text.as_bytes()).as_slice()).unwrap();
        let mut bytes = sig.to_bytes().to_vec();
        bytes.push(27 + recid.to_byte());
        let signing_address = Address::from_private_key(key).to_checksum(None);
        Served { response, record: SignatureRecord { text, signature: format!("0x{}", hex::encode(bytes)), signing_address } }
    }

    #[test]
    fn a_signed_canary_answer_that_is_not_the_models_is_evidence() {
        let key = SigningKey::from_slice(&crate::hash::keccak256(b"tee").0).unwrap();
        let signer = Address::from_private_key(&key);
        let model = TinyModel::from_seed("zg-tiny-lm-1");
        let canary = CANARIES_V1[0];
        let request = ChatRequest::new("zg-tiny-lm-1", canary.prompt, canary.max_tokens, 0.0).to_bytes();
        let expected = model.generate(canary.prompt, canary.max_tokens);
        assert_eq!(check_answer(&request, &served(&key, &request, &expected), signer, Some(&expected)), Ok(expected.clone()));
        let other = TinyModel::from_seed("zg-tiny-lm-2").generate(canary.prompt, canary.max_tokens);
        let evidence = check_answer(&request, &served(&key, &request, &other), signer, Some(&expected)).unwrap_err();
        assert!(matches!(&evidence.fault, ServingFault::CanaryMismatch { prompt, .. } if prompt == canary.prompt));
        let json = serde_json::to_value(&evidence).unwrap();
        assert_eq!(json["fault"]["kind"], "canaryMismatch");
        let foreign = SigningKey::from_slice(&crate::hash::keccak256(b"rogue").0).unwrap();
        let evidence = check_answer(&request, &served(&foreign, &request, &expected), signer, Some(&expected)).unwrap_err();
        let json = serde_json::to_value(&evidence).unwrap();
        assert_eq!(json["fault"]["kind"], "signature");
        assert_eq!(json["fault"]["signature"]["kind"], "unregisteredSigner");
    }
}
