//! Native timings of the BLS12-381 core: hash to G2, one `verify`, and a batch of N validator
//! signatures (default 150) over distinct messages and over one shared message. Medians of
//! `--reps` runs (default 15), in milliseconds.
//!
//! ```text
//! cargo run --release -p zg-align --example bls_timing -- [--validators N] [--reps R]
//! ```

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zg_align::benchmarks::{native_clock, sample};
use zg_align::bls::{batch_verify, hash_message, verify, PublicKey, SecretKey, Signature, SignatureSet};

/// Median (ms) of `reps` runs of a check that must succeed, after the bench's warm-up.
fn median_ms(reps: usize, mut f: impl FnMut() -> bool) -> f64 {
    sample(reps, &native_clock(), || assert!(f(), "the timed check must succeed")).0
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map_or(default, |v| v.parse().expect(name))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = arg(&args, "--validators", 150);
    let reps = arg(&args, "--reps", 15);
    let sks: Vec<SecretKey> = (1..=n as u64)
        .map(|i| {
            let mut b = [0u8; 32];
            b[0] = 0x2a;
            b[24..].copy_from_slice(&i.to_be_bytes());
            SecretKey::from_bytes(&b).unwrap()
        })
        .collect();
    let pks: Vec<PublicKey> = sks.iter().map(|k| k.public_key()).collect();
    let distinct: Vec<Vec<u8>> = (0..n).map(|i| format!("vote of validator {i} at height 1000").into_bytes()).collect();
    let shared = b"block 1000 round 0".to_vec();
    let sig_distinct: Vec<Signature> = sks.iter().zip(&distinct).map(|(k, m)| k.sign(m).unwrap()).collect();
    let sig_shared: Vec<Signature> = sks.iter().map(|k| k.sign(&shared).unwrap()).collect();

    let hash = median_ms(reps, || hash_message(&distinct[0]).is_ok());
    let single = median_ms(reps, || verify(&pks[0], &distinct[0], &sig_distinct[0]));
    let batch = |msgs: &[&[u8]], sigs: &[Signature]| {
        let sets: Vec<SignatureSet> = (0..n)
            .map(|i| SignatureSet { public_key: &pks[i], message: msgs[i], signature: &sigs[i] })
            .collect();
        let mut rng = ChaCha20Rng::from_seed([9; 32]);
        median_ms(reps, || batch_verify(&sets, &mut rng))
    };
    let distinct_refs: Vec<&[u8]> = distinct.iter().map(|m| m.as_slice()).collect();
    let shared_refs: Vec<&[u8]> = vec![shared.as_slice(); n];
    let batch_distinct = batch(&distinct_refs, &sig_distinct);
    let batch_shared = batch(&shared_refs, &sig_shared);
    println!("hash to G2: {hash:.2} ms");
    println!("verify: {single:.2} ms");
    println!("batch of {n}, distinct messages: {batch_distinct:.1} ms");
    println!("batch of {n}, one shared message: {batch_shared:.1} ms");
}
