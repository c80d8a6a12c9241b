//! Typed errors: bytes from an RPC that cannot be what they claim ([`DecodeError`]), a commit
//! that cannot be read against a validator set ([`CommitError`]), and why the light verifier does
//! not accept a block ([`Rejected`]). None of these accuses a validator: only evidence does.

use super::types::Hash32;
use crate::bls::BlsError;
use serde::Serialize;

/// What is wrong with one value of an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Problem {
    #[error("not hex")]
    NotHex,
    #[error("not standard base64")]
    NotBase64,
    #[error("{got} bytes where {expected} are required")]
    Length { expected: &'static str, got: usize },
    #[error("not a decimal integer in range")]
    NotInteger,
    #[error("out of range: must be {0}")]
    OutOfRange(&'static str),
    #[error("not an RFC 3339 time between years 1 and 9999")]
    NotTime,
    #[error("unknown public key type {0:?}")]
    UnknownKeyType(String),
    #[error("unusable BLS12-381 public key: {0}")]
    BadBlsKey(String),
    #[error("unusable ed25519 public key")]
    BadEd25519Key,
    #[error("{0}")]
    Invalid(String),
}

impl From<BlsError> for Problem {
    fn from(e: BlsError) -> Self {
        Problem::BadBlsKey(e.to_string())
    }
}

/// An RPC answer that cannot be decoded: a typed error for the whole answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DecodeError {
    #[error("{what} answer is {got} bytes, over the cap of {max}")]
    TooLarge { what: &'static str, got: usize, max: usize },
    #[error("not a {what} answer: {message}")]
    Shape { what: &'static str, message: String },
    #[error("the node answered JSON-RPC error {code}: {message}")]
    Rpc { code: i64, message: String },
    #[error("{what}: {got}, over the cap of {max}")]
    TooMany { what: &'static str, got: usize, max: usize },
    #[error("{field}: {problem}")]
    Field { field: String, problem: Problem },
}

impl DecodeError {
    pub(super) fn field(field: impl Into<String>, problem: Problem) -> Self {
        DecodeError::Field { field: field.into(), problem }
    }
}

/// A commit that cannot be checked against the validator set given for it (CometBFT's
/// `verifyBasicValsAndCommit` and `Commit.ValidateBasic`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CommitError {
    #[error("commit has {got} signatures for a set of {expected} validators")]
    SignatureCount { expected: usize, got: usize },
    #[error("commit is for height {commit}, the header for {header}")]
    HeightMismatch { header: u64, commit: u64 },
    #[error("commit signs block {commit}, the header hashes to {header}")]
    BlockIdMismatch { header: Hash32, commit: String },
    #[error("commit has no signature at all")]
    NoSignatures,
    #[error("chain id must be 1 to 50 bytes, got {0}")]
    BadChainId(usize),
}

/// The three verdicts of CometBFT's light client for a block it does not accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RejectionKind {
    /// The block is not a valid successor of the trusted state (CometBFT `ErrInvalidHeader` and
    /// friends): nothing from it may be used.
    Invalid,
    /// The block may be valid but too little of the trusted set signed it to skip to it: verify a
    /// height between first (bisection).
    NotEnoughTrust,
    /// The trusted state is older than the trusting period: a new trust anchor is needed.
    Expired,
}

/// Why the light verifier did not accept a block. None blames a validator: a block that is not
/// shown to be signed by the trusted set says nothing about who signed what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Rejected {
    #[error("the verifier has no trusted block yet: initialise it with the configured trust anchor")]
    NotInitialised,
    #[error("block is for chain {got:?}, this verifier follows {expected:?}")]
    WrongChain { expected: String, got: String },
    #[error("block {height} is not above the trusted height {trusted}")]
    NotNewer { height: u64, trusted: u64 },
    #[error("the trust anchor is height {expected}, the block is height {got}")]
    AnchorHeight { expected: u64, got: u64 },
    #[error("the header hashes to {got}, the configured trust anchor is {expected}")]
    AnchorHash { expected: Hash32, got: Hash32 },
    #[error("invalid header: {0}")]
    InvalidHeader(String),
    #[error(transparent)]
    Commit(#[from] CommitError),
    #[error("the validators given hash to {got}, the header names {expected}")]
    ValidatorsHash { expected: Hash32, got: Hash32 },
    #[error("the next validators given hash to {got}, the header names {expected}")]
    NextValidatorsHash { expected: Hash32, got: Hash32 },
    #[error("the header's validators hash {got} is not the next validators hash {expected} of the trusted block")]
    NextValidators { expected: Hash32, got: Hash32 },
    #[error("header time {got} is not after the trusted header's time {trusted}")]
    NonMonotonicTime { got: String, trusted: String },
    #[error("header time {got} is from the future (now {now}, clock drift {drift_seconds} s)")]
    FromTheFuture { got: String, now: String, drift_seconds: u64 },
    #[error("the trusted block at height {height} expired at {expired_at}: a new trust anchor is needed")]
    TrustExpired { height: u64, expired_at: String },
    #[error("no block at height {height} with this hash was verified: verify it before reading its evidence")]
    BlockNotVerified { height: u64 },
    #[error("the commit for height {height} signs block {got}, the verified block there is {verified}")]
    OtherBlock { height: u64, verified: Hash32, got: String },
    #[error("the block's evidence hashes to {got}, its header names {expected}")]
    EvidenceHash { expected: String, got: Hash32 },
    #[error("a block for height {got} was given where height {expected} was asked for")]
    UnexpectedHeight { expected: u64, got: u64 },
    #[error("valid signatures for this block carry {signed} of {total} voting power, not more than 2/3")]
    InsufficientPower { signed: u64, total: u64 },
    #[error("skipping needs more than {numerator}/{denominator} of the trusted set's power; its valid signatures carry {signed} of {total}")]
    NotEnoughTrust { signed: u64, total: u64, numerator: u64, denominator: u64 },
}

impl Rejected {
    /// CometBFT's verdict for this refusal.
    pub fn kind(&self) -> RejectionKind {
        match self {
            Rejected::NotEnoughTrust { .. } => RejectionKind::NotEnoughTrust,
            Rejected::TrustExpired { .. } => RejectionKind::Expired,
            _ => RejectionKind::Invalid,
        }
    }
}
