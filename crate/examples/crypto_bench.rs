//! Native side of the verification cores' benchmark (`make bench`): the same workloads as the
//! worker runs (`zg_align::benchmarks`), timed with `Instant`, printed as JSON.
//!
//! ```text
//! cargo run --release -p zg-align --example crypto_bench -- [--reps R]
//! ```

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps = args.iter().position(|a| a == "--reps").and_then(|i| args.get(i + 1)).map_or(15, |v| v.parse().expect("--reps N"));
    let now = zg_align::benchmarks::native_clock();
    let mut timings = zg_align::benchmarks::bls(reps, &now);
    timings.extend(zg_align::benchmarks::da(reps, &now));
    println!("{}", serde_json::to_string(&timings).expect("timings serialise"));
}
