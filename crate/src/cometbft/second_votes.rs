//! A second path's look at the votes a validator lacks through the first (docs/trust.md, "Two
//! relays"). A relay cannot forge a validator's vote, but it can drop one: mark its slot absent
//! in `/commit`, and the commit still verifies while the validator looks offline. So where the
//! first path's verified commits show a validator offline or lagging, the same heights' commits
//! are read through another relay and only that validator's slots are checked, against the block
//! and set the first path verified ([`LightVerifier::recheck_slots`]): a few signatures a height,
//! not a whole commit. What was seen is kept across rounds for the heights still in the window.

use super::commit::SlotStatus;
use super::follow::{CometRpc, FollowClock, FollowProblem};
use super::light::LightVerifier;
use super::read::RpcRead;
use super::rpc::decode_commit;
use super::types::Address;
use rand::RngCore;
use std::collections::{BTreeMap, BTreeSet};

/// Validators looked at again in one round, at most (the rest keep the first path's word).
pub const MAX_RECHECKED_VALIDATORS: usize = 16;
/// Commits read through the second path in one round, at most, whatever the budget.
pub const MAX_RECHECK_READS: usize = 32;

/// What the second path showed, by height, of the validators asked about there.
#[derive(Debug, Default)]
pub struct SecondVotes {
    /// At most the window's heights, each with at most [`MAX_RECHECKED_VALIDATORS`] slots.
    seen: BTreeMap<u64, Vec<(Address, SlotStatus)>>,
}

/// One validator's heights without a vote through the first path, as the second showed them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VoteTally {
    /// Heights the second path was asked about.
    pub looked: u32,
    /// Of those, heights where it showed a valid precommit for the block, or a valid nil one.
    pub signed: u32,
    pub nil: u32,
    /// Of the votes found, how many were at heights where the first path's slot was invalid
    /// (rather than absent).
    pub were_invalid: u32,
}

impl SecondVotes {
    /// Reads, through `rpc` (the second path), the commits of the window's heights where `asked`
    /// (the first [`MAX_RECHECKED_VALIDATORS`]) have no vote in `verifier`'s, newest first, each at
    /// most once, until `budget_ms` of `clock` or [`MAX_RECHECK_READS`] are spent. A read that gets
    /// no usable answer ends the look: the problem is returned, nobody is judged by it.
    pub async fn look<R: CometRpc, C: FollowClock, G: RngCore>(
        &mut self,
        verifier: &LightVerifier,
        rpc: &R,
        clock: &C,
        asked: &[Address],
        budget_ms: f64,
        rng: &mut G,
    ) -> Option<FollowProblem> {
        let kept: BTreeSet<u64> = verifier.verified_heights().collect();
        self.seen.retain(|height, _| kept.contains(height));
        let mut due: BTreeMap<u64, Vec<Address>> = BTreeMap::new();
        for address in asked.iter().take(MAX_RECHECKED_VALIDATORS) {
            for (height, _) in verifier.unvoted_heights(address) {
                if !self.seen.get(&height).is_some_and(|slots| slots.iter().any(|(a, _)| a == address)) {
                    due.entry(height).or_default().push(*address);
                }
            }
        }
        let start = clock.ms();
        for (height, addresses) in due.into_iter().rev().take(MAX_RECHECK_READS) {
            if clock.ms() - start >= budget_ms {
                break;
            }
            let read = RpcRead::commit(height);
            let body = match rpc.read(read).await {
                Ok(body) => body,
                Err(e) => return Some(FollowProblem::NoAnswer { read: read.path_and_query(), message: e.to_string(), silent: false }),
            };
            let slots = decode_commit(&body)
                .map_err(|e| e.to_string())
                .and_then(|c| verifier.recheck_slots(&c.signed_header.commit, &addresses, rng).map_err(|e| e.to_string()));
            let slots = match slots {
                Ok(slots) => slots,
                Err(message) => return Some(FollowProblem::BadAnswer { read: read.path_and_query(), message }),
            };
            let kept = self.seen.entry(height).or_default();
            for (address, slot) in slots {
                if kept.len() < MAX_RECHECKED_VALIDATORS && !kept.iter().any(|(a, _)| *a == address) {
                    kept.push((address, slot));
                }
            }
            clock.pause().await;
        }
        None
    }

    /// Slots kept, over all heights (at most the verifier's kept heights times
    /// [`MAX_RECHECKED_VALIDATORS`]).
    pub fn kept(&self) -> usize {
        self.seen.values().map(Vec::len).sum()
    }

    /// What the second path showed of `address` at the window's heights where `verifier` has no
    /// vote of it.
    pub fn tally(&self, verifier: &LightVerifier, address: &Address) -> VoteTally {
        let mut tally = VoteTally::default();
        for (height, first) in verifier.unvoted_heights(address) {
            let Some((_, second)) = self.seen.get(&height).and_then(|slots| slots.iter().find(|(a, _)| a == address)) else { continue };
            tally.looked += 1;
            let voted = match second {
                SlotStatus::Signed => &mut tally.signed,
                SlotStatus::Nil => &mut tally.nil,
                SlotStatus::Absent | SlotStatus::Invalid(_) => continue,
            };
            *voted += 1;
            tally.were_invalid += u32::from(matches!(first, SlotStatus::Invalid(_)));
        }
        tally
    }
}
