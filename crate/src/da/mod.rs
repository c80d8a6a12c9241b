//! 0G DA: BN254 quorum certificates and row sampling, sans-IO.
//!
//! [`bn254`] holds the curve encodings, hash to G1 and the pairing checks; [`quorum`] the
//! certificate rules, counted as the chain counts them; [`rows`] the coset trees (the storage
//! tree code, over 32 KiB rows); [`check`] and [`round`] what one round decides per blob and per
//! signer over the devnet's JSON rows.
//!
//! 0G's own interfaces: [`signers`] the DASigners precompile (quorums, sockets, keys);
//! [`slice`] rows and slices as 0G serializes them; [`row_proof`] a row against its blob's data
//! root with 0G's Merkle proof; [`retrieve`] a `Signer.BatchRetrieve` outcome judged;
//! [`retrieve_round`] one round over all of it. docs/da.md.

pub mod bn254;
pub mod check;
pub mod entrance;
pub mod quorum;
pub mod retrieve;
pub mod retrieve_round;
pub mod round;
pub mod row_proof;
pub mod rows;
pub mod signers;
pub mod slice;
pub mod tx_hash;

pub use check::{sample_rows, CertEvidence, CertVerdict, DaBlob, QuorumEvidence};
pub use quorum::{blob_digest, chain_count, verify_quorum_cert, CertFault, ChainCount, QuorumCert, QuorumError, SignerInfo, QUORUM_ROWS};
pub use retrieve::{decode_reply, judge, RetrieveAsk, RetrieveFailure, RetrieveOutcome, RetrievedVerdict};
pub use retrieve_round::{check_cert, collect_verdicts, run_retrieve_round_each, CertifiedBlob, OnDaVerdict};
pub use round::{DaMap, DaQuorum, DaVerdict};
pub use row_proof::{authenticate_proof, verify_row_merkle, verify_slice_merkle, RowProofFault};
pub use rows::{data_root, row_root, verify_row, RowFault, RowWithProof};
pub use signers::{QuorumView, RegisteredSigner, SignersError, DA_SIGNERS};
pub use slice::{decode_row, encode_row, EncodedSlice, EncodedSliceAmt, EncodedSliceMerkle, SliceError};
