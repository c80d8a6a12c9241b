//! Which segments of a file a sharded storage node must hold.
//!
//! A node configured `{shardId, numShard}` keeps the segments whose index in the whole flow,
//! `startEntryIndex / 1024 + i` for segment `i` of a file, is `shardId` modulo `numShard`
//! (0g-storage-node `ShardConfig::in_range`; 0g-storage-client `shard.ShardConfig`). An honest node
//! answers `null` for any other segment, so a check asks only for these.

use super::layout::CHUNKS_PER_SEGMENT;
use serde::{Deserialize, Serialize};

/// Largest `numShard` we accept: a node claiming more would hold almost nothing of any file.
pub const MAX_NUM_SHARD: u64 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardConfig {
    pub shard_id: u64,
    pub num_shard: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ShardError {
    #[error("numShard {num_shard} is not a power of two from 1 to {MAX_NUM_SHARD}")]
    NumShard { num_shard: u64 },
    #[error("shardId {shard_id} is not below numShard {num_shard}")]
    ShardId { shard_id: u64, num_shard: u64 },
}

impl Default for ShardConfig {
    /// One shard: the node holds everything (the code default of a storage node).
    fn default() -> Self {
        ShardConfig { shard_id: 0, num_shard: 1 }
    }
}

impl ShardConfig {
    /// The rules of 0g-storage-client's `IsValid`, with our cap on `numShard`.
    pub fn new(shard_id: u64, num_shard: u64) -> Result<Self, ShardError> {
        if num_shard == 0 || !num_shard.is_power_of_two() || num_shard > MAX_NUM_SHARD {
            return Err(ShardError::NumShard { num_shard });
        }
        if shard_id >= num_shard {
            return Err(ShardError::ShardId { shard_id, num_shard });
        }
        Ok(ShardConfig { shard_id, num_shard })
    }

    /// Checks a config read from the wire.
    pub fn validated(self) -> Result<Self, ShardError> {
        ShardConfig::new(self.shard_id, self.num_shard)
    }

    /// The segments of one file (of `data_segments` segments, starting at flow entry
    /// `start_entry_index`) that this shard must hold.
    pub fn file_segments(&self, start_entry_index: u64, data_segments: u64) -> HeldSegments {
        let start_segment = start_entry_index / CHUNKS_PER_SEGMENT as u64;
        // First i >= 0 with (start_segment + i) % num_shard == shard_id.
        let first = (self.shard_id + self.num_shard - start_segment % self.num_shard) % self.num_shard;
        let count = data_segments.saturating_sub(first).div_ceil(self.num_shard);
        HeldSegments { first, step: self.num_shard, count }
    }

    /// Whether this shard holds segment `index` of a file starting at `start_entry_index`.
    pub fn holds(&self, start_entry_index: u64, index: u64) -> bool {
        (start_entry_index / CHUNKS_PER_SEGMENT as u64).wrapping_add(index) % self.num_shard == self.shard_id
    }
}

/// The file-relative segment indices a shard holds: `first + k * step` for `k < count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldSegments {
    pub first: u64,
    pub step: u64,
    pub count: u64,
}

impl HeldSegments {
    /// The `k`-th held segment's index in the file.
    pub fn nth(&self, k: u64) -> u64 {
        self.first + k * self.step
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn configs_follow_the_client_rules() {
        assert!(ShardConfig::new(0, 1).is_ok());
        assert!(ShardConfig::new(3, 4).is_ok());
        assert_eq!(ShardConfig::new(0, 0), Err(ShardError::NumShard { num_shard: 0 }));
        assert_eq!(ShardConfig::new(0, 3), Err(ShardError::NumShard { num_shard: 3 }));
        assert_eq!(ShardConfig::new(2, 2), Err(ShardError::ShardId { shard_id: 2, num_shard: 2 }));
        assert!(ShardConfig::new(0, MAX_NUM_SHARD * 2).is_err());
    }

    /// The held list equals a brute-force filter with the node's own rule, for every offset.
    #[test]
    fn held_segments_match_the_node_rule() {
        for num_shard in [1u64, 2, 4, 8] {
            for shard_id in 0..num_shard {
                let shard = ShardConfig::new(shard_id, num_shard).unwrap();
                for start_segment in 0..10u64 {
                    for segments in 0..20u64 {
                        let start = start_segment * 1024 + 7 * (start_segment % 2);
                        let held = shard.file_segments(start, segments);
                        let brute: Vec<u64> = (0..segments).filter(|&i| (start / 1024 + i) % num_shard == shard_id).collect();
                        let listed: Vec<u64> = (0..held.count).map(|k| held.nth(k)).collect();
                        assert_eq!(listed, brute, "{shard:?} start {start} segments {segments}");
                        assert!(listed.iter().all(|&i| shard.holds(start, i)));
                    }
                }
            }
        }
    }
}
