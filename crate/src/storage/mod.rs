//! 0G storage: file Merkle roots, segment proofs, the zgs JSON-RPC shapes and the storage check.
//!
//! Everything here is sans-IO; [`transport`] is the one seam where bytes come from a network.

pub mod check;
pub mod flow;
pub mod indexer;
pub mod layout;
pub mod pass;
pub mod proof;
pub mod rpc;
pub mod root;
pub mod round;
pub mod sampling;
pub mod second_look;
pub mod segment;
pub mod shard;
pub mod transport;
pub mod tree;

pub use flow::{decode_submit, FlowError, FlowFile};
pub use indexer::ShardedNode;
pub use pass::{discover, discover_files, discover_nodes, run_storage_pass, FlowSource, PassConfig, PassError, RoundFile, StorageUpstreams};
pub use check::{AnswerPath, SegmentEvidence, StorageCheck, StorageVerdict, UncheckedReason, UnreachableReason};
pub use layout::{FileLayout, LayoutError, CHUNKS_PER_SEGMENT, CHUNK_SIZE, SEGMENT_SIZE};
pub use proof::{FileProof, ProofError};
pub use root::{file_root, FileHasher, MerkleFold};
pub use round::{FileTask, StorageRound};
pub use rpc::{RpcError, SegmentWithProof};
pub use sampling::SamplingPolicy;
pub use second_look::{second_look, SecondLook, SecondSight};
pub use segment::{verify_segment, SegmentFault};
pub use shard::{HeldSegments, ShardConfig, ShardError};
pub use transport::{run_storage_check, run_storage_check_pipelined, JsonRpcTransport, TransportError};
pub use tree::{MerkleTree, SegmentTree};
