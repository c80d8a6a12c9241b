//! BLS12-381 against official vectors, natively and in headless Chromium.
//!
//! Sources (embedded at build time by the `zg-align-test-vectors` crate, nothing copied here):
//! - the Ethereum consensus BLS tests, ethereum/bls12-381-tests release v0.1.2 (98 JSON files),
//!   from the `tests/` folder of the registry crate `bls_on_arkworks` 0.3.0;
//! - the RFC 9380 hash-to-G2 vectors (appendix J.10.1, `BLS12381G2_XMD:SHA-256_SSWU_RO_`), from
//!   `src/curves/tests/BLS12381G2_XMD-SHA-256_SSWU_RO_.json` of the registry crate
//!   `ark-bls12-381` 0.5.0.
//!
//! The Ethereum suites use the proof-of-possession DST (`BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`),
//! the hash_to_G2 suites the RFC's `QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_`. Every file
//! of every suite runs; a test fails listing every file whose verdict differs.

use ark_bls12_381::{Fq, Fq2, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInt, PrimeField};
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;
use zg_align::bls::{
    aggregate, aggregate_verify, batch_verify, decode_g1, decode_g2, encode_g1, encode_g2, fast_aggregate_verify,
    find_invalid, hash_to_g2, map_to_g2_pair, verify, BlsError, Item, PublicKey, SecretKey, Signature, SignatureSet,
};
use zg_align_test_vectors::{ethereum_bls, VectorFile, ETHEREUM_BLS, RFC9380_G2};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const RFC_DST: &[u8] = b"QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_";

fn bytes(v: &Value) -> Vec<u8> {
    let s = v.as_str().expect("hex string");
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).expect("hex")
}

fn list(v: &Value) -> Vec<Vec<u8>> {
    v.as_array().expect("array").iter().map(bytes).collect()
}

fn pks(v: &Value) -> Result<Vec<PublicKey>, BlsError> {
    list(v).iter().map(|b| PublicKey::from_bytes(b)).collect()
}

/// Runs `case` on every file of an Ethereum suite; `case` returns (ours, expected) as JSON.
fn suite(name: &str, expected_files: usize, case: impl Fn(&Value) -> (Value, Value)) {
    let files: Vec<&VectorFile> = ethereum_bls(name).collect();
    assert_eq!(files.len(), expected_files, "{name}: number of official files");
    let mut wrong = Vec::new();
    for file in &files {
        let v: Value = serde_json::from_str(file.json).expect("vector JSON");
        let (ours, expected) = case(&v);
        if ours != expected {
            wrong.push(format!("{}: ours {ours}, expected {expected}", file.path));
        }
    }
    assert!(wrong.is_empty(), "{} of {} {name} vectors differ:\n{}", wrong.len(), files.len(), wrong.join("\n"));
}

fn hex0x(b: &[u8]) -> Value {
    Value::String(format!("0x{}", hex::encode(b)))
}

