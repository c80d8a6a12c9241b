//! Montgomery multiplication in BLS12-381's base field with 30-bit limbs, for targets without a
//! 64x64->128-bit multiply.
//!
//! wasm32 multiplies 64-bit integers but has no instruction for the high half of their product,
//! so ark's 64-bit-limb Montgomery code pays for every `u128` product with several multiplies and
//! a chain of carries. Here an element is split into 13 limbs of 30 bits held in `u64`s: a limb
//! product is below 2^60, so 13 of them (a whole column of a schoolbook product) sum in a `u64`
//! without overflow and carries are propagated once per column instead of once per product
//! (separated operand scanning; the layout of the ZPrize 2022 wasm MSM entries). The limb
//! products are Karatsuba's ([`super::limb_product`]): 93 for a multiply and 77 for a square,
//! where the schoolbook takes 169 and 91.
//!
//! In the worker a multiply is bound less by its arithmetic than by the chains of dependent
//! carries in it, which no other work hides (the code is too long for the processor to look
//! ahead to the next multiply). The reduction's thirteen steps are one such chain and cannot be
//! shortened; the carries before it can: a product is carried once, every limb at once
//! ([`carry_once`]), and the reduction, on signed limbs, takes the rest in its stride. Where two
//! reductions are independent (Fq2's multiply) they run step by step in turn ([`reduce_pair`]).
//!
//! The entry points are left to the compiler to inline or not: the multiply is about 2,000
//! wasm instructions (straight-line, 272 of them `i64.mul`), called from hundreds of places in
//! ark's curve code. [`fp2_mul`] is Fq2's multiply (through patches/ark-ff's hook): out of line,
//! where ark's two inlined sums of products made the module 27 KB larger, gzipped.
//!
//! Inputs and outputs are ark's own representation: six little-endian 64-bit limbs in Montgomery
//! form with R = 2^384, fully reduced (below p). The Montgomery reduction divides by 2^384 too:
//! twelve 30-bit steps and a last 24-bit one, so nothing has to be converted in or out of
//! Montgomery form; only the limbs are re-cut (a few shifts per limb).
//!
//! Bounds, with every limb of the operands below 2^30: a product column is at most 13 (2^30-1)^2
//! < 2^63.71, a `u64`; after [`carry_once`] every limb is below [`CARRIED_LIMB_BOUND`], and the
//! sums and differences of such limbs that the entry points form stay inside
//! [`REDUCE_INPUT_BOUND`], under which the reduction's `i64` limbs cannot overflow (compile-time
//! assertions, all three). The reduced value is below
//! (n p^2 + 2^384 p) / 2^384 for a value below n p^2, under 2p while n <= 9 (p < 2^381): one
//! conditional subtraction gives the canonical result. [`sum_of_products`] reduces every
//! [`MAX_LAZY_TERMS`] terms to stay inside that bound.

use crate::fq::FqConfig;
use crate::fq_additive;
use super::limb_product::{self, product};
use ark_ff::fields::MontConfig;

const MASK: u64 = (1 << 30) - 1;

/// p, ark's 64-bit limbs.
const P64: [u64; 6] = <FqConfig as MontConfig<6>>::MODULUS.0;

/// p in 30-bit limbs.
const P30: [u64; 13] = to_limbs(&P64);

/// p^2 in normalised 30-bit limbs: added to a difference of products to keep it non-negative.
const P_SQUARED: Wide = p_squared();

const fn p_squared() -> Wide {
    let mut t: Wide = [0; 26];
    let mut i = 0;
    while i < 13 {
        let mut j = 0;
        while j < 13 {
            t[i + j] += P30[i] * P30[j];
            j += 1;
        }
        i += 1;
    }
    let mut k = 0;
    while k < 25 {
        t[k + 1] += t[k] >> 30;
        t[k] &= MASK;
        k += 1;
    }
    t
}

/// -p^-1 mod 2^30 (ark's INV is -p^-1 mod 2^64).
const MU: u64 = <FqConfig as MontConfig<6>>::INV & MASK;

/// Products summed before one reduction in [`sum_of_products`]: keeps the reduced value below 2p.
pub const MAX_LAZY_TERMS: usize = 8;

/// A double-width value in 26 limbs of (nominally) 30 bits, each limb a `u64` with room for
/// unpropagated carries.
type Wide = [u64; 26];

