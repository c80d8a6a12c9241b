//! The storage check as a state machine: it asks for random segments of one file from one node
//! and turns the answers into a verdict. No I/O here; see [`super::transport`].
//!
//! "Misbehaving" needs cryptographic evidence: an answer that decodes but does not verify against
//! the file root we trust, kept with what was expected and what came back. Anything else that
//! stops the check (no answer, a time-out, bytes that are not a JSON-RPC answer, an error object,
//! a null segment) makes the node "unreachable".

use super::layout::{FileLayout, LayoutError};
use super::rpc::{request_body, RpcError, SegmentWithProof, MAX_SEGMENT_RESPONSE_BYTES};
use super::sampling::SamplingPolicy;
use super::segment::{verify_segment, SegmentFault};
use super::shard::{HeldSegments, ShardConfig};
use super::transport::TransportError;
use crate::hash::{keccak256, Hash32};
use serde::Serialize;

/// One request the check wants sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentRequest {
    pub id: u64,
    pub index: u64,
    pub body: Vec<u8>,
    pub max_bytes: usize,
}

/// A node's answer that does not verify, with everything needed to check the accusation again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SegmentEvidence {
    pub root: Hash32,
    pub file_size: u64,
    pub index: u64,
    pub fault: SegmentFault,
    /// keccak256 of the raw answer bytes, to tie a kept copy to this verdict.
    pub answer_keccak: Hash32,
    /// The node's JSON-RPC answer, verbatim: with the root, size and index, anyone can check the
    /// fault again (`zg-align-devnet verify evidence`, [`crate::evidence`]).
    pub answer: String,
}

/// Why a node gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UnreachableReason {
    #[error("segment {index}: {error}")]
    Transport { index: u64, error: TransportError },
    #[error("segment {index}: {error}")]
    BadAnswer { index: u64, error: RpcError },
    #[error("segment {index}: node returned null (withheld or not stored)")]
    Withheld { index: u64 },
    #[error("the check did not finish within {ms} ms")]
    Deadline { ms: u64 },
    #[error("{call}: {error}")]
    NodeCall { call: &'static str, error: TransportError },
    #[error("{call}: {error}")]
    NodeInfo { call: &'static str, error: RpcError },
    #[error("the node does not know the file (zgs_getFileInfo is null)")]
    FileUnknown,
}

/// Why a file could not be checked on a node: nothing is said about the node, good or bad.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UncheckedReason {
    #[error("the node holds no segment of this file in its shard")]
    NotInShard,
    #[error("the file is not finalized on the node yet")]
    NotFinalized,
    #[error("the node pruned the file")]
    Pruned,
    #[error("the node's log is synced to block {synced}, before the file's submission at block {submitted}")]
    NotSynced { synced: u64, submitted: u64 },
    #[error("the file's size is not known from the chain")]
    UnknownSize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum StorageVerdict {
    Healthy { root: Hash32, samples: u64 },
    Misbehaving { evidence: SegmentEvidence },
    /// An answer that does not verify, seen through a relay the owner does not run: nothing in it
    /// is signed by the node, so the relay could have changed it. Shown with its evidence, never
    /// an accusation (docs/trust.md).
    Unverifiable { evidence: SegmentEvidence },
    Unreachable { root: Hash32, reason: UnreachableReason },
    /// Nothing was sampled (zero samples is never healthy).
    Unchecked { root: Hash32, reason: UncheckedReason },
}

/// Who handed the node's answers to the check: what a failed proof can be held against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AnswerPath {
    /// The node answered the tab itself, or through a relay its owner runs (configured as
    /// trusted): the bytes are the owner's own observation of the node.
    Own,
    /// Through a relay the owner does not run: unsigned bytes prove nothing against the node.
    Relayed,
}

impl StorageVerdict {
    /// The verdict of a node over several files: any evidence wins, then any failure to answer,
    /// then a verified file; only a node with nothing checked at all is unchecked.
    pub fn combine(verdicts: impl IntoIterator<Item = StorageVerdict>) -> Option<StorageVerdict> {
        verdicts.into_iter().reduce(|a, b| if b.rank() > a.rank() { b } else { a })
    }