macro_rules! both {
    ($($(#[$m:meta])* fn $name:ident() $body:block)*) => {$(
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        $(#[$m])*
        fn $name() $body
    )*};
}

both! {
    fn every_official_file_is_embedded() {
        assert_eq!(ETHEREUM_BLS.len(), 98, "ethereum/bls12-381-tests v0.1.2 has 98 files");
        let suites = ["aggregate", "aggregate_verify", "batch_verify", "deserialization_G1", "deserialization_G2",
            "fast_aggregate_verify", "hash_to_G2", "sign", "verify"];
        let counted: usize = suites.iter().map(|s| ethereum_bls(s).count()).sum();
        assert_eq!(counted, ETHEREUM_BLS.len(), "every file belongs to a suite run here");
    }

    fn deserialization_g1() {
        suite("deserialization_G1", 13, |v| {
            let input = bytes(&v["input"]["pubkey"]);
            let decoded = decode_g1(&input);
            if let Ok(p) = &decoded {
                assert_eq!(encode_g1(p).to_vec(), input, "re-encoding is canonical");
                // KeyValidate on top: the identity decodes as a point but is no public key.
                assert_eq!(PublicKey::from_bytes(&input).is_ok(), !p.is_zero());
            }
            (Value::Bool(decoded.is_ok()), v["output"].clone())
        });
    }

    fn deserialization_g2() {
        suite("deserialization_G2", 15, |v| {
            let input = bytes(&v["input"]["signature"]);
            let decoded = Signature::from_bytes(&input);
            if let Ok(s) = &decoded {
                assert_eq!(s.to_bytes().to_vec(), input, "re-encoding is canonical");
            }
            (Value::Bool(decoded.is_ok()), v["output"].clone())
        });
    }

    fn sign() {
        suite("sign", 10, |v| {
            let msg = bytes(&v["input"]["message"]);
            let ours = match SecretKey::from_bytes(&bytes(&v["input"]["privkey"])) {
                Ok(sk) => {
                    let sig = sk.sign(&msg).expect("sign");
                    assert!(verify(&sk.public_key(), &msg, &sig), "a fresh signature verifies");
                    hex0x(&sig.to_bytes())
                }
                Err(_) => Value::Null,
            };
            (ours, v["output"].clone())
        });
    }

    fn verify_suite() {
        suite("verify", 29, |v| {
            let i = &v["input"];
            let ours = match (PublicKey::from_bytes(&bytes(&i["pubkey"])), Signature::from_bytes(&bytes(&i["signature"]))) {
                (Ok(pk), Ok(sig)) => verify(&pk, &bytes(&i["message"]), &sig),
                _ => false,
            };
            (Value::Bool(ours), v["output"].clone())
        });
    }

    fn aggregate_suite() {
        suite("aggregate", 6, |v| {
            let sigs: Result<Vec<Signature>, _> = list(&v["input"]).iter().map(|b| Signature::from_bytes(b)).collect();
            let ours = match sigs.and_then(|s| aggregate(&s)) {
                Ok(sig) => hex0x(&sig.to_bytes()),
                Err(_) => Value::Null,
            };
            (ours, v["output"].clone())
        });
    }

    fn aggregate_verify_suite() {
        suite("aggregate_verify", 5, |v| {
            let i = &v["input"];
            let ours = match (pks(&i["pubkeys"]), Signature::from_bytes(&bytes(&i["signature"]))) {
                (Ok(pks), Ok(sig)) => aggregate_verify(&pks, &list(&i["messages"]), &sig),
                _ => false,
            };
            (Value::Bool(ours), v["output"].clone())
        });
    }

    fn fast_aggregate_verify_suite() {
        suite("fast_aggregate_verify", 12, |v| {
            let i = &v["input"];
            let ours = match (pks(&i["pubkeys"]), Signature::from_bytes(&bytes(&i["signature"]))) {
                (Ok(pks), Ok(sig)) => fast_aggregate_verify(&pks, &bytes(&i["message"]), &sig),
                _ => false,
            };
            (Value::Bool(ours), v["output"].clone())
        });
    }

    fn batch_verify_suite() {
        suite("batch_verify", 4, |v| {
            let i = &v["input"];
            let sigs: Result<Vec<Signature>, _> = list(&i["signatures"]).iter().map(|b| Signature::from_bytes(b)).collect();
            let ours = match (pks(&i["pubkeys"]), sigs) {
                (Ok(pks), Ok(sigs)) => {
                    let msgs = list(&i["messages"]);
                    let sets: Vec<SignatureSet> = pks.iter().zip(&msgs).zip(&sigs)
                        .map(|((public_key, message), signature)| SignatureSet { public_key, message, signature })
                        .collect();
                    let ok = batch_verify(&sets, &mut ChaCha20Rng::from_seed([7; 32]));
                    // The one-by-one re-check agrees with the batch.
                    assert_eq!(find_invalid(&sets).is_empty(), ok);
                    ok
                }
                _ => false,
            };
            (Value::Bool(ours), v["output"].clone())
        });
    }

    fn hash_to_g2_ethereum() {
        suite("hash_to_G2", 4, |v| {
            let msg = v["input"]["msg"].as_str().expect("msg");
            let p = hash_to_g2(msg.as_bytes(), RFC_DST).expect("hash");
            (Value::Bool(p == g2_point(&v["output"])), Value::Bool(true))
        });
    }

    fn hash_to_g2_rfc9380() {
        let v: Value = serde_json::from_str(RFC9380_G2.json).expect("RFC 9380 JSON");
        assert_eq!(v["dst"].as_str(), Some(std::str::from_utf8(RFC_DST).unwrap()));
        let vectors = v["vectors"].as_array().expect("vectors");
        assert_eq!(vectors.len(), 5, "RFC 9380 J.10.1 has five messages");
        for case in vectors {
            let msg = case["msg"].as_str().expect("msg");
            let p = hash_to_g2(msg.as_bytes(), RFC_DST).expect("hash");
            assert_eq!(p, g2_point(&case["P"]), "RFC 9380 hash_to_curve({msg:?})");
            // The map on its own (ours, not arkworks'): the RFC's u0 and u1 to its Q0 and Q1.
            let u = case["u"].as_array().expect("u");
            let [q0, q1] = map_to_g2_pair([fq2(&u[0]), fq2(&u[1])]).expect("maps");
            assert_eq!([q0.into_affine(), q1.into_affine()], [curve_point(&case["Q0"]), curve_point(&case["Q1"])], "RFC 9380 map_to_curve of {msg:?}'s u");
        }
    }
}

/// A G2 point from `{"x": "0x<c0>,0x<c1>", "y": ...}` (both files write c0 first).
fn g2_point(v: &Value) -> G2Affine {
    let p = curve_point(v);
    assert!(p.is_in_correct_subgroup_assuming_on_curve(), "vector point is in G2");
    p
}

/// A point of G2's curve, maybe outside the subgroup (the RFC's Q0 and Q1).
fn curve_point(v: &Value) -> G2Affine {
    let p = G2Affine::new_unchecked(fq2(&v["x"]), fq2(&v["y"]));
    assert!(p.is_on_curve(), "vector point is on the curve");
    p
}

/// An Fq2 element as `"0x<c0>,0x<c1>"`.
fn fq2(s: &Value) -> Fq2 {
    let parts: Vec<Fq> = s.as_str().expect("coordinate").split(',').map(|h| fq(&bytes(&Value::from(h)))).collect();
    assert_eq!(parts.len(), 2);
    Fq2::new(parts[0], parts[1])
}

fn fq(b: &[u8]) -> Fq {
    assert_eq!(b.len(), 48);
    let mut limbs = [0u64; 6];
    for (i, chunk) in b.chunks_exact(8).enumerate() {
        limbs[5 - i] = u64::from_be_bytes(chunk.try_into().unwrap());
    }
    Fq::from_bigint(BigInt::new(limbs)).expect("canonical coordinate")
}

// Beyond the vectors: the reasons decoding gives, and batches of many validators.

fn keys(n: usize) -> Vec<SecretKey> {
    (1..=n as u64)
        .map(|i| {
            let mut b = [0u8; 32];
            b[24..].copy_from_slice(&(i * 0x9e37_79b9_7f4a_7c15).to_be_bytes());
            b[0] = 0x11;
            SecretKey::from_bytes(&b).unwrap()
        })
        .collect()
}

both! {
    fn decoding_says_what_is_wrong() {
        let file = |suite: &str, name: &str| -> Vec<u8> {
            let f = ethereum_bls(suite).find(|f| f.path.ends_with(name)).expect(name);
            let v: Value = serde_json::from_str(f.json).unwrap();
            let input = &v["input"];
            bytes(if suite == "deserialization_G1" { &input["pubkey"] } else { &input["signature"] })
        };
        let g1 = |name: &str| PublicKey::from_bytes(&file("deserialization_G1", name)).unwrap_err();
        let g2 = |name: &str| Signature::from_bytes(&file("deserialization_G2", name)).unwrap_err();
        let pk = Item::PublicKey;
        let sig = Item::Signature;
        assert_eq!(g1("too_few_bytes.json"), BlsError::WrongLength { item: pk, expected: 48, got: 47 });
        assert_eq!(g1("with_wrong_c_flag.json"), BlsError::NotCompressed(pk));
        assert_eq!(g1("with_b_flag_and_a_flag_true.json"), BlsError::NonCanonicalInfinity(pk));
        assert_eq!(g1("with_b_flag_and_x_nonzero.json"), BlsError::NonCanonicalInfinity(pk));
        assert_eq!(g1("x_equal_to_modulus.json"), BlsError::CoordinateNotInField(pk));
        assert_eq!(g1("not_in_curve.json"), BlsError::NotOnCurve(pk));
        assert_eq!(g1("not_in_G1.json"), BlsError::NotInSubgroup(pk));
        assert_eq!(g1("succeeds_infinity_with_true_b_flag.json"), BlsError::IdentityPublicKey);
        assert_eq!(g2("too_many_bytes.json"), BlsError::WrongLength { item: sig, expected: 96, got: 97 });
        assert_eq!(g2("xre_greater_than_modulus.json"), BlsError::CoordinateNotInField(sig));
        assert_eq!(g2("xim_equal_to_modulus.json"), BlsError::CoordinateNotInField(sig));
        assert_eq!(g2("not_in_curve.json"), BlsError::NotOnCurve(sig));
        assert_eq!(g2("not_in_G2.json"), BlsError::NotInSubgroup(sig));
        assert_eq!(
            BlsError::NotInSubgroup(sig).to_string(),
            "signature is a curve point outside the prime-order subgroup"
        );
        assert_eq!(SecretKey::from_bytes(&[0xff; 32]).unwrap_err(), BlsError::SecretKeyOutOfRange);
        assert!(decode_g2(&[0u8; 96]).is_err());
    }

    fn batch_of_many_validators_and_the_bad_one_found() {
        let sks = keys(40);
        let pks: Vec<PublicKey> = sks.iter().map(|k| k.public_key()).collect();
        // Half sign one shared message (grouped into one Miller loop), half their own.
        let msgs: Vec<Vec<u8>> = (0..sks.len()).map(|i| if i % 2 == 0 { b"block 7".to_vec() } else { format!("vote {i}").into_bytes() }).collect();
        let mut sigs: Vec<Signature> = sks.iter().zip(&msgs).map(|(k, m)| k.sign(m).unwrap()).collect();
        let sets = |sigs: &[Signature]| -> Vec<(usize, Signature)> { sigs.iter().copied().enumerate().collect() };
        let check = |sigs: &[Signature], seed: u8| {
            let owned = sets(sigs);
            let sets: Vec<SignatureSet> = owned.iter().map(|(i, s)| SignatureSet { public_key: &pks[*i], message: &msgs[*i], signature: s }).collect();
            (batch_verify(&sets, &mut ChaCha20Rng::from_seed([seed; 32])), find_invalid(&sets))
        };
        assert_eq!(check(&sigs, 1), (true, vec![]));
        // Validator 13's signature over another message.
        sigs[13] = sks[13].sign(b"something else").unwrap();
        assert_eq!(check(&sigs, 2), (false, vec![13]));
        // Two bad signatures that cancel in an unweighted sum: sig_3 + d and sig_4 - d.
        let mut forged = sks.iter().zip(&msgs).map(|(k, m)| k.sign(m).unwrap()).collect::<Vec<_>>();
        let d = *sks[0].sign(b"offset").unwrap().as_point();
        let shift = |s: &Signature, plus: bool| {
            let p = if plus { *s.as_point() + d } else { *s.as_point() - d };
            Signature::from_bytes(&encode_g2(&ark_ec::CurveGroup::into_affine(p))).unwrap()
        };
        forged[3] = shift(&forged[3], true);
        forged[4] = shift(&forged[4], false);
        assert_eq!(aggregate(&forged).unwrap(), aggregate(&sigs_ok(&sks, &msgs)).unwrap(), "the forgery cancels out");
        assert_eq!(check(&forged, 3), (false, vec![3, 4]));
        assert!(!batch_verify(&[], &mut ChaCha20Rng::from_seed([0; 32])), "an empty batch proves nothing");
    }

    fn aggregates_agree_with_single_signatures() {
        let sks = keys(5);
        let pks: Vec<PublicKey> = sks.iter().map(|k| k.public_key()).collect();
        let msg = b"one vote";
        let agg = aggregate(&sks.iter().map(|k| k.sign(msg).unwrap()).collect::<Vec<_>>()).unwrap();
        assert!(fast_aggregate_verify(&pks, msg, &agg));
        assert!(!fast_aggregate_verify(&pks[1..], msg, &agg));
        let msgs = [b"a".as_slice(), b"b", b"c", b"d", b"e"];
        let agg = aggregate(&sks.iter().zip(msgs).map(|(k, m)| k.sign(m).unwrap()).collect::<Vec<_>>()).unwrap();
        assert!(aggregate_verify(&pks, &msgs, &agg));
        assert!(!aggregate_verify(&pks, &msgs[..4], &agg), "one message short");
        let sk = &sks[0];
        assert_eq!(SecretKey::from_bytes(&sk.to_bytes()).unwrap(), *sk);
        assert_eq!(PublicKey::from_bytes(&sk.public_key().to_bytes()).unwrap(), sk.public_key());
    }
}

fn sigs_ok(sks: &[SecretKey], msgs: &[Vec<u8>]) -> Vec<Signature> {
    sks.iter().zip(msgs).map(|(k, m)| k.sign(m).unwrap()).collect()
}
