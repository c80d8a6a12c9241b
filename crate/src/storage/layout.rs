//! How 0G lays a file out in chunks and segments, padding included.

use serde::Serialize;

/// A chunk (entry, sector): the Merkle leaf unit.
pub const CHUNK_SIZE: usize = 256;
/// Chunks in one segment: the unit a storage node serves with a proof.
pub const CHUNKS_PER_SEGMENT: usize = 1024;
/// 256 KiB.
pub const SEGMENT_SIZE: usize = CHUNK_SIZE * CHUNKS_PER_SEGMENT;
/// Height of a full segment's subtree over its chunk leaves (2^10 = 1024).
pub const SEGMENT_TREE_HEIGHT: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LayoutError {
    #[error("a 0G file cannot be empty")]
    EmptyFile,
    #[error("segment {index} is outside the file's {segments} segments")]
    SegmentOutOfRange { index: u64, segments: u64 },
}

/// The shape of a file of `size` bytes in 0G's flow: chunk counts and segment sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileLayout {
    size: u64,
    chunks: u64,
    padded_chunks: u64,
}

impl FileLayout {
    pub fn new(size: u64) -> Result<Self, LayoutError> {
        if size == 0 {
            return Err(LayoutError::EmptyFile);
        }
        let chunks = size.div_ceil(CHUNK_SIZE as u64);
        Ok(FileLayout { size, chunks, padded_chunks: padded_chunk_count(chunks) })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Chunks holding file bytes (the last one zero-padded to 256 bytes).
    pub fn chunks(&self) -> u64 {
        self.chunks
    }

    /// Chunks in the Merkle tree, rear padding included.
    pub fn padded_chunks(&self) -> u64 {
        self.padded_chunks
    }

    /// Segments holding file bytes: the ones a node serves.
    pub fn data_segments(&self) -> u64 {
        self.chunks.div_ceil(CHUNKS_PER_SEGMENT as u64)
    }

    /// Leaves of the file tree (segment roots), rear padding included.
    pub fn padded_segments(&self) -> u64 {
        self.padded_chunks.div_ceil(CHUNKS_PER_SEGMENT as u64)
    }

    /// Bytes a node returns for segment `index`: full segments, except the last, which is cut
    /// after its last data chunk (that chunk zero-padded to 256 bytes).
    pub fn segment_data_len(&self, index: u64) -> Result<usize, LayoutError> {
        let segments = self.data_segments();
        if index >= segments {
            return Err(LayoutError::SegmentOutOfRange { index, segments });
        }
        let first_chunk = index * CHUNKS_PER_SEGMENT as u64;
        let chunks = (self.chunks - first_chunk).min(CHUNKS_PER_SEGMENT as u64);
        Ok(chunks as usize * CHUNK_SIZE)
    }

    /// Leaves (chunks, padding included) under segment `index` in the padded tree.
    pub fn segment_leaves(&self, index: u64) -> Result<usize, LayoutError> {
        let segments = self.padded_segments();
        if index >= segments {
            return Err(LayoutError::SegmentOutOfRange { index, segments });
        }
        let first_chunk = index * CHUNKS_PER_SEGMENT as u64;
        Ok((self.padded_chunks - first_chunk).min(CHUNKS_PER_SEGMENT as u64) as usize)
    }
}

/// 0G's padding rule: a power of two stays; otherwise round up to a multiple of
/// max(1, next_pow2(chunks) / 16).
pub fn padded_chunk_count(chunks: u64) -> u64 {
    let next = chunks.next_power_of_two();
    if next == chunks {
        return chunks;
    }
    let unit = (next / 16).max(1);
    chunks.div_ceil(unit) * unit
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn padding_rule() {
        assert_eq!(padded_chunk_count(1), 1);
        assert_eq!(padded_chunk_count(3), 3);
        assert_eq!(padded_chunk_count(17), 18);
        assert_eq!(padded_chunk_count(1025), 1152);
        assert_eq!(padded_chunk_count(16385), 18432);
        assert_eq!(padded_chunk_count(1 << 20), 1 << 20);
    }

    #[test]
    fn segment_sizes() {
        let l = FileLayout::new(SEGMENT_SIZE as u64 * 16 + 1).unwrap();
        assert_eq!(l.data_segments(), 17);
        assert_eq!(l.padded_segments(), 18);
        assert_eq!(l.segment_data_len(16).unwrap(), CHUNK_SIZE);
        assert_eq!(l.segment_leaves(16).unwrap(), CHUNKS_PER_SEGMENT);
        assert_eq!(l.segment_leaves(17).unwrap(), CHUNKS_PER_SEGMENT);
        assert!(l.segment_data_len(17).is_err());
        let small = FileLayout::new(300).unwrap();
        assert_eq!(small.segment_data_len(0).unwrap(), 512);
        assert_eq!(small.segment_leaves(0).unwrap(), 2);
        assert_eq!(FileLayout::new(0), Err(LayoutError::EmptyFile));
    }
}
