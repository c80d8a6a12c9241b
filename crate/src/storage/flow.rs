//! Files as the chain fixed them: the Flow contract's `Submit` events (0g-storage-contracts
//! `IFlow.sol`, `Submission.sol`). A submission lists a file's perfect subtrees (`nodes`, heights
//! in chunks, strictly decreasing); the file root is their right fold, `root = keccak(node_i.root ||
//! root)` from the last node backwards (0g-storage-node `nodes_to_root`); `startPos` is where the
//! file starts in the flow, which decides the segments each shard keeps.

use super::layout::CHUNK_SIZE;
use crate::evm::Log;
use crate::hash::{parent, Hash32};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolEvent};
use serde::Serialize;

sol! {
    struct SubmissionNode {
        bytes32 root;
        uint256 height;
    }

    struct Submission {
        uint256 length;
        bytes tags;
        SubmissionNode[] nodes;
    }

    /// The events of the Flow contract a light node reads.
    interface IFlow {
        event Submit(
            address indexed sender,
            bytes32 indexed identity,
            uint256 submissionIndex,
            uint256 startPos,
            uint256 length,
            Submission submission
        );
    }
}

/// `Submission.sol`'s limits: heights below 64, and at most 4 heights between the first and last.
const MAX_DEPTH: u64 = 64;
const MAX_LENGTH: u64 = 4;
/// Largest tags field we keep reading (the contract sets none; a log is untrusted).
const MAX_TAGS_BYTES: usize = 4096;

