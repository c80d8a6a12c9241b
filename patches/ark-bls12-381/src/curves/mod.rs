use ark_ec::bls12::{Bls12, Bls12Config, TwistType};

use crate::{Fq, Fq12Config, Fq2Config, Fq6Config};

pub mod g1;
pub mod g2;
pub mod miller_loop;
pub(crate) mod util;

mod g1_swu_iso;
mod g2_swu_iso;

#[cfg(test)]
mod tests;

pub use self::{
    g1::{G1Affine, G1Projective},
    g2::{G2Affine, G2Projective},
};

pub type Bls12_381 = Bls12<Config>;

pub struct Config;

impl Bls12Config for Config {
    const X: &'static [u64] = &[0xd201000000010000];
    const X_IS_NEGATIVE: bool = true;
    const TWIST_TYPE: TwistType = TwistType::M;
    type Fp = Fq;
    type Fp2Config = Fq2Config;
    type Fp6Config = Fq6Config;
    type Fp12Config = Fq12Config;
    type G1Config = self::g1::Config;
    type G2Config = self::g2::Config;

    /// On wasm32, one accumulator for all pairs (`miller_loop`); ark's chunks of four elsewhere.
    #[cfg(target_arch = "wasm32")]
    fn multi_miller_loop(
        a: impl IntoIterator<Item = impl Into<ark_ec::bls12::G1Prepared<Self>>>,
        b: impl IntoIterator<Item = impl Into<ark_ec::bls12::G2Prepared<Self>>>,
    ) -> ark_ec::pairing::MillerLoopOutput<Bls12<Self>> {
        miller_loop::multi_miller_loop(a, b)
    }
}
