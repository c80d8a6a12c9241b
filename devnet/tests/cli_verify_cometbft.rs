//! `zg-align-devnet verify header` and `verify commit`: the binary on CometBFT answers made by
//! another library (tests/vectors/cometbft-bls.json, @noble/curves, both profiles) and on the
//! devnet chain's own spoiled commits; one line, exit 0 valid, 1 invalid, 2 malformed.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};
use zg_align::cometbft::{ChainProfile, Timestamp};
use zg_align_devnet::cometbft::{json, CometChain, FORGED_HEIGHT, WEAK_HEIGHT};

const VECTORS: &str = include_str!("../../tests/vectors/cometbft-bls.json");

struct Run {
    code: i32,
    stdout: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zg-align-devnet")).args(args).output().expect("run zg-align-devnet");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout:?}");
    Run { code: out.status.code().expect("exit code"), stdout }
}

fn dir(name: &str) -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    let d = std::env::temp_dir().join(format!("zg-align-cli-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, value.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

fn profiles() -> Vec<Value> {
    serde_json::from_str::<Value>(VECTORS).unwrap()["profiles"].as_array().unwrap().clone()
}

#[test]
fn header_hashes_are_checked_against_the_commit() {
    let d = dir("header");
    for p in profiles() {
        let file = write(&d, "commit.json", &p["commitAnswer"]);
        let r = run(&["verify", "header", &file]);
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert!(r.stdout.starts_with("valid:") && r.stdout.contains(p["headerHash"].as_str().unwrap()), "{}", r.stdout);
        // The bare result works too.
        let bare = write(&d, "bare.json", &p["commitAnswer"]["result"]);
        assert_eq!(run(&["verify", "header", &bare]).code, 0);
        // Another app hash: the header no longer is the block the commit signs.
        let mut altered = p["commitAnswer"].clone();
        altered["result"]["signed_header"]["header"]["app_hash"] = Value::String("00".repeat(32));
        let r = run(&["verify", "header", &write(&d, "altered.json", &altered)]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(r.stdout.starts_with("invalid:"), "{}", r.stdout);
    }
    let r = run(&["verify", "header", &write(&d, "junk.json", &serde_json::json!({"result": {"signed_header": 5}}))]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.starts_with("malformed:"), "{}", r.stdout);
    assert_eq!(run(&["verify", "header", "/nonexistent/commit.json"]).code, 2);
}

#[test]
fn commits_are_checked_slot_by_slot_under_their_profile() {
    let d = dir("commit");
    for p in profiles() {
        let profile = p["profile"].as_str().unwrap();
        let validators = write(&d, "validators.json", &p["validatorsAnswer"]);
        let honest = write(&d, "honest.json", &p["commitAnswer"]);
        let r = run(&["verify", "commit", "--commit", &honest, "--validators", &validators, "--profile", profile]);
        assert_eq!(r.code, 0, "{profile}: {}", r.stdout);
        let e = &p["expected"]["honest"];
        assert!(r.stdout.contains(&format!("{} of {} voting power", e["signedPower"], e["totalPower"])), "{}", r.stdout);

        let spoiled = write(&d, "spoiled.json", &p["spoiledCommitAnswer"]);
        let r = run(&["verify", "commit", "--commit", &spoiled, "--validators", &validators, "--profile", profile]);
        assert_eq!(r.code, 1, "{profile}: {}", r.stdout);
        let slots: Vec<usize> = p["expected"]["spoiled"]["slots"].as_array().unwrap().iter().enumerate().filter(|(_, s)| *s == "invalid").map(|(i, _)| i).collect();
        for slot in slots {
            let address = p["validators"][slot]["address"].as_str().unwrap();
            assert!(r.stdout.contains(address), "{profile}: {} should name {address}", r.stdout);
        }

        // The other profile reads the keys' addresses otherwise: the answer is not its chain's.
        let other = if profile == "0g" { "cometbft-v1" } else { "0g" };
        let r = run(&["verify", "commit", "--commit", &honest, "--validators", &validators, "--profile", other]);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(r.stdout.contains(other), "{}", r.stdout);
    }
    let p = &profiles()[0];
    let honest = write(&d, "h.json", &p["commitAnswer"]);
    let validators = write(&d, "v.json", &p["validatorsAnswer"]);
    assert_eq!(run(&["verify", "commit", "--commit", &honest, "--validators", &validators, "--profile", "cometbft-v2"]).code, 2);
    // Validators of another set: one fewer validator.
    let mut fewer = p["validatorsAnswer"].clone();
    fewer["result"]["validators"].as_array_mut().unwrap().pop();
    fewer["result"]["count"] = Value::String("6".into());
    fewer["result"]["total"] = Value::String("6".into());
    let r = run(&["verify", "commit", "--commit", &honest, "--validators", &write(&d, "fewer.json", &fewer)]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("the validators hash to"), "{}", r.stdout);
}

#[test]
fn the_devnet_chains_spoiled_commits_are_invalid_and_honest_ones_valid() {
    let d = dir("devnet");
    let chain = CometChain::new(WEAK_HEIGHT + 1, ChainProfile::ZG, Timestamp::from_unix_seconds(1_760_000_000));
    for (h, code) in [(FORGED_HEIGHT - 1, 0), (FORGED_HEIGHT, 1), (WEAK_HEIGHT, 1)] {
        let commit = write(&d, "c.json", &json::envelope(json::commit_result(chain.header(h), &chain.commit(h), true)));
        let set = chain.set(h);
        let mut args = vec!["verify".to_string(), "commit".into(), "--commit".into(), commit];
        for (i, page) in set.validators().chunks(100).enumerate() {
            let file = write(&d, &format!("v{i}.json"), &json::envelope(json::validators_result(h, page, set.len(), &chain.profile())));
            args.extend(["--validators".to_string(), file]);
        }
        let r = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(r.code, code, "height {h}: {}", r.stdout);
        if h == WEAK_HEIGHT {
            assert!(r.stdout.contains("not more than 2/3"), "{}", r.stdout);
        }
        if h == FORGED_HEIGHT {
            let victim = &chain.manifest().faults[0];
            let address = &chain.manifest().validators.iter().find(|v| Some(&v.id) == victim.validator.as_ref()).unwrap().address.clone();
            assert!(r.stdout.contains(address.as_str()), "{}", r.stdout);
        }
    }
}
