//! The devnet's DA network: signers with BN254 keys, one quorum of 3072 row slots, and blobs with
//! certificates, honest and faulty. Names are stable: tests rely on them.
//!
//! Rows are 32 KiB as in 0G, but carry 1 KiB of pseudo-random bytes and then zeros, so that the
//! devnet builds its coset trees in milliseconds; the light node hashes every byte it receives.

use ark_bn254::Fr;
use ark_ff::PrimeField;
use serde::Serialize;
use zg_align::da::bn254::{encode_g1, encode_g2, public_keys, sign, sum_g1, sum_g2};
use zg_align::da::rows::{row_root, ROWS_PER_COSET, ROW_BYTES};
use zg_align::da::{blob_digest, data_root, DaBlob, DaMap, DaQuorum, QuorumCert, RowWithProof, SignerInfo, QUORUM_ROWS};
use zg_align::hash::keccak256;
use zg_align::storage::MerkleTree;
use zg_align::Hash32;

/// Bytes at the start of each devnet row that are not zero.
const ROW_PREFIX_BYTES: usize = 1024;
const EPOCH: u64 = 1;
const QUORUM_ID: u64 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignerFault {
    /// Answers "not found" for every row it signed for.
    Withhold,
    /// Serves one byte changed in each row (proofs stay honest).
    BadRow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlobFault {
    /// One signer's part of the aggregate is a signature over another message.
    ForgedSignature,
    /// Signers holding over a third of the rows did not sign.
    BelowQuorum,
}

pub struct DaSigner {
    pub id: String,
    pub fault: Option<SignerFault>,
}

pub struct DevnetBlob {
    pub blob: DaBlob,
    pub fault: Option<BlobFault>,
    seed: u64,
    cosets: [MerkleTree; 3],
}

pub struct DaNetwork {
    pub signers: Vec<DaSigner>,
    pub map: DaMap,
    pub blobs: Vec<DevnetBlob>,
}

impl std::fmt::Debug for DaNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DaNetwork({} signers, {} blobs)", self.signers.len(), self.blobs.len())
    }
}

/// What the manifest lists under `da`.
#[derive(Debug, Clone, Serialize)]
pub struct DaManifest {
    pub signers: Vec<DaManifestEntry>,
    pub blobs: Vec<DaManifestEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DaManifestEntry {
    pub id: String,
    /// `null` when honest, else the fault's name.
    pub fault: Option<String>,
}

fn secret(i: usize) -> Fr {
    Fr::from_be_bytes_mod_order(&keccak256(format!("zg-align devnet da signer {i}").as_bytes()).0)
}

fn row_data(seed: u64, slot: usize) -> Vec<u8> {
    let mut row = vec![0u8; ROW_BYTES];
    let mut block = keccak256(&[seed.to_be_bytes(), (slot as u64).to_be_bytes()].concat());
    for piece in row[..ROW_PREFIX_BYTES].chunks_mut(32) {
        piece.copy_from_slice(&block.0);
        block = keccak256(&block.0);
    }
    row
}

impl DevnetBlob {
    fn new(id: String, seed: u64, fault: Option<BlobFault>, slots: &[u16], signers: usize) -> Self {
        let cosets: [MerkleTree; 3] = std::array::from_fn(|c| {
            let roots = (0..ROWS_PER_COSET).map(|r| row_root(&row_data(seed, c * ROWS_PER_COSET + r)[..ROW_PREFIX_BYTES])).collect();
            MerkleTree::from_leaves(roots)
        });
        let coset_roots = [cosets[0].root(), cosets[1].root(), cosets[2].root()];
        let root = data_root(&coset_roots);
        let commitment = encode_g1(&public_keys(&Fr::from(seed + 1)).0);
        let digest = blob_digest(&root, EPOCH, QUORUM_ID, &commitment);
        // Who signs: everyone, or (below quorum) only the signers whose slots stay under 2/3.
        let mut signing: Vec<usize> = (0..signers).collect();
        if fault == Some(BlobFault::BelowQuorum) {
            let mut held = 0;
            signing.retain(|&s| {
                let rows = slots.iter().filter(|&&x| x as usize == s).count();
                let keep = (held + rows) * 2 < QUORUM_ROWS; // stop well short of 2/3
                if keep {
                    held += rows;
                }
                keep
            });
        }
        let mut bitmap = vec![0u8; QUORUM_ROWS / 8];
        for (slot, &s) in slots.iter().enumerate() {
            if signing.contains(&(s as usize)) {
                bitmap[slot / 8] |= 1 << (slot % 8);
            }
        }
        let sigs: Vec<_> = signing
            .iter()
            .map(|&s| {
                let message = if fault == Some(BlobFault::ForgedSignature) && s == signing[0] { keccak256(&digest).0 } else { digest };
                sign(&secret(s), &message)
            })
            .collect();
        let keys: Vec<_> = signing.iter().map(|&s| public_keys(&secret(s)).1).collect();
        let cert = QuorumCert {
            data_root: root,
            epoch: EPOCH,
            quorum_id: QUORUM_ID,
            commitment: commitment.to_vec(),
            bitmap,
            agg_pk_g2: encode_g2(&sum_g2(&keys)).to_vec(),
            signature: encode_g1(&sum_g1(&sigs)).to_vec(),
        };
        DevnetBlob { blob: DaBlob { id, cert, coset_roots }, fault, seed, cosets }
    }