/// A file the chain recorded, from its `Submit` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowFile {
    pub root: Hash32,
    /// Bytes.
    pub size: u64,
    /// The file's first entry (chunk) in the flow.
    pub start_entry_index: u64,
    /// The submission index: the node's `tx.seq`.
    pub tx_seq: u64,
    /// Block of the event.
    pub block_number: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FlowError {
    #[error("the log is not a Submit event of the flow contract: {message}")]
    NotSubmit { message: String },
    #[error("the submission is not one the flow contract accepts: {message}")]
    InvalidSubmission { message: String },
    #[error("the event's identity {topic} is not the digest of its nodes {digest}")]
    Identity { topic: Hash32, digest: Hash32 },
    #[error("a removed (reorganised) log")]
    Removed,
    #[error("{what} {value} does not fit in 64 bits")]
    TooLarge { what: &'static str, value: String },
}

/// `topic0` of `Submit`.
pub fn submit_topic() -> B256 {
    IFlow::Submit::SIGNATURE_HASH
}

/// Reads one log as a `Submit` event of `flow`, with the contract's own checks on the submission
/// (the log came through a relay: it is checked, not believed).
pub fn decode_submit(log: &Log, flow: Address) -> Result<FlowFile, FlowError> {
    if log.removed {
        return Err(FlowError::Removed);
    }
    if log.address != flow {
        return Err(FlowError::NotSubmit { message: format!("emitted by {}, not {flow}", log.address) });
    }
    let event = IFlow::Submit::decode_raw_log_validate(log.topics.iter().copied(), &log.data)
        .map_err(|e| FlowError::NotSubmit { message: e.to_string() })?;
    let submission = &event.submission;
    if submission.tags.len() > MAX_TAGS_BYTES {
        return Err(FlowError::InvalidSubmission { message: format!("{} bytes of tags", submission.tags.len()) });
    }
    let heights = check_nodes(submission)?;
    let digest = identity(submission.nodes.iter().map(|n| Hash32(n.root.0)));
    if digest.0 != event.identity.0 {
        return Err(FlowError::Identity { topic: Hash32(event.identity.0), digest });
    }
    let root = fold_root(submission.nodes.iter().map(|n| Hash32(n.root.0))).expect("checked non-empty");
    let capacity: u64 = heights.iter().map(|h| 1u64 << h).sum();
    let size = small("length", submission.length)?;
    if size > capacity * CHUNK_SIZE as u64 || size <= last_capacity(&heights, capacity) * CHUNK_SIZE as u64 {
        return Err(FlowError::InvalidSubmission { message: format!("length {size} does not fit nodes of {capacity} chunks") });
    }
    Ok(FlowFile {
        root,
        size,
        start_entry_index: small("startPos", event.startPos)?,
        tx_seq: small("submissionIndex", event.submissionIndex)?,
        block_number: log.block_number,
    })
}

/// Heights strictly decreasing, below [`MAX_DEPTH`], spanning fewer than [`MAX_LENGTH`] levels.
fn check_nodes(submission: &Submission) -> Result<Vec<u64>, FlowError> {
    let invalid = |message: String| FlowError::InvalidSubmission { message };
    let heights: Vec<u64> = submission
        .nodes
        .iter()
        .map(|n| u64::try_from(n.height).ok().filter(|&h| h < MAX_DEPTH))
        .collect::<Option<_>>()
        .ok_or_else(|| invalid("a node height of 64 or more".into()))?;
    let (Some(&first), Some(&last)) = (heights.first(), heights.last()) else {
        return Err(invalid("no nodes".into()));
    };
    if first - last >= MAX_LENGTH || heights.windows(2).any(|w| w[1] >= w[0]) {
        return Err(invalid(format!("node heights {heights:?}")));
    }
    Ok(heights)
}

/// The contract's lower bound: a submission must not fit in a smaller padded size.
fn last_capacity(heights: &[u64], capacity: u64) -> u64 {
    if capacity < 1 << MAX_LENGTH {
        capacity - 1
    } else if heights.len() == 1 {
        capacity - (capacity >> MAX_LENGTH)
    } else {
        capacity - (1 << (heights[0] - MAX_LENGTH + 1))
    }
}

fn small(what: &'static str, value: U256) -> Result<u64, FlowError> {
    u64::try_from(value).map_err(|_| FlowError::TooLarge { what, value: value.to_string() })
}

/// The file root of a submission: the right fold of its node roots.
pub fn fold_root(nodes: impl DoubleEndedIterator<Item = Hash32>) -> Option<Hash32> {
    let mut nodes = nodes.rev();
    let last = nodes.next()?;
    Some(nodes.fold(last, |root, node| parent(&node, &root)))
}

/// The `identity` topic: keccak256 of the packed node roots (`SubmissionLibrary.digest`).
pub fn identity(nodes: impl Iterator<Item = Hash32>) -> Hash32 {
    let packed: Vec<u8> = nodes.flat_map(|n| n.0).collect();
    crate::hash::keccak256(&packed)
}

/// A `Submit` log as the flow contract emits it: for the devnet's chain and for tests.
pub fn encode_submit(sender: Address, file: &FlowFile, nodes: &[(Hash32, u32)]) -> (Vec<B256>, Vec<u8>) {
    let submission = Submission {
        length: U256::from(file.size),
        tags: Default::default(),
        nodes: nodes.iter().map(|(root, height)| SubmissionNode { root: B256::from(root.0), height: U256::from(*height) }).collect(),
    };
    let entries: u64 = nodes.iter().map(|(_, h)| 1u64 << h).sum();
    let event = IFlow::Submit {
        sender,
        identity: B256::from(identity(nodes.iter().map(|(r, _)| *r)).0),
        submissionIndex: U256::from(file.tx_seq),
        startPos: U256::from(file.start_entry_index),
        length: U256::from(entries),
        submission,
    };
    let data = event.encode_log_data();
    (data.topics().to_vec(), data.data.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::root::FileHasher;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const FLOW: Address = Address::repeat_byte(0xf1);

    fn log(topics: Vec<B256>, data: Vec<u8>) -> Log {
        Log { address: FLOW, topics, data, block_number: 7, removed: false }
    }

    fn file_of(bytes: &[u8]) -> (FlowFile, Vec<(Hash32, u32)>) {
        let mut hasher = FileHasher::new();
        hasher.update(bytes);
        let (root, nodes) = hasher.finalize_submission().unwrap();
        (FlowFile { root, size: bytes.len() as u64, start_entry_index: 2048, tx_seq: 3, block_number: 7 }, nodes)
    }

    #[test]
    fn the_topic_is_the_published_one() {
        assert_eq!(submit_topic().to_string(), "0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555");
    }

    #[test]
    fn submit_events_round_trip_to_the_file_root() {
        for size in [1usize, 256, 257, 1024 * 256, 1025 * 256 + 17, 16 * 256 * 1024 + 256, 3 * 256 * 1024 - 1000] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 + 1) as u8).collect();
            let (file, nodes) = file_of(&bytes);
            assert_eq!(fold_root(nodes.iter().map(|(r, _)| *r)), Some(crate::storage::file_root(&bytes).unwrap()));
            let (topics, data) = encode_submit(Address::repeat_byte(1), &file, &nodes);
            assert_eq!(decode_submit(&log(topics, data), FLOW), Ok(file), "size {size}");
        }
    }

    #[test]
    fn forged_or_impossible_submissions_are_refused() {
        let (file, nodes) = file_of(&[5u8; 3000]);
        let (topics, data) = encode_submit(Address::ZERO, &file, &nodes);
        let mut other = log(topics.clone(), data.clone());
        other.address = Address::repeat_byte(2);
        assert!(matches!(decode_submit(&other, FLOW), Err(FlowError::NotSubmit { .. })));
        let mut removed = log(topics.clone(), data.clone());
        removed.removed = true;
        assert_eq!(decode_submit(&removed, FLOW), Err(FlowError::Removed));
        let mut wrong_identity = topics.clone();
        wrong_identity[2] = B256::repeat_byte(9);
        assert!(matches!(decode_submit(&log(wrong_identity, data.clone()), FLOW), Err(FlowError::Identity { .. })));
        assert!(matches!(decode_submit(&log(topics[..1].to_vec(), data.clone()), FLOW), Err(FlowError::NotSubmit { .. })));
        assert!(matches!(decode_submit(&log(topics.clone(), data[..data.len() - 1].to_vec()), FLOW), Err(FlowError::NotSubmit { .. })));
        // A length the nodes cannot hold, and one that a smaller padding would hold.
        for size in [3000 + 16 * 256, 16] {
            let bad = FlowFile { size, ..file.clone() };
            let (t, d) = encode_submit(Address::ZERO, &bad, &nodes);
            assert!(matches!(decode_submit(&log(t, d), FLOW), Err(FlowError::InvalidSubmission { .. })), "size {size}");
        }
        // Heights that do not decrease.
        let flat = [(Hash32([1; 32]), 3), (Hash32([2; 32]), 3)];
        let (t, d) = encode_submit(Address::ZERO, &FlowFile { size: 16 * 256 - 5, ..file.clone() }, &flat);
        assert!(matches!(decode_submit(&log(t, d), FLOW), Err(FlowError::InvalidSubmission { .. })));
    }
}
