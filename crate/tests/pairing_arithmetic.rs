//! arkworks' BLS12-381 pairing over the patched base field (patches/ark-bls12-381: 30-bit limbs
//! on wasm32), natively and in headless Chromium: a multi-pairing of n pairs equals the product of
//! the n pairings one by one, and the pairing is bilinear. (The node's own Miller loop is held to
//! this one in crate/crypto/src/bls/miller_loop.rs.)

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::pairing::Pairing;
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::{Field, One, PrimeField};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn scalar(rng: &mut ChaCha20Rng) -> Fr {
    let mut bytes = [0u8; 64];
    rng.fill_bytes(&mut bytes);
    Fr::from_le_bytes_mod_order(&bytes)
}

/// `n` random pairs; with `infinity`, the second pair's G1 point and the last pair's G2 point
/// are at infinity.
fn pairs(rng: &mut ChaCha20Rng, n: usize, infinity: bool) -> (Vec<G1Affine>, Vec<G2Affine>) {
    let mut g1: Vec<G1Affine> = (0..n)
        .map(|_| (G1Projective::generator() * scalar(rng)).into_affine())
        .collect();
    let mut g2: Vec<G2Affine> = (0..n)
        .map(|_| (G2Projective::generator() * scalar(rng)).into_affine())
        .collect();
    if infinity && n > 1 {
        g1[1] = G1Affine::identity();
        g2[n - 1] = G2Affine::identity();
    }
    (g1, g2)
}

/// A multi-pairing is the product of its pairings (each pair's lines go to its own point).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn multi_pairing_is_the_product_of_pairings() {
    let mut rng = ChaCha20Rng::from_seed([0x25; 32]);
    for n in [1, 2, 5, 9] {
        let (g1, g2) = pairs(&mut rng, n, n == 5);
        let product = g1
            .iter()
            .zip(&g2)
            .map(|(p, q)| Bls12_381::pairing(p, q).0)
            .product::<ark_bls12_381::Fq12>();
        assert_eq!(Bls12_381::multi_pairing(g1, g2).0, product, "{n} pairs");
    }
}

/// e(a P, b Q) = e(P, Q)^(ab) = e(ab P, Q), and e(P, Q) e(-P, Q) = 1, with the pairing the
/// platform's `Bls12_381` runs (this code on wasm32).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn pairing_is_bilinear() {
    let mut rng = ChaCha20Rng::from_seed([0x23; 32]);
    let (p, q) = (
        G1Projective::generator() * scalar(&mut rng),
        G2Projective::generator() * scalar(&mut rng),
    );
    let (a, b) = (scalar(&mut rng), scalar(&mut rng));
    let e = Bls12_381::pairing(p, q);
    assert!(!e.0.is_one());
    assert_eq!(
        Bls12_381::pairing(p * a, q * b),
        Bls12_381::pairing(p * (a * b), q)
    );
    assert_eq!(
        Bls12_381::pairing(p * a, q * b).0,
        e.0.pow((a * b).into_bigint())
    );
    assert!(Bls12_381::multi_pairing([p, -p], [q, q]).0.is_one());
}
