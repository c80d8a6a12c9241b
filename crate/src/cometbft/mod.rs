//! 0G Chain's validators as CometBFT really signs them: RPC answers decoded strictly, header and
//! validator-set hashes and vote sign bytes exactly as CometBFT computes them, every signature of
//! a commit checked over its own sign bytes as one BLS batch, and a light verifier with
//! CometBFT's rules that keeps liveness and equivocation evidence per validator. Sans-IO: the
//! caller fetches (`/status`, `/commit`, `/validators`, `/block`) and gives bytes, time and
//! randomness. The rules that differ between CometBFT versions are one [`ChainProfile`].
//! [`ChainFollower`] is the round the node runs over an RPC it reads through [`CometRpc`];
//! [`SecondVotes`] looks through a second relay at the votes a validator lacks through the first.
//! Written down in docs/validators.md.

mod commit;
mod error;
mod evidence;
mod follow;
mod hash;
mod key;
mod light;
mod liveness;
mod profile;
mod read;
mod rpc;
mod second_votes;
mod set;
mod sign_bytes;
mod types;

pub use commit::{more_than, verify_commit, CommitCheck, InvalidSlot, SlotStatus};
pub use error::{CommitError, DecodeError, Problem, Rejected, RejectionKind};
pub use evidence::{check_vote_pair, vote_signature_verifies, AccusedValidator, Equivocation, EquivocationClaim, EvidenceSource, NotEquivocation};
pub use follow::{ChainFollower, CometRpc, FollowClock, FollowConfig, FollowProblem, FollowReport, FollowerFootprint, TrustConfig, TrustConfigError};
pub use hash::{duplicate_vote_evidence_bytes, evidence_hash, header_hash, merkle_root, simple_validator_bytes};
pub use key::{KeyType, ValidatorKey, BLS12_381_KEY_TYPE, ED25519_KEY_TYPE};
pub use light::{
    BlockReport, CheckedBlock, ConfigError, EvidenceOutcome, InvalidSlotReport, LightBlock, LightVerifier, SyncPlan, SyncStep, TrustOptions,
    VerifierFootprint, VoteOutcome, MAX_EVIDENCE, MAX_EVIDENCE_BYTES, MAX_OBSERVED_BYTES, MAX_OBSERVED_VOTES, MAX_RECORDS, MAX_SLOTS_KEPT,
};
pub use liveness::{LivenessPolicy, ValidatorStatus, ValidatorVerdict};
pub use profile::{BlsDst, BlsKeyEncoding, ChainProfile, MAX_RAW_MESSAGE_LEN};
pub use read::{ReadError, RpcQuery, RpcRead, RpcRoute};
pub use rpc::{
    decode_block, decode_commit, decode_header, decode_status, decode_validators, CommitResponse, ValidatorEntry, ValidatorsPage, MAX_APP_HASH_LEN,
    MAX_BLOCK_BYTES, MAX_COMMIT_BYTES, MAX_EVIDENCE_PER_BLOCK, MAX_PER_PAGE, MAX_SIGNATURE_LEN, MAX_STATUS_BYTES, MAX_VALIDATORS,
    MAX_VALIDATORS_PAGE_BYTES,
};
pub use second_votes::{SecondVotes, VoteTally, MAX_RECHECKED_VALIDATORS, MAX_RECHECK_READS};
pub use set::{PageError, SetCollector, SetError, Validator, ValidatorSet, MAX_TOTAL_VOTING_POWER};
pub use sign_bytes::{vote_sign_bytes, VoteToSign, MAX_CHAIN_ID_LEN};
pub use types::{
    Address, Block, BlockId, BlockIdFlag, Commit, CommitSig, DuplicateVoteEvidence, Evidence, Hash32, Header, PartSetHeader, SignedHeader,
    Status, Timestamp, Version, Vote, VoteType, BLOCK_PROTOCOL,
};
