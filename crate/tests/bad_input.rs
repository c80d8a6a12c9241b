//! Untrusted answers: every malformed one is a typed error (`RpcError`, `SegmentFault`,
//! `ProofError`), never a panic; only an answer that decodes and fails verification can make a
//! node "misbehaving"; no answer, a null, an error object or undecodable bytes make it
//! "unreachable". Runs natively and in headless Chromium.

use std::sync::OnceLock;
use zg_align::hash::{keccak256, parent, zero_hash};
use zg_align::storage::check::SegmentRequest;
use zg_align::storage::layout::SEGMENT_TREE_HEIGHT;
use zg_align::storage::rpc::{parse_response, FileInfo, Status, MAX_SEGMENT_RESPONSE_BYTES, MAX_SMALL_RESPONSE_BYTES};
use zg_align::storage::{
    verify_segment, FileLayout, FileProof, ProofError, RpcError, SamplingPolicy, SegmentFault, SegmentTree, SegmentWithProof,
    StorageCheck, StorageVerdict, TransportError, UnreachableReason, CHUNK_SIZE, SEGMENT_SIZE,
};
use zg_align::Hash32;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SIZE: usize = 700_000; // three segments, the last one short

/// A file of 2.67 segments and its tree, built once.
fn file() -> &'static (Vec<u8>, SegmentTree) {
    static FILE: OnceLock<(Vec<u8>, SegmentTree)> = OnceLock::new();
    FILE.get_or_init(|| {
        let data: Vec<u8> = (0..SIZE as u32).map(|i| (i % 251) as u8).collect();
        let tree = SegmentTree::from_file(&data).unwrap();
        (data, tree)
    })
}

/// Segment `index` as an honest node serves it.
fn honest(data: &[u8], tree: &SegmentTree, index: u64) -> SegmentWithProof {
    let len = tree.layout().segment_data_len(index).unwrap();
    let start = index as usize * SEGMENT_SIZE;
    let mut bytes = data[start..(start + len).min(data.len())].to_vec();
    bytes.resize(len, 0);
    SegmentWithProof { root: tree.root(), data: bytes, index, proof: tree.proof(index).unwrap(), file_size: data.len() as u64 }
}

fn envelope(id: u64, result: &str) -> Vec<u8> {
    format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{result}}}"#).into_bytes()
}

fn body(id: u64, segment: &SegmentWithProof) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": id, "result": segment.to_json()})).unwrap()
}

