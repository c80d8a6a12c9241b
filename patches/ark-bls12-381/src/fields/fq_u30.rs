//! Montgomery multiplication in BLS12-381's base field with 30-bit limbs, for targets without a
//! 64x64->128-bit multiply.
//!
//! wasm32 multiplies 64-bit integers but has no instruction for the high half of their product,
//! so ark's 64-bit-limb Montgomery code pays for every `u128` product with several multiplies and
//! a chain of carries. Here an element is split into 13 limbs of 30 bits held in `u64`s: a limb
//! product is below 2^60, so 13 of them (a whole column of a schoolbook product) sum in a `u64`
//! without overflow and carries are propagated once per column instead of once per product
//! (separated operand scanning; the layout of the ZPrize 2022 wasm MSM entries).
//!
//! The entry points are left to the compiler to inline or not: the multiply is about 2,000
//! wasm instructions (straight-line, 351 of them `i64.mul`), called from hundreds of places in
//! ark's curve code. [`fp2_mul`] is Fq2's multiply (through patches/ark-ff's hook): out of line,
//! where ark's two inlined sums of products made the module 27 KB larger, gzipped.
//!
//! Inputs and outputs are ark's own representation: six little-endian 64-bit limbs in Montgomery
//! form with R = 2^384, fully reduced (below p). The Montgomery reduction divides by 2^384 too:
//! twelve 30-bit steps and a last 24-bit one, so nothing has to be converted in or out of
//! Montgomery form; only the limbs are re-cut (a few shifts per limb).
//!
//! Bounds, with every limb of the operands below 2^30: a product column is at most 13 (2^30-1)^2
//! < 2^63.71; after normalisation (every limb below 2^30) the reduction adds at most 13 products
//! and one carry below 2^34 to a limb, so no `u64` overflows. The reduced value is below
//! (n p^2 + 2^384 p) / 2^384 for a sum of n products, under 2p while n <= 9 (p < 2^381): one
//! conditional subtraction gives the canonical result. [`sum_of_products`] reduces every
//! [`MAX_LAZY_TERMS`] terms to stay inside that bound.

use crate::fq::FqConfig;
use crate::fq_additive;
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

/// t += a b, column by column, without carries.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn add_product(t: &mut Wide, a: &[u64; 13], b: &[u64; 13]) {
    for i in 0..13 {
        for j in 0..13 {
            t[i + j] += a[i] * b[j];
        }
    }
}

/// t += a^2: each cross product once, doubled, then the squares (91 limb products, not 169).
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn add_square(t: &mut Wide, a: &[u64; 13]) {
    let mut cross: Wide = [0; 26];
    for i in 0..13 {
        for j in (i + 1)..13 {
            cross[i + j] += a[i] * a[j];
        }
    }
    for k in 0..13 {
        t[2 * k] += (cross[2 * k] << 1) + a[k] * a[k];
        t[2 * k + 1] += cross[2 * k + 1] << 1;
    }
}

/// Propagates carries so every limb of `t` but the last is below 2^30 (the value is unchanged).
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(25)]
fn normalize(t: &mut Wide) {
    for k in 0..25 {
        t[k + 1] += t[k] >> 30;
        t[k] &= MASK;
    }
}

/// Montgomery reduction of a normalised `t` (value below 9 p^2): t / 2^384 mod p, canonical.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(13)]
fn reduce(t: &mut Wide) -> [u64; 6] {
    // Twelve steps of 30 bits: add m p 2^(30 i) with m chosen to clear limb i, carry it upwards.
    for i in 0..12 {
        let m = t[i].wrapping_mul(MU) & MASK;
        for j in 0..13 {
            t[i + j] += m * P30[j];
        }
        t[i + 1] += t[i] >> 30;
    }
    // A last step of 24 bits: 12 * 30 + 24 = 384.
    let m = t[12].wrapping_mul(MU) & ((1 << 24) - 1);
    for j in 0..13 {
        t[12 + j] += m * P30[j];
    }
    for k in 12..25 {
        t[k + 1] += t[k] >> 30;
        t[k] &= MASK;
    }
    debug_assert_eq!(t[12] & ((1 << 24) - 1), 0);
    subtract_p_if_above(from_limbs_div_2_384(t))
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
    let mut t: Wide = [0; 26];
    add_product(&mut t, &to_limbs(a), &to_limbs(b));
    normalize(&mut t);
    reduce(&mut t)
}

/// a^2 / 2^384 mod p.
pub fn square(a: &[u64; 6]) -> [u64; 6] {
    let mut t: Wide = [0; 26];
    add_square(&mut t, &to_limbs(a));
    normalize(&mut t);
    reduce(&mut t)
}

/// Σ a_i b_i / 2^384 mod p, with one reduction per [`MAX_LAZY_TERMS`] terms (Fq2 multiplication
/// is two sums of two products).
pub fn sum_of_products<'a>(pairs: impl IntoIterator<Item = (&'a [u64; 6], &'a [u64; 6])>) -> [u64; 6] {
    let mut sum: Option<[u64; 6]> = None;
    let mut t: Wide = [0; 26];
    let mut terms = 0;
    for (a, b) in pairs {
        if terms == MAX_LAZY_TERMS {
            sum = Some(add_reduced(sum, reduce(&mut t)));
            t = [0; 26];
            terms = 0;
        }
        add_product(&mut t, &to_limbs(a), &to_limbs(b));
        normalize(&mut t);
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
    let mut v0: Wide = [0; 26];
    add_product(&mut v0, &a0, &b0);
    normalize(&mut v0);
    let mut v1: Wide = [0; 26];
    add_product(&mut v1, &a1, &b1);
    normalize(&mut v1);
    let mut v2: Wide = [0; 26];
    add_product(&mut v2, &limb_sum(&a0, &a1), &limb_sum(&b0, &b1));
    normalize(&mut v2);
    let mut c0 = combine(|k| v0[k] as i64 + P_SQUARED[k] as i64 - v1[k] as i64);
    let mut c1 = combine(|k| v2[k] as i64 - v0[k] as i64 - v1[k] as i64);
    [reduce(&mut c0), reduce(&mut c1)]
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

/// The normalised limbs of Σ_k limb(k) 2^(30 k), whose limbs are differences of normalised limbs
/// (each between -2^31 and 2^31) and whose value is non-negative.
#[inline(always)]
#[ark_ff::ark_ff_macros::unroll_for_loops(26)]
fn combine(limb: impl Fn(usize) -> i64) -> Wide {
    let mut t: Wide = [0; 26];
    let mut carry = 0i64;
    for k in 0..26 {
        let x = limb(k) + carry;
        t[k] = (x & MASK as i64) as u64;
        carry = x >> 30;
    }
    t[25] += (carry << 30) as u64;
    t
}

/// (a + b) mod p for a, b below p (a absent: b).
#[inline(always)]
fn add_reduced(a: Option<[u64; 6]>, b: [u64; 6]) -> [u64; 6] {
    match a {
        Some(a) => fq_additive::add(&a, &b),
        None => b,
    }
}
