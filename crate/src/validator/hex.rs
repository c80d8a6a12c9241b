//! Bytes written as `0x` + lowercase hex on the wire: keys and signatures of any length, so that a
//! key or signature of the wrong size is refused by the BLS decoder with its own error, for that
//! one item, rather than failing the whole message.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct HexBytes(pub Vec<u8>);

impl HexBytes {
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(&self.0))
    }
}

impl From<&[u8]> for HexBytes {
    fn from(bytes: &[u8]) -> Self {
        HexBytes(bytes.to_vec())
    }
}

impl fmt::Debug for HexBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Display for HexBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for HexBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for HexBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        let digits = s.strip_prefix("0x").ok_or_else(|| serde::de::Error::custom("hex bytes must start with 0x"))?;
        hex::decode(digits).map(HexBytes).map_err(|e| serde::de::Error::custom(format!("bad hex: {e}")))
    }
}
