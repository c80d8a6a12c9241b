//! What a validator signs for a vote: the length-delimited protobuf `CanonicalVote` (CometBFT
//! `types.VoteSignBytes`), with the vote's own timestamp, so each vote of a commit signs
//! different bytes. A nil vote has no `block_id` field at all (`CanonicalizeBlockID`).

use super::hash::block_id_proto;
use super::types::{BlockId, Commit, Timestamp, Vote, VoteType};
use prost::Message;
use tendermint_proto::v0_38::types as pb;

/// CometBFT's `MaxChainIDLen`.
pub const MAX_CHAIN_ID_LEN: usize = 50;

/// The fields of a vote that its signature covers.
#[derive(Clone, Copy, Debug)]
pub struct VoteToSign<'a> {
    pub vote_type: VoteType,
    pub height: u64,
    pub round: u32,
    /// `None` (or a nil id) for a vote for nil.
    pub block_id: Option<&'a BlockId>,
    pub timestamp: Timestamp,
}

/// The sign bytes of `vote` on `chain_id`.
pub fn vote_sign_bytes(chain_id: &str, vote: &VoteToSign<'_>) -> Vec<u8> {
    let block_id = vote.block_id.filter(|id| !id.is_nil()).map(|id| {
        let full = block_id_proto(id);
        let parts = full.part_set_header.unwrap_or_default();
        pb::CanonicalBlockId {
            hash: full.hash,
            part_set_header: Some(pb::CanonicalPartSetHeader { total: parts.total, hash: parts.hash }),
        }
    });
    pb::CanonicalVote {
        r#type: vote.vote_type.to_wire(),
        // Heights and rounds were checked to fit in i64 and i32 when decoded.
        height: vote.height as i64,
        round: i64::from(vote.round),
        block_id,
        timestamp: Some(vote.timestamp.to_proto()),
        chain_id: chain_id.to_string(),
    }
    .encode_length_delimited_to_vec()
}

impl Commit {
    /// The vote slot `index` stands for, to sign or check (CometBFT `Commit.GetVote`).
    pub fn vote_to_sign(&self, index: usize) -> Option<VoteToSign<'_>> {
        let sig = self.signatures.get(index)?;
        Some(VoteToSign {
            vote_type: VoteType::Precommit,
            height: self.height,
            round: self.round,
            block_id: sig.vote_block_id(&self.block_id),
            timestamp: sig.timestamp,
        })
    }

    /// Slot `index` as the signed vote it stands for (CometBFT `Commit.GetVote`); `None` when
    /// absent.
    pub fn signed_vote(&self, index: usize) -> Option<Vote> {
        let sig = self.signatures.get(index)?;
        let validator_address = sig.validator_address?;
        Some(Vote {
            vote_type: VoteType::Precommit,
            height: self.height,
            round: self.round,
            block_id: sig.vote_block_id(&self.block_id).cloned().unwrap_or_default(),
            timestamp: sig.timestamp,
            validator_address,
            validator_index: index as u32,
            signature: sig.signature.clone(),
            extension: Vec::new(),
            extension_signature: Vec::new(),
        })
    }

    /// The sign bytes of slot `index` (CometBFT `Commit.VoteSignBytes`).
    pub fn vote_sign_bytes(&self, chain_id: &str, index: usize) -> Option<Vec<u8>> {
        self.vote_to_sign(index).map(|v| vote_sign_bytes(chain_id, &v))
    }
}

impl Vote {
    pub fn to_sign(&self) -> VoteToSign<'_> {
        VoteToSign {
            vote_type: self.vote_type,
            height: self.height,
            round: self.round,
            block_id: Some(&self.block_id),
            timestamp: self.timestamp,
        }
    }

    pub fn sign_bytes(&self, chain_id: &str) -> Vec<u8> {
        vote_sign_bytes(chain_id, &self.to_sign())
    }
}
