//! One DA pass over 0G's real interfaces: quorums from the DASigners precompile
//! ([`super::signers::QuorumView`]), certificates counted as the chain counts them, then rows
//! from each signer by `Signer.BatchRetrieve`, each checked against a Merkle proof when the proof
//! source has one. The network is two seams: `retrieve` (the relay's gRPC call to the signer's
//! socket) and `proofs` (serialized `EncodedSliceMerkle`s of a blob's rows).

use super::check::{blob_signer_seed, sample_rows, CertEvidence, CertVerdict};
use super::quorum::{verify_quorum_cert, CertifiedQuorum, QuorumCert};
use super::retrieve::{judge, RetrieveAsk, RetrieveOutcome, RetrievedVerdict, MAX_ROWS_PER_ASK};
use super::round::DaVerdict;
use super::signers::{QuorumView, RegisteredSigner};
use crate::hash::Hash32;
use std::collections::{BTreeMap, BTreeSet};
use futures::future::LocalBoxFuture;
use futures::StreamExt;
use std::future::Future;

/// Signers asked at once (each ask is one `BatchRetrieve` and, on a reply, one proofs request).
pub const SIGNERS_AT_ONCE: usize = 8;

/// A certified blob: an id for the verdict, and the certificate as submitted to `DAEntrance`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertifiedBlob {
    pub id: String,
    pub cert: QuorumCert,
    /// The `DAEntrance` transaction it was read from, when it came from the chain.
    pub transaction: Option<alloy_primitives::B256>,
}

/// Checks one certificate against its quorum as the chain has it.
pub fn check_cert(blob: &CertifiedBlob, quorum: Option<&QuorumView>) -> (CertVerdict, Option<CertifiedQuorum>) {
    let Some(q) = quorum else {
        return (CertVerdict::Unchecked { reason: format!("no quorum {} of epoch {} from the chain", blob.cert.quorum_id, blob.cert.epoch) }, None);
    };
    match verify_quorum_cert(&blob.cert, &q.slots, &q.infos()) {
        Ok(Ok(certified)) => (CertVerdict::Healthy { signed_rows: certified.signed_rows }, Some(certified)),
        Ok(Err(fault)) => (CertVerdict::Misbehaving { evidence: Box::new(CertEvidence::new(&blob.cert, fault, &q.slots, &q.infos(), blob.transaction)) }, None),
        Err(e) => (CertVerdict::Unchecked { reason: e.to_string() }, None),
    }
}

/// Where a pass gives each verdict (an id and its verdict) as soon as it is decided; answering
/// `false` stops the pass. A trait object, so that a pass is compiled once whatever receives it.
pub type OnDaVerdict<'a> = dyn FnMut(String, DaVerdict) -> LocalBoxFuture<'a, bool> + 'a;

/// A receiver that keeps every verdict in `into`, in the order given, and never stops the pass.
pub fn collect_verdicts<'a>(into: &'a mut Vec<(String, DaVerdict)>) -> impl FnMut(String, DaVerdict) -> LocalBoxFuture<'a, bool> + 'a {
    |id, verdict| {
        into.push((id, verdict));
        Box::pin(std::future::ready(true))
    }
}

