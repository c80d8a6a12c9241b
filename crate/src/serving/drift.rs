//! Drift: is a provider still serving the model it served at first? For answers nobody can re-run
//! (sampled, or from a model too large for the worker), each answer falls in one of a few
//! categories, and a CUSUM with a predictable plug-in alternative (Lorden and Pollak's adaptive
//! CUSUM) compares the provider's recent answers with its own baseline:
//!
//! - baseline: the first `baseline` answers give `p0(c) = (n_c + a) / (n + K·a)`;
//! - after that, before each answer `c`, the last `window` answers give `q(c)` the same way, and
//!   `S = max(0, S + ln(q(c) / p0(c)))`; the alarm is raised when `S > threshold` and stays raised.
//!
//! Under an unchanged model `ln(q/p0)` has negative mean (−KL), so `S` stays near 0; once the
//! answers come from another distribution, `q` follows it and `S` grows by about KL(q‖p0) per
//! answer. `q` is estimated before the answer it scores, so the test stays a proper sequential
//! test. Parameters and measured error rates: docs/serving.md (`examples/drift_rates.rs`).

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Categories of the drift prompt's answer: the first character's class (4 characters of the
/// vocabulary per class), and one for anything else (an empty or foreign answer).
pub const CATEGORIES: usize = 9;

/// The category of an answer to the drift prompt.
pub fn category(answer: &str) -> usize {
    answer
        .bytes()
        .next()
        .and_then(|c| super::model::VOCAB.iter().position(|&v| v == c))
        .map_or(CATEGORIES - 1, |i| i / 4)
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftParams {
    /// Answers that make the baseline.
    pub baseline: usize,
    /// Recent answers behind the plug-in alternative.
    pub window: usize,
    /// Add-a smoothing of both estimates.
    pub smoothing: f64,
    /// Alarm level of the CUSUM statistic.
    pub threshold: f64,
}

/// The parameters the node runs with; their error rates are measured in docs/serving.md.
pub const DRIFT_PARAMS: DriftParams = DriftParams { baseline: 400, window: 100, smoothing: 0.5, threshold: 24.0 };

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftStatus {
    /// Answers seen, baseline included.
    pub observations: u64,
    /// Still building the baseline: no test yet.
    pub baseline: bool,
    pub statistic: f64,
    pub threshold: f64,
    /// The answer (1-based) at which the alarm was raised.
    pub alarm_at: Option<u64>,
    pub baseline_counts: Vec<u32>,
    pub recent_counts: Vec<u32>,
}

/// One provider's drift test, kept across rounds.
#[derive(Debug, Clone)]
pub struct DriftMonitor {
    params: DriftParams,
    baseline: [u32; CATEGORIES],
    baseline_n: usize,
    recent: VecDeque<usize>,
    recent_counts: [u32; CATEGORIES],
    statistic: f64,
    observations: u64,
    alarm_at: Option<u64>,
}

impl DriftMonitor {
    pub fn new(params: DriftParams) -> Self {
        DriftMonitor {
            params,
            baseline: [0; CATEGORIES],
            baseline_n: 0,
            recent: VecDeque::with_capacity(params.window),
            recent_counts: [0; CATEGORIES],
            statistic: 0.0,
            observations: 0,
            alarm_at: None,
        }
    }

    /// Takes one answer's category (out-of-range categories count as the last one).
    pub fn observe(&mut self, category: usize) {
        let c = category.min(CATEGORIES - 1);
        self.observations += 1;
        if self.baseline_n < self.params.baseline {
            self.baseline[c] += 1;
            self.baseline_n += 1;
            return;
        }
        let a = self.params.smoothing;
        let k = CATEGORIES as f64;
        let p0 = (self.baseline[c] as f64 + a) / (self.baseline_n as f64 + k * a);
        let q = (self.recent_counts[c] as f64 + a) / (self.recent.len() as f64 + k * a);
        self.statistic = (self.statistic + (q / p0).ln()).max(0.0);
        if self.alarm_at.is_none() && self.statistic > self.params.threshold {
            self.alarm_at = Some(self.observations);
        }
        if self.recent.len() == self.params.window {
            let old = self.recent.pop_front().expect("window is full");
            self.recent_counts[old] -= 1;
        }
        self.recent.push_back(c);
        self.recent_counts[c] += 1;
    }

    pub fn alarmed(&self) -> bool {
        self.alarm_at.is_some()
    }

    pub fn status(&self) -> DriftStatus {
        DriftStatus {
            observations: self.observations,
            baseline: self.baseline_n < self.params.baseline,
            statistic: self.statistic,
            threshold: self.params.threshold,
            alarm_at: self.alarm_at,
            baseline_counts: self.baseline.to_vec(),
            recent_counts: self.recent_counts.to_vec(),
        }
    }
}
