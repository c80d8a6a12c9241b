//! Products of 13-limb numbers (30-bit limbs) by Karatsuba: the limb products under `fq_u30`'s
//! Montgomery multiply, square and Fq2 multiply.
//!
//! Karatsuba trades limb products (`i64.mul`s) for additions. A product splits each operand in a
//! low and a high half and forms three half-size products, lo lo, hi hi and
//! (lo - hi)(lo' - hi'), instead of four: three levels of this (13 = 7 + 6, 7 = 4 + 3,
//! 4 = 2 + 2) take 93 limb products where the schoolbook takes 169; a square takes one level of
//! symmetric squares, 77 products for 91.
//!
//! Why wrapping arithmetic is exact: every column is computed in `i64` modulo 2^64, where the
//! differences are signed and intermediate columns may wrap. Arithmetic modulo 2^64 is a ring,
//! so each result column is congruent to the schoolbook column, the sum of the a_i b_j with
//! i + j = k. For operands with limbs below 2^30 that column is a non-negative sum of at most
//! 13 products, below 13 * 2^60 < 2^64, so the residue read as a `u64` is the column itself.

/// `M` consecutive limbs of `x` from `at`.
#[inline(always)]
fn part<const N: usize, const M: usize>(x: &[i64; N], at: usize) -> [i64; M] {
    core::array::from_fn(|i| x[at + i])
}

/// lo - hi limb by limb, the shorter `hi` read as padded with zeros.
#[inline(always)]
fn difference<const L: usize, const H: usize>(lo: &[i64; L], hi: &[i64; H]) -> [i64; L] {
    core::array::from_fn(|i| if i < H { lo[i].wrapping_sub(hi[i]) } else { lo[i] })
}

/// The columns of x y for x = lo + hi 2^(30 S) (y alike) from those of l = lo lo',
/// h = hi hi' and d = (lo - hi)(lo' - hi'): l + (l + h - d) 2^(30 S) + h 2^(60 S).
#[inline(always)]
fn combine<const S: usize, const LC: usize, const HC: usize, const NC: usize>(l: &[i64; LC], h: &[i64; HC], d: &[i64; LC]) -> [i64; NC] {
    let mut c = [0i64; NC];
    for k in 0..LC {
        c[k] = c[k].wrapping_add(l[k]);
        c[S + k] = c[S + k].wrapping_add(l[k].wrapping_sub(d[k]));
    }
    for k in 0..HC {
        c[S + k] = c[S + k].wrapping_add(h[k]);
        c[2 * S + k] = c[2 * S + k].wrapping_add(h[k]);
    }
    c
}

/// x y, every limb by every limb: N^2 products into 2N - 1 columns.
#[inline(always)]
fn schoolbook<const N: usize, const NC: usize>(x: &[i64; N], y: &[i64; N]) -> [i64; NC] {
    let mut c = [0i64; NC];
    for i in 0..N {
        for j in 0..N {
            c[i + j] = c[i + j].wrapping_add(x[i].wrapping_mul(y[j]));
        }
    }
    c
}

/// x^2, each cross product once and doubled: N (N + 1) / 2 products.
#[inline(always)]
fn schoolbook_square<const N: usize, const NC: usize>(x: &[i64; N]) -> [i64; NC] {
    let mut cross = [0i64; NC];
    for i in 0..N {
        for j in (i + 1)..N {
            cross[i + j] = cross[i + j].wrapping_add(x[i].wrapping_mul(x[j]));
        }
    }
    core::array::from_fn(|k| {
        let doubled = cross[k].wrapping_shl(1);
        if k % 2 == 0 {
            doubled.wrapping_add(x[k / 2].wrapping_mul(x[k / 2]))
        } else {
            doubled
        }
    })
}

/// x y by one level of Karatsuba: splits x and y at `S` limbs, multiplies the low halves and
/// their differences with `lo`, the high halves with `hi`, and combines the three.
#[inline(always)]
fn karatsuba<const N: usize, const S: usize, const H: usize, const LC: usize, const HC: usize, const NC: usize>(
    x: &[i64; N],
    y: &[i64; N],
    lo: impl Fn(&[i64; S], &[i64; S]) -> [i64; LC],
    hi: impl Fn(&[i64; H], &[i64; H]) -> [i64; HC],
) -> [i64; NC] {
    let (xl, xh, yl, yh) = (part::<N, S>(x, 0), part::<N, H>(x, S), part::<N, S>(y, 0), part::<N, H>(y, S));
    let l = lo(&xl, &yl);
    let h = hi(&xh, &yh);
    let d = lo(&difference(&xl, &xh), &difference(&yl, &yh));
    combine::<S, LC, HC, NC>(&l, &h, &d)
}

/// 12 products.
#[inline(always)]
fn product_4(x: &[i64; 4], y: &[i64; 4]) -> [i64; 7] {
    karatsuba::<4, 2, 2, 3, 3, 7>(x, y, schoolbook::<2, 3>, schoolbook::<2, 3>)
}

/// 27 products.
#[inline(always)]
fn product_6(x: &[i64; 6], y: &[i64; 6]) -> [i64; 11] {
    karatsuba::<6, 3, 3, 5, 5, 11>(x, y, schoolbook::<3, 5>, schoolbook::<3, 5>)
}

/// 33 products.
#[inline(always)]
fn product_7(x: &[i64; 7], y: &[i64; 7]) -> [i64; 13] {
    karatsuba::<7, 4, 3, 7, 5, 13>(x, y, product_4, schoolbook::<3, 5>)
}

/// The limbs as `i64`s (inlined: out of line, the copy went through memory in the worker).
#[inline(always)]
fn signed(a: &[u64; 13]) -> [i64; 13] {
    a.map(|x| x as i64)
}

/// The columns of a b (93 limb products), for limbs below 2^30.
#[inline(always)]
pub(crate) fn product(a: &[u64; 13], b: &[u64; 13]) -> [u64; 26] {
    let c: [i64; 26] = karatsuba::<13, 7, 6, 13, 11, 26>(&signed(a), &signed(b), product_7, product_6);
    c.map(|x| x as u64)
}

/// The columns of a^2 (77 limb products), for limbs below 2^30: l + (l + h - d) 2^210 + h 2^420
/// with l = lo^2, h = hi^2 and d = (lo - hi)^2, lo the low 7 limbs and hi the high 6.
#[inline(always)]
pub(crate) fn square(a: &[u64; 13]) -> [u64; 26] {
    let a = signed(a);
    let (lo, hi): ([i64; 7], [i64; 6]) = (part(&a, 0), part(&a, 7));
    let l = schoolbook_square::<7, 13>(&lo);
    let h = schoolbook_square::<6, 11>(&hi);
    let d = schoolbook_square::<7, 13>(&difference(&lo, &hi));
    combine::<7, 13, 11, 26>(&l, &h, &d).map(|x: i64| x as u64)
}
