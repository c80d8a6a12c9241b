//! Decoding CometBFT RPC answers as a node receives them: `/commit`, `/validators`, `/status` and
//! `/block`, each either in its JSON-RPC 2.0 envelope (`{"jsonrpc":"2.0","id":..,"result":..}`,
//! or `"error"`) or as the bare result. Strict: every field is checked for form, length and
//! range (CometBFT's `ValidateBasic` rules that need no other data), integers are read in
//! CometBFT's JSON forms (64-bit ones as decimal strings, 32-bit ones as numbers), bytes as
//! upper- or lower-case hex or standard base64 where CometBFT writes those. Every answer has a
//! size cap checked before parsing, and every list a count cap; transactions in `/block` are
//! skipped without being kept.

use super::error::{DecodeError, Problem};
use super::key::ValidatorKey;
use super::sign_bytes::MAX_CHAIN_ID_LEN;
use super::types::{
    Address, Block, BlockId, BlockIdFlag, Commit, CommitSig, DuplicateVoteEvidence, Evidence, Header, PartSetHeader, SignedHeader, Status,
    Timestamp, Version, Vote, VoteType,
};
use crate::bounded_json::{short_error, AtMost};
use base64::Engine;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_json::value::RawValue;

/// Largest `/commit` answer read (10 000 signatures of about 250 bytes each fit).
pub const MAX_COMMIT_BYTES: usize = 4 << 20;
/// Largest `/validators` page read.
pub const MAX_VALIDATORS_PAGE_BYTES: usize = 1 << 20;
/// Largest `/status` answer read.
pub const MAX_STATUS_BYTES: usize = 64 << 10;
/// Largest `/block` answer read (transactions included, though never kept).
pub const MAX_BLOCK_BYTES: usize = 16 << 20;
/// Most validators in a set or signatures in a commit (CometBFT's `MaxVotesCount`).
pub const MAX_VALIDATORS: usize = 10_000;
/// Most validators in one `/validators` page (CometBFT's `maxPerPage`).
pub const MAX_PER_PAGE: usize = 100;
/// Most evidence items read from one block.
pub const MAX_EVIDENCE_PER_BLOCK: usize = 1024;
/// Longest app hash read (CometBFT does not bound it; 0G's is 32 bytes).
pub const MAX_APP_HASH_LEN: usize = 1024;
/// Longest signature (CometBFT `MaxSignatureSize` with BLS: 96).
pub const MAX_SIGNATURE_LEN: usize = 96;
/// Longest vote extension read from evidence.
pub const MAX_EXTENSION_LEN: usize = 64 << 10;

/// `/commit`'s result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitResponse {
    pub signed_header: SignedHeader,
    /// Whether the commit is the canonical one (from the next block) rather than the node's own
    /// last seen commit (for the latest height).
    pub canonical: bool,
}

/// One `/validators` page. The validators stay raw (key and power) until a set is built from
/// every page with a [`super::ChainProfile`] (see [`super::ValidatorSet`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorsPage {
    pub block_height: u64,
    pub validators: Vec<ValidatorEntry>,
    /// Validators on this page.
    pub count: usize,
    /// Validators in the whole set.
    pub total: usize,
}

/// One validator as `/validators` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorEntry {
    pub address: Address,
    pub key: ValidatorKey,
    pub power: u64,
    pub proposer_priority: i64,
}

// ---------- entry points

/// Decodes a `/commit` answer.
pub fn decode_commit(body: &[u8]) -> Result<CommitResponse, DecodeError> {
    let raw: RawCommitResult = result_of(body, "commit", MAX_COMMIT_BYTES)?;
    Ok(CommitResponse {
        signed_header: SignedHeader {
            header: header(&raw.signed_header.header, "signed_header.header")?,
            commit: commit(&raw.signed_header.commit, "signed_header.commit")?,
        },
        canonical: raw.canonical,
    })
}

/// Decodes a header on its own (a JSON object with CometBFT's header fields).
pub fn decode_header(body: &[u8]) -> Result<Header, DecodeError> {
    if body.len() > MAX_STATUS_BYTES {
        return Err(DecodeError::TooLarge { what: "header", got: body.len(), max: MAX_STATUS_BYTES });
    }
    let raw: RawHeader = crate::bounded_json::from_bytes(body).map_err(|e| DecodeError::Shape { what: "header", message: short_error(&e) })?;
    header(&raw, "header")
}