/// Certificates first, then one `BatchRetrieve` per signer and certified blob, for up to
/// `rows_per_signer` (at most 16) of the rows the chain counts as that signer's; a verdict per
/// blob (by id) and per signer (by checksummed address). Calls `on_verdict(id, verdict)` as soon
/// as each verdict is decided: every certificate's first, then each signer's once its last ask is
/// judged, so a signer that answers slowly or not at all holds back its own verdict only. Stops
/// when `on_verdict` answers `false` (and returns `false`). `seed` drives the sampling: draw it
/// fresh in the worker each round.
pub async fn run_retrieve_round_each<R, RFut, P, PFut>(
    blobs: &[CertifiedBlob],
    quorums: &[QuorumView],
    seed: [u8; 32],
    rows_per_signer: usize,
    retrieve: R,
    proofs: P,
    on_verdict: &mut OnDaVerdict<'_>,
) -> bool
where
    R: Fn(RegisteredSigner, RetrieveAsk) -> RFut,
    RFut: Future<Output = RetrieveOutcome>,
    P: Fn(Hash32, Vec<u16>) -> PFut,
    PFut: Future<Output = Vec<Option<Vec<u8>>>>,
{
    let mut certified = Vec::new();
    for blob in blobs {
        let quorum = quorums.iter().find(|q| q.epoch == blob.cert.epoch && q.quorum_id == blob.cert.quorum_id);
        let (verdict, valid) = check_cert(blob, quorum);
        if let (Some(q), Some(valid)) = (quorum, valid) {
            certified.push((blob, q, valid));
        }
        if !on_verdict(blob.id.clone(), DaVerdict::Cert(verdict)).await {
            return false;
        }
    }
    // Every (blob, signer) ask, sampled before anything is sent: the seed alone decides them.
    let mut asks: Vec<(&RegisteredSigner, RetrieveAsk)> = Vec::new();
    for (b, (blob, quorum, valid)) in certified.iter().enumerate() {
        for (s, rows) in valid.rows_by_signer.iter().enumerate() {
            if rows.is_empty() {
                continue;
            }
            let picked = sample_rows(rows, rows_per_signer.min(MAX_ROWS_PER_ASK), blob_signer_seed(&seed, b, s));
            asks.push((&quorum.signers[s], RetrieveAsk::new(blob.cert.epoch, blob.cert.quorum_id, blob.cert.data_root, picked)));
        }
    }
    // Each signer's number of asks; a signer of the quorums with none is decided now.
    let mut asks_of: BTreeMap<String, usize> = BTreeMap::new();
    for (signer, _) in &asks {
        *asks_of.entry(signer.address.to_checksum(None)).or_default() += 1;
    }
    let mut without_asks: BTreeSet<String> = BTreeSet::new();
    for id in quorums.iter().flat_map(|q| &q.signers).map(|s| s.address.to_checksum(None)) {
        if asks_of.contains_key(&id) || !without_asks.insert(id.clone()) {
            continue;
        }
        let unchecked = RetrievedVerdict::Unchecked { reason: "no checked certificate gives it rows".into() };
        if !on_verdict(id, DaVerdict::Retrieved(unchecked)).await {
            return false;
        }
    }
    // A few asks at once, each place freed as soon as its signer answers: a slow signer holds
    // one place and its own verdict, nobody else's. A signer's judgements are combined in the
    // order of its asks, so its verdict is the same whatever answered first.
    let (retrieve, proofs) = (&retrieve, &proofs);
    let judged = futures::stream::iter(asks.into_iter().enumerate())
        .map(|(index, (signer, ask))| async move {
            let outcome = retrieve(signer.clone(), ask.clone()).await;
            let row_proofs = match &outcome {
                RetrieveOutcome::Reply(_) => proofs(ask.data_root, ask.rows.clone()).await,
                _ => Vec::new(),
            };
            (index, signer.address.to_checksum(None), judge(&ask, outcome, &row_proofs))
        })
        .buffer_unordered(SIGNERS_AT_ONCE);
    futures::pin_mut!(judged);
    let mut judged_of: BTreeMap<String, Vec<(usize, RetrievedVerdict)>> = BTreeMap::new();
    while let Some((index, id, verdict)) = judged.next().await {
        let so_far = judged_of.entry(id.clone()).or_default();
        so_far.push((index, verdict));
        if so_far.len() < asks_of.get(&id).copied().unwrap_or(0) {
            continue;
        }
        let mut all = judged_of.remove(&id).unwrap_or_default();
        all.sort_unstable_by_key(|(index, _)| *index);
        let Some(combined) = all.into_iter().map(|(_, v)| v).reduce(RetrievedVerdict::combine) else { continue };
        if !on_verdict(id, DaVerdict::Retrieved(combined)).await {
            return false;
        }
    }
    true
}
