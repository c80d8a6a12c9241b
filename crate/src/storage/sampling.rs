//! How many segments to sample so that a node missing data is caught with a stated probability.
//!
//! A node that lost a fraction `f` of a file's `N` segments holds `L = ceil(f * N)` bad ones. Drawing
//! `n` distinct segments uniformly at random misses all of them with the hypergeometric probability
//! `P(miss) = prod_{i<n} (N - L - i) / (N - i)`. We take the smallest `n` with
//! `P(miss) <= 1 - detection`. With the default target (f = 1%, detection 99%) that is every
//! segment of a file of up to 99 segments (about 25 MiB), 368 of 1,000, 434 of 4,096 (1 GiB), and
//! it tends to 459 (the with-replacement bound ln(0.01) / ln(0.99)) for huge files.

use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingPolicy {
    /// Smallest fraction of lost or corrupt segments the check must catch.
    pub lost_fraction: f64,
    /// Probability of catching a node that lost exactly that fraction.
    pub detection: f64,
}

impl Default for SamplingPolicy {
    fn default() -> Self {
        SamplingPolicy { lost_fraction: 0.01, detection: 0.99 }
    }
}

impl SamplingPolicy {
    /// Samples needed for a file of `segments` data segments.
    pub fn sample_count(&self, segments: u64) -> u64 {
        if segments == 0 {
            return 0;
        }
        let lost = ((self.lost_fraction * segments as f64).ceil() as u64).clamp(1, segments);
        let allowed_miss = 1.0 - self.detection;
        let mut miss = 1.0f64;
        for n in 0..segments {
            if miss <= allowed_miss {
                return n;
            }
            miss *= (segments - lost - n) as f64 / (segments - n) as f64;
        }
        segments
    }

    /// The segment indices to check, distinct, in random order, from a 32-byte secret seed.
    /// The seed must be unpredictable to the node checked, or it could keep just those segments.
    pub fn choose(&self, segments: u64, seed: [u8; 32]) -> Vec<u64> {
        let n = self.sample_count(segments);
        let mut rng = ChaCha20Rng::from_seed(seed);
        match usize::try_from(segments) {
            Ok(len) => sample(&mut rng, len, n as usize).into_iter().map(|i| i as u64).collect(),
            // More segments than a usize counts (wasm32: a map claiming a file over 1 PiB): `n` is
            // at most a few hundred, so distinct draws by rejection end at once.
            Err(_) => {
                let mut chosen = Vec::with_capacity(n as usize);
                while (chosen.len() as u64) < n {
                    let i = rng.random_range(0..segments);
                    if !chosen.contains(&i) {
                        chosen.push(i);
                    }
                }
                chosen
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn documented_counts() {
        let p = SamplingPolicy::default();
        assert_eq!(p.sample_count(1), 1);
        assert_eq!(p.sample_count(99), 99);
        assert_eq!(p.sample_count(100), 99);
        assert_eq!(p.sample_count(1_000), 368);
        assert_eq!(p.sample_count(4_096), 434);
        assert_eq!(p.sample_count(100_000_000), 459);
    }

    #[test]
    fn chosen_indices_are_distinct_and_in_range() {
        let p = SamplingPolicy::default();
        let mut chosen = p.choose(5_000, [7; 32]);
        assert_eq!(chosen.len() as u64, p.sample_count(5_000));
        assert!(chosen.iter().all(|&i| i < 5_000));
        chosen.sort();
        chosen.dedup();
        assert_eq!(chosen.len() as u64, p.sample_count(5_000));
        assert_ne!(p.choose(5_000, [7; 32]), p.choose(5_000, [8; 32]));
    }

    /// A network map may claim any size: the largest one a u64 holds must not wrap a 32-bit usize
    /// (in the worker) into an empty range.
    #[test]
    fn huge_claimed_files_are_sampled_too() {
        let p = SamplingPolicy::default();
        for segments in [u32::MAX as u64, u32::MAX as u64 + 1, 1 << 40, u64::MAX / 1024] {
            let mut chosen = p.choose(segments, [9; 32]);
            assert_eq!(chosen.len() as u64, p.sample_count(segments), "{segments}");
            assert!(chosen.iter().all(|&i| i < segments));
            chosen.sort();
            chosen.dedup();
            assert_eq!(chosen.len() as u64, p.sample_count(segments));
        }
    }
}
