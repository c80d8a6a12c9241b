//! A DA verdict from two paths: the first relay's DA pass and the second relay's pass, matched by
//! entity (a blob's data root, a signer's account). A certificate that fails through an untrusted
//! relay is misbehaving only when the second relay's pass finds the same certificate failing the
//! same way (data root, epoch, quorum and fault); a signer one relay could not get rows from but
//! the other could is the other's verdict. Rows carry no signature: a signer is never accused.

use super::decide::{decide, PathSight, Shown, Sight, VerdictName};
use super::{PathSeen, RelayRef, Rechecked};
use crate::da::retrieve::RetrievedVerdict;
use crate::da::{CertFault, CertVerdict, DaVerdict};
use crate::hash::Hash32;

/// One path's DA verdict on an entity, as its pass gave it (a failing certificate `misbehaving`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaPath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub verdict: DaVerdict,
}

/// What makes two certificate faults the same.
type CertKey = (Hash32, u64, u64, CertFault);

impl DaPath {
    /// What this path saw, for [`decide`]: a signer's rows carry no signature, so a signer is
    /// healthy, unreachable or unchecked, never a fault.
    fn sight(&self) -> PathSight<CertKey> {
        let sight = match &self.verdict {
            DaVerdict::Cert(CertVerdict::Healthy { .. }) => Sight::Healthy,
            DaVerdict::Cert(CertVerdict::Misbehaving { evidence } | CertVerdict::Unverifiable { evidence }) => {
                Sight::Fault((evidence.data_root, evidence.epoch, evidence.quorum_id, evidence.fault.clone()))
            }
            DaVerdict::Cert(CertVerdict::Unchecked { .. }) | DaVerdict::Retrieved(RetrievedVerdict::Unchecked { .. }) => Sight::Unchecked,
            DaVerdict::Retrieved(RetrievedVerdict::Healthy { .. }) => Sight::Healthy,
            DaVerdict::Retrieved(RetrievedVerdict::Unreachable { .. }) => Sight::Unreachable,
        };
        PathSight { sight, trusted: self.trusted }
    }

    /// Whether a second path could change this verdict.
    pub fn needs_second_path(&self) -> bool {
        self.sight().needs_second_path()
    }

    /// The verdict this path alone allows.
    fn alone(&self) -> DaVerdict {
        let path = if self.trusted { crate::storage::AnswerPath::Own } else { crate::storage::AnswerPath::Relayed };
        self.verdict.clone().attributed(path)
    }

    fn seen(&self, sight: &PathSight<CertKey>) -> PathSeen {
        let detail = match &self.verdict {
            DaVerdict::Cert(CertVerdict::Misbehaving { evidence } | CertVerdict::Unverifiable { evidence }) => {
                Some(format!("certificate of {} (epoch {}, quorum {}): {:?}", evidence.data_root, evidence.epoch, evidence.quorum_id, evidence.fault))
            }
            DaVerdict::Cert(CertVerdict::Unchecked { reason }) | DaVerdict::Retrieved(RetrievedVerdict::Unchecked { reason }) => Some(reason.clone()),
            DaVerdict::Retrieved(RetrievedVerdict::Unreachable { reason, .. }) => serde_json::to_string(reason).ok(),
            _ => None,
        };
        PathSeen { relay: self.relay.clone(), trusted: self.trusted, verdict: sight.alone(), detail, answer_keccak: None }
    }
}

