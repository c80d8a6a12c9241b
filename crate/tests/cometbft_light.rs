//! The CometBFT light verifier on small BLS chains built here: sequential and skipping
//! verification, bisection through a set change, the trusting period and headers from the
//! future, commits below 2/3 and spoiled slots (refused or flagged, nobody accused), liveness,
//! another path's commit rechecked for the votes the first lacked,
//! equivocation from `DuplicateVoteEvidence` and from votes seen by the node, and typed errors for
//! malformed answers.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zg_align::bls::SecretKey;
use zg_align::cometbft::*;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CHAIN: &str = "test-chain";
const PROFILE: ChainProfile = ChainProfile::ZG;
const T0: i64 = 1_750_000_000;

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([6; 32])
}

fn secret(i: usize) -> SecretKey {
    let mut b = [0u8; 32];
    b[0] = 0x2a;
    b[24..].copy_from_slice(&(i as u64 + 1).to_be_bytes());
    SecretKey::from_bytes(&b).unwrap()
}

fn entry(i: usize, power: u64) -> ValidatorEntry {
    let key = ValidatorKey::Bls12_381(secret(i).public_key());
    ValidatorEntry { address: key.address(&PROFILE), key, power, proposer_priority: 0 }
}

/// Members as (key index, power), in CometBFT's order (power, then address).
fn set_of(members: &[(usize, u64)]) -> (ValidatorSet, Vec<usize>) {
    let mut entries: Vec<(usize, ValidatorEntry)> = members.iter().map(|&(i, p)| (i, entry(i, p))).collect();
    entries.sort_by(|(_, a), (_, b)| b.power.cmp(&a.power).then(a.address.cmp(&b.address)));
    let order = entries.iter().map(|(i, _)| *i).collect();
    (ValidatorSet::new(entries.into_iter().map(|(_, e)| e).collect(), PROFILE).unwrap(), order)
}

fn time(height: u64) -> Timestamp {
    Timestamp { seconds: T0 + height as i64 * 5, nanos: 250_000_000 }
}

/// What a validator does at a height.
#[derive(Clone, Copy, PartialEq)]
enum Act {
    Sign,
    Nil,
    Absent,
    /// Another validator's signature in this slot.
    Forge,
}

/// A chain: per height the members (key indices, power) of its set.
struct Chain {
    sets: Vec<Vec<(usize, u64)>>,
    headers: Vec<Header>,
}

impl Chain {
    fn new(sets: Vec<Vec<(usize, u64)>>) -> Self {
        let mut headers: Vec<Header> = Vec::new();
        for h in 1..=sets.len() as u64 {
            let vals = set_of(&sets[h as usize - 1]).0.hash();
            let next = set_of(&sets[(h as usize).min(sets.len() - 1)]).0.hash();
            let last_block_id = headers.last().map(block_id).unwrap_or_default();
            headers.push(Header {
                version: Version { block: BLOCK_PROTOCOL, app: 1 },
                chain_id: CHAIN.into(),
                height: h,
                time: time(h),
                last_block_id,
                last_commit_hash: vec![7; 32],
                data_hash: vec![8; 32],
                validators_hash: vals.0.to_vec(),
                next_validators_hash: next.0.to_vec(),
                consensus_hash: vec![9; 32],
                app_hash: h.to_be_bytes().to_vec(),
                last_results_hash: vec![10; 32],
                evidence_hash: merkle_root::<&[u8]>(&[]).0.to_vec(),
                proposer_address: vec![1; 20],
            });
        }
        Chain { sets, headers }
    }

    fn set(&self, h: u64) -> (ValidatorSet, Vec<usize>) {
        set_of(&self.sets[h as usize - 1])
    }

