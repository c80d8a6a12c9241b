//! A DA quorum certificate: which rows of a quorum signed a blob, and whether that is enough.
//!
//! A quorum is 3072 row slots, each held by one signer (a signer may hold many). The certificate
//! names the slots that signed with a bitmap (bit `i % 8` of byte `i / 8` for slot `i`), counted
//! exactly as the chain counts it ([`chain_count`], 0g-geth `getAggPkG1`): the bitmap is exactly
//! `(n + 7) / 8` bytes; once a signer has one set bit, each of its later slots counts as signed
//! whatever its bit; its earlier slots do not. The chain aggregates the G1 keys of those signers,
//! the submitter supplies the matching G2 aggregate, and the aggregate signature must verify
//! against both (see [`verify_aggregate`]); `DAEntrance` then accepts when `2 * n <= 3 * hit`.
//! A certificate the chain accepts is never called invalid here, nor the other way round.

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
    /// The bitmap is not `(n + 7) / 8` bytes: the chain refuses it (`ErrQuorumBitmapLengthMismatch`).
    BitmapLength { expected: usize, received: usize },
}

/// What a valid certificate establishes: which signers vouched for which rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertifiedQuorum {
    pub signed_rows: usize,
    /// Per registered signer, the rows the chain counts as signed by it (its slots from its first
    /// set bit on).
    pub rows_by_signer: Vec<Vec<u16>>,
}

/// A bitmap counted as the chain counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCount {
    /// Slots in the quorum (`total` in `getAggPkG1`).
    pub total: usize,
    /// Slots counted as signed (`hit`).
    pub hit: usize,
    /// The distinct signers in the aggregate, in the order of their first set bit.
    pub signers: Vec<usize>,
    /// Per slot, whether it counts as signed.
    pub counted: Vec<bool>,
}

impl ChainCount {
    /// `DAEntrance`: `SLICE_NUMERATOR * total <= hit * SLICE_DENOMINATOR`, 2/3.
    pub fn accepted(&self) -> bool {
        2 * self.total <= 3 * self.hit
    }
}

