//! An accusation checked again from its own JSON, by anyone, offline: the verdict as the node
//! emitted it (and as a signed report's evidence hash covers it) holds everything needed. The
//! devnet's CLI (`zg-align-devnet verify evidence FILE.json`) wraps this; a third party needs
//! nothing else. docs/trust.md says which verdicts carry which evidence.
//!
//! - storage (`misbehaving` or `unverifiable`): the node's JSON-RPC answer verbatim, checked
//!   against the file's root, size and index; the same fault must come out.
//! - serving (`misbehaving`): the request and the raw response, the signature record (the signer
//!   recovered from it is printed, to be compared with the provider's registered TEE signer on
//!   chain), the completion's text, and the canary re-run.
//! - validator (`misbehaving`): each equivocation in full (chain id, profile, the key as the chain
//!   writes it, both votes): the key must hash to the address and have signed both votes, for
//!   different blocks at one height, round and type.
//! - DA certificate (`misbehaving` or `unverifiable`): the certificate as submitted and the quorum
//!   it was counted against (slots and keys, as DASigners gave them at its epoch): the chain's
//!   count and the aggregate signature are checked again and the same fault must come out; the
//!   quorum and the transaction are printed, to be compared with the chain.

use crate::cometbft::EquivocationClaim;
use crate::da::{verify_quorum_cert, CertFault, QuorumCert, QuorumEvidence};
use crate::hash::{keccak256, Hash32};
use crate::serving::exchange::{completion, decoded_body, ChatExchange};
use crate::serving::model::TinyModel;
use crate::serving::round::RERUNNABLE_MODELS;
use crate::serving::signature::{parse_signature, recover_personal, signed_text};
use crate::storage::layout::FileLayout;
use crate::storage::rpc::SegmentWithProof;
use crate::storage::segment::verify_segment;
use base64::Engine;
use serde_json::Value;

/// What checking the evidence again found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recheck {
    /// Whether the accusation holds on its evidence.
    pub holds: bool,
    /// Why, in words.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("not a verdict with evidence: {0}")]
    Malformed(String),
    #[error("{kind} verdicts carry no evidence this tool rechecks (storage, serving, validator and da do)")]
    Unsupported { kind: String },
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a Value, EvidenceError> {
    v.get(name).ok_or_else(|| EvidenceError::Malformed(format!("no `{name}`")))
}

fn text<'a>(v: &'a Value, name: &str) -> Result<&'a str, EvidenceError> {
    field(v, name)?.as_str().ok_or_else(|| EvidenceError::Malformed(format!("`{name}` is not a string")))
}

fn holds(why: String) -> Result<Recheck, EvidenceError> {
    Ok(Recheck { holds: true, why })
}

fn fails(why: String) -> Result<Recheck, EvidenceError> {
    Ok(Recheck { holds: false, why })
}

/// Checks the accusation in `verdict` (a verdict of `kind` as the node emits it) again.
pub fn recheck(kind: &str, verdict: &Value) -> Result<Recheck, EvidenceError> {
    let name = text(verdict, "verdict")?;
    let evidence = field(verdict, "evidence")?;
    match (kind, name) {
        ("storage", "misbehaving" | "unverifiable") => recheck_storage(evidence),
        ("serving", "misbehaving") => recheck_serving(evidence),
        ("validator", "misbehaving") => recheck_validator(evidence),
        ("da", "misbehaving" | "unverifiable") => recheck_da_certificate(evidence),
        ("storage" | "serving" | "validator" | "da", other) => Err(EvidenceError::Malformed(format!("a {other} verdict accuses nobody"))),
        (other, _) => Err(EvidenceError::Unsupported { kind: other.into() }),
    }
}

fn recheck_storage(e: &Value) -> Result<Recheck, EvidenceError> {
    let root: Hash32 = text(e, "root")?.parse().map_err(|_| EvidenceError::Malformed("`root` is not 32 bytes of hex".into()))?;
    let size = field(e, "fileSize")?.as_u64().ok_or_else(|| EvidenceError::Malformed("`fileSize` is not a number".into()))?;
    let index = field(e, "index")?.as_u64().ok_or_else(|| EvidenceError::Malformed("`index` is not a number".into()))?;
    let answer = text(e, "answer")?;
    let claimed = field(e, "fault")?;
    if keccak256(answer.as_bytes()).to_hex() != text(e, "answerKeccak")? {
        return fails("the answer is not the one whose keccak the verdict holds".into());
    }
    let layout = FileLayout::new(size).map_err(|e| EvidenceError::Malformed(format!("file size: {e}")))?;
    let id = serde_json::from_str::<Value>(answer).ok().and_then(|v| v["id"].as_u64()).ok_or_else(|| EvidenceError::Malformed("the answer has no numeric id".into()))?;
    let segment = match SegmentWithProof::parse_response(answer.as_bytes(), id) {
        Ok(Some(segment)) => segment,
        Ok(None) => return fails("the answer holds no segment (null): a withheld segment, not a wrong one".into()),
        Err(error) => return fails(format!("the answer is not a segment with proof ({error}): unreadable, not wrong")),
    };
    match verify_segment(&root, &layout, index, &segment) {
        Ok(_) => fails(format!("segment {index} of file {root} verifies against its root")),
        Err(fault) if serde_json::to_value(&fault).ok().as_ref() == Some(claimed) => holds(format!("segment {index} of file {root} fails: {fault}")),
        Err(fault) => holds(format!("segment {index} of file {root} fails, with another fault than the verdict says: {fault}")),
    }
}

