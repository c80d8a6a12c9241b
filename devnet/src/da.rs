//! The devnet's DA network: signers with BN254 keys and EVM addresses, one quorum of 3072 row
//! slots, and blobs encoded as 0G encodes them ([`crate::da_encode`]) with certificates, honest and
//! faulty. Names are stable: tests rely on them.
//!
//! The same network answers the devnet's JSON `daRows` ([`DaNetwork::rows`], rows with storage
//! proofs) and 0G's own interfaces: `Signer.BatchRetrieve` over gRPC ([`crate::da_grpc`]), the
//! DASigners precompile ([`crate::evm_da`]), and each row's 0G Merkle proof
//! ([`DaNetwork::row_proof`], the Merkle part of the encoder's slice, which 0G serves nowhere).
//!
//! Encoding takes a few seconds (three FFTs of 2^20 points per blob), so the blobs are encoded
//! once per process and shared; only the two blobs with valid certificates keep their rows
//! (96 MiB each).

use crate::da_encode::{payload, EncodedBlob};
use alloy_primitives::Address;
use ark_bn254::Fr;
use ark_ff::PrimeField;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use zg_align::da::bn254::{encode_g1, encode_g2, public_keys, sign, sum_g1, sum_g2};
use zg_align::da::{blob_digest, DaBlob, DaMap, DaQuorum, QuorumCert, RowWithProof, SignerInfo, QUORUM_ROWS};
use zg_align::hash::keccak256;
use zg_align::Hash32;

/// Payload bytes of each devnet blob (the rest of the 31 MiB is padding, as 0G pads).
const PAYLOAD_BYTES: usize = 1024;
/// The devnet's epoch and its one quorum.
pub const EPOCH: u64 = 1;
pub const QUORUM_ID: u64 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignerFault {
    /// Answers "not found" for every row it signed for (gRPC: `Internal`, "slice is missing").
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
    /// Its account: the key of its registration on the DASigners precompile.
    pub address: Address,
    pub fault: Option<SignerFault>,
}

pub struct DevnetBlob {
    pub blob: DaBlob,
    pub fault: Option<BlobFault>,
    encoded: Arc<EncodedBlob>,
}

pub struct DaNetwork {
    pub signers: Vec<DaSigner>,
    pub map: DaMap,
    pub blobs: Vec<DevnetBlob>,
    /// Each signer's gRPC socket, once [`crate::da_grpc::serve_signers`] listens.
    pub sockets: OnceLock<Vec<SocketAddr>>,
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
    /// What the node's verdicts name it by: a signer's checksummed account, a blob's data root.
    pub node: String,
    /// `null` when honest, else the fault's name.
    pub fault: Option<String>,
}

/// A refusal of `BatchRetrieve`, with 0G's status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetrieveRefusal {
    InvalidArgument(String),
    Internal(String),
}

/// A signer as 0G's interfaces name it: account, gRPC socket, fault (for the manifest).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaSignerEndpoint {
    pub id: String,
    pub address: String,
    pub socket: String,
    pub fault: Option<String>,
}

fn secret(i: usize) -> Fr {
    Fr::from_be_bytes_mod_order(&keccak256(format!("zg-align devnet da signer {i}").as_bytes()).0)
}

fn signer_address(i: usize) -> Address {
    Address::from_slice(&keccak256(format!("zg-align devnet da signer account {i}").as_bytes()).0[12..])
}

/// The devnet's commitment secret (a devnet setup: anyone may know it).
fn tau() -> Fr {
    Fr::from_be_bytes_mod_order(&keccak256(b"zg-align devnet tau").0)
}

/// The four blobs, encoded once per process: blobs 0 and 1 keep their rows.
fn encoded_blobs() -> &'static [Arc<EncodedBlob>] {
    static BLOBS: OnceLock<Vec<Arc<EncodedBlob>>> = OnceLock::new();
    BLOBS.get_or_init(|| {
        (0..4u64)
            .map(|i| {
                let mut blob = EncodedBlob::encode(&payload(1000 + i, PAYLOAD_BYTES), tau());
                if i >= 2 {
                    blob.drop_rows();
                }
                Arc::new(blob)
            })
            .collect()
    })
}

impl DevnetBlob {
    fn new(id: String, encoded: Arc<EncodedBlob>, fault: Option<BlobFault>, slots: &[u16], signers: usize) -> Self {
        let root = encoded.data_root;
        let commitment = encoded.commitment;
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
        DevnetBlob { blob: DaBlob { id, cert, coset_roots: encoded.coset_roots }, fault, encoded }
    }

    /// Row `slot` with its storage proof, as an honest signer serves it over `daRows`.
    pub fn row(&self, slot: u16) -> Option<RowWithProof> {
        let data = self.encoded.row(slot as usize)?.to_vec();
        Some(RowWithProof { index: slot, data, proof: self.encoded.storage_proof(slot as usize)? })
    }

    /// Row `slot`'s bytes (32 KiB), when the devnet keeps them.
    pub fn row_bytes(&self, slot: u16) -> Option<&[u8]> {
        self.encoded.row(slot as usize)
    }

