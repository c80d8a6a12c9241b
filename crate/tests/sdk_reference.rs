//! Our storage core against the official 0G TypeScript SDK.
//!
//! Vectors: `tests/vectors/storage-sdk.json`, made by `tests/sdk/make-storage-vectors.mjs` with
//! npm `@0glabs/0g-ts-sdk` 0.3.3 (`new MemData(bytes).merkleTree()`, `rootHash()`, `proofAt(i)`),
//! whose roots and proofs it also checks against `@0gfoundation/0g-ts-sdk` 1.2.8;
//! `tests/storage-sdk.test.mjs` regenerates them on every `make test` and fails if the committed
//! file drifts from the SDK. File bytes come from the same xorshift32 generator, rebuilt here.
//!
//! Checked for each file: our root (whole and streamed in odd-sized pieces) equals the SDK's; our
//! `SegmentTree` gives the SDK's proofs exactly; `verify_segment` accepts every SDK proof of a data
//! segment with the data a storage node returns (the last segment cut after its last data chunk,
//! that chunk zero-padded), and rejects it after any change:
//! - at the proof level (`FileProof::verify`, the step `verify_segment` takes once it has hashed the
//!   segment): every bit of every lemma entry, every path flag, every other position, another root;
//! - through `verify_segment`, where each try re-hashes the segment: for every SDK proof of a data
//!   segment, every path flag, the neighbouring indices, the answer's root and file size, data a
//!   chunk short or long, and a bit of every lemma entry; for segments of up to 16 KiB every lemma
//!   bit and every data bit up to 2 KiB (beyond, a bit in every chunk and every bit of the last
//!   chunk); for three representative full 256 KiB segments eight bits of every lemma entry, a bit
//!   in every chunk and every bit of the zero padding; for other full segments one data bit. That
//!   keeps the run to seconds.
//!
//! Runs natively and in headless Chromium (`wasm-pack test --headless --chrome crate`).

use serde::Deserialize;
use std::sync::OnceLock;
use zg_align::hash::zero_hash;
use zg_align::storage::layout::SEGMENT_TREE_HEIGHT;
use zg_align::storage::{
    file_root, verify_segment, FileHasher, FileLayout, FileProof, ProofError, SegmentFault, SegmentTree,
    SegmentWithProof, CHUNK_SIZE, SEGMENT_SIZE,
};
use zg_align::Hash32;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[derive(Deserialize)]
struct Vectors {
    source: String,
    generator: String,
    files: Vec<FileVector>,
}

#[derive(Deserialize)]
struct FileVector {
    size: u64,
    seed: u32,
    root: Hash32,
    /// Leaves of the SDK's tree: segments of the padded file.
    segments: u64,
    proofs: Vec<ProofVector>,
}

#[derive(Deserialize)]
struct ProofVector {
    index: u64,
    lemma: Vec<Hash32>,
    path: Vec<bool>,
}

struct Case {
    v: FileVector,
    data: Vec<u8>,
    layout: FileLayout,
}

/// The committed vectors with their files' bytes, built once per test binary.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let vectors: Vectors =
            serde_json::from_str(include_str!("../../tests/vectors/storage-sdk.json")).expect("vectors parse");
        assert!(vectors.source.starts_with("@0glabs/0g-ts-sdk 0.3.3"), "{}", vectors.source);
        assert_eq!(vectors.generator, "xorshift32");
        vectors
            .files
            .into_iter()
            .map(|v| {
                let data = xorshift_bytes(v.size as usize, v.seed);
                let layout = FileLayout::new(v.size).unwrap();
                Case { v, data, layout }
            })
            .collect()
    })
}

