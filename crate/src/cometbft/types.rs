//! CometBFT's values as the light node uses them, after decoding (see [`super::rpc`]): every
//! field checked for length and range, integers in their CometBFT ranges (heights 0..=i64::MAX,
//! rounds 0..=i32::MAX), times as protobuf timestamps.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub use crate::hash::Hash32;

/// A validator address: the first 20 bytes of SHA-256 of its public key (as the chain writes it).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address(pub [u8; 20]);

impl Address {
    /// Upper-case hex, as CometBFT writes addresses.
    pub fn to_hex(&self) -> String {
        hex::encode_upper(self.0)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({})", self.to_hex())
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

/// Evidence read back (`zg_align::evidence`): 40 hex digits, either case.
impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bytes = deserialize_hex(d)?;
        bytes.try_into().map(Address).map_err(|_| serde::de::Error::custom("an address is 20 bytes"))
    }
}

/// A point in time as protobuf's `google.protobuf.Timestamp`: seconds since the Unix epoch and
/// nanoseconds (0..1e9). CometBFT's zero time (`0001-01-01T00:00:00Z`) is
/// [`Timestamp::ZERO_TIME`]. Ordered as time is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    pub seconds: i64,
    pub nanos: u32,
}

/// Seconds from 0001-01-01 to 1970-01-01 (Go's zero `time.Time`, what absent votes carry).
const ZERO_TIME_SECONDS: i64 = -62_135_596_800;
/// Seconds from 1970-01-01 to 10000-01-01 (the end of the RFC 3339 range).
const MAX_SECONDS: i64 = 253_402_300_800;

impl Timestamp {
    pub const ZERO_TIME: Timestamp = Timestamp { seconds: ZERO_TIME_SECONDS, nanos: 0 };

    /// Parses RFC 3339 as Go's `time.Time` JSON does (`Z` or an offset, up to 9 fraction digits).
    pub fn parse(text: &str) -> Option<Timestamp> {
        let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
        let nanos = t.unix_timestamp_nanos();
        let seconds = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
        let ts = Timestamp { seconds, nanos: nanos.rem_euclid(1_000_000_000) as u32 };
        ts.in_range().then_some(ts)
    }

    /// Milliseconds since the Unix epoch (`Date.now()` in a worker).
    pub fn from_unix_millis(millis: i64) -> Timestamp {
        Timestamp { seconds: millis.div_euclid(1000), nanos: (millis.rem_euclid(1000) as u32) * 1_000_000 }
    }

    pub fn from_unix_seconds(seconds: i64) -> Timestamp {
        Timestamp { seconds, nanos: 0 }
    }

    fn in_range(&self) -> bool {
        (ZERO_TIME_SECONDS..MAX_SECONDS).contains(&self.seconds) && self.nanos < 1_000_000_000
    }

    pub fn is_zero_time(&self) -> bool {
        *self == Timestamp::ZERO_TIME
    }

    /// This time plus `seconds` (saturating).
    pub fn plus_seconds(&self, seconds: u64) -> Timestamp {
        Timestamp { seconds: self.seconds.saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX)), nanos: self.nanos }
    }

    pub(super) fn to_proto(self) -> tendermint_proto::google::protobuf::Timestamp {
        tendermint_proto::google::protobuf::Timestamp { seconds: self.seconds, nanos: self.nanos as i32 }
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with trailing zeros of the fraction dropped (Go's `RFC3339Nano`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Ok(t) = time::OffsetDateTime::from_unix_timestamp(self.seconds) else {
            return write!(f, "{}s+{}ns", self.seconds, self.nanos);
        };
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )?;
        if self.nanos != 0 {
            let fraction = format!("{:09}", self.nanos);
            write!(f, ".{}", fraction.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Timestamp::parse(&text).ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time"))
    }
}

/// Bytes written as upper-case hex in JSON (hashes, app hash).
fn serialize_hex_upper<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode_upper(bytes))
}

/// Hex of either case back to bytes (evidence read back).
fn deserialize_hex<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    hex::decode(&*text).map_err(serde::de::Error::custom)
}

/// `PartSetHeader`: how the block was cut into parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartSetHeader {
    pub total: u32,
    /// Empty or 32 bytes.
    #[serde(serialize_with = "serialize_hex_upper", deserialize_with = "deserialize_hex")]
    pub hash: Vec<u8>,
}

/// `BlockID`: the header's hash and the part set header. The zero value is "no block" (a nil
/// vote, the first block's `last_block_id`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlockId {
    /// Empty or 32 bytes.
    #[serde(serialize_with = "serialize_hex_upper", deserialize_with = "deserialize_hex")]
    pub hash: Vec<u8>,
    pub parts: PartSetHeader,
}

impl BlockId {
    /// CometBFT's `IsNil`: no hash and a zero part set header.
    pub fn is_nil(&self) -> bool {
        self.hash.is_empty() && self.parts.total == 0 && self.parts.hash.is_empty()
    }

    /// CometBFT's `IsComplete`: a 32-byte hash and a non-empty part set header.
    pub fn is_complete(&self) -> bool {
        self.hash.len() == 32 && self.parts.total > 0 && self.parts.hash.len() == 32
    }

    /// The block hash, if it is 32 bytes.
    pub fn hash32(&self) -> Option<Hash32> {
        self.hash.as_slice().try_into().ok().map(Hash32)
    }

