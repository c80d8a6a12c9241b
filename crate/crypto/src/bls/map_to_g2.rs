//! RFC 9380's map to G2 (`map_to_curve` of `BLS12381G2_XMD:SHA-256_SSWU_RO_`: simplified SWU
//! onto the 3-isogenous curve E2', §6.6.2, then the 3-isogeny, appendix E.3), computed with
//! fewer exponentiations and inversions than arkworks' generic `WBMap`, which gives the same
//! points (tests below, and the RFC's Q0 and Q1 in tests/bls_vectors.rs).
//!
//! Why our own: a hash to G2 maps two field elements, and arkworks spends on each four base-field
//! exponentiations (a Legendre symbol, then three in its generic Fq2 square root) and four
//! inversions. Here each map takes two exponentiations (`fq2_sqrt`: the norm's square root, which
//! also says whether gx1 is a square, then the root itself) and the two maps share one inversion;
//! the isogeny's image stays in Jacobian coordinates for the addition that follows. In the worker
//! a hash to G2 went from 1.0 to 0.6-0.7 ms (BENCHMARKS.md). The curve constants, the isogeny's
//! coefficients, hash to field and cofactor clearing stay arkworks'.

use super::error::BlsError;
use super::fq2_sqrt::{pow_p_minus_3_div_4, sqrt_with_norm_root};
use ark_bls12_381::{g2, Fq, Fq2, G2Projective};
use ark_ec::hashing::curve_maps::parity;
use ark_ec::hashing::curve_maps::swu::SWUConfig;
use ark_ec::hashing::curve_maps::wb::WBConfig;
use ark_ec::short_weierstrass::SWCurveConfig;
use ark_ff::{batch_inversion, AdditiveGroup, Field, Zero};
use std::sync::OnceLock;

/// The 3-isogenous curve E2' that simplified SWU maps onto.
type Iso = <g2::Config as WBConfig>::IsogenousCurve;

/// `norm(Z)^((p-3)/4)`, Z being SWU's non-square: turns the exponentiation that found gx1's norm
/// not to be a square into the square root of the norm of `Z * gx1` (norm is multiplicative).
fn z_norm_power() -> Fq {
    static POWER: OnceLock<Fq> = OnceLock::new();
    *POWER.get_or_init(|| pow_p_minus_3_div_4(Iso::ZETA.norm()))
}

/// `map_to_curve(u0)` and `map_to_curve(u1)` (RFC 9380 §6.6.3): points of G2's curve (not yet in
/// the subgroup), in Jacobian coordinates.
pub fn map_to_g2_pair(u: [Fq2; 2]) -> Result<[G2Projective; 2], BlsError> {
    let (a, b, z) = (Iso::COEFF_A, Iso::COEFF_B, Iso::ZETA);
    // x1 = num_x1 / div, gx1 = num_gx1 / div³ (WB2019 §4.2: one inversion, shared by both maps).
    let parts = u.map(|u| {
        let z_u2 = z * u.square();
        let ta = z_u2.square() + z_u2;
        let num_x1 = b * (ta + Fq2::ONE);
        let div = a * if ta.is_zero() { z } else { -ta };
        let div2 = div.square();
        let div3 = div2 * div;
        let num_gx1 = (num_x1.square() + a * div2) * num_x1 + b * div3;
        (z_u2, num_x1, div2, div3, num_gx1)
    });
    let mut inverses = parts.map(|(.., div3, _)| div3);
    batch_inversion(&mut inverses);
    let mut points = [G2Projective::zero(); 2];
    for (i, &(z_u2, num_x1, div2, _, num_gx1)) in parts.iter().enumerate() {
        let gx1 = num_gx1 * inverses[i];
        let n = gx1.norm();
        let t = pow_p_minus_3_div_4(n);
        let s = n * t;
        let (num_x, y) = if s.square() == n {
            (num_x1, sqrt_with_norm_root(gx1, s))
        } else {
            // gx2 = Z³u⁶·gx1 = (Z·u³)²·(Z·gx1): a root of Z·gx1, whose norm's root is at hand.
            let z_gx1 = z * gx1;
            let root = sqrt_with_norm_root(z_gx1, z_gx1.norm() * z_norm_power() * t);
            (z_u2 * num_x1, root.map(|y| z_u2 * u[i] * y))
        };
        let mut y = y.ok_or_else(|| BlsError::HashToCurve("simplified SWU found no square root".into()))?;
        if parity(&y) != parity(&u[i]) {
            y = -y;
        }
        let x = num_x * inverses[i] * div2;
        points[i] = isogeny(x, y);
    }
    Ok(points)
}

