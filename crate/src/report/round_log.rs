//! The last rounds' verdicts, as a report needs them: per verdict its node, kind, verdict name and
//! evidence hash (what [`NodeVerdict`] signs), computed when the verdict comes in. The verdict's
//! JSON itself is not kept: the page already has it (each verdict event carries it), and a round
//! of a large chain held as JSON values took megabytes, kept for [`ROUNDS_KEPT`] rounds.
//!
//! Bounded whatever the peers claim: at most [`ROUNDS_KEPT`] rounds and [`MAX_LOG_BYTES`] of
//! entries (each counted by the heap it holds), the oldest rounds dropped first; a round that
//! alone would exceed the bytes stops taking verdicts and cannot be reported (a report never
//! leaves out verdicts of its round).

use super::typed::{NodeVerdict, ReportError};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Rounds kept for reports: enough for an owner who answers the wallet a few rounds late.
pub const ROUNDS_KEPT: usize = 16;
/// Heap bytes the kept entries may hold, all rounds together (about 20,000 verdicts).
pub const MAX_LOG_BYTES: usize = 4 << 20;

/// A kept round's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    Running,
    Finished,
    Interrupted,
}

/// Why a round's verdicts cannot be reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundLogError {
    #[error("round {0} is not known to this node (too old, or not run)")]
    UnknownRound(u64),
    #[error("round {0} did not finish: a report covers finished rounds only")]
    NotFinished(u64),
    #[error("round {0} has no verdicts to report")]
    Empty(u64),
    #[error("round {round} had more verdicts than the node keeps ({MAX_LOG_BYTES} bytes of them): it cannot be reported whole")]
    TooLarge { round: u64 },
    #[error(transparent)]
    Verdict(#[from] ReportError),
}

#[derive(Debug)]
struct LoggedRound {
    state: RoundState,
    verdicts: Vec<NodeVerdict>,
    /// What `verdicts` holds on the heap, counted as [`entry_bytes`] does.
    bytes: usize,
    /// Set when a verdict could not be kept: the round is not reported.
    refused: Option<RoundLogError>,
}

/// Counts per [`RoundLog`]: what the bound is stated on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundLogFootprint {
    pub rounds: usize,
    pub verdicts: usize,
    pub bytes: usize,
}

/// The rounds kept, by number.
#[derive(Debug, Default)]
pub struct RoundLog {
    rounds: BTreeMap<u64, LoggedRound>,
    bytes: usize,
}

/// Heap bytes one entry holds: the struct in its vector and its three strings, each with an
/// allocator's header.
fn entry_bytes(v: &NodeVerdict) -> usize {
    const HEADER: usize = 16;
    std::mem::size_of::<NodeVerdict>() + v.node.capacity() + v.kind.capacity() + v.verdict.capacity() + 3 * HEADER
}

impl RoundLog {
    /// A round started (again): its verdicts so far are dropped.
    pub fn started(&mut self, round: u64) {
        if let Some(old) = self.rounds.remove(&round) {
            self.bytes -= old.bytes;
        }
        self.rounds.insert(round, LoggedRound { state: RoundState::Running, verdicts: Vec::new(), bytes: 0, refused: None });
        while self.rounds.len() > ROUNDS_KEPT {
            self.drop_oldest();
        }
    }

    /// A round ended, whole (`finished`) or cut short.
    pub fn ended(&mut self, round: u64, finished: bool) {
        if let Some(r) = self.rounds.get_mut(&round) {
            r.state = if finished { RoundState::Finished } else { RoundState::Interrupted };
            // Exact from here on: a vector grown by doubling holds up to twice what it uses.
            let before = r.verdicts.capacity();
            r.verdicts.shrink_to_fit();
            let freed = (before - r.verdicts.capacity()) * std::mem::size_of::<NodeVerdict>();
            r.bytes -= freed;
            self.bytes -= freed;
        }
    }