/// ark's six 64-bit limbs (a value below 2^384) as 13 limbs of 30 bits (the last has 24).
#[inline(always)]
const fn to_limbs(a: &[u64; 6]) -> [u64; 13] {
    [
        a[0] & MASK,
        (a[0] >> 30) & MASK,
        (a[0] >> 60 | a[1] << 4) & MASK,
        (a[1] >> 26) & MASK,
        (a[1] >> 56 | a[2] << 8) & MASK,
        (a[2] >> 22) & MASK,
        (a[2] >> 52 | a[3] << 12) & MASK,
        (a[3] >> 18) & MASK,
        (a[3] >> 48 | a[4] << 16) & MASK,
        (a[4] >> 14) & MASK,
        (a[4] >> 44 | a[5] << 20) & MASK,
        (a[5] >> 10) & MASK,
        a[5] >> 40,
    ]
}

/// `t[12..26]`, normalised 30-bit limbs whose value has its low 24 bits clear, shifted right by
/// 24 bits (so the whole of `t` divided by 2^384) into six 64-bit limbs. The value must be below
/// 2^384.
#[inline(always)]
fn from_limbs_div_2_384(t: &Wide) -> [u64; 6] {
    let u = &t[12..];
    [
        u[0] >> 24 | u[1] << 6 | u[2] << 36,
        u[2] >> 28 | u[3] << 2 | u[4] << 32 | u[5] << 62,
        u[5] >> 2 | u[6] << 28 | u[7] << 58,
        u[7] >> 6 | u[8] << 24 | u[9] << 54,
        u[9] >> 10 | u[10] << 20 | u[11] << 50,
        u[11] >> 14 | u[12] << 16 | u[13] << 46,
    ]
}

/// One carry pass, every limb at once: each limb keeps its low 30 bits and takes the carry of the
/// one below, so limbs end below 2^30 + 2^34 with no chain of dependent carries (a full
/// normalisation is a 25-step chain the reduction would wait on). That is all [`reduce`] needs.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(26)]
fn carry_once(t: &Wide) -> Signed {
    let mut u: Signed = [0; 26];
    u[0] = (t[0] & MASK) as i64;
    for k in 1..25 {
        u[k] = ((t[k] & MASK) + (t[k - 1] >> 30)) as i64;
    }
    u[25] = (t[25] + (t[24] >> 30)) as i64;
    u
}

/// [`carry_once`]'s limbs are below this: 2^30 and a carry below 2^64 / 2^30.
const CARRIED_LIMB_BOUND: i64 = (1 << 30) + (1 << 34);

/// A double-width value in 26 signed limbs of (nominally) 30 bits: differences of products, and
/// the reduction's working value.
type Signed = [i64; 26];

/// Σ P30: a limb gains at most (2^30 - 1) Σ P30 < 2^62.76 from the reduction's products.
const P30_SUM: u64 = {
    let mut sum = 0;
    let mut j = 0;
    while j < 13 {
        sum += P30[j];
        j += 1;
    }
    sum
};

/// Inputs of [`reduce`] have limbs below this in magnitude. With the reduction's products and
/// carries (below 2^34) a limb stays inside an `i64`: checked here, at compile time.
const REDUCE_INPUT_BOUND: i64 = 1 << 40;
const _: () = assert!((REDUCE_INPUT_BOUND as u64) + (1 << 34) + MASK * P30_SUM < 1 << 63);
// What reaches the reduction: a sum of up to MAX_LAZY_TERMS carried products (`sum_of_products`),
// and differences of three carried products plus p^2's limbs (`fp2_mul`).
const _: () = assert!(MAX_LAZY_TERMS as i64 * CARRIED_LIMB_BOUND < REDUCE_INPUT_BOUND);
const _: () = assert!(3 * CARRIED_LIMB_BOUND + (1 << 30) < REDUCE_INPUT_BOUND);

/// Step `i` of the Montgomery reduction: adds m p 2^(30 i), m chosen to clear limb i (the last
/// step clears 24 bits: 12 * 30 + 24 = 384), and carries limb i into limb i + 1. Arithmetic
/// shifts carry negative limbs too; the multiply reads the limb modulo 2^30, which two's
/// complement keeps.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn reduce_step(t: &mut Signed, i: usize) {
    let bits = if i < 12 { MASK } else { (1 << 24) - 1 };
    let m = ((t[i] as u64).wrapping_mul(MU) & bits) as i64;
    for j in 0..13 {
        t[i + j] += m * P30[j] as i64;
    }
    if i < 12 {
        t[i + 1] += t[i] >> 30;
    }
}

/// After the last step: normalises limbs 12 to 25 and returns the value divided by 2^384,
/// canonical.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn reduced(t: &mut Signed) -> [u64; 6] {
    for k in 12..25 {
        t[k + 1] += t[k] >> 30;
        t[k] &= MASK as i64;
    }
    debug_assert_eq!(t[12] & ((1 << 24) - 1), 0);
    subtract_p_if_above(from_limbs_div_2_384(&t.map(|x| x as u64)))
}

