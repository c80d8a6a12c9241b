//! Workloads of `make bench` for the verification cores, built from fixed seeds and timed with a
//! clock the caller supplies: `performance.now()` in the worker, `Instant` natively. The same code
//! runs on both sides, so the rows compare like with like.

use crate::da::bn254::{encode_g1, encode_g2, public_keys, sign, sum_g1, sum_g2};
use crate::da::rows::{row_root, verify_row, RowWithProof, ROWS_PER_COSET, ROW_BYTES};
use crate::da::{blob_digest, verify_quorum_cert, QuorumCert, SignerInfo, QUORUM_ROWS};
use crate::cometbft::ChainProfile;
use crate::hash::{keccak256, Hash32};
use crate::storage::MerkleTree;
use ark_bn254::Fr;
use rand::{Rng, RngCore, SeedableRng};
use serde::Serialize;

/// One row of the table: what ran, and its median and fastest times.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    pub name: String,
    pub median_ms: f64,
    pub min_ms: f64,
    pub runs: usize,
}

/// How long each workload runs before it is timed: V8 compiles wasm with its baseline compiler first
/// and swaps in optimised code in the background, and noble's JS needs its JIT too; every side
/// (native, wasm, noble, blst) gets the same warm-up so the medians compare steady states.
pub const WARM_UP_MS: f64 = 1000.0;
const WARM_UP_CALLS: usize = 3;

/// Median and fastest (ms) of `reps` timed calls of `f`, after [`WARM_UP_MS`] (and at least three
/// calls) of warm-up.
pub fn sample(reps: usize, now: &dyn Fn() -> f64, mut f: impl FnMut()) -> (f64, f64) {
    let start = now();
    let mut calls = 0;
    while calls < WARM_UP_CALLS || now() - start < WARM_UP_MS {
        f();
        calls += 1;
    }
    let mut times: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let start = now();
            f();
            now() - start
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

/// A row of the table: [`sample`] of a workload that must verify on every call.
pub fn time(name: &str, reps: usize, now: &dyn Fn() -> f64, mut f: impl FnMut() -> bool) -> Timing {
    let (median_ms, min_ms) = sample(reps, now, || assert!(f(), "{name}: the timed check must succeed"));
    Timing { name: name.into(), median_ms, min_ms, runs: reps.max(1) }
}

/// The number after `--name` on the command line, or `default`: the examples' one option kind.
pub fn usize_arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).map_or(default, |v| v.parse().expect(name))
}

/// Milliseconds since the call, for native callers: std's clock panics on wasm32-unknown-unknown,
/// where the worker passes `performance.now()` instead.
pub fn native_clock() -> impl Fn() -> f64 {
    let start = std::time::Instant::now();
    move || start.elapsed().as_secs_f64() * 1e3
}

/// A quorum of 3072 rows over `signers` signers, everyone signing: (certificate, slots, keys).
fn da_certificate(signers: usize) -> (QuorumCert, Vec<usize>, Vec<SignerInfo>) {
    let secrets: Vec<Fr> = (0..signers).map(|i| Fr::from(1_000_003u64 * (i as u64 + 1))).collect();
    let keys: Vec<_> = secrets.iter().map(public_keys).collect();
    let slots: Vec<usize> = (0..QUORUM_ROWS).map(|i| i % signers).collect();
    let root = keccak256(b"bench blob");
    let commitment = encode_g1(&public_keys(&Fr::from(7u64)).0);
    let digest = blob_digest(&root, 1, 0, &commitment);
    let sigs: Vec<_> = secrets.iter().map(|s| sign(s, &digest)).collect();
    let cert = QuorumCert {
        data_root: root,
        epoch: 1,
        quorum_id: 0,
        commitment: commitment.to_vec(),
        bitmap: vec![0xff; QUORUM_ROWS / 8],
        agg_pk_g2: encode_g2(&sum_g2(keys.iter().map(|k| &k.1))).to_vec(),
        signature: encode_g1(&sum_g1(&sigs)).to_vec(),
    };
    let infos = keys
        .iter()
        .enumerate()
        .map(|(i, (g1, g2))| SignerInfo { id: format!("s{i}"), pk_g1: encode_g1(g1).to_vec(), pk_g2: encode_g2(g2).to_vec() })
        .collect();
    (cert, slots, infos)
}

