#[cfg(feature = "scalar_field")]
pub mod fr;
#[cfg(feature = "scalar_field")]
pub use self::fr::*;

#[cfg(feature = "curve")]
pub mod fq;
#[cfg(feature = "curve")]
pub use self::fq::*;

#[cfg(feature = "curve")]
pub mod fq_u30;

#[cfg(feature = "curve")]
mod limb_product;

#[cfg(feature = "curve")]
pub mod fq_additive;

#[cfg(feature = "curve")]
pub mod fq_inverse;

#[cfg(feature = "curve")]
pub mod fq2;
#[cfg(feature = "curve")]
pub use self::fq2::*;

#[cfg(feature = "curve")]
pub mod fq6;
#[cfg(feature = "curve")]
pub use self::fq6::*;

#[cfg(feature = "curve")]
pub mod fq12;
#[cfg(feature = "curve")]
pub use self::fq12::*;

#[cfg(all(feature = "curve", test))]
mod tests;
