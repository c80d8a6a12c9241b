//! Our storage core against the official 0G TypeScript SDK.
//!
//! Vectors: tests/vectors/storage-sdk.json, made by tests/sdk/make-storage-vectors.mjs with
//! `@0glabs/0g-ts-sdk` 0.3.3 (`new MemData(bytes).merkleTree()`, `rootHash()`, `proofAt(i)`), its
//! roots also checked against `@0gfoundation/0g-ts-sdk` 1.2.8; tests/storage-sdk.test.mjs
//! regenerates them on every `make test` and fails if the file drifts from the SDK. The file
//! bytes are regenerated here with the same xorshift32. Runs natively and in headless Chromium.

use serde::Deserialize;
use zg_align::storage::{file_root, verify_segment, FileHasher, FileLayout, FileProof, SegmentTree, SegmentWithProof, SEGMENT_SIZE};
use zg_align::Hash32;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[derive(Deserialize)]
struct Vectors {
    files: Vec<FileVector>,
}

#[derive(Deserialize)]
struct FileVector {
    size: u64,
    seed: u32,
    root: Hash32,
    segments: u64,
    proofs: Vec<ProofVector>,
}

#[derive(Deserialize)]
struct ProofVector {
    index: u64,
    lemma: Vec<Hash32>,
    path: Vec<bool>,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("../../tests/vectors/storage-sdk.json")).expect("vectors parse")
}

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

fn answer(v: &FileVector, data: &[u8], layout: &FileLayout, p: &ProofVector) -> SegmentWithProof {
    SegmentWithProof {
        root: v.root,
        data: served(data, layout, p.index),
        index: p.index,
        proof: FileProof { lemma: p.lemma.clone(), path: p.path.clone() },
        file_size: v.size,
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn roots_and_proofs_equal_the_sdk() {
    for v in vectors().files {
        let data = xorshift_bytes(v.size as usize, v.seed);
        assert_eq!(file_root(&data).unwrap(), v.root, "root of {} bytes", v.size);
        let mut streamed = FileHasher::new();
        data.chunks(99_991).for_each(|piece| streamed.update(piece));
        assert_eq!(streamed.finalize().unwrap(), v.root, "streamed root of {} bytes", v.size);
        let tree = SegmentTree::from_file(&data).unwrap();
        assert_eq!(tree.layout().padded_segments(), v.segments, "leaves of {} bytes", v.size);
        for p in &v.proofs {
            let ours = tree.proof(p.index).unwrap();
            assert_eq!((&ours.lemma, &ours.path), (&p.lemma, &p.path), "proof {} of {} bytes", p.index, v.size);
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_sdk_proof_of_data_is_accepted() {
    for v in vectors().files {
        let data = xorshift_bytes(v.size as usize, v.seed);
        let layout = FileLayout::new(v.size).unwrap();
        for p in v.proofs.iter().filter(|p| p.index < layout.data_segments()) {
            let a = answer(&v, &data, &layout, p);
            verify_segment(&v.root, &layout, p.index, &a).unwrap_or_else(|e| panic!("segment {} of {} bytes: {e}", p.index, v.size));
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_single_bit_change_is_rejected() {
    for v in vectors().files.iter().filter(|v| v.size <= 5 * 1024 * 1024) {
        let data = xorshift_bytes(v.size as usize, v.seed);
        let layout = FileLayout::new(v.size).unwrap();
        let last = layout.data_segments() - 1;
        for p in v.proofs.iter().filter(|p| p.index <= last) {
            let good = answer(v, &data, &layout, p);
            // Each bit flip re-hashes the segment: every bit for the first and the last data
            // segment (the last one has the padding), paths and indices for all.
            let every_bit = p.index == 0 || p.index == last;
            let rejects = |a: &SegmentWithProof, what: &str| {
                assert!(verify_segment(&v.root, &layout, p.index, a).is_err(), "{what}: segment {} of {} bytes", p.index, v.size);
            };
            // Every bit of every lemma entry (one per byte for full 256 KiB segments, whose
            // re-hashing dominates the run).
            let lemma_step = if good.data.len() <= 64 * 1024 { 1 } else { 8 };
            for i in (0..good.proof.lemma.len()).filter(|_| every_bit) {
                for bit in (0..256).filter(|b| lemma_step == 1 || b % 8 == i % 8) {
                    let mut a = good.clone();
                    a.proof.lemma[i].0[bit / 8] ^= 1 << (bit % 8);
                    rejects(&a, "lemma bit");
                }
            }
            // Every path flag.
            for i in 0..good.proof.path.len() {
                let mut a = good.clone();
                a.proof.path[i] = !a.proof.path[i];
                rejects(&a, "path flag");
            }
            // Another index, claimed by the answer or asked for.
            for other in [p.index ^ 1, p.index + 1, p.index.wrapping_sub(1)] {
                if other != p.index && other < layout.data_segments() {
                    let mut a = good.clone();
                    a.index = other;
                    rejects(&a, "index");
                    assert!(verify_segment(&v.root, &layout, other, &good).is_err(), "asked {other}, got {}", p.index);
                }
            }
            // Data: every bit of small segments, one bit in every chunk of large ones.
            let bits = good.data.len() * 8;
            let step = if bits <= 64 * 1024 { 1 } else { 256 * 8 + 13 };
            for bit in (0..bits).step_by(step).filter(|_| every_bit) {
                let mut a = good.clone();
                a.data[bit / 8] ^= 1 << (bit % 8);
                rejects(&a, "data bit");
            }
        }
    }
}
