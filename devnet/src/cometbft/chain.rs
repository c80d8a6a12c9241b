//! The devnet's chain as CometBFT would run it with BLS12-381 validators (0G Chain's rules, or
//! any [`ChainProfile`]): 150 validators (keys from a seed), sets that change every 50 heights,
//! headers with every field CometBFT hashes, and commits where every validator signs its own
//! `CanonicalVote` with its own timestamp, with the devnet's faults:
//!
//! - `validator-000` is offline (never votes), `validator-001` slow (absent every third height),
//!   `validator-002` equivocates: at every height ending in 5 it also signs a precommit for another
//!   block; the two votes appear as `DuplicateVoteEvidence` in the block two heights later (whose
//!   header's `evidence_hash` covers it), as a real chain would show them;
//! - the commit served for [`FORGED_HEIGHT`] holds, in an honest validator's slot, another
//!   validator's signature; the one for [`WEAK_HEIGHT`] carries about 60% of the power (a real
//!   node would never serve either: they stand for a relay or RPC that alters answers);
//! - `validator-004` votes nil every 13th height (a vote, not a fault).
//!
//! Headers are made at start (they need only the equivocator's signatures); commits are signed on
//! first request and kept, and [`CometChain::precompute`] signs them all from a thread of its own.
//! Not like a real chain: `last_commit_hash` and `consensus_hash` are stand-ins (a header would
//! otherwise need every earlier commit signed first); no light client reads them.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use zg_align::bls::SecretKey;
use zg_align::cometbft::{
    evidence_hash, header_hash, merkle_root, Address, Block, BlockId, BlockIdFlag, ChainProfile, Commit, CommitSig, DuplicateVoteEvidence,
    Evidence, Hash32, Header, PartSetHeader, Timestamp, ValidatorEntry, ValidatorKey, ValidatorSet, Version, Vote, VoteType, BLOCK_PROTOCOL,
};

/// The devnet chain's id.
pub const CHAIN_ID: &str = "zg-align-devnet-1";
/// Heights the chain has by default.
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
/// How many heights after an equivocation its evidence is in a block.
pub const EVIDENCE_DELAY: u64 = 2;
const OFFLINE: usize = 0;
const SLOW: usize = 1;
const EQUIVOCATING: usize = 2;
const NIL_VOTER: usize = 4;

/// A validator's fault, as the manifest names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Fault {
    Offline,
    Slow,
    Equivocating,
}

/// A manifest row: one validator of the universe.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorRow {
    pub id: String,
    /// CometBFT address (upper-case hex), under the chain's profile.
    pub address: String,
    /// The key as `/validators` shows it (base64 of the profile's encoding).
    pub pub_key: String,
    /// `null` for an honest validator.
    pub fault: Option<Fault>,
}

impl ValidatorRow {
    /// The status a light node that followed this chain must give the validator: what the
    /// devnet's tests hold the core's verdicts to.
    pub fn expected_status(&self) -> zg_align::cometbft::ValidatorStatus {
        use zg_align::cometbft::ValidatorStatus;
        match self.fault {
            None => ValidatorStatus::Healthy,
            Some(Fault::Offline) => ValidatorStatus::Offline,
            Some(Fault::Slow) => ValidatorStatus::Lagging,
            Some(Fault::Equivocating) => ValidatorStatus::Misbehaving,
        }
    }
}

/// A manifest row: a commit the devnet spoils, or an equivocation and where its evidence is.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRow {
    pub height: u64,
    /// `forged-signature`, `below-two-thirds` or `duplicate-vote`.
    pub fault: &'static str,
    /// Whose slot holds the forged signature (an honest validator), or who equivocated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
    /// For `duplicate-vote`: the block whose evidence shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_height: Option<u64>,
}

/// What the devnet publishes about its CometBFT chain.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainManifest {
    pub chain_id: String,
    pub profile: &'static str,
    pub head: u64,
    /// A trust anchor for tests (in production it comes from configuration, never from the
    /// network being checked).
    pub trust_height: u64,
    pub trust_hash: String,
    pub validators: Vec<ValidatorRow>,
    pub faults: Vec<FaultRow>,
}

