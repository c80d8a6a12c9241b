//! A storage node's verdict from two paths: the first relay's check, and the second relay's check
//! of the same node (all of it when the first found it unreachable; the very segment of the fault
//! when the first saw one). Two paths see the same fault when the file's root, the segment's index
//! and the fault are the same.

use super::decide::{decide, PathSight, Shown, Sight, VerdictName};
use super::{PathSeen, RelayFault, RelayRef, Rechecked};
use crate::hash::Hash32;
use crate::storage::{SegmentFault, StorageVerdict};

/// One path's verdict on a node, as the check gave it: `misbehaving` for any fault seen, before
/// the path's trust decides what it may be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoragePath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub verdict: StorageVerdict,
}

impl StoragePath {
    fn sight(&self) -> PathSight<(Hash32, u64, SegmentFault)> {
        let sight = match &self.verdict {
            StorageVerdict::Healthy { .. } => Sight::Healthy,
            StorageVerdict::Unchecked { .. } => Sight::Unchecked,
            StorageVerdict::Unreachable { .. } => Sight::Unreachable,
            StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence } => Sight::Fault((evidence.root, evidence.index, evidence.fault.clone())),
        };
        PathSight { sight, trusted: self.trusted }
    }

    /// Whether a second path could change this verdict (see [`PathSight::needs_second_path`]).
    pub fn needs_second_path(&self) -> bool {
        self.sight().needs_second_path()
    }

    fn seen(&self) -> PathSeen {
        let (detail, answer_keccak) = match &self.verdict {
            StorageVerdict::Healthy { samples, .. } => (Some(format!("{samples} segment(s) verified")), None),
            StorageVerdict::Unchecked { reason, .. } => (Some(reason.to_string()), None),
            StorageVerdict::Unreachable { reason, .. } => (Some(reason.to_string()), None),
            StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence } => {
                (Some(format!("file {} segment {}: {}", evidence.root, evidence.index, evidence.fault)), Some(evidence.answer_keccak))
            }
        };
        PathSeen { relay: self.relay.clone(), trusted: self.trusted, verdict: self.sight().alone(), detail, answer_keccak }
    }
}

