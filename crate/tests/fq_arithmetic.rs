//! BLS12-381's base field on 30-bit limbs (patches/ark-bls12-381, `fq_u30`, what `Fq` multiplies
//! and `Fq2` multiplies with on wasm32) and its branchless additive operations (`fq_additive`,
//! what `Fq` adds, subtracts, doubles and negates with on wasm32) and its inversion by divsteps
//! (`fq_inverse`, what `Fq` inverts with on wasm32) against ark's own 64-bit-limb
//! code (`FqConfig64`, the derived config upstream ships), natively and in headless Chromium.
//!
//! Both work on the same representation (six 64-bit limbs, Montgomery form, R = 2^384), so every
//! result must be the same limbs. Operands: edge cases (0, 1, R, p-1, powers of two up to 2^380,
//! values whose 64-bit or 30-bit limbs are all saturated) paired with each other, and seeded random
//! elements, half of them uniform and half built from saturated, zero and random limbs, where
//! carries and the final subtraction are most likely to go wrong.

use ark_bls12_381::fq::FqConfig64;
use ark_bls12_381::{fq_additive, fq_inverse, fq_u30, Fq, Fq2};
use ark_ff::{AdditiveGroup, BigInt, Field, Fp384, MontBackend, MontConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// ark's derived 64-bit-limb arithmetic on the same modulus: the reference.
type Fq64 = Fp384<MontBackend<FqConfig64, 6>>;
type Limbs = [u64; 6];

const P: Limbs = <FqConfig64 as MontConfig<6>>::MODULUS.0;
const RANDOM_PAIRS: usize = 20_000;

fn reference(a: &Limbs) -> Fq64 {
    Fq64::new_unchecked(BigInt(*a))
}

fn production(a: &Limbs) -> Fq {
    Fq::new_unchecked(BigInt(*a))
}

fn below_p(a: &Limbs) -> bool {
    BigInt(*a) < BigInt(P)
}

/// p - k for small k.
fn p_minus(k: u64) -> Limbs {
    let mut r = P;
    let (low, borrow) = r[0].overflowing_sub(k);
    r[0] = low;
    assert!(!borrow);
    r
}

/// 2^bits - 1.
fn ones(bits: usize) -> Limbs {
    let mut r = [0u64; 6];
    for (i, limb) in r.iter_mut().enumerate() {
        let low = i * 64;
        if bits >= low + 64 {
            *limb = u64::MAX;
        } else if bits > low {
            *limb = (1 << (bits - low)) - 1;
        }
    }
    r
}

fn edge_cases() -> Vec<Limbs> {
    let r_mod_p = <FqConfig64 as MontConfig<6>>::R.0;
    let mut cases = vec![[0; 6], [1, 0, 0, 0, 0, 0], r_mod_p, p_minus(1), p_minus(2)];
    // Every 64-bit limb saturated below a top limb just under p's.
    cases.push([u64::MAX, u64::MAX, u64::MAX, u64::MAX, u64::MAX, P[5] - 1]);
    // Every 30-bit limb saturated: 2^(30k) - 1 for k = 1..12, and the top 30-bit limb just under p's.
    for k in 1..=12 {
        cases.push(ones(30 * k));
    }
    let top30 = P[5] >> 40;
    let mut saturated30 = ones(360);
    saturated30[5] |= (top30 - 1) << 40;
    cases.push(saturated30);
    // Powers of two and their predecessors up to 2^380 (the top of p's range; p > 2^380).
    for bits in [1, 29, 30, 31, 59, 60, 63, 64, 65, 128, 192, 256, 320, 359, 360, 361, 370, 379, 380] {
        let mut power = [0u64; 6];
        power[bits / 64] = 1 << (bits % 64);
        cases.push(power);
        cases.push(ones(bits));
    }
    assert!(cases.iter().all(below_p), "every edge case is a field element");
    cases
}

/// A field element: uniform, or made of saturated, zero and random 64-bit limbs, or of saturated
/// 30-bit runs, its top limb brought below p's.
fn element(rng: &mut ChaCha20Rng) -> Limbs {
    let mut r: Limbs = rng.random();
    match rng.random_range(0..3) {
        0 => {}
        1 => {
            for limb in &mut r {
                *limb = match rng.random_range(0..3) {
                    0 => u64::MAX,
                    1 => 0,
                    _ => *limb,
                };
            }
        }
        _ => {
            // Set whole 30-bit limbs to all ones.
            for k in 0..13 {
                if rng.random_bool(0.5) {
                    for bit in 30 * k..(30 * k + 30).min(384) {
                        r[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
    }
    if !below_p(&r) {
        r[5] %= P[5];
    }
    assert!(below_p(&r));
    r
}

fn operands() -> (Vec<Limbs>, Vec<(Limbs, Limbs)>) {
    let edges = edge_cases();
    let mut rng = ChaCha20Rng::from_seed([0x17; 32]);
    let random = (0..RANDOM_PAIRS).map(|_| (element(&mut rng), element(&mut rng))).collect();
    (edges, random)
}

fn all_pairs() -> Vec<(Limbs, Limbs)> {
    let (edges, mut pairs) = operands();
    for a in &edges {
        for b in &edges {
            pairs.push((*a, *b));
        }
    }
    pairs
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn multiply_equals_arks() {
    let mut wrong = Vec::new();
    for (a, b) in all_pairs() {
        let expected = (reference(&a) * reference(&b)).0 .0;
        if fq_u30::mul(&a, &b) != expected || (production(&a) * production(&b)).0 .0 != expected {
            wrong.push(format!("{a:x?} * {b:x?}"));
        }
    }
    assert!(wrong.is_empty(), "{} products differ from ark's:\n{}", wrong.len(), wrong.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn square_equals_arks() {
    let (edges, random) = operands();
    let mut wrong = Vec::new();
    for a in edges.iter().chain(random.iter().flat_map(|(a, b)| [a, b])) {
        let expected = reference(a).square().0 .0;
        if fq_u30::square(a) != expected || production(a).square().0 .0 != expected {
            wrong.push(format!("{a:x?}"));
        }
    }
    assert!(wrong.is_empty(), "{} squares differ from ark's:\n{}", wrong.len(), wrong.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn additive_operations_equal_arks() {
    let mut wrong = Vec::new();
    for (a, b) in all_pairs() {
        let (ra, rb, pa, pb) = (reference(&a), reference(&b), production(&a), production(&b));
        let sum = (ra + rb).0 .0;
        let difference = (ra - rb).0 .0;
        if fq_additive::add(&a, &b) != sum || (pa + pb).0 .0 != sum {
            wrong.push(format!("{a:x?} + {b:x?}"));
        }
        if fq_additive::sub(&a, &b) != difference || (pa - pb).0 .0 != difference {
            wrong.push(format!("{a:x?} - {b:x?}"));
        }
    }
    let (edges, random) = operands();
    for a in edges.iter().chain(random.iter().flat_map(|(a, b)| [a, b])) {
        let (ra, pa) = (reference(a), production(a));
        let (double, negation) = (ra.double().0 .0, (-ra).0 .0);
        if fq_additive::double(a) != double || pa.double().0 .0 != double {
            wrong.push(format!("2 * {a:x?}"));
        }
        if fq_additive::neg(a) != negation || (-pa).0 .0 != negation {
            wrong.push(format!("-{a:x?}"));
        }
    }
    assert!(wrong.is_empty(), "{} results differ from ark's:\n{}", wrong.len(), wrong.join("\n"));
}

/// Sums of 1 to 20 products: within one lazy reduction and across several; all terms p-1 (the
/// largest sum) and random ones.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sum_of_products_equals_arks() {
    let mut rng = ChaCha20Rng::from_seed([0x18; 32]);
    let mut wrong = Vec::new();
    for terms in 1..=20 {
        for round in 0..50 {
            let pairs: Vec<(Limbs, Limbs)> =
                (0..terms).map(|_| if round == 0 { (p_minus(1), p_minus(1)) } else { (element(&mut rng), element(&mut rng)) }).collect();
            let expected: Fq64 = pairs.iter().map(|(a, b)| reference(a) * reference(b)).sum();
            if fq_u30::sum_of_products(pairs.iter().map(|(a, b)| (a, b))) != expected.0 .0 {
                wrong.push(format!("{terms} terms: {pairs:x?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} sums differ from ark's:\n{}", wrong.len(), wrong.join("\n"));
}

/// Fq2 multiplication by Karatsuba with lazy reduction (`fq_u30::fp2_mul`, what `Fq2` multiplies
/// with on wasm32) against ark's formula on the reference field: every pair of edge cases as
/// coefficients, and random elements.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn fq2_multiply_equals_arks() {
    let (edges, random) = operands();
    let mut rng = ChaCha20Rng::from_seed([0x1a; 32]);
    let mut cases: Vec<[Limbs; 4]> = random.chunks(2).map(|p| [p[0].0, p[0].1, p[1].0, p[1].1]).collect();
    for a in &edges {
        for b in &edges {
            cases.push([*a, *b, *b, *a]);
            cases.push([*a, *b, element(&mut rng), *a]);
            cases.push([*a, *a, *b, *b]);
        }
    }
    let mut wrong = Vec::new();
    for [a0, a1, b0, b1] in cases {
        let [ra0, ra1, rb0, rb1] = [a0, a1, b0, b1].map(|x| reference(&x));
        let expected = [(ra0 * rb0 - ra1 * rb1).0 .0, (ra0 * rb1 + ra1 * rb0).0 .0];
        if fq_u30::fp2_mul([&a0, &a1], [&b0, &b1]) != expected {
            wrong.push(format!("({a0:x?}, {a1:x?}) ({b0:x?}, {b1:x?})"));
        }
    }
    assert!(wrong.is_empty(), "{} products differ from ark's:\n{}", wrong.len(), wrong.join("\n"));
}

/// `Fq`'s own entry points (what ark's curve code calls): `sum_of_products` of two and three terms,
/// and Fq2 multiplication and squaring, which go through it, against the same formulas on the
/// reference field.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn fq_and_fq2_use_it_right() {
    let mut rng = ChaCha20Rng::from_seed([0x19; 32]);
    for _ in 0..2_000 {
        let [a0, a1, b0, b1, c0, c1] = std::array::from_fn(|_| element(&mut rng));
        let [ra0, ra1, rb0, rb1, rc0, rc1] = [a0, a1, b0, b1, c0, c1].map(|x| reference(&x));
        let [pa0, pa1, pb0, pb1, pc0, pc1] = [a0, a1, b0, b1, c0, c1].map(|x| production(&x));
        assert_eq!(Fq::sum_of_products(&[pa0, pa1], &[pb0, pb1]).0, (ra0 * rb0 + ra1 * rb1).0);
        assert_eq!(Fq::sum_of_products(&[pa0, pa1, pc0], &[pb0, pb1, pc1]).0, (ra0 * rb0 + ra1 * rb1 + rc0 * rc1).0);
        // Fq2 = Fq[u] / (u^2 + 1).
        let (x, y) = (Fq2::new(pa0, pa1), Fq2::new(pb0, pb1));
        let product = x * y;
        assert_eq!((product.c0.0, product.c1.0), ((ra0 * rb0 - ra1 * rb1).0, (ra0 * rb1 + ra1 * rb0).0));
        let square = x.square();
        assert_eq!((square.c0.0, square.c1.0), ((ra0 * ra0 - ra1 * ra1).0, (ra0 * ra1 + ra0 * ra1).0));
    }
}

/// Inversion by divsteps: ark's inverse, the same limbs, for every edge case and random element;
/// zero has none. Each element's inverse times itself is one, through `Fq`'s own entry point.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn inverse_equals_arks() {
    let (edges, random) = operands();
    let mut wrong = Vec::new();
    for a in edges.iter().chain(random.iter().flat_map(|(a, b)| [a, b])) {
        let ours = fq_inverse::inverse(a);
        let arks = reference(a).inverse().map(|inverse| inverse.0 .0);
        if ours != arks {
            wrong.push(*a);
        }
        if let Some(inverse) = production(a).inverse() {
            assert_eq!((production(a) * inverse).0, <FqConfig64 as MontConfig<6>>::R, "{a:x?} times its inverse");
        }
    }
    assert!(wrong.is_empty(), "{} of {} inverses differ from ark's, first {:x?}", wrong.len(), edges.len() + 2 * random.len(), wrong.first());
    assert_eq!(fq_inverse::inverse(&[0; 6]), None);
    assert_eq!(production(&[0; 6]).inverse(), None);
}
