//! BLS12-381's multi-Miller loop with one accumulator for all pairs: what `Config` runs on wasm32
//! in place of ark-ec's generic `Bls12Config::multi_miller_loop`.
//!
//! ark-ec 0.5 splits the pairs into chunks of four so that its `parallel` feature can run the
//! chunks on several threads, gives each chunk its own accumulator and multiplies the chunks'
//! results. Without threads (the browser's worker has one) that squares one accumulator per
//! chunk at each of the loop's 63 steps: a batch of 151 pairs (a CometBFT commit of 150
//! signatures) squares 38 of them, where one suffices. The square distributes over the product
//! (the chunks' product squared is the product of their squares), so one accumulator over all
//! pairs gives the same element, and everything else here is ark's loop, operation for operation.

use super::Config;
use crate::{Fq12, G1Affine};
use ark_ec::bls12::{g2::EllCoeff, Bls12, Bls12Config, G1Prepared, G2Prepared};
use ark_ec::pairing::MillerLoopOutput;
use ark_ec::AffineRepr;
use ark_ff::{BitIteratorBE, CyclotomicMultSubgroup, Field, One};
use ark_std::vec::Vec;

/// The line `coeffs` evaluated at `p`, multiplied into `f` (ark's `Bls12::ell`, M-type twist).
#[inline(always)]
fn ell(f: &mut Fq12, coeffs: &EllCoeff<Config>, p: &G1Affine) {
    let (px, py) = p.xy().expect("pairs at infinity are left out");
    let (c0, mut c1, mut c2) = *coeffs;
    c2.mul_assign_by_fp(&py);
    c1.mul_assign_by_fp(&px);
    f.mul_by_014(&c0, &c1, &c2);
}

/// ark's `Bls12Config::multi_miller_loop` for BLS12-381, one accumulator for all pairs. Pairs with
/// a point at infinity are left out, as ark does; unequal numbers of G1 and G2 points panic, as
/// ark's `zip_eq` does.
pub fn multi_miller_loop(
    a: impl IntoIterator<Item = impl Into<G1Prepared<Config>>>,
    b: impl IntoIterator<Item = impl Into<G2Prepared<Config>>>,
) -> MillerLoopOutput<Bls12<Config>> {
    let (mut a, mut b) = (a.into_iter(), b.into_iter());
    let mut pairs = Vec::new();
    loop {
        match (a.next(), b.next()) {
            (Some(p), Some(q)) => {
                let (p, q): (G1Prepared<Config>, G2Prepared<Config>) = (p.into(), q.into());
                if !p.is_zero() && !q.is_zero() {
                    pairs.push((p.0, q.ell_coeffs.into_iter()));
                }
            },
            (None, None) => break,
            _ => panic!("multi_miller_loop: as many G1 as G2 points are needed"),
        }
    }
    let mut f = Fq12::one();
    for bit in BitIteratorBE::without_leading_zeros(Config::X).skip(1) {
        f.square_in_place();
        for (p, coeffs) in pairs.iter_mut() {
            ell(&mut f, &coeffs.next().expect("a line per doubling"), p);
        }
        if bit {
            for (p, coeffs) in pairs.iter_mut() {
                ell(&mut f, &coeffs.next().expect("a line per addition"), p);
            }
        }
    }
    if Config::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    MillerLoopOutput(f)
}
