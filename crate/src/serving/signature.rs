//! 0G serving response signatures: the provider's TEE key signs, with EIP-191 `personal_sign`,
//! the text `hex(sha256(request)) + ":" + hex(sha256(response))`. The text proves nothing alone:
//! the node hashes the bytes it sent and received itself and checks the signature over that text.
//! Recovery is the report code's (alloy over k256), which refuses a high `s` and odd `v`.

use crate::report::{recover_signer, SignatureError};
use alloy_primitives::{eip191_hash_message, Address};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The record a provider serves at `GET {url}/v1/proxy/signature/{chatID}`, field names as 0G's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    pub text: String,
    /// `0x` + 65 bytes `r || s || v`, as `personal_sign` returns it.
    pub signature: String,
    pub signing_address: String,
}

/// `hex(sha256(request)) + ":" + hex(sha256(response))`, lowercase, no `0x`.
pub fn signed_text(request: &[u8], response: &[u8]) -> String {
    format!("{}:{}", hex::encode(Sha256::digest(request)), hex::encode(Sha256::digest(response)))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SignatureFault {
    #[error("signature is not 65 bytes of hex: {message}")]
    Malformed { message: String },
    #[error("signature is not a valid secp256k1 signature: {message}")]
    Invalid { message: String },
    /// The signature verifies, but for a key that is not the provider's registered TEE signer.
    #[error("signed by {recovered}, not by the registered TEE signer {registered}")]
    UnregisteredSigner { recovered: String, registered: String },
    /// The registered signer signed a text whose response hash is not that of the bytes received.
    #[error("the signed text {signed} does not match the response received ({expected})")]
    ResponseMismatch { signed: String, expected: String },
    /// The registered signer signed a text whose request hash is not that of the bytes sent.
    #[error("the signed text {signed} does not match the request sent ({expected})")]
    RequestMismatch { signed: String, expected: String },
}

/// Parses `0x` + 130 hex digits.
pub fn parse_signature(signature: &str) -> Result<[u8; 65], SignatureFault> {
    let digits = signature.strip_prefix("0x").unwrap_or(signature);
    let bytes = hex::decode(digits).map_err(|e| SignatureFault::Malformed { message: e.to_string() })?;
    bytes.try_into().map_err(|b: Vec<u8>| SignatureFault::Malformed { message: format!("{} bytes", b.len()) })
}

/// The address whose key made `signature` over `text` with `personal_sign`.
pub fn recover_personal(text: &str, signature: &[u8; 65]) -> Result<Address, SignatureError> {
    recover_signer(&eip191_hash_message(text.as_bytes()), signature)
}

/// Checks that `registered` signed the text of the bytes `request` and `response`. When it did not,
/// says why: another key signed, or the registered key signed other bytes (the record's `text`).
pub fn verify_response(request: &[u8], response: &[u8], record: &SignatureRecord, registered: Address) -> Result<(), SignatureFault> {
    let expected = signed_text(request, response);
    let signature = parse_signature(&record.signature)?;
    if recover_personal(&expected, &signature).ok() == Some(registered) {
        return Ok(());
    }
    let recovered = recover_personal(&record.text, &signature).map_err(|e| SignatureFault::Invalid { message: e.to_string() })?;
    if recovered != registered {
        return Err(SignatureFault::UnregisteredSigner { recovered: recovered.to_checksum(None), registered: registered.to_checksum(None) });
    }
    // The registered key signed `record.text`, which is not our text: say which half differs.
    let (ours_req, _) = expected.split_once(':').expect("our text has a colon");
    let signed = record.text.clone();
    if signed.split_once(':').map(|(req, _)| req) != Some(ours_req) {
        return Err(SignatureFault::RequestMismatch { signed, expected });
    }
    Err(SignatureFault::ResponseMismatch { signed, expected })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use k256::ecdsa::SigningKey;

    fn sign(key: &SigningKey, text: &str) -> SignatureRecord {
        let digest = eip191_hash_message(text.as_bytes());
        let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
        let mut out = sig.to_bytes().to_vec();
        out.push(27 + recid.to_byte());
        SignatureRecord { text: text.into(), signature: format!("0x{}", hex::encode(out)), signing_address: Address::from_private_key(key).to_checksum(None) }
    }

    #[test]
    fn text_is_two_lowercase_sha256_hex_digests() {
        assert_eq!(
            signed_text(b"abc", b""),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn each_fault_is_told_apart() {
        let key = SigningKey::from_slice(&crate::hash::keccak256(b"tee").0).unwrap();
        let other = SigningKey::from_slice(&crate::hash::keccak256(b"other").0).unwrap();
        let registered = Address::from_private_key(&key);
        let (req, resp) = (&b"{\"q\":1}"[..], &b"{\"a\":2}"[..]);
        let good = sign(&key, &signed_text(req, resp));
        assert_eq!(verify_response(req, resp, &good, registered), Ok(()));
        let foreign = sign(&other, &signed_text(req, resp));
        assert!(matches!(verify_response(req, resp, &foreign, registered), Err(SignatureFault::UnregisteredSigner { .. })));
        assert!(matches!(verify_response(req, b"{\"a\":3}", &good, registered), Err(SignatureFault::ResponseMismatch { .. })));
        assert!(matches!(verify_response(b"{}", resp, &good, registered), Err(SignatureFault::RequestMismatch { .. })));
        let mut short = good.clone();
        short.signature.truncate(20);
        assert!(matches!(verify_response(req, resp, &short, registered), Err(SignatureFault::Malformed { .. })));
        let mut bad_v = good.clone();
        bad_v.signature.replace_range(130..132, "05");
        assert!(matches!(verify_response(req, resp, &bad_v, registered), Err(SignatureFault::Invalid { .. })));
    }
}