    fn commit(&self, h: u64, act: impl Fn(usize) -> Act) -> Commit {
        let header = &self.headers[h as usize - 1];
        let (set, order) = self.set(h);
        let mut commit = Commit { height: h, round: 0, block_id: block_id(header), signatures: Vec::new() };
        for (slot, (&key, v)) in order.iter().zip(set.validators()).enumerate() {
            let a = act(key);
            let flag = match a {
                Act::Absent => BlockIdFlag::Absent,
                Act::Nil => BlockIdFlag::Nil,
                _ => BlockIdFlag::Commit,
            };
            let stamp = Timestamp { seconds: header.time.seconds + 1, nanos: 1000 * slot as u32 + 7 };
            commit.signatures.push(CommitSig {
                flag,
                validator_address: (a != Act::Absent).then_some(v.address),
                timestamp: if a == Act::Absent { Timestamp::ZERO_TIME } else { stamp },
                signature: Vec::new(),
            });
            if a != Act::Absent {
                let bytes = commit.vote_sign_bytes(CHAIN, slot).unwrap();
                let signer = if a == Act::Forge { secret(order[(slot + 1) % order.len()]) } else { secret(key) };
                commit.signatures[slot].signature = signer.sign_hashed(&PROFILE.hash_bls_message(&bytes)).to_bytes().to_vec();
            }
        }
        commit
    }

    fn block(&self, h: u64, act: impl Fn(usize) -> Act) -> LightBlock {
        LightBlock {
            signed_header: SignedHeader { header: self.headers[h as usize - 1].clone(), commit: self.commit(h, act) },
            validators: self.set(h).0,
            next_validators: None,
        }
    }

    fn honest(&self, h: u64) -> LightBlock {
        self.block(h, |_| Act::Sign)
    }
}

fn block_id(header: &Header) -> BlockId {
    BlockId { hash: header_hash(header).0.to_vec(), parts: PartSetHeader { total: 1, hash: vec![3; 32] } }
}

fn verifier(chain: &Chain, policy: LivenessPolicy) -> LightVerifier {
    let header = &chain.headers[0];
    let mut v = LightVerifier::new(TrustOptions::new(CHAIN, 1, header_hash(header)), policy).unwrap();
    let anchor = chain.honest(1).check(CHAIN, &mut rng()).unwrap();
    v.initialize(&anchor, time(1).plus_seconds(1)).unwrap();
    v
}

fn verify(v: &mut LightVerifier, block: LightBlock, now: Timestamp) -> Result<BlockReport, Rejected> {
    let checked = block.check(CHAIN, &mut rng())?;
    v.verify(&checked, now)
}

fn now() -> Timestamp {
    time(1000)
}

/// Set A (keys 0..6) for heights 1..=4, then set B (keys 5..11: one of A's validators stays, with
/// 15 of A's 75 power).
fn changing_chain() -> Chain {
    let a: Vec<(usize, u64)> = (0..6).map(|i| (i, 10 + i as u64)).collect();
    let b: Vec<(usize, u64)> = (5..11).map(|i| (i, if i < 6 { 1 } else { 20 })).collect();
    Chain::new(vec![a.clone(), a.clone(), a.clone(), a, b.clone(), b.clone(), b.clone(), b])
}

#[test]
fn adjacent_blocks_follow_the_chain_through_a_set_change() {
    let chain = changing_chain();
    let mut v = verifier(&chain, LivenessPolicy::default());
    for h in 2..=8 {
        let report = verify(&mut v, chain.honest(h), now()).unwrap();
        assert_eq!((report.height, report.verified_from), (h, h - 1));
        assert_eq!(report.next_set_changes, h == 4);
    }
    assert_eq!(v.latest_height(), Some(8));
}

#[test]
fn skipping_needs_a_third_of_the_trusted_set_and_bisection_gets_there() {
    let chain = changing_chain();
    let mut v = verifier(&chain, LivenessPolicy::default());
    // From 1 straight to 8: of the trusted set (A), only key 5 (15 of 75) signs there.
    let err = verify(&mut v, chain.honest(8), now()).unwrap_err();
    assert_eq!(err.kind(), RejectionKind::NotEnoughTrust, "{err}");
    // Within set A, skipping works.
    assert_eq!(verify(&mut v, chain.honest(4), now()).unwrap().verified_from, 1);

    // From 1 with bisection: 8 fails, 4 passes; from 4, 8 and 6 fail (A again), 5 is adjacent,
    // then 6 and 8 follow from B.
    let mut v = verifier(&chain, LivenessPolicy::default());
    let mut plan = SyncPlan::new(8);
    let mut fetched = Vec::new();
    loop {
        match plan.next(&v) {
            SyncStep::Fetch(h) => {
                fetched.push(h);
                plan.submit(&mut v, chain.honest(h), now(), &mut rng());
            }
            SyncStep::Done => break,
            SyncStep::Failed(e) => panic!("{e}"),
        }
    }
    assert_eq!(v.latest_height(), Some(8));
    assert_eq!(fetched[..2], [8, 4]);
    assert_eq!(fetched, [8, 4, 6, 5]);
    assert_eq!(plan.bisections, 3);
    assert_eq!(v.verified_hash(8), Some(header_hash(&chain.headers[7])));
}

