//! The devnet's validator chain: a deterministic set of BLS validators (keys from a seed, unequal
//! power, the set changing every epoch) and a chain of blocks with CometBFT-style commits, some
//! of them faulty, served page by page to the light verifier.
//!
//! Faults, listed in the manifest: validator-000 is offline (never signs), validator-001 is slow
//! (misses every third height), validator-002 equivocates (at every height ending in 5 it also
//! signs another block id at the same height and round, a vote the devnet gossips with the
//! commits); the commit at [`FORGED_HEIGHT`] carries one forged signature in an honest
//! validator's slot, and the commit at [`WEAK_HEIGHT`] carries signatures of only about 60% of
//! the power. Signatures are made on demand and kept (about 0.3 ms each natively).

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use zg_align::bls::{HashedMessage, SecretKey};
use zg_align::hash::Hash32;
use zg_align::validator::{
    block_id, vote_sign_bytes, Commit, CommitsPage, Header, HexBytes, SignedBlock, TrustAnchor, ValidatorInfo, ValidatorList,
    ValidatorName, ValidatorsInfo, Vote, MAX_BLOCKS_PER_PAGE,
};

pub const CHAIN_ID: &str = "zg-align-devnet";
/// Heights the devnet's chain has by default.
pub const DEFAULT_HEAD: u64 = 200;
/// Heights per validator set.
pub const EPOCH: u64 = 50;
/// Validators that ever exist; each epoch's set is a part of them.
pub const UNIVERSE: usize = 150;
/// Set sizes, epoch after epoch (cycling).
const EPOCH_SIZES: [usize; 4] = [100, 120, 90, 150];
/// The commit with a forged signature.
pub const FORGED_HEIGHT: u64 = 17;
/// The commit carrying less than 2/3 of the power.
pub const WEAK_HEIGHT: u64 = 42;
const OFFLINE: usize = 0;
const SLOW: usize = 1;
const EQUIVOCATING: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidatorFault {
    Offline,
    Slow,
    Equivocating,
}

impl ValidatorFault {
    pub fn name(self) -> &'static str {
        match self {
            ValidatorFault::Offline => "offline",
            ValidatorFault::Slow => "slow",
            ValidatorFault::Equivocating => "equivocating",
        }
    }
}

/// A manifest row: one validator of the universe.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorEntry {
    pub id: String,
    pub pub_key: HexBytes,
    /// `null` for an honest validator, else the fault's name.
    pub fault: Option<&'static str>,
}

/// A manifest row: a commit the devnet spoils.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommitFaultEntry {
    pub height: u64,
    /// `forged-signature` or `below-two-thirds`.
    pub fault: &'static str,
    /// For a forged signature: whose slot holds it (an honest validator, who stays healthy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
}

struct DevValidator {
    name: String,
    key: SecretKey,
    pub_key: [u8; 48],
    fault: Option<ValidatorFault>,
}

pub struct ValidatorChain {
    head: u64,
    validators: Vec<DevValidator>,
    /// Per epoch: members (universe indices, slot order) and the wire set.
    epochs: Vec<(Vec<usize>, ValidatorList, Hash32)>,
    headers: Vec<Header>,
    commits: Mutex<HashMap<u64, Arc<Commit>>>,
}

impl std::fmt::Debug for ValidatorChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidatorChain").field("head", &self.head).field("epochs", &self.epochs.len()).finish_non_exhaustive()
    }
}

fn secret_key(index: usize) -> SecretKey {
    let mut bytes: [u8; 32] = Sha256::new().chain_update(b"zg-align devnet validator").chain_update((index as u32).to_be_bytes()).finalize().into();
    bytes[0] &= 0x3f; // below 2^254 < r
    SecretKey::from_bytes(&bytes).expect("a 254-bit scalar from SHA-256 is not zero")
}

fn fault_of(index: usize) -> Option<ValidatorFault> {
    match index {
        OFFLINE => Some(ValidatorFault::Offline),
        SLOW => Some(ValidatorFault::Slow),
        EQUIVOCATING => Some(ValidatorFault::Equivocating),
        _ => None,
    }
}

