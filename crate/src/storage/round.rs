//! One round of storage checks over many nodes: in which order the (node, file) checks run, and
//! when each node's verdict is decided.
//!
//! Sans-IO: the node's scheduler runs the checks [`StorageRound::tasks`] lists (a few at a time)
//! and reports each result to [`StorageRound::record`], which says when a node's verdict is final.
//!
//! - Order: first every node's cheapest file, then node after node. The first pass costs a few small
//!   requests per node and finds the plainly faulty and the silent nodes early; node-major order
//!   after it makes verdicts arrive one node after another rather than all at the end of the round.
//! - A node whose check of one file ended with evidence is decided at once: "misbehaving" needs no
//!   more samples, the verdict goes out, and its other checks of this round are skipped (no
//!   bandwidth spent on a node already proven faulty). Any other node is decided when all its files
//!   are checked: evidence wins, then a failure to answer, then healthy.

use super::check::StorageVerdict;

/// One check: `files[file]` on `nodes[node]`, as indices into what the round was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileTask {
    pub node: usize,
    pub file: usize,
}

#[derive(Debug, Clone)]
pub struct StorageRound {
    files: usize,
    /// Results so far, per node; `None` once that node's verdict is out.
    results: Vec<Option<Vec<StorageVerdict>>>,
}

impl StorageRound {
    /// A round over `nodes` nodes that each should hold files of the given sizes.
    pub fn new(nodes: usize, file_sizes: &[u64]) -> (StorageRound, Vec<FileTask>) {
        let round = StorageRound { files: file_sizes.len(), results: vec![Some(Vec::new()); nodes] };
        let Some(cheapest) = (0..file_sizes.len()).min_by_key(|&f| file_sizes[f]) else {
            return (round, Vec::new());
        };
        let first_pass = (0..nodes).map(|node| FileTask { node, file: cheapest });
        let rest = (0..nodes).flat_map(|node| (0..file_sizes.len()).filter(move |&f| f != cheapest).map(move |file| FileTask { node, file }));
        (round, first_pass.chain(rest).collect())
    }

    /// Whether `node`'s verdict is already out: its remaining checks need not run.
    pub fn is_decided(&self, node: usize) -> bool {
        self.results.get(node).is_none_or(Option::is_none)
    }

    /// Records one check's result; returns the node's verdict when this result decides it, once
    /// per node. Results for a decided node (checks that were already running) are dropped.
    pub fn record(&mut self, task: FileTask, verdict: StorageVerdict) -> Option<StorageVerdict> {
        let slot = self.results.get_mut(task.node)?;
        let results = slot.as_mut()?;
        if matches!(verdict, StorageVerdict::Misbehaving { .. }) {
            *slot = None;
            return Some(verdict);
        }
        results.push(verdict);
        if results.len() < self.files {
            return None;
        }
        StorageVerdict::combine(slot.take()?)
    }

    /// Decides `node` at once with `verdict` (it did not say what it holds): returns it the first
    /// time, `None` once the node is decided.
    pub fn decide(&mut self, node: usize, verdict: StorageVerdict) -> Option<StorageVerdict> {
        self.results.get_mut(node)?.take().map(|_| verdict)
    }

    /// Nodes whose verdict is not out yet.
    pub fn undecided(&self) -> usize {
        self.results.iter().filter(|r| r.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::Hash32;
    use crate::storage::check::{SegmentEvidence, UnreachableReason};
    use crate::storage::SegmentFault;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn healthy() -> StorageVerdict {
        StorageVerdict::Healthy { root: Hash32::default(), samples: 1 }
    }

    fn unreachable() -> StorageVerdict {
        StorageVerdict::Unreachable { root: Hash32::default(), reason: UnreachableReason::Deadline { ms: 1 } }
    }

    fn misbehaving() -> StorageVerdict {
        StorageVerdict::Misbehaving {
            evidence: SegmentEvidence {
                root: Hash32::default(),
                file_size: 1,
                index: 0,
                fault: SegmentFault::WrongIndex { expected: 0, received: 1 },
                answer_keccak: Hash32::default(),
                answer: String::new(),
            },
        }
    }

    #[test]
    fn cheapest_file_first_on_every_node_then_node_major() {
        let (_, tasks) = StorageRound::new(3, &[500, 100, 900]);
        let order: Vec<(usize, usize)> = tasks.iter().map(|t| (t.node, t.file)).collect();
        assert_eq!(order, [(0, 1), (1, 1), (2, 1), (0, 0), (0, 2), (1, 0), (1, 2), (2, 0), (2, 2)]);
    }

    #[test]
    fn no_files_or_no_nodes_means_no_work() {
        assert!(StorageRound::new(3, &[]).1.is_empty());
        assert!(StorageRound::new(0, &[1, 2]).1.is_empty());
    }

    #[test]
    fn a_healthy_node_is_decided_by_its_last_file() {
        let (mut round, _) = StorageRound::new(1, &[1, 2]);
        assert_eq!(round.record(FileTask { node: 0, file: 0 }, healthy()), None);
        assert!(!round.is_decided(0));
        assert_eq!(round.record(FileTask { node: 0, file: 1 }, healthy()).map(|v| v.name()), Some("healthy"));
        assert!(round.is_decided(0));
        assert_eq!(round.undecided(), 0);
    }

    #[test]
    fn evidence_decides_at_once_and_later_results_are_dropped() {
        let (mut round, _) = StorageRound::new(2, &[1, 2, 3]);
        assert_eq!(round.record(FileTask { node: 1, file: 0 }, misbehaving()).map(|v| v.name()), Some("misbehaving"));
        assert!(round.is_decided(1));
        assert!(!round.is_decided(0));
        assert_eq!(round.record(FileTask { node: 1, file: 1 }, healthy()), None);
        assert_eq!(round.record(FileTask { node: 1, file: 2 }, misbehaving()), None, "one verdict per node");
        assert_eq!(round.undecided(), 1);
    }

    #[test]
    fn a_silent_file_makes_the_node_unreachable_unless_evidence_comes() {
        let (mut round, _) = StorageRound::new(2, &[1, 2]);
        round.record(FileTask { node: 0, file: 0 }, unreachable());
        assert_eq!(round.record(FileTask { node: 0, file: 1 }, healthy()).map(|v| v.name()), Some("unreachable"));
        round.record(FileTask { node: 1, file: 0 }, unreachable());
        assert_eq!(round.record(FileTask { node: 1, file: 1 }, misbehaving()).map(|v| v.name()), Some("misbehaving"));
    }

    #[test]
    fn a_node_decided_at_once_gets_one_verdict() {
        let (mut round, _) = StorageRound::new(2, &[1, 2]);
        assert_eq!(round.decide(0, unreachable()).map(|v| v.name()), Some("unreachable"));
        assert!(round.is_decided(0) && !round.is_decided(1));
        assert_eq!(round.decide(0, unreachable()), None);
        assert_eq!(round.record(FileTask { node: 0, file: 1 }, misbehaving()), None);
        assert_eq!(round.decide(7, unreachable()), None);
    }

    #[test]
    fn results_for_unknown_nodes_are_ignored() {
        let (mut round, _) = StorageRound::new(1, &[1]);
        assert_eq!(round.record(FileTask { node: 7, file: 0 }, misbehaving()), None);
        assert!(round.is_decided(7));
    }
}
