//! The light verifier on small chains built here: honest chains pass with no accusation, each
//! fault gets its verdict and only its verdict, set changes are followed only through verified
//! commits, malformed input gets typed errors.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zg_align::bls::{HashedMessage, SecretKey};
use zg_align::hash::Hash32;
use zg_align::validator::*;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CHAIN: &str = "test-chain";

fn key(i: usize) -> SecretKey {
    let mut b = [0u8; 32];
    b[0] = 0x21;
    b[24..].copy_from_slice(&(i as u64 + 1).to_be_bytes());
    SecretKey::from_bytes(&b).unwrap()
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([3; 32])
}

/// Members as (key index, power).
type Members = Vec<(usize, u64)>;

fn list(members: &Members) -> ValidatorList {
    ValidatorList {
        validators: members
            .iter()
            .map(|&(i, power)| ValidatorInfo { pub_key: HexBytes(key(i).public_key().to_bytes().to_vec()), power })
            .collect(),
    }
}

fn pk(i: usize) -> HexBytes {
    HexBytes(key(i).public_key().to_bytes().to_vec())
}

fn members(range: std::ops::Range<usize>) -> Members {
    range.map(|i| (i, 10 + (i as u64 * 7) % 40)).collect()
}

/// Builds a chain block by block.
struct Builder {
    height: u64,
    last: Hash32,
}

impl Builder {
    fn new() -> Self {
        Builder { height: 0, last: Hash32::ZERO }
    }

    fn header(&self, height: u64, set: &Members, next: &Members) -> Header {
        Header {
            chain_id: CHAIN.into(),
            height,
            last_block_id: self.last,
            validators_hash: list(set).hash().unwrap(),
            next_validators_hash: list(next).hash().unwrap(),
            app_hash: Hash32([height as u8; 32]),
        }
    }

    /// The next block; `sign(slot, key index)` says who signs (true) and who is absent.
    fn block(&mut self, set: &Members, next: &Members, round: u32, sign: impl Fn(usize, usize) -> bool) -> SignedBlock {
        self.height += 1;
        let header = self.header(self.height, set, next);
        let block = sign_block(header, set, round, sign);
        self.last = block.commit.block_id;
        block
    }
}

fn sign_block(header: Header, set: &Members, round: u32, sign: impl Fn(usize, usize) -> bool) -> SignedBlock {
    let id = block_id(&header).unwrap();
    let msg = HashedMessage::new(&vote_sign_bytes(CHAIN, header.height, round, &id).unwrap()).unwrap();
    let signatures = set
        .iter()
        .enumerate()
        .map(|(slot, &(i, _))| sign(slot, i).then(|| HexBytes(key(i).sign_hashed(&msg).to_bytes().to_vec())))
        .collect();
    SignedBlock { commit: Commit { height: header.height, round, block_id: id, signatures }, header }
}

fn anchor(set: &Members) -> TrustAnchor {
    TrustAnchor { height: 0, block_id: Hash32::ZERO, next_validators: list(set) }
}

fn verifier(set: &Members) -> LightVerifier {
    LightVerifier::new(CHAIN, &anchor(set), LivenessPolicy { window: 40, min_observed: 10, max_missed_percent: 10 }).unwrap()
}

fn vote(i: usize, height: u64, round: u32, block_id: Hash32) -> Vote {
    let sig = key(i).sign(&vote_sign_bytes(CHAIN, height, round, &block_id).unwrap()).unwrap();
    Vote { height, round, block_id, validator: pk(i), signature: HexBytes(sig.to_bytes().to_vec()) }
}

fn status_of(v: &LightVerifier, i: usize) -> ValidatorVerdict {
    v.verdicts().into_iter().find(|r| r.validator == pk(i)).expect("a row")
}