    /// A verdict of `round` (its JSON as the node emits it, or why it could not be read); ignored
    /// for a round not kept.
    pub fn verdict(&mut self, round: u64, node: &str, kind: &str, verdict: Result<Value, String>) {
        let Some(r) = self.rounds.get(&round) else { return };
        if r.refused.is_some() {
            return;
        }
        let entry = verdict.map_err(|message| ReportError::Evidence { node: format!("{kind}:{node}"), message });
        let entry = entry.and_then(|v| NodeVerdict::from_json(node, kind, &v));
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => return self.refuse(round, e.into()),
        };
        entry.node.shrink_to_fit();
        entry.kind.shrink_to_fit();
        entry.verdict.shrink_to_fit();
        let r = self.rounds.get(&round).expect("checked above");
        // The vector may grow by doubling: count the room it would take as held.
        let grown = if r.verdicts.len() == r.verdicts.capacity() { r.verdicts.capacity().max(4) * std::mem::size_of::<NodeVerdict>() } else { 0 };
        let bytes = entry_bytes(&entry) + grown - std::mem::size_of::<NodeVerdict>();
        while self.bytes + bytes > MAX_LOG_BYTES && self.rounds.keys().next().is_some_and(|&oldest| oldest != round) {
            self.drop_oldest();
        }
        if self.bytes + bytes > MAX_LOG_BYTES {
            return self.refuse(round, RoundLogError::TooLarge { round });
        }
        let r = self.rounds.get_mut(&round).expect("the round itself is never dropped here");
        r.verdicts.push(entry);
        r.bytes += bytes;
        self.bytes += bytes;
    }

    /// The verdicts of a finished round, for its report.
    pub fn verdicts(&self, round: u64) -> Result<&[NodeVerdict], RoundLogError> {
        match self.rounds.get(&round) {
            None => Err(RoundLogError::UnknownRound(round)),
            Some(r) if r.state != RoundState::Finished => Err(RoundLogError::NotFinished(round)),
            Some(LoggedRound { refused: Some(e), .. }) => Err(e.clone()),
            Some(r) if r.verdicts.is_empty() => Err(RoundLogError::Empty(round)),
            Some(r) => Ok(&r.verdicts),
        }
    }

    pub fn footprint(&self) -> RoundLogFootprint {
        RoundLogFootprint { rounds: self.rounds.len(), verdicts: self.rounds.values().map(|r| r.verdicts.len()).sum(), bytes: self.bytes }
    }

    /// The round's verdicts go (the bytes they held with them) and it is not reported.
    fn refuse(&mut self, round: u64, error: RoundLogError) {
        if let Some(r) = self.rounds.get_mut(&round) {
            self.bytes -= r.bytes;
            r.bytes = 0;
            r.verdicts = Vec::new();
            r.refused = Some(error);
        }
    }

    fn drop_oldest(&mut self) {
        if let Some((_, old)) = self.rounds.pop_first() {
            self.bytes -= old.bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn round_of(log: &mut RoundLog, round: u64, verdicts: usize) {
        log.started(round);
        for i in 0..verdicts {
            log.verdict(round, &format!("0x{i:040x}"), "validator", Ok(json!({"verdict": "healthy", "signed": i})));
        }
        log.ended(round, true);
    }

    #[test]
    fn a_finished_round_gives_the_verdicts_a_report_signs() {
        let mut log = RoundLog::default();
        log.started(1);
        log.verdict(1, "storage-0", "storage", Ok(json!({"verdict": "healthy", "samples": 3})));
        assert_eq!(log.verdicts(1), Err(RoundLogError::NotFinished(1)));
        log.ended(1, true);
        let got = log.verdicts(1).unwrap();
        let expected = NodeVerdict::from_json("storage-0", "storage", &json!({"verdict": "healthy", "samples": 3})).unwrap();
        assert_eq!(got, [expected]);
        assert_eq!(log.verdicts(2), Err(RoundLogError::UnknownRound(2)));
        log.started(2);
        log.ended(2, true);
        assert_eq!(log.verdicts(2), Err(RoundLogError::Empty(2)));
        log.started(3);
        log.verdict(3, "x", "storage", Ok(json!({"no": "name"})));
        log.ended(3, true);
        assert!(matches!(log.verdicts(3), Err(RoundLogError::Verdict(_))));
        // A verdict whose JSON could not be read refuses its round, with the reason.
        log.started(5);
        log.verdict(5, "y", "da", Err("EOF while parsing".into()));
        log.ended(5, true);
        assert!(matches!(log.verdicts(5), Err(RoundLogError::Verdict(e)) if e.to_string().contains("da:y") && e.to_string().contains("EOF while parsing")), "{:?}", log.verdicts(5));
        log.started(4);
        log.ended(4, false);
        assert_eq!(log.verdicts(4), Err(RoundLogError::NotFinished(4)));
    }

    #[test]
    fn rounds_and_bytes_stay_under_their_bounds() {
        let mut log = RoundLog::default();
        for round in 1..=100 {
            round_of(&mut log, round, 150);
            let f = log.footprint();
            assert!(f.rounds <= ROUNDS_KEPT && f.bytes <= MAX_LOG_BYTES, "{f:?}");
        }
        assert_eq!(log.footprint().rounds, ROUNDS_KEPT);
        assert_eq!(log.verdicts(100).unwrap().len(), 150);
        // Rounds of many verdicts: older rounds go to make room, the newest stays whole.
        for round in 101..=110 {
            round_of(&mut log, round, 8_000);
            let f = log.footprint();
            assert!(f.bytes <= MAX_LOG_BYTES, "{f:?}");
            assert_eq!(log.verdicts(round).unwrap().len(), 8_000);
        }
        // One round over the bytes on its own: refused whole, the bytes given back.
        round_of(&mut log, 111, 100_000);
        assert_eq!(log.verdicts(111), Err(RoundLogError::TooLarge { round: 111 }));
        assert!(log.footprint().bytes <= MAX_LOG_BYTES);
    }
}
