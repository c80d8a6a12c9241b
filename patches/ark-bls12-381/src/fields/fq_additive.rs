//! Addition, subtraction, doubling and negation in BLS12-381's base field without branches, for
//! wasm32.
//!
//! ark's derived code decides each reduction with a branch: a comparison with p (or with the
//! other operand) and then a conditional add or subtract of p. On field elements those branches
//! go either way about half the time, and in the worker a mispredicted one costs more than the
//! arithmetic: ark's subtraction took 10-11 ns there against 3 ns natively. Here both chains of
//! carries always run and a mask picks the result. A verify does about 75,000 of these
//! operations (and 33,000 field products).
//!
//! All four are inlined: out of line (as ark's are) they were no faster than ark's, and inlined at
//! every call site of the curve code they cost the module 72 KB, gzipped.
//!
//! Same representation as ark (six little-endian 64-bit limbs, fully reduced below p); p < 2^381,
//! so a sum or a doubling of two elements never carries out of the top limb.

use crate::fq::FqConfig;
use ark_ff::fields::MontConfig;

/// p, ark's 64-bit limbs.
const P: [u64; 6] = <FqConfig as MontConfig<6>>::MODULUS.0;

/// a + b + carry, and the carry out (0 or 1).
#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let (s, c1) = a.overflowing_add(b);
    let (s, c2) = s.overflowing_add(carry);
    (s, (c1 | c2) as u64)
}

/// a - b - borrow, and the borrow out (0 or 1).
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let (d, b1) = a.overflowing_sub(b);
    let (d, b2) = d.overflowing_sub(borrow);
    (d, (b1 | b2) as u64)
}

/// r mod p for r below 2p: r - p unless that borrows. The choice is a mask, not an `if`, which
/// rustc compiles to a branch here (a sum of two elements is at or above p about half the time).
#[inline(always)]
fn subtract_p_if_above(r: [u64; 6]) -> [u64; 6] {
    let mut d = [0u64; 6];
    let mut borrow = 0;
    for k in 0..6 {
        (d[k], borrow) = sbb(r[k], P[k], borrow);
    }
    let keep = borrow.wrapping_neg();
    for k in 0..6 {
        d[k] ^= (d[k] ^ r[k]) & keep;
    }
    d
}

/// (a + b) mod p.
#[inline(always)]
pub fn add(a: &[u64; 6], b: &[u64; 6]) -> [u64; 6] {
    let mut s = [0u64; 6];
    let mut carry = 0;
    for k in 0..6 {
        (s[k], carry) = adc(a[k], b[k], carry);
    }
    subtract_p_if_above(s)
}

/// 2a mod p: a shift, then the same conditional subtraction.
#[inline(always)]
pub fn double(a: &[u64; 6]) -> [u64; 6] {
    let mut s = [0u64; 6];
    s[0] = a[0] << 1;
    for k in 1..6 {
        s[k] = a[k] << 1 | a[k - 1] >> 63;
    }
    subtract_p_if_above(s)
}

/// (a - b) mod p: a - b, plus p where that borrowed.
#[inline(always)]
pub fn sub(a: &[u64; 6], b: &[u64; 6]) -> [u64; 6] {
    let mut d = [0u64; 6];
    let mut borrow = 0;
    for k in 0..6 {
        (d[k], borrow) = sbb(a[k], b[k], borrow);
    }
    let add_p = borrow.wrapping_neg();
    let mut carry = 0;
    for k in 0..6 {
        (d[k], carry) = adc(d[k], P[k] & add_p, carry);
    }
    d
}

/// -a mod p: p - a, or 0 for 0.
#[inline(always)]
pub fn neg(a: &[u64; 6]) -> [u64; 6] {
    let nonzero = ((a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) != 0) as u64;
    let keep = nonzero.wrapping_neg();
    let mut d = [0u64; 6];
    let mut borrow = 0;
    for k in 0..6 {
        (d[k], borrow) = sbb(P[k], a[k], borrow);
        d[k] &= keep;
    }
    d
}