#[test]
fn a_header_naming_another_set_is_refused_and_changes_nothing() {
    let chain = changing_chain();
    let mut v = verifier(&chain, LivenessPolicy::default());
    // Height 2 claiming set B (signed by B, which height 1 did not name as next).
    let mut forged = chain.honest(2);
    let (b, _) = chain.set(5);
    forged.signed_header.header.validators_hash = b.hash().0.to_vec();
    forged.signed_header.commit = Commit { block_id: block_id(&forged.signed_header.header), ..forged.signed_header.commit };
    forged.validators = b;
    let err = verify(&mut v, forged, now()).unwrap_err();
    assert!(matches!(err, Rejected::Commit(_) | Rejected::NextValidators { .. }), "{err}");
    assert_eq!(v.latest_height(), Some(1));

    // A set that is not the one the header names.
    let mut wrong_set = chain.honest(2);
    wrong_set.validators = chain.set(5).0;
    assert!(matches!(verify(&mut v, wrong_set, now()), Err(Rejected::ValidatorsHash { .. })));
    // A commit for another header.
    let mut other = chain.honest(2);
    other.signed_header.header.app_hash = vec![0xee];
    assert!(matches!(verify(&mut v, other, now()), Err(Rejected::Commit(CommitError::BlockIdMismatch { .. }))));
    assert_eq!(v.latest_height(), Some(1));
}

#[test]
fn trusting_period_and_clock_drift_are_enforced() {
    let chain = changing_chain();
    let mut v = verifier(&chain, LivenessPolicy::default());
    let period = v.options().trusting_period_seconds;
    // The trusted block at 1 expired.
    let late = time(1).plus_seconds(period);
    let err = verify(&mut v, chain.honest(2), late).unwrap_err();
    assert_eq!(err.kind(), RejectionKind::Expired);
    // A header from the future (now is before its time, beyond the 10 s drift).
    let err = verify(&mut v, chain.honest(3), time(1)).unwrap_err();
    assert!(matches!(err, Rejected::FromTheFuture { .. }), "{err}");
    // Within the drift it is fine.
    assert!(verify(&mut v, chain.honest(3), time(3)).is_ok());
    // Time must move forward.
    let mut stale = chain.honest(4);
    stale.signed_header.header.time = time(2);
    stale.signed_header.commit.block_id = block_id(&stale.signed_header.header);
    let stale = chain_resign(&chain, stale);
    assert!(matches!(verify(&mut v, stale, now()), Err(Rejected::NonMonotonicTime { .. })));
}

/// Signs `block`'s commit again for its (edited) header.
fn chain_resign(chain: &Chain, mut block: LightBlock) -> LightBlock {
    let h = block.height();
    let (set, order) = chain.set(h);
    let commit = &mut block.signed_header.commit;
    commit.block_id = block_id(&block.signed_header.header);
    for (slot, &key) in order.iter().enumerate() {
        let bytes = commit.vote_sign_bytes(CHAIN, slot).unwrap();
        commit.signatures[slot].signature = secret(key).sign_hashed(&PROFILE.hash_bls_message(&bytes)).to_bytes().to_vec();
    }
    assert_eq!(set.len(), order.len());
    block
}

