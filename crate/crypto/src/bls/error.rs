//! What can be wrong with the bytes of a BLS key or signature.

use std::fmt;

/// Which encoded object a [`BlsError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// A public key: a compressed G1 point, 48 bytes.
    PublicKey,
    /// A signature: a compressed G2 point, 96 bytes.
    Signature,
    /// A secret key: a scalar, 32 bytes big-endian.
    SecretKey,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Item::PublicKey => "public key",
            Item::Signature => "signature",
            Item::SecretKey => "secret key",
        })
    }
}

/// A key or signature that cannot be used, and why. Every check of the Ethereum / IETF
/// encoding (the ZCash serialization of BLS12-381 points) has its own variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlsError {
    #[error("{item} must be {expected} bytes, got {got}")]
    WrongLength { item: Item, expected: usize, got: usize },
    #[error("{0} is not a compressed point: the compression flag (top bit of the first byte) is not set")]
    NotCompressed(Item),
    #[error("{0} is not an uncompressed point: the compression or sort flag of the first byte is set")]
    NotUncompressed(Item),
    #[error("{0} is a non-canonical point at infinity: it must be 0xc0 followed by zero bytes")]
    NonCanonicalInfinity(Item),
    #[error("{0} has an x coordinate that is not below the field modulus (non-canonical encoding)")]
    CoordinateNotInField(Item),
    #[error("{0} is not a point on the curve: no y matches its x coordinate")]
    NotOnCurve(Item),
    #[error("{0} is a curve point outside the prime-order subgroup")]
    NotInSubgroup(Item),
    #[error("public key is the identity point (infinity), which no key may be")]
    IdentityPublicKey,
    #[error("secret key is zero")]
    ZeroSecretKey,
    #[error("secret key is not below the group order r")]
    SecretKeyOutOfRange,
    #[error("nothing to aggregate: the list is empty")]
    EmptyAggregate,
    #[error("hash to curve failed: {0}")]
    HashToCurve(String),
}