/// `count` full 32 KiB rows of random bytes in coset 0, with proofs against its root.
fn da_rows(count: usize) -> (Vec<RowWithProof>, [Hash32; 3]) {
    let mut rng = rand_chacha::ChaCha20Rng::from_seed([3; 32]);
    let picked: Vec<usize> = rand::seq::index::sample(&mut rng, ROWS_PER_COSET, count).into_vec();
    let mut data = vec![Vec::new(); ROWS_PER_COSET];
    let leaves = (0..ROWS_PER_COSET)
        .map(|r| {
            if picked.contains(&r) {
                let mut row = vec![0u8; ROW_BYTES];
                rng.fill_bytes(&mut row);
                let root = row_root(&row);
                data[r] = row;
                root
            } else {
                Hash32(rng.random())
            }
        })
        .collect();
    let tree = MerkleTree::from_leaves(leaves);
    let rows = picked.iter().map(|&r| RowWithProof { index: r as u16, data: std::mem::take(&mut data[r]), proof: tree.proof(r as u64).expect("in range") }).collect();
    let roots = [tree.root(), Hash32::ZERO, Hash32::ZERO];
    (rows, roots)
}

/// The DA rows of the table: one quorum certificate (8 signers), and 100 sampled rows.
pub fn da(reps: usize, now: &dyn Fn() -> f64) -> Vec<Timing> {
    let (cert, slots, signers) = da_certificate(8);
    let (rows, roots) = da_rows(100);
    vec![
        time("DA quorum certificate, 8 signers, 3072 rows (BN254)", reps, now, || {
            matches!(verify_quorum_cert(&cert, &slots, &signers), Ok(Ok(_)))
        }),
        time("DA 100 sampled rows, 3.2 MB, keccak proofs", reps, now, || rows.iter().all(|r| verify_row(r, r.index, &roots).is_ok())),
    ]
}

/// BLS inputs shared with the page, so `@noble/curves` and blst check exactly the same bytes:
/// [`BLS_KEYS`] keys; one message signed by each key (the first [`BLS_AGGREGATE`] signatures
/// aggregated); a distinct message per key, each signed, with the aggregate of the first
/// [`BLS_AGGREGATE`] and of all of them (noble's `verifyBatch` takes the aggregate).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlsInputs {
    pub keys: Vec<String>,
    pub message: String,
    pub signatures: Vec<String>,
    pub aggregate_one_message: String,
    pub messages: Vec<String>,
    pub distinct_signatures: Vec<String>,
    pub aggregate_distinct: String,
    pub aggregate_distinct_all: String,
    /// A CometBFT commit of 150 validators under 0G's profile: the keys in slot order, what each
    /// signed (SHA-256 of its own `CanonicalVote`), the signatures and their aggregate.
    pub comet_keys: Vec<String>,
    pub comet_messages: Vec<String>,
    pub comet_signatures: Vec<String>,
    pub comet_aggregate: String,
}

/// Keys of the BLS rows: the 150 validators of a CometBFT commit each signing its own bytes.
pub const BLS_KEYS: usize = 150;
/// Keys of the fast-aggregate and 100-message batch rows (the first of [`BLS_KEYS`]).
pub const BLS_AGGREGATE: usize = 100;

/// `n` fixed BLS keys, the same on every side and in the timing examples.
pub fn bls_keys(n: usize) -> Vec<crate::bls::SecretKey> {
    (1..=n as u64)
        .map(|i| {
            let mut b = [0u8; 32];
            b[0] = 0x2b;
            b[24..].copy_from_slice(&i.to_be_bytes());
            crate::bls::SecretKey::from_bytes(&b).expect("below the group order")
        })
        .collect()
}