    fn rank(&self) -> u8 {
        match self {
            StorageVerdict::Unchecked { .. } => 0,
            StorageVerdict::Healthy { .. } => 1,
            StorageVerdict::Unreachable { .. } => 2,
            StorageVerdict::Unverifiable { .. } => 3,
            StorageVerdict::Misbehaving { .. } => 4,
        }
    }

    /// The verdict as it may be reported for answers that came by `path`: evidence seen through
    /// an untrusted relay is only `unverifiable`.
    pub fn attributed(self, path: AnswerPath) -> StorageVerdict {
        match (self, path) {
            (StorageVerdict::Misbehaving { evidence }, AnswerPath::Relayed) => StorageVerdict::Unverifiable { evidence },
            (verdict, _) => verdict,
        }
    }

    /// `healthy`, `misbehaving`, `unverifiable`, `unreachable` or `unchecked`.
    pub fn name(&self) -> &'static str {
        match self {
            StorageVerdict::Healthy { .. } => "healthy",
            StorageVerdict::Misbehaving { .. } => "misbehaving",
            StorageVerdict::Unverifiable { .. } => "unverifiable",
            StorageVerdict::Unreachable { .. } => "unreachable",
            StorageVerdict::Unchecked { .. } => "unchecked",
        }
    }
}

/// Checks one file `(root, size)` on one node.
#[derive(Debug, Clone)]
pub struct StorageCheck {
    root: Hash32,
    layout: FileLayout,
    plan: Vec<u64>,
    next: usize,
    verified: u64,
    failure: Option<StorageVerdict>,
    next_id: u64,
}

impl StorageCheck {
    /// Checks every segment of the file (an unsharded node). `seed` picks the segments; it must be
    /// secret from the node (take it from a CSPRNG).
    pub fn new(root: Hash32, size: u64, policy: &SamplingPolicy, seed: [u8; 32]) -> Result<Self, LayoutError> {
        let layout = FileLayout::new(size)?;
        let held = ShardConfig::default().file_segments(0, layout.data_segments());
        Ok(Self::sampling(root, layout, held, policy, seed))
    }

    /// Checks the segments a node of shard `shard` must hold of a file that starts at flow entry
    /// `start_entry_index`: the sample is drawn from those alone, so the stated confidence holds
    /// for what the node is responsible for.
    pub fn in_shard(root: Hash32, size: u64, shard: ShardConfig, start_entry_index: u64, policy: &SamplingPolicy, seed: [u8; 32]) -> Result<Self, LayoutError> {
        let layout = FileLayout::new(size)?;
        let held = shard.file_segments(start_entry_index, layout.data_segments());
        Ok(Self::sampling(root, layout, held, policy, seed))
    }

    /// Asks for segment `index` alone: a second path's look at the segment a first path saw fail.
    pub fn segment(root: Hash32, size: u64, index: u64) -> Result<Self, LayoutError> {
        let layout = FileLayout::new(size)?;
        let plan = if index < layout.data_segments() { vec![index] } else { Vec::new() };
        Ok(StorageCheck { root, layout, plan, next: 0, verified: 0, failure: None, next_id: 1 })
    }

    fn sampling(root: Hash32, layout: FileLayout, held: HeldSegments, policy: &SamplingPolicy, seed: [u8; 32]) -> Self {
        let plan = policy.choose(held.count, seed).into_iter().map(|k| held.nth(k)).collect();
        StorageCheck { root, layout, plan, next: 0, verified: 0, failure: None, next_id: 1 }
    }

    /// The segment indices this check will ask for.
    pub fn plan(&self) -> &[u64] {
        &self.plan
    }