/// A segment answer with its fields written out, to break one at a time.
fn segment_json(root: &str, data: &str, index: &str, lemma: &str, path: &str, file_size: &str) -> String {
    format!(r#"{{"root":{root},"data":{data},"index":{index},"proof":{{"lemma":{lemma},"path":{path}}},"fileSize":{file_size}}}"#)
}

#[test]
fn malformed_envelopes_are_typed_errors() {
    let (data, tree) = file();
    let good = body(7, &honest(data, tree, 1));
    let parse = |body: &[u8]| SegmentWithProof::parse_response(body, 7);
    assert!(parse(&good).unwrap().is_some());

    let malformed: [&[u8]; 14] = [
        b"",
        b"{not json",
        b"<html>502 Bad Gateway</html>",
        b"null",
        b"[]",
        b"42",
        br#""result""#,
        b"\xff\xfe\x00garbage",
        br#"{"jsonrpc":"2.0","id":7}"#,
        br#"{"jsonrpc":"2.0","result":null}"#,
        br#"{"jsonrpc":"2.0","id":7,"error":{"code":"x","message":"no"}}"#,
        br#"{"jsonrpc":"2.0","id":7,"error":{"message":"no code"}}"#,
        br#"{"jsonrpc":"2.0","id":7,"result":{"root":"0x00"}}"#,
        br#"{"jsonrpc":"2.0","id":7,"result":[1,2,3]}"#,
    ];
    for bad in malformed {
        assert!(matches!(parse(bad), Err(RpcError::Malformed { .. })), "{:?}: {:?}", String::from_utf8_lossy(bad), parse(bad));
    }
    // Nesting far deeper than the JSON parser's recursion limit: an error or an ignored field,
    // never a stack overflow.
    let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let deep_id = format!(r#"{{"jsonrpc":"2.0","id":{},"result":null}}"#, nest(100_000));
    // (The id is read as text, not parsed: an id nested that deep is just not ours.)
    assert!(matches!(parse(deep_id.as_bytes()), Err(RpcError::Malformed { .. } | RpcError::WrongId { .. })));
    let deep_result = format!(r#"{{"jsonrpc":"2.0","id":7,"result":{}}}"#, nest(100_000));
    assert!(matches!(parse(deep_result.as_bytes()), Err(RpcError::Malformed { .. })));
    let deep_extra = format!(r#"{{"jsonrpc":"2.0","id":7,"result":null,"extra":{}}}"#, nest(100_000));
    assert!(matches!(parse(deep_extra.as_bytes()), Ok(None) | Err(RpcError::Malformed { .. })));

    for id in ["8", "\"7\"", "null", "-7", "7.5", "{}"] {
        let other = format!(r#"{{"jsonrpc":"2.0","id":{id},"result":null}}"#);
        assert!(matches!(parse(other.as_bytes()), Err(RpcError::WrongId { expected: 7, .. })), "id {id}");
    }
    assert!(matches!(SegmentWithProof::parse_response(&good, 8), Err(RpcError::WrongId { expected: 8, .. })));

    let remote = parse(br#"{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"segment not found"}}"#);
    assert!(matches!(remote, Err(RpcError::Remote { code: -32000, .. })), "{remote:?}");
    // An error object wins over a result next to it; its message is cut to 200 characters.
    let both = format!(r#"{{"jsonrpc":"2.0","id":7,"result":null,"error":{{"code":1,"message":"{}"}}}}"#, "x".repeat(10_000));
    match parse(both.as_bytes()) {
        Err(RpcError::Remote { code: 1, message }) => assert_eq!(message.len(), 200),
        other => panic!("{other:?}"),
    }

    assert_eq!(parse(&envelope(7, "null")), Ok(None));

    let oversized = vec![b' '; MAX_SEGMENT_RESPONSE_BYTES + 1];
    assert!(matches!(parse(&oversized), Err(RpcError::TooLarge { received, .. }) if received == MAX_SEGMENT_RESPONSE_BYTES + 1));
    let big_status = vec![b' '; MAX_SMALL_RESPONSE_BYTES + 1];
    assert!(matches!(parse_response::<Status>(&big_status, 1, MAX_SMALL_RESPONSE_BYTES), Err(RpcError::TooLarge { .. })));
    assert!(matches!(parse_response::<Status>(&envelope(1, "{}"), 1, MAX_SMALL_RESPONSE_BYTES), Err(RpcError::Malformed { .. })));
    assert!(matches!(parse_response::<FileInfo>(&envelope(1, r#"{"tx":1}"#), 1, MAX_SMALL_RESPONSE_BYTES), Err(RpcError::Malformed { .. })));
    assert_eq!(parse_response::<FileInfo>(&envelope(1, "null"), 1, MAX_SMALL_RESPONSE_BYTES), Ok(None));
}

#[test]
fn malformed_segments_are_typed_errors() {
    let (_, tree) = file();
    let parse = |result: String| SegmentWithProof::parse_response(&envelope(7, &result), 7);
    let root = format!("\"{}\"", tree.root());
    let lemma = format!("[{root}]");
    let ok = parse(segment_json(&root, "\"AAAA\"", "0", &lemma, "[]", "1")).unwrap().unwrap();
    assert_eq!(ok.data, vec![0, 0, 0]);

    // Fields of the wrong type or out of range.
    let short_hash = "\"0x1234\"";
    let no_prefix = format!("\"{}\"", "ab".repeat(32));
    let cases = [
        segment_json(short_hash, "\"AAAA\"", "0", &lemma, "[]", "1"),
        segment_json(&no_prefix, "\"AAAA\"", "0", &lemma, "[]", "1"),
        segment_json(&root, "7", "0", &lemma, "[]", "1"),
        segment_json(&root, "null", "0", &lemma, "[]", "1"),
        segment_json(&root, "\"AAAA\"", "-1", &lemma, "[]", "1"),
        segment_json(&root, "\"AAAA\"", "18446744073709551616", &lemma, "[]", "1"),
        segment_json(&root, "\"AAAA\"", "\"0\"", &lemma, "[]", "1"),
        segment_json(&root, "\"AAAA\"", "0", &root, "[]", "1"),
        segment_json(&root, "\"AAAA\"", "0", &format!("[{short_hash}]"), "[]", "1"),
        segment_json(&root, "\"AAAA\"", "0", &lemma, "[1]", "1"),
        segment_json(&root, "\"AAAA\"", "0", &lemma, "\"left\"", "1"),
        segment_json(&root, "\"AAAA\"", "0", &lemma, "[]", "\"1\""),
        segment_json(&root, "\"AAAA\"", "0", &lemma, "[]", "1.5"),
        r#"{"root":null}"#.to_string(),
    ];
    for case in cases {
        assert!(matches!(parse(case.clone()), Err(RpcError::Malformed { .. })), "{case}: {:?}", parse(case.clone()));
    }

    // Data that is not standard padded base64.
    for bad in ["!!!not-base64", "AAA", "AA==AA==", "AA A", "AAAA\\n", "-_-_", "A==="] {
        let r = parse(segment_json(&root, &format!("\"{bad}\""), "0", &lemma, "[]", "1"));
        assert!(matches!(r, Err(RpcError::Base64 { .. })), "{bad}: {r:?}");
    }

    // Data sizes: a full segment reads, one byte more does not (checked before decoding when the
    // base64 alone says so, and after).
    let b64 = |len: usize| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(vec![0x5a; len])
    };
    let full = parse(segment_json(&root, &format!("\"{}\"", b64(SEGMENT_SIZE)), "0", &lemma, "[]", "1"));
    assert_eq!(full.unwrap().unwrap().data.len(), SEGMENT_SIZE);
    for len in [SEGMENT_SIZE + 1, SEGMENT_SIZE + 3, SEGMENT_SIZE + 4, SEGMENT_SIZE + 64] {
        let r = parse(segment_json(&root, &format!("\"{}\"", b64(len)), "0", &lemma, "[]", "1"));
        assert!(matches!(r, Err(RpcError::DataTooLarge { limit: SEGMENT_SIZE, .. })), "{len} bytes: {r:?}");
    }
    let huge = parse(segment_json(&root, &format!("\"{}\"", "A".repeat(400_000)), "0", &lemma, "[]", "1"));
    assert!(matches!(huge, Err(RpcError::DataTooLarge { .. })), "{huge:?}");
}

/// Every prefix and thousands of one-byte changes of a real answer: each reads as a segment or
/// gives a typed error, and no prefix of it reads at all.
#[test]
fn cut_and_mangled_answers_never_panic() {
    let data = vec![0x42u8; 3000];
    let tree = SegmentTree::from_file(&data).unwrap();
    let good = body(3, &honest(&data, &tree, 0));
    assert!(SegmentWithProof::parse_response(&good, 3).unwrap().is_some());
    for cut in 0..good.len() {
        assert!(SegmentWithProof::parse_response(&good[..cut], 3).is_err(), "prefix of {cut} bytes");
    }
    let layout = FileLayout::new(3000).unwrap();
    for at in 0..good.len() {
        for byte in [b'"', b'0', b'}', b'\\', 0xff] {
            let mut bad = good.clone();
            bad[at] = byte;
            if let Ok(Some(segment)) = SegmentWithProof::parse_response(&bad, 3) {
                // Decoded: the verifier decides, without panicking either.
                let _ = verify_segment(&tree.root(), &layout, 0, &segment);
            }
        }
    }
}

#[test]
fn wrong_segments_are_faults_with_what_was_expected() {
    let (data, tree) = file();
    let layout = FileLayout::new(data.len() as u64).unwrap();
    let root = tree.root();
    let good = honest(data, tree, 2);
    assert!(verify_segment(&root, &layout, 2, &good).is_ok());
    let check = |a: &SegmentWithProof| verify_segment(&root, &layout, 2, a);

    let other_root = Hash32([9; 32]);
    assert_eq!(verify_segment(&other_root, &layout, 2, &good), Err(SegmentFault::WrongRoot { expected: other_root, received: root }));
    assert_eq!(verify_segment(&root, &layout, 1, &good), Err(SegmentFault::WrongIndex { expected: 1, received: 2 }));
    let mut a = good.clone();
    a.file_size += 1;
    assert_eq!(check(&a), Err(SegmentFault::WrongFileSize { expected: SIZE as u64, received: SIZE as u64 + 1 }));

    // Data cut short, one byte short of a chunk, or longer than the file.
    let expected = good.data.len();
    for len in [0, 100, expected - 1, expected + 1, expected + CHUNK_SIZE, SEGMENT_SIZE] {
        let mut a = good.clone();
        a.data.resize(len, 0);
        assert_eq!(check(&a), Err(SegmentFault::DataLength { expected, received: len }));
    }

    // Proofs of the wrong shape: each is a format error, whatever the data.
    let depth = good.proof.path.len();
    assert!(depth >= 1);
    let shapes = [(0, 0), (1, 1), (depth + 1, depth), (depth + 3, depth), (depth + 2, depth + 1), (2, 0), (depth + 2, depth - 1)];
    for (lemma, path) in shapes {
        let mut a = good.clone();
        a.proof = FileProof { lemma: vec![root; lemma], path: vec![true; path] };
        assert_eq!(check(&a), Err(SegmentFault::Proof(ProofError::Format { lemma, path })), "{lemma} lemma entries, {path} path bits");
    }
    // Deeper than any 0G tree: refused before anything is hashed.
    for path in [65, 66, 1000] {
        let mut a = good.clone();
        a.proof = FileProof { lemma: vec![Hash32::ZERO; path + 2], path: vec![true; path] };
        assert_eq!(check(&a), Err(SegmentFault::Proof(ProofError::TooDeep { path, max: 64 })));
    }

    // A true proof of another segment, of another file, and a lemma claiming another root.
    let mut a = good.clone();
    a.proof = tree.proof(0).unwrap();
    assert!(matches!(check(&a), Err(SegmentFault::Proof(ProofError::LeafMismatch { .. }))));
    let other = SegmentTree::from_file(&vec![1u8; SIZE]).unwrap();
    let mut a = good.clone();
    a.proof = other.proof(2).unwrap();
    assert!(matches!(check(&a), Err(SegmentFault::Proof(ProofError::LeafMismatch { .. }))));
    let mut a = good.clone();
    *a.proof.lemma.last_mut().unwrap() = other_root;
    assert_eq!(check(&a), Err(SegmentFault::Proof(ProofError::RootMismatch { expected: root, received: other_root })));
    let mut a = good.clone();
    a.proof.path[0] = !a.proof.path[0];
    assert!(matches!(check(&a), Err(SegmentFault::Proof(ProofError::PositionMismatch { expected: 2, .. }))));
    let mut a = good.clone();
    a.proof.lemma[1] = other_root;
    assert!(matches!(check(&a), Err(SegmentFault::Proof(ProofError::PathMismatch { .. }))));
}

/// A tree whose rear padding segment is not zero: the proof of the last data segment hashes to
/// that tree's root, but its padding sibling is refused, as 0g-storage-node refuses it.
#[test]
fn non_zero_rear_padding_is_refused() {
    let size = 16 * SEGMENT_SIZE + CHUNK_SIZE; // 17 data segments, 18 leaves
    let data: Vec<u8> = (0..size as u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let honest_tree = SegmentTree::from_file(&data).unwrap();
    let layout = *honest_tree.layout();
    assert_eq!((layout.data_segments(), layout.padded_segments()), (17, 18));
    let padding = zero_hash(SEGMENT_TREE_HEIGHT);
    assert_eq!(honest_tree.segment_root(17), Some(padding));

    let forged = keccak256(b"not a zero segment");
    let mut leaves: Vec<Hash32> = (0..17).map(|i| honest_tree.segment_root(i).unwrap()).collect();
    leaves.push(forged);
    // 18 leaves: a perfect subtree over 0..16, then parent(leaf 16, leaf 17).
    let mut level = leaves[..16].to_vec();
    while level.len() > 1 {
        level = level.chunks(2).map(|p| parent(&p[0], &p[1])).collect();
    }
    let (left16, right) = (level[0], parent(&leaves[16], &forged));
    let forged_root = parent(&left16, &right);
    let proof = FileProof { lemma: vec![leaves[16], forged, left16, forged_root], path: vec![true, false] };
    let answer = SegmentWithProof {
        root: forged_root,
        data: data[16 * SEGMENT_SIZE..].to_vec(),
        index: 16,
        proof: proof.clone(),
        file_size: size as u64,
    };
    assert_eq!(proof.verify(&leaves[16], &forged_root, 16, 18), Ok(()));
    assert_eq!(
        verify_segment(&forged_root, &layout, 16, &answer),
        Err(SegmentFault::RearPadding { expected: padding, received: forged })
    );
    // The same proof with the zero segment in its place is the honest one.
    let mut honest_answer = honest(&data, &honest_tree, 16);
    assert_eq!(honest_answer.proof.lemma[1], padding);
    assert!(verify_segment(&honest_tree.root(), &layout, 16, &honest_answer).is_ok());
    honest_answer.proof.lemma[1] = forged;
    assert!(matches!(
        verify_segment(&honest_tree.root(), &layout, 16, &honest_answer),
        Err(SegmentFault::Proof(ProofError::PathMismatch { .. }))
    ));
}

/// Feeds every request of a fresh check of the file the answer `answer` gives, and returns the
/// verdict.
fn verdict_for(answer: impl Fn(&SegmentRequest) -> Result<Vec<u8>, TransportError>) -> StorageVerdict {
    let (_, tree) = file();
    let mut check = StorageCheck::new(tree.root(), SIZE as u64, &SamplingPolicy::default(), [3; 32]).unwrap();
    assert_eq!(check.plan().len(), 3);
    while let Some(request) = check.next_request() {
        let a = answer(&request);
        check.on_answer(&request, a);
    }
    assert!(check.is_settled());
    check.verdict().unwrap()
}

/// The honest answer to `r`, changed by `change`.
fn changed(r: &SegmentRequest, change: impl Fn(&mut SegmentWithProof)) -> Result<Vec<u8>, TransportError> {
    let (data, tree) = file();
    let mut segment = honest(data, tree, r.index);
    change(&mut segment);
    Ok(body(r.id, &segment))
}

#[test]
fn only_verified_evidence_makes_a_node_misbehaving() {
    assert!(matches!(verdict_for(|r| changed(r, |_| {})), StorageVerdict::Healthy { samples: 3, .. }));

    // No usable answer: unreachable, whatever the reason.
    let transport = [
        TransportError::Timeout { ms: 1 },
        TransportError::Connect { message: "refused".into() },
        TransportError::Status { status: 502 },
        TransportError::TooLarge { limit: MAX_SEGMENT_RESPONSE_BYTES },
        TransportError::Refused { code: 3, message: "no route".into() },
    ];
    for error in transport {
        let v = verdict_for(|_| Err(error.clone()));
        assert!(matches!(&v, StorageVerdict::Unreachable { reason: UnreachableReason::Transport { error: e, .. }, .. } if *e == error), "{v:?}");
    }
    let v = verdict_for(|r| Ok(envelope(r.id, "null")));
    assert!(matches!(v, StorageVerdict::Unreachable { reason: UnreachableReason::Withheld { .. }, .. }), "{v:?}");

    type Undecodable = (fn(&SegmentRequest) -> Vec<u8>, fn(&RpcError) -> bool);
    let undecodable: [Undecodable; 8] = [
        (|_| b"<html>502</html>".to_vec(), |e| matches!(e, RpcError::Malformed { .. })),
        (|r| body(r.id, &honest(&file().0, &file().1, r.index))[..100].to_vec(), |e| matches!(e, RpcError::Malformed { .. })),
        (|r| format!(r#"{{"jsonrpc":"2.0","id":{}}}"#, r.id).into_bytes(), |e| matches!(e, RpcError::Malformed { .. })),
        (|r| body(r.id + 100, &honest(&file().0, &file().1, r.index)), |e| matches!(e, RpcError::WrongId { .. })),
        (
            |r| format!(r#"{{"jsonrpc":"2.0","id":{},"error":{{"code":-32000,"message":"x"}}}}"#, r.id).into_bytes(),
            |e| matches!(e, RpcError::Remote { code: -32000, .. }),
        ),
        (|_| vec![b' '; MAX_SEGMENT_RESPONSE_BYTES + 1], |e| matches!(e, RpcError::TooLarge { .. })),
        (
            |r| {
                let mut v: serde_json::Value = serde_json::from_slice(&body(r.id, &honest(&file().0, &file().1, r.index))).unwrap();
                v["result"]["data"] = "%%%".into();
                serde_json::to_vec(&v).unwrap()
            },
            |e| matches!(e, RpcError::Base64 { .. }),
        ),
        (
            |r| {
                let mut segment = honest(&file().0, &file().1, r.index);
                segment.data = vec![0; SEGMENT_SIZE + 1];
                body(r.id, &segment)
            },
            |e| matches!(e, RpcError::DataTooLarge { .. }),
        ),
    ];
    for (i, (answer, kind)) in undecodable.into_iter().enumerate() {
        let v = verdict_for(|r| Ok(answer(r)));
        match &v {
            StorageVerdict::Unreachable { reason: UnreachableReason::BadAnswer { error, .. }, .. } => assert!(kind(error), "case {i}: {error}"),
            v => panic!("case {i}: {v:?}"),
        }
    }

    // Decodable answers that do not verify: misbehaving, with the fault and the answer's hash.
    type Fault = (fn(&mut SegmentWithProof), fn(&SegmentFault) -> bool);
    let faults: [Fault; 8] = [
        (|s| s.data[10] ^= 0x80, |f| matches!(f, SegmentFault::Proof(ProofError::LeafMismatch { .. }))),
        (|s| s.data.truncate(CHUNK_SIZE), |f| matches!(f, SegmentFault::DataLength { .. })),
        (|s| s.index ^= 1, |f| matches!(f, SegmentFault::WrongIndex { .. })),
        (|s| s.root = Hash32([1; 32]), |f| matches!(f, SegmentFault::WrongRoot { .. })),
        (|s| s.file_size = 1, |f| matches!(f, SegmentFault::WrongFileSize { .. })),
        (|s| { s.proof.lemma.pop(); }, |f| matches!(f, SegmentFault::Proof(ProofError::Format { .. }))),
        (
            |s| s.proof = FileProof { lemma: vec![Hash32::ZERO; 67], path: vec![false; 65] },
            |f| matches!(f, SegmentFault::Proof(ProofError::TooDeep { .. })),
        ),
        (|s| s.proof.path[0] = !s.proof.path[0], |f| matches!(f, SegmentFault::Proof(ProofError::PositionMismatch { .. }))),
    ];
    for (i, (change, kind)) in faults.into_iter().enumerate() {
        let v = verdict_for(|r| changed(r, change));
        match &v {
            StorageVerdict::Misbehaving { evidence } => {
                assert!(kind(&evidence.fault), "case {i}: {}", evidence.fault);
                assert_eq!(evidence.answer_keccak, keccak256(&changed(&request_for(evidence.index), change).unwrap()));
            }
            v => panic!("case {i}: {v:?}"),
        }
    }
}

/// The request a fresh check makes first for `index` (ids count from 1 in plan order).
fn request_for(index: u64) -> SegmentRequest {
    let (_, tree) = file();
    let mut check = StorageCheck::new(tree.root(), SIZE as u64, &SamplingPolicy::default(), [3; 32]).unwrap();
    std::iter::from_fn(|| check.next_request()).find(|r| r.index == index).unwrap()
}

#[test]
fn evidence_outranks_a_later_failure_to_answer() {
    // The first sampled segment is corrupt, the others never come: still misbehaving.
    let first = std::cell::Cell::new(true);
    let v = verdict_for(|r| {
        if first.replace(false) {
            changed(r, |s| s.data[0] ^= 1)
        } else {
            Err(TransportError::Timeout { ms: 1 })
        }
    });
    assert!(matches!(v, StorageVerdict::Misbehaving { .. }), "{v:?}");

    // Feeding answers out of order: a null, then evidence, then a time-out.
    let (_, tree) = file();
    let mut check = StorageCheck::new(tree.root(), SIZE as u64, &SamplingPolicy::default(), [3; 32]).unwrap();
    let requests: Vec<SegmentRequest> = std::iter::from_fn(|| check.next_request()).collect();
    assert_eq!(requests.len(), 3);
    check.on_answer(&requests[0], Ok(envelope(requests[0].id, "null")));
    assert!(matches!(check.verdict(), Some(StorageVerdict::Unreachable { .. })));
    check.on_answer(&requests[1], changed(&requests[1], |s| s.data[5] ^= 4));
    check.on_answer(&requests[2], Err(TransportError::Timeout { ms: 1 }));
    assert!(matches!(check.verdict(), Some(StorageVerdict::Misbehaving { .. })));
    assert_eq!(
        StorageVerdict::combine([
            StorageVerdict::Healthy { root: tree.root(), samples: 3 },
            check.verdict().unwrap(),
            StorageVerdict::Unreachable { root: tree.root(), reason: UnreachableReason::Withheld { index: 0 } },
        ])
        .unwrap()
        .name(),
        "misbehaving"
    );
}