/// 0g-geth `getAggPkG1` over `slots` (slot `i` held by signer `slots[i]`): the bitmap must be
/// exactly `(n + 7) / 8` bytes; a slot counts when its signer already counted an earlier slot or
/// its own bit is set. Bits past the last slot are ignored, as there.
pub fn chain_count(slots: &[usize], bitmap: &[u8]) -> Result<ChainCount, CertFault> {
    let expected = slots.len().div_ceil(8);
    if bitmap.len() != expected {
        return Err(CertFault::BitmapLength { expected, received: bitmap.len() });
    }
    let mut added = std::collections::BTreeSet::new();
    let mut signers = Vec::new();
    let mut counted = vec![false; slots.len()];
    for (slot, &signer) in slots.iter().enumerate() {
        if added.contains(&signer) || slot_signed(bitmap, slot) {
            counted[slot] = true;
            if added.insert(signer) {
                signers.push(signer);
            }
        }
    }
    let hit = counted.iter().filter(|&&c| c).count();
    Ok(ChainCount { total: slots.len(), hit, signers, counted })
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
    let commitment = decode_g1(&cert.commitment, "erasure commitment")?;
    let signature = decode_g1(&cert.signature, "aggregate signature")?;
    let apk2 = decode_g2(&cert.agg_pk_g2, "aggregate G2 key")?;
    if let Some((slot, &signer)) = slots.iter().enumerate().find(|(_, &s)| s >= signers.len()) {
        return Err(QuorumError::UnknownSigner { slot, signer, signers: signers.len() });
    }
    let count = match chain_count(slots, &cert.bitmap) {
        Ok(count) => count,
        Err(fault) => return Ok(Err(fault)),
    };
    let signed_rows = count.hit;
    let mut rows_by_signer = vec![Vec::new(); signers.len()];
    for (slot, (&signer, &counted)) in slots.iter().zip(&count.counted).enumerate() {
        if counted {
            rows_by_signer[signer].push(slot as u16);
        }
    }
    // Each distinct signer counts once in the aggregate, however many slots it holds.
    let keys = count.signers.iter().map(|&s| decode_g1(&signers[s].pk_g1, "signer G1 key")).collect::<Result<Vec<_>, _>>()?;
    let commitment = super::bn254::encode_g1(&commitment);
    let digest = blob_digest(&cert.data_root, cert.epoch, cert.quorum_id, &commitment);
    if keys.is_empty() || !verify_aggregate(&digest, &signature, &sum_g1(&keys), &apk2) {
        return Ok(Err(CertFault::BadSignature { signed_rows }));
    }
    if !count.accepted() {
        return Ok(Err(CertFault::BelowQuorum { signed_rows, rows: count.total }));
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

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use crate::da::bn254::{encode_g1, encode_g2, public_keys, sign, sum_g1, sum_g2};
    use ark_bn254::Fr;

    fn bitmap(n: usize, set: &[usize]) -> Vec<u8> {
        let mut b = vec![0u8; n.div_ceil(8)];
        for &i in set {
            b[i / 8] |= 1 << (i % 8);
        }
        b
    }

    /// A count that reads each bit on its own, as a checker stricter than the chain would.
    fn naive_hit(n: usize, bitmap: &[u8]) -> usize {
        (0..n).filter(|&i| slot_signed(bitmap, i)).count()
    }

    #[test]
    fn counts_as_the_chain_where_a_per_bit_count_differs() {
        // (slots, set bits, chain's hit, per-bit hit)
        let cases: &[(&[usize], &[usize], usize, usize)] = &[
            // One set bit makes every later slot of that signer count.
            (&[0, 0, 0, 1, 1, 1], &[0], 3, 1),
            // Slots before a signer's first set bit do not count.
            (&[0, 0, 0, 1, 1, 1], &[1], 2, 1),
            (&[0, 0, 0, 1, 1, 1], &[2, 5], 2, 2),
            // Interleaved holders: signer 1's slot 1 comes before its first set bit (3).
            (&[0, 1, 0, 1, 0, 1, 2, 2, 2], &[0, 3], 5, 2),
            // Every bit set: both counts agree.
            (&[0, 1, 0, 1, 0, 1, 2, 2, 2], &[0, 1, 2, 3, 4, 5, 6, 7, 8], 9, 9),
            (&[0, 1, 2], &[], 0, 0),
        ];
        for &(slots, set, hit, naive) in cases {
            let b = bitmap(slots.len(), set);
            let count = chain_count(slots, &b).unwrap();
            assert_eq!((count.total, count.hit), (slots.len(), hit), "{slots:?} {set:?}");
            assert_eq!(naive_hit(slots.len(), &b), naive, "{slots:?} {set:?}");
        }
        // The chain accepts at exactly 2/3, and here where a per-bit count sees 1 of 9.
        let slots = [0, 0, 0, 0, 0, 0, 1, 1, 1];
        let count = chain_count(&slots, &bitmap(9, &[0])).unwrap();
        assert_eq!((count.hit, count.accepted(), count.signers.clone()), (6, true, vec![0]));
        assert!(3 * naive_hit(9, &bitmap(9, &[0])) < 2 * 9);
        assert!(!chain_count(&slots, &bitmap(9, &[1])).unwrap().accepted());
        // Bits past the last slot are ignored; the length must be exact.
        assert_eq!(chain_count(&[0, 1, 2], &[0b1111_1000]).unwrap().hit, 0);
        assert_eq!(chain_count(&slots, &[0xff]), Err(CertFault::BitmapLength { expected: 2, received: 1 }));
        assert_eq!(chain_count(&slots, &[0xff; 3]), Err(CertFault::BitmapLength { expected: 2, received: 3 }));
    }

    fn sk(i: usize) -> Fr {
        Fr::from(1_000_003 * i as u64 + 17)
    }

    /// Three signers hold the 3072 slots in runs; every one signs, but the bitmap sets only the
    /// first slot of each: the chain counts every slot, so the certificate is valid.
    #[test]
    fn a_certificate_the_chain_accepts_is_valid_here() {
        let slots: Vec<usize> = (0..QUORUM_ROWS).map(|i| i * 3 / QUORUM_ROWS).collect();
        let signers: Vec<SignerInfo> = (0..3)
            .map(|i| {
                let (g1, g2) = public_keys(&sk(i));
                SignerInfo { id: format!("s{i}"), pk_g1: encode_g1(&g1).to_vec(), pk_g2: encode_g2(&g2).to_vec() }
            })
            .collect();
        let commitment = encode_g1(&public_keys(&Fr::from(99u64)).0);
        let data_root = crate::hash::keccak256(b"blob");
        let digest = blob_digest(&data_root, 4, 0, &commitment);
        let cert = |set: &[usize], who: &[usize]| QuorumCert {
            data_root,
            epoch: 4,
            quorum_id: 0,
            commitment: commitment.to_vec(),
            bitmap: bitmap(QUORUM_ROWS, set),
            agg_pk_g2: encode_g2(&sum_g2(&who.iter().map(|&i| public_keys(&sk(i)).1).collect::<Vec<_>>())).to_vec(),
            signature: encode_g1(&sum_g1(&who.iter().map(|&i| sign(&sk(i), &digest)).collect::<Vec<_>>())).to_vec(),
        };
        let firsts = [0, 1024, 2048];
        let valid = verify_quorum_cert(&cert(&firsts, &[0, 1, 2]), &slots, &signers).unwrap().unwrap();
        assert_eq!(valid.signed_rows, QUORUM_ROWS);
        assert_eq!(valid.rows_by_signer[1].len(), 1024);
        // Two signers, each from its first slot: 2048 of 3072 is exactly 2/3.
        let two = verify_quorum_cert(&cert(&[0, 1024], &[0, 1]), &slots, &signers).unwrap().unwrap();
        assert_eq!(two.signed_rows, 2048);
        // Signer 1 from its last slot only: 1025 rows, below 2/3 for the chain too.
        assert_eq!(
            verify_quorum_cert(&cert(&[0, 2047], &[0, 1]), &slots, &signers).unwrap(),
            Err(CertFault::BelowQuorum { signed_rows: 1025, rows: QUORUM_ROWS })
        );
        // A bitmap one byte short: the chain reverts, so the certificate is invalid.
        let mut short = cert(&firsts, &[0, 1, 2]);
        short.bitmap.pop();
        assert_eq!(verify_quorum_cert(&short, &slots, &signers).unwrap(), Err(CertFault::BitmapLength { expected: 384, received: 383 }));
        // A signer named by the bitmap whose share is missing from the aggregate.
        assert!(matches!(verify_quorum_cert(&cert(&firsts, &[0, 1]), &slots, &signers).unwrap(), Err(CertFault::BadSignature { .. })));
    }
}
