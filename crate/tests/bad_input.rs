//! Untrusted answers: every malformed one is a typed error, never a panic; only an answer that
//! decodes and fails verification can make a node "misbehaving". Native and headless Chromium.

use zg_align::storage::check::SegmentRequest;
use zg_align::storage::rpc::{parse_response, Status, MAX_SEGMENT_RESPONSE_BYTES};
use zg_align::storage::{
    verify_segment, FileLayout, FileProof, ProofError, RpcError, SamplingPolicy, SegmentFault, SegmentTree, SegmentWithProof,
    StorageCheck, StorageVerdict, TransportError, UnreachableReason,
};
use zg_align::Hash32;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn file() -> (Vec<u8>, SegmentTree) {
    let data: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
    let tree = SegmentTree::from_file(&data).unwrap();
    (data, tree)
}

fn honest(data: &[u8], tree: &SegmentTree, index: u64) -> SegmentWithProof {
    let len = tree.layout().segment_data_len(index).unwrap();
    let start = index as usize * 256 * 1024;
    let mut bytes = data[start..(start + len).min(data.len())].to_vec();
    bytes.resize(len, 0);
    SegmentWithProof { root: tree.root(), data: bytes, index, proof: tree.proof(index).unwrap(), file_size: data.len() as u64 }
}

fn envelope(id: u64, result: &str) -> Vec<u8> {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{result}}}"#).into_bytes()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn malformed_answers_are_typed_errors() {
    let (data, tree) = file();
    let good = serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": 7, "result": honest(&data, &tree, 1).to_json()})).unwrap();
    assert!(SegmentWithProof::parse_response(&good, 7).unwrap().is_some());
    let parse = |body: &[u8]| SegmentWithProof::parse_response(body, 7);
    assert!(matches!(parse(b"{not json"), Err(RpcError::Malformed { .. })));
    assert!(matches!(parse(&good[..good.len() / 2]), Err(RpcError::Malformed { .. })));
    assert!(matches!(SegmentWithProof::parse_response(&good, 8), Err(RpcError::WrongId { expected: 8, .. })));
    assert!(matches!(parse(br#"{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"no"}}"#), Err(RpcError::Remote { code: -32000, .. })));
    assert!(matches!(parse(br#"{"jsonrpc":"2.0","id":7}"#), Err(RpcError::Malformed { .. })));
    assert_eq!(parse(&envelope(7, "null")), Ok(None));
    assert!(matches!(parse(&envelope(7, r#"{"root":"0x00"}"#)), Err(RpcError::Malformed { .. })));
    let with_data = |d: &str| {
        let root = tree.root();
        envelope(7, &format!(r#"{{"root":"{root}","data":"{d}","index":0,"proof":{{"lemma":["{root}"],"path":[]}},"fileSize":1}}"#))
    };
    assert!(matches!(parse(&with_data("!!!not-base64")), Err(RpcError::Base64 { .. })));
    let huge = "A".repeat(400_000);
    assert!(matches!(parse(&with_data(&huge)), Err(RpcError::DataTooLarge { .. })));
    let oversized = vec![b' '; MAX_SEGMENT_RESPONSE_BYTES + 1];
    assert!(matches!(parse(&oversized), Err(RpcError::TooLarge { .. })));
    assert!(matches!(parse_response::<Status>(&envelope(1, "{}"), 1, 1024), Err(RpcError::Malformed { .. })));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn wrong_segments_are_faults_with_what_was_expected() {
    let (data, tree) = file();
    let layout = FileLayout::new(data.len() as u64).unwrap();
    let root = tree.root();
    let good = honest(&data, &tree, 2);
    assert!(verify_segment(&root, &layout, 2, &good).is_ok());

    let mut truncated = good.clone();
    truncated.data.truncate(100);
    assert!(matches!(verify_segment(&root, &layout, 2, &truncated), Err(SegmentFault::DataLength { received: 100, .. })));
    let mut short_lemma = good.clone();
    short_lemma.proof.lemma.pop();
    assert!(matches!(verify_segment(&root, &layout, 2, &short_lemma), Err(SegmentFault::Proof(ProofError::Format { .. }))));
    let mut deep = good.clone();
    deep.proof = FileProof { lemma: vec![Hash32::ZERO; 67], path: vec![true; 65] };
    assert!(matches!(verify_segment(&root, &layout, 2, &deep), Err(SegmentFault::Proof(ProofError::TooDeep { .. }))));
    let other_root = Hash32([9; 32]);
    assert!(matches!(verify_segment(&other_root, &layout, 2, &good), Err(SegmentFault::WrongRoot { .. })));
    let mut forged_root = good.clone();
    *forged_root.proof.lemma.last_mut().unwrap() = other_root;
    assert!(matches!(verify_segment(&root, &layout, 2, &forged_root), Err(SegmentFault::Proof(ProofError::RootMismatch { .. }))));
    let mut size = good.clone();
    size.file_size += 1;
    assert!(matches!(verify_segment(&root, &layout, 2, &size), Err(SegmentFault::WrongFileSize { .. })));
}

/// Feeds one answer to a fresh check of the file and returns the verdict.
fn verdict_for(answer: impl Fn(&SegmentRequest) -> Result<Vec<u8>, TransportError>) -> StorageVerdict {
    let (_, tree) = file();
    let mut check = StorageCheck::new(tree.root(), 700_000, &SamplingPolicy::default(), [3; 32]).unwrap();
    while let Some(request) = check.next_request() {
        let a = answer(&request);
        check.on_answer(&request, a);
    }
    check.verdict().unwrap()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn only_verified_evidence_makes_a_node_misbehaving() {
    let (data, tree) = file();
    let ok = |r: &SegmentRequest| {
        let seg = honest(&data, &tree, r.index);
        Ok(serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": r.id, "result": seg.to_json()})).unwrap())
    };
    assert!(matches!(verdict_for(ok), StorageVerdict::Healthy { samples: 3, .. }));
    let unreachable = [
        verdict_for(|_| Err(TransportError::Timeout { ms: 1 })),
        verdict_for(|_| Err(TransportError::Connect { message: "refused".into() })),
        verdict_for(|_| Ok(b"<html>502</html>".to_vec())),
        verdict_for(|r| Ok(envelope(r.id, "null"))),
        verdict_for(|r| Ok(format!(r#"{{"jsonrpc":"2.0","id":{},"error":{{"code":1,"message":"x"}}}}"#, r.id).into_bytes())),
    ];
    for v in &unreachable {
        assert!(matches!(v, StorageVerdict::Unreachable { .. }), "{v:?}");
    }
    assert!(matches!(&unreachable[3], StorageVerdict::Unreachable { reason: UnreachableReason::Withheld { .. }, .. }));
    let corrupt = verdict_for(|r| {
        let mut seg = honest(&data, &tree, r.index);
        seg.data[10] ^= 0x80;
        Ok(serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": r.id, "result": seg.to_json()})).unwrap())
    });
    assert!(matches!(corrupt, StorageVerdict::Misbehaving { .. }), "{corrupt:?}");
}
