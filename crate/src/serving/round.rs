//! A provider as the devnet describes it, and the drift tests kept across rounds ([`ServingState`]).

use super::check::ServingVerdict;
use super::drift::{category, DriftMonitor, DRIFT_PARAMS};
use super::model::TinyModel;
use crate::hash::Hash32;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Drift prompts asked of a provider whose model the node cannot re-run, per round.
pub const DRIFT_SAMPLES_PER_ROUND: usize = 4;

/// Models small enough for the worker to re-run: name and the seed of their weights.
pub const RERUNNABLE_MODELS: &[&str] = &["zg-tiny-lm-1"];

/// What the network map says about serving: the canary set in use and the providers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServingMap {
    pub canary_version: u32,
    pub providers: Vec<ProviderEntry>,
}

/// A provider as registered on chain: its TEE signer and declared model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEntry {
    pub id: String,
    /// The registered `teeSignerAddress`, EIP-55.
    pub tee_signer: String,
    pub model: String,
    /// keccak of the model's serialised weights.
    pub weights_hash: Hash32,
}

/// The model the node re-runs for `entry`: only a known model with exactly the declared weights.
pub fn rerunnable(entry: &ProviderEntry) -> Option<TinyModel> {
    RERUNNABLE_MODELS
        .contains(&entry.model.as_str())
        .then(|| TinyModel::from_seed(&entry.model))
        .filter(|m| m.weights_hash() == entry.weights_hash)
}

/// Most drift tests kept (about 1 KB each): more than the providers one pass asks
/// ([`crate::protocol::MAX_PASS_SERVICES`]), so a list that changes a little keeps its tests; a
/// relay that names new providers every round makes the least recently fed ones start again
/// (their baseline is rebuilt: late news of a swap, never an accusation).
pub const MAX_DRIFT_MONITORS: usize = 256;

/// Drift tests across rounds, one per provider and declared model, at most [`MAX_DRIFT_MONITORS`].
#[derive(Debug, Default)]
pub struct ServingState {
    /// Each test with when it was last fed (a count of feeds).
    monitors: HashMap<(String, Hash32), (u64, DriftMonitor)>,
    feeds: u64,
}

impl ServingState {
    /// Drift tests kept.
    pub fn monitors(&self) -> usize {
        self.monitors.len()
    }

    /// Feeds `answers` to the drift test of `key` (provider, model) and says what it shows.
    pub(crate) fn drift_verdict(&mut self, key: (String, Hash32), answers: &[String]) -> ServingVerdict {
        self.feeds += 1;
        if !self.monitors.contains_key(&key) && self.monitors.len() >= MAX_DRIFT_MONITORS {
            let stalest = self.monitors.iter().min_by_key(|(_, (fed, _))| *fed).map(|(k, _)| k.clone());
            if let Some(stalest) = stalest {
                self.monitors.remove(&stalest);
            }
        }
        let (fed, monitor) = self.monitors.entry(key).or_insert_with(|| (0, DriftMonitor::new(DRIFT_PARAMS)));
        *fed = self.feeds;
        for a in answers {
            monitor.observe(category(a));
        }
        if monitor.alarmed() {
            ServingVerdict::Drifting { drift: monitor.status() }
        } else {
            ServingVerdict::Healthy { answers: answers.len(), drift: Some(monitor.status()) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// A relay naming new providers every round keeps at most `MAX_DRIFT_MONITORS` tests, and the
    /// providers fed every round keep theirs (their observations go on counting).
    #[test]
    fn drift_tests_are_bounded_and_the_fed_ones_stay() {
        let mut state = ServingState::default();
        let answers = vec!["yes".to_string(); DRIFT_SAMPLES_PER_ROUND];
        let model = crate::hash::keccak256(b"m");
        for round in 0..100u64 {
            for p in 0..4 {
                state.drift_verdict((format!("steady-{p}"), model), &answers);
            }
            for p in 0..200 {
                state.drift_verdict((format!("round-{round}-provider-{p}"), model), &answers);
            }
            assert!(state.monitors() <= MAX_DRIFT_MONITORS, "round {round}: {}", state.monitors());
        }
        let ServingVerdict::Healthy { drift: Some(status), .. } = state.drift_verdict(("steady-0".into(), model), &answers) else { panic!() };
        assert_eq!(status.observations, 101 * DRIFT_SAMPLES_PER_ROUND as u64);
    }
}
