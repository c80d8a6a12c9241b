//! The DA BN254 code held to vectors from libraries we did not write: @noble/curves' bn254 (curve,
//! pairing) and ethers (keccak, abi.encodePacked), made by tests/sdk/make-da-vectors.mjs;
//! tests/da-vectors.test.mjs checks that the committed file is what those libraries say today.

use zg_align::da::bn254::{decode_g1, decode_g2, encode_g1, encode_g2, hash_to_g1, public_keys, sign, sum_g1, verify_aggregate};
use zg_align::da::blob_digest;
use zg_align::Hash32;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const VECTORS: &str = include_str!("../../tests/vectors/da-bn254.json");

fn vectors() -> serde_json::Value {
    serde_json::from_str(VECTORS).unwrap()
}

fn bytes(v: &serde_json::Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap().trim_start_matches("0x")).unwrap()
}

fn hash32(v: &serde_json::Value) -> [u8; 32] {
    bytes(v).try_into().unwrap()
}

fn secret(v: &serde_json::Value) -> ark_bn254::Fr {
    use ark_ff::PrimeField;
    ark_bn254::Fr::from_be_bytes_mod_order(&bytes(v))
}

#[test]
fn hash_to_g1_matches_the_contract_rule_in_bigint() {
    let v = vectors();
    let cases = v["hashToG1"].as_array().unwrap();
    assert!(cases.len() >= 28);
    for case in cases {
        assert_eq!(encode_g1(&hash_to_g1(&hash32(&case["digest"]))).to_vec(), bytes(&case["point"]), "digest {}", case["digest"]);
    }
}

#[test]
fn public_keys_and_signatures_match_noble() {
    let v = vectors();
    for s in v["signers"].as_array().unwrap() {
        let (pk1, pk2) = public_keys(&secret(&s["sk"]));
        assert_eq!(encode_g1(&pk1).to_vec(), bytes(&s["pkG1"]));
        assert_eq!(encode_g2(&pk2).to_vec(), bytes(&s["pkG2"]));
        assert_eq!(decode_g2(&bytes(&s["pkG2"]), "pk").unwrap(), pk2);
    }
    for blob in v["blobs"].as_array().unwrap() {
        let signers = v["signers"].as_array().unwrap();
        let digest = hash32(&blob["digest"]);
        for (i, sig) in blob["signers"].as_array().unwrap().iter().zip(blob["signatures"].as_array().unwrap()) {
            let sk = secret(&signers[i.as_u64().unwrap() as usize]["sk"]);
            assert_eq!(encode_g1(&sign(&sk, &digest)).to_vec(), bytes(sig));
        }
        let sigs: Vec<_> = blob["signatures"].as_array().unwrap().iter().map(|s| decode_g1(&bytes(s), "sig").unwrap()).collect();
        assert_eq!(encode_g1(&sum_g1(&sigs)).to_vec(), bytes(&blob["signature"]));
    }
}

#[test]
fn blob_digest_matches_solidity_encode_packed() {
    for blob in vectors()["blobs"].as_array().unwrap() {
        let root = Hash32(hash32(&blob["dataRoot"]));
        let commitment: [u8; 64] = bytes(&blob["commitment"]).try_into().unwrap();
        let digest = blob_digest(&root, blob["epoch"].as_u64().unwrap(), blob["quorumId"].as_u64().unwrap(), &commitment);
        assert_eq!(digest, hash32(&blob["digest"]));
        assert_eq!(encode_g1(&hash_to_g1(&digest)).to_vec(), bytes(&blob["hash"]));
    }
}

#[test]
fn aggregate_checks_agree_with_noble_pairing() {
    let mut seen = (0, 0);
    for blob in vectors()["blobs"].as_array().unwrap() {
        let digest = hash32(&blob["digest"]);
        let apk1 = decode_g1(&bytes(&blob["aggPkG1"]), "apk1").unwrap();
        for check in blob["checks"].as_array().unwrap() {
            let sig = decode_g1(&bytes(&check["signature"]), "sig").unwrap();
            let apk2 = decode_g2(&bytes(&check["aggPkG2"]), "apk2").unwrap();
            let expected = check["valid"].as_bool().unwrap();
            assert_eq!(verify_aggregate(&digest, &sig, &apk1, &apk2), expected, "{}", check["case"]);
            if expected { seen.0 += 1 } else { seen.1 += 1 }
        }
    }
    assert!(seen.0 >= 4 && seen.1 >= 8, "valid and invalid cases both present: {seen:?}");
}