    /// Row `slot`'s 0G Merkle proof, serialized as the encoder writes `EncodedSliceMerkle`.
    pub fn row_proof(&self, slot: u16) -> Option<Vec<u8>> {
        Some(self.encoded.merkle(slot as usize)?.encode())
    }
}

impl DaNetwork {
    /// Eight signers with unequal stakes (two faulty) and four blobs (two faulty certificates).
    pub fn generate() -> Self {
        let faults = [None, None, None, None, None, None, Some(SignerFault::Withhold), Some(SignerFault::BadRow)];
        let signers: Vec<DaSigner> = faults.iter().enumerate().map(|(i, &fault)| DaSigner { id: format!("da-signer-{i}"), address: signer_address(i), fault }).collect();
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
            .map(|(i, &fault)| DevnetBlob::new(format!("da-blob-{i}"), encoded_blobs()[i].clone(), fault, &slots, signers.len()))
            .collect();
        let map = DaMap {
            signers: infos,
            quorums: vec![DaQuorum { epoch: EPOCH, quorum_id: QUORUM_ID, slots }],
            blobs: blobs.iter().map(|b| b.blob.clone()).collect(),
        };
        DaNetwork { signers, map, blobs, sockets: OnceLock::new() }
    }

    /// The signer of each quorum row, by account (what `getQuorum` answers).
    pub fn quorum_rows(&self) -> Vec<Address> {
        self.map.quorums[0].slots.iter().map(|&s| self.signers[s as usize].address).collect()
    }

    /// Each signer with its account, socket (empty until the gRPC servers listen) and fault.
    pub fn endpoints(&self) -> Vec<DaSignerEndpoint> {
        let sockets = self.sockets.get();
        self.signers
            .iter()
            .enumerate()
            .map(|(i, s)| DaSignerEndpoint {
                id: s.id.clone(),
                address: s.address.to_checksum(None),
                socket: sockets.map(|v| v[i].to_string()).unwrap_or_default(),
                fault: s.fault.map(|f| fault_name(&f)),
            })
            .collect()
    }

    /// Signer `signer`'s answer to one `RetrieveRequest`, as 0G's DA node answers it
    /// (0g-da-node `batch_retrieve_inner`): the rows' bytes (sorted, without duplicates), or a
    /// refusal: `InvalidArgument` for a malformed root or a row not assigned to the signer,
    /// `Internal` for an unknown quorum or a row missing from its store.
    pub fn batch_retrieve(&self, signer: usize, epoch: u64, quorum_id: u64, storage_root: &[u8], row_indexes: &[u32]) -> Result<Vec<Vec<u8>>, RetrieveRefusal> {
        let root: [u8; 32] = storage_root.try_into().map_err(|_| RetrieveRefusal::InvalidArgument("storage root".into()))?;
        if (epoch, quorum_id) != (EPOCH, QUORUM_ID) {
            return Err(RetrieveRefusal::Internal(format!("quorum of epoch {epoch} not found")));
        }
        let slots = &self.map.quorums[0].slots;
        let assigned = slots.iter().filter(|&&s| s as usize == signer).count();
        let mut rows = row_indexes.to_vec();
        rows.sort_unstable();
        rows.dedup();
        if rows.len() > assigned {
            return Err(RetrieveRefusal::InvalidArgument("invalid row indexes".into()));
        }
        let blob = self.blob_by_root(&Hash32(root));
        rows.iter()
            .map(|&r| {
                if slots.get(r as usize).map(|&s| s as usize) != Some(signer) {
                    return Err(RetrieveRefusal::InvalidArgument("invalid row indexes".into()));
                }
                let missing = || RetrieveRefusal::Internal("slice is missing".into());
                if self.signers[signer].fault == Some(SignerFault::Withhold) {
                    return Err(missing());
                }
                let mut row = blob.and_then(|b| b.row_bytes(r as u16)).ok_or_else(missing)?.to_vec();
                if self.signers[signer].fault == Some(SignerFault::BadRow) {
                    row[7] ^= 0x40;
                }
                Ok(zg_align::da::encode_row(&row))
            })
            .collect()
    }

    pub fn blob_by_root(&self, data_root: &Hash32) -> Option<&DevnetBlob> {
        self.blobs.iter().find(|b| b.blob.cert.data_root == *data_root)
    }

    /// A row's 0G Merkle proof (serialized `EncodedSliceMerkle`), as the blob's disperser holds it.
    pub fn row_proof(&self, data_root: &Hash32, row: u16) -> Option<Vec<u8>> {
        self.blob_by_root(data_root)?.row_proof(row)
    }

    pub fn manifest(&self) -> DaManifest {
        DaManifest {
            signers: self.signers.iter().map(|s| DaManifestEntry { id: s.id.clone(), node: s.address.to_checksum(None), fault: s.fault.map(|f| fault_name(&f)) }).collect(),
            blobs: self
                .blobs
                .iter()
                .map(|b| DaManifestEntry { id: b.blob.id.clone(), node: b.blob.cert.data_root.to_string(), fault: b.fault.map(|f| fault_name(&f)) })
                .collect(),
        }
    }
}

fn fault_name<T: Serialize>(fault: &T) -> String {
    serde_json::to_value(fault).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
