pub mod fp;
pub use self::fp::*;

pub mod fp2;
pub use self::fp2::*;

pub mod fp3;
pub use self::fp3::*;

pub mod fp4;
pub use self::fp4::*;

pub mod fp6_2over3;

pub mod fp6_3over2;
pub use self::fp6_3over2::*;

pub mod fp12_2over3over2;
pub use self::fp12_2over3over2::*;

#[macro_use]
pub mod quadratic_extension;
pub use quadratic_extension::*;

#[macro_use]
pub mod cubic_extension;
pub use cubic_extension::*;
