//! The DA check of one round, sans-IO: certificates, and the rows sampled from each signer
//! (asked over `Signer.BatchRetrieve`, [`super::retrieve_round`]).
//!
//! A certificate that fails is evidence against the certificate (its submitter), never against the
//! signers it names. A signer is never accused: its rows carry no signature of its own.

use super::quorum::{CertFault, QuorumCert, SignerInfo};
use super::rows::COSETS;
use crate::hash::Hash32;
use rand::seq::index::sample;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

/// Rows asked of one signer per blob: a signer that lost a fraction f of its rows escapes with
/// probability (1 - f)^8 per blob (under 10% for f = 25%), for 256 KiB of rows.
pub const DEFAULT_ROWS_PER_SIGNER: usize = 8;

/// One blob as the network map describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaBlob {
    pub id: String,
    pub cert: QuorumCert,
    pub coset_roots: [Hash32; COSETS],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum CertVerdict {
    Healthy { signed_rows: usize },
    Misbehaving { evidence: Box<CertEvidence> },
    /// A certificate that fails, read through a relay the owner does not run: the relay could
    /// have invented the transaction and its log (docs/trust.md). Shown, never an accusation.
    Unverifiable { evidence: Box<CertEvidence> },
    /// The map does not let us check it (no quorum, an unreadable key): no verdict on anyone.
    Unchecked { reason: String },
}

/// A failing certificate, with everything needed to check it again offline
/// ([`crate::evidence::recheck`]): the certificate as submitted, and the quorum it was counted
/// against as the chain gave it, which anyone can compare with the chain at `epoch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertEvidence {
    pub data_root: Hash32,
    pub epoch: u64,
    pub quorum_id: u64,
    pub fault: CertFault,
    pub certificate: QuorumCert,
    pub quorum: QuorumEvidence,
    /// The `DAEntrance` transaction the certificate was read from (its hash recomputed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction: Option<alloy_primitives::B256>,
}

/// A quorum as DASigners gives it (`getQuorum`, then `getSigner` for each distinct signer):
/// `slots[row]` indexes `signers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuorumEvidence {
    pub slots: Vec<usize>,
    pub signers: Vec<SignerInfo>,
}

impl CertEvidence {
    pub fn new(cert: &QuorumCert, fault: CertFault, slots: &[usize], signers: &[SignerInfo], transaction: Option<alloy_primitives::B256>) -> Self {
        CertEvidence {
            data_root: cert.data_root,
            epoch: cert.epoch,
            quorum_id: cert.quorum_id,
            fault,
            certificate: cert.clone(),
            quorum: QuorumEvidence { slots: slots.to_vec(), signers: signers.to_vec() },
            transaction,
        }
    }
}

/// The sampling seed of blob `b` and signer `s` in a round seeded with `seed`.
pub fn blob_signer_seed(seed: &[u8; 32], b: usize, s: usize) -> [u8; 32] {
    let mut bytes = seed.to_vec();
    bytes.extend_from_slice(&(b as u32).to_be_bytes());
    bytes.extend_from_slice(&(s as u32).to_be_bytes());
    crate::hash::keccak256(&bytes).0
}

/// Up to `count` of `rows`, chosen at random with `seed` (sorted).
pub fn sample_rows(rows: &[u16], count: usize, seed: [u8; 32]) -> Vec<u16> {
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
    let mut picked: Vec<u16> = sample(&mut rng, rows.len(), count.min(rows.len())).into_iter().map(|i| rows[i]).collect();
    picked.sort_unstable();
    picked
}