#[test]
fn an_honest_chain_with_a_set_change_verifies_and_accuses_nobody() {
    let a = members(0..20);
    let b = members(5..30);
    let mut chain = Builder::new();
    let mut v = verifier(&a);
    let mut rng = rng();
    for h in 1..=60u64 {
        let (set, next) = match h {
            ..=29 => (&a, &a),
            30 => (&a, &b),
            _ => (&b, &b),
        };
        let block = chain.block(set, next, (h % 3) as u32, |_, _| true);
        let report = v.verify_block(&block, &[list(&a), list(&b)], &mut rng).unwrap();
        assert_eq!((report.height, report.absent, report.invalid.len(), report.skipped), (h, 0, 0, false));
        assert_eq!(report.next_set_changes, h == 30);
    }
    assert_eq!(v.trusted_height(), 60);
    assert!(v.evidence().is_empty());
    let rows = v.verdicts();
    // Keys 0..30 all appear: 0..5 left at height 31 (power 0 now), 20..30 joined.
    assert_eq!(rows.len(), 30);
    for row in &rows {
        assert_eq!(row.status, ValidatorStatus::Healthy, "{row:?}");
        assert_eq!(row.status.category(), "healthy");
        assert_eq!(row.missed, 0);
    }
    assert_eq!(status_of(&v, 0).power, 0);
    assert!(status_of(&v, 25).power > 0);
}

#[test]
fn each_fault_gets_its_verdict_and_only_that() {
    // 0 offline, 1 slow (misses every third height), 2 equivocates; 3's slot is forged at
    // height 7; the commit at 12 carries too little power.
    let set = members(0..25);
    let mut chain = Builder::new();
    let mut v = verifier(&set);
    let mut rng = rng();
    let mut fork_votes = Vec::new();
    for h in 1..=40u64 {
        let mut block = chain.block(&set, &set, 0, |_, i| match i {
            0 => false,
            1 => h % 3 != 0,
            _ => true,
        });
        if h == 7 {
            block.commit.signatures[3] = block.commit.signatures[4].clone();
        }
        if h == 12 {
            for slot in block.commit.signatures.iter_mut().skip(12) {
                *slot = None;
            }
        }
        match v.verify_block(&block, &[], &mut rng) {
            Ok(report) => {
                assert_ne!(h, 12);
                assert_eq!(report.invalid, if h == 7 { vec![pk(3)] } else { vec![] });
                assert_eq!(report.skipped, h == 13, "height 13 is reached by skipping the refused 12");
            }
            Err(BlockRejected::InsufficientPower { signed, total }) => {
                assert_eq!(h, 12);
                assert!(signed * 3 <= total * 2);
                assert_eq!(v.trusted_height(), 11, "a refused block changes nothing");
            }
            Err(e) => panic!("height {h}: {e}"),
        }
        if h % 10 == 5 {
            fork_votes.push(vote(2, h, 0, Hash32([h as u8; 32])));
            // The equivocator's committed vote, gossiped again: consistent.
            assert_eq!(v.observe_vote(&vote(2, h, 0, block.commit.block_id)), VoteOutcome::Consistent);
        }
    }
    for fork in &fork_votes {
        assert_eq!(v.observe_vote(fork), VoteOutcome::Equivocation);
    }
    // A forged vote in an honest validator's name: not a signature by that key, blames nobody.
    let mut forged = vote(5, 20, 0, Hash32([9; 32]));
    forged.signature = vote(6, 20, 0, Hash32([9; 32])).signature;
    assert_eq!(v.observe_vote(&forged), VoteOutcome::InvalidSignature);
    assert_eq!(v.observe_vote(&vote(5, 99, 0, Hash32([9; 32]))), VoteOutcome::OutsideWindow);
    assert_eq!(v.observe_vote(&vote(77, 20, 0, Hash32([9; 32]))), VoteOutcome::UnknownValidator);

    assert_eq!(v.evidence().len(), fork_votes.len());
    for e in v.evidence() {
        assert!(e.check(), "evidence checks again from scratch");
        assert_eq!(e.validator, pk(2));
    }
    let rows = v.verdicts();
    for row in &rows {
        let i = (0..25).find(|&i| pk(i) == row.validator).unwrap();
        let expected = match i {
            0 => ValidatorStatus::Offline,
            1 => ValidatorStatus::Lagging,
            2 => ValidatorStatus::Misbehaving,
            _ => ValidatorStatus::Healthy,
        };
        assert_eq!(row.status, expected, "validator {i}: {row:?}");
        assert_eq!(row.evidence.is_empty(), i != 2);
    }
    let forged_row = status_of(&v, 3);
    assert_eq!((forged_row.invalid, forged_row.missed), (1, 0), "an invalid signature is nobody's miss");
    assert_eq!(status_of(&v, 0).status.category(), "unreachable");
    assert_eq!(status_of(&v, 1).status.category(), "unreachable");
}

