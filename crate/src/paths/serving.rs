//! A serving verdict from two paths, matched by provider. A provider's faults are all signed by
//! its registered key or not faults at all (an answer signed by another key, an unreadable body, no
//! record: `unreachable`, since a relay could have made them), so the second path changes only
//! what the first could not settle: a provider the first relay could not get a signed answer
//! from but the second could gets the second's verdict, and the first relay's word is recorded as
//! its fault (it hid the provider, or changed its answer). Nothing here accuses anyone.

use super::decide::{decide, PathSight, Shown, Sight, VerdictName};
use super::{PathSeen, RelayRef, Rechecked};
use crate::serving::ServingVerdict;

/// One path's verdict on a provider, as its pass gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServingPath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub verdict: ServingVerdict,
}

impl ServingPath {
    /// What this path saw, for [`decide`]: a signed verdict (healthy, misbehaving, drifting) is
    /// the provider answering; `unreachable` and `unchecked` are not.
    fn sight(&self) -> PathSight<()> {
        let sight = match &self.verdict {
            ServingVerdict::Healthy { .. } | ServingVerdict::Misbehaving { .. } | ServingVerdict::Drifting { .. } => Sight::Healthy,
            ServingVerdict::Unreachable { .. } => Sight::Unreachable,
            ServingVerdict::Unchecked { .. } => Sight::Unchecked,
        };
        PathSight { sight, trusted: self.trusted }
    }

    /// Whether a second path could change this verdict: the provider gave this path no signed answer.
    pub fn needs_second_path(&self) -> bool {
        self.sight().needs_second_path()
    }

    fn seen(&self) -> PathSeen {
        let (verdict, detail) = match &self.verdict {
            ServingVerdict::Healthy { .. } => (VerdictName::Healthy, None),
            ServingVerdict::Misbehaving { evidence } => (VerdictName::Misbehaving, serde_json::to_string(&evidence.fault).ok()),
            ServingVerdict::Drifting { .. } => (VerdictName::Healthy, Some("drifting".into())),
            ServingVerdict::Unreachable { reason } => (VerdictName::Unreachable, serde_json::to_string(reason).ok()),
            ServingVerdict::Unchecked { reason } => (VerdictName::Unchecked, Some(reason.clone())),
        };
        PathSeen { relay: self.relay.clone(), trusted: self.trusted, verdict, detail, answer_keccak: None }
    }
}

/// The provider's verdict: `first` alone when `second` is `None` (or not needed), else as
/// [`decide`] says, with both paths shown.
pub fn serving_verdict(first: ServingPath, second: Option<ServingPath>) -> Rechecked<ServingVerdict> {
    let Some(second) = second.filter(|_| first.needs_second_path()) else { return Rechecked::alone(first.verdict) };
    let decision = decide(&first.sight(), Some(&second.sight()));
    let paths = vec![first.seen(), second.seen()];
    let relay = first.relay.clone();
    let verdict = match decision.shown {
        Shown::Second => second.verdict,
        Shown::First => first.verdict,
    };
    Rechecked::decided(verdict, paths, &relay, &decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::RelayFaultKind;
    use crate::serving::{ServeUnavailable, ServingEvidence, ServingFault, SignatureRecord};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn path(index: usize, trusted: bool, verdict: ServingVerdict) -> ServingPath {
        ServingPath { relay: crate::paths::test_relay(index), trusted, verdict }
    }

    fn hidden() -> ServingVerdict {
        ServingVerdict::Unreachable { reason: ServeUnavailable::Timeout { message: "5000 ms".into() } }
    }

    fn healthy() -> ServingVerdict {
        ServingVerdict::Healthy { answers: 1, drift: None }
    }

    fn signed_mismatch() -> ServingVerdict {
        let record = SignatureRecord { text: "a:b".into(), signature: "0x".into(), signing_address: "0x01".into() };
        let fault = ServingFault::CanaryMismatch { prompt: "p".into(), expected: "e".into(), received: "r".into() };
        let evidence = ServingEvidence { request: "{}".into(), response: String::new(), content_encoding: None, text: "a:b".into(), record, fault };
        ServingVerdict::Misbehaving { evidence: Box::new(evidence) }
    }

    #[test]
    fn one_path_alone_serialises_as_the_verdict_alone() {
        let got = serving_verdict(path(0, false, healthy()), None);
        assert_eq!(serde_json::to_value(&got).unwrap(), serde_json::to_value(healthy()).unwrap());
        assert_eq!(serving_verdict(path(0, false, hidden()), None).verdict, hidden());
    }

    #[test]
    fn a_provider_the_first_relay_hides_gets_the_second_paths_verdict() {
        let got = serving_verdict(path(0, false, hidden()), Some(path(1, false, healthy())));
        assert_eq!(got.verdict, healthy());
        assert_eq!(got.relay_fault.as_ref().map(|f| (f.relay.index, f.kind)), Some((0, RelayFaultKind::Hid)));
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["verdict"], "healthy");
        assert_eq!(json["paths"][0]["verdict"], "unreachable");
        assert_eq!(json["paths"][1]["relay"]["peer"], "peer1");
        // Its own signature over a wrong answer, through the second path: the provider's fault.
        let signed = serving_verdict(path(0, false, hidden()), Some(path(1, false, signed_mismatch())));
        assert_eq!(signed.verdict, signed_mismatch());
        assert_eq!(signed.paths[1].verdict, VerdictName::Misbehaving);
    }

    #[test]
    fn unreachable_through_both_stays_unreachable_and_nobody_is_blamed() {
        let got = serving_verdict(path(0, false, hidden()), Some(path(1, true, hidden())));
        assert_eq!(got.verdict, hidden());
        assert!(got.relay_fault.is_none() && !got.confirmed);
        let unchecked = ServingVerdict::Unchecked { reason: "not a chatbot".into() };
        let got = serving_verdict(path(0, false, hidden()), Some(path(1, false, unchecked.clone())));
        assert_eq!(got.verdict, unchecked);
    }

    #[test]
    fn a_settled_first_path_is_kept_without_paths() {
        for settled in [healthy(), signed_mismatch(), ServingVerdict::Unchecked { reason: "x".into() }] {
            let got = serving_verdict(path(0, false, settled.clone()), Some(path(1, false, hidden())));
            assert_eq!(got.verdict, settled);
            assert!(got.paths.is_empty() && got.relay_fault.is_none());
        }
    }
}
