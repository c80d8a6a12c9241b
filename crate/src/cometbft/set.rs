//! A validator set: built from `/validators` pages for one height under a [`ChainProfile`], each
//! address checked against its key, no address twice, powers and their total within CometBFT's
//! bounds; its hash is the Merkle root of the `SimpleValidator` encodings in the given order (the
//! order is the chain's: CometBFT keeps sets sorted by power, then address, and a set listed in
//! another order hashes to something the header does not name).

use super::hash::{merkle_root, simple_validator_bytes};
use super::key::{KeyType, ValidatorKey};
use super::profile::ChainProfile;
use super::rpc::{ValidatorEntry, ValidatorsPage, MAX_PER_PAGE, MAX_VALIDATORS};
use super::types::{Address, Hash32};
use std::collections::HashMap;

/// CometBFT's `MaxTotalVotingPower` (i64::MAX / 8).
pub const MAX_TOTAL_VOTING_POWER: u64 = (i64::MAX / 8) as u64;

/// What makes a list of validators no set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SetError {
    #[error("validator set is empty")]
    Empty,
    #[error("validator set has {got} validators, over the cap of {max}")]
    TooMany { got: usize, max: usize },
    #[error("validator {index} is listed with address {listed}, its key hashes to {derived} under profile {profile}")]
    AddressMismatch { index: usize, listed: Address, derived: Address, profile: &'static str },
    #[error("validator {index} has zero voting power")]
    ZeroPower { index: usize },
    #[error("validator {index} repeats the address of validator {first}")]
    Duplicate { index: usize, first: usize },
    #[error("total voting power is over {max}")]
    TotalPowerTooLarge { max: u64 },
    #[error("validator {index} has a {got:?} key in a set of {first:?} keys")]
    MixedKeyTypes { index: usize, first: KeyType, got: KeyType },
    #[error(transparent)]
    Page(#[from] PageError),
}

/// Pages that do not make one set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PageError {
    #[error("page is for height {got}, the set for height {expected}")]
    Height { expected: u64, got: u64 },
    #[error("page says the set has {got} validators, an earlier page said {expected}")]
    Total { expected: usize, got: usize },
    #[error("page adds {got} validators to {have} of a set of {total}")]
    Overflow { have: usize, got: usize, total: usize },
    #[error("an empty page before the set is complete")]
    Empty,
    #[error("the set has {have} of its {total} validators")]
    Incomplete { have: usize, total: usize },
}

/// One validator of a set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    pub address: Address,
    pub key: ValidatorKey,
    pub power: u64,
}

/// A checked validator set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorSet {
    validators: Vec<Validator>,
    total_power: u64,
    hash: Hash32,
    profile: ChainProfile,
    by_address: HashMap<Address, usize>,
}

impl ValidatorSet {
    /// Checks `entries` (in the chain's order) under `profile`.
    pub fn new(entries: Vec<ValidatorEntry>, profile: ChainProfile) -> Result<Self, SetError> {
        if entries.is_empty() {
            return Err(SetError::Empty);
        }
        if entries.len() > MAX_VALIDATORS {
            return Err(SetError::TooMany { got: entries.len(), max: MAX_VALIDATORS });
        }
        let first_type = entries[0].key.key_type();
        let mut by_address = HashMap::with_capacity(entries.len());
        let mut total: u64 = 0;
        let mut leaves = Vec::with_capacity(entries.len());
        let mut validators = Vec::with_capacity(entries.len());
        for (index, entry) in entries.into_iter().enumerate() {
            if entry.key.key_type() != first_type {
                return Err(SetError::MixedKeyTypes { index, first: first_type, got: entry.key.key_type() });
            }
            let derived = entry.key.address(&profile);
            if derived != entry.address {
                return Err(SetError::AddressMismatch { index, listed: entry.address, derived, profile: profile.name });
            }
            if entry.power == 0 {
                return Err(SetError::ZeroPower { index });
            }
            if let Some(&first) = by_address.get(&entry.address) {
                return Err(SetError::Duplicate { index, first });
            }
            total = total.saturating_add(entry.power);
            if total > MAX_TOTAL_VOTING_POWER {
                return Err(SetError::TotalPowerTooLarge { max: MAX_TOTAL_VOTING_POWER });
            }
            by_address.insert(entry.address, index);
            leaves.push(simple_validator_bytes(&entry.key, entry.power, &profile));
            validators.push(Validator { address: entry.address, key: entry.key, power: entry.power });
        }
        Ok(ValidatorSet { validators, total_power: total, hash: merkle_root(&leaves), profile, by_address })
    }

    /// The set from every page of `/validators?height=H` (in page order).
    pub fn from_pages(pages: Vec<ValidatorsPage>, profile: ChainProfile) -> Result<Self, SetError> {
        let mut collector = SetCollector::default();
        for page in pages {
            collector.add(page)?;
        }
        collector.finish(profile)
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

    /// CometBFT's `ValidatorSet.Hash` (what a header's `validators_hash` names).
    pub fn hash(&self) -> Hash32 {
        self.hash
    }

    pub fn profile(&self) -> ChainProfile {
        self.profile
    }

    /// The position and validator with this address.
    pub fn by_address(&self, address: &Address) -> Option<(usize, &Validator)> {
        self.by_address.get(address).map(|&i| (i, &self.validators[i]))
    }
}

/// Collects the pages of one set, for a caller that fetches them one at a time:
/// [`SetCollector::next_page`] says which page to ask for next (`per_page` = [`MAX_PER_PAGE`]).
#[derive(Debug, Default)]
pub struct SetCollector {
    height: Option<u64>,
    total: Option<usize>,
    entries: Vec<ValidatorEntry>,
}

impl SetCollector {
    /// The 1-based page to fetch next with `per_page=100`, or `None` once every validator is in.
    pub fn next_page(&self) -> Option<usize> {
        match self.total {
            Some(total) if self.entries.len() >= total => None,
            _ => Some(self.entries.len() / MAX_PER_PAGE + 1),
        }
    }

    pub fn add(&mut self, page: ValidatorsPage) -> Result<(), PageError> {
        if let Some(expected) = self.height {
            if page.block_height != expected {
                return Err(PageError::Height { expected, got: page.block_height });
            }
        }
        if let Some(expected) = self.total {
            if page.total != expected {
                return Err(PageError::Total { expected, got: page.total });
            }
        }
        if page.validators.is_empty() && page.total > self.entries.len() {
            return Err(PageError::Empty);
        }
        if self.entries.len() + page.validators.len() > page.total {
            return Err(PageError::Overflow { have: self.entries.len(), got: page.validators.len(), total: page.total });
        }
        self.height = Some(page.block_height);
        self.total = Some(page.total);
        self.entries.extend(page.validators);
        Ok(())
    }

    /// The height the pages are for.
    pub fn height(&self) -> Option<u64> {
        self.height
    }

    pub fn finish(self, profile: ChainProfile) -> Result<ValidatorSet, SetError> {
        let total = self.total.unwrap_or(0);
        if self.entries.len() != total || total == 0 {
            return Err(PageError::Incomplete { have: self.entries.len(), total }.into());
        }
        ValidatorSet::new(self.entries, profile)
    }
}