fn recheck_validator(e: &Value) -> Result<Recheck, EvidenceError> {
    let claims: Vec<EquivocationClaim> = serde_json::from_value(e.clone()).map_err(|e| EvidenceError::Malformed(format!("equivocations: {e}")))?;
    if claims.is_empty() {
        return Err(EvidenceError::Malformed("no equivocation in the evidence".into()));
    }
    let mut proven = Vec::new();
    for claim in &claims {
        let offence = format!("{} at height {} round {}", claim.validator.address, claim.vote_a.height, claim.vote_a.round);
        match claim.check() {
            None => return Err(EvidenceError::Malformed(format!("unknown chain profile {:?}", claim.profile.name))),
            Some(Err(why)) => return fails(format!("{offence} on {}: {why}", claim.chain_id)),
            Some(Ok(())) => proven.push(offence),
        }
    }
    holds(format!("{} signed two votes for different blocks on {}: {}", claims[0].validator.address, claims[0].chain_id, proven.join("; ")))
}

fn recheck_da_certificate(e: &Value) -> Result<Recheck, EvidenceError> {
    let cert: QuorumCert = serde_json::from_value(field(e, "certificate")?.clone()).map_err(|e| EvidenceError::Malformed(format!("certificate: {e}")))?;
    let quorum: QuorumEvidence = serde_json::from_value(field(e, "quorum")?.clone()).map_err(|e| EvidenceError::Malformed(format!("quorum: {e}")))?;
    let claimed = field(e, "fault")?;
    if text(claimed, "kind")? == "dataRootMismatch" {
        return Err(EvidenceError::Malformed("a data root mismatch needs the blob's coset roots, which the evidence does not carry".into()));
    }
    let named = (text(e, "dataRoot")?, field(e, "epoch")?.as_u64(), field(e, "quorumId")?.as_u64());
    if named != (cert.data_root.to_string().as_str(), Some(cert.epoch), Some(cert.quorum_id)) {
        return fails("the certificate is not the one the verdict names (data root, epoch, quorum)".into());
    }
    let what = format!("the certificate of data root {} (epoch {}, quorum {})", cert.data_root, cert.epoch, cert.quorum_id);
    let compare = format!(
        "compare its quorum ({} signers: {}) with DASigners at epoch {}{}",
        quorum.signers.len(),
        quorum.signers.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", "),
        cert.epoch,
        field(e, "transaction").ok().and_then(Value::as_str).map(|tx| format!(" and the certificate with DAEntrance transaction {tx}")).unwrap_or_default()
    );
    match verify_quorum_cert(&cert, &quorum.slots, &quorum.signers) {
        Err(error) => fails(format!("{what} cannot be checked against this quorum ({error}): the node would not have judged it")),
        Ok(Ok(certified)) => fails(format!("{what} holds: {} of its quorum's rows signed, and the signature verifies", certified.signed_rows)),
        Ok(Err(fault)) => {
            let same = serde_json::to_value(&fault).ok().as_ref() == Some(claimed);
            let fault = match fault {
                CertFault::BadSignature { signed_rows } => format!("its aggregate signature does not verify for the signers of its {signed_rows} rows"),
                CertFault::BelowQuorum { signed_rows, rows } => format!("{signed_rows} of {rows} rows signed, under the 2/3 the chain needs"),
                CertFault::BitmapLength { expected, received } => format!("its bitmap is {received} bytes, the chain needs {expected}"),
                CertFault::DataRootMismatch { computed } => format!("its coset roots hash to {computed}"),
            };
            let other = if same { "" } else { " (another fault than the verdict says)" };
            holds(format!("{what} fails{other}: {fault}; {compare}"))
        }
    }
}

