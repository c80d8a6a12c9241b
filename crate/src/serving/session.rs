//! The session a chat request carries, as the compute SDK makes it (0g-compute-ts-sdk
//! `broker/base.ts`, `generateSessionToken` and `getHeader`): the account signs, with EIP-191
//! `personal_sign` over the 32 bytes of `keccak256(message)`, the JSON message
//! `{"address","provider","timestamp","expiresAt","nonce","generation","tokenId"}` (that key
//! order, as `JSON.stringify` writes the SDK's object), and sends
//! `Authorization: Bearer app-sk-<base64(message + "|" + 0x-signature)>`. Provider brokers of
//! 2025 read the same message and signature from `Address`, `Session-Token` and
//! `Session-Signature` headers instead.
//!
//! The node never holds the account: the relay signs (its owner's account, funded on the ledger);
//! the devnet's providers check. This module builds and reads the headers; signing is the
//! caller's (a k256 key in the relay).

use crate::report::recover_signer;
use alloy_primitives::{eip191_hash_message, keccak256, Address};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// `tokenId` of an ephemeral session (the SDK's `EPHEMERAL_TOKEN_ID`).
pub const EPHEMERAL_TOKEN_ID: u32 = 255;
/// Longest Authorization value a provider should read.
pub const MAX_AUTHORIZATION: usize = 2048;

/// The SDK's `SessionToken`, fields in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionToken {
    pub address: String,
    pub provider: String,
    /// Milliseconds since the epoch.
    pub timestamp: u64,
    /// Milliseconds since the epoch; 0 never expires (persistent tokens only).
    pub expires_at: u64,
    pub nonce: String,
    pub generation: u64,
    pub token_id: u32,
}

impl SessionToken {
    /// The message the account signs: the token as JSON, compact, in field order.
    pub fn message(&self) -> String {
        serde_json::to_string(self).expect("a session token serialises")
    }
}

/// The digest the account signs for `message`: EIP-191 over the 32 bytes of keccak256(message).
pub fn session_digest(message: &str) -> [u8; 32] {
    eip191_hash_message(keccak256(message.as_bytes())).0
}