#[test]
fn conflicting_gossip_votes_at_a_round_without_a_commit_are_evidence_too() {
    let set = members(0..10);
    let mut chain = Builder::new();
    let mut v = verifier(&set);
    v.verify_block(&chain.block(&set, &set, 2, |_, _| true), &[], &mut rng()).unwrap();
    assert_eq!(v.observe_vote(&vote(4, 1, 0, Hash32([1; 32]))), VoteOutcome::Consistent);
    assert_eq!(v.observe_vote(&vote(4, 1, 0, Hash32([1; 32]))), VoteOutcome::Consistent);
    assert!(v.evidence().is_empty());
    // Another round is not a conflict.
    assert_eq!(v.observe_vote(&vote(4, 1, 1, Hash32([2; 32]))), VoteOutcome::Consistent);
    assert_eq!(v.observe_vote(&vote(4, 1, 0, Hash32([2; 32]))), VoteOutcome::Equivocation);
    assert_eq!(v.evidence().len(), 1);
    let e = &v.evidence()[0];
    assert_eq!((e.height, e.round, e.first.block_id, e.second.block_id), (1, 0, Hash32([1; 32]), Hash32([2; 32])));
    let mut tampered = e.clone();
    tampered.second.block_id = Hash32([3; 32]);
    assert!(!tampered.check());
}

#[test]
fn set_changes_are_followed_only_through_verified_commits() {
    let a = members(0..15);
    let b = members(10..30);
    let evil = members(100..120);
    let mut rng = rng();
    let all = [list(&a), list(&b), list(&evil)];

    // An outsider set signing the next height: not the set the last header named.
    let mut chain = Builder::new();
    let mut v = verifier(&a);
    v.verify_block(&chain.block(&a, &a, 0, |_, _| true), &all, &mut rng).unwrap();
    let mut fake = Builder { ..chain };
    let bad = fake.block(&evil, &evil, 0, |_, _| true);
    assert!(matches!(v.verify_block(&bad, &all, &mut rng), Err(BlockRejected::UntrustedValidatorSet { .. })));
    // ... nor by skipping a height: none of the trusted power vouches for it.
    let mut skip = Builder { height: 2, last: Hash32::ZERO };
    let bad = skip.block(&evil, &evil, 0, |_, _| true);
    assert!(matches!(v.verify_block(&bad, &all, &mut rng), Err(BlockRejected::InsufficientTrust { signed: 0, .. })));
    // A header that names a new set but is not the one the commit signed.
    let mut honest = Builder { ..chain }.block(&a, &a, 0, |_, _| true);
    honest.header.next_validators_hash = list(&evil).hash().unwrap();
    assert!(matches!(v.verify_block(&honest, &all, &mut rng), Err(BlockRejected::BlockIdMismatch { .. })));
    // Re-signed under the new id by the outsiders: no valid signature of the trusted set.
    let resigned = sign_block(honest.header.clone(), &a, 0, |_, _| false);
    assert!(matches!(v.verify_block(&resigned, &all, &mut rng), Err(BlockRejected::InsufficientPower { signed: 0, .. })));
    assert_eq!(v.trusted_height(), 1);

    // The real change: height 2 names b as next, b signs 3; a no longer can.
    let change = chain.block(&a, &b, 0, |_, _| true);
    v.verify_block(&change, &[], &mut rng).unwrap();
    let mut old = Builder { ..chain };
    let by_a = old.block(&a, &a, 0, |_, _| true);
    assert!(matches!(v.verify_block(&by_a, &all, &mut rng), Err(BlockRejected::UntrustedValidatorSet { .. })));
    let by_b = chain.block(&b, &b, 0, |_, _| true);
    // Without b's keys at hand it cannot be checked; with them it is.
    assert!(matches!(v.verify_block(&by_b, &[list(&a)], &mut rng), Err(BlockRejected::UnknownValidatorSet { .. })));
    assert!(v.verify_block(&by_b, &[list(&evil), list(&b)], &mut rng).is_ok());
    assert_eq!(v.trusted_height(), 3);

    // Skipping into a new set needs more than 1/3 of the trusted one (b) to vouch.
    let c = members(25..45);
    let mut ahead = Builder { height: 5, last: Hash32([1; 32]) };
    let block = ahead.block(&c, &c, 0, |_, _| true); // only keys 25..30 are also in b
    let needed = list(&b).validators.iter().map(|x| x.power).sum::<u64>();
    match v.verify_block(&block, &[list(&c)], &mut rng) {
        Err(BlockRejected::InsufficientTrust { signed, total }) => {
            assert_eq!(total, needed);
            assert!(signed * 3 <= total);
        }
        other => panic!("{other:?}"),
    }
    let d = members(12..32); // shares 12..30 with b
    let mut ahead = Builder { height: 6, last: Hash32([1; 32]) };
    let report = v.verify_block(&ahead.block(&d, &d, 0, |_, _| true), &[list(&d)], &mut rng).unwrap();
    assert!(report.skipped);
    assert_eq!(v.trusted_height(), 7);
}

