//! Native timings of a validator commit check: a set of N validators (default 150) decoded once,
//! then `verify_commit` on an honest commit, on one with a forged signature (batch fails,
//! bisection finds it) and on one with every signature absent but the first. Medians of `--reps`
//! runs (default 15), in milliseconds.
//!
//! ```text
//! cargo run --release -p zg-align --example commit_timing -- [--validators N] [--reps R]
//! ```

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zg_align::benchmarks::{bls_keys, native_clock, sample, usize_arg};
use zg_align::bls::HashedMessage;
use zg_align::hash::Hash32;
use zg_align::validator::{vote_sign_bytes, verify_commit, Commit, HexBytes, ValidatorInfo, ValidatorList, ValidatorSet};

fn median_ms(reps: usize, f: impl FnMut()) -> f64 {
    sample(reps, &native_clock(), f).0
}


fn main() {
    let n = usize_arg("--validators", 150);
    let reps = usize_arg("--reps", 15);
    let sks = bls_keys(n);
    let list = ValidatorList {
        validators: sks
            .iter()
            .enumerate()
            .map(|(i, k)| ValidatorInfo { pub_key: HexBytes(k.public_key().to_bytes().to_vec()), power: 10 + i as u64 % 50 })
            .collect(),
    };
    let chain = "zg-align-devnet";
    let block_id = Hash32([7; 32]);
    let msg = HashedMessage::new(&vote_sign_bytes(chain, 1000, 0, &block_id).unwrap()).unwrap();
    let signatures: Vec<Option<HexBytes>> = sks.iter().map(|k| Some(HexBytes(k.sign_hashed(&msg).to_bytes().to_vec()))).collect();
    let honest = Commit { height: 1000, round: 0, block_id, signatures };
    let mut forged = honest.clone();
    forged.signatures[n / 3] = forged.signatures[n / 3 + 1].clone();
    let mut sparse = honest.clone();
    sparse.signatures.iter_mut().skip(1).for_each(|s| *s = None);
    let mut rng = ChaCha20Rng::from_seed([9; 32]);

    let decode = median_ms(reps, || {
        ValidatorSet::from_list(&list).unwrap();
    });
    let set = ValidatorSet::from_list(&list).unwrap();
    let sig_decode = median_ms(reps, || {
        for s in honest.signatures.iter().flatten() {
            zg_align::bls::Signature::from_bytes(&s.0).unwrap();
        }
    });
    let mut run = |commit: &Commit, quorum: bool| {
        median_ms(reps, || assert_eq!(verify_commit(&set, chain, commit, &mut rng).unwrap().has_quorum(), quorum))
    };
    let sigs: Vec<zg_align::bls::Signature> =
        forged.signatures.iter().flatten().map(|s| zg_align::bls::Signature::from_bytes(&s.0).unwrap()).collect();
    let keys: Vec<zg_align::bls::PublicKey> = set.validators().iter().map(|v| v.key).collect();
    let pairs: Vec<_> = keys.iter().zip(&sigs).collect();
    let mut rng2 = ChaCha20Rng::from_seed([1; 32]);
    let batch_ms = median_ms(reps, || {
        zg_align::bls::batch_verify_same_message(&msg, &pairs, &mut rng2);
    });
    let half_ms = median_ms(reps, || {
        zg_align::bls::batch_verify_same_message(&msg, &pairs[..n / 2], &mut rng2);
    });
    let small_ms = median_ms(reps, || {
        zg_align::bls::batch_verify_same_message(&msg, &pairs[..4], &mut rng2);
    });
    let bisect_ms = median_ms(reps, || {
        assert_eq!(zg_align::bls::find_invalid_same_message(&msg, &pairs, &mut rng2), vec![n / 3]);
    });
    println!("batch of {n}: {batch_ms:.1}, of {}: {half_ms:.1}, of 4: {small_ms:.1}, bisection: {bisect_ms:.1}", n / 2);
    let honest_ms = run(&honest, true);
    let forged_ms = run(&forged, true);
    let sparse_ms = run(&sparse, false);
    println!("validators: {n}, reps: {reps} (medians, ms)");
    println!("decode the set (keys, subgroup checks): {decode:.1}");
    println!("decode the commit's signatures:         {sig_decode:.1}");
    println!("verify_commit, all signatures valid:    {honest_ms:.1}");
    println!("verify_commit, one forged (bisection):  {forged_ms:.1}");
    println!("verify_commit, one signature present:   {sparse_ms:.1}");
}