    /// Row `slot` with its proof, as an honest signer serves it.
    pub fn row(&self, slot: u16) -> Option<RowWithProof> {
        let (coset, row) = (slot as usize / ROWS_PER_COSET, slot as usize % ROWS_PER_COSET);
        let proof = self.cosets.get(coset)?.proof(row as u64)?;
        Some(RowWithProof { index: slot, data: row_data(self.seed, slot as usize), proof })
    }
}

impl DaNetwork {
    /// Eight signers with unequal stakes (two faulty) and four blobs (two faulty certificates).
    pub fn generate() -> Self {
        let faults = [None, None, None, None, None, None, Some(SignerFault::Withhold), Some(SignerFault::BadRow)];
        let signers: Vec<DaSigner> = faults.iter().enumerate().map(|(i, &fault)| DaSigner { id: format!("da-signer-{i}"), fault }).collect();
        // Slots by stake: signer i holds a share proportional to i + 1, dealt by a keccak lottery.
        let stakes: Vec<u64> = (1..=signers.len() as u64).collect();
        let total: u64 = stakes.iter().sum();
        let slots: Vec<u16> = (0..QUORUM_ROWS)
            .map(|slot| {
                let ticket = u64::from_be_bytes(keccak256(&(slot as u64).to_be_bytes()).0[..8].try_into().unwrap()) % total;
                let mut acc = 0;
                stakes.iter().position(|&s| { acc += s; ticket < acc }).unwrap() as u16
            })
            .collect();
        let infos = (0..signers.len())
            .map(|i| {
                let (g1, g2) = public_keys(&secret(i));
                SignerInfo { id: signers[i].id.clone(), pk_g1: encode_g1(&g1).to_vec(), pk_g2: encode_g2(&g2).to_vec() }
            })
            .collect();
        let blob_faults = [None, None, Some(BlobFault::ForgedSignature), Some(BlobFault::BelowQuorum)];
        let blobs: Vec<DevnetBlob> = blob_faults
            .iter()
            .enumerate()
            .map(|(i, &fault)| DevnetBlob::new(format!("da-blob-{i}"), 1000 + i as u64, fault, &slots, signers.len()))
            .collect();
        let map = DaMap {
            signers: infos,
            quorums: vec![DaQuorum { epoch: EPOCH, quorum_id: QUORUM_ID, slots }],
            blobs: blobs.iter().map(|b| b.blob.clone()).collect(),
        };
        DaNetwork { signers, map, blobs }
    }

    pub fn manifest(&self) -> DaManifest {
        DaManifest {
            signers: self.signers.iter().map(|s| DaManifestEntry { id: s.id.clone(), fault: s.fault.map(|f| fault_name(&f)) }).collect(),
            blobs: self.blobs.iter().map(|b| DaManifestEntry { id: b.blob.id.clone(), fault: b.fault.map(|f| fault_name(&f)) }).collect(),
        }
    }

    /// A signer's answer to a request for rows: `Err((code, message))` when it serves none.
    pub fn rows(&self, signer: &str, data_root: &Hash32, rows: &[u16]) -> Result<Vec<RowWithProof>, (u16, String)> {
        let index = self.signers.iter().position(|s| s.id == signer).ok_or((404, format!("no DA signer {signer}")))?;
        let blob = self.blobs.iter().find(|b| b.blob.cert.data_root == *data_root).ok_or((404, format!("no blob {data_root}")))?;
        if rows.len() > zg_align::da::check::MAX_ROWS_PER_REQUEST {
            return Err((413, format!("{} rows asked, at most {}", rows.len(), zg_align::da::check::MAX_ROWS_PER_REQUEST)));
        }
        let slots = &self.map.quorums[0].slots;
        if self.signers[index].fault == Some(SignerFault::Withhold) {
            return Err((404, "rows not found".into()));
        }
        rows.iter()
            .map(|&r| {
                if slots.get(r as usize).map(|&s| s as usize) != Some(index) {
                    return Err((404, format!("row {r} is not held by {signer}")));
                }
                let mut row = blob.row(r).ok_or((404, format!("no row {r}")))?;
                if self.signers[index].fault == Some(SignerFault::BadRow) {
                    row.data[7] ^= 0x40;
                }
                Ok(row)
            })
            .collect()
    }
}

fn fault_name<T: Serialize>(fault: &T) -> String {
    serde_json::to_value(fault).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
