//! Inversion in BLS12-381's base field by Bernstein and Yang's divsteps (eprint 2019/266, "safegcd"),
//! in variable time, thirty steps at a time on signed 30-bit limbs: libsecp256k1's
//! `secp256k1_modinv32_var` (src/modinv32_impl.h, whose comments and safegcd_implementation.md
//! give the proofs), here for a 381-bit modulus on 13 limbs.
//!
//! Why: ark's inversion (binary extended Euclid, one bit a step, each step a branch on six 64-bit
//! limbs) takes about 16 µs in the worker, and a signature verify inverts nine or ten times
//! (affine points, the final exponentiation and its compressed squares). Thirty divsteps depend
//! only on the low 30 bits of f and g: they are taken on two `u32`s, then applied to the whole
//! numbers at once with `i64` products, which wasm32 has.
//!
//! Variable time is fine here: every input is public (signatures, keys, messages).
//!
//! Inputs and outputs are ark's limbs in Montgomery form (x R mod p, R = 2^384): the divsteps
//! invert x R, and one Montgomery multiply by R^3 turns (x R)^-1 into x^-1 R.

use crate::fq::FqConfig;
use ark_ff::MontConfig;

const LIMBS: usize = 13;
const M30: i32 = (u32::MAX >> 2) as i32;
type Signed30 = [i32; LIMBS];

/// p in signed 30-bit limbs.
const MODULUS: Signed30 = to_signed30(&FqConfig::MODULUS.0);
/// p^-1 mod 2^30.
const MODULUS_INV30: u32 = {
    // Newton's iteration doubles the correct low bits: 1, 2, 4, ... 32.
    let p = FqConfig::MODULUS.0[0] as u32;
    let mut inv = 1u32;
    let mut i = 0;
    while i < 5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(p.wrapping_mul(inv)));
        i += 1;
    }
    inv & (M30 as u32)
};
/// R^3 mod p, R = 2^384 (R2 times R2, Montgomery-multiplied).
const R_CUBED: [u64; 6] = [
    0xed48ac6bd94ca1e0,
    0x315f831e03a7adf8,
    0x9a53352a615e29dd,
    0x34c04e5e921e1761,
    0x2512d43565724728,
    0x0aa6346091755d4d,
];
/// -(2i + 1)^-1 mod 256, for i < 128.
const NEG_INV256: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let odd = (2 * i + 1) as u8;
        let mut inv = odd; // correct mod 8; each step doubles the bits.
        let mut step = 0;
        while step < 3 {
            inv = inv.wrapping_mul(2u8.wrapping_sub(odd.wrapping_mul(inv)));
            step += 1;
        }
        table[i] = inv.wrapping_neg();
        i += 1;
    }
    table
};
/// More batches of 30 divsteps than any 381-bit input needs (the proven bound is under 900
/// divsteps, 30 batches); past it, [`inverse`] gives up.
const MAX_BATCHES: usize = 64;

/// The inverse of `a` (Montgomery form, below p); `None` for zero, and (never seen: the bound is
/// proven) if the divsteps did not end, in which case the caller asks ark's inversion.
pub fn inverse(a: &[u64; 6]) -> Option<[u64; 6]> {
    if a.iter().all(|&limb| limb == 0) {
        return None;
    }
    let d = inverse_mod_p(&to_signed30(a))?;
    Some(crate::fq_u30::mul(&from_signed30(&d), &R_CUBED))
}

