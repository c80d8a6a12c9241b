//! Headers, commits, votes and pages of them: the wire types (JSON, camelCase) of the chain the
//! light verifier follows.

use super::hex::HexBytes;
use super::set::ValidatorList;
use crate::hash::Hash32;
use serde::{Deserialize, Serialize};

/// The part of a block the light verifier needs. Its block id is the SHA-256 of its canonical
/// bytes ([`super::header_bytes`]), so a commit that signs the block id signs every field here,
/// `next_validators_hash` included: that is how a set change is authenticated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub chain_id: String,
    pub height: u64,
    /// The block id at `height - 1` (zero for height 1 when the anchor is genesis).
    pub last_block_id: Hash32,
    /// Hash of the set that signs this block's commit.
    pub validators_hash: Hash32,
    /// Hash of the set that signs the next block's commit.
    pub next_validators_hash: Hash32,
    /// The application state after the previous block (opaque here).
    pub app_hash: Hash32,
}

/// The precommits for one block, one slot per validator of the signing set, in set order. A
/// slot is `null` when no precommit for this block id is carried: the validator was absent or
/// voted nil. Either way it counts as a missed signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commit {
    pub height: u64,
    pub round: u32,
    pub block_id: Hash32,
    pub signatures: Vec<Option<HexBytes>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedBlock {
    pub header: Header,
    pub commit: Commit,
}

/// One precommit seen outside a commit (gossip): the way a second, conflicting vote of a
/// validator reaches the verifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vote {
    pub height: u64,
    pub round: u32,
    pub block_id: Hash32,
    /// The validator's public key.
    pub validator: HexBytes,
    pub signature: HexBytes,
}

/// Where trust starts: a verified height, its block id and the set that signs the next height
/// (genesis: height 0, zero block id, the genesis set). Comes from configuration, never from
/// the peer being checked (the devnet's manifest stands in for a pinned configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrustAnchor {
    pub height: u64,
    pub block_id: Hash32,
    pub next_validators: ValidatorList,
}

/// Most blocks in one answer: 16 commits of 150 signatures are about 0.5 MB of JSON, half the
/// response cap of `/zg-align/check/1`.
pub const MAX_BLOCKS_PER_PAGE: u32 = 16;
/// Most gossiped votes in one answer: each costs the verifier a full BLS verification.
pub const MAX_VOTES_PER_PAGE: usize = 64;

/// A run of consecutive blocks, every validator set their headers name (by hash, so the reader
/// checks each against the hash a verified header committed to), and votes seen at those heights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CommitsPage {
    /// The peer's latest height.
    pub head: u64,
    pub blocks: Vec<SignedBlock>,
    #[serde(default)]
    pub sets: Vec<ValidatorList>,
    #[serde(default)]
    pub votes: Vec<Vote>,
}

/// What the network map says about the chain's validators: where trust starts, the chain's head,
/// and display names for keys (labels only: nothing is trusted from them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorsInfo {
    pub chain_id: String,
    pub anchor: TrustAnchor,
    pub head: u64,
    #[serde(default)]
    pub names: Vec<ValidatorName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorName {
    pub id: String,
    pub pub_key: HexBytes,
}
