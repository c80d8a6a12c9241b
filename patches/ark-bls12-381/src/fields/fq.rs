use ark_ff::fields::{Fp384, MontBackend, MontConfig};
use ark_ff::BigInt;

/// ark's derived configuration with 64-bit-limb arithmetic: what `FqConfig` runs on every target
/// but wasm32, and its constants (and square roots, ...) on wasm32 too.
#[derive(MontConfig)]
#[modulus = "4002409555221667393417789825735904156556882819939007885332058136124031650490837864442687629129015664037894272559787"]
#[generator = "2"]
#[small_subgroup_base = "3"]
#[small_subgroup_power = "2"]
pub struct FqConfig64;
#[cfg(not(target_arch = "wasm32"))]
type Fq64 = Fp384<MontBackend<FqConfig64, 6>>;

/// The base field's configuration: `FqConfig64`'s constants and arithmetic, except that on wasm32
/// multiplication, squaring and sums of products run on 30-bit limbs (`fq_u30`), which need no
/// 64x64->128-bit multiply, and addition, subtraction, doubling and negation take no branch
/// (`fq_additive`), and inversion takes Bernstein and Yang's divsteps (`fq_inverse`). Same limbs,
/// same Montgomery form: elements are identical on every target.
pub struct FqConfig;
pub type Fq = Fp384<MontBackend<FqConfig, 6>>;

/// `FqConfig64`'s view of an element (the same limbs).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
const fn as64(a: &Fq) -> Fq64 {
    Fq64::new_unchecked(a.0)
}

impl MontConfig<6> for FqConfig {
    const MODULUS: BigInt<6> = FqConfig64::MODULUS;
    const GENERATOR: Fq = Fq::new_unchecked(FqConfig64::GENERATOR.0);
    const TWO_ADIC_ROOT_OF_UNITY: Fq = Fq::new_unchecked(FqConfig64::TWO_ADIC_ROOT_OF_UNITY.0);
    const SMALL_SUBGROUP_BASE: Option<u32> = FqConfig64::SMALL_SUBGROUP_BASE;
    const SMALL_SUBGROUP_BASE_ADICITY: Option<u32> = FqConfig64::SMALL_SUBGROUP_BASE_ADICITY;
    const LARGE_SUBGROUP_ROOT_OF_UNITY: Option<Fq> = match FqConfig64::LARGE_SUBGROUP_ROOT_OF_UNITY {
        Some(root) => Some(Fq::new_unchecked(root.0)),
        None => None,
    };

    #[inline(always)]
    fn add_assign(a: &mut Fq, b: &Fq) {
        #[cfg(target_arch = "wasm32")]
        {
            (a.0).0 = super::fq_additive::add(&(a.0).0, &(b.0).0);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut r = as64(a);
            FqConfig64::add_assign(&mut r, &as64(b));
            a.0 = r.0;
        }
    }

    #[inline(always)]
    fn sub_assign(a: &mut Fq, b: &Fq) {
        #[cfg(target_arch = "wasm32")]
        {
            (a.0).0 = super::fq_additive::sub(&(a.0).0, &(b.0).0);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut r = as64(a);
            FqConfig64::sub_assign(&mut r, &as64(b));
            a.0 = r.0;
        }
    }

    #[inline(always)]
    fn double_in_place(a: &mut Fq) {
        #[cfg(target_arch = "wasm32")]
        {
            (a.0).0 = super::fq_additive::double(&(a.0).0);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut r = as64(a);
            FqConfig64::double_in_place(&mut r);
            a.0 = r.0;
        }
    }

    #[inline(always)]
    fn neg_in_place(a: &mut Fq) {
        #[cfg(target_arch = "wasm32")]
        {
            (a.0).0 = super::fq_additive::neg(&(a.0).0);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut r = as64(a);
            FqConfig64::neg_in_place(&mut r);
            a.0 = r.0;
        }
    }

    #[inline(always)]
    fn mul_assign(a: &mut Fq, b: &Fq) {
        #[cfg(target_arch = "wasm32")]
        {
            (a.0).0 = super::fq_u30::mul(&(a.0).0, &(b.0).0);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut r = as64(a);
            FqConfig64::mul_assign(&mut r, &as64(b));
            a.0 = r.0;
        }
    }

    #[inline(always)]
    fn square_in_place(a: &mut Fq) {
        #[cfg(target_arch = "wasm32")]
        {
            (a.0).0 = super::fq_u30::square(&(a.0).0);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut r = as64(a);
            FqConfig64::square_in_place(&mut r);
            a.0 = r.0;
        }
    }

    /// On wasm32 Bernstein and Yang's divsteps (`fq_inverse`); ark's binary Euclid otherwise, and
    /// for zero.
    fn inverse(a: &Fq) -> Option<Fq> {
        #[cfg(target_arch = "wasm32")]
        if let Some(inverse) = super::fq_inverse::inverse(&(a.0).0) {
            return Some(Fq::new_unchecked(BigInt(inverse)));
        }
        FqConfig64::inverse(&Fp384::new_unchecked(a.0)).map(|inverse| Fq::new_unchecked(inverse.0))
    }

    #[inline(always)]
    fn sum_of_products<const M: usize>(a: &[Fq; M], b: &[Fq; M]) -> Fq {
        #[cfg(target_arch = "wasm32")]
        {
            Fq::new_unchecked(BigInt(super::fq_u30::sum_of_products(
                a.iter().zip(b).map(|(a, b)| (&(a.0).0, &(b.0).0)),
            )))
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            Fq::new_unchecked(FqConfig64::sum_of_products(&a.map(|a| as64(&a)), &b.map(|b| as64(&b))).0)
        }
    }
}

pub const FQ_ONE: Fq = ark_ff::MontFp!("1");
pub const FQ_ZERO: Fq = ark_ff::MontFp!("0");