/// Decodes a `/validators` page.
pub fn decode_validators(body: &[u8]) -> Result<ValidatorsPage, DecodeError> {
    let raw: RawValidatorsResult = result_of(body, "validators", MAX_VALIDATORS_PAGE_BYTES)?;
    let block_height = height(&raw.block_height, "block_height")?;
    let count = count(&raw.count, "count", MAX_PER_PAGE)?;
    let total = count_field(&raw.total, "total", MAX_VALIDATORS)?;
    let listed = raw.validators.within().map_err(|got| DecodeError::TooMany { what: "validators on one page", got, max: MAX_PER_PAGE })?;
    if listed.len() != count {
        return Err(DecodeError::field("count", Problem::Invalid(format!("says {count}, the page lists {}", listed.len()))));
    }
    if count > total {
        return Err(DecodeError::field("count", Problem::Invalid(format!("{count} on a page of a set of {total}"))));
    }
    let validators = listed.iter().enumerate().map(|(i, v)| validator(v, &format!("validators[{i}]"))).collect::<Result<_, _>>()?;
    Ok(ValidatorsPage { block_height, validators, count, total })
}

/// Decodes a `/status` answer.
pub fn decode_status(body: &[u8]) -> Result<Status, DecodeError> {
    let raw: RawStatus = result_of(body, "status", MAX_STATUS_BYTES)?;
    Ok(Status {
        chain_id: chain_id(&raw.node_info.network, "node_info.network")?,
        latest_block_height: height(&raw.sync_info.latest_block_height, "sync_info.latest_block_height")?,
        latest_block_hash: hash(&raw.sync_info.latest_block_hash, "sync_info.latest_block_hash")?,
        latest_block_time: time(&raw.sync_info.latest_block_time, "sync_info.latest_block_time")?,
        earliest_block_height: match &raw.sync_info.earliest_block_height {
            Some(h) => height(h, "sync_info.earliest_block_height")?,
            None => 0,
        },
        catching_up: raw.sync_info.catching_up,
    })
}

/// Decodes a `/block` answer (transactions are skipped, not kept).
pub fn decode_block(body: &[u8]) -> Result<Block, DecodeError> {
    let raw: RawBlockResult = result_of(body, "block", MAX_BLOCK_BYTES)?;
    let items = raw.block.evidence.and_then(|e| e.evidence).unwrap_or_default();
    let items = items.within().map_err(|got| DecodeError::TooMany { what: "evidence items in one block", got, max: MAX_EVIDENCE_PER_BLOCK })?;
    let mut evidence = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let field = format!("block.evidence.evidence[{i}]");
        evidence.push(match item.type_name.as_str() {
            "tendermint/DuplicateVoteEvidence" => {
                let raw: RawDuplicateVoteEvidence =
                    serde_json::from_str(item.value.get()).map_err(|e| DecodeError::field(format!("{field}.value"), Problem::Invalid(short_error(&e))))?;
                Evidence::DuplicateVote(Box::new(duplicate_vote_evidence(&raw, &format!("{field}.value"))?))
            }
            other => Evidence::Other { type_name: other.chars().take(64).collect() },
        });
    }
    Ok(Block {
        block_id: block_id(Some(&raw.block_id), "block_id")?,
        header: header(&raw.block.header, "block.header")?,
        evidence,
        last_commit: raw.block.last_commit.as_ref().map(|c| commit(c, "block.last_commit")).transpose()?,
    })
}

// ---------- the envelope

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<RpcErrorObject>,
}

#[derive(Deserialize)]
struct RpcErrorObject {
    code: i64,
    #[serde(default)]
    message: String,
    /// Kept as text: any JSON, of which 300 characters are shown.
    #[serde(default)]
    data: Option<Box<RawValue>>,
}

