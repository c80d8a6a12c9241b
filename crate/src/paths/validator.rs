//! A validator's verdict from two paths. Its only fault is equivocation, two votes it signed
//! itself, which no relay can make or unmake; what a relay can do is drop its votes from
//! `/commit` (the commit still verifies), so it looks offline or lagging. Such a validator's
//! missing heights are looked at through a second relay ([`crate::cometbft::SecondVotes`]): each
//! vote found there is the validator's own signature over the block the first path verified, and
//! counts. When those votes make it healthy, the first relay's word is recorded as its fault (it
//! hid the votes); when the second path has looked at nothing yet, or its votes still leave the
//! validator offline or lagging, the first path's verdict stands and nobody is blamed.

use super::decide::{decide, PathSight, Shown, Sight, VerdictName};
use super::{PathSeen, RelayRef, Rechecked};
use crate::cometbft::{LivenessPolicy, ValidatorStatus, ValidatorVerdict, VoteTally};

/// The first path's verdict on a validator, from the chain as it verified it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatorPath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub verdict: ValidatorVerdict,
}

/// What a second path showed of the heights where the first has no vote of the validator.
#[derive(Debug, Clone, PartialEq)]
pub struct SecondVotesPath {
    pub relay: RelayRef,
    pub trusted: bool,
    pub tally: VoteTally,
}

fn sight(status: ValidatorStatus) -> Sight<()> {
    match status {
        // Its own signatures, valid or equivocating: the validator reached the chain.
        ValidatorStatus::Healthy | ValidatorStatus::Misbehaving => Sight::Healthy,
        ValidatorStatus::Offline | ValidatorStatus::Lagging => Sight::Unreachable,
        ValidatorStatus::Pending => Sight::Unchecked,
    }
}

impl ValidatorPath {
    /// Whether a second path could change this verdict: the validator's votes did not reach us
    /// through this path (offline or lagging).
    pub fn needs_second_path(&self) -> bool {
        matches!(self.verdict.status, ValidatorStatus::Offline | ValidatorStatus::Lagging)
    }

    fn seen(&self) -> PathSeen {
        let v = &self.verdict;
        let observed = v.signed + v.nil + v.missed;
        let detail = format!("{}: no vote at {} of {observed} heights", serde_json::to_value(v.status).ok().and_then(|s| s.as_str().map(str::to_owned)).unwrap_or_default(), v.missed);
        PathSeen { relay: self.relay.clone(), trusted: self.trusted, verdict: name(v.status), detail: Some(detail), answer_keccak: None }
    }
}

fn name(status: ValidatorStatus) -> VerdictName {
    match status {
        ValidatorStatus::Healthy => VerdictName::Healthy,
        ValidatorStatus::Misbehaving => VerdictName::Misbehaving,
        ValidatorStatus::Offline | ValidatorStatus::Lagging => VerdictName::Unreachable,
        ValidatorStatus::Pending => VerdictName::Unchecked,
    }
}

/// The first path's counts with the votes the second path found moved from missed (or invalid)
/// to signed and nil, and the status they give.
fn with_votes(first: &ValidatorVerdict, tally: &VoteTally, policy: &LivenessPolicy) -> ValidatorVerdict {
    let found = tally.signed + tally.nil;
    let were_invalid = tally.were_invalid.min(first.invalid).min(found);
    let (signed, nil) = (first.signed + tally.signed, first.nil + tally.nil);
    let missed = first.missed.saturating_sub(found - were_invalid);
    let invalid = first.invalid - were_invalid;
    let status = ValidatorStatus::from_liveness(signed + nil, missed, policy);
    ValidatorVerdict { signed, nil, missed, invalid, status, ..first.clone() }
}

