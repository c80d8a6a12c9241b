//! Validator sets: the wire form (keys as hex, voting power), the set hash headers commit to, and
//! the decoded form the verifier checks signatures with.
//!
//! Set hash = SHA-256( count: u32 BE || for each validator in order: public key (48 bytes) ||
//! power: u64 BE ). The order is the set's: commits carry one signature slot per validator in
//! that order.

use super::error::ValidatorError;
use super::hex::HexBytes;
use crate::bls::{PublicKey, PUBLIC_KEY_LEN};
use crate::hash::Hash32;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Most validators a set may have (CometBFT allows 10 000 votes; 0G runs far fewer).
pub const MAX_VALIDATORS: usize = 1024;
/// Most total voting power, CometBFT's `MaxTotalVotingPower` (i64::MAX / 8): sums and the 2/3
/// comparisons can never overflow.
pub const MAX_TOTAL_POWER: u64 = (i64::MAX / 8) as u64;

/// One validator on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorInfo {
    pub pub_key: HexBytes,
    pub power: u64,
}

/// A validator set on the wire, in commit slot order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ValidatorList {
    pub validators: Vec<ValidatorInfo>,
}

impl ValidatorList {
    /// The set hash, from the bytes alone (no curve arithmetic): what headers commit to.
    pub fn hash(&self) -> Result<Hash32, ValidatorError> {
        if self.validators.len() > MAX_VALIDATORS {
            return Err(ValidatorError::TooManyValidators { got: self.validators.len(), max: MAX_VALIDATORS });
        }
        let mut h = Sha256::new();
        h.update((self.validators.len() as u32).to_be_bytes());
        for (index, v) in self.validators.iter().enumerate() {
            if v.pub_key.0.len() != PUBLIC_KEY_LEN {
                return Err(ValidatorError::PublicKeyLength { index, got: v.pub_key.0.len() });
            }
            h.update(&v.pub_key.0);
            h.update(v.power.to_be_bytes());
        }
        Ok(Hash32(h.finalize().into()))
    }
}

/// A decoded validator.
#[derive(Debug, Clone)]
pub struct Validator {
    pub key: PublicKey,
    pub key_bytes: [u8; PUBLIC_KEY_LEN],
    pub power: u64,
}

/// A checked set: every key a usable BLS key, no key twice, every power positive, the total
/// within [`MAX_TOTAL_POWER`].
#[derive(Debug, Clone)]
pub struct ValidatorSet {
    hash: Hash32,
    validators: Vec<Validator>,
    total_power: u64,
    by_key: HashMap<[u8; PUBLIC_KEY_LEN], usize>,
}

impl ValidatorSet {
    pub fn from_list(list: &ValidatorList) -> Result<Self, ValidatorError> {
        let hash = list.hash()?;
        if list.validators.is_empty() {
            return Err(ValidatorError::EmptySet);
        }
        let mut validators = Vec::with_capacity(list.validators.len());
        let mut by_key = HashMap::with_capacity(list.validators.len());
        let mut total: u64 = 0;
        for (index, v) in list.validators.iter().enumerate() {
            let key_bytes: [u8; PUBLIC_KEY_LEN] = v.pub_key.0.as_slice().try_into().expect("length checked by hash()");
            if let Some(&first) = by_key.get(&key_bytes) {
                return Err(ValidatorError::DuplicateValidator { index, first });
            }
            if v.power == 0 {
                return Err(ValidatorError::ZeroPower { index });
            }
            total = total.checked_add(v.power).filter(|&t| t <= MAX_TOTAL_POWER).ok_or(ValidatorError::TotalPowerTooLarge { max: MAX_TOTAL_POWER })?;
            let key = PublicKey::from_bytes(&key_bytes).map_err(|source| ValidatorError::BadPublicKey { index, source })?;
            by_key.insert(key_bytes, index);
            validators.push(Validator { key, key_bytes, power: v.power });
        }
        Ok(ValidatorSet { hash, validators, total_power: total, by_key })
    }

    pub fn hash(&self) -> Hash32 {
        self.hash
    }

    pub fn validators(&self) -> &[Validator] {
        &self.validators
    }

    pub fn len(&self) -> usize {
        self.validators.len()
    }

    pub fn is_empty(&self) -> bool {
        self.validators.is_empty()
    }

    pub fn total_power(&self) -> u64 {
        self.total_power
    }

    /// The slot of the validator with this key.
    pub fn position(&self, key: &[u8]) -> Option<usize> {
        let key: [u8; PUBLIC_KEY_LEN] = key.try_into().ok()?;
        self.by_key.get(&key).copied()
    }

    /// The wire form (same hash).
    pub fn to_list(&self) -> ValidatorList {
        ValidatorList {
            validators: self.validators.iter().map(|v| ValidatorInfo { pub_key: HexBytes(v.key_bytes.to_vec()), power: v.power }).collect(),
        }
    }
}

/// Whether `part` is more than 2/3 of `total` (no overflow: both are at most [`MAX_TOTAL_POWER`]).
pub fn more_than_two_thirds(part: u64, total: u64) -> bool {
    (part as u128) * 3 > (total as u128) * 2
}

/// Whether `part` is more than 1/3 of `total`.
pub fn more_than_one_third(part: u64, total: u64) -> bool {
    (part as u128) * 3 > total as u128
}
