//! What can be wrong with validator data from a peer (malformed: a typed error, never a verdict),
//! and why the light verifier refuses a block (never an accusation of a validator).

use crate::bls::BlsError;
use crate::hash::Hash32;
use serde::Serialize;

/// Bytes or values that cannot be a validator set, header, commit or vote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidatorError {
    #[error("chain id must be 1 to {max} printable ASCII bytes, got {len} bytes")]
    BadChainId { len: usize, max: usize },
    #[error("validator set is empty")]
    EmptySet,
    #[error("validator set has {got} validators, over the cap of {max}")]
    TooManyValidators { got: usize, max: usize },
    #[error("validator {index} has a public key of {got} bytes, not 48")]
    PublicKeyLength { index: usize, got: usize },
    #[error("validator {index} has an unusable public key: {source}")]
    BadPublicKey { index: usize, source: BlsError },
    #[error("validator {index} has zero voting power")]
    ZeroPower { index: usize },
    #[error("validator {index} repeats the key of validator {first}")]
    DuplicateValidator { index: usize, first: usize },
    #[error("total voting power is over {max}")]
    TotalPowerTooLarge { max: u64 },
    #[error("commit has {got} signature slots for a set of {expected} validators")]
    SignatureCount { expected: usize, got: usize },
    #[error("height 0 is the trust anchor's, no block has it")]
    ZeroHeight,
    #[error("trust anchor's validator set hashes to {computed}, not {claimed}")]
    AnchorSetMismatch { claimed: Hash32, computed: Hash32 },
}

/// Why the light verifier did not accept a block. None of these blames a validator: a block that
/// is not shown to be signed by the trusted set says nothing about who signed what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BlockRejected {
    #[error("block is for chain {got:?}, this verifier follows {expected:?}")]
    WrongChain { expected: String, got: String },
    #[error("header height {header} and commit height {commit} differ")]
    HeightMismatch { header: u64, commit: u64 },
    #[error("commit signs block id {commit}, the header hashes to {header}")]
    BlockIdMismatch { header: Hash32, commit: Hash32 },
    #[error("height {height} is not above the trusted height {trusted}")]
    NotNewer { height: u64, trusted: u64 },
    #[error("the header's validators hash {got} is not the set the last verified header named ({expected})")]
    UntrustedValidatorSet { expected: Hash32, got: Hash32 },
    #[error("no validator set with hash {hash} was provided")]
    UnknownValidatorSet { hash: Hash32 },
    #[error("the header's previous block id {got} is not the verified block {expected}")]
    ChainBreak { expected: Hash32, got: Hash32 },
    #[error("valid signatures carry {signed} of {total} voting power, not more than 2/3")]
    InsufficientPower { signed: u64, total: u64 },
    #[error("skipping heights needs more than 1/3 of the trusted set's power; valid signatures carry {signed} of {total}")]
    InsufficientTrust { signed: u64, total: u64 },
    #[error("malformed block: {message}")]
    Malformed { message: String },
}

impl From<ValidatorError> for BlockRejected {
    fn from(e: ValidatorError) -> Self {
        BlockRejected::Malformed { message: e.to_string() }
    }
}