/// The epoch's members: the faulty three always, then honest validators from a rotating start.
fn members(epoch: u64) -> Vec<usize> {
    let size = EPOCH_SIZES[epoch as usize % EPOCH_SIZES.len()];
    let honest = UNIVERSE - 3;
    let start = (epoch as usize * 17) % honest;
    let mut out = vec![OFFLINE, SLOW, EQUIVOCATING];
    out.extend((0..size - 3).map(|k| 3 + (start + k) % honest));
    out
}

/// Unequal voting power; the faulty validators hold little, so honest power always carries a
/// commit.
fn power(index: usize, epoch: u64) -> u64 {
    if fault_of(index).is_some() {
        10
    } else {
        10 + (index as u64 * 37 + epoch * 13) % 90
    }
}

fn epoch_of(height: u64) -> u64 {
    (height.max(1) - 1) / EPOCH
}

fn round_of(height: u64) -> u32 {
    u32::from(height % 7 == 0)
}

impl ValidatorChain {
    /// The chain up to `head` (headers now, signatures on demand).
    pub fn new(head: u64) -> Self {
        let validators: Vec<DevValidator> = (0..UNIVERSE)
            .map(|i| {
                let key = secret_key(i);
                DevValidator { name: format!("validator-{i:03}"), pub_key: key.public_key().to_bytes(), key, fault: fault_of(i) }
            })
            .collect();
        let epochs: Vec<_> = (0..=epoch_of(head + 1))
            .map(|e| {
                let members = members(e);
                let list = ValidatorList {
                    validators: members
                        .iter()
                        .map(|&i| ValidatorInfo { pub_key: HexBytes(validators[i].pub_key.to_vec()), power: power(i, e) })
                        .collect(),
                };
                let hash = list.hash().expect("devnet sets are well formed");
                (members, list, hash)
            })
            .collect();
        let mut headers: Vec<Header> = Vec::with_capacity(head as usize);
        for height in 1..=head {
            let header = Header {
                chain_id: CHAIN_ID.into(),
                height,
                last_block_id: headers.last().map_or(Hash32::ZERO, |h| block_id(h).expect("devnet header")),
                validators_hash: epochs[epoch_of(height) as usize].2,
                next_validators_hash: epochs[epoch_of(height + 1) as usize].2,
                app_hash: Hash32(Sha256::new().chain_update(b"app").chain_update(height.to_be_bytes()).finalize().into()),
            };
            headers.push(header);
        }
        ValidatorChain { head, validators, epochs, headers, commits: Mutex::new(HashMap::new()) }
    }

    pub fn head(&self) -> u64 {
        self.head
    }

    /// The trust anchor (genesis) and names, for the network map.
    pub fn info(&self) -> ValidatorsInfo {
        ValidatorsInfo {
            chain_id: CHAIN_ID.into(),
            anchor: TrustAnchor { height: 0, block_id: Hash32::ZERO, next_validators: self.epochs[0].1.clone() },
            head: self.head,
            names: self.validators.iter().map(|v| ValidatorName { id: v.name.clone(), pub_key: HexBytes(v.pub_key.to_vec()) }).collect(),
        }
    }

    pub fn manifest_validators(&self) -> Vec<ValidatorEntry> {
        self.validators
            .iter()
            .map(|v| ValidatorEntry { id: v.name.clone(), pub_key: HexBytes(v.pub_key.to_vec()), fault: v.fault.map(ValidatorFault::name) })
            .collect()
    }

    pub fn manifest_commit_faults(&self) -> Vec<CommitFaultEntry> {
        let victim = self.forged_victim();
        [
            CommitFaultEntry { height: FORGED_HEIGHT, fault: "forged-signature", validator: Some(self.validators[victim].name.clone()) },
            CommitFaultEntry { height: WEAK_HEIGHT, fault: "below-two-thirds", validator: None },
        ]
        .into_iter()
        .filter(|f| f.height <= self.head)
        .collect()
    }

    /// The honest validator whose slot holds the forged signature: the first honest member.
    fn forged_victim(&self) -> usize {
        members(epoch_of(FORGED_HEIGHT))[3]
    }

    fn header(&self, height: u64) -> &Header {
        &self.headers[height as usize - 1]
    }

    /// The commit at `height` (1..=head), signed on first use.
    pub fn commit(&self, height: u64) -> Arc<Commit> {
        if let Some(c) = self.commits.lock().expect("commit cache").get(&height) {
            return c.clone();
        }
        let commit = Arc::new(self.sign_commit(height));
        self.commits.lock().expect("commit cache").insert(height, commit.clone());
        commit
    }