#[test]
fn replays_other_chains_and_broken_links_are_refused() {
    let set = members(0..8);
    let mut chain = Builder::new();
    let mut v = verifier(&set);
    let mut rng = rng();
    let first = chain.block(&set, &set, 0, |_, _| true);
    v.verify_block(&first, &[], &mut rng).unwrap();
    assert!(matches!(v.verify_block(&first, &[], &mut rng), Err(BlockRejected::NotNewer { height: 1, trusted: 1 })));
    let mut broken = Builder { height: 1, last: Hash32([5; 32]) };
    assert!(matches!(v.verify_block(&broken.block(&set, &set, 0, |_, _| true), &[], &mut rng), Err(BlockRejected::ChainBreak { .. })));
    let mut other = chain.block(&set, &set, 0, |_, _| true);
    other.header.chain_id = "other".into();
    assert!(matches!(v.verify_block(&other, &[], &mut rng), Err(BlockRejected::WrongChain { .. })));
    other.header.chain_id = CHAIN.into();
    other.commit.height = 9;
    assert!(matches!(v.verify_block(&other, &[], &mut rng), Err(BlockRejected::HeightMismatch { .. })));
    // Signatures for another round do not count.
    let mut round = chain.block(&set, &set, 0, |_, _| true);
    round.commit.round = 1;
    assert!(matches!(v.verify_block(&round, &[], &mut rng), Err(BlockRejected::InsufficientPower { signed: 0, .. })));
    assert_eq!(v.trusted_height(), 1);
}

