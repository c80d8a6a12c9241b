//! A storage node's verdict from two paths: the first relay's check, and the second relay's look
//! at the same node ([`crate::storage::second_look`]): a whole check when the first found it
//! unreachable; the very segment of the fault, and a whole check, when the first saw a fault. Two
//! paths see the same fault when the file's root, the segment's index and the fault are the same.
//! A fault the second path does not find in that segment was the first relay's doing, and the
//! node gets the second path's whole check.

use super::decide::{decide, PathSight, RelayFaultKind, Shown, Sight, VerdictName};
use super::{PathSeen, RelayRef, Rechecked};
use crate::hash::Hash32;
use crate::storage::{AnswerPath, SegmentFault, StorageVerdict};

/// One path's verdict on a node, as the check gave it: `misbehaving` for any fault seen, before
/// the path's trust decides what it may be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoragePath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub verdict: StorageVerdict,
}

/// What the second path saw: the segment the first path saw fail, and its whole check of the
/// node; `None` where it could not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondStoragePath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub segment: Option<StorageVerdict>,
    pub whole: Option<StorageVerdict>,
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

    /// The verdict this path alone allows.
    fn alone(self) -> StorageVerdict {
        self.verdict.attributed(if self.trusted { AnswerPath::Own } else { AnswerPath::Relayed })
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

/// The node's verdict: `first` alone when `second` is `None` (or not needed, or it could not
/// answer what it was asked), else as [`decide`] says, with the paths shown.
pub fn storage_verdict(first: StoragePath, second: Option<SecondStoragePath>) -> Rechecked<StorageVerdict> {
    let path = |verdict: Option<StorageVerdict>, second: &SecondStoragePath| verdict.map(|verdict| StoragePath { relay: second.relay.clone(), trusted: second.trusted, verdict });
    // What the second path answered to what it was asked, and its whole check.
    let (answer, whole) = match (&first.verdict, second) {
        (_, None) => (None, None),
        (_, Some(_)) if !first.needs_second_path() => (None, None),
        (StorageVerdict::Unreachable { .. }, Some(second)) => (path(second.whole.clone(), &second), None),
        (_, Some(second)) => (path(second.segment.clone(), &second), path(second.whole.clone(), &second)),
    };
    let Some(answer) = answer else { return Rechecked::alone(first.alone()) };
    let decision = decide(&first.sight(), Some(&answer.sight()));
    let relay = first.relay.clone();
    let mut paths = vec![first.seen(), answer.seen()];
    let verdict = match decision.shown {
        // The segment the first relay showed failing verifies through the second: the node gets
        // the second path's whole check.
        Shown::Second if decision.relay_fault == Some(RelayFaultKind::Forged) && whole.is_some() => {
            let whole = whole.expect("checked");
            paths.push(whole.seen());
            whole.alone()
        }
        Shown::Second => answer.alone(),
        Shown::First => match (decision.verdict, first.verdict) {
            (VerdictName::Misbehaving, StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence }) => StorageVerdict::Misbehaving { evidence },
            (_, StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence }) => StorageVerdict::Unverifiable { evidence },
            (_, verdict) => verdict,
        },
    };
    Rechecked::decided(verdict, paths, &relay, &decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::RelayFault;
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

    fn healthy(samples: u64) -> StorageVerdict {
        StorageVerdict::Healthy { root: ROOT, samples }
    }

    fn unreachable() -> StorageVerdict {
        StorageVerdict::Unreachable { root: ROOT, reason: UnreachableReason::Withheld { index: 3 } }
    }

    fn unchecked() -> StorageVerdict {
        StorageVerdict::Unchecked { root: ROOT, reason: UncheckedReason::NotFinalized }
    }

    fn first(trusted: bool, verdict: StorageVerdict) -> StoragePath {
        StoragePath { relay: relay(0), trusted, verdict }
    }

    /// The second path's segment and whole check (a node the first found unreachable gets a whole check only).
    fn second(trusted: bool, segment: Option<StorageVerdict>, whole: Option<StorageVerdict>) -> Option<SecondStoragePath> {
        Some(SecondStoragePath { relay: relay(1), trusted, segment, whole })
    }

    #[test]
    fn one_path_serialises_as_the_verdict_alone() {
        for (verdict, trusted, name) in [(fault(2, 3, "a"), false, "unverifiable"), (fault(2, 3, "a"), true, "misbehaving"), (unreachable(), false, "unreachable"), (healthy(4), false, "healthy")] {
            let got = storage_verdict(first(trusted, verdict.clone()), None);
            assert!(got.paths.is_empty() && got.relay_fault.is_none() && !got.confirmed);
            let json = serde_json::to_value(&got).unwrap();
            assert_eq!(json["verdict"], name);
            let path = if trusted { AnswerPath::Own } else { AnswerPath::Relayed };
            assert_eq!(json, serde_json::to_value(verdict.attributed(path)).unwrap(), "as before two paths");
        }
    }

    #[test]
    fn the_same_fault_through_two_relays_is_misbehaving_with_both_answers_in_the_evidence() {
        let got = storage_verdict(first(false, fault(2, 3, "first")), second(false, Some(fault(2, 3, "second")), Some(healthy(9))));
        assert!(matches!(&got.verdict, StorageVerdict::Misbehaving { evidence } if evidence.answer == "first"), "the first path's answer, verbatim");
        assert!(got.confirmed && got.relay_fault.is_none());
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["verdict"], "misbehaving");
        assert_eq!(json["confirmed"], true);
        assert_eq!(json["paths"].as_array().unwrap().len(), 2);
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
        let other_fault = storage_verdict(first(false, fault(2, 3, "a")), second(false, Some(fault(2, 4, "b")), None));
        assert_eq!(other_fault.verdict.name(), "unverifiable");
        assert!(!other_fault.confirmed && other_fault.relay_fault.is_none() && other_fault.paths.len() == 2);
        let other_index = storage_verdict(first(false, fault(2, 3, "a")), second(false, Some(fault(5, 3, "b")), None));
        assert_eq!(other_index.verdict.name(), "unverifiable");
        let trusted_other = storage_verdict(first(false, fault(2, 3, "a")), second(true, Some(fault(2, 4, "b")), None));
        assert!(matches!(&trusted_other.verdict, StorageVerdict::Misbehaving { evidence } if evidence.answer == "b"), "the trusted path's own evidence");
    }

    #[test]
    fn a_fault_the_second_path_does_not_see_is_the_first_relays_and_the_node_gets_the_seconds_whole_check() {
        let got = storage_verdict(first(false, fault(2, 3, "a")), second(false, Some(healthy(1)), Some(healthy(9))));
        assert_eq!(got.verdict, healthy(9));
        assert_eq!(got.relay_fault, Some(RelayFault { relay: relay(0), kind: RelayFaultKind::Forged }));
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["relayFault"]["kind"], "forged");
        assert_eq!(json["paths"].as_array().unwrap().len(), 3, "the first path, the segment again, the whole check");
        // The node's real fault is elsewhere: the second path's whole check finds it (one path: unverifiable).
        let elsewhere = storage_verdict(first(false, fault(2, 3, "a")), second(false, Some(healthy(1)), Some(fault(8, 9, "c"))));
        assert!(matches!(&elsewhere.verdict, StorageVerdict::Unverifiable { evidence } if evidence.index == 8));
        assert_eq!(elsewhere.relay_fault.map(|f| f.kind), Some(RelayFaultKind::Forged));
        // No whole check: the segment's word.
        let segment_only = storage_verdict(first(false, fault(2, 3, "a")), second(false, Some(healthy(1)), None));
        assert_eq!(segment_only.verdict, healthy(1));
        for other in [unreachable(), unchecked()] {
            let got = storage_verdict(first(false, fault(2, 3, "a")), second(false, Some(other), Some(healthy(9))));
            assert_eq!(got.verdict.name(), "unverifiable", "not confirmed, nobody blamed");
            assert!(got.relay_fault.is_none());
        }
        let unasked = storage_verdict(first(false, fault(2, 3, "a")), second(false, None, Some(healthy(9))));
        assert!(unasked.paths.is_empty() && unasked.verdict.name() == "unverifiable", "the second path could not ask for the segment");
    }

    #[test]
    fn a_node_the_first_relay_hides_gets_the_seconds_verdict() {
        let got = storage_verdict(first(false, unreachable()), second(false, None, Some(healthy(9))));
        assert_eq!(got.verdict, healthy(9));
        assert_eq!(got.relay_fault.as_ref().map(|f| f.kind), Some(RelayFaultKind::Hid));
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["paths"][0]["verdict"], "unreachable");
        assert_eq!(json["paths"][0]["detail"], "segment 3: node returned null (withheld or not stored)");
        let both = storage_verdict(first(false, unreachable()), second(false, None, Some(unreachable())));
        assert_eq!(both.verdict, unreachable());
        assert!(both.relay_fault.is_none() && both.paths.len() == 2);
        let fault_seen = storage_verdict(first(true, unreachable()), second(false, None, Some(fault(2, 3, "b"))));
        assert_eq!(fault_seen.verdict.name(), "unverifiable", "one untrusted path's fault");
        let trusted_fault = storage_verdict(first(false, unreachable()), second(true, None, Some(fault(2, 3, "b"))));
        assert_eq!(trusted_fault.verdict.name(), "misbehaving");
        let unlisted = storage_verdict(first(false, unreachable()), second(false, None, None));
        assert!(unlisted.paths.is_empty() && unlisted.verdict == unreachable(), "the second path's indexer does not list it");
    }

    #[test]
    fn a_settled_first_path_is_kept_without_paths() {
        for path in [first(false, healthy(4)), first(true, fault(2, 3, "a")), first(false, unchecked())] {
            let got = storage_verdict(path.clone(), second(false, Some(unreachable()), Some(unreachable())));
            assert!(got.paths.is_empty() && got.relay_fault.is_none(), "{path:?}");
            assert_eq!(got.verdict, path.alone());
        }
    }
}