#[test]
fn commits_below_two_thirds_are_refused_and_spoiled_slots_accuse_nobody() {
    let members: Vec<(usize, u64)> = (0..9).map(|i| (i, 10)).collect();
    let chain = Chain::new(vec![members; 30]);
    let mut v = verifier(&chain, LivenessPolicy { window: 25, min_observed: 10, max_missed_percent: 20 });
    // 6 of 9 equal powers is exactly 2/3: not more.
    let err = verify(&mut v, chain.block(2, |k| if k < 6 { Act::Sign } else { Act::Absent }), now()).unwrap_err();
    assert_eq!(err, Rejected::InsufficientPower { signed: 60, total: 90 });
    // A forged slot and a nil vote: 7 of 9 for the block, the block stands, the slot is named.
    let report = verify(&mut v, chain.block(2, |k| match k {
        1 => Act::Forge,
        2 => Act::Nil,
        _ => Act::Sign,
    }), now())
    .unwrap();
    assert_eq!((report.signed, report.nil, report.absent, report.invalid.len()), (7, 1, 0, 1));
    assert_eq!(report.invalid[0].address, entry(1, 10).address);
    assert_eq!(report.invalid[0].reason, InvalidSlot::DoesNotVerify);
    let forged_row = v.verdicts().into_iter().find(|r| r.address == entry(1, 10).address).unwrap();
    assert_eq!((forged_row.invalid, forged_row.signed, forged_row.evidence.len()), (1, 1, 0));
    // Then: key 0 offline, key 5 misses every other height, everyone else signs (the window of
    // 25 heights no longer holds heights 1 and 2, where key 0 signed).
    for h in 3..=30 {
        verify(&mut v, chain.block(h, |k| match k {
            0 => Act::Absent,
            5 if h % 2 == 0 => Act::Absent,
            _ => Act::Sign,
        }), now())
        .unwrap();
    }
    let rows = v.verdicts();
    assert_eq!(rows.len(), 9);
    let status = |k: usize| rows.iter().find(|r| r.address == entry(k, 10).address).unwrap();
    assert_eq!(status(0).status, ValidatorStatus::Offline);
    assert_eq!(status(5).status, ValidatorStatus::Lagging);
    assert_eq!(status(1).status, ValidatorStatus::Healthy, "a forged slot is not its validator's fault");
    assert_eq!(status(2).status, ValidatorStatus::Healthy, "a nil vote is a vote");
    assert!(rows.iter().all(|r| r.evidence.is_empty() && r.status != ValidatorStatus::Misbehaving));
}

#[test]
fn another_paths_commit_shows_a_validators_own_votes_and_nothing_a_relay_made() {
    let members: Vec<(usize, u64)> = (0..9).map(|i| (i, 10)).collect();
    let chain = Chain::new(vec![members; 14]);
    let mut v = verifier(&chain, LivenessPolicy { window: 25, min_observed: 10, max_missed_percent: 10 });
    // The first path's commits lack key 0's vote (a relay dropped it) from height 2 on.
    for h in 2..=12 {
        verify(&mut v, chain.block(h, |k| if k == 0 { Act::Absent } else { Act::Sign }), now()).unwrap();
    }
    let (stripped, other) = (entry(0, 10).address, entry(3, 10).address);
    assert_eq!(v.verdicts().iter().find(|r| r.address == stripped).unwrap().status, ValidatorStatus::Lagging, "1 vote in 12 heights");
    let unvoted = v.unvoted_heights(&stripped);
    assert_eq!(unvoted.iter().map(|(h, _)| *h).collect::<Vec<_>>(), (2..=12).rev().collect::<Vec<_>>(), "newest first; height 1 has its vote");
    assert!(v.unvoted_heights(&other).is_empty());
    // The honest commit of a verified height: its own valid vote; only the slots asked about.
    let honest = chain.commit(7, |_| Act::Sign);
    assert_eq!(v.recheck_slots(&honest, &[stripped], &mut rng()).unwrap(), vec![(stripped, SlotStatus::Signed)]);
    let nil = chain.commit(8, |k| if k == 0 { Act::Nil } else { Act::Sign });
    assert_eq!(v.recheck_slots(&nil, &[stripped], &mut rng()).unwrap(), vec![(stripped, SlotStatus::Nil)]);
    // Another's signature in its slot, or its slot left absent, shows no vote of it.
    let forged = chain.commit(9, |k| if k == 0 { Act::Forge } else { Act::Sign });
    assert_eq!(v.recheck_slots(&forged, &[stripped], &mut rng()).unwrap(), vec![(stripped, SlotStatus::Invalid(InvalidSlot::DoesNotVerify))]);
    let absent = chain.commit(10, |k| if k == 0 { Act::Absent } else { Act::Sign });
    assert_eq!(v.recheck_slots(&absent, &[stripped, other], &mut rng()).unwrap(), vec![(stripped, SlotStatus::Absent), (other, SlotStatus::Signed)]);
    // A commit for another block at a verified height, or for a height not verified: refused.
    let mut elsewhere = honest.clone();
    elsewhere.block_id.hash[0] ^= 1;
    assert!(matches!(v.recheck_slots(&elsewhere, &[stripped], &mut rng()), Err(Rejected::OtherBlock { height: 7, .. })));
    let beyond = chain.commit(13, |_| Act::Sign);
    assert_eq!(v.recheck_slots(&beyond, &[stripped], &mut rng()), Err(Rejected::BlockNotVerified { height: 13 }));
    // An address outside the set is left out.
    assert_eq!(v.recheck_slots(&honest, &[Address([0xee; 20])], &mut rng()).unwrap(), vec![]);
}