struct DevValidator {
    name: String,
    secret: SecretKey,
    key: ValidatorKey,
    address: Address,
    fault: Option<Fault>,
}

/// One epoch's set: members (universe indices) in the set's order, and the set.
struct Epoch {
    members: Vec<usize>,
    set: Arc<ValidatorSet>,
}

pub struct CometChain {
    profile: ChainProfile,
    head: u64,
    validators: Vec<DevValidator>,
    epochs: Vec<Epoch>,
    headers: Vec<Header>,
    /// Per height: the transactions of its block.
    txs: Vec<Vec<Vec<u8>>>,
    /// Per height with evidence: the evidence.
    evidence: HashMap<u64, Vec<Evidence>>,
    commits: Mutex<HashMap<u64, Arc<Commit>>>,
}

impl std::fmt::Debug for CometChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CometChain").field("head", &self.head).field("profile", &self.profile.name).finish_non_exhaustive()
    }
}

/// The devnet's validator secret key `index` (the same as the devnet's older chain).
pub fn secret_key(index: usize) -> SecretKey {
    let mut bytes: [u8; 32] = Sha256::new().chain_update(b"zg-align devnet validator").chain_update((index as u32).to_be_bytes()).finalize().into();
    bytes[0] &= 0x3f; // below 2^254 < r
    SecretKey::from_bytes(&bytes).expect("a 254-bit scalar from SHA-256 is not zero")
}

fn fault_of(index: usize) -> Option<Fault> {
    match index {
        OFFLINE => Some(Fault::Offline),
        SLOW => Some(Fault::Slow),
        EQUIVOCATING => Some(Fault::Equivocating),
        _ => None,
    }
}

