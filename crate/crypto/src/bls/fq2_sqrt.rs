//! Square roots in Fq2 = Fq[u]/(u² + 1), for hash to G2's map and for decoding G2 points:
//! two base-field exponentiations and no inversion, where arkworks' generic Fq2 square root
//! takes three, a Legendre symbol and an inversion. BLS12-381's p is 3 mod 4, so one
//! exponentiation by (p - 3) / 4 gives both a square root (`a^((p+1)/4)`) and its inverse.
//! The same windowed exponentiation gives Fq's square roots, for decoding G1 points.

use ark_bls12_381::{Fq, Fq2};
use ark_ff::{BigInteger, Field, PrimeField, Zero};

/// (p - 3) / 4.
fn p_minus_3_div_4() -> <Fq as PrimeField>::BigInt {
    let mut e = Fq::MODULUS;
    e.sub_with_borrow(&3u64.into());
    e.div2();
    e.div2();
    e
}

/// `a^((p-3)/4)`, with a fixed 4-bit window: 379 squarings and at most 109 multiplications,
/// against 228 for arkworks' bit-by-bit `pow` (the exponent is public, so no constant time
/// is needed).
pub(super) fn pow_p_minus_3_div_4(a: Fq) -> Fq {
    let e = p_minus_3_div_4();
    let mut table = [Fq::ONE; 16];
    for i in 1..16 {
        table[i] = table[i - 1] * a;
    }
    let bits = e.num_bits() as usize;
    let nibble = |i: usize| (e.as_ref()[i / 16] >> (4 * (i % 16))) & 0xf;
    let mut result = Fq::ONE;
    for i in (0..bits.div_ceil(4)).rev() {
        for _ in 0..4 {
            result.square_in_place();
        }
        result *= table[nibble(i) as usize];
    }
    result
}

/// 1/2 in Fq: (p + 1) / 2.
fn half() -> Fq {
    let mut h = Fq::MODULUS;
    h.add_with_carry(&1u64.into());
    h.div2();
    Fq::from_bigint(h).expect("(p+1)/2 < p")
}

/// A square root of `a` in Fq, if it has one: `a^((p+1)/4)`, as arkworks' `Fq::sqrt` takes it,
/// through the windowed exponentiation (some 120 multiplications fewer than its `pow`).
pub(super) fn sqrt_fq(a: Fq) -> Option<Fq> {
    let root = a * pow_p_minus_3_div_4(a);
    (root.square() == a).then_some(root)
}

/// A square root of `a`, if it has one.
pub(super) fn sqrt(a: Fq2) -> Option<Fq2> {
    sqrt_with_norm_root(a, sqrt_fq(a.norm())?)
}

/// A square root of `a`, given `s`, a square root in Fq of its norm `a0² + a1²` (the norm is a
/// square exactly when `a` is). The complex method (Adj and Rodríguez-Henríquez, eprint
/// 2012/685, algorithm 8) with one exponentiation for both the root of `delta = (a0 ± s) / 2` and
/// its inverse: when `delta` is not a square, `c = delta^((p+1)/4)` is a root of `-delta`, which
/// gives the root of `a` with its coordinates swapped. None when `s` is not such a root.
pub(super) fn sqrt_with_norm_root(a: Fq2, s: Fq) -> Option<Fq2> {
    let half = half();
    let mut delta = (a.c0 + s) * half;
    if delta.is_zero() {
        // Only when a1 = 0 (the product of both choices is -a1²/4).
        delta = (a.c0 - s) * half;
        if delta.is_zero() {
            return a.is_zero().then_some(a);
        }
    }
    let w = pow_p_minus_3_div_4(delta);
    let c = delta * w;
    let a1_w_half = a.c1 * w * half;
    let root = if c.square() == delta { Fq2::new(c, a1_w_half) } else { Fq2::new(-a1_w_half, c) };
    (root.square() == a).then_some(root)
}

/// Seeded random elements for the tests of the map and the square root.
#[cfg(test)]
pub(super) fn random_fq2(rng: &mut impl rand::RngCore) -> Fq2 {
    let mut fq = || {
        let mut bytes = [0u8; 64];
        rng.fill_bytes(&mut bytes);
        Fq::from_le_bytes_mod_order(&bytes)
    };
    Fq2::new(fq(), fq())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::AdditiveGroup;
    use rand::SeedableRng;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_window_computes_the_power() {
        let e = p_minus_3_div_4();
        for a in [Fq::ZERO, Fq::ONE, -Fq::ONE, Fq::from(2u64), Fq::from(0xdead_beef_u64).square()] {
            assert_eq!(pow_p_minus_3_div_4(a), a.pow(e));
        }
    }

    #[test]
    fn fq_roots_agree_with_arkworks() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([12; 32]);
        let edges = [Fq::ZERO, Fq::ONE, -Fq::ONE, Fq::from(4u64), -Fq::from(4u64)];
        let random = (0..64).map(|_| random_fq2(&mut rng).c0);
        let (mut squares, mut non_squares) = (0, 0);
        for a in edges.into_iter().chain(random) {
            assert_eq!(sqrt_fq(a), a.sqrt(), "{a}");
            match sqrt_fq(a) {
                Some(_) => squares += 1,
                None => non_squares += 1,
            }
        }
        assert!(squares > 20 && non_squares > 20, "both kinds: {squares} and {non_squares}");
    }

    #[test]
    fn roots_of_squares_and_none_for_the_rest() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([11; 32]);
        let (mut squares, mut non_squares) = (0, 0);
        for _ in 0..64 {
            let a = random_fq2(&mut rng);
            match sqrt(a) {
                Some(root) => {
                    squares += 1;
                    assert_eq!(root.square(), a);
                }
                None => {
                    non_squares += 1;
                    assert!(a.legendre().is_qnr(), "{a} is a square");
                }
            }
            assert_eq!(sqrt(a.square()).map(|r| r.square()), Some(a.square()));
        }
        assert!(squares > 20 && non_squares > 20, "both kinds: {squares} and {non_squares}");
        // a1 = 0 and a0 = 0: the paths where one choice of delta is zero.
        for a in [Fq2::ZERO, Fq2::new(Fq::from(4u64), Fq::ZERO), Fq2::new(-Fq::from(4u64), Fq::ZERO), Fq2::new(Fq::from(3u64), Fq::ZERO), Fq2::new(Fq::ZERO, Fq::from(2u64))] {
            assert_eq!(sqrt(a).expect("every element of Fq is a square in Fq2").square(), a);
        }
    }
}
