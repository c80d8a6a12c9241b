//! 0G Chain validators (BLS12-381, CometBFT-style commits): the light verifier's side. Sans-IO:
//! types from the wire, canonical sign bytes, commit checks, and a state machine that follows the
//! chain from a trust anchor and keeps liveness and equivocation evidence per validator.
//! Written down in docs/validators.md.

mod block;
mod commit;
mod error;
mod hex;
mod light;
mod set;
mod sign_bytes;
mod verdict;

pub use block::{
    Commit, CommitsPage, Header, SignedBlock, TrustAnchor, ValidatorName, ValidatorsInfo, Vote, MAX_BLOCKS_PER_PAGE, MAX_VOTES_PER_PAGE,
};
pub use commit::{verify_commit, CommitCheck, SlotStatus};
pub use error::{BlockRejected, ValidatorError};
pub use hex::HexBytes;
pub use light::{BlockReport, LightVerifier, PageReport, VoteOutcome, MAX_EVIDENCE};
pub use set::{more_than_one_third, more_than_two_thirds, Validator, ValidatorInfo, ValidatorList, ValidatorSet, MAX_TOTAL_POWER, MAX_VALIDATORS};
pub use sign_bytes::{block_id, header_bytes, vote_sign_bytes, MAX_CHAIN_ID_LEN, PRECOMMIT};
pub use verdict::{Equivocation, LivenessPolicy, SignedVote, ValidatorStatus, ValidatorVerdict};