/// A signed vote of key `k` (slot `slot` of `set`) at `h` for `block`.
fn vote(k: usize, slot: usize, address: Address, h: u64, block: BlockId, stamp: Timestamp) -> Vote {
    let mut vote = Vote {
        vote_type: VoteType::Precommit,
        height: h,
        round: 0,
        block_id: block,
        timestamp: stamp,
        validator_address: address,
        validator_index: slot as u32,
        signature: Vec::new(),
        extension: Vec::new(),
        extension_signature: Vec::new(),
    };
    vote.signature = secret(k).sign_hashed(&PROFILE.hash_bls_message(&vote.sign_bytes(CHAIN))).to_bytes().to_vec();
    vote
}

#[test]
fn equivocation_from_block_evidence_and_from_seen_votes_is_proven_and_checkable() {
    let members: Vec<(usize, u64)> = (0..5).map(|i| (i, 10)).collect();
    let mut chain = Chain::new(vec![members; 6]);
    let (set, order) = chain.set(3);
    let slot = order.iter().position(|&k| k == 2).unwrap();
    let address = set.validators()[slot].address;
    let fork = BlockId { hash: vec![0xf0; 32], parts: PartSetHeader { total: 1, hash: vec![0xf1; 32] } };
    let a = vote(2, slot, address, 3, block_id(&chain.headers[2]), time(3).plus_seconds(1));
    let b = vote(2, slot, address, 3, fork.clone(), time(3).plus_seconds(2));
    let dve = DuplicateVoteEvidence { vote_a: a.clone(), vote_b: b.clone(), total_voting_power: 50, validator_power: 10, timestamp: time(3) };
    // Height 5 carries it; its header commits to it.
    let evidence = vec![Evidence::DuplicateVote(Box::new(dve.clone()))];
    chain.headers[4].evidence_hash = evidence_hash(&evidence).unwrap().0.to_vec();
    let rebuilt = Chain::new(chain.sets.clone());
    let mut headers = rebuilt.headers;
    headers[4].evidence_hash = chain.headers[4].evidence_hash.clone();
    headers[5].last_block_id = block_id(&headers[4]);
    chain.headers = headers;

    let mut v = verifier(&chain, LivenessPolicy::default());
    verify(&mut v, chain.honest(5), now()).unwrap();
    let block = Block { block_id: block_id(&chain.headers[4]), header: chain.headers[4].clone(), evidence: evidence.clone(), last_commit: None };
    // Height 3 is not verified yet: nothing can be said.
    assert_eq!(v.check_block_evidence(&block).unwrap(), vec![EvidenceOutcome::NeedsHeight { height: 3 }]);
    verify(&mut v, chain.honest(3), now()).unwrap();
    assert_eq!(v.check_block_evidence(&block).unwrap(), vec![EvidenceOutcome::Equivocation { address, height: 3 }]);
    assert_eq!(v.check_block_evidence(&block).unwrap(), vec![EvidenceOutcome::Known]);
    let kept = &v.evidence()[0];
    assert_eq!(kept.source, EvidenceSource::Block { height: 5 });
    assert_eq!(kept.check(), Ok(()));
    let json = serde_json::to_value(kept).unwrap();
    assert_eq!(json["profile"]["name"], "0g");
    assert_eq!(json["validator"]["address"], address.to_hex());
    // The verdict row's JSON is checked again from itself alone (`zg-align-devnet verify evidence`).
    let row = serde_json::json!({"verdict": "misbehaving", "address": address.to_hex(), "evidence": [json]});
    let again = zg_align::evidence::recheck("validator", &row).unwrap();
    assert!(again.holds, "{}", again.why);
    let spoil = |path: &[&str], value: serde_json::Value| {
        let mut spoiled = row.clone();
        let mut at = &mut spoiled["evidence"][0];
        for key in path {
            at = &mut at[*key];
        }
        *at = value;
        zg_align::evidence::recheck("validator", &spoiled)
    };
    // Another block under vote b's signature, another chain, or another validator's address: it no longer holds.
    assert!(!spoil(&["voteB", "block_id", "hash"], "AB".repeat(32).into()).unwrap().holds);
    assert!(!spoil(&["chainId"], "another".into()).unwrap().holds);
    assert!(!spoil(&["validator", "address"], "00".repeat(20).into()).unwrap().holds);
    assert!(spoil(&["profile", "name"], "unknown".into()).is_err());
    assert!(spoil(&["voteA", "timestamp"], "yesterday".into()).is_err());

    // Evidence whose second vote is not signed by the validator proves nothing.
    let mut bad = dve.clone();
    bad.vote_b.signature = vote(3, slot, address, 3, fork.clone(), time(3)).signature;
    let mut v2 = verifier(&chain, LivenessPolicy::default());
    verify(&mut v2, chain.honest(3), now()).unwrap();
    verify(&mut v2, chain.honest(5), now()).unwrap();
    let mut spoiled_header = chain.headers[4].clone();
    spoiled_header.evidence_hash = evidence_hash(&[Evidence::DuplicateVote(Box::new(bad.clone()))]).unwrap().0.to_vec();
    // (That block is not the verified one: refused before any vote is read.)
    let spoiled = Block { block_id: block_id(&spoiled_header), header: spoiled_header, evidence: vec![Evidence::DuplicateVote(Box::new(bad.clone()))], last_commit: None };
    assert!(matches!(v2.check_block_evidence(&spoiled), Err(Rejected::BlockNotVerified { height: 5 })));
    // The verified block with other evidence than its header names.
    let swapped = Block { evidence: vec![Evidence::DuplicateVote(Box::new(bad.clone()))], ..block.clone() };
    assert!(matches!(v2.check_block_evidence(&swapped), Err(Rejected::EvidenceHash { .. })));
    assert_eq!(check_vote_pair(&set.validators()[slot].key, &PROFILE, CHAIN, &bad.vote_a, &bad.vote_b), Err(NotEquivocation::BadSignature('b')));
    assert!(v2.evidence().is_empty());

    // Seen by the node: a vote for another block than the one key 2 signed in height 3's commit.
    let mut v3 = verifier(&chain, LivenessPolicy::default());
    verify(&mut v3, chain.honest(3), now()).unwrap();
    assert_eq!(v3.observe_vote(&vote(3, slot, address, 3, fork.clone(), time(3))), VoteOutcome::InvalidSignature);
    assert_eq!(v3.observe_vote(&a), VoteOutcome::Consistent);
    assert_eq!(v3.observe_vote(&b), VoteOutcome::Equivocation);
    assert_eq!(v3.evidence().len(), 1);
    assert_eq!(v3.evidence()[0].source, EvidenceSource::Observed);
    assert_eq!(v3.evidence()[0].check(), Ok(()));
    // The evidence does not check under another chain id.
    let mut moved = v3.evidence()[0].clone();
    moved.chain_id = "another".into();
    assert!(moved.check().is_err());
    assert_eq!(v3.observe_vote(&vote(2, slot, address, 4, fork, time(4))), VoteOutcome::NotVerified);
    let rows = v3.verdicts();
    assert_eq!(rows.iter().filter(|r| r.status == ValidatorStatus::Misbehaving).map(|r| r.address).collect::<Vec<_>>(), vec![address]);
}

