//! The rule of two paths, sans-IO: given what the first relay's path and a second, independent
//! relay's path saw of one node, which verdict the node may get (docs/trust.md).
//!
//! Misbehaving needs a fault the owner saw through a path they trust, or the same fault seen
//! through two independent relays (neither alone could have made it up: they would have had to
//! make up the same bytes' fault). A node one relay reports unreachable but the other reaches gets
//! the other's verdict, and the first relay's word is recorded as its fault (it hid the node);
//! a fault the second path does not see where the first saw it is the first relay's fault too
//! (it forged it). Everything else keeps the first path's verdict.

use serde::Serialize;

/// What one path saw of a node. `F` names the fault: two paths see the same fault when their `F`s
/// are equal (storage: the file's root, the segment's index and the fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sight<F> {
    Healthy,
    /// It answered, but nothing could be checked (not synced, not in its shard, not on the chain).
    Unchecked,
    /// Nothing usable came back.
    Unreachable,
    /// Bytes that fail their check, signed by nobody.
    Fault(F),
}

/// One path's sight and whether the owner trusts the relay it came through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSight<F> {
    pub sight: Sight<F>,
    pub trusted: bool,
}

/// The verdict names a decision gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictName {
    Healthy,
    Unchecked,
    Unreachable,
    Unverifiable,
    Misbehaving,
}

/// Which path's verdict (its reason or its evidence) the node is shown with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    First,
    Second,
}

/// What the first relay did, as the second path shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RelayFaultKind {
    /// It said the node gave nothing usable; the node answered the second path.
    Hid,
    /// It showed a fault the node's answer through the second path does not have.
    Forged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub verdict: VerdictName,
    pub shown: Shown,
    /// The first relay's fault, when the second path shows one.
    pub relay_fault: Option<RelayFaultKind>,
    /// The fault was seen the same through both paths (misbehaving without a trusted path).
    pub confirmed: bool,
}

impl<F> PathSight<F> {
    /// The verdict this path alone allows.
    pub fn alone(&self) -> VerdictName {
        match (&self.sight, self.trusted) {
            (Sight::Healthy, _) => VerdictName::Healthy,
            (Sight::Unchecked, _) => VerdictName::Unchecked,
            (Sight::Unreachable, _) => VerdictName::Unreachable,
            (Sight::Fault(_), true) => VerdictName::Misbehaving,
            (Sight::Fault(_), false) => VerdictName::Unverifiable,
        }
    }

    /// Whether a second path could change this path's verdict: the node was unreachable, or a
    /// fault was seen through a relay the owner does not trust.
    pub fn needs_second_path(&self) -> bool {
        matches!((&self.sight, self.trusted), (Sight::Unreachable, _) | (Sight::Fault(_), false))
    }
}

