//! BLS12-381's final exponentiation, f^((p^12 - 1) / r): arkworks' chain (eprint 2020/875: the
//! easy part, then five exponentiations by the curve's x), with each exponentiation by x on
//! compressed squares.
//!
//! Why our own: the five exponentiations by x are most of the work, 63 squarings and 5
//! multiplications each. arkworks' `cyclotomic_exp` walks x's NAF, which here is one digit longer
//! than x (a 64th squaring) and starts by multiplying one by f (a whole Fq12 multiply). Ours runs
//! the long stretches of zeros in x (16, 32 and 9 bits) on Karabina's compressed squares
//! (eprint 2010/542): an element of the cyclotomic subgroup is known from four of its six Fq2
//! coefficients, and squaring those four takes four Fq2 multiplies where Granger-Scott's squaring
//! takes six. The three powers are then decompressed together (one shared inversion) and the rest
//! of x is squared as before.

use ark_bls12_381::{Config, Fq12, Fq2, Fq6, Fq6Config};
use ark_ec::bls12::Bls12Config;
use ark_ff::{batch_inversion, AdditiveGroup, CyclotomicMultSubgroup, Field, Fp6Config, One, Zero};

/// The set bits of |x| (x = -0xd201000000010000), lowest first; a test holds them to
/// `Config::X`. The first `COMPRESSED_BITS` are reached on compressed squares.
const X_BITS: [u32; 6] = [16, 48, 57, 60, 62, 63];
const COMPRESSED_BITS: usize = 3;

/// f^((p^12 - 1) / r) for a Miller loop's output `f`; `None` if `f` is zero (arkworks' answer too).
pub(super) fn final_exponentiation(f: Fq12) -> Option<Fq12> {
    // The easy part: r = f^((p^6 - 1)(p^2 + 1)), in the cyclotomic subgroup from here on.
    let mut r = f.inverse()?;
    let mut f1 = f;
    f1.cyclotomic_inverse_in_place();
    r *= f1;
    let f2 = r;
    r.frobenius_map_in_place(2);
    r *= f2;
    // The hard part, as arkworks (and gnark before it) write it.
    let y0 = r.cyclotomic_square();
    let mut y2 = r;
    y2.cyclotomic_inverse_in_place();
    let mut y1 = exp_by_x(&r) * y2;
    y2 = exp_by_x(&y1);
    y1.cyclotomic_inverse_in_place();
    y1 *= y2;
    y2 = exp_by_x(&y1);
    y1.frobenius_map_in_place(1);
    y1 *= y2;
    r *= y0;
    let y0 = exp_by_x(&y1);
    let y2 = exp_by_x(&y0);
    let mut y0 = y1;
    y0.frobenius_map_in_place(2);
    y1.cyclotomic_inverse_in_place();
    y1 *= y2;
    y1 *= y0;
    r *= y1;
    Some(r)
}

/// f^x for `f` in the cyclotomic subgroup.
fn exp_by_x(f: &Fq12) -> Fq12 {
    let mut kept = [Compressed::of(f); COMPRESSED_BITS];
    square_to_bits(Compressed::of(f), 0, &X_BITS[..COMPRESSED_BITS], &mut kept, Compressed::square_in_place);
    let mut powers = [Fq12::one(); X_BITS.len()];
    match Compressed::decompress_all(&kept) {
        Some(decompressed) => powers[..COMPRESSED_BITS].copy_from_slice(&decompressed),
        // A coefficient the decompression divides by is zero: square those powers in full.
        None => return exp_by_x_uncompressed(f),
    }
    let (done, rest) = powers.split_at_mut(COMPRESSED_BITS);
    square_to_bits(done[COMPRESSED_BITS - 1], X_BITS[COMPRESSED_BITS - 1], &X_BITS[COMPRESSED_BITS..], rest, cyclotomic_square);
    with_x_sign(product(&powers))
}

/// f^x by Granger-Scott squares alone: the way out when decompression cannot divide.
fn exp_by_x_uncompressed(f: &Fq12) -> Fq12 {
    let mut powers = [Fq12::one(); X_BITS.len()];
    square_to_bits(*f, 0, &X_BITS, &mut powers, cyclotomic_square);
    with_x_sign(product(&powers))
}

/// Squares `value`, already squared `squared` times, up to each of `bits` in turn, and writes
/// each of those powers into `out`.
fn square_to_bits<T: Copy>(mut value: T, mut squared: u32, bits: &[u32], out: &mut [T], square: impl Fn(&mut T)) {
    for (slot, &bit) in out.iter_mut().zip(bits) {
        for _ in squared..bit {
            square(&mut value);
        }
        squared = bit;
        *slot = value;
    }
}

fn cyclotomic_square(f: &mut Fq12) {
    f.cyclotomic_square_in_place();
}

fn product(powers: &[Fq12]) -> Fq12 {
    powers[1..].iter().fold(powers[0], |acc, p| acc * p)
}

/// x is negative: f^x is the inverse (the conjugate, in the cyclotomic subgroup) of f^|x|.
fn with_x_sign(mut f: Fq12) -> Fq12 {
    if Config::X_IS_NEGATIVE {
        f.cyclotomic_inverse_in_place();
    }
    f
}

/// An element of the cyclotomic subgroup by four of its coefficients, in Granger and Scott's
/// numbering as arkworks' `cyclotomic_square_in_place` names them: g2 = c1.c0, g3 = c0.c2,
/// g4 = c0.c1, g5 = c1.c2 (g0 = c0.c0 and g1 = c1.c1 follow from them).
#[derive(Clone, Copy)]
struct Compressed {
    g2: Fq2,
    g3: Fq2,
    g4: Fq2,
    g5: Fq2,
}