    /// Upper-case hex of the hash (CometBFT's way).
    pub fn hash_hex(&self) -> String {
        hex::encode_upper(&self.hash)
    }
}

/// `version.Consensus`: the block and app protocol versions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Version {
    pub block: u64,
    pub app: u64,
}

/// CometBFT's block protocol version (`version.BlockProtocol`), the only one headers may carry.
pub const BLOCK_PROTOCOL: u64 = 11;

/// A block header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    pub version: Version,
    pub chain_id: String,
    pub height: u64,
    pub time: Timestamp,
    pub last_block_id: BlockId,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub last_commit_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub data_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub validators_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub next_validators_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub consensus_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub app_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub last_results_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub evidence_hash: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub proposer_address: Vec<u8>,
}

/// `BlockIDFlag`: what a commit holds for one validator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BlockIdFlag {
    /// No vote received (1).
    Absent,
    /// A precommit for the committed block (2).
    Commit,
    /// A precommit for nil (3).
    Nil,
}

impl BlockIdFlag {
    pub fn from_wire(value: u8) -> Option<Self> {
        match value {
            1 => Some(BlockIdFlag::Absent),
            2 => Some(BlockIdFlag::Commit),
            3 => Some(BlockIdFlag::Nil),
            _ => None,
        }
    }

    pub fn to_wire(self) -> u8 {
        match self {
            BlockIdFlag::Absent => 1,
            BlockIdFlag::Commit => 2,
            BlockIdFlag::Nil => 3,
        }
    }
}

/// One slot of a commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitSig {
    pub flag: BlockIdFlag,
    /// `None` exactly when absent.
    pub validator_address: Option<Address>,
    /// The validator's own vote time ([`Timestamp::ZERO_TIME`] when absent).
    pub timestamp: Timestamp,
    /// 1..=96 bytes unless absent (then empty).
    #[serde(serialize_with = "serialize_hex_upper")]
    pub signature: Vec<u8>,
}

impl CommitSig {
    /// A slot with no vote, as CometBFT writes one: no address, the zero time, no signature.
    pub fn absent() -> CommitSig {
        CommitSig { flag: BlockIdFlag::Absent, validator_address: None, timestamp: Timestamp::ZERO_TIME, signature: Vec::new() }
    }

    /// The block this slot's vote is for: the commit's block, or nil (CometBFT `CommitSig.BlockID`).
    pub fn vote_block_id<'a>(&self, commit_block_id: &'a BlockId) -> Option<&'a BlockId> {
        (self.flag == BlockIdFlag::Commit).then_some(commit_block_id)
    }
}

/// A commit: the precommits, one slot per validator of the set, in the set's order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub height: u64,
    pub round: u32,
    pub block_id: BlockId,
    pub signatures: Vec<CommitSig>,
}

/// A header and the commit that signs it (`/commit`'s `signed_header`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedHeader {
    pub header: Header,
    pub commit: Commit,
}

/// `SignedMsgType` of a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VoteType {
    Prevote,
    Precommit,
}

impl VoteType {
    pub fn from_wire(value: i64) -> Option<Self> {
        match value {
            1 => Some(VoteType::Prevote),
            2 => Some(VoteType::Precommit),
            _ => None,
        }
    }

    pub fn to_wire(self) -> i32 {
        match self {
            VoteType::Prevote => 1,
            VoteType::Precommit => 2,
        }
    }
}

/// A signed vote as CometBFT writes it (in `DuplicateVoteEvidence`, or seen by the node).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub vote_type: VoteType,
    pub height: u64,
    pub round: u32,
    /// Nil for a vote for nil.
    pub block_id: BlockId,
    pub timestamp: Timestamp,
    pub validator_address: Address,
    pub validator_index: u32,
    #[serde(serialize_with = "serialize_hex_upper", deserialize_with = "deserialize_hex")]
    pub signature: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper", deserialize_with = "deserialize_hex")]
    pub extension: Vec<u8>,
    #[serde(serialize_with = "serialize_hex_upper", deserialize_with = "deserialize_hex")]
    pub extension_signature: Vec<u8>,
}

/// `DuplicateVoteEvidence`: two votes of one validator at one height, round and type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DuplicateVoteEvidence {
    pub vote_a: Vote,
    pub vote_b: Vote,
    pub total_voting_power: i64,
    pub validator_power: i64,
    pub timestamp: Timestamp,
}

/// One item of a block's evidence list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Evidence {
    DuplicateVote(Box<DuplicateVoteEvidence>),
    /// Another kind (`tendermint/LightClientAttackEvidence`): kept by name, not decoded.
    Other { type_name: String },
}

/// `/block`'s answer without the transactions (never decoded: the light node does not need them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Block {
    pub block_id: BlockId,
    pub header: Header,
    pub evidence: Vec<Evidence>,
    /// The commit of the previous height carried by this block (height 0 and empty at height 1).
    pub last_commit: Option<Commit>,
}

/// What `/status` says about the node and its chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Status {
    /// `node_info.network`: the chain id.
    pub chain_id: String,
    pub latest_block_height: u64,
    #[serde(serialize_with = "serialize_hex_upper")]
    pub latest_block_hash: Vec<u8>,
    pub latest_block_time: Timestamp,
    pub earliest_block_height: u64,
    pub catching_up: bool,
}
