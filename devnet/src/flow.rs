//! The devnet's Flow contract: each file submitted once, in order, laid out in the flow as
//! 0g-storage-contracts does it (`FlowTreeLib.pad` and `insertNode`: each subtree aligned to its
//! size, a file that would straddle a segment boundary unaligned moved to the next segment), and
//! its `Submit` event kept as a log of the devnet's chain.

use crate::files::StoredFile;
use alloy_primitives::{address, Address, B256};
use std::sync::Arc;
use zg_align::evm::Log;
use zg_align::storage::flow::{encode_submit, FlowFile};
use zg_align::storage::{FileHasher, CHUNKS_PER_SEGMENT};
use zg_align::Hash32;

/// Where the devnet's Flow contract lives (anvil's fourth deployment of account 0; the third is the
/// devnet's InferenceServing).
pub const FLOW_CONTRACT: Address = address!("Cf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9");
/// The account that submitted the files (anvil account 0).
pub const SUBMITTER: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
/// The block of the first submission; one file every `BLOCKS_BETWEEN` blocks after it.
pub const FIRST_SUBMIT_BLOCK: u64 = 10;
const BLOCKS_BETWEEN: u64 = 10;
/// Entries already in the flow before the devnet's files (other people's data), so that files
/// start at realistic, unaligned places.
const FLOW_START: u64 = 3 * CHUNKS_PER_SEGMENT as u64 + 5;

/// A file as the flow holds it.
#[derive(Debug, Clone)]
pub struct FlowEntry {
    pub file: Arc<StoredFile>,
    pub flow: FlowFile,
    /// The submission's subtrees `(root, height in chunks)`, largest first.
    pub nodes: Vec<(Hash32, u32)>,
}

/// The devnet's files in the flow, in submission order.
#[derive(Debug, Clone)]
pub struct Flow {
    pub entries: Vec<FlowEntry>,
}

impl Flow {
    pub fn new(files: &[Arc<StoredFile>]) -> Flow {
        let mut length = FLOW_START;
        let entries = files
            .iter()
            .enumerate()
            .map(|(seq, file)| {
                let mut hasher = FileHasher::new();
                hasher.update(&file.data);
                let (root, nodes) = hasher.finalize_submission().expect("devnet files are not empty");
                let start = place(&mut length, &nodes);
                let flow = FlowFile {
                    root,
                    size: file.data.len() as u64,
                    start_entry_index: start,
                    tx_seq: seq as u64,
                    block_number: FIRST_SUBMIT_BLOCK + seq as u64 * BLOCKS_BETWEEN,
                };
                FlowEntry { file: file.clone(), flow, nodes }
            })
            .collect();
        Flow { entries }
    }

    pub fn by_root(&self, root: &Hash32) -> Option<&FlowEntry> {
        self.entries.iter().find(|e| e.flow.root == *root)
    }

    pub fn by_seq(&self, seq: u64) -> Option<&FlowEntry> {
        self.entries.get(usize::try_from(seq).ok()?)
    }

    /// The `Submit` logs of blocks `from..=to` whose topics match `topics` (`None` matches any).
    pub fn logs(&self, from: u64, to: u64, topics: &[Option<B256>]) -> Vec<Log> {
        self.entries
            .iter()
            .filter(|e| (from..=to).contains(&e.flow.block_number))
            .map(|e| {
                let (topics, data) = encode_submit(SUBMITTER, &e.flow, &e.nodes);
                Log { address: FLOW_CONTRACT, topics, data, block_number: e.flow.block_number, removed: false }
            })
            .filter(|log| topics.iter().enumerate().all(|(i, want)| want.is_none_or(|t| log.topics.get(i) == Some(&t))))
            .collect()
    }
}

/// Appends a submission's nodes to a flow of `length` entries, as the contract does, and returns
/// the file's first entry.
fn place(length: &mut u64, nodes: &[(Hash32, u32)]) -> u64 {
    let segment = CHUNKS_PER_SEGMENT as u64;
    let size: u64 = nodes.iter().map(|(_, h)| 1u64 << h).sum();
    let start = next_align(*length, nodes[0].1);
    if start % segment != 0 && start / segment != (start + size - 1) / segment {
        *length = start + segment - start % segment;
    }
    let mut first = None;
    for (_, height) in nodes {
        let node_start = next_align(*length, *height);
        first.get_or_insert(node_start);
        *length = node_start + (1u64 << height);
    }
    first.expect("a submission has nodes")
}

fn next_align(length: u64, height: u32) -> u64 {
    length.next_multiple_of(1u64 << height)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::generated;
    use zg_align::storage::decode_submit;

    #[test]
    fn files_are_laid_out_as_the_contract_does() {
        let flow = Flow::new(&generated());
        let mut previous_end = 0;
        for e in &flow.entries {
            let f = &e.flow;
            assert!(f.start_entry_index >= previous_end);
            assert_eq!(f.start_entry_index % (1u64 << e.nodes[0].1), 0, "aligned to its first subtree");
            let chunks: u64 = e.nodes.iter().map(|(_, h)| 1u64 << h).sum();
            let seg = CHUNKS_PER_SEGMENT as u64;
            assert!(f.start_entry_index % seg == 0 || f.start_entry_index / seg == (f.start_entry_index + chunks - 1) / seg, "never straddles a segment unaligned");
            previous_end = f.start_entry_index + chunks;
        }
        assert!(flow.entries.iter().any(|e| e.flow.start_entry_index / 1024 % 2 == 1), "some file starts in an odd segment (sharding shifts)");
    }

    #[test]
    fn logs_are_the_contract_s_events() {
        let flow = Flow::new(&generated());
        let logs = flow.logs(0, u64::MAX, &[]);
        assert_eq!(logs.len(), flow.entries.len());
        for (log, e) in logs.iter().zip(&flow.entries) {
            assert_eq!(decode_submit(log, FLOW_CONTRACT).unwrap(), e.flow);
            assert_eq!(e.flow.root, e.file.tree.root());
        }
        assert_eq!(flow.logs(0, FIRST_SUBMIT_BLOCK, &[]).len(), 1);
        let identity = logs[2].topics[2];
        assert_eq!(flow.logs(0, u64::MAX, &[None, None, Some(identity)]).len(), 1);
    }
}