impl Compressed {
    fn of(f: &Fq12) -> Self {
        Compressed { g2: f.c1.c0, g3: f.c0.c2, g4: f.c0.c1, g5: f.c1.c2 }
    }

    /// The square's four coefficients: Granger-Scott's formulas for them, which read only these
    /// four (two squares in Fq4 = Fq2[y] / (y^2 - ξ)).
    fn square_in_place(&mut self) {
        let (t2, t3) = fq4_square(self.g2, self.g3);
        let (t4, t5) = fq4_square(self.g4, self.g5);
        let xi_t5 = Fq6Config::mul_fp2_by_nonresidue(t5);
        // z2 = 3ξ·t5 + 2·g2, z3 = 3·t4 - 2·g3, z4 = 3·t2 - 2·g4, z5 = 3·t3 + 2·g5
        self.g2 = (xi_t5 + self.g2).double() + xi_t5;
        self.g3 = (t4 - self.g3).double() + t4;
        self.g4 = (t2 - self.g4).double() + t2;
        self.g5 = (t3 + self.g5).double() + t3;
    }

    /// The elements back, with one inversion for all (Karabina, eprint 2010/542, §3.2):
    /// g1 = (ξ·g5² + 3·g4² - 2·g3) / (4·g2) and g0 = ξ·(2·g1² + g2·g5 - 3·g3·g4) + 1. `None` if
    /// some g2 is zero.
    fn decompress_all<const N: usize>(compressed: &[Compressed; N]) -> Option<[Fq12; N]> {
        if compressed.iter().any(|c| c.g2.is_zero()) {
            return None;
        }
        let mut denominators = compressed.map(|c| c.g2.double().double());
        batch_inversion(&mut denominators);
        let mut out = [Fq12::one(); N];
        for ((f, c), inverse) in out.iter_mut().zip(compressed).zip(denominators) {
            let g4_square = c.g4.square();
            let g1 = (Fq6Config::mul_fp2_by_nonresidue(c.g5.square()) + g4_square.double() + g4_square - c.g3.double()) * inverse;
            let g3_g4 = c.g3 * c.g4;
            let g0 = Fq6Config::mul_fp2_by_nonresidue(g1.square().double() + c.g2 * c.g5 - g3_g4.double() - g3_g4) + Fq2::one();
            *f = Fq12::new(Fq6::new(g0, c.g4, c.g3), Fq6::new(c.g2, g1, c.g5));
        }
        Some(out)
    }
}

/// (a + b·y)² in Fq2[y] / (y² - ξ): (a² + ξ·b², 2ab), with two Fq2 multiplies.
fn fq4_square(a: Fq2, b: Fq2) -> (Fq2, Fq2) {
    let ab = a * b;
    let sum = (a + b) * (Fq6Config::mul_fp2_by_nonresidue(b) + a) - ab - Fq6Config::mul_fp2_by_nonresidue(ab);
    (sum, ab.double())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::fq2_sqrt::random_fq2;
    use ark_bls12_381::Bls12_381;
    use ark_ec::pairing::{MillerLoopOutput, Pairing};
    use rand_chacha::rand_core::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn random_fq12(rng: &mut ChaCha20Rng) -> Fq12 {
        let mut fq6 = || Fq6::new(random_fq2(rng), random_fq2(rng), random_fq2(rng));
        Fq12::new(fq6(), fq6())
    }

    /// f^((p^6 - 1)(p^2 + 1)): an element of the cyclotomic subgroup.
    fn cyclotomic(f: Fq12) -> Fq12 {
        let mut conjugate = f;
        conjugate.cyclotomic_inverse_in_place();
        let r = conjugate * f.inverse().expect("nonzero");
        let mut frobenius = r;
        frobenius.frobenius_map_in_place(2);
        frobenius * r
    }

    #[test]
    fn x_bits_are_x() {
        assert_eq!(Config::X.len(), 1);
        assert_eq!(X_BITS.iter().map(|bit| 1u64 << bit).sum::<u64>(), Config::X[0]);
        assert!(X_BITS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_same_as_arkworks() {
        let mut rng = ChaCha20Rng::from_seed([0x41; 32]);
        for _ in 0..8 {
            let f = random_fq12(&mut rng);
            let arkworks = Bls12_381::final_exponentiation(MillerLoopOutput(f)).map(|out| out.0);
            assert_eq!(final_exponentiation(f), arkworks);
        }
        assert_eq!(final_exponentiation(Fq12::zero()), None);
        assert_eq!(final_exponentiation(Fq12::one()), Some(Fq12::one()));
    }

    #[test]
    fn compressed_squares_and_decompression_are_squares() {
        let mut rng = ChaCha20Rng::from_seed([0x42; 32]);
        for _ in 0..8 {
            let f = cyclotomic(random_fq12(&mut rng));
            let (mut full, mut compressed) = (f, Compressed::of(&f));
            for _ in 0..5 {
                full.cyclotomic_square_in_place();
                compressed.square_in_place();
            }
            assert_eq!(full, f.pow([32u64]));
            assert_eq!(Compressed::decompress_all(&[compressed, Compressed::of(&f)]), Some([full, f]));
        }
    }

    #[test]
    fn exp_by_x_both_ways_is_arkworks() {
        let mut rng = ChaCha20Rng::from_seed([0x43; 32]);
        for _ in 0..4 {
            let f = cyclotomic(random_fq12(&mut rng));
            let mut arkworks = f.cyclotomic_exp(Config::X);
            arkworks.cyclotomic_inverse_in_place();
            assert_eq!(exp_by_x(&f), arkworks);
            assert_eq!(exp_by_x_uncompressed(&f), arkworks);
        }
        // One's compressed form is zero: the way out, which gives one.
        assert_eq!(exp_by_x(&Fq12::one()), Fq12::one());
    }
}
