//! The node's multi-Miller loop, for any number of pairs (a verify's two, a commit's 151): each G2
//! point stepped in homogeneous projective coordinates with arkworks' formulas, its lines used as
//! they come, and two pairs' lines multiplied together before they meet the accumulator.
//!
//! What it saves over arkworks' loop (`Bls12_381::multi_miller_loop`), which prepares each G2
//! point first (`G2Prepared`):
//! - the preparation's inversion of two (one Fq inversion a point, about 17 µs in the worker) and
//!   its two halvings a doubling (base-field multiplies by 1/2): the doubling here computes T's
//!   coordinates times four, which is the same projective point;
//! - the twist's b' = 4(1 + u) multiplied by additions, not as a general Fq2 element;
//! - the 68 lines a point kept in memory (19 KB a point, 2.9 MB for a commit) and read back;
//! - ark-ec's chunks of four pairs, each with its own accumulator squared at every step (they exist
//!   for its `parallel` feature; the worker has one thread);
//! - two lines (sparse: three of Fq12's six coefficients) multiplied into the accumulator one by
//!   one cost 26 Fq2 multiplies; their product takes 6 and has five coefficients, and multiplying
//!   that in takes 17: 23.
//!
//! In the worker a verify's loop went from 1.70 to 1.55 ms, and from 24 pairs it is as fast as the
//! loop over affine points with one shared inversion a step that batches ran before, which it
//! replaces (BENCHMARKS.md, "One Miller loop, lines in pairs").
//!
//! The lines are arkworks' for the same steps times powers of four (T's coordinates are scaled),
//! elements of Fq that the final exponentiation sends to one: tests compare the pairings after it.

use ark_bls12_381::{Bls12_381, Config, Fq, Fq12, Fq12Config, Fq2, Fq6, Fq6Config, G1Affine, G2Affine};
use ark_ec::bls12::Bls12Config;
use ark_ec::pairing::MillerLoopOutput;
use ark_ec::AffineRepr;
use ark_ff::{AdditiveGroup, BitIteratorBE, CyclotomicMultSubgroup, Field, Fp12Config, Fp6Config, One};

/// A line evaluated at its pair's G1 point: its coefficients of 1, v and vw in Fq12 (arkworks'
/// `mul_by_014` form for BLS12-381's M-type twist).
#[derive(Clone, Copy)]
struct Line {
    c0: Fq2,
    c1: Fq2,
    c4: Fq2,
}

/// A pair's fixed points and its G2 point on its way through the loop, T = (x : y : z).
struct Pair {
    px: Fq,
    py: Fq,
    q: (Fq2, Fq2),
    t: (Fq2, Fq2, Fq2),
}

impl Pair {
    /// The tangent at T, and T doubled: arkworks' `double_in_place` (homogeneous projective, for
    /// b' = 4(1 + u)) with the result times four, so that nothing is halved.
    fn double(&mut self) -> Line {
        let (x, y, z) = self.t;
        let xy = x * y;
        let b = y.square();
        let c = z.square();
        let e = times_twist_b(c.double() + c);
        let f = e.double() + e;
        let h = (y + z).square() - (b + c);
        let j = x.square();
        let e_square = e.square();
        let three_e_square = e_square.double() + e_square;
        self.t = ((xy * (b - f)).double(), (b + f).square() - three_e_square.double().double(), (b * h).double().double());
        self.evaluate(e - b, j.double() + j, -h)
    }

    /// The line through T and Q, and T moved to T + Q: arkworks' `add_in_place`.
    fn add(&mut self) -> Line {
        let (x, y, z) = self.t;
        let (qx, qy) = self.q;
        let theta = y - qy * z;
        let lambda = x - qx * z;
        let c = theta.square();
        let d = lambda.square();
        let e = lambda * d;
        let f = z * c;
        let g = x * d;
        let h = e + f - g.double();
        self.t = (lambda * h, theta * (g - h) - e * y, z * e);
        self.evaluate(theta * qx - lambda * qy, -theta, lambda)
    }

    /// The line with coefficients (c0, c1, c4) evaluated at the G1 point: (c0, c1 x_P, c4 y_P).
    fn evaluate(&self, c0: Fq2, mut c1: Fq2, mut c4: Fq2) -> Line {
        c1.mul_assign_by_fp(&self.px);
        c4.mul_assign_by_fp(&self.py);
        Line { c0, c1, c4 }
    }
}

/// `value` times the twist's b' = 4(1 + u): (c0 - c1, c0 + c1) times four, since u^2 = -1.
fn times_twist_b(value: Fq2) -> Fq2 {
    Fq2::new(value.c0 - value.c1, value.c0 + value.c1).double().double()
}