/// The headers of a request signed with `signature` (65 bytes, `v` 27/28) over `message`: the
/// SDK's Authorization, and the 2025 broker's three headers.
pub fn session_headers(token: &SessionToken, message: &str, signature: &[u8; 65]) -> Vec<(&'static str, String)> {
    let signature = format!("0x{}", hex::encode(signature));
    let bearer = base64::engine::general_purpose::STANDARD.encode(format!("{message}|{signature}"));
    vec![
        ("Authorization", format!("Bearer app-sk-{bearer}")),
        ("Address", token.address.clone()),
        ("Session-Token", message.to_owned()),
        ("Session-Signature", signature),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SessionError {
    #[error("no session: neither an app-sk Authorization nor Address, Session-Token and Session-Signature")]
    Missing,
    #[error("malformed session: {message}")]
    Malformed { message: String },
    #[error("the session is signed by {recovered}, not by {address}")]
    WrongSigner { recovered: String, address: String },
    #[error("the session is for provider {provider}")]
    OtherProvider { provider: String },
    #[error("the session expired at {expires_at} ms")]
    Expired { expires_at: u64 },
}

/// A session read from a request's headers and checked: signed by the address it names, for
/// `provider`, not expired at `now_ms`. Returns the account.
pub fn verify_session(header: impl Fn(&str) -> Option<String>, provider: Address, now_ms: u64) -> Result<(SessionToken, Address), SessionError> {
    let malformed = |message: String| SessionError::Malformed { message };
    let (message, signature) = match header("Authorization") {
        Some(value) => {
            if value.len() > MAX_AUTHORIZATION {
                return Err(malformed(format!("Authorization of {} bytes", value.len())));
            }
            let token = value.strip_prefix("Bearer app-sk-").ok_or_else(|| malformed("Authorization is not Bearer app-sk-...".into()))?;
            let raw = base64::engine::general_purpose::STANDARD.decode(token).map_err(|e| malformed(format!("app-sk token is not base64: {e}")))?;
            let raw = String::from_utf8(raw).map_err(|_| malformed("app-sk token is not UTF-8".into()))?;
            let (message, signature) = raw.rsplit_once('|').ok_or_else(|| malformed("app-sk token has no '|'".into()))?;
            (message.to_owned(), signature.to_owned())
        }
        None => match (header("Address"), header("Session-Token"), header("Session-Signature")) {
            (Some(_), Some(token), Some(signature)) => (token, signature),
            _ => return Err(SessionError::Missing),
        },
    };
    let token: SessionToken = serde_json::from_str(&message).map_err(|e| malformed(format!("session token: {e}")))?;
    let address = Address::from_str(&token.address).map_err(|e| malformed(format!("session address: {e}")))?;
    if let Some(claimed) = header("Address") {
        if !claimed.eq_ignore_ascii_case(&token.address) {
            return Err(malformed("Address header differs from the token's address".into()));
        }
    }
    let bytes = hex::decode(signature.strip_prefix("0x").unwrap_or(&signature)).map_err(|e| malformed(format!("signature: {e}")))?;
    let signature: [u8; 65] = bytes.try_into().map_err(|b: Vec<u8>| malformed(format!("signature of {} bytes", b.len())))?;
    let recovered = recover_signer(&session_digest(&message).into(), &signature).map_err(|e| malformed(format!("signature: {e}")))?;
    if recovered != address {
        return Err(SessionError::WrongSigner { recovered: recovered.to_checksum(None), address: token.address.clone() });
    }
    if Address::from_str(&token.provider).ok() != Some(provider) {
        return Err(SessionError::OtherProvider { provider: token.provider.clone() });
    }
    if token.expires_at != 0 && now_ms > token.expires_at {
        return Err(SessionError::Expired { expires_at: token.expires_at });
    }
    Ok((token, address))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use k256::ecdsa::SigningKey;

    fn signed(key: &SigningKey, token: &SessionToken) -> (String, [u8; 65]) {
        let message = token.message();
        let (sig, recid) = key.sign_prehash_recoverable(&session_digest(&message)).unwrap();
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&sig.to_bytes());
        out[64] = 27 + recid.to_byte();
        (message, out)
    }

    #[test]
    fn the_sdks_token_verifies_from_either_header_form() {
        let key = SigningKey::from_slice(&crate::hash::keccak256(b"account").0).unwrap();
        let account = Address::from_private_key(&key);
        let provider = Address::with_last_byte(7);
        let token = SessionToken {
            address: account.to_checksum(None),
            provider: provider.to_checksum(None),
            timestamp: 1_700_000_000_000,
            expires_at: 1_700_086_400_000,
            nonce: "00112233445566778899aabbccddeeff".into(),
            generation: 0,
            token_id: EPHEMERAL_TOKEN_ID,
        };
        let message = token.message();
        assert!(message.starts_with(&format!(r#"{{"address":"{}","provider":"#, token.address)));
        assert!(message.ends_with(r#""generation":0,"tokenId":255}"#));
        let (message, sig) = signed(&key, &token);
        let headers = session_headers(&token, &message, &sig);
        let bearer_only = |name: &str| (name == "Authorization").then(|| headers[0].1.clone());
        assert_eq!(verify_session(bearer_only, provider, 1_700_000_000_001).unwrap().1, account);
        let legacy = |name: &str| headers[1..].iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
        assert_eq!(verify_session(legacy, provider, 1_700_000_000_001).unwrap().1, account);
        assert_eq!(verify_session(bearer_only, provider, 1_800_000_000_000), Err(SessionError::Expired { expires_at: token.expires_at }));
        assert!(matches!(verify_session(bearer_only, Address::with_last_byte(8), 1_700_000_000_001), Err(SessionError::OtherProvider { .. })));
        assert_eq!(verify_session(|_| None, provider, 0), Err(SessionError::Missing));
        let other = SigningKey::from_slice(&crate::hash::keccak256(b"other").0).unwrap();
        let (_, forged) = signed(&other, &token);
        let forged_headers = session_headers(&token, &message, &forged);
        assert!(matches!(verify_session(|n| (n == "Authorization").then(|| forged_headers[0].1.clone()), provider, 1), Err(SessionError::WrongSigner { .. })));
        for bad in ["Bearer sk-abc", "Bearer app-sk-!!!", "Bearer app-sk-bm9waXBl"] {
            assert!(matches!(verify_session(|n| (n == "Authorization").then(|| bad.to_owned()), provider, 1), Err(SessionError::Malformed { .. })), "{bad}");
        }
    }
}