pub fn bls_inputs() -> BlsInputs {
    use crate::bls::aggregate;
    let hex = |b: &[u8]| hex::encode(b);
    let keys = bls_keys(BLS_KEYS);
    let message = b"zg-align bench: one message".to_vec();
    let sigs: Vec<_> = keys.iter().map(|k| k.sign(&message).expect("signs")).collect();
    let messages: Vec<Vec<u8>> = (0..BLS_KEYS).map(|i| format!("zg-align bench: message {i}").into_bytes()).collect();
    let distinct: Vec<_> = keys.iter().zip(&messages).map(|(k, m)| k.sign(m).expect("signs")).collect();
    let (set, commit) = cometbft_commit_workload();
    let comet_sigs: Vec<_> = commit.signatures.iter().map(|s| crate::bls::Signature::from_bytes(&s.signature).expect("signs")).collect();
    BlsInputs {
        comet_keys: set.validators().iter().map(|v| hex(&v.key.chain_bytes(&ChainProfile::ZG))).collect(),
        comet_messages: (0..commit.signatures.len())
            .map(|i| hex(&ChainProfile::ZG.bls_message(&commit.vote_sign_bytes(COMMIT_CHAIN, i).expect("a slot"))))
            .collect(),
        comet_signatures: comet_sigs.iter().map(|s| hex(&s.to_bytes())).collect(),
        comet_aggregate: hex(&aggregate(&comet_sigs).expect("non-empty").to_bytes()),
        keys: keys.iter().map(|k| hex(&k.public_key().to_bytes())).collect(),
        message: hex(&message),
        signatures: sigs.iter().map(|s| hex(&s.to_bytes())).collect(),
        aggregate_one_message: hex(&aggregate(&sigs[..BLS_AGGREGATE]).expect("non-empty").to_bytes()),
        messages: messages.iter().map(|m| hex(m)).collect(),
        distinct_signatures: distinct.iter().map(|s| hex(&s.to_bytes())).collect(),
        aggregate_distinct: hex(&aggregate(&distinct[..BLS_AGGREGATE]).expect("non-empty").to_bytes()),
        aggregate_distinct_all: hex(&aggregate(&distinct).expect("non-empty").to_bytes()),
    }
}

const COMMIT_CHAIN: &str = "zg-align-devnet";

/// A 150-validator set and an honest CometBFT commit under 0G's profile: each validator signs its
/// own `CanonicalVote` (its own timestamp), so 150 distinct messages.
fn cometbft_commit_workload() -> (crate::cometbft::ValidatorSet, crate::cometbft::Commit) {
    use crate::cometbft::{BlockId, BlockIdFlag, Commit, CommitSig, PartSetHeader, Timestamp, ValidatorEntry, ValidatorKey, ValidatorSet};
    let keys = bls_keys(150);
    let mut entries: Vec<(usize, ValidatorEntry)> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let key = ValidatorKey::Bls12_381(k.public_key());
            (i, ValidatorEntry { address: key.address(&ChainProfile::ZG), key, power: 10 + i as u64 % 50, proposer_priority: 0 })
        })
        .collect();
    entries.sort_by(|(_, a), (_, b)| b.power.cmp(&a.power).then(a.address.cmp(&b.address)));
    let order: Vec<usize> = entries.iter().map(|(i, _)| *i).collect();
    let set = ValidatorSet::new(entries.into_iter().map(|(_, e)| e).collect(), ChainProfile::ZG).expect("valid set");
    let block_id = BlockId { hash: vec![7; 32], parts: PartSetHeader { total: 1, hash: vec![8; 32] } };
    let mut commit = Commit { height: 1000, round: 0, block_id, signatures: Vec::new() };
    for (slot, v) in set.validators().iter().enumerate() {
        let timestamp = Timestamp { seconds: 1_760_000_000, nanos: 300_000_000 + 1_234_567 * slot as u32 };
        commit.signatures.push(CommitSig { flag: BlockIdFlag::Commit, validator_address: Some(v.address), timestamp, signature: Vec::new() });
        let bytes = commit.vote_sign_bytes(COMMIT_CHAIN, slot).expect("a slot");
        commit.signatures[slot].signature = keys[order[slot]].sign_hashed(&ChainProfile::ZG.hash_bls_message(&bytes)).to_bytes().to_vec();
    }
    (set, commit)
}

