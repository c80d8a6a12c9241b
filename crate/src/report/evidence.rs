//! The hash that ties a verdict in a signed report to the evidence behind it.
//!
//! `keccak256(JCS(evidence))`: the evidence as JSON in RFC 8785 canonical form (sorted keys, no
//! spaces, ECMAScript number form), so that any JSON library can recompute it from a kept copy.

use crate::hash::{keccak256, Hash32};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("evidence cannot be written as canonical JSON: {0}")]
    Canonical(String),
}

/// keccak256 of the RFC 8785 canonical JSON of `evidence`.
pub fn evidence_hash<T: Serialize + ?Sized>(evidence: &T) -> Result<Hash32, EvidenceError> {
    let canonical = serde_jcs::to_vec(evidence).map_err(|e| EvidenceError::Canonical(e.to_string()))?;
    Ok(keccak256(&canonical))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn key_order_and_spacing_do_not_change_the_hash() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b": 1, "a": [1, 2.50, "x"]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"a":[1,2.5,"x"],"b":1}"#).unwrap();
        assert_eq!(evidence_hash(&a).unwrap(), evidence_hash(&b).unwrap());
        assert_eq!(evidence_hash(&a).unwrap(), keccak256(br#"{"a":[1,2.5,"x"],"b":1}"#));
    }

    #[test]
    fn evidence_read_back_from_its_text_hashes_as_written() {
        // The worker hashes a verdict as serde_json reads it back from the event's text
        // (wasm/worker.rs `emit`): every f64 must come back exactly (`float_roundtrip`).
        use rand::{Rng, RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        for i in 0..20_000 {
            let x = if i % 2 == 0 { f64::from_bits(rng.next_u64()) } else { rng.random::<f64>() * 100.0 };
            if !x.is_finite() {
                continue;
            }
            let written = serde_json::json!({"verdict": "drifting", "statistic": x});
            let read: serde_json::Value = serde_json::from_str(&serde_json::to_string(&written).unwrap()).unwrap();
            assert_eq!(read, written, "{x:e}");
            assert_eq!(evidence_hash(&read).unwrap(), evidence_hash(&written).unwrap());
        }
    }

    #[test]
    fn null_evidence_hashes_the_word_null() {
        assert_eq!(evidence_hash(&serde_json::Value::Null).unwrap(), keccak256(b"null"));
    }
}
