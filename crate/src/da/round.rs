//! One DA pass of a round: every certificate, then rows sampled from each signer that vouched for
//! rows in a valid certificate. The network is a seam (`fetch_rows`); everything else is pure.

use super::check::{blob_signer_seed, check_blob, check_signer_rows, sample_rows, CertVerdict, DaBlob, RowsUnavailable, SignerVerdict, MAX_ROWS_PER_REQUEST};
use super::quorum::SignerInfo;
use super::rows::RowWithProof;
use crate::hash::Hash32;
use serde::{Deserialize, Serialize};
use std::future::Future;

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
    Signer(SignerVerdict),
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
            DaVerdict::Signer(SignerVerdict::Unreachable { .. })
                | DaVerdict::Retrieved(RetrievedVerdict::Unreachable { .. } | RetrievedVerdict::Unchecked { .. })
                | DaVerdict::Cert(CertVerdict::Unchecked { .. })
        )
    }
}

/// Certificates first, then one request per signer and certified blob; returns a verdict per blob
/// and per signer, in the map's order. `seed` drives the row sampling; `fetch_rows(signer,
/// data_root, rows)` asks a signer.
pub async fn run_da_round<F, Fut>(map: &DaMap, seed: [u8; 32], rows_per_signer: usize, fetch_rows: F) -> Vec<(String, DaVerdict)>
where
    F: Fn(String, Hash32, Vec<u16>) -> Fut,
    Fut: Future<Output = Result<Vec<RowWithProof>, RowsUnavailable>>,
{
    let mut verdicts = Vec::with_capacity(map.blobs.len() + map.signers.len());
    let mut per_signer: Vec<Option<SignerVerdict>> = vec![None; map.signers.len()];
    let mut certified = Vec::new();
    for blob in &map.blobs {
        let quorum = map.quorums.iter().find(|q| q.epoch == blob.cert.epoch && q.quorum_id == blob.cert.quorum_id);
        let verdict = match quorum {
            None => CertVerdict::Unchecked { reason: format!("no quorum {} of epoch {} in the map", blob.cert.quorum_id, blob.cert.epoch) },
            Some(q) => {
                let slots: Vec<usize> = q.slots.iter().map(|&s| s as usize).collect();
                match check_blob(blob, &slots, &map.signers) {
                    Ok((verdict, quorum)) => {
                        if let Some(quorum) = quorum {
                            certified.push((blob, quorum));
                        }
                        verdict
                    }
                    Err(e) => CertVerdict::Unchecked { reason: e.to_string() },
                }
            }
        };
        verdicts.push((blob.id.clone(), DaVerdict::Cert(verdict)));
    }
    for (b, (blob, quorum)) in certified.iter().enumerate() {
        for (s, rows) in quorum.rows_by_signer.iter().enumerate() {
            if rows.is_empty() {
                continue;
            }
            let picked = sample_rows(rows, rows_per_signer.min(MAX_ROWS_PER_REQUEST), blob_signer_seed(&seed, b, s));
            let answer = fetch_rows(map.signers[s].id.clone(), blob.cert.data_root, picked.clone()).await;
            let verdict = check_signer_rows(blob, &picked, answer);
            per_signer[s] = Some(match per_signer[s].take() {
                Some(v) => v.combine(verdict),
                None => verdict,
            });
        }
    }
    for (signer, verdict) in map.signers.iter().zip(per_signer) {
        verdicts.push((signer.id.clone(), DaVerdict::Signer(verdict.unwrap_or(SignerVerdict::Healthy { rows: 0 }))));
    }
    verdicts
}