/// The product of the Miller loops of the pairs (g1_i, g2_i) (as `Bls12_381::multi_miller_loop`,
/// up to a factor in Fq). Pairs with a point at infinity are left out, as arkworks leaves them.
pub(super) fn multi_miller_loop(g1: &[G1Affine], g2: &[G2Affine]) -> MillerLoopOutput<Bls12_381> {
    debug_assert_eq!(g1.len(), g2.len(), "as many G1 as G2 points");
    let mut pairs: Vec<Pair> = g1
        .iter()
        .zip(g2)
        .filter_map(|(p, q)| {
            let ((px, py), (qx, qy)) = (p.xy()?, q.xy()?);
            Some(Pair { px, py, q: (qx, qy), t: (qx, qy, Fq2::ONE) })
        })
        .collect();
    // f is one until the first lines: not squared, and their product taken as it is.
    let mut f = Fq12::one();
    let mut f_is_one = true;
    for bit in BitIteratorBE::without_leading_zeros(Config::X).skip(1) {
        if !f_is_one {
            f.square_in_place();
        }
        multiply_lines(&mut f, f_is_one, pairs.iter_mut().map(Pair::double));
        f_is_one &= pairs.is_empty();
        if bit {
            multiply_lines(&mut f, false, pairs.iter_mut().map(Pair::add));
        }
    }
    if Config::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    MillerLoopOutput(f)
}

/// Multiplies `lines` into `f`, two at a time (their product first), the odd one out alone. If
/// `f_is_one`, the first product (or line) replaces it.
fn multiply_lines(f: &mut Fq12, mut f_is_one: bool, mut lines: impl Iterator<Item = Line>) {
    while let Some(l) = lines.next() {
        match (lines.next(), f_is_one) {
            (Some(m), true) => *f = line_product(&l, &m),
            (Some(m), false) => mul_by_line_product(f, &line_product(&l, &m)),
            (None, true) => *f = l.as_fq12(),
            (None, false) => f.mul_by_014(&l.c0, &l.c1, &l.c4),
        }
        f_is_one = false;
    }
}

impl Line {
    /// The line as the element of Fq12 it stands for, c0 + c1·v + c4·vw.
    fn as_fq12(&self) -> Fq12 {
        Fq12::new(Fq6::new(self.c0, self.c1, Fq2::ZERO), Fq6::new(Fq2::ZERO, self.c4, Fq2::ZERO))
    }
}

/// The product of two lines in six Fq2 multiplies (Karatsuba on their three coefficients). With
/// w^2 = v and v^3 = ξ, vw · vw = ξ: the product has no coefficient of w.
fn line_product(l: &Line, m: &Line) -> Fq12 {
    let (t0, t1, t4) = (l.c0 * m.c0, l.c1 * m.c1, l.c4 * m.c4);
    let c01 = (l.c0 + l.c1) * (m.c0 + m.c1) - t0 - t1;
    let c04 = (l.c0 + l.c4) * (m.c0 + m.c4) - t0 - t4;
    let c14 = (l.c1 + l.c4) * (m.c1 + m.c4) - t1 - t4;
    Fq12::new(Fq6::new(t0 + Fq6Config::mul_fp2_by_nonresidue(t4), c01, t1), Fq6::new(Fq2::ZERO, c04, c14))
}

/// `f` times `s`, an element whose coefficient of w is zero (a product of two lines): Karatsuba
/// over Fq6 as arkworks multiplies, with s's second half (0, s4, s5) multiplied sparsely.
fn mul_by_line_product(f: &mut Fq12, s: &Fq12) {
    let v0 = f.c0 * s.c0;
    let v1 = mul_by_12(&f.c1, &s.c1.c1, &s.c1.c2);
    let mut c1 = (f.c0 + f.c1) * (s.c0 + s.c1);
    c1 -= v0 + v1;
    let mut c0 = v1;
    Fq12Config::mul_fp6_by_nonresidue_in_place(&mut c0);
    f.c0 = c0 + v0;
    f.c1 = c1;
}

