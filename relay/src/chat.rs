//! Serving requests: a chat request to a registered provider with the relay's session, and the
//! signature record after it, both answered as received on the wire (status, `Content-Encoding`,
//! `ZG-Res-Key`, body bytes before any decoding: what the provider signed). The provider's URL is
//! the chain's (`getService`), never the tab's; the tab checks every answer itself.

use crate::registered_services::LookupError;
use crate::service::{failure, upstream_failure, Service};
use crate::upstream::HttpAnswer;
use alloy_primitives::Address;
use base64::Engine;
use k256::ecdsa::SigningKey;
use zg_align::protocol::CheckResponse;
use zg_align::serving::exchange::{parse_signature_path, MAX_RECORD_BYTES, MAX_RESPONSE_BYTES};
use zg_align::serving::session::{session_digest, session_headers, SessionToken, EPHEMERAL_TOKEN_ID};
use zg_align::serving::ServiceEntry;

/// How long a session token the relay signs stays valid (one per request).
const SESSION_TTL_MS: u64 = 3_600_000;
/// Longest header value forwarded (`Content-Encoding`, `ZG-Res-Key`).
const MAX_HEADER_BYTES: usize = 1024;

/// The compute SDK's session headers for `provider`, signed by `account`: a fresh ephemeral token
/// issued at `now_ms` with `nonce`.
pub fn signed_session_headers(account: &SigningKey, provider: Address, now_ms: u64, nonce: [u8; 16]) -> Vec<(&'static str, String)> {
    let token = SessionToken {
        address: Address::from_private_key(account).to_checksum(None),
        provider: provider.to_checksum(None),
        timestamp: now_ms,
        expires_at: now_ms + SESSION_TTL_MS,
        nonce: hex::encode(nonce),
        generation: 0,
        token_id: EPHEMERAL_TOKEN_ID,
    };
    let message = token.message();
    let (sig, recid) = account.sign_prehash_recoverable(&session_digest(&message)).expect("signing a 32-byte digest does not fail");
    let mut signature = [0u8; 65];
    signature[..64].copy_from_slice(&sig.to_bytes());
    signature[64] = 27 + recid.to_byte();
    session_headers(&token, &message, &signature)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The provider's answer as the check protocol carries it.
fn http_answer(answer: HttpAnswer) -> CheckResponse {
    let (content_encoding, res_key) = (answer.header("content-encoding"), answer.header("zg-res-key"));
    if content_encoding.iter().chain(&res_key).any(|v| v.len() > MAX_HEADER_BYTES) {
        return failure(502, format!("the provider sent a header over {MAX_HEADER_BYTES} bytes"));
    }
    CheckResponse::Http { status: answer.status, content_encoding, res_key, body: base64::engine::general_purpose::STANDARD.encode(&answer.body) }
}

impl Service {
    /// The registered service of `provider`, or the failure to answer with.
    async fn registered(&self, provider: Address) -> Result<ServiceEntry, CheckResponse> {
        let Some(contract) = self.profile.contracts.inference_serving else {
            return Err(failure(404, "this relay has no InferenceServing contract configured".into()));
        };
        self.registered.lookup(&self.upstreams, &self.profile.evm_rpc, contract, provider).await.map_err(|e: LookupError| failure(e.code(), e.to_string()))
    }

    /// POSTs `body` verbatim to the provider's `/v1/proxy/chat/completions` with a fresh session
    /// of the relay's account, asking for gzip (what the SDK's clients get); the answer as received.
    pub(crate) async fn chat(&self, provider: Address, body: String) -> CheckResponse {
        let Some(account) = &self.profile.serving_account else {
            return failure(
                503,
                "this relay has no serving account (ZG_ALIGN_RELAY_SERVING_KEY or serving_account_key_file): providers refuse chat requests without one".into(),
            );
        };
        if self.profile.contracts.inference_serving.is_none() {
            return failure(404, "this relay has no InferenceServing contract configured".into());
        }
        let service = match self.registered(provider).await {
            Ok(s) => s,
            Err(refused) => return refused,
        };
        let Ok(url) = url::Url::parse(&format!("{}/v1/proxy/chat/completions", service.url)) else {
            return failure(502, format!("the registered URL of {provider} is not usable"));
        };
        let mut headers = vec![("content-type", "application/json".to_owned()), ("accept-encoding", "gzip".to_owned())];
        headers.extend(signed_session_headers(&account.0, provider, now_ms(), rand::random()));
        match self.upstreams.post_raw(&url, &headers, body.into_bytes(), MAX_RESPONSE_BYTES).await {
            Ok(answer) => http_answer(answer),
            Err(e) => upstream_failure(e),
        }
    }

    /// GETs `path` (exactly a signature record's path: `/v1/proxy/signature/{chatID}?model=...`)
    /// of the provider's URL; the answer as received.
    pub(crate) async fn chat_signature(&self, provider: Address, path: String) -> CheckResponse {
        if parse_signature_path(&path).is_none() {
            return failure(400, format!("{} is not a signature record's path (/v1/proxy/signature/{{chatID}}?model=...)", crate::service::truncate(&path)));
        }
        let service = match self.registered(provider).await {
            Ok(s) => s,
            Err(refused) => return refused,
        };
        let Ok(url) = url::Url::parse(&format!("{}{path}", service.url)) else {
            return failure(502, format!("the registered URL of {provider} is not usable"));
        };
        match self.upstreams.get_raw(&url, MAX_RECORD_BYTES).await {
            Ok(answer) => http_answer(answer),
            Err(e) => upstream_failure(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Profile, ServingAccount};

    fn service(with_account: bool, with_contract: bool) -> Service {
        // An EVM RPC nobody answers: the refusals below come before any call.
        let mut profile = Profile::from_toml("extends = \"mainnet\"\nevm_rpc = \"http://127.0.0.1:9\"\n", "test.toml").unwrap();
        if !with_contract {
            profile.contracts.inference_serving = None;
        }
        if with_account {
            profile.serving_account = Some(ServingAccount(SigningKey::from_slice(&[7u8; 32]).unwrap()));
        }
        Service::new(profile)
    }

    fn refused(answer: CheckResponse) -> (u16, String) {
        match answer {
            CheckResponse::Failure(f) => (f.code, f.message),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn without_an_account_or_a_contract_chat_is_refused() {
        let provider = Address::with_last_byte(1);
        let (code, message) = refused(service(false, true).chat(provider, "{}".into()).await);
        assert_eq!(code, 503);
        assert!(message.contains("serving account"), "{message}");
        assert_eq!(refused(service(true, false).chat(provider, "{}".into()).await).0, 404);
        assert_eq!(refused(service(true, false).chat_signature(provider, "/v1/proxy/signature/a?model=b".into()).await).0, 404);
        assert!(!service(false, true).info().upstreams.chat);
        assert!(service(true, true).info().upstreams.chat);
    }

    #[tokio::test]
    async fn only_signature_record_paths_are_fetched() {
        let s = service(true, true);
        let provider = Address::with_last_byte(1);
        for path in [
            "/v1/proxy/chat/completions",
            "/v1/proxy/signature/abc",
            "/v1/proxy/signature/abc?model=zg&x=1",
            "/v1/proxy/signature/../../admin?model=zg",
            "/v1/proxy/signature/abc?model=meta/llama",
            "@evil.example/v1/proxy/signature/abc?model=zg",
            "",
        ] {
            assert_eq!(refused(s.chat_signature(provider, path.into()).await).0, 400, "{path:?}");
        }
        // A well-formed path goes on to the lookup (here: an EVM RPC that does not answer).
        let (code, _) = refused(s.chat_signature(provider, "/v1/proxy/signature/chatcmpl-1?model=zg-tiny-lm-1".into()).await);
        assert!(code == 502 || code == 504, "{code}");
    }

    #[test]
    fn session_headers_verify_for_the_provider() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let provider = Address::with_last_byte(9);
        let headers = signed_session_headers(&key, provider, 1_700_000_000_000, [1; 16]);
        let header = |name: &str| headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
        let (token, account) = zg_align::serving::session::verify_session(header, provider, 1_700_000_000_001).unwrap();
        assert_eq!(account, Address::from_private_key(&key));
        assert_eq!((token.nonce.as_str(), token.token_id), ("01010101010101010101010101010101", EPHEMERAL_TOKEN_ID));
    }
}