/// x^-1 mod p, in [0, p), for x in (0, p); `None` if the batches ran out (not expected).
fn inverse_mod_p(x: &Signed30) -> Option<Signed30> {
    let (mut d, mut e, mut f, mut g) = ([0; LIMBS], [0; LIMBS], MODULUS, *x);
    e[0] = 1;
    let (mut len, mut eta) = (LIMBS, -1);
    for _ in 0..MAX_BATCHES {
        let (next_eta, t) = divsteps_30(eta, f[0] as u32, g[0] as u32);
        eta = next_eta;
        update_de(&mut d, &mut e, &t);
        update_fg(len, &mut f, &mut g, &t);
        if g[..len].iter().all(|&limb| limb == 0) {
            // f is ±1 and d x = f (mod p).
            return Some(normalize(d, f[len - 1] < 0));
        }
        // Both top limbs 0 or -1: drop them, their sign carried into the limb below.
        let (f_top, g_top) = (f[len - 1], g[len - 1]);
        if len > 1 && (f_top ^ (f_top >> 31)) == 0 && (g_top ^ (g_top >> 31)) == 0 {
            f[len - 2] |= ((f_top as u32) << 30) as i32;
            g[len - 2] |= ((g_top as u32) << 30) as i32;
            len -= 1;
        }
    }
    None
}

/// The 2x2 matrix of 30 divsteps: [f', g'] = [[u, v], [q, r]] [f, g] / 2^30.
struct Transition {
    u: i32,
    v: i32,
    q: i32,
    r: i32,
}

/// Thirty divsteps on the low bits of f (odd) and g, several at once where they only halve g.
fn divsteps_30(mut eta: i32, f0: u32, g0: u32) -> (i32, Transition) {
    let (mut u, mut v, mut q, mut r) = (1u32, 0u32, 0u32, 1u32);
    let (mut f, mut g) = (f0, g0);
    let mut left = 30;
    loop {
        // g's trailing zeros (at most `left`, a sentinel bit): that many divsteps halve g.
        let zeros = (g | (u32::MAX << left)).trailing_zeros();
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros as i32;
        left -= zeros;
        if left == 0 {
            break;
        }
        if eta < 0 {
            eta = -eta;
            (f, g) = (g, f.wrapping_neg());
            (u, q) = (q, u.wrapping_neg());
            (v, r) = (r, v.wrapping_neg());
        }
        // Cancel up to min(eta + 1, left, 8) low bits of g with a multiple of f.
        let limit = (eta + 1).min(left as i32) as u32;
        let mask = (u32::MAX >> (32 - limit)) & 255;
        let w = g.wrapping_mul(NEG_INV256[((f >> 1) & 127) as usize] as u32) & mask;
        g = g.wrapping_add(f.wrapping_mul(w));
        q = q.wrapping_add(u.wrapping_mul(w));
        r = r.wrapping_add(v.wrapping_mul(w));
    }
    (eta, Transition { u: u as i32, v: v as i32, q: q as i32, r: r as i32 })
}

/// [d, e] = t [d, e] / 2^30 (mod p), dividing exactly by adding the multiple of p that clears
/// the low 30 bits. Keeps d and e in (-2p, p).
fn update_de(d: &mut Signed30, e: &mut Signed30, t: &Transition) {
    let (u, v, q, r) = (t.u, t.v, t.q, t.r);
    let (sd, se) = (d[LIMBS - 1] >> 31, e[LIMBS - 1] >> 31);
    let mut md = (u & sd) + (v & se);
    let mut me = (q & sd) + (r & se);
    let mut cd = u as i64 * d[0] as i64 + v as i64 * e[0] as i64;
    let mut ce = q as i64 * d[0] as i64 + r as i64 * e[0] as i64;
    md -= (MODULUS_INV30.wrapping_mul(cd as u32).wrapping_add(md as u32) & M30 as u32) as i32;
    me -= (MODULUS_INV30.wrapping_mul(ce as u32).wrapping_add(me as u32) & M30 as u32) as i32;
    cd += MODULUS[0] as i64 * md as i64;
    ce += MODULUS[0] as i64 * me as i64;
    debug_assert!(cd & M30 as i64 == 0 && ce & M30 as i64 == 0);
    cd >>= 30;
    ce >>= 30;
    for i in 1..LIMBS {
        cd += u as i64 * d[i] as i64 + v as i64 * e[i] as i64 + MODULUS[i] as i64 * md as i64;
        ce += q as i64 * d[i] as i64 + r as i64 * e[i] as i64 + MODULUS[i] as i64 * me as i64;
        d[i - 1] = cd as i32 & M30;
        e[i - 1] = ce as i32 & M30;
        cd >>= 30;
        ce >>= 30;
    }
    d[LIMBS - 1] = cd as i32;
    e[LIMBS - 1] = ce as i32;
}