/// The entity's verdict: `first` alone when `second` is `None` (or not needed), else as
/// [`decide`] says, with both paths shown.
pub fn da_verdict(first: DaPath, second: Option<DaPath>) -> Rechecked<DaVerdict> {
    let first_sight = first.sight();
    let second = second.filter(|_| first_sight.needs_second_path()).map(|s| { let sight = s.sight(); (s, sight) });
    let decision = decide(&first_sight, second.as_ref().map(|(_, sight)| sight));
    let paths = second.as_ref().map_or_else(Vec::new, |(path, sight)| vec![first.seen(&first_sight), path.seen(sight)]);
    let relay = first.relay.clone();
    let shown = match (decision.shown, second) {
        (Shown::Second, Some((second, _))) => second,
        _ => first,
    };
    let verdict = match (decision.verdict, shown.verdict.clone()) {
        (VerdictName::Misbehaving, DaVerdict::Cert(CertVerdict::Misbehaving { evidence } | CertVerdict::Unverifiable { evidence })) => {
            DaVerdict::Cert(CertVerdict::Misbehaving { evidence })
        }
        _ => shown.alone(),
    };
    Rechecked::decided(verdict, paths, &relay, &decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::da::retrieve::RetrieveFailure;
    use crate::da::check::CertEvidence;
    use crate::da::QuorumCert;
    use crate::paths::RelayFaultKind;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use crate::paths::test_relay as relay;

    fn cert(fault: CertFault) -> DaVerdict {
        let cert = QuorumCert {
            data_root: Hash32([3; 32]),
            epoch: 2,
            quorum_id: 0,
            commitment: vec![1; 64],
            bitmap: vec![0xff; 384],
            agg_pk_g2: vec![2; 128],
            signature: vec![3; 64],
        };
        DaVerdict::Cert(CertVerdict::Misbehaving { evidence: Box::new(CertEvidence::new(&cert, fault, &[], &[], None)) })
    }

    fn path(index: usize, trusted: bool, verdict: DaVerdict) -> DaPath {
        DaPath { relay: relay(index), trusted, verdict }
    }

    #[test]
    fn a_certificate_failing_the_same_way_through_two_relays_is_misbehaving() {
        let below = || cert(CertFault::BelowQuorum { signed_rows: 10, rows: 3072 });
        let alone = da_verdict(path(0, false, below()), None);
        assert!(matches!(alone.verdict, DaVerdict::Cert(CertVerdict::Unverifiable { .. })));
        let got = da_verdict(path(0, false, below()), Some(path(1, false, below())));
        assert!(matches!(got.verdict, DaVerdict::Cert(CertVerdict::Misbehaving { .. })) && got.confirmed);
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["verdict"], "misbehaving");
        assert_eq!(json["evidence"]["epoch"], 2);
        assert_eq!(json["paths"][1]["relay"]["peer"], "peer1");
        let other = da_verdict(path(0, false, below()), Some(path(1, false, cert(CertFault::BadSignature { signed_rows: 3000 }))));
        assert!(matches!(other.verdict, DaVerdict::Cert(CertVerdict::Unverifiable { .. })) && !other.confirmed);
        let healthy = da_verdict(path(0, false, below()), Some(path(1, false, DaVerdict::Cert(CertVerdict::Healthy { signed_rows: 3072 }))));
        assert_eq!(healthy.verdict, DaVerdict::Cert(CertVerdict::Healthy { signed_rows: 3072 }));
        assert_eq!(healthy.relay_fault.map(|f| f.kind), Some(RelayFaultKind::Forged));
    }

    #[test]
    fn a_signer_one_relay_hides_gets_the_other_relays_verdict_and_is_never_accused() {
        let hidden = DaVerdict::Retrieved(RetrievedVerdict::Unreachable { data_root: Hash32::ZERO, reason: RetrieveFailure::Transport { message: "502".into() } });
        let served = DaVerdict::Retrieved(RetrievedVerdict::Healthy { rows: 8, proven: 8 });
        let got = da_verdict(path(0, false, hidden.clone()), Some(path(1, false, served.clone())));
        assert_eq!(got.verdict, served);
        assert_eq!(got.relay_fault.as_ref().map(|f| (f.relay.index, f.kind)), Some((0, RelayFaultKind::Hid)));
        let both = da_verdict(path(0, false, hidden.clone()), Some(path(1, true, hidden.clone())));
        assert_eq!(both.verdict, hidden);
        assert!(both.relay_fault.is_none());
        let settled = da_verdict(path(0, false, served.clone()), Some(path(1, false, hidden)));
        assert!(settled.paths.is_empty());
    }
}
