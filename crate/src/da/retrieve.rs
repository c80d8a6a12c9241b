//! Rows asked of a DA signer over 0G's own interface, `Signer.BatchRetrieve` (gRPC, the relay
//! makes the call and forwards the outcome), and what the answer shows.
//!
//! The node asks each signer for rows the chain counts as signed by it ([`super::quorum`]), one
//! `RetrieveRequest` per blob. 0G's node sorts and de-duplicates the indexes, answers
//! `InvalidArgument` for a row it was not assigned, `Internal` when a row is missing from its
//! store, and otherwise one `Slices` with each row's bytes ([`super::slice::decode_row`]).
//!
//! A row carries no proof, so the node checks it against a 0G Merkle proof
//! ([`super::slice::EncodedSliceMerkle`]) from a proof source when it has one. Nothing in the
//! answer is signed: through a relay, a row that does not prove could be the relay's doing as much
//! as the signer's, so no answer ever makes a signer `misbehaving`. A wrong row is reported, with
//! its hash and the fault, as the reason the signer is `unreachable` (no verifiable row from it).

use super::row_proof::{verify_row_merkle, RowProofFault};
use super::rows::row_hash;
use super::slice::{decode_row, EncodedSliceMerkle, SliceError, RETRIEVED_ROW_BYTES};
use crate::hash::Hash32;
use serde::Serialize;
use zg_align_proto::prost::Message;
use zg_align_proto::signer::{BatchRetrieveReply, BatchRetrieveRequest, RetrieveRequest};

/// Most rows one request asks for: a reply then stays under 16 × 32 KiB.
pub const MAX_ROWS_PER_ASK: usize = 16;
/// Largest reply the node decodes: the rows, and room for protobuf's tags and lengths.
pub const MAX_REPLY_BYTES: usize = MAX_ROWS_PER_ASK * (RETRIEVED_ROW_BYTES + 16) + 64;

/// gRPC status codes 0G's DA node answers with.
pub const GRPC_INVALID_ARGUMENT: i32 = 3;
pub const GRPC_INTERNAL: i32 = 13;

/// One `RetrieveRequest`: rows of one blob, sorted and without duplicates as the node answers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetrieveAsk {
    pub epoch: u64,
    pub quorum_id: u64,
    pub data_root: Hash32,
    pub rows: Vec<u16>,
}

impl RetrieveAsk {
    /// Sorts and de-duplicates `rows`, keeping at most [`MAX_ROWS_PER_ASK`].
    pub fn new(epoch: u64, quorum_id: u64, data_root: Hash32, mut rows: Vec<u16>) -> Self {
        rows.sort_unstable();
        rows.dedup();
        rows.truncate(MAX_ROWS_PER_ASK);
        RetrieveAsk { epoch, quorum_id, data_root, rows }
    }

    /// The request the relay sends, as 0G's retriever builds it: one `RetrieveRequest`.
    pub fn request(&self) -> BatchRetrieveRequest {
        BatchRetrieveRequest {
            requests: vec![RetrieveRequest {
                epoch: self.epoch,
                quorum_id: self.quorum_id,
                storage_root: self.data_root.0.to_vec(),
                row_indexes: self.rows.iter().map(|&r| r as u32).collect(),
            }],
        }
    }
}