fn recheck_serving(e: &Value) -> Result<Recheck, EvidenceError> {
    let request = text(e, "request")?;
    let response = base64::engine::general_purpose::STANDARD
        .decode(text(e, "response")?)
        .map_err(|e| EvidenceError::Malformed(format!("`response` is not base64: {e}")))?;
    let record = field(e, "record")?;
    let fault = field(e, "fault")?;
    if text(fault, "kind")? != "canaryMismatch" {
        return Err(EvidenceError::Malformed("only a canary mismatch is a serving accusation".into()));
    }
    let ours = signed_text(request.as_bytes(), &response);
    let signature = parse_signature(text(record, "signature")?).map_err(|e| EvidenceError::Malformed(format!("record signature: {e}")))?;
    let Ok(signer) = recover_personal(&ours, &signature) else {
        return fails("the record's signature is not over the text of these bytes".into());
    };
    let claimed_signer = text(record, "signing_address")?;
    if !claimed_signer.eq_ignore_ascii_case(&signer.to_string()) {
        return fails(format!("the signature over these bytes is {signer}'s, the record names {claimed_signer}"));
    }
    let content_encoding = field(e, "contentEncoding").ok().and_then(Value::as_str).map(str::to_owned);
    let exchange = ChatExchange { status: 200, content_encoding, res_key: None, body: response };
    let decoded = decoded_body(&exchange).map_err(|e| EvidenceError::Malformed(format!("response: {e}")))?;
    let (_, content) = completion(&decoded).map_err(|e| EvidenceError::Malformed(format!("response: {e}")))?;
    let body: Value = serde_json::from_str(request).map_err(|e| EvidenceError::Malformed(format!("request: {e}")))?;
    let model = body["model"].as_str().ok_or_else(|| EvidenceError::Malformed("the request names no model".into()))?;
    let prompt = body["messages"].as_array().and_then(|m| m.last()).and_then(|m| m["content"].as_str()).ok_or_else(|| EvidenceError::Malformed("the request has no user message".into()))?;
    let max_tokens = body["max_tokens"].as_u64().ok_or_else(|| EvidenceError::Malformed("the request has no max_tokens".into()))?;
    if body["temperature"].as_f64() != Some(0.0) {
        return fails("the request is not greedy (temperature 0): its answer cannot be re-run".into());
    }
    if !RERUNNABLE_MODELS.contains(&model) {
        return Err(EvidenceError::Malformed(format!("model {model:?} is not one this tool re-runs")));
    }
    let expected = TinyModel::from_seed(model).generate(prompt, max_tokens.min(u32::MAX as u64) as u32);
    if content == expected {
        return fails(format!("{signer}'s answer is the re-run of {model}"));
    }
    holds(format!("{signer} signed an answer to a greedy {model} request that is not the model's: {content:?} instead of {expected:?}; compare {signer} with the provider's registered TEE signer"))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use crate::storage::{FileHasher, StorageCheck, SamplingPolicy};

    /// A one-segment file and a node's answer for it, as zgs writes it (data padded to whole
    /// 256-byte chunks).
    fn answer(data: &[u8], size: u64, root: Hash32) -> String {
        let mut padded = data.to_vec();
        padded.resize(data.len().div_ceil(256) * 256, 0);
        let b64 = base64::engine::general_purpose::STANDARD.encode(padded);
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": {"root": root, "data": b64, "index": 0, "proof": {"lemma": [root], "path": []}, "fileSize": size}}).to_string()
    }

    #[test]
    fn a_corrupted_segment_is_rechecked_from_its_verdict_alone() {
        let file = vec![7u8; 1000];
        let mut hasher = FileHasher::new();
        hasher.update(&file);
        let root = hasher.finalize().unwrap();
        let mut check = StorageCheck::new(root, file.len() as u64, &SamplingPolicy::default(), [1; 32]).unwrap();
        let request = check.next_request().unwrap();
        let mut bad = file.clone();
        bad[10] ^= 1;
        check.on_answer(&request, Ok(answer(&bad, 1000, root).into_bytes()));
        let verdict = serde_json::to_value(check.verdict().unwrap()).unwrap();
        assert_eq!(verdict["verdict"], "misbehaving");
        let again = recheck("storage", &verdict).unwrap();
        assert!(again.holds, "{}", again.why);
        // The same JSON with the honest data in the answer: it no longer holds.
        let mut honest = verdict.clone();
        let good = answer(&file, 1000, root);
        honest["evidence"]["answerKeccak"] = keccak256(good.as_bytes()).to_hex().into();
        honest["evidence"]["answer"] = good.into();
        assert!(!recheck("storage", &honest).unwrap().holds);
        // An answer that is not the one hashed.
        let mut swapped = verdict.clone();
        swapped["evidence"]["answer"] = answer(&file, 1000, root).into();
        assert!(!recheck("storage", &swapped).unwrap().holds);
        assert!(matches!(recheck("storage", &serde_json::json!({"verdict": "healthy", "evidence": {}})), Err(EvidenceError::Malformed(_))));
        assert!(matches!(recheck("da", &verdict), Err(EvidenceError::Malformed(_))));
        assert!(matches!(recheck("licenses", &verdict), Err(EvidenceError::Unsupported { .. })));
        assert!(matches!(recheck("storage", &serde_json::json!({"verdict": "misbehaving"})), Err(EvidenceError::Malformed(_))));
    }
}