/// `a` times (0, b1, b2) in Fq6 = Fq2[v] / (v^3 - ξ), in five Fq2 multiplies.
fn mul_by_12(a: &Fq6, b1: &Fq2, b2: &Fq2) -> Fq6 {
    let t1 = a.c1 * b1;
    let t2 = a.c2 * b2;
    let cross = (a.c1 + a.c2) * (*b1 + b2) - t1 - t2;
    Fq6::new(Fq6Config::mul_fp2_by_nonresidue(cross), a.c0 * b1 + Fq6Config::mul_fp2_by_nonresidue(t2), a.c0 * b2 + t1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::fq2_sqrt::random_fq2;
    use ark_bls12_381::{g2, Fr, G1Projective, G2Projective};
    use ark_ec::pairing::Pairing;
    use ark_ec::short_weierstrass::SWCurveConfig;
    use ark_ec::{CurveGroup, PrimeGroup};
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

    fn random_pairs(n: usize, rng: &mut ChaCha20Rng) -> (Vec<G1Affine>, Vec<G2Affine>) {
        let g1 = (0..n).map(|_| (G1Projective::generator() * scalar(rng)).into_affine()).collect();
        let g2 = (0..n).map(|_| (G2Projective::generator() * scalar(rng)).into_affine()).collect();
        (g1, g2)
    }

    fn random_fq6(rng: &mut ChaCha20Rng) -> Fq6 {
        Fq6::new(random_fq2(rng), random_fq2(rng), random_fq2(rng))
    }

    fn arkworks(g1: &[G1Affine], g2: &[G2Affine]) -> Option<Fq12> {
        Bls12_381::final_exponentiation(Bls12_381::multi_miller_loop(g1.to_vec(), g2.to_vec())).map(|out| out.0)
    }

    fn ours(g1: &[G1Affine], g2: &[G2Affine]) -> Option<Fq12> {
        Bls12_381::final_exponentiation(multi_miller_loop(g1, g2)).map(|out| out.0)
    }

    #[test]
    fn the_same_pairing_as_arkworks() {
        let mut rng = ChaCha20Rng::from_seed([0x31; 32]);
        for n in [0, 1, 2, 3, 4, 7, 30] {
            let (g1, g2) = random_pairs(n, &mut rng);
            assert_eq!(ours(&g1, &g2), arkworks(&g1, &g2), "{n} pairs");
        }
    }

    #[test]
    fn points_at_infinity_are_left_out_and_products_that_are_one_stay_one() {
        let mut rng = ChaCha20Rng::from_seed([0x32; 32]);
        let (mut g1, mut g2) = random_pairs(5, &mut rng);
        g1[1] = G1Affine::zero();
        g2[3] = G2Affine::zero();
        assert_eq!(ours(&g1, &g2), arkworks(&g1, &g2));
        // e(a G1, G2) e(-G1, a G2) = 1, as a verify asks it.
        let a = scalar(&mut rng);
        let g1 = [(G1Projective::generator() * a).into_affine(), -G1Affine::generator()];
        let g2 = [G2Affine::generator(), (G2Projective::generator() * a).into_affine()];
        assert!(ours(&g1, &g2).expect("nonzero").is_one());
        assert!(!ours(&g1[..1], &g2[..1]).expect("nonzero").is_one());
    }

    /// G2 points on the curve but outside the subgroup (SWU's images before cofactor clearing):
    /// the formulas are arkworks', so the value after the final exponentiation is too.
    #[test]
    fn points_outside_the_subgroup_give_arkworks_value() {
        let mut rng = ChaCha20Rng::from_seed([0x33; 32]);
        let (g1, _) = random_pairs(4, &mut rng);
        let mut g2 = Vec::new();
        for _ in 0..2 {
            let u = [random_fq2(&mut rng), random_fq2(&mut rng)];
            g2.extend(crate::bls::map_to_g2_pair(u).expect("maps").map(|q| q.into_affine()));
        }
        assert!(g2.iter().all(|q| !q.is_in_correct_subgroup_assuming_on_curve()));
        assert_eq!(ours(&g1, &g2), arkworks(&g1, &g2));
    }

    #[test]
    fn the_twist_b_by_additions_and_the_sparse_products_are_plain_products() {
        assert_eq!(g2::Config::COEFF_B, Fq2::new(Fq::from(4u64), Fq::from(4u64)), "the twist's b' is 4(1 + u)");
        let mut rng = ChaCha20Rng::from_seed([0x34; 32]);
        for _ in 0..20 {
            let value = random_fq2(&mut rng);
            assert_eq!(times_twist_b(value), g2::Config::COEFF_B * value);
            let [l, m] = [(); 2].map(|_| Line { c0: random_fq2(&mut rng), c1: random_fq2(&mut rng), c4: random_fq2(&mut rng) });
            let product = line_product(&l, &m);
            assert_eq!(product, l.as_fq12() * m.as_fq12());
            let f = Fq12::new(random_fq6(&mut rng), random_fq6(&mut rng));
            let mut by_product = f;
            mul_by_line_product(&mut by_product, &product);
            assert_eq!(by_product, f * product);
            let (a, b1, b2) = (random_fq6(&mut rng), random_fq2(&mut rng), random_fq2(&mut rng));
            assert_eq!(mul_by_12(&a, &b1, &b2), a * Fq6::new(Fq2::ZERO, b1, b2));
        }
    }
}
