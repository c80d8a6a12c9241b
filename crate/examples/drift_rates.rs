//! Prints the drift test's measured error rates over long simulated runs of the devnet's models
//! (docs/serving.md): `cargo run --release -p zg-align --example drift_rates [runs] [rounds]`.

use zg_align::serving::drift::{DRIFT_PARAMS, CATEGORIES};
use zg_align::serving::simulate::{category_histogram, measure, LARGE_MODEL, SWAP_MODEL};
use zg_align::serving::TinyModel;

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().expect("a number"));
    let runs = args.next().unwrap_or(20);
    let rounds = args.next().unwrap_or(10_000);
    let mut params = DRIFT_PARAMS;
    if let Ok(t) = std::env::var("DRIFT_THRESHOLD") {
        params.threshold = t.parse().expect("a number");
    }
    if let Ok(b) = std::env::var("DRIFT_BASELINE") {
        params.baseline = b.parse().expect("a number");
    }
    for name in [LARGE_MODEL, SWAP_MODEL] {
        let h = category_histogram(&TinyModel::from_seed(name), 100_000, 1);
        let h: Vec<String> = h.iter().map(|p| format!("{p:.3}")).collect();
        println!("{name}: categories ({CATEGORIES}) {}", h.join(" "));
    }
    let swap_after = (params.baseline as u64).div_ceil(zg_align::serving::DRIFT_SAMPLES_PER_ROUND as u64) + 50;
    let ramp = 100;
    let rates = measure(params, runs, rounds, swap_after, ramp, 7);
    let d = &rates.delays;
    let pct = |q: f64| d[((d.len() - 1) as f64 * q).round() as usize];
    println!("params {params:?}");
    println!(
        "unchanged model: {} alarms in {} runs of {} rounds ({} rounds in all)",
        rates.false_alarms,
        runs,
        rounds,
        runs * rounds
    );
    println!(
        "gradual swap (linear over {ramp} rounds, from round {swap_after}): missed {}, delay in rounds median {} p90 {} max {}",
        rates.missed,
        pct(0.5),
        pct(0.9),
        pct(1.0)
    );
}
