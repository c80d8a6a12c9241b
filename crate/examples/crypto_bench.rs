//! Native side of the verification cores' benchmark (`make bench`): the same workloads as the
//! worker runs (`zg_align::benchmarks`), timed with `Instant`, printed as JSON.
//!
//! ```text
//! cargo run --release -p zg-align --example crypto_bench -- [--reps R]
//! ```

fn main() {
    let reps = zg_align::benchmarks::usize_arg("--reps", 15);
    let now = zg_align::benchmarks::native_clock();
    let mut timings = zg_align::benchmarks::bls(reps, &now);
    timings.extend(zg_align::benchmarks::bls_profile(reps, &now));
    timings.extend(zg_align::benchmarks::da(reps, &now));
    println!("{}", serde_json::to_string(&timings).expect("timings serialise"));
}
