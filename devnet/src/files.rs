//! The files the devnet's storage nodes hold: read from a folder, or generated.

use std::path::Path;
use std::sync::Arc;
use zg_align::storage::{LayoutError, SegmentTree, CHUNK_SIZE, SEGMENT_SIZE};

/// Largest file the devnet loads into memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// A file and its segment tree, shared by every storage node.
#[derive(Debug)]
pub struct StoredFile {
    pub name: String,
    pub data: Vec<u8>,
    pub tree: SegmentTree,
}

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path} is {size} bytes, over the devnet's {MAX_FILE_BYTES}-byte limit")]
    TooLarge { path: String, size: u64 },
    #[error("{path}: {source}")]
    Layout { path: String, source: LayoutError },
    #[error("{path} holds no non-empty files")]
    NoFiles { path: String },
}

impl StoredFile {
    pub fn new(name: String, data: Vec<u8>) -> Result<Arc<Self>, LayoutError> {
        let tree = SegmentTree::from_file(&data)?;
        Ok(Arc::new(StoredFile { name, data, tree }))
    }
}

/// Every non-empty regular file directly in `dir`, by name.
pub fn load_dir(dir: &Path) -> Result<Vec<Arc<StoredFile>>, FilesError> {
    let io = |source| FilesError::Io { path: dir.display().to_string(), source };
    let mut entries: Vec<_> = std::fs::read_dir(dir).map_err(io)?.collect::<Result<_, _>>().map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.path();
        let meta = entry.metadata().map_err(|source| FilesError::Io { path: path.display().to_string(), source })?;
        if !meta.is_file() || meta.len() == 0 {
            continue;
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(FilesError::TooLarge { path: path.display().to_string(), size: meta.len() });
        }
        let data = std::fs::read(&path).map_err(|source| FilesError::Io { path: path.display().to_string(), source })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        files.push(StoredFile::new(name, data).map_err(|source| FilesError::Layout { path: path.display().to_string(), source })?);
    }
    if files.is_empty() {
        return Err(FilesError::NoFiles { path: dir.display().to_string() });
    }
    Ok(files)
}

/// A default set that exercises the interesting shapes: one partial chunk, several segments,
/// a partial last chunk, and rear padding segments (16 segments + 1 chunk pads to 18).
pub fn generated() -> Vec<Arc<StoredFile>> {
    [
        ("one-chunk.bin", 200u64, 1u32),
        ("three-segments.bin", 3 * SEGMENT_SIZE as u64 - 1000, 2),
        ("odd-chunks.bin", 1025 * CHUNK_SIZE as u64 + 17, 3),
        ("rear-padding.bin", 16 * SEGMENT_SIZE as u64 + CHUNK_SIZE as u64, 4),
    ]
    .into_iter()
    .map(|(name, size, seed)| StoredFile::new(name.to_string(), xorshift_bytes(size as usize, seed)).expect("non-empty"))
    .collect()
}

/// Deterministic bytes (xorshift32), so a devnet's roots are the same on every run.
pub fn xorshift_bytes(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}
