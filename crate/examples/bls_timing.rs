//! Native timings of the BLS12-381 core: hash to G2, one `verify`, and a batch of N validator
//! signatures (default 150) over distinct messages and over one shared message. Medians of
//! `--reps` runs (default 15), in milliseconds.
//!
//! ```text
//! cargo run --release -p zg-align --example bls_timing -- [--validators N] [--reps R]
//! ```

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zg_align::benchmarks::{bls_keys, native_clock, sample, usize_arg};
use zg_align::bls::{batch_verify, hash_message, verify, PublicKey, Signature, SignatureSet};

/// Median (ms) of `reps` runs of a check that must succeed, after the bench's warm-up.
fn median_ms(reps: usize, mut f: impl FnMut() -> bool) -> f64 {
    sample(reps, &native_clock(), || assert!(f(), "the timed check must succeed")).0
}


fn main() {
    let n = usize_arg("--validators", 150);
    let reps = usize_arg("--reps", 15);
    let sks = bls_keys(n);
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
