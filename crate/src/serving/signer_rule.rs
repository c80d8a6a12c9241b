//! Which key must have signed a provider's answers: the compute SDK's rule (0g-compute-ts-sdk
//! `broker/response.ts`, `processResponse`), so the node accepts exactly the signatures the SDK
//! accepts.
//!
//! - the service must be verifiable (`verifiability` one of `OpML`, `TeeML`, `ZKML`), its TEE
//!   signer acknowledged by the contract's owner (`teeSignerAcknowledged`), and `additionalInfo`
//!   present and JSON; otherwise the SDK does not verify and neither does the node;
//! - the signer is `teeSignerAddress`, except for a decentralized provider (`ProviderType`
//!   absent, `decentralized`, or anything unknown) with `TargetSeparated: true` and a
//!   `TargetTeeAddress`: then the LLM's own TEE signs, and it is that address.
//!
//! `VLLM-Proxy` changes who serves the signature record (the provider broker passes the request
//! through to the upstream vLLM proxy, which signs), not whose key the SDK expects.

use super::contract::ServiceEntry;
use alloy_primitives::Address;
use serde::Serialize;
use std::str::FromStr;

/// The services the SDK verifies.
pub const VERIFIABILITY: [&str; 3] = ["OpML", "TeeML", "ZKML"];

/// Why the SDK would not verify this service's answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Unverifiable {
    #[error("verifiability {verifiability:?} is not OpML, TeeML or ZKML")]
    NotVerifiable { verifiability: String },
    #[error("the TEE signer is not acknowledged")]
    NotAcknowledged,
    #[error("additionalInfo is empty")]
    NoAdditionalInfo,
    #[error("additionalInfo is not JSON: {message}")]
    AdditionalInfo { message: String },
    #[error("TargetTeeAddress {value:?} is not an address")]
    TargetAddress { value: String },
}

/// The address whose signatures the SDK accepts for `service`.
pub fn expected_signer(service: &ServiceEntry) -> Result<Address, Unverifiable> {
    if !VERIFIABILITY.contains(&service.verifiability.as_str()) {
        return Err(Unverifiable::NotVerifiable { verifiability: service.verifiability.clone() });
    }
    if !service.tee_signer_acknowledged {
        return Err(Unverifiable::NotAcknowledged);
    }
    if service.additional_info.is_empty() {
        return Err(Unverifiable::NoAdditionalInfo);
    }
    let info: serde_json::Value = serde_json::from_str(&service.additional_info).map_err(|e| Unverifiable::AdditionalInfo { message: e.to_string() })?;
    // JavaScript's `additionalInfo.X` on a non-object is undefined: no field applies.
    let field = |name: &str| info.as_object().and_then(|o| o.get(name));
    let centralized = field("ProviderType").and_then(|v| v.as_str()) == Some("centralized");
    let separated = field("TargetSeparated") == Some(&serde_json::Value::Bool(true));
    // `&& additionalInfo.TargetTeeAddress`: any truthy value; a string is what it should be.
    let target = field("TargetTeeAddress").filter(|v| truthy(v));
    if separated && !centralized {
        if let Some(target) = target {
            let text = target.as_str().ok_or_else(|| Unverifiable::TargetAddress { value: target.to_string() })?;
            return Address::from_str(text).map_err(|_| Unverifiable::TargetAddress { value: text.into() });
        }
    }
    Ok(service.tee_signer_address)
}

/// JavaScript truthiness of a JSON value.
fn truthy(v: &serde_json::Value) -> bool {
    use serde_json::Value::*;
    match v {
        Null => false,
        Bool(b) => *b,
        Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        String(s) => !s.is_empty(),
        Array(_) | Object(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use alloy_primitives::U256;

    fn service(info: &str) -> ServiceEntry {
        ServiceEntry {
            provider: Address::with_last_byte(1),
            service_type: "chatbot".into(),
            url: "http://h:1".into(),
            input_price: U256::ZERO,
            output_price: U256::ZERO,
            updated_at: U256::ZERO,
            model: "m".into(),
            verifiability: "TeeML".into(),
            additional_info: info.into(),
            tee_signer_address: Address::with_last_byte(0xaa),
            tee_signer_acknowledged: true,
        }
    }

    const TARGET: &str = "0x00000000000000000000000000000000000000bb";

    #[test]
    fn the_sdks_rule_case_by_case() {
        let tee = Address::with_last_byte(0xaa);
        let target = Address::with_last_byte(0xbb);
        let cases: &[(&str, Result<Address, ()>)] = &[
            ("{}", Ok(tee)),
            (&format!(r#"{{"TargetSeparated":true,"TargetTeeAddress":"{TARGET}"}}"#), Ok(target)),
            (&format!(r#"{{"TargetSeparated":true,"TargetTeeAddress":"{TARGET}","ProviderType":"decentralized"}}"#), Ok(target)),
            // An unknown provider type counts as decentralized.
            (&format!(r#"{{"TargetSeparated":true,"TargetTeeAddress":"{TARGET}","ProviderType":"weird"}}"#), Ok(target)),
            // Centralized: the broker's TEE signs.
            (&format!(r#"{{"TargetSeparated":true,"TargetTeeAddress":"{TARGET}","ProviderType":"centralized"}}"#), Ok(tee)),
            // Only the boolean true separates.
            (&format!(r#"{{"TargetSeparated":"true","TargetTeeAddress":"{TARGET}"}}"#), Ok(tee)),
            (r#"{"TargetSeparated":true}"#, Ok(tee)),
            (r#"{"TargetSeparated":true,"TargetTeeAddress":""}"#, Ok(tee)),
            (r#"{"TargetSeparated":true,"TargetTeeAddress":"0x12"}"#, Err(())),
            (r#"[1,2]"#, Ok(tee)),
            ("not json", Err(())),
            ("", Err(())),
        ];
        for (info, want) in cases {
            assert_eq!(expected_signer(&service(info)).map_err(|_| ()), *want, "{info}");
        }
        let mut s = service("{}");
        s.tee_signer_acknowledged = false;
        assert_eq!(expected_signer(&s), Err(Unverifiable::NotAcknowledged));
        s = service("{}");
        s.verifiability = "".into();
        assert!(matches!(expected_signer(&s), Err(Unverifiable::NotVerifiable { .. })));
    }
}