/// The result inside a JSON-RPC envelope, or the body itself when it is a bare result.
fn result_of<T: DeserializeOwned>(body: &[u8], what: &'static str, max: usize) -> Result<T, DecodeError> {
    if body.len() > max {
        return Err(DecodeError::TooLarge { what, got: body.len(), max });
    }
    let shape = |e: serde_json::Error| DecodeError::Shape { what, message: short_error(&e) };
    let text = std::str::from_utf8(body).map_err(|e| DecodeError::Shape { what, message: e.to_string() })?;
    let envelope: Envelope<'_> = serde_json::from_str(text).map_err(shape)?;
    if let Some(error) = envelope.error {
        let mut message: String = error.message.chars().take(200).collect();
        if let Some(data) = error.data {
            let data = serde_json::from_str::<String>(data.get()).unwrap_or_else(|_| data.get().to_owned());
            message = format!("{message} ({})", data.chars().take(300).collect::<String>());
        }
        return Err(DecodeError::Rpc { code: error.code, message });
    }
    match envelope.result {
        Some(result) => serde_json::from_str(result.get()).map_err(shape),
        None => serde_json::from_str(text).map_err(shape),
    }
}

// ---------- raw shapes (field names as CometBFT writes them)

#[derive(Deserialize)]
struct RawCommitResult {
    signed_header: RawSignedHeader,
    #[serde(default)]
    canonical: bool,
}

#[derive(Deserialize)]
struct RawSignedHeader {
    header: RawHeader,
    commit: RawCommit,
}

#[derive(Deserialize)]
struct RawVersion {
    #[serde(default)]
    block: Option<String>,
    #[serde(default)]
    app: Option<String>,
}

#[derive(Deserialize)]
struct RawHeader {
    version: RawVersion,
    chain_id: String,
    height: String,
    time: String,
    #[serde(default)]
    last_block_id: Option<RawBlockId>,
    last_commit_hash: String,
    data_hash: String,
    validators_hash: String,
    next_validators_hash: String,
    consensus_hash: String,
    app_hash: String,
    last_results_hash: String,
    evidence_hash: String,
    proposer_address: String,
}

#[derive(Deserialize)]
struct RawPartSetHeader {
    total: u32,
    hash: String,
}

#[derive(Deserialize)]
struct RawBlockId {
    hash: String,
    /// `parts` in CometBFT's RPC; `part_set_header` where tendermint-rs writes it.
    #[serde(alias = "part_set_header")]
    parts: RawPartSetHeader,
}

#[derive(Deserialize)]
struct RawCommit {
    height: String,
    round: i64,
    block_id: RawBlockId,
    signatures: AtMost<RawCommitSig, MAX_VALIDATORS>,
}

#[derive(Deserialize)]
struct RawCommitSig {
    block_id_flag: u8,
    #[serde(default)]
    validator_address: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    signature: Option<String>,
}

#[derive(Deserialize)]
struct RawValidatorsResult {
    block_height: String,
    validators: AtMost<RawValidator, MAX_PER_PAGE>,
    count: String,
    total: String,
}

#[derive(Deserialize)]
struct RawPubKey {
    #[serde(rename = "type")]
    type_name: String,
    value: String,
}

#[derive(Deserialize)]
struct RawValidator {
    address: String,
    pub_key: RawPubKey,
    voting_power: String,
    #[serde(default)]
    proposer_priority: Option<String>,
}

#[derive(Deserialize)]
struct RawNodeInfo {
    network: String,
}

#[derive(Deserialize)]
struct RawSyncInfo {
    latest_block_hash: String,
    latest_block_height: String,
    latest_block_time: String,
    #[serde(default)]
    earliest_block_height: Option<String>,
    #[serde(default)]
    catching_up: bool,
}

#[derive(Deserialize)]
struct RawStatus {
    node_info: RawNodeInfo,
    sync_info: RawSyncInfo,
}

#[derive(Deserialize)]
struct RawBlockResult {
    block_id: RawBlockId,
    block: RawBlock,
}

#[derive(Deserialize)]
struct RawBlock {
    header: RawHeader,
    /// Transactions: skipped.
    #[serde(default)]
    #[allow(dead_code)]
    data: IgnoredAny,
    #[serde(default)]
    evidence: Option<RawEvidenceList>,
    #[serde(default)]
    last_commit: Option<RawCommit>,
}

#[derive(Deserialize)]
struct RawEvidenceList {
    #[serde(default)]
    evidence: Option<AtMost<RawEvidence, MAX_EVIDENCE_PER_BLOCK>>,
}

#[derive(Deserialize)]
struct RawEvidence {
    #[serde(rename = "type")]
    type_name: String,
    value: Box<RawValue>,
}

