//! The CometBFT core against BLS vectors made by another library: tests/vectors/cometbft-bls.json,
//! from tests/sdk/make-cometbft-vectors.mjs (@noble/curves signs; the CanonicalVote,
//! SimpleValidator and header encodings are written there from the .proto files, independently of
//! our prost messages). For both chain profiles: the validator-set hash with BLS keys (48- and
//! 96-byte), addresses, every vote's sign bytes and signed message, and the verdict of every slot
//! of an honest and a spoiled commit.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;
use zg_align::bls::{self, PublicKey};
use zg_align::cometbft::*;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const VECTORS: &str = include_str!("../../tests/vectors/cometbft-bls.json");

fn profiles() -> Vec<(ChainProfile, Value)> {
    let all: Value = serde_json::from_str(VECTORS).unwrap();
    all["profiles"].as_array().unwrap().iter().map(|p| (ChainProfile::by_name(p["profile"].as_str().unwrap()).unwrap(), p.clone())).collect()
}

fn answer(v: &Value) -> Vec<u8> {
    v.to_string().into_bytes()
}

fn hex_of(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn set(profile: ChainProfile, p: &Value) -> ValidatorSet {
    ValidatorSet::from_pages(vec![decode_validators(&answer(&p["validatorsAnswer"])).unwrap()], profile).unwrap()
}

fn slot_names(check: &CommitCheck) -> Vec<&'static str> {
    check
        .slots
        .iter()
        .map(|s| match s {
            SlotStatus::Signed => "signed",
            SlotStatus::Nil => "nil",
            SlotStatus::Absent => "absent",
            SlotStatus::Invalid(_) => "invalid",
        })
        .collect()
}

#[test]
fn validator_sets_hash_as_noble_and_the_proto_encoder_say() {
    for (profile, p) in profiles() {
        let set = set(profile, &p);
        assert_eq!(hex::encode_upper(set.hash().0), p["validatorsHash"].as_str().unwrap(), "{profile}");
        for (v, expected) in set.validators().iter().zip(p["validators"].as_array().unwrap()) {
            assert_eq!(v.address.to_hex(), expected["address"].as_str().unwrap());
            assert_eq!(v.key.chain_bytes(&profile), hex_of(&expected["chainKey"]), "{profile}: the key as the chain hashes it");
            assert_eq!(simple_validator_bytes(&v.key, v.power, &profile), hex_of(&expected["simpleValidator"]));
            let ValidatorKey::Bls12_381(key) = &v.key else { panic!("BLS keys") };
            assert_eq!(key.to_bytes().to_vec(), hex_of(&expected["publicKey"]));
        }
        // The other profile derives other addresses from the same keys: the listed ones no longer match.
        let other = if profile == ChainProfile::ZG { ChainProfile::COMETBFT_V1 } else { ChainProfile::ZG };
        let page = decode_validators(&answer(&p["validatorsAnswer"])).unwrap();
        assert!(matches!(ValidatorSet::from_pages(vec![page], other), Err(SetError::AddressMismatch { index: 0, .. })));
    }
}

#[test]
fn sign_bytes_and_signed_messages_match_and_noble_signatures_verify() {
    for (profile, p) in profiles() {
        let commit = decode_commit(&answer(&p["commitAnswer"])).unwrap().signed_header.commit;
        let votes = p["votes"].as_array().unwrap();
        assert!(votes.len() >= 5);
        for vote in votes {
            let slot = vote["slot"].as_u64().unwrap() as usize;
            let sign_bytes = commit.vote_sign_bytes(p["chainId"].as_str().unwrap(), slot).unwrap();
            assert_eq!(sign_bytes, hex_of(&vote["signBytes"]), "{profile} slot {slot}");
            assert_eq!(profile.bls_message(&sign_bytes).to_vec(), hex_of(&vote["message"]), "{profile} slot {slot}");
            let key = PublicKey::from_bytes(&hex_of(&vote["publicKey"])).unwrap();
            let signature = bls::Signature::from_bytes(&hex_of(&vote["signature"])).unwrap();
            assert!(bls::verify_hashed(&key, &profile.hash_bls_message(&sign_bytes), &signature), "{profile} slot {slot}");
            // Under the other profile's rules the same signature does not verify.
            let other = if profile == ChainProfile::ZG { ChainProfile::COMETBFT_V1 } else { ChainProfile::ZG };
            assert!(!bls::verify_hashed(&key, &other.hash_bls_message(&sign_bytes), &signature));
        }
    }
}

#[test]
fn every_slot_of_honest_and_spoiled_commits_gets_its_verdict() {
    let mut rng = ChaCha20Rng::from_seed([4; 32]);
    for (profile, p) in profiles() {
        let set = set(profile, &p);
        for (name, key) in [("honest", "commitAnswer"), ("spoiled", "spoiledCommitAnswer")] {
            let sh = decode_commit(&answer(&p[key])).unwrap().signed_header;
            assert_eq!(hex::encode_upper(header_hash(&sh.header).0), p["headerHash"].as_str().unwrap(), "{profile}");
            assert_eq!(sh.commit.block_id.hash32(), Some(header_hash(&sh.header)));
            let check = verify_commit(&sh.header.chain_id, &set, &sh.commit, &mut rng).unwrap();
            let expected = &p["expected"][name];
            let slots: Vec<&str> = expected["slots"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
            assert_eq!(slot_names(&check), slots, "{profile} {name}");
            assert_eq!(check.signed_power, expected["signedPower"].as_u64().unwrap());
            assert_eq!(check.nil_power, expected["nilPower"].as_u64().unwrap());
            assert_eq!(check.total_power, expected["totalPower"].as_u64().unwrap());
            assert_eq!(check.has_quorum(), expected["quorum"].as_bool().unwrap(), "{profile} {name}");
        }
    }
}

#[test]
fn the_honest_commit_is_a_trust_anchor_for_its_hash() {
    let mut rng = ChaCha20Rng::from_seed([5; 32]);
    for (profile, p) in profiles() {
        let sh = decode_commit(&answer(&p["commitAnswer"])).unwrap().signed_header;
        let hash = header_hash(&sh.header);
        let now = sh.header.time.plus_seconds(5);
        let block = LightBlock { signed_header: sh.clone(), validators: set(profile, &p), next_validators: None }.check(&sh.header.chain_id, &mut rng).unwrap();
        let mut verifier = LightVerifier::new(TrustOptions::new(&sh.header.chain_id, sh.header.height, hash), LivenessPolicy::default()).unwrap();
        let report = verifier.initialize(&block, now).unwrap();
        assert_eq!((report.signed, report.nil, report.absent, report.invalid.len()), (5, 1, 1, 0), "{profile}");
        // Another configured hash is refused.
        let mut wrong = hash;
        wrong.0[0] ^= 1;
        let mut other = LightVerifier::new(TrustOptions::new(&sh.header.chain_id, sh.header.height, wrong), LivenessPolicy::default()).unwrap();
        assert!(matches!(other.initialize(&block, now), Err(Rejected::AnchorHash { .. })));
    }
}
