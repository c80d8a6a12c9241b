//! Long simulated runs of the drift test over the devnet's real models: how often an unchanged
//! model raises the alarm, and how many rounds a gradual swap goes unflagged. Used by the native
//! test that bounds both, `examples/drift_rates.rs` that prints them, and the devnet's swap
//! provider (the same mixing rule).

use super::canary::{DRIFT_PROMPT_V1, DRIFT_TEMPERATURE};
use super::drift::{category, DriftMonitor, DriftParams};
use super::model::TinyModel;
use super::round::DRIFT_SAMPLES_PER_ROUND;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

/// The devnet's model nobody re-runs, and the one the swapping provider mixes in.
pub const LARGE_MODEL: &str = "zg-large-lm-1";
pub const SWAP_MODEL: &str = "zg-large-lm-2";

/// Share of answers from the other model at `round` rounds after the swap starts: a linear ramp
/// over `ramp` rounds, then all of them.
pub fn swap_share(rounds_since: u64, ramp: u64) -> f64 {
    ((rounds_since + 1) as f64 / ramp.max(1) as f64).min(1.0)
}

/// The distribution of categories of the drift prompt under `model`, estimated from `n` samples.
pub fn category_histogram(model: &TinyModel, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut counts = [0f64; super::drift::CATEGORIES];
    for _ in 0..n {
        counts[category(&model.sample(DRIFT_PROMPT_V1, 1, DRIFT_TEMPERATURE, &mut rng))] += 1.0;
    }
    counts.iter().map(|c| c / n as f64).collect()
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// Rounds after the baseline until the alarm, if it came within the run.
    pub alarm_round: Option<u64>,
}

/// One provider over `rounds` rounds of `DRIFT_SAMPLES_PER_ROUND` answers: model `a`, and from
/// round `swap_at` on (if any) model `b` for a [`swap_share`] of answers. Returns the round of
/// the alarm (counted from round 0, baseline included).
pub fn run(a: &TinyModel, b: &TinyModel, params: DriftParams, rounds: u64, swap_at: Option<(u64, u64)>, seed: u64) -> Option<u64> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut monitor = DriftMonitor::new(params);
    for round in 0..rounds {
        let share = match swap_at {
            Some((at, ramp)) if round >= at => swap_share(round - at, ramp),
            _ => 0.0,
        };
        for _ in 0..DRIFT_SAMPLES_PER_ROUND {
            let model = if share > 0.0 && rng.random::<f64>() < share { b } else { a };
            monitor.observe(category(&model.sample(DRIFT_PROMPT_V1, 1, DRIFT_TEMPERATURE, &mut rng)));
        }
        if monitor.alarmed() {
            return Some(round);
        }
    }
    None
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rates {
    pub runs: u64,
    pub rounds_per_run: u64,
    /// Runs of an unchanged model that raised the alarm.
    pub false_alarms: u64,
    /// Detection delays (rounds from the start of the swap to the alarm) of the swap runs; a run
    /// with no alarm counts as `rounds_per_run`.
    pub delays: Vec<u64>,
    pub missed: u64,
}

/// `runs` runs of an unchanged model and `runs` runs with a swap starting after the baseline
/// (`swap_after` rounds, ramped over `ramp` rounds), each `rounds` rounds long.
pub fn measure(params: DriftParams, runs: u64, rounds: u64, swap_after: u64, ramp: u64, seed: u64) -> Rates {
    let a = TinyModel::from_seed(LARGE_MODEL);
    let b = TinyModel::from_seed(SWAP_MODEL);
    let mut rates = Rates { runs, rounds_per_run: rounds, false_alarms: 0, delays: Vec::new(), missed: 0 };
    for r in 0..runs {
        if run(&a, &b, params, rounds, None, seed ^ (2 * r)).is_some() {
            rates.false_alarms += 1;
        }
        match run(&a, &b, params, swap_after + rounds, Some((swap_after, ramp)), seed ^ (2 * r + 1)) {
            Some(at) if at >= swap_after => rates.delays.push(at - swap_after),
            Some(_) => rates.delays.push(0),
            None => {
                rates.missed += 1;
                rates.delays.push(rounds);
            }
        }
    }
    rates.delays.sort_unstable();
    rates
}