/// The three ABCI fields lacked JSON tags before CometBFT 0.38 (`TotalVotingPower`, ...).
#[derive(Deserialize)]
struct RawDuplicateVoteEvidence {
    vote_a: RawVote,
    vote_b: RawVote,
    #[serde(alias = "TotalVotingPower")]
    total_voting_power: String,
    #[serde(alias = "ValidatorPower")]
    validator_power: String,
    #[serde(alias = "Timestamp")]
    timestamp: String,
}

#[derive(Deserialize)]
struct RawVote {
    #[serde(rename = "type")]
    vote_type: i64,
    height: String,
    round: i64,
    block_id: RawBlockId,
    timestamp: String,
    validator_address: String,
    validator_index: i64,
    #[serde(default)]
    signature: Option<String>,
    #[serde(default)]
    extension: Option<String>,
    #[serde(default)]
    extension_signature: Option<String>,
}

// ---------- conversions, each naming its field

fn bad(field: &str, problem: Problem) -> DecodeError {
    DecodeError::field(field, problem)
}

fn int64(text: &str, field: &str) -> Result<i64, DecodeError> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(field, Problem::NotInteger));
    }
    text.parse::<i64>().map_err(|_| bad(field, Problem::NotInteger))
}

/// A height or other non-negative int64.
fn height(text: &str, field: &str) -> Result<u64, DecodeError> {
    let v = int64(text, field)?;
    u64::try_from(v).map_err(|_| bad(field, Problem::OutOfRange("0 or more")))
}

fn count_field(text: &str, field: &str, max: usize) -> Result<usize, DecodeError> {
    let v = height(text, field)?;
    let v = usize::try_from(v).unwrap_or(usize::MAX);
    if v > max {
        return Err(DecodeError::TooMany { what: "validators in the set", got: v, max });
    }
    Ok(v)
}

fn count(text: &str, field: &str, max: usize) -> Result<usize, DecodeError> {
    let v = height(text, field)?;
    usize::try_from(v).ok().filter(|&v| v <= max).ok_or(bad(field, Problem::OutOfRange("at most 100")))
}

fn round(value: i64, field: &str) -> Result<u32, DecodeError> {
    u32::try_from(value).ok().filter(|&r| r <= i32::MAX as u32).ok_or(bad(field, Problem::OutOfRange("0..=2^31-1")))
}

fn hex_bytes(text: &str, field: &str) -> Result<Vec<u8>, DecodeError> {
    hex::decode(text).map_err(|_| bad(field, Problem::NotHex))
}

/// Empty or 32 bytes of hex (CometBFT `ValidateHash`).
fn hash(text: &str, field: &str) -> Result<Vec<u8>, DecodeError> {
    let bytes = hex_bytes(text, field)?;
    if !bytes.is_empty() && bytes.len() != 32 {
        return Err(bad(field, Problem::Length { expected: "0 or 32", got: bytes.len() }));
    }
    Ok(bytes)
}

fn address(text: &str, field: &str) -> Result<Address, DecodeError> {
    let bytes = hex_bytes(text, field)?;
    bytes.as_slice().try_into().map(Address).map_err(|_| bad(field, Problem::Length { expected: "20", got: bytes.len() }))
}

fn base64(text: &str, field: &str) -> Result<Vec<u8>, DecodeError> {
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| bad(field, Problem::NotBase64))
}

fn time(text: &str, field: &str) -> Result<Timestamp, DecodeError> {
    Timestamp::parse(text).ok_or(bad(field, Problem::NotTime))
}

fn chain_id(text: &str, field: &str) -> Result<String, DecodeError> {
    if text.is_empty() || text.len() > MAX_CHAIN_ID_LEN {
        return Err(bad(field, Problem::Length { expected: "1 to 50", got: text.len() }));
    }
    Ok(text.to_string())
}

fn block_id(raw: Option<&RawBlockId>, field: &str) -> Result<BlockId, DecodeError> {
    let Some(raw) = raw else { return Ok(BlockId::default()) };
    Ok(BlockId {
        hash: hash(&raw.hash, &format!("{field}.hash"))?,
        parts: PartSetHeader { total: raw.parts.total, hash: hash(&raw.parts.hash, &format!("{field}.parts.hash"))? },
    })
}

