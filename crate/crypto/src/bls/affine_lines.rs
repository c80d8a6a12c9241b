//! A multi-Miller loop whose lines come from G2 points in affine coordinates, all pairs' steps at
//! once with one shared inversion: what a batch of many signatures runs (a CometBFT commit's 151
//! pairs).
//!
//! arkworks prepares each G2 point on its own, in homogeneous projective coordinates (no
//! inversion): a doubling step and its line take four Fq2 multiplies, six squares and four base
//! field multiplies, and all 68 lines of a point are kept (19 KB a point). In affine coordinates a
//! step takes one inversion, which Montgomery's trick shares across every pair at that step for
//! three multiplies a pair: a doubling is then six multiplies and two squares, the line comes out
//! with its G2 coefficient equal to one (no multiply by the G1 point's y), and only the current
//! points are kept. One inversion a step (about 17 µs in the worker) against about 1.5 µs saved
//! a pair: it pays from a dozen pairs or so, and `pairings_are_one` takes it from
//! [`AFFINE_FROM`]. A batch of 150 distinct messages went from 300 to 285 ms in the worker
//! (BENCHMARKS.md).
//!
//! A line here is arkworks' line for the same step times a nonzero element of Fq2. The final
//! exponentiation raises to (p^12 - 1) / r, a multiple of p^2 - 1, which sends every element of
//! Fq2 to one, so the pairing's value is the same (tests compare the two after it).

use ark_bls12_381::{Bls12_381, Config, Fq, Fq12, Fq2, G1Affine, G2Affine};
use ark_ec::bls12::Bls12Config;
use ark_ec::pairing::MillerLoopOutput;
use ark_ec::AffineRepr;
use ark_ff::{batch_inversion, AdditiveGroup, BitIteratorBE, CyclotomicMultSubgroup, Field, One, Zero};

/// Pairs from which [`multi_miller_loop`] is used: a step's inversion costs about as much as a
/// dozen pairs' savings, and this leaves a margin.
pub(super) const AFFINE_FROM: usize = 24;

/// A G2 point in affine coordinates on its way through the loop, beside the pair's fixed points.
struct Pair {
    px: Fq,
    py: Fq,
    q: (Fq2, Fq2),
    t: (Fq2, Fq2),
}

/// The product of the Miller loops of `pairs` (as `Bls12_381::multi_miller_loop`, up to a factor
/// in Fq2). Pairs with a point at infinity are left out. `None` if a step would divide by zero,
/// which only a G2 point outside the prime-order subgroup can cause (T = ±Q or a point of
/// order two): the caller then takes arkworks' loop.
pub(super) fn multi_miller_loop(g1: &[G1Affine], g2: &[G2Affine]) -> Option<MillerLoopOutput<Bls12_381>> {
    debug_assert_eq!(g1.len(), g2.len(), "as many G1 as G2 points");
    let mut pairs: Vec<Pair> = g1
        .iter()
        .zip(g2)
        .filter_map(|(p, q)| {
            let ((px, py), (qx, qy)) = (p.xy()?, q.xy()?);
            Some(Pair { px, py, q: (qx, qy), t: (qx, qy) })
        })
        .collect();
    let mut inverses = vec![Fq2::ZERO; pairs.len()];
    let mut f = Fq12::one();
    for bit in BitIteratorBE::without_leading_zeros(Config::X).skip(1) {
        f.square_in_place();
        // Doubling: the tangent at T, slope 3 x^2 / 2 y.
        for (d, pair) in inverses.iter_mut().zip(&pairs) {
            *d = pair.t.1.double();
        }
        invert_all(&mut inverses)?;
        for (pair, d) in pairs.iter_mut().zip(&inverses) {
            let x = pair.t.0;
            let x2 = x.square();
            step(&mut f, pair, (x2.double() + x2) * d, x);
        }
        if bit {
            // Addition: the line through T and Q, slope (y_T - y_Q) / (x_T - x_Q).
            for (d, pair) in inverses.iter_mut().zip(&pairs) {
                *d = pair.t.0 - pair.q.0;
            }
            invert_all(&mut inverses)?;
            for (pair, d) in pairs.iter_mut().zip(&inverses) {
                let (qx, qy) = pair.q;
                step(&mut f, pair, (pair.t.1 - qy) * d, qx);
            }
        }
    }
    if Config::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    Some(MillerLoopOutput(f))
}

/// One step of the loop for a pair: the line through T and S of slope `slope` into `f`, and T
/// moved to T + S (the line's third point on the curve, reflected), `other_x` being S's x (S = T
/// for a doubling, Q for an addition): x3 = slope^2 - x_T - x_S, y3 = slope (x_T - x3) - y_T.
#[inline(always)]
fn step(f: &mut Fq12, pair: &mut Pair, slope: Fq2, other_x: Fq2) {
    line(f, pair, slope);
    let (x, y) = pair.t;
    let x3 = slope.square() - x - other_x;
    pair.t = (x3, slope * (x - x3) - y);
}