/// The node's verdict: `first` alone when `second` is `None` (or not needed), else as
/// [`decide`] says, with both paths shown.
pub fn storage_verdict(first: StoragePath, second: Option<StoragePath>) -> Rechecked<StorageVerdict> {
    let second = second.filter(|_| first.needs_second_path());
    let decision = decide(&first.sight(), second.as_ref().map(StoragePath::sight).as_ref());
    let paths = second.as_ref().map_or_else(Vec::new, |second| vec![first.seen(), second.seen()]);
    let relay_fault = decision.relay_fault.map(|kind| RelayFault { relay: first.relay.clone(), kind });
    let shown = match (decision.shown, second) {
        (Shown::Second, Some(second)) => second.verdict,
        _ => first.verdict,
    };
    let verdict = match (decision.verdict, shown) {
        (VerdictName::Misbehaving, StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence }) => StorageVerdict::Misbehaving { evidence },
        (_, StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence }) => StorageVerdict::Unverifiable { evidence },
        (_, verdict) => verdict,
    };
    Rechecked { verdict, paths, relay_fault, confirmed: decision.confirmed }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::RelayFaultKind;
    use crate::storage::{SegmentEvidence, UncheckedReason, UnreachableReason};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ROOT: Hash32 = Hash32([7; 32]);

    fn relay(index: usize) -> RelayRef {
        RelayRef { index, peer: format!("12D3KooRelay{index}"), address: format!("/ip4/127.0.0.1/udp/{}/webrtc-direct", 9000 + index) }
    }

    fn fault(index: u64, received: u64, answer: &str) -> StorageVerdict {
        StorageVerdict::Misbehaving {
            evidence: SegmentEvidence {
                root: ROOT,
                file_size: 1 << 20,
                index,
                fault: SegmentFault::WrongIndex { expected: index, received },
                answer_keccak: crate::hash::keccak256(answer.as_bytes()),
                answer: answer.into(),
            },
        }
    }

    fn healthy() -> StorageVerdict {
        StorageVerdict::Healthy { root: ROOT, samples: 1 }
    }

    fn unreachable() -> StorageVerdict {
        StorageVerdict::Unreachable { root: ROOT, reason: UnreachableReason::Withheld { index: 3 } }
    }

    fn unchecked() -> StorageVerdict {
        StorageVerdict::Unchecked { root: ROOT, reason: UncheckedReason::NotFinalized }
    }

    fn path(index: usize, trusted: bool, verdict: StorageVerdict) -> StoragePath {
        StoragePath { relay: relay(index), trusted, verdict }
    }

    #[test]
    fn one_path_serialises_as_the_verdict_alone() {
        for (verdict, trusted, name) in [(fault(2, 3, "a"), false, "unverifiable"), (fault(2, 3, "a"), true, "misbehaving"), (unreachable(), false, "unreachable"), (healthy(), false, "healthy")] {
            let got = storage_verdict(path(0, trusted, verdict.clone()), None);
            assert!(got.paths.is_empty() && got.relay_fault.is_none() && !got.confirmed);
            let json = serde_json::to_value(&got).unwrap();
            assert_eq!(json["verdict"], name);
            let path = if trusted { crate::storage::AnswerPath::Own } else { crate::storage::AnswerPath::Relayed };
            assert_eq!(json, serde_json::to_value(verdict.attributed(path)).unwrap(), "as before two paths");
        }
    }

    #[test]
    fn the_same_fault_through_two_relays_is_misbehaving_with_both_answers_in_the_evidence() {
        let got = storage_verdict(path(0, false, fault(2, 3, "first")), Some(path(1, false, fault(2, 3, "second"))));
        assert!(matches!(&got.verdict, StorageVerdict::Misbehaving { evidence } if evidence.answer == "first"), "the first path's answer, verbatim");
        assert!(got.confirmed && got.relay_fault.is_none());
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["verdict"], "misbehaving");
        assert_eq!(json["confirmed"], true);
        assert_eq!(json["paths"][0]["relay"]["peer"], "12D3KooRelay0");
        assert_eq!(json["paths"][1]["relay"]["index"], 1);
        assert_eq!(json["paths"][0]["answerKeccak"], serde_json::to_value(crate::hash::keccak256(b"first")).unwrap());
        assert_eq!(json["paths"][1]["answerKeccak"], serde_json::to_value(crate::hash::keccak256(b"second")).unwrap());
        assert_eq!(json["paths"][1]["verdict"], "unverifiable", "what that path alone allowed");
        // `verify evidence` reads it as any storage verdict: root, size, index, the answer (not a
        // real one here: it gets as far as reading it).
        let recheck = crate::evidence::recheck("storage", &json);
        assert_eq!(recheck, Err(crate::evidence::EvidenceError::Malformed("the answer has no numeric id".into())));
    }

    #[test]
    fn another_fault_or_another_segment_is_not_the_same_fault() {
        let other_fault = storage_verdict(path(0, false, fault(2, 3, "a")), Some(path(1, false, fault(2, 4, "b"))));
        assert_eq!(other_fault.verdict.name(), "unverifiable");
        assert!(!other_fault.confirmed && other_fault.relay_fault.is_none() && other_fault.paths.len() == 2);
        let other_index = storage_verdict(path(0, false, fault(2, 3, "a")), Some(path(1, false, fault(5, 3, "b"))));
        assert_eq!(other_index.verdict.name(), "unverifiable");
        let trusted_other = storage_verdict(path(0, false, fault(2, 3, "a")), Some(path(1, true, fault(2, 4, "b"))));
        assert!(matches!(&trusted_other.verdict, StorageVerdict::Misbehaving { evidence } if evidence.answer == "b"), "the trusted path's own evidence");
    }

    #[test]
    fn a_fault_the_second_path_does_not_see_is_the_first_relays() {
        let got = storage_verdict(path(0, false, fault(2, 3, "a")), Some(path(1, false, healthy())));
        assert_eq!(got.verdict, healthy());
        assert_eq!(got.relay_fault, Some(RelayFault { relay: relay(0), kind: RelayFaultKind::Forged }));
        assert_eq!(serde_json::to_value(&got).unwrap()["relayFault"]["kind"], "forged");
        for second in [unreachable(), unchecked()] {
            let got = storage_verdict(path(0, false, fault(2, 3, "a")), Some(path(1, false, second)));
            assert_eq!(got.verdict.name(), "unverifiable", "not confirmed, nobody blamed");
            assert!(got.relay_fault.is_none());
        }
    }

    #[test]
    fn a_node_the_first_relay_hides_gets_the_seconds_verdict() {
        let got = storage_verdict(path(0, false, unreachable()), Some(path(1, false, healthy())));
        assert_eq!(got.verdict, healthy());
        assert_eq!(got.relay_fault.as_ref().map(|f| f.kind), Some(RelayFaultKind::Hid));
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["paths"][0]["verdict"], "unreachable");
        assert_eq!(json["paths"][0]["detail"], "segment 3: node returned null (withheld or not stored)");
        let both = storage_verdict(path(0, false, unreachable()), Some(path(1, false, unreachable())));
        assert_eq!(both.verdict, unreachable());
        assert!(both.relay_fault.is_none() && both.paths.len() == 2);
        let fault_seen = storage_verdict(path(0, true, unreachable()), Some(path(1, false, fault(2, 3, "b"))));
        assert_eq!(fault_seen.verdict.name(), "unverifiable", "one untrusted path's fault");
        let trusted_fault = storage_verdict(path(0, false, unreachable()), Some(path(1, true, fault(2, 3, "b"))));
        assert_eq!(trusted_fault.verdict.name(), "misbehaving");
    }

    #[test]
    fn a_settled_first_path_is_kept_without_paths() {
        for first in [path(0, false, healthy()), path(0, true, fault(2, 3, "a")), path(0, false, unchecked())] {
            let got = storage_verdict(first.clone(), Some(path(1, false, unreachable())));
            assert!(got.paths.is_empty() && got.relay_fault.is_none(), "{first:?}");
        }
    }
}