fn header(raw: &RawHeader, field: &str) -> Result<Header, DecodeError> {
    let f = |name: &str| format!("{field}.{name}");
    let version_part = |v: &Option<String>, name: &str| v.as_deref().map(|t| height(t, &f(name))).transpose().map(Option::unwrap_or_default);
    let app_hash = hex_bytes(&raw.app_hash, &f("app_hash"))?;
    if app_hash.len() > MAX_APP_HASH_LEN {
        return Err(bad(&f("app_hash"), Problem::Length { expected: "at most 1024", got: app_hash.len() }));
    }
    let proposer = hex_bytes(&raw.proposer_address, &f("proposer_address"))?;
    if proposer.len() != 20 {
        return Err(bad(&f("proposer_address"), Problem::Length { expected: "20", got: proposer.len() }));
    }
    let h = height(&raw.height, &f("height"))?;
    if h == 0 {
        return Err(bad(&f("height"), Problem::OutOfRange("1 or more")));
    }
    Ok(Header {
        version: Version { block: version_part(&raw.version.block, "version.block")?, app: version_part(&raw.version.app, "version.app")? },
        chain_id: chain_id(&raw.chain_id, &f("chain_id"))?,
        height: h,
        time: time(&raw.time, &f("time"))?,
        last_block_id: block_id(raw.last_block_id.as_ref(), &f("last_block_id"))?,
        last_commit_hash: hash(&raw.last_commit_hash, &f("last_commit_hash"))?,
        data_hash: hash(&raw.data_hash, &f("data_hash"))?,
        validators_hash: hash(&raw.validators_hash, &f("validators_hash"))?,
        next_validators_hash: hash(&raw.next_validators_hash, &f("next_validators_hash"))?,
        consensus_hash: hash(&raw.consensus_hash, &f("consensus_hash"))?,
        app_hash,
        last_results_hash: hash(&raw.last_results_hash, &f("last_results_hash"))?,
        evidence_hash: hash(&raw.evidence_hash, &f("evidence_hash"))?,
        proposer_address: proposer,
    })
}

fn commit(raw: &RawCommit, field: &str) -> Result<Commit, DecodeError> {
    let f = |name: &str| format!("{field}.{name}");
    if raw.signatures.total > MAX_VALIDATORS {
        return Err(DecodeError::TooMany { what: "commit signatures", got: raw.signatures.total, max: MAX_VALIDATORS });
    }
    let height = height(&raw.height, &f("height"))?;
    let block_id = block_id(Some(&raw.block_id), &f("block_id"))?;
    if height >= 1 {
        if block_id.is_nil() {
            return Err(bad(&f("block_id"), Problem::Invalid("a commit cannot be for nil".into())));
        }
        if raw.signatures.items.is_empty() {
            return Err(bad(&f("signatures"), Problem::Invalid("no signatures".into())));
        }
    }
    let signatures = raw.signatures.items.iter().enumerate().map(|(i, s)| commit_sig(s, &format!("{field}.signatures[{i}]"))).collect::<Result<_, _>>()?;
    Ok(Commit { height, round: round(raw.round, &f("round"))?, block_id, signatures })
}

/// One slot, with `CommitSig.ValidateBasic`'s rules: an absent slot carries no address, no time
/// and no signature; a present one a 20-byte address and a signature of 1..=96 bytes.
fn commit_sig(raw: &RawCommitSig, field: &str) -> Result<CommitSig, DecodeError> {
    let f = |name: &str| format!("{field}.{name}");
    let flag = BlockIdFlag::from_wire(raw.block_id_flag).ok_or(bad(&f("block_id_flag"), Problem::OutOfRange("1, 2 or 3")))?;
    let address_text = raw.validator_address.as_deref().unwrap_or("");
    let signature = match raw.signature.as_deref() {
        None => Vec::new(),
        Some(text) => base64(text, &f("signature"))?,
    };
    let timestamp = match raw.timestamp.as_deref() {
        None => Timestamp::ZERO_TIME,
        Some(text) => time(text, &f("timestamp"))?,
    };
    if flag == BlockIdFlag::Absent {
        if !address_text.is_empty() {
            return Err(bad(&f("validator_address"), Problem::Invalid("an absent vote carries an address".into())));
        }
        if !timestamp.is_zero_time() {
            return Err(bad(&f("timestamp"), Problem::Invalid("an absent vote carries a time".into())));
        }
        if !signature.is_empty() {
            return Err(bad(&f("signature"), Problem::Invalid("an absent vote carries a signature".into())));
        }
        return Ok(CommitSig { flag, validator_address: None, timestamp, signature });
    }
    let validator_address = address(address_text, &f("validator_address"))?;
    if signature.is_empty() || signature.len() > MAX_SIGNATURE_LEN {
        return Err(bad(&f("signature"), Problem::Length { expected: "1 to 96", got: signature.len() }));
    }
    Ok(CommitSig { flag, validator_address: Some(validator_address), timestamp, signature })
}