#[test]
fn malformed_sets_and_commits_are_typed_errors() {
    let set = members(0..4);
    let good = list(&set);
    let mut bad = good.clone();
    bad.validators[1].pub_key.0.pop();
    assert!(matches!(ValidatorSet::from_list(&bad), Err(ValidatorError::PublicKeyLength { index: 1, got: 47 })));
    let mut bad = good.clone();
    bad.validators[2].pub_key.0[5] ^= 1;
    assert!(matches!(ValidatorSet::from_list(&bad), Err(ValidatorError::BadPublicKey { index: 2, .. })));
    let mut bad = good.clone();
    bad.validators[0].pub_key.0 = vec![0xc0; 1].into_iter().chain([0; 47]).collect();
    assert!(matches!(ValidatorSet::from_list(&bad), Err(ValidatorError::BadPublicKey { index: 0, .. })), "identity key");
    let mut bad = good.clone();
    bad.validators[3] = bad.validators[0].clone();
    assert!(matches!(ValidatorSet::from_list(&bad), Err(ValidatorError::DuplicateValidator { index: 3, first: 0 })));
    let mut bad = good.clone();
    bad.validators[2].power = 0;
    assert!(matches!(ValidatorSet::from_list(&bad), Err(ValidatorError::ZeroPower { index: 2 })));
    let mut bad = good.clone();
    bad.validators[0].power = MAX_TOTAL_POWER;
    assert!(matches!(ValidatorSet::from_list(&bad), Err(ValidatorError::TotalPowerTooLarge { .. })));
    assert!(matches!(ValidatorSet::from_list(&ValidatorList::default()), Err(ValidatorError::EmptySet)));
    let mut anchor = anchor(&set);
    anchor.next_validators.validators[0].power = 0;
    assert!(LightVerifier::new(CHAIN, &anchor, LivenessPolicy::default()).is_err());
    assert!(matches!(LightVerifier::new("bad chain", &self::anchor(&set), LivenessPolicy::default()), Err(ValidatorError::BadChainId { .. })));

    // Slots: a short signature, garbage, the identity; the rest carry the block.
    let decoded = ValidatorSet::from_list(&good).unwrap();
    let mut block = sign_block(Builder::new().header(1, &set, &set), &set, 0, |_, _| true);
    block.commit.signatures[0].as_mut().unwrap().0.pop();
    block.commit.signatures[1] = Some(HexBytes(vec![0xff; 96]));
    block.commit.signatures[2] = Some(HexBytes([0xc0].into_iter().chain([0; 95]).collect()));
    let check = verify_commit(&decoded, CHAIN, &block.commit, &mut rng()).unwrap();
    assert!(matches!(check.slots[..], [SlotStatus::Invalid { .. }, SlotStatus::Invalid { .. }, SlotStatus::Invalid { .. }, SlotStatus::Valid]));
    assert!(!check.has_quorum());
    block.commit.signatures.pop();
    assert!(matches!(verify_commit(&decoded, CHAIN, &block.commit, &mut rng()), Err(ValidatorError::SignatureCount { expected: 4, got: 3 })));

    // JSON: bad hex or a missing field fails parsing, with serde's message.
    let json = serde_json::to_string(&block).unwrap();
    assert!(serde_json::from_str::<SignedBlock>(&json.replacen("\"0x", "\"0xzz", 1)).is_err());
    assert!(serde_json::from_str::<SignedBlock>(&json.replace("\"round\"", "\"rounds\"")).is_err());
    let back: SignedBlock = serde_json::from_str(&json).unwrap();
    assert_eq!(back, block);
}

#[test]
fn window_slides_and_old_heights_are_forgotten() {
    let set = members(0..6);
    let mut chain = Builder::new();
    let mut v = LightVerifier::new(CHAIN, &anchor(&set), LivenessPolicy { window: 10, min_observed: 5, max_missed_percent: 10 }).unwrap();
    let mut rng = rng();
    // Validator 0 misses the first 20 heights, then signs: healthy once the misses slide out.
    for h in 1..=30u64 {
        v.verify_block(&chain.block(&set, &set, 0, |_, i| i != 0 || h > 20), &[], &mut rng).unwrap();
        let row = status_of(&v, 0);
        let expected = match h {
            1..=4 => ValidatorStatus::Pending,
            5..=20 => ValidatorStatus::Offline,
            21..=28 => ValidatorStatus::Lagging, // 10% missed is still healthy
            _ => ValidatorStatus::Healthy,
        };
        assert_eq!(row.status, expected, "height {h}: {row:?}");
        assert!(row.signed + row.missed <= 10);
    }
    assert_eq!(v.observe_vote(&vote(1, 20, 0, Hash32::ZERO)), VoteOutcome::OutsideWindow);
}

fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    return js_sys::Date::now();
    #[cfg(not(target_arch = "wasm32"))]
    return std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64() * 1e3;
}

#[test]
fn a_150_validator_commit_with_and_without_a_forgery() {
    // Also the time it takes, printed (not asserted): in the browser run, the wasm figure.
    let set = members(0..150);
    let mut v = verifier(&set);
    let mut rng = rng();
    let mut chain = Builder::new();
    let honest = chain.block(&set, &set, 0, |_, _| true);
    let mut forged = chain.block(&set, &set, 0, |_, _| true);
    forged.commit.signatures[70] = forged.commit.signatures[71].clone();
    let lists = [list(&set)];
    let start = now_ms();
    let a = v.verify_block(&honest, &lists, &mut rng).unwrap();
    let honest_ms = now_ms() - start;
    let start = now_ms();
    let b = v.verify_block(&forged, &lists, &mut rng).unwrap();
    let forged_ms = now_ms() - start;
    assert_eq!((a.signed, a.invalid.len()), (150, 0));
    assert_eq!((b.signed, b.invalid), (149, vec![pk(70)]));
    let line = format!("150-validator commit: {honest_ms:.0} ms honest, {forged_ms:.0} ms with one forged signature");
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    println!("{line}");
}