    fn sign_commit(&self, height: u64) -> Commit {
        let header = self.header(height);
        let id = block_id(header).expect("devnet header");
        let round = round_of(height);
        let message = HashedMessage::new(&vote_sign_bytes(CHAIN_ID, height, round, &id).expect("devnet chain id")).expect("hash to G2");
        let epoch = epoch_of(height);
        let (members, list, _) = &self.epochs[epoch as usize];
        let total: u64 = list.validators.iter().map(|v| v.power).sum();
        let mut signed_power = 0;
        let signatures = members
            .iter()
            .map(|&i| {
                let v = &self.validators[i];
                let skip = match v.fault {
                    Some(ValidatorFault::Offline) => true,
                    Some(ValidatorFault::Slow) => height % 3 == 0,
                    _ => false,
                };
                // The weak commit stops at about 60% of the power.
                if skip || (height == WEAK_HEIGHT && (signed_power + power(i, epoch)) * 10 > total * 6) {
                    return None;
                }
                signed_power += power(i, epoch);
                let signer = if height == FORGED_HEIGHT && i == self.forged_victim() { &self.validators[members[4]].key } else { &v.key };
                Some(HexBytes(signer.sign_hashed(&message).to_bytes().to_vec()))
            })
            .collect();
        Commit { height, round, block_id: id, signatures }
    }

    /// The equivocating validator's second vote at `height`, if it casts one there.
    fn fork_vote(&self, height: u64) -> Option<Vote> {
        if height % 10 != 5 {
            return None;
        }
        let id = block_id(self.header(height)).expect("devnet header");
        let fork = Hash32(Sha256::new().chain_update(id.0).chain_update(b"fork").finalize().into());
        let round = round_of(height);
        let v = &self.validators[EQUIVOCATING];
        let signature = v.key.sign(&vote_sign_bytes(CHAIN_ID, height, round, &fork).expect("devnet chain id")).expect("hash to G2");
        Some(Vote { height, round, block_id: fork, validator: HexBytes(v.pub_key.to_vec()), signature: HexBytes(signature.to_bytes().to_vec()) })
    }

    /// Blocks `from..from+count` (count capped at [`MAX_BLOCKS_PER_PAGE`], heights past the head
    /// left out), the sets they name, and the votes gossiped at those heights.
    pub fn page(&self, from: u64, count: u32) -> CommitsPage {
        let from = from.max(1);
        let end = from.saturating_add(count.min(MAX_BLOCKS_PER_PAGE) as u64).min(self.head + 1);
        let mut sets: BTreeMap<Hash32, ValidatorList> = BTreeMap::new();
        let mut blocks = Vec::new();
        let mut votes = Vec::new();
        for height in from..end {
            let header = self.header(height).clone();
            for hash in [header.validators_hash, header.next_validators_hash] {
                if let Some((_, list, _)) = self.epochs.iter().find(|(_, _, h)| *h == hash) {
                    sets.entry(hash).or_insert_with(|| list.clone());
                }
            }
            blocks.push(SignedBlock { header, commit: (*self.commit(height)).clone() });
            votes.extend(self.fork_vote(height));
        }
        CommitsPage { head: self.head, blocks, sets: sets.into_values().collect(), votes }
    }

    /// Signs every commit ahead of time (call from a thread of its own).
    pub fn precompute(&self) {
        for height in 1..=self.head {
            self.commit(height);
        }
    }
}

#[derive(Debug, serde::Deserialize)]
struct PageQuery {
    from: u64,
    #[serde(default = "default_count")]
    count: u32,
}

fn default_count() -> u32 {
    MAX_BLOCKS_PER_PAGE
}

/// `GET /validators/commits?from=H&count=N`: the same page as `/zg-align/check/1`'s `commits`.
pub fn router(chain: Arc<ValidatorChain>) -> axum::Router {
    use axum::extract::{Query, State};
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    axum::Router::new()
        .route(
            "/validators/commits",
            axum::routing::get(|State(chain): State<Arc<ValidatorChain>>, Query(q): Query<PageQuery>| async move {
                match tokio::task::spawn_blocking(move || chain.page(q.from, q.count)).await {
                    Ok(page) => axum::Json(page).into_response(),
                    Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
                }
            }),
        )
        .with_state(chain)
}