    /// The next request to send, or `None` once the plan is done or the verdict is settled.
    /// May be called again before earlier answers arrive, to keep several requests in flight.
    pub fn next_request(&mut self) -> Option<SegmentRequest> {
        if self.failure.is_some() || self.next >= self.plan.len() {
            return None;
        }
        let index = self.plan[self.next];
        self.next += 1;
        let id = self.next_id;
        self.next_id += 1;
        let params = serde_json::json!([self.root, index]);
        Some(SegmentRequest {
            id,
            index,
            body: request_body(id, "zgs_downloadSegmentWithProof", params),
            max_bytes: MAX_SEGMENT_RESPONSE_BYTES,
        })
    }

    /// Feeds the answer (or the transport's failure) to `request`.
    pub fn on_answer(&mut self, request: &SegmentRequest, answer: Result<Vec<u8>, TransportError>) {
        let index = request.index;
        let outcome = answer
            .map_err(|error| UnreachableReason::Transport { index, error })
            .and_then(|body| {
                match SegmentWithProof::parse_response(&body, request.id) {
                    Ok(Some(segment)) => Ok((segment, body)),
                    Ok(None) => Err(UnreachableReason::Withheld { index }),
                    Err(error) => Err(UnreachableReason::BadAnswer { index, error }),
                }
            });
        match outcome {
            Ok((segment, body)) => match verify_segment(&self.root, &self.layout, index, &segment) {
                Ok(_) => self.verified += 1,
                Err(fault) => self.settle(StorageVerdict::Misbehaving {
                    evidence: SegmentEvidence {
                        root: self.root,
                        file_size: self.layout.size(),
                        index,
                        fault,
                        answer_keccak: keccak256(&body),
                        answer: String::from_utf8_lossy(&body).into_owned(),
                    },
                }),
            },
            Err(reason) => self.settle(StorageVerdict::Unreachable { root: self.root, reason }),
        }
    }

    /// Keeps the strongest finding: evidence is never replaced by a later failure to answer.
    fn settle(&mut self, verdict: StorageVerdict) {
        if self.failure.as_ref().is_none_or(|old| verdict.rank() > old.rank()) {
            self.failure = Some(verdict);
        }
    }

    /// True once no more requests are needed (answers to requests in flight may still come).
    pub fn is_settled(&self) -> bool {
        self.failure.is_some() || self.verified as usize == self.plan.len()
    }

    /// The verdict once settled: healthy only when every planned segment verified, and there was
    /// at least one (a shard holding none of the file says nothing about the node).
    pub fn verdict(&self) -> Option<StorageVerdict> {
        match &self.failure {
            Some(v) => Some(v.clone()),
            None if self.plan.is_empty() => Some(StorageVerdict::Unchecked { root: self.root, reason: UncheckedReason::NotInShard }),
            None if self.verified as usize == self.plan.len() => {
                Some(StorageVerdict::Healthy { root: self.root, samples: self.verified })
            }
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn relayed_evidence_is_unverifiable_and_outranks_a_failure_to_answer() {
        let evidence = SegmentEvidence {
            root: Hash32([1; 32]),
            file_size: 9,
            index: 0,
            fault: SegmentFault::WrongIndex { expected: 0, received: 1 },
            answer_keccak: Hash32::ZERO,
            answer: String::new(),
        };
        let accused = StorageVerdict::Misbehaving { evidence: evidence.clone() };
        assert_eq!(accused.clone().attributed(AnswerPath::Own), accused);
        let relayed = accused.attributed(AnswerPath::Relayed);
        assert_eq!(relayed, StorageVerdict::Unverifiable { evidence });
        assert_eq!(serde_json::to_value(&relayed).unwrap()["verdict"], "unverifiable");
        let healthy = StorageVerdict::Healthy { root: Hash32::ZERO, samples: 2 };
        assert_eq!(healthy.clone().attributed(AnswerPath::Relayed), healthy);
        let silent = StorageVerdict::Unreachable { root: Hash32::ZERO, reason: UnreachableReason::Withheld { index: 3 } };
        assert_eq!(StorageVerdict::combine([silent, relayed.clone(), healthy]), Some(relayed));
    }
}
