//! A DA quorum certificate: which rows of a quorum signed a blob, and whether that is enough.
//!
//! A quorum is 3072 row slots, each held by one signer (a signer may hold many). The certificate
//! names the slots that signed with a bitmap (bit `i % 8` of byte `i / 8` for slot `i`, as the
//! chain's `getAggPkG1` reads it); the chain aggregates the G1 keys of the distinct signers behind
//! those slots, the submitter supplies the matching G2 aggregate, and the aggregate signature must
//! verify against both (see [`verify_aggregate`]). It must also cover at least 2/3 of the slots.

use super::bn254::{decode_g1, decode_g2, sum_g1, verify_aggregate, PointError};
use crate::hash::{keccak256, Hash32};
use serde::{Deserialize, Serialize};

/// Rows of one quorum (one per row of the three erasure-coded cosets).
pub const QUORUM_ROWS: usize = 3072;

/// What a DA signer registered on chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignerInfo {
    pub id: String,
    #[serde(with = "hex_bytes")]
    pub pk_g1: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub pk_g2: Vec<u8>,
}

/// The certificate of one blob in one quorum, as submitted to `DAEntrance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuorumCert {
    pub data_root: Hash32,
    pub epoch: u64,
    pub quorum_id: u64,
    /// The erasure commitment, a G1 point (64 bytes).
    #[serde(with = "hex_bytes")]
    pub commitment: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub bitmap: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub agg_pk_g2: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum QuorumError {
    /// The certificate or a key cannot be read: the input's fault, no verdict on anyone.
    #[error(transparent)]
    Point(#[from] PointError),
    #[error("quorum has {received} row slots, expected {expected}")]
    QuorumSize { expected: usize, received: usize },
    #[error("slot {slot} names signer {signer}, but only {signers} are registered")]
    UnknownSigner { slot: usize, signer: usize, signers: usize },
    #[error("bitmap has {received} bytes, a quorum needs at most {max}")]
    BitmapLength { max: usize, received: usize },
}

/// Why a certificate does not make its blob available (evidence against the certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CertFault {
    /// The aggregate signature does not verify for the signers the bitmap names.
    BadSignature { signed_rows: usize },
    /// Fewer than 2/3 of the quorum's rows signed.
    BelowQuorum { signed_rows: usize, rows: usize },
    /// The coset roots published with the blob do not hash to the certified data root.
    DataRootMismatch { computed: Hash32 },
}

/// What a valid certificate establishes: which signers vouched for which rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertifiedQuorum {
    pub signed_rows: usize,
    /// Per registered signer, the rows it signed for (the slots it holds that the bitmap sets).
    pub rows_by_signer: Vec<Vec<u16>>,
}

/// `keccak(dataRoot || epoch || quorumId || commitment.X || commitment.Y)` with Solidity's
/// `abi.encodePacked` of `(bytes32, uint256, uint256, uint256, uint256)`: what signers sign.
pub fn blob_digest(data_root: &Hash32, epoch: u64, quorum_id: u64, commitment: &[u8; 64]) -> [u8; 32] {
    let mut bytes = [0u8; 32 * 5];
    bytes[..32].copy_from_slice(&data_root.0);
    bytes[56..64].copy_from_slice(&epoch.to_be_bytes());
    bytes[88..96].copy_from_slice(&quorum_id.to_be_bytes());
    bytes[96..].copy_from_slice(commitment);
    keccak256(&bytes).0
}

fn slot_signed(bitmap: &[u8], slot: usize) -> bool {
    bitmap.get(slot / 8).is_some_and(|b| b & (1 << (slot % 8)) != 0)
}

/// Checks `cert` against the quorum's slot holders (`slots[i]` indexes `signers`).
pub fn verify_quorum_cert(cert: &QuorumCert, slots: &[usize], signers: &[SignerInfo]) -> Result<Result<CertifiedQuorum, CertFault>, QuorumError> {
    if slots.len() != QUORUM_ROWS {
        return Err(QuorumError::QuorumSize { expected: QUORUM_ROWS, received: slots.len() });
    }
    let max = QUORUM_ROWS.div_ceil(8);
    if cert.bitmap.len() > max {
        return Err(QuorumError::BitmapLength { max, received: cert.bitmap.len() });
    }
    let commitment = decode_g1(&cert.commitment, "erasure commitment")?;
    let signature = decode_g1(&cert.signature, "aggregate signature")?;
    let apk2 = decode_g2(&cert.agg_pk_g2, "aggregate G2 key")?;
    let mut rows_by_signer = vec![Vec::new(); signers.len()];
    for (slot, &signer) in slots.iter().enumerate() {
        if signer >= signers.len() {
            return Err(QuorumError::UnknownSigner { slot, signer, signers: signers.len() });
        }
        if slot_signed(&cert.bitmap, slot) {
            rows_by_signer[signer].push(slot as u16);
        }
    }
    let signed_rows = rows_by_signer.iter().map(Vec::len).sum();
    // Each distinct signer counts once in the aggregate, however many slots it holds.
    let keys = rows_by_signer
        .iter()
        .zip(signers)
        .filter(|(rows, _)| !rows.is_empty())
        .map(|(_, s)| decode_g1(&s.pk_g1, "signer G1 key"))
        .collect::<Result<Vec<_>, _>>()?;
    let commitment = super::bn254::encode_g1(&commitment);
    let digest = blob_digest(&cert.data_root, cert.epoch, cert.quorum_id, &commitment);
    if keys.is_empty() || !verify_aggregate(&digest, &signature, &sum_g1(&keys), &apk2) {
        return Ok(Err(CertFault::BadSignature { signed_rows }));
    }
    if signed_rows * 3 < QUORUM_ROWS * 2 {
        return Ok(Err(CertFault::BelowQuorum { signed_rows, rows: QUORUM_ROWS }));
    }
    Ok(Ok(CertifiedQuorum { signed_rows, rows_by_signer }))
}

/// Points and bitmaps as `0x` hex, as EVM tools write bytes.
mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("0x{}", hex::encode(bytes)))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        let digits = text.strip_prefix("0x").ok_or_else(|| serde::de::Error::custom("hex bytes must start with 0x"))?;
        hex::decode(digits).map_err(serde::de::Error::custom)
    }
}