/// The validator's verdict: `first` alone when `second` is `None`, not needed, or has looked at
/// nothing yet; else as [`decide`] says of the first path's verdict and the one the found votes
/// give, with both paths shown.
pub fn validator_verdict(first: ValidatorPath, second: Option<SecondVotesPath>, policy: &LivenessPolicy) -> Rechecked<ValidatorVerdict> {
    let Some(second) = second.filter(|s| first.needs_second_path() && s.tally.looked > 0) else { return Rechecked::alone(first.verdict) };
    let combined = with_votes(&first.verdict, &second.tally, policy);
    let decision = decide(&PathSight { sight: sight(first.verdict.status), trusted: first.trusted }, Some(&PathSight { sight: sight(combined.status), trusted: second.trusted }));
    let t = &second.tally;
    let second_seen = PathSeen {
        relay: second.relay.clone(),
        trusted: second.trusted,
        verdict: name(combined.status),
        detail: Some(format!("its votes at {} of the {} heights without one through the first path it was asked about", t.signed + t.nil, t.looked)),
        answer_keccak: None,
    };
    let paths = vec![first.seen(), second_seen];
    let relay = first.relay.clone();
    let verdict = match decision.shown {
        Shown::Second => combined,
        Shown::First => first.verdict,
    };
    Rechecked::decided(verdict, paths, &relay, &decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cometbft::Address;
    use crate::paths::RelayFaultKind;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use crate::paths::test_relay as relay;

    fn row(signed: u32, nil: u32, missed: u32, invalid: u32) -> ValidatorVerdict {
        let status = ValidatorStatus::from_liveness(signed + nil, missed, &LivenessPolicy::default());
        ValidatorVerdict { address: Address([7; 20]), status, power: 10, signed, nil, missed, invalid, evidence: Vec::new() }
    }

    fn first(verdict: ValidatorVerdict) -> ValidatorPath {
        ValidatorPath { relay: relay(0), trusted: false, verdict }
    }

    fn second(looked: u32, signed: u32, nil: u32, were_invalid: u32) -> Option<SecondVotesPath> {
        Some(SecondVotesPath { relay: relay(1), trusted: false, tally: VoteTally { looked, signed, nil, were_invalid } })
    }

    fn decide_row(verdict: ValidatorVerdict, second: Option<SecondVotesPath>) -> Rechecked<ValidatorVerdict> {
        validator_verdict(first(verdict), second, &LivenessPolicy::default())
    }

    #[test]
    fn votes_the_first_relay_dropped_make_the_validator_healthy_and_the_relay_at_fault() {
        let got = decide_row(row(0, 0, 12, 0), second(12, 11, 1, 0));
        assert_eq!(got.verdict.status, ValidatorStatus::Healthy);
        assert_eq!((got.verdict.signed, got.verdict.nil, got.verdict.missed), (11, 1, 0));
        assert_eq!(got.relay_fault.as_ref().map(|f| (f.relay.index, f.kind)), Some((0, RelayFaultKind::Hid)));
        assert!(!got.confirmed);
        let json = serde_json::to_value(&got).unwrap();
        assert_eq!(json["status"], "healthy");
        assert_eq!(json["paths"][0]["verdict"], "unreachable");
        assert_eq!(json["paths"][1]["verdict"], "healthy");
        assert_eq!(json["relayFault"]["kind"], "hid");
        // Lagging through the first (its slots invalid, say), healthy with what the second found.
        let got = decide_row(row(8, 0, 3, 4), second(7, 7, 0, 4));
        assert_eq!((got.verdict.status, got.verdict.missed, got.verdict.invalid, got.verdict.signed), (ValidatorStatus::Healthy, 0, 0, 15));
        assert!(got.relay_fault.is_some());
    }

    #[test]
    fn a_validator_offline_through_both_keeps_the_first_verdict_and_nobody_is_blamed() {
        let offline = row(0, 0, 12, 0);
        let got = decide_row(offline.clone(), second(12, 0, 0, 0));
        assert_eq!(got.verdict, offline);
        assert!(got.relay_fault.is_none() && !got.confirmed);
        assert_eq!(got.paths.len(), 2, "both paths shown");
        // A few votes found, still lagging: the first path's word, no blame.
        let lagging = row(8, 0, 4, 0);
        let got = decide_row(lagging.clone(), second(4, 1, 0, 0));
        assert_eq!(got.verdict, lagging);
        assert!(got.relay_fault.is_none());
    }

    #[test]
    fn a_second_path_that_looked_at_nothing_changes_nothing() {
        for verdict in [row(0, 0, 12, 0), row(8, 0, 4, 0)] {
            for second in [None, second(0, 0, 0, 0)] {
                let got = decide_row(verdict.clone(), second);
                assert_eq!(got, Rechecked::alone(verdict.clone()));
            }
        }
    }

    #[test]
    fn a_settled_first_path_is_kept_whatever_the_second_says() {
        let mut equivocating = row(12, 0, 0, 0);
        equivocating.status = ValidatorStatus::Misbehaving;
        for settled in [row(12, 0, 0, 0), row(2, 0, 0, 0), equivocating] {
            let got = decide_row(settled.clone(), second(5, 5, 0, 0));
            assert_eq!(got, Rechecked::alone(settled));
        }
    }

    #[test]
    fn no_tally_ever_makes_a_validator_misbehaving() {
        for missed in 0..14 {
            for signed in 0..3 {
                for found in 0..=missed {
                    let got = decide_row(row(signed, 0, missed, 1), second(missed, found, 0, 0));
                    assert_ne!(got.verdict.status, ValidatorStatus::Misbehaving);
                    assert!(got.verdict.missed <= missed && got.verdict.invalid <= 1);
                }
            }
        }
    }
}