/// The epoch's members: the faulty three and the nil voter always, then honest validators from
/// a rotating start.
fn members(epoch: u64) -> Vec<usize> {
    let size = EPOCH_SIZES[epoch as usize % EPOCH_SIZES.len()];
    let fixed = [OFFLINE, SLOW, EQUIVOCATING, NIL_VOTER];
    let others: Vec<usize> = (0..UNIVERSE).filter(|i| !fixed.contains(i)).collect();
    let start = (epoch as usize * 17) % others.len();
    let mut out = fixed.to_vec();
    out.extend((0..size - fixed.len()).map(|k| others[(start + k) % others.len()]));
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

fn sha(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

fn block_id_of(header: &Header) -> BlockId {
    BlockId { hash: header_hash(header).0.to_vec(), parts: PartSetHeader { total: 1, hash: sha(&[b"parts", &header_hash(header).0]) } }
}

/// Whether validator `index` signs (and how) at `height`, honestly.
fn act(index: usize, height: u64) -> Option<BlockIdFlag> {
    match index {
        OFFLINE => None,
        SLOW if height % 3 == 0 => None,
        NIL_VOTER if height % 13 == 0 => Some(BlockIdFlag::Nil),
        _ => Some(BlockIdFlag::Commit),
    }
}

/// The heights where validator-002 equivocates.
fn equivocates(height: u64) -> bool {
    height % 10 == 5
}

impl CometChain {
    /// The chain up to `head` under `profile`, its last block `head_time` (headers now, commit
    /// signatures on demand).
    pub fn new(head: u64, profile: ChainProfile, head_time: Timestamp) -> Self {
        let head = head.max(1);
        let validators: Vec<DevValidator> = (0..UNIVERSE)
            .map(|i| {
                let secret = secret_key(i);
                let key = ValidatorKey::Bls12_381(secret.public_key());
                DevValidator { name: format!("validator-{i:03}"), address: key.address(&profile), key, secret, fault: fault_of(i) }
            })
            .collect();
        let epochs: Vec<Epoch> = (0..=epoch_of(head + 1))
            .map(|e| {
                let mut entries: Vec<(usize, ValidatorEntry)> = members(e)
                    .into_iter()
                    .map(|i| {
                        let v = &validators[i];
                        (i, ValidatorEntry { address: v.address, key: v.key.clone(), power: power(i, e), proposer_priority: 0 })
                    })
                    .collect();
                // CometBFT keeps a set sorted by power, then address.
                entries.sort_by(|(_, a), (_, b)| b.power.cmp(&a.power).then(a.address.cmp(&b.address)));
                let members = entries.iter().map(|(i, _)| *i).collect();
                let set = ValidatorSet::new(entries.into_iter().map(|(_, e)| e).collect(), profile).expect("devnet sets are well formed");
                Epoch { members, set: Arc::new(set) }
            })
            .collect();
        let mut chain = CometChain {
            profile,
            head,
            validators,
            epochs,
            headers: Vec::with_capacity(head as usize),
            txs: Vec::with_capacity(head as usize),
            evidence: HashMap::new(),
            commits: Mutex::new(HashMap::new()),
        };
        // One block a second up to the head's time.
        let genesis = head_time.seconds - head as i64;
        for height in 1..=head {
            let txs = vec![format!("zg-align devnet tx {height}").into_bytes()];
            let tx_hashes: Vec<Vec<u8>> = txs.iter().map(|t| sha(&[t])).collect();
            let evidence = chain.evidence_for(height);
            let header = Header {
                version: Version { block: BLOCK_PROTOCOL, app: 1 },
                chain_id: CHAIN_ID.into(),
                height,
                time: Timestamp { seconds: genesis + height as i64, nanos: ((height * 7_919_113) % 1_000_000_000) as u32 },
                last_block_id: chain.headers.last().map(block_id_of).unwrap_or_default(),
                last_commit_hash: if height == 1 { merkle_root::<&[u8]>(&[]).0.to_vec() } else { sha(&[b"last commit", &height.to_be_bytes()]) },
                data_hash: merkle_root(&tx_hashes).0.to_vec(),
                validators_hash: chain.set(height).hash().0.to_vec(),
                next_validators_hash: chain.set(height + 1).hash().0.to_vec(),
                consensus_hash: sha(&[b"consensus params"]),
                app_hash: sha(&[b"app", &height.to_be_bytes()]),
                last_results_hash: merkle_root::<&[u8]>(&[]).0.to_vec(),
                evidence_hash: evidence_hash(&evidence).expect("duplicate votes only").0.to_vec(),
                proposer_address: chain.set(height).validators()[(height as usize) % chain.set(height).len()].address.0.to_vec(),
            };
            if !evidence.is_empty() {
                chain.evidence.insert(height, evidence);
            }
            chain.headers.push(header);
            chain.txs.push(txs);
        }
        chain
    }

    /// The honest validator whose votes the lying relay's `strip-votes` drops: validator-004, a
    /// member of every set.
    pub fn stripped_validator(&self) -> Address {
        self.validators[NIL_VOTER].address
    }

    pub fn profile(&self) -> ChainProfile {
        self.profile
    }

    pub fn head(&self) -> u64 {
        self.head
    }

    pub fn chain_id(&self) -> &str {
        CHAIN_ID
    }

    fn epoch(&self, height: u64) -> &Epoch {
        &self.epochs[(epoch_of(height) as usize).min(self.epochs.len() - 1)]
    }

    /// The validator set of `height` (1..=head + 1).
    pub fn set(&self, height: u64) -> &ValidatorSet {
        &self.epoch(height).set
    }

    /// The header at `height` (1..=head).
    pub fn header(&self, height: u64) -> &Header {
        &self.headers[height as usize - 1]
    }

    pub fn block_id(&self, height: u64) -> BlockId {
        block_id_of(self.header(height))
    }

    pub fn txs(&self, height: u64) -> &[Vec<u8>] {
        &self.txs[height as usize - 1]
    }

    /// The manifest's view: validators with faults, spoiled commits, equivocations.
    pub fn manifest(&self) -> ChainManifest {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let forged = self.forged_victim();
        let mut faults = vec![
            FaultRow { height: FORGED_HEIGHT, fault: "forged-signature", validator: Some(self.validators[forged].name.clone()), evidence_height: None },
            FaultRow { height: WEAK_HEIGHT, fault: "below-two-thirds", validator: None, evidence_height: None },
        ];
        faults.extend((1..=self.head).filter(|&h| equivocates(h) && h + EVIDENCE_DELAY <= self.head).map(|h| FaultRow {
            height: h,
            fault: "duplicate-vote",
            validator: Some(self.validators[EQUIVOCATING].name.clone()),
            evidence_height: Some(h + EVIDENCE_DELAY),
        }));
        faults.retain(|f| f.height <= self.head);
        ChainManifest {
            chain_id: CHAIN_ID.into(),
            profile: self.profile.name,
            head: self.head,
            trust_height: 1,
            trust_hash: hex::encode_upper(header_hash(self.header(1)).0),
            validators: self
                .validators
                .iter()
                .map(|v| ValidatorRow { id: v.name.clone(), address: v.address.to_hex(), pub_key: b64.encode(v.key.chain_bytes(&self.profile)), fault: v.fault })
                .collect(),
            faults,
        }
    }

    /// The honest validator whose slot holds the forged signature: the first honest member.
    fn forged_victim(&self) -> usize {
        *self.epoch(FORGED_HEIGHT).members.iter().find(|&&i| fault_of(i).is_none() && i != NIL_VOTER).expect("honest members")
    }

    /// Validator `index`'s vote time at `height` (its own, as in a real commit).
    fn vote_time(&self, index: usize, height: u64) -> Timestamp {
        let t = self.header(height).time;
        let nanos = u64::from(t.nanos) + 350_000_000 + (index as u64 * 1_234_567) % 400_000_000;
        Timestamp { seconds: t.seconds + (nanos / 1_000_000_000) as i64, nanos: (nanos % 1_000_000_000) as u32 }
    }

    fn sign(&self, index: usize, vote: &Vote) -> Vec<u8> {
        let bytes = vote.sign_bytes(CHAIN_ID);
        self.validators[index].secret.sign_hashed(&self.profile.hash_bls_message(&bytes)).to_bytes().to_vec()
    }

    /// Validator `index`'s precommit at `height` for `block_id` (nil when empty).
    fn vote(&self, index: usize, height: u64, block_id: BlockId) -> Vote {
        let slot = self.epoch(height).members.iter().position(|&m| m == index).expect("a member");
        let mut vote = Vote {
            vote_type: VoteType::Precommit,
            height,
            round: round_of(height),
            block_id,
            timestamp: self.vote_time(index, height),
            validator_address: self.validators[index].address,
            validator_index: slot as u32,
            signature: Vec::new(),
            extension: Vec::new(),
            extension_signature: Vec::new(),
        };
        vote.signature = self.sign(index, &vote);
        vote
    }

    /// The evidence block `height` carries (made while the headers are: the equivocation's first
    /// vote is for the block at `height - EVIDENCE_DELAY`, whose header exists by then).
    fn evidence_for(&self, height: u64) -> Vec<Evidence> {
        let Some(at) = height.checked_sub(EVIDENCE_DELAY).filter(|&h| h >= 1 && equivocates(h)) else { return Vec::new() };
        let committed = self.vote(EQUIVOCATING, at, block_id_of(self.header(at)));
        let fork_hash = sha(&[b"fork", &committed.block_id.hash]);
        let fork = self.vote(EQUIVOCATING, at, BlockId { hash: fork_hash.clone(), parts: PartSetHeader { total: 1, hash: sha(&[b"parts", &fork_hash]) } });
        let (vote_a, vote_b) = if committed.block_id.hash <= fork.block_id.hash { (committed, fork) } else { (fork, committed) };
        let set = self.set(at);
        let (_, v) = set.by_address(&self.validators[EQUIVOCATING].address).expect("always a member");
        vec![Evidence::DuplicateVote(Box::new(DuplicateVoteEvidence {
            vote_a,
            vote_b,
            total_voting_power: set.total_power() as i64,
            validator_power: v.power as i64,
            timestamp: self.header(at).time,
        }))]
    }

    pub fn evidence(&self, height: u64) -> &[Evidence] {
        self.evidence.get(&height).map_or(&[], Vec::as_slice)
    }

    /// The commit at `height` (1..=head) as the devnet serves it, signed on first use.
    pub fn commit(&self, height: u64) -> Arc<Commit> {
        if let Some(c) = self.commits.lock().expect("commit cache").get(&height) {
            return c.clone();
        }
        let commit = Arc::new(self.sign_commit(height));
        self.commits.lock().expect("commit cache").insert(height, commit.clone());
        commit
    }

    fn sign_commit(&self, height: u64) -> Commit {
        let block_id = self.block_id(height);
        let epoch = self.epoch(height);
        let total = epoch.set.total_power();
        let mut signed_power = 0;
        let victim = self.forged_victim();
        let signatures = epoch
            .members
            .iter()
            .zip(epoch.set.validators())
            .map(|(&i, v)| {
                let flag = act(i, height);
                // The weak commit stops at about 60% of the power.
                let weak = height == WEAK_HEIGHT && flag == Some(BlockIdFlag::Commit) && (signed_power + v.power) * 10 > total * 6;
                let Some(flag) = flag.filter(|_| !weak) else {
                    return CommitSig::absent();
                };
                if flag == BlockIdFlag::Commit {
                    signed_power += v.power;
                }
                let vote = self.vote(i, height, if flag == BlockIdFlag::Commit { block_id.clone() } else { BlockId::default() });
                let signature = if height == FORGED_HEIGHT && i == victim {
                    // Another validator's signature over the victim's vote.
                    let other = epoch.members.iter().copied().find(|&m| m != i && fault_of(m).is_none()).expect("another member");
                    self.sign(other, &vote)
                } else {
                    vote.signature
                };
                CommitSig { flag, validator_address: Some(v.address), timestamp: vote.timestamp, signature }
            })
            .collect();
        Commit { height, round: round_of(height), block_id, signatures }
    }

    /// `/block`'s content at `height`.
    pub fn block(&self, height: u64) -> Block {
        let last_commit = if height > 1 {
            (*self.commit(height - 1)).clone()
        } else {
            Commit { height: 0, round: 0, block_id: BlockId::default(), signatures: Vec::new() }
        };
        Block { block_id: self.block_id(height), header: self.header(height).clone(), evidence: self.evidence(height).to_vec(), last_commit: Some(last_commit) }
    }

    /// Signs every commit ahead of time, the newest first (a node reads back from the head).
    pub fn precompute(&self) {
        for height in (1..=self.head).rev() {
            self.commit(height);
        }
    }

    /// [`precompute`](Self::precompute) on a thread of its own at the lowest CPU priority, which
    /// ends with how long it took. At the default head that is 30,000 BLS signatures, about 30 s
    /// of one core, and the devnet's servers, its relay and a browser beside it should come
    /// first. (On the benchmarks' 2-vCPU VM the priority did not help a tab loaded meanwhile, so
    /// they wait for the line the devnet prints when this ends; BENCHMARKS.md, "The first verdict
    /// on a quiet machine".) A commit asked for before the thread got to it is signed by the
    /// request, at the request's priority, as without the thread.
    pub fn precompute_in_background(self: &Arc<Self>) -> std::thread::JoinHandle<std::time::Duration> {
        let chain = self.clone();
        std::thread::spawn(move || {
            lower_this_threads_priority();
            let started = std::time::Instant::now();
            chain.precompute();
            started.elapsed()
        })
    }

    /// The RPC node's own key (a full node: in no validator set), as `/status` shows it.
    pub fn node_key(&self) -> ValidatorKey {
        ValidatorKey::Bls12_381(secret_key(UNIVERSE).public_key())
    }

    /// The hash the chain's header at `height` has.
    pub fn hash(&self, height: u64) -> Hash32 {
        header_hash(self.header(height))
    }
}

/// Nice 19 for the calling thread: Linux keeps a nice value per thread, so the devnet's servers
/// and relay keep theirs. Elsewhere `setpriority` would lower the whole process, so it is left be.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; who = 0 is the calling thread on Linux.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}