/// Montgomery reduction, t / 2^384 mod p, canonical, of a non-negative value below 9 p^2 whose
/// limbs are below [`REDUCE_INPUT_BOUND`] in magnitude.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn reduce(t: &mut Signed) -> [u64; 6] {
    for i in 0..13 {
        reduce_step(t, i);
    }
    reduced(t)
}

/// Two reductions step by step in turn: each step waits on the one before through a multiply,
/// a multiply and a carry, and interleaved the two chains overlap.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn reduce_pair(t: &mut Signed, u: &mut Signed) -> [[u64; 6]; 2] {
    for i in 0..13 {
        reduce_step(t, i);
        reduce_step(u, i);
    }
    [reduced(t), reduced(u)]
}

/// r mod p for r below 2p. Unlike `fq_additive`'s, this one branches: a Montgomery reduction's
/// result is below (1 + p/2^384) p, so it is at or above p only now and then and the branch is
/// predicted, where a select would cost every time (tried: the multiply 4% slower).
#[inline(always)]
fn subtract_p_if_above(r: [u64; 6]) -> [u64; 6] {
    let mut d = [0u64; 6];
    let mut borrow = false;
    for k in 0..6 {
        let (x, b1) = r[k].overflowing_sub(P64[k]);
        let (x, b2) = x.overflowing_sub(borrow as u64);
        d[k] = x;
        borrow = b1 | b2;
    }
    if borrow {
        r
    } else {
        d
    }
}

/// a b / 2^384 mod p: the Montgomery product of two elements in ark's representation.
pub fn mul(a: &[u64; 6], b: &[u64; 6]) -> [u64; 6] {
    reduce(&mut carry_once(&product(&to_limbs(a), &to_limbs(b))))
}

/// a^2 / 2^384 mod p.
pub fn square(a: &[u64; 6]) -> [u64; 6] {
    reduce(&mut carry_once(&limb_product::square(&to_limbs(a))))
}

/// Σ a_i b_i / 2^384 mod p, with one reduction per [`MAX_LAZY_TERMS`] terms.
pub fn sum_of_products<'a>(pairs: impl IntoIterator<Item = (&'a [u64; 6], &'a [u64; 6])>) -> [u64; 6] {
    let mut sum: Option<[u64; 6]> = None;
    let mut t: Signed = [0; 26];
    let mut terms = 0;
    for (a, b) in pairs {
        if terms == MAX_LAZY_TERMS {
            sum = Some(add_reduced(sum, reduce(&mut t)));
            t = [0; 26];
            terms = 0;
        }
        let p = carry_once(&product(&to_limbs(a), &to_limbs(b)));
        for k in 0..26 {
            t[k] += p[k];
        }
        terms += 1;
    }
    add_reduced(sum, reduce(&mut t))
}

/// (a0 + a1 u)(b0 + b1 u) in Fq2 = Fq[u] / (u^2 + 1), Karatsuba with lazy reduction: three
/// limb products and two reductions (ark's formula, two sums of two products, takes four and two):
/// c0 = a0 b0 - a1 b1 (plus p^2, to stay non-negative), c1 = (a0 + a1)(b0 + b1) - a0 b0 - a1 b1.
/// Both are below 2 p^2 before their reduction.
pub fn fp2_mul(a: [&[u64; 6]; 2], b: [&[u64; 6]; 2]) -> [[u64; 6]; 2] {
    let (a0, a1, b0, b1) = (to_limbs(a[0]), to_limbs(a[1]), to_limbs(b[0]), to_limbs(b[1]));
    let v0 = carry_once(&product(&a0, &b0));
    let v1 = carry_once(&product(&a1, &b1));
    let v2 = carry_once(&product(&limb_sum(&a0, &a1), &limb_sum(&b0, &b1)));
    let mut c0: Signed = core::array::from_fn(|k| v0[k] + P_SQUARED[k] as i64 - v1[k]);
    let mut c1: Signed = core::array::from_fn(|k| v2[k] - v0[k] - v1[k]);
    reduce_pair(&mut c0, &mut c1)
}

/// a + b for a, b below p, in normalised limbs (the sum is below 2p < 2^382: 13 limbs).
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn limb_sum(a: &[u64; 13], b: &[u64; 13]) -> [u64; 13] {
    let mut s = [0u64; 13];
    let mut carry = 0;
    for k in 0..13 {
        let x = a[k] + b[k] + carry;
        s[k] = x & MASK;
        carry = x >> 30;
    }
    s[12] += carry << 30;
    s
}

/// (a + b) mod p for a, b below p (a absent: b).
#[inline(always)]
fn add_reduced(a: Option<[u64; 6]>, b: [u64; 6]) -> [u64; 6] {
    match a {
        Some(a) => fq_additive::add(&a, &b),
        None => b,
    }
}