/// xorshift32 from a non-zero seed, one byte (the low 8 bits) per step: the generator of
/// tests/sdk/make-storage-vectors.mjs.
fn xorshift_bytes(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// The segment as a storage node returns it: cut after its last data chunk, zero-padded to it.
fn served(data: &[u8], layout: &FileLayout, index: u64) -> Vec<u8> {
    let len = layout.segment_data_len(index).unwrap();
    let start = index as usize * SEGMENT_SIZE;
    let mut out = data[start..(start + len).min(data.len())].to_vec();
    out.resize(len, 0);
    out
}

fn answer(c: &Case, p: &ProofVector) -> SegmentWithProof {
    SegmentWithProof {
        root: c.v.root,
        data: served(&c.data, &c.layout, p.index),
        index: p.index,
        proof: FileProof { lemma: p.lemma.clone(), path: p.path.clone() },
        file_size: c.v.size,
    }
}

fn flip(h: &mut Hash32, bit: usize) {
    h.0[bit / 8] ^= 1 << (bit % 8);
}

/// Odd piece sizes, cycled, to feed a streaming hasher.
const PIECES: [usize; 8] = [1, 7, 255, 257, 1000, 4093, 65_537, 99_991];

#[test]
fn vectors_cover_the_edges() {
    let cases = cases();
    let sizes: Vec<u64> = cases.iter().map(|c| c.v.size).collect();
    for size in [1, 255, 256, 257, 262_143, 262_144, 262_145, 16 * 262_144 + 256, 17 * 262_144, 4 * (1 << 20) + 1, 9 * (1 << 20) - 7] {
        assert!(sizes.contains(&size), "no file of {size} bytes");
    }
    assert!(cases.iter().any(|c| c.layout.padded_segments() > c.layout.data_segments()), "no rear padding segment");
}

#[test]
fn roots_equal_the_sdk() {
    for c in cases() {
        assert_eq!(file_root(&c.data).unwrap(), c.v.root, "root of {} bytes", c.v.size);
        let mut streamed = FileHasher::new();
        let (mut at, mut k) = (0, 0);
        while at < c.data.len() {
            let end = (at + PIECES[k % PIECES.len()]).min(c.data.len());
            streamed.update(&c.data[at..end]);
            (at, k) = (end, k + 1);
        }
        assert_eq!(streamed.size(), c.v.size);
        assert_eq!(streamed.finalize().unwrap(), c.v.root, "streamed root of {} bytes", c.v.size);
    }
}

#[test]
fn segment_tree_proofs_equal_the_sdk() {
    for c in cases() {
        let tree = SegmentTree::from_file(&c.data).unwrap();
        assert_eq!(tree.root(), c.v.root, "tree root of {} bytes", c.v.size);
        assert_eq!(tree.layout().padded_segments(), c.v.segments, "leaves of {} bytes", c.v.size);
        for p in &c.v.proofs {
            let ours = tree.proof(p.index).unwrap();
            assert_eq!(ours.lemma, p.lemma, "lemma of proof {} of {} bytes", p.index, c.v.size);
            assert_eq!(ours.path, p.path, "path of proof {} of {} bytes", p.index, c.v.size);
        }
        assert!(tree.proof(c.v.segments).is_err());
    }
}

#[test]
fn every_sdk_proof_of_data_is_accepted() {
    let mut accepted = 0;
    for c in cases() {
        for p in &c.v.proofs {
            if p.index < c.layout.data_segments() {
                let a = answer(c, p);
                let leaf = verify_segment(&c.v.root, &c.layout, p.index, &a)
                    .unwrap_or_else(|e| panic!("segment {} of {} bytes: {e}", p.index, c.v.size));
                assert_eq!(leaf, p.lemma[0]);
                accepted += 1;
            } else {
                // A rear padding segment (no node serves it): its leaf is the root of 1024 zero chunks.
                assert_eq!(p.lemma[0], zero_hash(SEGMENT_TREE_HEIGHT), "padding segment {} of {} bytes", p.index, c.v.size);
                let proof = FileProof { lemma: p.lemma.clone(), path: p.path.clone() };
                proof.verify(&p.lemma[0], &c.v.root, p.index, c.v.segments).unwrap();
            }
        }
    }
    assert!(accepted > 150, "{accepted} proofs");
}

/// Every bit of every lemma entry, every path flag, every other position and another root,
/// against the segment root the SDK proves: all rejected, each for the right reason.
#[test]
fn every_proof_change_is_rejected() {
    for c in cases() {
        let leaves = c.v.segments;
        for p in &c.v.proofs {
            let good = FileProof { lemma: p.lemma.clone(), path: p.path.clone() };
            let (leaf, root) = (p.lemma[0], c.v.root);
            let what = |w: &str| format!("{w}: proof {} of {} bytes", p.index, c.v.size);
            assert_eq!(good.verify(&leaf, &root, p.index, leaves), Ok(()));
            let last = good.lemma.len() - 1;
            for i in 0..=last {
                for bit in 0..256 {
                    let mut bad = good.clone();
                    flip(&mut bad.lemma[i], bit);
                    let err = bad.verify(&leaf, &root, p.index, leaves).expect_err(&what("lemma bit"));
                    match (i, err) {
                        (0, ProofError::LeafMismatch { .. }) => {}
                        (i, ProofError::RootMismatch { .. }) if i == last => {}
                        (i, ProofError::PathMismatch { .. }) if i > 0 && i < last => {}
                        (_, e) => panic!("{}: {e}", what(&format!("lemma {i} bit {bit}"))),
                    }
                }
            }
            for i in 0..good.path.len() {
                let mut bad = good.clone();
                bad.path[i] = !bad.path[i];
                let err = bad.verify(&leaf, &root, p.index, leaves).expect_err(&what("path flag"));
                assert!(matches!(err, ProofError::PositionMismatch { .. }), "{}: {err}", what("path flag"));
            }
            for other in (0..leaves).filter(|&o| o != p.index) {
                let err = good.verify(&leaf, &root, other, leaves).expect_err(&what("position"));
                assert!(matches!(err, ProofError::PositionMismatch { .. }), "{}: {err}", what("position"));
            }
            // The SDK's validateHash does not compare the root of a one-leaf proof; we do.
            let mut other_root = root;
            flip(&mut other_root, 0);
            let err = good.verify(&leaf, &other_root, p.index, leaves).expect_err(&what("root"));
            assert!(matches!(err, ProofError::RootMismatch { .. }), "{}: {err}", what("root"));
        }
    }
}

/// Segments whose every data bit is flipped.
const EVERY_DATA_BIT: usize = 2 * 1024;
/// Segments whose every lemma bit and path flag go through `verify_segment`.
const EVERY_PROOF_BIT: usize = 16 * 1024;
/// Full-size segments changed in depth: (file size, segment index).
const REPRESENTATIVE: [(u64, u64); 3] = [
    (262_144, 0),           // one full segment, a one-leaf tree
    (9 * (1 << 20) - 7, 35), // the last of 36, ending 7 bytes short: zero padding in the data
    (17 * 262_144, 16),     // the last data segment, beside a rear padding segment
];

/// Every answer changed as the doc comment says: `verify_segment` rejects it, for the right reason.
#[test]
fn every_answer_change_is_rejected() {
    // Two files are 262,144 bytes long (one whole segment, and 1024 whole chunks): the first one
    // found stands for both.
    let mut representatives = Vec::new();
    for c in cases() {
        let segments = c.layout.data_segments();
        for p in c.v.proofs.iter().filter(|p| p.index < segments) {
            let good = answer(c, p);
            let len = good.data.len();
            let deep = REPRESENTATIVE.contains(&(c.v.size, p.index)) && !representatives.contains(&(c.v.size, p.index));
            if deep {
                representatives.push((c.v.size, p.index));
            }
            let what = |w: &str| format!("{w}: segment {} of {} bytes", p.index, c.v.size);
            let rejects = |a: &SegmentWithProof, w: &str| -> SegmentFault {
                verify_segment(&c.v.root, &c.layout, p.index, a).expect_err(&what(w))
            };
            let k = p.index as usize;

            // One copy of the answer, changed and changed back for each try.
            let mut a = good.clone();

            // Lemma: every bit of each entry, eight bits, or one bit.
            let last = good.proof.lemma.len() - 1;
            for i in 0..=last {
                let bits: Vec<usize> = if len <= EVERY_PROOF_BIT {
                    (0..256).collect()
                } else if deep {
                    (0..8).map(|j| j * 32 + (i * 7 + j) % 32).collect()
                } else {
                    vec![(k * 37 + i) % 256]
                };
                for bit in bits {
                    flip(&mut a.proof.lemma[i], bit);
                    let err = rejects(&a, "lemma bit");
                    flip(&mut a.proof.lemma[i], bit);
                    match (i, err) {
                        (0, SegmentFault::Proof(ProofError::LeafMismatch { .. })) => {}
                        (i, SegmentFault::Proof(ProofError::RootMismatch { .. })) if i == last => {}
                        (i, SegmentFault::Proof(ProofError::PathMismatch { .. })) if i > 0 && i < last => {}
                        (_, e) => panic!("{}: {e}", what(&format!("lemma {i} bit {bit}"))),
                    }
                }
            }

            // Path: every flag.
            for i in 0..good.proof.path.len() {
                a.proof.path[i] = !a.proof.path[i];
                let err = rejects(&a, "path flag");
                a.proof.path[i] = !a.proof.path[i];
                assert!(matches!(err, SegmentFault::Proof(ProofError::PositionMismatch { .. })), "{}: {err}", what("path flag"));
            }

            // Index: this answer to a request for another segment, and relabelled as that segment.
            let mut others: Vec<u64> = [p.index ^ 1, p.index + 1, p.index.wrapping_sub(1)]
                .into_iter()
                .filter(|&o| o != p.index && o < segments)
                .collect();
            others.sort();
            others.dedup();
            for other in others {
                let err = verify_segment(&c.v.root, &c.layout, other, &good).expect_err(&what("asked another index"));
                assert!(matches!(err, SegmentFault::WrongIndex { .. }), "{}: {err}", what("asked another index"));
                a.index = other;
                let err = verify_segment(&c.v.root, &c.layout, other, &a).expect_err(&what("relabelled index"));
                a.index = p.index;
                assert!(
                    matches!(err, SegmentFault::Proof(ProofError::PositionMismatch { .. }) | SegmentFault::DataLength { .. }),
                    "{}: {err}",
                    what("relabelled index")
                );
            }

            // Root and file size claimed by the answer.
            flip(&mut a.root, 255);
            assert!(matches!(rejects(&a, "answer root"), SegmentFault::WrongRoot { .. }));
            flip(&mut a.root, 255);
            a.file_size += 1;
            assert!(matches!(rejects(&a, "file size"), SegmentFault::WrongFileSize { .. }));
            a.file_size -= 1;
            assert_eq!(a, good, "every change undone");

            // Data: every bit; or one bit per chunk and every bit of the last chunk; or one bit
            // per chunk and every bit of the zero padding; or one bit.
            let file_end = (c.v.size as usize).saturating_sub(p.index as usize * SEGMENT_SIZE).min(len);
            let bits: Vec<usize> = if len <= EVERY_DATA_BIT {
                (0..len * 8).collect()
            } else if len <= EVERY_PROOF_BIT || deep {
                let per_chunk = (0..len / CHUNK_SIZE).map(|ch| ch * CHUNK_SIZE * 8 + (ch * 613 + k) % (CHUNK_SIZE * 8));
                let tail_from = if deep { file_end * 8 } else { (len - CHUNK_SIZE) * 8 };
                per_chunk.chain(tail_from..len * 8).collect()
            } else {
                vec![(k * 7919 + 13) % (len * 8)]
            };
            assert!(!deep || bits.len() >= len / CHUNK_SIZE);
            for bit in bits {
                a.data[bit / 8] ^= 1 << (bit % 8);
                let err = rejects(&a, "data bit");
                a.data[bit / 8] ^= 1 << (bit % 8);
                assert!(
                    matches!(err, SegmentFault::Proof(ProofError::LeafMismatch { .. })),
                    "{}: {err}",
                    what(&format!("data bit {bit}"))
                );
            }

            // Data one chunk short or long.
            a.data.truncate(len - CHUNK_SIZE);
            assert!(matches!(rejects(&a, "short data"), SegmentFault::DataLength { .. }));
            a.data.resize(len + CHUNK_SIZE, 0);
            assert!(matches!(rejects(&a, "long data"), SegmentFault::DataLength { .. }));
        }
    }
    assert_eq!(representatives.len(), REPRESENTATIVE.len());
}
