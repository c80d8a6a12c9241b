//! Workloads of `make bench` for the verification cores, built from fixed seeds and timed with a
//! clock the caller supplies: `performance.now()` in the worker, `Instant` natively. The same code
//! runs on both sides, so the rows compare like with like.

use crate::da::bn254::{encode_g1, encode_g2, public_keys, sign, sum_g1, sum_g2};
use crate::da::rows::{row_root, verify_row, RowWithProof, ROWS_PER_COSET, ROW_BYTES};
use crate::da::{blob_digest, verify_quorum_cert, QuorumCert, SignerInfo, QUORUM_ROWS};
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

fn time(name: &str, reps: usize, now: &dyn Fn() -> f64, mut f: impl FnMut() -> bool) -> Timing {
    assert!(f(), "{name}: the timed check must succeed"); // warm-up, and a check of the workload
    let mut times: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let start = now();
            let ok = f();
            let elapsed = now() - start;
            assert!(ok, "{name}: the timed check must succeed");
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Timing { name: name.into(), median_ms: times[times.len() / 2], min_ms: times[0], runs: times.len() }
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