/// What the relay hands back for one `BatchRetrieve` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrieveOutcome {
    /// The reply message, as protobuf bytes (`BatchRetrieveReply`).
    Reply(Vec<u8>),
    /// A gRPC status instead of a reply.
    Status { code: i32, message: String },
    /// No answer: connection refused or reset, deadline passed.
    Transport { message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ReplyError {
    #[error("reply of {bytes} bytes, more than {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("reply is not a BatchRetrieveReply: {message}")]
    Protobuf { message: String },
    #[error("reply has {received} slice lists for 1 request")]
    Requests { received: usize },
    #[error("reply has {received} rows for {expected} asked")]
    Rows { expected: usize, received: usize },
    #[error("row {index}: {source}")]
    Row { index: u16, source: SliceError },
}

/// The rows of a reply to `ask`, in the order asked, each 32 KiB.
pub fn decode_reply(bytes: &[u8], ask: &RetrieveAsk) -> Result<Vec<Vec<u8>>, ReplyError> {
    if bytes.len() > MAX_REPLY_BYTES {
        return Err(ReplyError::TooLarge { bytes: bytes.len(), max: MAX_REPLY_BYTES });
    }
    // Counted before decoding: prost would build an entry for each of a million empty ones.
    if let Some((requests, first)) = occurrences(bytes, 1) {
        if requests != 1 {
            return Err(ReplyError::Requests { received: requests });
        }
        if let Some((rows, _)) = first.and_then(|slices| occurrences(slices, 1)) {
            if rows != ask.rows.len() {
                return Err(ReplyError::Rows { expected: ask.rows.len(), received: rows });
            }
        }
    }
    let reply = BatchRetrieveReply::decode(bytes).map_err(|e| ReplyError::Protobuf { message: e.to_string() })?;
    let [slices] = <[_; 1]>::try_from(reply.encoded_slice).map_err(|v: Vec<_>| ReplyError::Requests { received: v.len() })?;
    if slices.encoded_slice.len() != ask.rows.len() {
        return Err(ReplyError::Rows { expected: ask.rows.len(), received: slices.encoded_slice.len() });
    }
    ask.rows.iter().zip(&slices.encoded_slice).map(|(&index, bytes)| decode_row(bytes).map_err(|source| ReplyError::Row { index, source })).collect()
}

/// How often length-delimited field `number` occurs at the top level of protobuf message `bytes`,
/// and its first occurrence's bytes; `None` when the message does not parse or the field comes
/// with another wire type (prost then says why).
fn occurrences(bytes: &[u8], number: u64) -> Option<(usize, Option<&[u8]>)> {
    fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let (mut at, mut count, mut first) = (0, 0, None);
    while at < bytes.len() {
        let key = varint(bytes, &mut at)?;
        let (field, wire) = (key >> 3, key & 7);
        let start = match wire {
            0 => {
                varint(bytes, &mut at)?;
                None
            }
            1 | 5 => {
                at = at.checked_add(if wire == 1 { 8 } else { 4 })?;
                None
            }
            2 => {
                let len = usize::try_from(varint(bytes, &mut at)?).ok()?;
                let start = at;
                at = at.checked_add(len)?;
                Some(start)
            }
            _ => return None,
        };
        if at > bytes.len() {
            return None;
        }
        if field == number {
            let start = start?;
            count += 1;
            first.get_or_insert(&bytes[start..at]);
        }
    }
    Some((count, first))
}

/// Why a signer gave no row the node could use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RetrieveFailure {
    /// No answer: the connection failed or the deadline passed.
    Transport { message: String },
    /// A gRPC refusal; `InvalidArgument` is 0G's answer for a row not assigned to the signer.
    Refused { code: i32, message: String },
    /// `Internal`: 0G's answer when the row is missing from the signer's store.
    Lost { message: String },
    /// Bytes that are not a reply to the request.
    Garbled { error: ReplyError },
    /// A row whose words do not hash to its authenticated Merkle leaf. Through a relay this is
    /// not attributable to the signer.
    BadRow { index: u16, row_hash: Hash32, fault: RowProofFault },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum RetrievedVerdict {
    /// Every row asked came back well formed; `proven` of them were checked against their blob's
    /// data root (the others had no proof to check against).
    Healthy { rows: usize, proven: usize },
    Unreachable { data_root: Hash32, reason: RetrieveFailure },
    /// Nothing was asked of it: no checked certificate gives it rows. Zero samples say nothing,
    /// so this is never healthy.
    Unchecked { reason: String },
}

impl RetrievedVerdict {
    /// One verdict over several blobs: a bad row first, then any other failure; healthy rows add up.
    pub fn combine(self, other: RetrievedVerdict) -> RetrievedVerdict {
        use RetrievedVerdict::*;
        let bad_row = |v: &RetrievedVerdict| matches!(v, Unreachable { reason: RetrieveFailure::BadRow { .. }, .. });
        match (self, other) {
            (Unchecked { .. }, b) => b,
            (a, Unchecked { .. }) => a,
            (a, b) if bad_row(&b) && !bad_row(&a) => b,
            (a @ Unreachable { .. }, _) | (_, a @ Unreachable { .. }) => a,
            (Healthy { rows: a, proven: p }, Healthy { rows: b, proven: q }) => Healthy { rows: a + b, proven: p + q },
        }
    }
}

/// Judges a signer's outcome for `ask`. `proofs[i]` is the serialized Merkle proof of
/// `ask.rows[i]` when the proof source has one; a proof that does not authenticate itself is set
/// aside (the row counts as not proven), never held against the signer.
pub fn judge(ask: &RetrieveAsk, outcome: RetrieveOutcome, proofs: &[Option<Vec<u8>>]) -> RetrievedVerdict {
    let unreachable = |reason| RetrievedVerdict::Unreachable { data_root: ask.data_root, reason };
    let bytes = match outcome {
        RetrieveOutcome::Transport { message } => return unreachable(RetrieveFailure::Transport { message }),
        RetrieveOutcome::Status { code: GRPC_INTERNAL, message } => return unreachable(RetrieveFailure::Lost { message }),
        RetrieveOutcome::Status { code, message } => return unreachable(RetrieveFailure::Refused { code, message }),
        RetrieveOutcome::Reply(bytes) => bytes,
    };
    let rows = match decode_reply(&bytes, ask) {
        Ok(rows) => rows,
        Err(error) => return unreachable(RetrieveFailure::Garbled { error }),
    };
    let mut proven = 0;
    for (i, (&index, row)) in ask.rows.iter().zip(&rows).enumerate() {
        let Some(Ok(merkle)) = proofs.get(i).and_then(Option::as_deref).map(EncodedSliceMerkle::decode) else { continue };
        match verify_row_merkle(row, index, &merkle, &ask.data_root) {
            Ok(()) => proven += 1,
            Err(fault) if fault.blames_row() => return unreachable(RetrieveFailure::BadRow { index, row_hash: row_hash(row), fault }),
            Err(_) => {}
        }
    }
    RetrievedVerdict::Healthy { rows: rows.len(), proven }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use crate::da::slice::encode_row;
    use zg_align_proto::signer::Slices;

    fn reply(rows: Vec<Vec<u8>>) -> Vec<u8> {
        BatchRetrieveReply { encoded_slice: vec![Slices { encoded_slice: rows }] }.encode_to_vec()
    }

    #[test]
    fn asks_are_sorted_and_capped_and_replies_decoded_strictly() {
        let ask = RetrieveAsk::new(1, 0, Hash32([4; 32]), vec![9, 3, 3, 7]);
        assert_eq!(ask.rows, vec![3, 7, 9]);
        let request = ask.request();
        assert_eq!(request.requests[0].row_indexes, vec![3, 7, 9]);
        assert_eq!(request.requests[0].storage_root, vec![4; 32]);
        assert_eq!(RetrieveAsk::new(1, 0, Hash32::ZERO, (0..40).collect()).rows.len(), MAX_ROWS_PER_ASK);
        let row = vec![1u8; 32 * 1024].chunks(32).flat_map(|w| [&w[..31], &[0u8][..]].concat()).collect::<Vec<u8>>();
        let good = reply(vec![encode_row(&row); 3]);
        assert_eq!(decode_reply(&good, &ask).unwrap(), vec![row.clone(); 3]);
        assert_eq!(decode_reply(&reply(vec![encode_row(&row); 2]), &ask), Err(ReplyError::Rows { expected: 3, received: 2 }));
        let two = BatchRetrieveReply { encoded_slice: vec![Slices::default(), Slices::default()] }.encode_to_vec();
        assert_eq!(decode_reply(&two, &ask), Err(ReplyError::Requests { received: 2 }));
        assert!(matches!(decode_reply(&good[..good.len() - 3], &ask), Err(ReplyError::Protobuf { .. })));
        assert!(matches!(decode_reply(&[0xff; 10], &ask), Err(ReplyError::Protobuf { .. })));
        assert!(matches!(decode_reply(&vec![0u8; MAX_REPLY_BYTES + 1], &ask), Err(ReplyError::TooLarge { .. })));
        let mut short = encode_row(&row);
        short.truncate(100);
        assert!(matches!(decode_reply(&reply(vec![encode_row(&row), short, encode_row(&row)]), &ask), Err(ReplyError::Row { index: 7, .. })));
    }

    #[test]
    fn refusals_and_garbage_are_unreachable_never_misbehaving() {
        let ask = RetrieveAsk::new(1, 0, Hash32([4; 32]), vec![1]);
        let reason = |o| match judge(&ask, o, &[]) {
            RetrievedVerdict::Unreachable { reason, .. } => reason,
            other => panic!("{other:?}"),
        };
        assert!(matches!(reason(RetrieveOutcome::Status { code: GRPC_INTERNAL, message: "slice is missing".into() }), RetrieveFailure::Lost { .. }));
        assert!(matches!(reason(RetrieveOutcome::Status { code: GRPC_INVALID_ARGUMENT, message: "invalid row indexes".into() }), RetrieveFailure::Refused { code: 3, .. }));
        assert!(matches!(reason(RetrieveOutcome::Transport { message: "reset".into() }), RetrieveFailure::Transport { .. }));
        assert!(matches!(reason(RetrieveOutcome::Reply(vec![1, 2, 3])), RetrieveFailure::Garbled { .. }));
        let json = serde_json::to_value(judge(&ask, RetrieveOutcome::Reply(vec![]), &[])).unwrap();
        assert_eq!(json["verdict"], "unreachable");
        assert_eq!(json["reason"]["kind"], "garbled");
    }
}