/// The verdict two paths allow; `second` is `None` when no second path was asked (or could be).
/// The caller passes two independent relays (two peers), never one relay twice.
pub fn decide<F: PartialEq>(first: &PathSight<F>, second: Option<&PathSight<F>>) -> Decision {
    let keep = |verdict| Decision { verdict, shown: Shown::First, relay_fault: None, confirmed: false };
    let Some(second) = second.filter(|_| first.needs_second_path()) else { return keep(first.alone()) };
    let second_with = |relay_fault| Decision { verdict: second.alone(), shown: Shown::Second, relay_fault, confirmed: false };
    match (&first.sight, &second.sight) {
        // Hidden from the first, reached by the second: the second's word, the first relay's fault.
        (Sight::Unreachable, Sight::Unreachable) => keep(VerdictName::Unreachable),
        (Sight::Unreachable, _) => second_with(Some(RelayFaultKind::Hid)),
        // An untrusted fault, asked again through the second path.
        (Sight::Fault(a), Sight::Fault(b)) if a == b => Decision { verdict: VerdictName::Misbehaving, shown: Shown::First, relay_fault: None, confirmed: true },
        // Another fault through a trusted path: the owner's own observation (the node may answer
        // each path differently; the first relay is not blamed).
        (Sight::Fault(_), Sight::Fault(_)) if second.trusted => second_with(None),
        (Sight::Fault(_), Sight::Fault(_)) => keep(VerdictName::Unverifiable),
        (Sight::Fault(_), Sight::Healthy) => second_with(Some(RelayFaultKind::Forged)),
        // The second path could not answer the question: nothing confirmed, nobody blamed.
        (Sight::Fault(_), Sight::Unreachable | Sight::Unchecked) => keep(VerdictName::Unverifiable),
        (Sight::Healthy | Sight::Unchecked, _) => keep(first.alone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use RelayFaultKind::*;
    use Shown::*;
    use VerdictName::*;

    fn path(sight: Sight<u8>, trusted: bool) -> PathSight<u8> {
        PathSight { sight, trusted }
    }

    fn d(verdict: VerdictName, shown: Shown, relay_fault: Option<RelayFaultKind>) -> Decision {
        Decision { verdict, shown, relay_fault, confirmed: false }
    }

    /// Every sight through each kind of path: four sights, trusted or not.
    fn all() -> Vec<PathSight<u8>> {
        [Sight::Healthy, Sight::Unchecked, Sight::Unreachable, Sight::Fault(1)].into_iter().flat_map(|s| [path(s.clone(), false), path(s, true)]).collect()
    }

    #[test]
    fn one_path_alone_keeps_its_verdict() {
        for first in all() {
            assert_eq!(decide(&first, None), d(first.alone(), First, None), "{first:?}");
        }
        assert_eq!(path(Sight::Fault(1), false).alone(), Unverifiable);
        assert_eq!(path(Sight::Fault(1), true).alone(), Misbehaving);
    }

    #[test]
    fn a_settled_first_path_is_not_changed_by_any_second() {
        // Healthy, unchecked, and a fault through a trusted path need no second path.
        for first in all().into_iter().filter(|p| !p.needs_second_path()) {
            for second in all() {
                assert_eq!(decide(&first, Some(&second)), d(first.alone(), First, None), "{first:?} then {second:?}");
            }
        }
        assert_eq!(all().iter().filter(|p| p.needs_second_path()).count(), 3, "unreachable (either trust) and an untrusted fault");
    }

    #[test]
    fn a_node_the_first_relay_hides_gets_the_second_paths_verdict() {
        for trusted in [false, true] {
            let first = path(Sight::Unreachable, trusted);
            assert_eq!(decide(&first, Some(&path(Sight::Unreachable, false))), d(Unreachable, First, None), "unreachable through both");
            assert_eq!(decide(&first, Some(&path(Sight::Unreachable, true))), d(Unreachable, First, None));
            assert_eq!(decide(&first, Some(&path(Sight::Healthy, false))), d(Healthy, Second, Some(Hid)));
            assert_eq!(decide(&first, Some(&path(Sight::Healthy, true))), d(Healthy, Second, Some(Hid)));
            assert_eq!(decide(&first, Some(&path(Sight::Unchecked, false))), d(Unchecked, Second, Some(Hid)));
            // A fault seen through the second path alone: unverifiable unless that path is trusted.
            assert_eq!(decide(&first, Some(&path(Sight::Fault(1), false))), d(Unverifiable, Second, Some(Hid)));
            assert_eq!(decide(&first, Some(&path(Sight::Fault(1), true))), d(Misbehaving, Second, Some(Hid)));
        }
    }

    #[test]
    fn an_untrusted_fault_is_misbehaving_only_when_the_second_path_sees_the_same_fault() {
        let first = path(Sight::Fault(1), false);
        let confirmed = Decision { verdict: Misbehaving, shown: First, relay_fault: None, confirmed: true };
        assert_eq!(decide(&first, Some(&path(Sight::Fault(1), false))), confirmed, "the same fault through both untrusted relays");
        assert_eq!(decide(&first, Some(&path(Sight::Fault(1), true))), confirmed, "the same fault through a trusted second path");
        assert_eq!(decide(&first, Some(&path(Sight::Fault(2), false))), d(Unverifiable, First, None), "another fault: the paths disagree");
        assert_eq!(decide(&first, Some(&path(Sight::Fault(2), true))), d(Misbehaving, Second, None), "another fault the owner saw themself");
        assert_eq!(decide(&first, Some(&path(Sight::Healthy, false))), d(Healthy, Second, Some(Forged)), "the node answers the second path well");
        assert_eq!(decide(&first, Some(&path(Sight::Healthy, true))), d(Healthy, Second, Some(Forged)));
        for trusted in [false, true] {
            assert_eq!(decide(&first, Some(&path(Sight::Unreachable, trusted))), d(Unverifiable, First, None), "not confirmed, nobody blamed");
            assert_eq!(decide(&first, Some(&path(Sight::Unchecked, trusted))), d(Unverifiable, First, None));
        }
    }

    #[test]
    fn no_combination_accuses_without_a_trusted_path_or_the_same_fault_twice() {
        for first in all() {
            for second in all() {
                let decision = decide(&first, Some(&second));
                if decision.verdict == Misbehaving {
                    let own = |p: &PathSight<u8>| p.trusted && matches!(p.sight, Sight::Fault(_));
                    let same = first.sight == Sight::Fault(1) && second.sight == Sight::Fault(1);
                    assert!(own(&first) || own(&second) || same, "{first:?} then {second:?}: {decision:?}");
                    assert_eq!(decision.confirmed, !own(&first) && same && !(decision.shown == Second));
                }
                assert!(decision.relay_fault.is_none() || decision.shown == Second, "a relay is blamed only when the second path's word is shown");
            }
        }
    }
}