#[test]
fn malformed_answers_get_typed_errors() {
    let envelope = |result: &str| format!(r#"{{"jsonrpc":"2.0","id":1,"result":{result}}}"#);
    assert!(matches!(decode_commit(br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Internal error","data":"height 99 must be less than or equal to the current blockchain height 10"}}"#), Err(DecodeError::Rpc { code: -32603, .. })));
    assert!(matches!(decode_commit(&vec![b' '; MAX_COMMIT_BYTES + 1]), Err(DecodeError::TooLarge { .. })));
    assert!(matches!(decode_commit(b"[1,2]"), Err(DecodeError::Shape { .. })));
    assert!(matches!(decode_status(b"{}"), Err(DecodeError::Shape { .. })));
    let page = |validators: &str, count: &str, total: &str| envelope(&format!(r#"{{"block_height":"5","validators":[{validators}],"count":"{count}","total":"{total}"}}"#));
    let key = entry(0, 1);
    let ValidatorKey::Bls12_381(pk) = &key.key else { unreachable!() };
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(pk.to_bytes());
    let one = |power: &str, value: &str, address: &str| format!(r#"{{"address":"{address}","pub_key":{{"type":"cometbft/PubKeyBls12_381","value":"{value}"}},"voting_power":"{power}","proposer_priority":"0"}}"#);
    let good = one("10", &b64, &key.address.to_hex());
    assert!(decode_validators(page(&good, "1", "1").as_bytes()).is_ok());
    assert!(matches!(decode_validators(page(&one("ten", &b64, &key.address.to_hex()), "1", "1").as_bytes()), Err(DecodeError::Field { problem: Problem::NotInteger, .. })));
    assert!(matches!(decode_validators(page(&one("-1", &b64, &key.address.to_hex()), "1", "1").as_bytes()), Err(DecodeError::Field { .. })));
    assert!(matches!(decode_validators(page(&one("10", "AAAA", &key.address.to_hex()), "1", "1").as_bytes()), Err(DecodeError::Field { problem: Problem::Length { .. }, .. })));
    assert!(matches!(decode_validators(page(&one("10", "not base64!", &key.address.to_hex()), "1", "1").as_bytes()), Err(DecodeError::Field { problem: Problem::NotBase64, .. })));
    assert!(matches!(decode_validators(page(&good, "2", "1").as_bytes()), Err(DecodeError::Field { .. })));
    assert!(matches!(decode_validators(page(&good, "1", "10001").as_bytes()), Err(DecodeError::TooMany { .. })));
    let identity = base64::engine::general_purpose::STANDARD.encode({
        let mut b = [0u8; 48];
        b[0] = 0xc0;
        b
    });
    assert!(matches!(decode_validators(page(&one("10", &identity, &key.address.to_hex()), "1", "1").as_bytes()), Err(DecodeError::Field { problem: Problem::BadBlsKey(_), .. })));
    let other_type = good.replace("cometbft/PubKeyBls12_381", "tendermint/PubKeySecp256k1");
    assert!(matches!(decode_validators(page(&other_type, "1", "1").as_bytes()), Err(DecodeError::Field { problem: Problem::UnknownKeyType(_), .. })));
    // A listed address that is not its key's.
    let wrong = decode_validators(page(&one("10", &b64, &"AB".repeat(20)), "1", "1").as_bytes()).unwrap();
    assert!(matches!(ValidatorSet::from_pages(vec![wrong], PROFILE), Err(SetError::AddressMismatch { .. })));
    // Pages that do not add up.
    let first = decode_validators(page(&good, "1", "2").as_bytes()).unwrap();
    assert!(matches!(ValidatorSet::from_pages(vec![first.clone()], PROFILE), Err(SetError::Page(PageError::Incomplete { have: 1, total: 2 }))));
    let mut collector = SetCollector::default();
    assert_eq!(collector.next_page(), Some(1));
    collector.add(first.clone()).unwrap();
    assert_eq!(collector.next_page(), Some(1), "100 a page: the second validator is on page 1 too");
    assert!(matches!(collector.add(ValidatorsPage { block_height: 6, ..first }), Err(PageError::Height { expected: 5, got: 6 })));

    // Commit slots must follow CommitSig.ValidateBasic.
    let chain = Chain::new(vec![vec![(0, 10)]; 1]);
    let commit = chain.commit(1, |_| Act::Sign);
    let commit_json = |sig: &str| {
        envelope(&format!(
            r#"{{"signed_header":{{"header":{},"commit":{{"height":"1","round":0,"block_id":{{"hash":"{}","parts":{{"total":1,"hash":"{}"}}}},"signatures":[{sig}]}}}},"canonical":true}}"#,
            header_json(&chain.headers[0]),
            hex::encode_upper(&commit.block_id.hash),
            hex::encode_upper(&commit.block_id.parts.hash)
        ))
    };
    let sig64 = base64::engine::general_purpose::STANDARD.encode(&commit.signatures[0].signature);
    let address = commit.signatures[0].validator_address.unwrap().to_hex();
    let ok = decode_commit(commit_json(&format!(r#"{{"block_id_flag":2,"validator_address":"{address}","timestamp":"2025-06-15T15:06:46.000000007Z","signature":"{sig64}"}}"#)).as_bytes());
    assert!(ok.is_ok(), "{ok:?}");
    let absent_with_address = commit_json(&format!(r#"{{"block_id_flag":1,"validator_address":"{address}","timestamp":"0001-01-01T00:00:00Z","signature":null}}"#));
    assert!(matches!(decode_commit(absent_with_address.as_bytes()), Err(DecodeError::Field { .. })));
    let flag_9 = commit_json(&format!(r#"{{"block_id_flag":9,"validator_address":"{address}","timestamp":"2025-06-15T15:06:46Z","signature":"{sig64}"}}"#));
    assert!(matches!(decode_commit(flag_9.as_bytes()), Err(DecodeError::Field { problem: Problem::OutOfRange(_), .. })));
    let long_sig = base64::engine::general_purpose::STANDARD.encode([1u8; 97]);
    let too_long = commit_json(&format!(r#"{{"block_id_flag":2,"validator_address":"{address}","timestamp":"2025-06-15T15:06:46Z","signature":"{long_sig}"}}"#));
    assert!(matches!(decode_commit(too_long.as_bytes()), Err(DecodeError::Field { problem: Problem::Length { .. }, .. })));
    let bad_time = commit_json(&format!(r#"{{"block_id_flag":2,"validator_address":"{address}","timestamp":"yesterday","signature":"{sig64}"}}"#));
    assert!(matches!(decode_commit(bad_time.as_bytes()), Err(DecodeError::Field { problem: Problem::NotTime, .. })));
    // A commit with more slots than its set has validators cannot be checked against it.
    let mut two = commit.clone();
    two.signatures.push(two.signatures[0].clone());
    assert!(matches!(verify_commit(CHAIN, &chain.set(1).0, &two, &mut rng()), Err(CommitError::SignatureCount { expected: 1, got: 2 })));
}

/// A header as CometBFT's JSON writes it.
fn header_json(h: &Header) -> String {
    let x = |b: &[u8]| hex::encode_upper(b);
    format!(
        r#"{{"version":{{"block":"{}","app":"{}"}},"chain_id":"{}","height":"{}","time":"{}","last_block_id":{{"hash":"{}","parts":{{"total":{},"hash":"{}"}}}},"last_commit_hash":"{}","data_hash":"{}","validators_hash":"{}","next_validators_hash":"{}","consensus_hash":"{}","app_hash":"{}","last_results_hash":"{}","evidence_hash":"{}","proposer_address":"{}"}}"#,
        h.version.block,
        h.version.app,
        h.chain_id,
        h.height,
        h.time,
        x(&h.last_block_id.hash),
        h.last_block_id.parts.total,
        x(&h.last_block_id.parts.hash),
        x(&h.last_commit_hash),
        x(&h.data_hash),
        x(&h.validators_hash),
        x(&h.next_validators_hash),
        x(&h.consensus_hash),
        x(&h.app_hash),
        x(&h.last_results_hash),
        x(&h.evidence_hash),
        x(&h.proposer_address)
    )
}

#[test]
fn timestamps_read_and_write_as_go_does() {
    for text in ["2025-09-21T08:15:42.123456789Z", "0001-01-01T00:00:00Z", "1970-01-01T00:00:01Z", "2024-09-13T15:58:29.6776Z"] {
        assert_eq!(Timestamp::parse(text).unwrap().to_string(), text);
    }
    assert_eq!(Timestamp::parse("0001-01-01T00:00:00Z"), Some(Timestamp::ZERO_TIME));
    assert_eq!(Timestamp::parse("2025-01-01T01:00:00+01:00"), Timestamp::parse("2025-01-01T00:00:00Z"));
    assert_eq!(Timestamp::parse("2025-01-01 00:00:00"), None);
    assert_eq!(Timestamp::from_unix_millis(1_500), Timestamp { seconds: 1, nanos: 500_000_000 });
}
