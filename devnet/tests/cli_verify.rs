//! `zg-align-devnet verify bls`: the binary itself on official Ethereum vectors (valid, wrong key,
//! tampered signature), on key and signature bytes that are no points, and on malformed hex. Vectors:
//! ethereum/bls12-381-tests v0.1.2 `verify` suite, embedded from the crate `bls_on_arkworks` 0.3.0.

use serde_json::Value;
use std::process::Command;
use zg_align_test_vectors::ethereum_bls;

struct Run {
    code: i32,
    stdout: String,
}

fn verify_bls(pk: &str, msg: &str, sig: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zg-align-devnet"))
        .args(["verify", "bls", "--pk", pk, "--msg", msg, "--sig", sig])
        .output()
        .expect("run zg-align-devnet");
    Run { code: out.status.code().expect("exit code"), stdout: String::from_utf8(out.stdout).expect("utf-8") }
}

fn case(name: &str) -> (String, String, String, bool) {
    let file = ethereum_bls("verify").find(|f| f.path.ends_with(name)).expect(name);
    let v: Value = serde_json::from_str(file.json).unwrap();
    let s = |k: &str| v["input"][k].as_str().unwrap().to_owned();
    (s("pubkey"), s("message"), s("signature"), v["output"].as_bool().unwrap())
}

fn one_line(run: &Run, prefix: &str) {
    assert_eq!(run.stdout.lines().count(), 1, "one line: {:?}", run.stdout);
    assert!(run.stdout.starts_with(prefix), "{:?} should start with {prefix:?}", run.stdout);
}

#[test]
fn valid_signature_exits_0() {
    let (pk, msg, sig, expected) = case("verify_valid_case_195246ee3bd3b6ec.json");
    assert!(expected);
    let run = verify_bls(&pk, &msg, &sig);
    assert_eq!(run.code, 0, "{}", run.stdout);
    one_line(&run, "valid:");
    // Without the 0x prefixes too.
    let strip = |s: &str| s.trim_start_matches("0x").to_owned();
    assert_eq!(verify_bls(&strip(&pk), &strip(&msg), &strip(&sig)).code, 0);
}

#[test]
fn wrong_key_and_wrong_message_exit_1() {
    let (pk, msg, sig, expected) = case("verify_wrong_pubkey_case_195246ee3bd3b6ec.json");
    assert!(!expected);
    let run = verify_bls(&pk, &msg, &sig);
    assert_eq!(run.code, 1, "{}", run.stdout);
    one_line(&run, "invalid:");
    let (pk, _, sig, _) = case("verify_valid_case_195246ee3bd3b6ec.json");
    assert_eq!(verify_bls(&pk, "0x00", &sig).code, 1);
    assert_eq!(verify_bls(&pk, "", &sig).code, 1, "the empty message is a message");
}

/// The official tampered signature is no longer a curve point: no verdict on the signature, the
/// input itself is bad.
#[test]
fn tampered_signature_exits_2() {
    let (pk, msg, sig, expected) = case("verify_tampered_signature_case_195246ee3bd3b6ec.json");
    assert!(!expected);
    let run = verify_bls(&pk, &msg, &sig);
    assert_eq!(run.code, 2, "{}", run.stdout);
    one_line(&run, "malformed: signature is not a point on the curve");
}

#[test]
fn malformed_input_exits_2_and_says_why() {
    let (pk, msg, sig, _) = case("verify_valid_case_195246ee3bd3b6ec.json");
    let malformed = |pk: &str, msg: &str, sig: &str, why: &str| {
        let run = verify_bls(pk, msg, sig);
        assert_eq!(run.code, 2, "{}", run.stdout);
        one_line(&run, "malformed:");
        assert!(run.stdout.contains(why), "{:?} should say {why:?}", run.stdout);
    };
    malformed("0xzz", &msg, &sig, "--pk is not hex");
    malformed(&pk, "0x123", &sig, "--msg is not hex");
    malformed(&pk, &msg, &sig[..sig.len() - 2], "signature must be 96 bytes, got 95");
    malformed(&pk[..pk.len() - 2], &msg, &sig, "public key must be 48 bytes, got 47");
    // The identity key with the identity signature: "valid" for a verifier without KeyValidate.
    let (pk, msg, sig, expected) = case("verify_infinity_pubkey_and_infinity_signature.json");
    assert!(!expected);
    malformed(&pk, &msg, &sig, "identity");
    // The valid signature with its compression flag cleared.
    let (pk, msg, sig, _) = case("verify_valid_case_195246ee3bd3b6ec.json");
    let flipped = format!("0x{:02x}{}", u8::from_str_radix(&sig[2..4], 16).unwrap() & 0x7f, &sig[4..]);
    malformed(&pk, &msg, &flipped, "signature is not a compressed point");
}

#[test]
fn missing_argument_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_zg-align-devnet")).args(["verify", "bls", "--pk", "00"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "clap's usage error is also 2");
}
