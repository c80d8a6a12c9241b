//! 0G DA: BN254 quorum certificates and row sampling, sans-IO.
//!
//! [`bn254`] holds the curve encodings, hash to G1 and the pairing checks; [`quorum`] the
//! certificate rules; [`rows`] the coset trees (the storage tree code, over 32 KiB rows);
//! [`check`] what one round decides per blob and per signer.

pub mod bn254;
pub mod check;
pub mod quorum;
pub mod round;
pub mod rows;

pub use check::{check_blob, check_signer_rows, sample_rows, CertVerdict, DaBlob, RowsUnavailable, SignerVerdict};
pub use quorum::{blob_digest, verify_quorum_cert, CertFault, QuorumCert, QuorumError, SignerInfo, QUORUM_ROWS};
pub use rows::{data_root, row_root, verify_row, RowFault, RowWithProof};
pub use round::{run_da_round, DaMap, DaQuorum, DaVerdict};