fn validator(raw: &RawValidator, field: &str) -> Result<ValidatorEntry, DecodeError> {
    let f = |name: &str| format!("{field}.{name}");
    let key_bytes = base64(&raw.pub_key.value, &f("pub_key.value"))?;
    let key = ValidatorKey::from_type_and_bytes(&raw.pub_key.type_name, &key_bytes).map_err(|p| bad(&f("pub_key"), p))?;
    let power = height(&raw.voting_power, &f("voting_power"))?;
    Ok(ValidatorEntry {
        address: address(&raw.address, &f("address"))?,
        key,
        power,
        proposer_priority: raw.proposer_priority.as_deref().map(|p| int64(p, &f("proposer_priority"))).transpose()?.unwrap_or(0),
    })
}

fn vote(raw: &RawVote, field: &str) -> Result<Vote, DecodeError> {
    let f = |name: &str| format!("{field}.{name}");
    let optional_base64 = |text: &Option<String>, name: &str, max: usize| -> Result<Vec<u8>, DecodeError> {
        let bytes = text.as_deref().map(|t| base64(t, &f(name))).transpose()?.unwrap_or_default();
        if bytes.len() > max {
            return Err(bad(&f(name), Problem::Length { expected: "fewer", got: bytes.len() }));
        }
        Ok(bytes)
    };
    let height = height(&raw.height, &f("height"))?;
    if height == 0 {
        return Err(bad(&f("height"), Problem::OutOfRange("1 or more")));
    }
    let block_id = block_id(Some(&raw.block_id), &f("block_id"))?;
    if !block_id.is_nil() && !block_id.is_complete() {
        return Err(bad(&f("block_id"), Problem::Invalid("must be empty or complete".into())));
    }
    let signature = optional_base64(&raw.signature, "signature", MAX_SIGNATURE_LEN)?;
    if signature.is_empty() {
        return Err(bad(&f("signature"), Problem::Invalid("missing".into())));
    }
    Ok(Vote {
        vote_type: VoteType::from_wire(raw.vote_type).ok_or(bad(&f("type"), Problem::OutOfRange("1 (prevote) or 2 (precommit)")))?,
        height,
        round: round(raw.round, &f("round"))?,
        block_id,
        timestamp: time(&raw.timestamp, &f("timestamp"))?,
        validator_address: address(&raw.validator_address, &f("validator_address"))?,
        validator_index: u32::try_from(raw.validator_index)
            .ok()
            .filter(|&i| (i as usize) < MAX_VALIDATORS)
            .ok_or(bad(&f("validator_index"), Problem::OutOfRange("0..10000")))?,
        signature,
        extension: optional_base64(&raw.extension, "extension", MAX_EXTENSION_LEN)?,
        extension_signature: optional_base64(&raw.extension_signature, "extension_signature", MAX_SIGNATURE_LEN)?,
    })
}

fn duplicate_vote_evidence(raw: &RawDuplicateVoteEvidence, field: &str) -> Result<DuplicateVoteEvidence, DecodeError> {
    let f = |name: &str| format!("{field}.{name}");
    Ok(DuplicateVoteEvidence {
        vote_a: vote(&raw.vote_a, &f("vote_a"))?,
        vote_b: vote(&raw.vote_b, &f("vote_b"))?,
        total_voting_power: int64(&raw.total_voting_power, &f("total_voting_power"))?,
        validator_power: int64(&raw.validator_power, &f("validator_power"))?,
        timestamp: time(&raw.timestamp, &f("timestamp"))?,
    })
}
