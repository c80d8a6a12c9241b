//! The devnet's description of its DA network (signers, quorums, blobs) and a DA verdict.

use super::check::{CertVerdict, DaBlob};
use super::quorum::SignerInfo;
use serde::{Deserialize, Serialize};

/// What the network map says about DA: registered signers, each quorum's row holders, blobs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaMap {
    pub signers: Vec<SignerInfo>,
    pub quorums: Vec<DaQuorum>,
    pub blobs: Vec<DaBlob>,
}

/// The 3072 row slots of one quorum of one epoch: `slots[row]` indexes [`DaMap::signers`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaQuorum {
    pub epoch: u64,
    pub quorum_id: u64,
    pub slots: Vec<u16>,
}

/// A DA verdict on one entity: a blob's certificate or a signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum DaVerdict {
    Cert(CertVerdict),
    /// A signer checked over `Signer.BatchRetrieve` ([`super::retrieve_round`]).
    Retrieved(super::retrieve::RetrievedVerdict),
}

impl DaVerdict {
    /// The verdict as it may be reported for chain data that came by `path`: a failing
    /// certificate seen through an untrusted relay is only `unverifiable`.
    pub fn attributed(self, path: crate::storage::AnswerPath) -> DaVerdict {
        match (self, path) {
            (DaVerdict::Cert(CertVerdict::Misbehaving { evidence }), crate::storage::AnswerPath::Relayed) => DaVerdict::Cert(CertVerdict::Unverifiable { evidence }),
            (verdict, _) => verdict,
        }
    }

    /// A signer we could not reach, or something left unchecked (its quorum could not be read,
    /// no rows were asked): our own link may be the cause, so the caller checks it before
    /// reporting.
    pub fn may_be_our_link(&self) -> bool {
        use super::retrieve::RetrievedVerdict;
        matches!(
            self,
            DaVerdict::Retrieved(RetrievedVerdict::Unreachable { .. } | RetrievedVerdict::Unchecked { .. })
                | DaVerdict::Cert(CertVerdict::Unchecked { .. })
        )
    }
}
