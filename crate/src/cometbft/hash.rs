//! Hashes as CometBFT computes them: its simple Merkle tree (RFC 6962 style: SHA-256 with a 0x00
//! prefix for leaves and 0x01 for inner nodes, split at the largest power of two below n) over
//! protobuf encodings (tendermint-proto 0.41 messages; the v1 `PublicKey` with its BLS field is
//! declared here, as tendermint-proto stops at v0.38's messages).
//!
//! The tree is written here rather than taken from the `tendermint` crate (which has it as
//! `merkle::simple_hash_from_byte_vectors`): it is 20 lines, and that crate would bring its own
//! key and time types into the shipped module. The tests hold both to the same answers.

use super::key::ValidatorKey;
use super::profile::ChainProfile;
use super::types::{BlockId, DuplicateVoteEvidence, Evidence, Hash32, Header, Vote};
use prost::Message;
use sha2::{Digest, Sha256};
use tendermint_proto::v0_38::types as pb;

/// The Merkle root of `items` (CometBFT `merkle.HashFromByteSlices`); SHA-256 of nothing for none.
pub fn merkle_root<T: AsRef<[u8]>>(items: &[T]) -> Hash32 {
    match items.len() {
        0 => Hash32(Sha256::digest([]).into()),
        1 => Hash32(Sha256::new().chain_update([0u8]).chain_update(items[0].as_ref()).finalize().into()),
        n => {
            let split = split_point(n);
            let left = merkle_root(&items[..split]);
            let right = merkle_root(&items[split..]);
            Hash32(Sha256::new().chain_update([1u8]).chain_update(left.0).chain_update(right.0).finalize().into())
        }
    }
}

/// The largest power of two below `n` (n > 1).
fn split_point(n: usize) -> usize {
    let power = n.next_power_of_two();
    if power == n {
        n / 2
    } else {
        power / 2
    }
}

/// `BlockID` as protobuf (`part_set_header` is not nullable, so always written).
pub(super) fn block_id_proto(id: &BlockId) -> pb::BlockId {
    pb::BlockId {
        hash: id.hash.clone(),
        part_set_header: Some(pb::PartSetHeader { total: id.parts.total, hash: id.parts.hash.clone() }),
    }
}

/// The header's hash (CometBFT `Header.Hash`): the Merkle root of its 14 fields, each
/// protobuf-encoded (scalars and byte strings as the `google.protobuf` wrapper messages, which is
/// what prost's `Message` impls for `String`, `i64` and `Vec<u8>` write).
pub fn header_hash(header: &Header) -> Hash32 {
    let version = tendermint_proto::v0_38::version::Consensus { block: header.version.block, app: header.version.app };
    let bytes = |b: &Vec<u8>| b.encode_to_vec();
    let fields: [Vec<u8>; 14] = [
        version.encode_to_vec(),
        header.chain_id.encode_to_vec(),
        // Heights were checked to fit in i64 when decoded.
        (header.height as i64).encode_to_vec(),
        header.time.to_proto().encode_to_vec(),
        block_id_proto(&header.last_block_id).encode_to_vec(),
        bytes(&header.last_commit_hash),
        bytes(&header.data_hash),
        bytes(&header.validators_hash),
        bytes(&header.next_validators_hash),
        bytes(&header.consensus_hash),
        bytes(&header.app_hash),
        bytes(&header.last_results_hash),
        bytes(&header.evidence_hash),
        bytes(&header.proposer_address),
    ];
    merkle_root(&fields)
}

/// CometBFT v1's `crypto.v1.PublicKey` (ed25519 = 1, secp256k1 = 2, bls12381 = 3).
#[derive(Clone, PartialEq, Message)]
struct PublicKeyProto {
    #[prost(oneof = "PublicKeySum", tags = "1, 2, 3")]
    sum: Option<PublicKeySum>,
}

#[derive(Clone, PartialEq, prost::Oneof)]
enum PublicKeySum {
    #[prost(bytes, tag = "1")]
    Ed25519(Vec<u8>),
    #[prost(bytes, tag = "2")]
    Secp256k1(Vec<u8>),
    #[prost(bytes, tag = "3")]
    Bls12381(Vec<u8>),
}

/// CometBFT's `SimpleValidator`: what the validator-set hash covers of each validator.
#[derive(Clone, PartialEq, Message)]
struct SimpleValidatorProto {
    #[prost(message, optional, tag = "1")]
    pub_key: Option<PublicKeyProto>,
    #[prost(int64, tag = "2")]
    voting_power: i64,
}

/// One validator's bytes in the set hash (CometBFT `Validator.Bytes`).
pub fn simple_validator_bytes(key: &ValidatorKey, power: u64, profile: &ChainProfile) -> Vec<u8> {
    let bytes = key.chain_bytes(profile);
    let sum = match key {
        ValidatorKey::Bls12_381(_) => PublicKeySum::Bls12381(bytes),
        ValidatorKey::Ed25519(_) => PublicKeySum::Ed25519(bytes),
    };
    // Powers were checked to fit in i64 when decoded.
    SimpleValidatorProto { pub_key: Some(PublicKeyProto { sum: Some(sum) }), voting_power: power as i64 }.encode_to_vec()
}

/// A vote as protobuf (`types.Vote`), as evidence hashes write it.
pub(super) fn vote_proto(vote: &Vote) -> pb::Vote {
    pb::Vote {
        r#type: vote.vote_type.to_wire(),
        height: vote.height as i64,
        round: vote.round as i32,
        block_id: Some(block_id_proto(&vote.block_id)),
        timestamp: Some(vote.timestamp.to_proto()),
        validator_address: vote.validator_address.0.to_vec(),
        validator_index: vote.validator_index as i32,
        signature: vote.signature.clone(),
        extension: vote.extension.clone(),
        extension_signature: vote.extension_signature.clone(),
    }
}

/// `DuplicateVoteEvidence.Bytes()`: the protobuf encoding the evidence hash covers.
pub fn duplicate_vote_evidence_bytes(evidence: &DuplicateVoteEvidence) -> Vec<u8> {
    pb::DuplicateVoteEvidence {
        vote_a: Some(vote_proto(&evidence.vote_a)),
        vote_b: Some(vote_proto(&evidence.vote_b)),
        total_voting_power: evidence.total_voting_power,
        validator_power: evidence.validator_power,
        timestamp: Some(evidence.timestamp.to_proto()),
    }
    .encode_to_vec()
}

/// The header's `evidence_hash` for this list (CometBFT `EvidenceList.Hash`), or `None` when the
/// list holds evidence this module does not decode (light client attacks).
pub fn evidence_hash(evidence: &[Evidence]) -> Option<Hash32> {
    let mut items = Vec::with_capacity(evidence.len());
    for e in evidence {
        match e {
            Evidence::DuplicateVote(d) => items.push(duplicate_vote_evidence_bytes(d)),
            Evidence::Other { .. } => return None,
        }
    }
    Some(merkle_root(&items))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn split_points_are_the_largest_power_of_two_below_n() {
        for (n, split) in [(2, 1), (3, 2), (4, 2), (5, 4), (8, 4), (9, 8), (150, 128)] {
            assert_eq!(split_point(n), split, "n = {n}");
        }
    }

    #[test]
    fn empty_tree_is_sha256_of_nothing() {
        assert_eq!(merkle_root::<&[u8]>(&[]).to_hex(), "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