/// The line through T of slope `slope`, evaluated at the pair's G1 point and multiplied into `f`:
/// arkworks' sparse form for BLS12-381's M-type twist, (c0, c1 x_P, c2 y_P), with
/// (c0, c1, c2) = (slope x_T - y_T, -slope, 1). Out of line: inlined in both steps it made the
/// module 2.7 KB larger for no speed.
#[inline(never)]
fn line(f: &mut Fq12, pair: &Pair, slope: Fq2) {
    let (x, y) = pair.t;
    let mut c1 = -slope;
    c1.mul_assign_by_fp(&pair.px);
    f.mul_by_014(&(slope * x - y), &c1, &Fq2::new(pair.py, Fq::ZERO));
}

/// Inverts every element in place with one inversion; `None` if one of them is zero.
fn invert_all(elements: &mut [Fq2]) -> Option<()> {
    if elements.iter().any(Zero::is_zero) {
        return None;
    }
    batch_inversion(elements);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::{G1Projective, G2Projective};
    use ark_ec::pairing::Pairing;
    use ark_ec::{CurveGroup, PrimeGroup};
    use crate::bls::fq2_sqrt::random_fq2;
    use ark_bls12_381::Fr;
    use ark_ff::PrimeField;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn scalar(rng: &mut ChaCha20Rng) -> Fr {
        let mut bytes = [0u8; 64];
        rng.fill_bytes(&mut bytes);
        Fr::from_le_bytes_mod_order(&bytes)
    }

    /// Random multiples of the generators.
    fn random_pairs(n: usize, rng: &mut ChaCha20Rng) -> (Vec<G1Affine>, Vec<G2Affine>) {
        let g1 = (0..n).map(|_| (G1Projective::generator() * scalar(rng)).into_affine()).collect();
        let g2 = (0..n).map(|_| (G2Projective::generator() * scalar(rng)).into_affine()).collect();
        (g1, g2)
    }

    fn arkworks(g1: &[G1Affine], g2: &[G2Affine]) -> <Bls12_381 as Pairing>::TargetField {
        Bls12_381::final_exponentiation(Bls12_381::multi_miller_loop(g1.to_vec(), g2.to_vec())).unwrap().0
    }

    fn affine(g1: &[G1Affine], g2: &[G2Affine]) -> <Bls12_381 as Pairing>::TargetField {
        Bls12_381::final_exponentiation(multi_miller_loop(g1, g2).expect("points of the subgroup")).unwrap().0
    }

    #[test]
    fn the_same_pairing_as_arkworks() {
        let mut rng = ChaCha20Rng::from_seed([0x25; 32]);
        for n in [0, 1, 2, 3, 30] {
            let (g1, g2) = random_pairs(n, &mut rng);
            assert_eq!(affine(&g1, &g2), arkworks(&g1, &g2), "{n} pairs");
        }
    }

    #[test]
    fn points_at_infinity_are_left_out_and_products_that_are_one_stay_one() {
        let mut rng = ChaCha20Rng::from_seed([0x26; 32]);
        let (mut g1, mut g2) = random_pairs(4, &mut rng);
        g1[1] = G1Affine::zero();
        g2[2] = G2Affine::zero();
        assert_eq!(affine(&g1, &g2), arkworks(&g1, &g2));
        // e(a G1, G2) e(-G1, a G2) = 1.
        let a = scalar(&mut rng);
        let g1 = [(G1Projective::generator() * a).into_affine(), -G1Affine::generator()];
        let g2 = [G2Affine::generator(), (G2Projective::generator() * a).into_affine()];
        assert!(affine(&g1, &g2).is_one());
        assert!(!affine(&g1[..1], &g2[..1]).is_one());
    }

    /// G2 points on the curve but outside the subgroup (SWU's images before cofactor clearing):
    /// the lines are still arkworks' up to factors in Fq2, so the value after the final
    /// exponentiation is the same wherever no step divides by zero.
    #[test]
    fn points_outside_the_subgroup_give_arkworks_value() {
        let mut rng = ChaCha20Rng::from_seed([0x27; 32]);
        let (g1, _) = random_pairs(6, &mut rng);
        let mut g2 = Vec::new();
        for _ in 0..3 {
            let u = [random_fq2(&mut rng), random_fq2(&mut rng)];
            g2.extend(crate::bls::map_to_g2_pair(u).expect("maps").map(|q| q.into_affine()));
        }
        assert!(g2.iter().all(|q| !q.is_in_correct_subgroup_assuming_on_curve()));
        assert_eq!(affine(&g1, &g2), arkworks(&g1, &g2));
    }

    #[test]
    fn a_zero_denominator_is_refused() {
        let mut elements = [Fq2::ONE, Fq2::ZERO, Fq2::ONE];
        assert!(invert_all(&mut elements).is_none());
        let mut elements = [Fq2::ONE.double(), Fq2::new(Fq::ONE, Fq::ONE)];
        invert_all(&mut elements).expect("invertible");
        assert_eq!(elements[0] * Fq2::ONE.double(), Fq2::ONE);
        assert_eq!(elements[1] * Fq2::new(Fq::ONE, Fq::ONE), Fq2::ONE);
    }
}
