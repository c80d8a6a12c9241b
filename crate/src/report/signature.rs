//! secp256k1 signer recovery for EIP-712 digests, with Ethereum's rules for what a signature is.
//!
//! alloy's recovery quietly normalises a high `s`; we refuse it instead (EIP-2: one signature per
//! key and message, so a replayed report cannot be dressed up as a new one) and only take `v` as
//! 27/28 (what wallets return) or 0/1 (what some hardware wallets return).

use alloy_primitives::{Address, Signature, B256, U256};

/// The secp256k1 group order n.
const ORDER: U256 = U256::from_limbs([0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("v is {0}, expected 27 or 28 (or 0 or 1)")]
    BadV(u8),
    #[error("r is zero or not below the curve order")]
    ROutOfRange,
    #[error("s is zero or not below the curve order")]
    SOutOfRange,
    #[error("s is in the upper half of the curve order (EIP-2 allows only low s)")]
    HighS,
    #[error("no public key recovers from this signature and digest")]
    NoKey,
}

/// The address that signed `digest`, from `r || s || v`.
pub fn recover_signer(digest: &B256, signature: &[u8; 65]) -> Result<Address, SignatureError> {
    let parity = match signature[64] {
        0 | 27 => false,
        1 | 28 => true,
        v => return Err(SignatureError::BadV(v)),
    };
    let r = U256::from_be_slice(&signature[..32]);
    let s = U256::from_be_slice(&signature[32..64]);
    if r.is_zero() || r >= ORDER {
        return Err(SignatureError::ROutOfRange);
    }
    if s.is_zero() || s >= ORDER {
        return Err(SignatureError::SOutOfRange);
    }
    if s > ORDER >> 1 {
        return Err(SignatureError::HighS);
    }
    Signature::new(r, s, parity).recover_address_from_prehash(digest).map_err(|_| SignatureError::NoKey)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use k256::ecdsa::SigningKey;

    fn sign(key: &SigningKey, digest: &B256) -> [u8; 65] {
        let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&sig.to_bytes());
        out[64] = 27 + recid.to_byte();
        out
    }

    fn flip_s(sig: &[u8; 65]) -> [u8; 65] {
        let s = U256::from_be_slice(&sig[32..64]);
        let mut out = *sig;
        out[32..64].copy_from_slice(&(ORDER - s).to_be_bytes::<32>());
        out[64] = if sig[64] == 27 { 28 } else { 27 };
        out
    }

    #[test]
    fn order_constant_is_secp256k1_n() {
        let n = U256::from_str_radix("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16).unwrap();
        assert_eq!(ORDER, n);
    }

    #[test]
    fn recovers_the_key_that_signed_and_refuses_malleated_forms() {
        let key = SigningKey::from_slice(&crate::hash::keccak256(b"cow").0).unwrap();
        let address = Address::from_private_key(&key);
        assert_eq!(address.to_checksum(None), "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
        let digest = B256::repeat_byte(7);
        let sig = sign(&key, &digest);
        assert_eq!(recover_signer(&digest, &sig), Ok(address));
        let mut zero_one = sig;
        zero_one[64] -= 27;
        assert_eq!(recover_signer(&digest, &zero_one), Ok(address));
        assert_eq!(recover_signer(&digest, &flip_s(&sig)), Err(SignatureError::HighS));
        for v in [2u8, 26, 29, 37, 38] {
            let mut bad = sig;
            bad[64] = v;
            assert_eq!(recover_signer(&digest, &bad), Err(SignatureError::BadV(v)));
        }
        let mut zero_r = sig;
        zero_r[..32].fill(0);
        assert_eq!(recover_signer(&digest, &zero_r), Err(SignatureError::ROutOfRange));
        let mut big_s = sig;
        big_s[32..64].fill(0xff);
        assert_eq!(recover_signer(&digest, &big_s), Err(SignatureError::SOutOfRange));
        assert_ne!(recover_signer(&B256::repeat_byte(8), &sig), Ok(address));
    }
}