/// The 3-isogeny from E2' to G2's curve (RFC 9380 appendix E.3, arkworks' coefficients), into
/// Jacobian coordinates so that no inversion is needed: x = xn/xd and y = y'·yn/yd become
/// X = xn·yd·(xd·yd), Y = y'·yn·xd·(xd·yd)², Z = xd·yd. A zero denominator gives Z = 0, the
/// identity, as the RFC asks.
fn isogeny(x: Fq2, y: Fq2) -> G2Projective {
    let map = <g2::Config as WBConfig>::ISOGENY_MAP;
    let horner = |coefficients: &[Fq2]| coefficients.iter().rev().fold(Fq2::ZERO, |acc, c| acc * x + c);
    let (xn, xd) = (horner(map.x_map_numerator), horner(map.x_map_denominator));
    let (yn, yd) = (horner(map.y_map_numerator), horner(map.y_map_denominator));
    let zz = xd * yd;
    G2Projective::new_unchecked(xn * yd * zz, y * yn * xd * zz.square(), zz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::G2Affine;
    use ark_ec::hashing::curve_maps::wb::WBMap;
    use ark_ec::hashing::map_to_curve_hasher::MapToCurve;
    use ark_ec::CurveGroup;
    use crate::bls::fq2_sqrt::random_fq2;
    use rand::SeedableRng;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn arkworks(u: Fq2) -> G2Affine {
        <WBMap<g2::Config> as MapToCurve<G2Projective>>::map_to_curve(u).expect("arkworks maps every element")
    }

    fn ours(u: [Fq2; 2]) -> [G2Affine; 2] {
        map_to_g2_pair(u).expect("maps").map(|p| p.into_affine())
    }

    #[test]
    fn random_elements_map_as_arkworks_maps_them() {
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([7; 32]);
        let (mut squares, mut non_squares) = (0, 0);
        for _ in 0..64 {
            let u = [random_fq2(&mut rng), random_fq2(&mut rng)];
            for v in u {
                let gx1_is_square = {
                    let z_u2 = Iso::ZETA * v.square();
                    let ta = z_u2.square() + z_u2;
                    let x1 = Iso::COEFF_B * (ta + Fq2::ONE) / (Iso::COEFF_A * -ta);
                    (x1.square() * x1 + Iso::COEFF_A * x1 + Iso::COEFF_B).legendre().is_qr()
                };
                if gx1_is_square { squares += 1 } else { non_squares += 1 }
            }
            assert_eq!(ours(u), u.map(arkworks), "u = {u:?}");
        }
        assert!(squares > 20 && non_squares > 20, "both branches taken: {squares} and {non_squares}");
    }

    #[test]
    fn exceptional_and_small_elements_map_as_arkworks_maps_them() {
        // u = 0 is RFC 9380 §6.6.2's exceptional case (tv1 = 0; Z·u² = -1 has no solution, -1/Z
        // not being a square); elements with a zero coordinate take the square root's a1 = 0 path.
        let edge = [Fq2::ZERO, Fq2::ONE, -Fq2::ONE, Fq2::new(Fq::ZERO, Fq::ONE), Fq2::new(Fq::from(2u64), Fq::ZERO), Fq2::new(Fq::ZERO, -Fq::from(5u64))];
        for &u0 in &edge {
            for &u1 in &edge {
                assert_eq!(ours([u0, u1]), [arkworks(u0), arkworks(u1)], "u = {u0}, {u1}");
            }
        }
    }
}
