//! Native timings of a real CometBFT commit of 150 BLS validators, as the node would check one:
//! the devnet chain's commit at height 190 (150 validators, 149 present signatures, each over its
//! own `CanonicalVote`: 149 distinct messages), under 0G's profile (or `--profile cometbft-v1`).
//! Medians of `--reps` runs (default 15), in milliseconds:
//!
//! - decoding the `/validators` pages into a set (keys decompressed and subgroup-checked, hash),
//! - decoding the `/commit` answer,
//! - hashing the 149 sign bytes to G2 (part of the check),
//! - `verify_commit` on the honest commit (one batch: 150 Miller loops, one final exponentiation),
//! - `verify_commit` with one forged signature (the batch fails, bisection names the slot),
//! - the same 149 signatures verified one by one (`verify_hashed`, hashing included),
//! - `LightBlock::check` (header hash, set hash, every signature);
//!
//! and, once, how long the devnet takes to make its chain and to sign one commit.
//!
//! ```text
//! cargo run --release -p zg-align-devnet --example cometbft_commit_timing -- [--reps R] [--profile 0g|cometbft-v1]
//! ```

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zg_align::benchmarks::{native_clock, sample, usize_arg};
use zg_align::bls;
use zg_align::cometbft::*;
use zg_align_devnet::cometbft::{json, CometChain};

const HEIGHT: u64 = 190;

fn median_ms(reps: usize, f: impl FnMut()) -> f64 {
    sample(reps, &native_clock(), f).0
}

fn main() {
    let reps = usize_arg("--reps", 15);
    let args: Vec<String> = std::env::args().collect();
    let profile = args
        .iter()
        .position(|a| a == "--profile")
        .and_then(|i| args.get(i + 1))
        .map(|name| ChainProfile::by_name(name).expect("--profile 0g or cometbft-v1"))
        .unwrap_or_default();
    let started = std::time::Instant::now();
    let chain = CometChain::new(200, profile, Timestamp::from_unix_seconds(1_760_000_000));
    let startup_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = std::time::Instant::now();
    chain.commit(HEIGHT);
    let sign_ms = started.elapsed().as_secs_f64() * 1e3;
    let commit_body = json::envelope(json::commit_result(chain.header(HEIGHT), &chain.commit(HEIGHT), true)).to_string().into_bytes();
    let set = chain.set(HEIGHT);
    let pages: Vec<Vec<u8>> = set
        .validators()
        .chunks(MAX_PER_PAGE)
        .map(|page| json::envelope(json::validators_result(HEIGHT, page, set.len(), &profile)).to_string().into_bytes())
        .collect();
    let mut rng = ChaCha20Rng::from_seed([9; 32]);

    let decode_set_ms = median_ms(reps, || {
        ValidatorSet::from_pages(pages.iter().map(|p| decode_validators(p).unwrap()).collect(), profile).unwrap();
    });
    let decode_commit_ms = median_ms(reps, || {
        decode_commit(&commit_body).unwrap();
    });
    let sh = decode_commit(&commit_body).unwrap().signed_header;
    let chain_id = sh.header.chain_id.clone();
    let present: Vec<usize> = (0..sh.commit.signatures.len()).filter(|&i| sh.commit.signatures[i].validator_address.is_some()).collect();
    let n = present.len();
    let hash_ms = median_ms(reps, || {
        for &i in &present {
            profile.hash_bls_message(&sh.commit.vote_sign_bytes(&chain_id, i).unwrap());
        }
    });
    let honest_ms = median_ms(reps, || {
        assert!(verify_commit(&chain_id, set, &sh.commit, &mut rng).unwrap().has_quorum());
    });
    let mut forged = sh.commit.clone();
    forged.signatures[present[n / 3]].signature = forged.signatures[present[n / 3 + 1]].signature.clone();
    let forged_ms = median_ms(reps, || {
        assert_eq!(verify_commit(&chain_id, set, &forged, &mut rng).unwrap().invalid().count(), 1);
    });
    let single_ms = median_ms(reps, || {
        for &i in &present {
            let ValidatorKey::Bls12_381(key) = &set.validators()[i].key else { unreachable!() };
            let sig = bls::Signature::from_bytes(&sh.commit.signatures[i].signature).unwrap();
            let message = profile.hash_bls_message(&sh.commit.vote_sign_bytes(&chain_id, i).unwrap());
            assert!(bls::verify_hashed(key, &message, &sig));
        }
    });
    let light = LightBlock { signed_header: sh.clone(), validators: set.clone(), next_validators: None };
    let check_ms = median_ms(reps, || {
        light.clone().check(&chain_id, &mut rng).unwrap();
    });

    println!("profile {profile}, height {HEIGHT}: {} validators, {n} signatures over {n} distinct messages; medians of {reps}, ms", set.len());
    println!("decode /validators ({} pages) into a set:      {decode_set_ms:7.1}", pages.len());
    println!("decode /commit ({} bytes):                 {decode_commit_ms:7.1}", commit_body.len());
    println!("hash {n} sign bytes to G2:                     {hash_ms:7.1}");
    println!("verify_commit, all valid (one batch):          {honest_ms:7.1}  ({:.2} per signature)", honest_ms / n as f64);
    println!("verify_commit, one forged (batch, bisection):  {forged_ms:7.1}");
    println!("{n} signatures verified one by one:            {single_ms:7.1}  ({:.2} per signature)", single_ms / n as f64);
    println!("LightBlock::check (hashes and every signature): {check_ms:7.1}");
    println!("batch / single: {:.2}", honest_ms / single_ms);
    println!("devnet: CometChain::new (200 headers, the equivocator's 40 signatures): {startup_ms:.0} ms; signing one commit: {sign_ms:.0} ms");
}