/// The row of a real CometBFT commit: 150 signatures over 150 distinct messages.
pub const COMETBFT_COMMIT_ROW: &str = "CometBFT commit, 150 validators, 150 messages";

/// The BLS rows: each timed from bytes (decoding included, as noble does), plus a 150-validator
/// commit as the node checks it (the set decoded once per set change, the commit each block).
pub fn bls(reps: usize, now: &dyn Fn() -> f64) -> Vec<Timing> {
    use crate::bls::{batch_verify, fast_aggregate_verify, verify, PublicKey, Signature, SignatureSet};
    let inputs = bls_inputs();
    let bytes = |h: &String| hex::decode(h).expect("hex");
    let keys: Vec<Vec<u8>> = inputs.keys.iter().map(bytes).collect();
    let message = bytes(&inputs.message);
    let messages: Vec<Vec<u8>> = inputs.messages.iter().map(bytes).collect();
    let single = bytes(&inputs.signatures[0]);
    let aggregate = bytes(&inputs.aggregate_one_message);
    let distinct: Vec<Vec<u8>> = inputs.distinct_signatures.iter().map(bytes).collect();
    let mut rng = rand_chacha::ChaCha20Rng::from_seed([5; 32]);
    // The first `n` keys, each over its own message: decoded and batch-checked with weights.
    let distinct_batch = |n: usize, rng: &mut rand_chacha::ChaCha20Rng| {
        let Ok(pks) = keys[..n].iter().map(|k| PublicKey::from_bytes(k)).collect::<Result<Vec<_>, _>>() else { return false };
        let Ok(sigs) = distinct[..n].iter().map(|s| Signature::from_bytes(s)).collect::<Result<Vec<_>, _>>() else { return false };
        let sets: Vec<_> = pks.iter().zip(&messages).zip(&sigs).map(|((public_key, m), signature)| SignatureSet { public_key, message: m, signature }).collect();
        batch_verify(&sets, rng)
    };
    let (comet_set, comet_commit) = cometbft_commit_workload();
    vec![
        time("BLS verify, 1 signature", reps, now, || {
            let (Ok(pk), Ok(sig)) = (PublicKey::from_bytes(&keys[0]), Signature::from_bytes(&single)) else { return false };
            verify(&pk, &message, &sig)
        }),
        time("BLS fast-aggregate verify, 100 keys", reps, now, || {
            let Ok(pks) = keys[..BLS_AGGREGATE].iter().map(|k| PublicKey::from_bytes(k)).collect::<Result<Vec<_>, _>>() else { return false };
            let Ok(sig) = Signature::from_bytes(&aggregate) else { return false };
            fast_aggregate_verify(&pks, &message, &sig)
        }),
        time("BLS batch verify, 100 distinct messages", reps, now, || distinct_batch(BLS_AGGREGATE, &mut rng)),
        time("BLS batch verify, 150 distinct messages", reps, now, || distinct_batch(BLS_KEYS, &mut rng)),
        time(COMETBFT_COMMIT_ROW, reps, now, || {
            crate::cometbft::verify_commit(COMMIT_CHAIN, &comet_set, &comet_commit, &mut rng).is_ok_and(|c| c.has_quorum() && c.invalid().next().is_none())
        }),
    ]
}

/// Where a single verify's time goes, and what BLS12-381's field operations cost: rows of
/// `make bench` that say which parts a faster field (or anything else) would have to speed up.
/// The workloads are the BLS crate's (`bls::profile_workloads`), compiled as its verification is.
pub fn bls_profile(reps: usize, now: &dyn Fn() -> f64) -> Vec<Timing> {
    let inputs = bls_inputs();
    let bytes = |h: &String| hex::decode(h).expect("hex");
    let mut rng = rand_chacha::ChaCha20Rng::from_seed([9; 32]);
    crate::bls::profile_workloads(bytes(&inputs.keys[0]), bytes(&inputs.signatures[0]), bytes(&inputs.message), &mut rng)
        .into_iter()
        .map(|(name, mut workload)| time(name, reps, now, &mut *workload))
        .collect()
}
