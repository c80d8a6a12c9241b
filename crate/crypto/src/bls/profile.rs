//! Where a single verify's time goes, and what BLS12-381's field operations cost: the workloads
//! behind `make bench`'s profile rows (the node's `benchmarks::bls_profile` times them). They live
//! here so they are compiled as the node's verification is, in this crate at full speed, and not
//! in the caller's crate, which the shipped wasm optimises for size. Each workload returns whether
//! it worked; the field ones chain their operations so none can be skipped or overlapped.

use super::final_exponentiation::final_exponentiation;
use super::hash_to_curve::hash_message;
use super::keys::{PublicKey, Signature};
use super::miller_loop::multi_miller_loop;
use ark_bls12_381::{Fq, Fq2, G1Affine};
use ark_ec::AffineRepr;
use ark_ff::{Field, One, PrimeField, Zero};
use rand::RngCore;
use std::hint::black_box;

/// A named, repeatable piece of work.
pub type Workload = (&'static str, Box<dyn FnMut() -> bool>);

/// Field operations per workload: many, so that a row is far above the clock's tick (100 µs in a
/// worker that is not cross-origin isolated).
const OPS: usize = 100_000;
const INVERSES: usize = 1000;

/// The parts of verifying `signature` over `message` under `key` (all valid), then the field
/// operations on elements drawn from `rng`.
pub fn profile_workloads(key: Vec<u8>, signature: Vec<u8>, message: Vec<u8>, rng: &mut dyn RngCore) -> Vec<Workload> {
    let pk = PublicKey::from_bytes(&key).expect("valid key");
    let sig = Signature::from_bytes(&signature).expect("valid signature");
    let h = hash_message(&message).expect("hashes");
    let g1 = [*pk.as_point(), -G1Affine::generator()];
    let g2 = [h, *sig.as_point()];
    let miller = multi_miller_loop(&g1, &g2).0;
    let mut element = || {
        let mut bytes = [0u8; 48];
        rng.fill_bytes(&mut bytes);
        Fq::from_le_bytes_mod_order(&bytes)
    };
    let (x, y) = (element(), element());
    let (u, v) = (Fq2::new(element(), element()), Fq2::new(element(), element()));
    vec![
        (
            "verify part: decode key and signature (subgroup checks)",
            Box::new(move || PublicKey::from_bytes(black_box(&key)).is_ok() && Signature::from_bytes(black_box(&signature)).is_ok()),
        ),
        ("verify part: hash to G2", Box::new(move || hash_message(black_box(&message)).is_ok())),
        ("verify part: Miller loop, 2 pairs", Box::new(move || !multi_miller_loop(black_box(&g1), black_box(&g2)).0.is_zero())),
        ("verify part: final exponentiation", Box::new(move || final_exponentiation(black_box(miller)).is_some_and(|e| e.is_one()))),
        (
            "Fq multiply, 100000 chained",
            Box::new(move || {
                let mut a = black_box(x);
                for _ in 0..OPS {
                    a *= black_box(&y);
                }
                !black_box(a).is_zero()
            }),
        ),
        (
            "Fq square, 100000 chained",
            Box::new(move || {
                let mut a = black_box(x);
                for _ in 0..OPS {
                    a.square_in_place();
                }
                !black_box(a).is_zero()
            }),
        ),
        (
            "Fq2 multiply, 100000 chained",
            Box::new(move || {
                let mut a = black_box(u);
                for _ in 0..OPS {
                    a *= black_box(&v);
                }
                !black_box(a).is_zero()
            }),
        ),
        (
            "Fq inverse, 1000 chained",
            Box::new(move || {
                let mut a = black_box(x);
                for _ in 0..INVERSES {
                    a = a.inverse().unwrap_or_else(Fq::one) + black_box(y);
                }
                !black_box(a).is_zero()
            }),
        ),
    ]
}