/// [f, g] = t [f, g] / 2^30 (exact), on their first `len` limbs.
fn update_fg(len: usize, f: &mut Signed30, g: &mut Signed30, t: &Transition) {
    let (u, v, q, r) = (t.u as i64, t.v as i64, t.q as i64, t.r as i64);
    let mut cf = u * f[0] as i64 + v * g[0] as i64;
    let mut cg = q * f[0] as i64 + r * g[0] as i64;
    debug_assert!(cf & M30 as i64 == 0 && cg & M30 as i64 == 0);
    cf >>= 30;
    cg >>= 30;
    for i in 1..len {
        cf += u * f[i] as i64 + v * g[i] as i64;
        cg += q * f[i] as i64 + r * g[i] as i64;
        f[i - 1] = cf as i32 & M30;
        g[i - 1] = cg as i32 & M30;
        cf >>= 30;
        cg >>= 30;
    }
    f[len - 1] = cf as i32;
    g[len - 1] = cg as i32;
}

/// `d` in (-2p, p), negated if `negate`, brought to [0, p) with every limb in [0, 2^30).
fn normalize(d: Signed30, negate: bool) -> Signed30 {
    // On i64 limbs (room for any carry here): carried, then p added or subtracted until in range.
    let mut value = d.map(|limb| limb as i64);
    if negate {
        value.iter_mut().for_each(|limb| *limb = -*limb);
    }
    let carry = |value: &mut [i64; LIMBS]| {
        for i in 0..LIMBS - 1 {
            value[i + 1] += value[i] >> 30;
            value[i] &= M30 as i64;
        }
    };
    let add_modulus = |value: &mut [i64; LIMBS], times: i64| {
        value.iter_mut().zip(MODULUS).for_each(|(limb, m)| *limb += times * m as i64);
    };
    carry(&mut value);
    // Now in (-2p, 2p), its sign the top limb's.
    while value[LIMBS - 1] < 0 {
        add_modulus(&mut value, 1);
        carry(&mut value);
    }
    while !is_below_modulus(&value) {
        add_modulus(&mut value, -1);
        carry(&mut value);
    }
    value.map(|limb| limb as i32)
}

fn is_below_modulus(value: &[i64; LIMBS]) -> bool {
    for i in (0..LIMBS).rev() {
        if value[i] != MODULUS[i] as i64 {
            return value[i] < MODULUS[i] as i64;
        }
    }
    false
}

/// Six 64-bit limbs (a value below 2^381) as 13 limbs of 30 bits.
const fn to_signed30(a: &[u64; 6]) -> Signed30 {
    let mut out = [0i32; LIMBS];
    let mut i = 0;
    while i < LIMBS {
        let (word, shift) = ((30 * i) / 64, (30 * i) % 64);
        let mut bits = a[word] >> shift;
        if shift > 34 && word + 1 < 6 {
            bits |= a[word + 1] << (64 - shift);
        }
        out[i] = (bits & M30 as u64) as i32;
        i += 1;
    }
    out
}

/// 13 limbs in [0, 2^30) as six 64-bit limbs.
fn from_signed30(a: &Signed30) -> [u64; 6] {
    let mut out = [0u64; 6];
    for (i, &limb) in a.iter().enumerate() {
        let (word, shift) = ((30 * i) / 64, (30 * i) % 64);
        out[word] |= (limb as u64) << shift;
        if shift > 34 && word + 1 < 6 {
            out[word + 1] |= (limb as u64) >> (64 - shift);
        }
    }
    out
}
