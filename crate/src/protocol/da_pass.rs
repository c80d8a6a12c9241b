//! One DA pass through the relay: certified blobs from the chain (`DAEntrance`'s events and the
//! transactions that carry their certificates, [`crate::da::entrance`]), quorums from the
//! DASigners precompile, then rows from each signer ([`run_retrieve_round_each`]): `daRetrieve` for
//! `Signer.BatchRetrieve`, `daProofs` for the rows' Merkle proofs when the relay has a source.
//! Whatever the relay answers, the worst it can do is leave a blob unchecked or a signer
//! unreachable: certificates are read from transactions whose hash is recomputed, and nothing a
//! signer's reply carries is held against it.

use super::relayed::{CheckSender, Relayed, Upstream};
use super::wire::{CheckRequest, CheckResponse, DaSource, EvmChain};
use crate::da::check::DEFAULT_ROWS_PER_SIGNER;
use crate::da::entrance::{self, CertifiedLog, EntranceError};
use crate::da::retrieve::MAX_REPLY_BYTES;
use crate::da::signers::{self, QuorumView};
use crate::da::{collect_verdicts, run_retrieve_round_each, CertVerdict, CertifiedBlob, DaVerdict, OnDaVerdict, RegisteredSigner, RetrieveAsk, RetrieveOutcome};
use crate::evm::{self, MAX_CALL_RESPONSE_BYTES, MAX_LOGS_RESPONSE_BYTES};
use crate::hash::Hash32;
use crate::storage::{JsonRpcTransport, TransportError};
use alloy_primitives::Address;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;

/// Certified blobs checked per pass: the most recent ones.
pub const MAX_BLOBS: usize = 4;
/// Windows of `eth_getLogs` scanned back from the head, at most, looking for them.
pub const MAX_LOG_WINDOWS: usize = 32;
/// Quorums kept from pass to pass, and for how many passes before they are read again.
pub const MAX_QUORUMS_KEPT: usize = 4;
const QUORUM_KEPT_PASSES: u64 = 16;
/// Signers asked for in one `getSigner` call (its answer stays well under the relay's cap).
const SIGNERS_PER_CALL: usize = 64;
/// Longest base64 of one row proof read (a serialized `EncodedSliceMerkle` is 464 bytes).
const MAX_PROOF_BASE64: usize = 4096;
/// Longest gRPC status message kept.
const MAX_STATUS_MESSAGE: usize = 512;

/// What the DA pass keeps from round to round: the quorums it read (a past epoch's quorum does
/// not change), a few, each for a bounded number of passes.
#[derive(Debug, Default)]
pub struct DaMemory {
    passes: u64,
    /// (pass it was read in, the quorum).
    quorums: Vec<(u64, QuorumView)>,
}

impl DaMemory {
    fn quorum(&self, epoch: u64, quorum_id: u64) -> Option<&QuorumView> {
        self.quorums.iter().find(|(read, q)| q.epoch == epoch && q.quorum_id == quorum_id && self.passes - read < QUORUM_KEPT_PASSES).map(|(_, q)| q)
    }

    /// Quorums kept, and their signers together.
    pub fn footprint(&self) -> (usize, usize) {
        (self.quorums.len(), self.quorums.iter().map(|(_, q)| q.signers.len()).sum())
    }

    fn keep(&mut self, quorum: QuorumView) {
        self.quorums.retain(|(_, q)| (q.epoch, q.quorum_id) != (quorum.epoch, quorum.quorum_id));
        if self.quorums.len() >= MAX_QUORUMS_KEPT {
            self.quorums.remove(0);
        }
        self.quorums.push((self.passes, quorum));
    }
}

/// Why a pass could not say which blobs to check, or against what: nobody is judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaPassError {
    #[error("the chain's head block: {message}")]
    Head { message: String },
    #[error("DAEntrance's events in blocks {from}..={to}: {message}")]
    Logs { from: u64, to: u64, message: String },
    #[error("the DA epoch: {message}")]
    Epoch { message: String },
    #[error("no quorum of the certified blobs could be read: {message}")]
    Quorums { message: String },
}

/// Runs one pass: a verdict per certified blob (by data root) and per signer of their quorums (by
/// checksummed account), or an error when the chain could not be read.
pub async fn run_da_pass<S: CheckSender>(
    sender: &S,
    source: &DaSource,
    max_log_range: u64,
    memory: &mut DaMemory,
    seed: [u8; 32],
) -> Result<Vec<(String, DaVerdict)>, DaPassError> {
    let mut verdicts = Vec::new();
    run_da_pass_each(sender, source, max_log_range, memory, seed, &mut collect_verdicts(&mut verdicts)).await?;
    Ok(verdicts)
}

/// [`run_da_pass`], calling `on_verdict(id, verdict)` as soon as each verdict is decided (a
/// signer's once its own asks are judged: a slow signer holds back nobody else's); stops when
/// `on_verdict` answers `false` and returns `Ok(false)`.
pub async fn run_da_pass_each<S: CheckSender>(
    sender: &S,
    source: &DaSource,
    max_log_range: u64,
    memory: &mut DaMemory,
    seed: [u8; 32],
    on_verdict: &mut OnDaVerdict<'_>,
) -> Result<bool, DaPassError> {
    memory.passes += 1;
    let evm_rpc = Relayed { sender, upstream: Upstream::Evm(EvmChain::Zg) };
    let head = post(&evm_rpc, evm::block_number_body(1), 4096).await.and_then(|b| evm::parse_block_number(&b, 1).map_err(|e| e.to_string()));
    let head = head.map_err(|message| DaPassError::Head { message })?;
    let logs = recent_certified(&evm_rpc, source, head, max_log_range).await?;
    if logs.is_empty() {
        return Ok(true);
    }

    // Each blob: its certificate, or why it is not checked.
    // (At most MAX_BLOBS transactions, read at once.)
    let certificates = logs.iter().map(|log| async { certificate(&evm_rpc, source.entrance, log).await.map_err(|e| (log.data_root.to_string(), e.to_string())) });
    let mut blobs: Vec<Result<CertifiedBlob, (String, String)>> = futures::future::join_all(certificates).await;
    if blobs.iter().any(Result::is_ok) {
        let answer = call(&evm_rpc, signers::epoch_number_call()).await;
        let epoch = answer.and_then(|b| signers::decode_epoch_number(&b).map_err(|e| e.to_string())).map_err(|message| DaPassError::Epoch { message })?;
        for blob in &mut blobs {
            if let Ok(b) = blob {
                if b.cert.epoch > epoch {
                    *blob = Err((b.id.clone(), format!("its epoch {} is after the chain's current epoch {epoch}", b.cert.epoch)));
                }
            }
        }
    }

    // Their quorums, from memory or the precompile.
    let mut wanted: Vec<(u64, u64)> = blobs.iter().flatten().map(|b| (b.cert.epoch, b.cert.quorum_id)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut quorums = Vec::new();
    let mut failures = Vec::new();
    for (epoch, quorum_id) in wanted {
        if let Some(q) = memory.quorum(epoch, quorum_id) {
            quorums.push(q.clone());
            continue;
        }
        match read_quorum(&evm_rpc, epoch, quorum_id).await {
            Ok(q) => {
                memory.keep(q.clone());
                quorums.push(q);
            }
            Err(e) => failures.push(((epoch, quorum_id), format!("quorum {quorum_id} of epoch {epoch}: {e}"))),
        }
    }
    if quorums.is_empty() && !failures.is_empty() {
        let message = failures.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
        return Err(DaPassError::Quorums { message });
    }
    for blob in &mut blobs {
        if let Ok(b) = blob {
            if let Some((_, message)) = failures.iter().find(|(k, _)| *k == (b.cert.epoch, b.cert.quorum_id)) {
                *blob = Err((b.id.clone(), message.clone()));
            }
        }
    }

    // Blobs that cannot be checked are decided now; the checked ones by the round.
    let mut checked = Vec::new();
    for blob in blobs {
        match blob {
            Ok(b) => checked.push(b),
            Err((id, reason)) => {
                if !on_verdict(id, DaVerdict::Cert(CertVerdict::Unchecked { reason })).await {
                    return Ok(false);
                }
            }
        }
    }
    let retrieve = |signer: RegisteredSigner, ask: RetrieveAsk| retrieve_rows(sender, signer.address, ask);
    let proofs = |data_root: Hash32, rows: Vec<u16>| row_proofs(sender, source.row_proofs, data_root, rows);
    Ok(run_retrieve_round_each(&checked, &quorums, seed, DEFAULT_ROWS_PER_SIGNER, retrieve, proofs, on_verdict).await)
}

async fn post<T: JsonRpcTransport>(transport: &T, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, String> {
    transport.post(body, max_bytes).await.map_err(|e| e.to_string())
}

/// An `eth_call` to the DASigners precompile: its return data.
async fn call<T: JsonRpcTransport>(evm_rpc: &T, data: Vec<u8>) -> Result<Vec<u8>, String> {
    let answer = post(evm_rpc, evm::call_body(1, signers::DA_SIGNERS, &data), MAX_CALL_RESPONSE_BYTES).await?;
    evm::parse_call(&answer, 1).map_err(|e| e.to_string())
}

/// The most recent certified blobs (at most [`MAX_BLOBS`], one per data root), newest first:
/// windows of `max_log_range` blocks back from `head`, down to the entrance's deployment, at most
/// [`MAX_LOG_WINDOWS`] of them. Logs that are not the event, or outside the window asked, are
/// set aside.
async fn recent_certified<T: JsonRpcTransport>(evm_rpc: &T, source: &DaSource, head: u64, max_log_range: u64) -> Result<Vec<CertifiedLog>, DaPassError> {
    let mut found: Vec<CertifiedLog> = Vec::new();
    let mut to = head;
    for _ in 0..MAX_LOG_WINDOWS {
        if to < source.deploy_block {
            break;
        }
        let from = to.saturating_sub(max_log_range).max(source.deploy_block);
        let failed = |message: String| DaPassError::Logs { from, to, message };
        let answer = post(evm_rpc, entrance::get_logs_body(1, source.entrance, from, to), MAX_LOGS_RESPONSE_BYTES).await.map_err(failed)?;
        let mut logs: Vec<CertifiedLog> = entrance::decode_logs(&answer, 1, source.entrance)
            .map_err(|e| failed(e.to_string()))?
            .into_iter()
            .flatten()
            .filter(|l| (from..=to).contains(&l.block_number))
            .collect();
        logs.sort_by_key(|l| std::cmp::Reverse((l.block_number, l.log_index)));
        for log in logs {
            if found.len() < MAX_BLOBS && !found.iter().any(|f| f.data_root == log.data_root) {
                found.push(log);
            }
        }
        if found.len() >= MAX_BLOBS || from == 0 || from <= source.deploy_block {
            break;
        }
        to = from - 1;
    }
    Ok(found)
}

/// The certificate `log` names, from its transaction.
async fn certificate<T: JsonRpcTransport>(evm_rpc: &T, entrance: Address, log: &CertifiedLog) -> Result<CertifiedBlob, EntranceError> {
    let answer = evm_rpc
        .post(entrance::get_transaction_body(1, log.tx_hash), entrance::MAX_TX_RESPONSE_BYTES)
        .await
        .map_err(|e| EntranceError::NoAnswer { call: "eth_getTransactionByHash", message: e.to_string() })?;
    entrance::decode_transaction(&answer, 1, log, entrance)
}

/// One quorum as the chain has it: `getQuorum`, then `getSigner` for its distinct signers.
async fn read_quorum<T: JsonRpcTransport>(evm_rpc: &T, epoch: u64, quorum_id: u64) -> Result<QuorumView, String> {
    let rows = signers::decode_get_quorum(&call(evm_rpc, signers::get_quorum_call(epoch, quorum_id)).await?).map_err(|e| e.to_string())?;
    let distinct = signers::distinct_signers(&rows);
    let mut registered = Vec::with_capacity(distinct.len());
    for chunk in distinct.chunks(SIGNERS_PER_CALL) {
        let answer = call(evm_rpc, signers::get_signer_call(chunk)).await?;
        registered.extend(signers::decode_get_signer(&answer, chunk).map_err(|e| e.to_string())?);
    }
    QuorumView::new(epoch, quorum_id, &rows, registered).map_err(|e| e.to_string())
}

/// Sends `request`, once more on a fresh substream when no answer came (as [`Relayed`] does).
async fn send_twice<S: CheckSender>(sender: &S, request: CheckRequest) -> Result<CheckResponse, TransportError> {
    match sender.send(request.clone()).await {
        Err(TransportError::Timeout { .. } | TransportError::Connect { .. }) => sender.send(request).await,
        other => other,
    }
}

/// One `Signer.BatchRetrieve` through the relay.
async fn retrieve_rows<S: CheckSender>(sender: &S, signer: Address, ask: RetrieveAsk) -> RetrieveOutcome {
    let request = CheckRequest::DaRetrieve { signer, epoch: ask.epoch, quorum_id: ask.quorum_id, data_root: ask.data_root, rows: ask.rows };
    retrieve_outcome(send_twice(sender, request).await)
}

/// What the relay answered for a `daRetrieve`: anything but a reply or a status is no answer.
pub(crate) fn retrieve_outcome(answer: Result<CheckResponse, TransportError>) -> RetrieveOutcome {
    let transport = |message: String| RetrieveOutcome::Transport { message };
    match answer {
        Ok(CheckResponse::GrpcReply { reply }) if reply.len() > MAX_REPLY_BYTES.div_ceil(3) * 4 => {
            transport(format!("the relay's reply is {} base64 bytes, over the cap", reply.len()))
        }
        Ok(CheckResponse::GrpcReply { reply }) => match BASE64.decode(reply.as_bytes()) {
            Ok(bytes) => RetrieveOutcome::Reply(bytes),
            Err(e) => transport(format!("the relay's reply is not base64: {e}")),
        },
        Ok(CheckResponse::GrpcStatus { code, message }) => RetrieveOutcome::Status { code, message: message.chars().take(MAX_STATUS_MESSAGE).collect() },
        Ok(CheckResponse::Failure(f)) => {
            transport(format!("the relay answered {}: {}", f.code, f.message.chars().take(MAX_STATUS_MESSAGE).collect::<String>()))
        }
        Ok(other) => transport(format!("the relay answered {} to daRetrieve", other.kind())),
        Err(e) => transport(e.to_string()),
    }
}

/// The rows' proofs from the relay's source, one per row or none at all.
async fn row_proofs<S: CheckSender>(sender: &S, available: bool, data_root: Hash32, rows: Vec<u16>) -> Vec<Option<Vec<u8>>> {
    if !available {
        return Vec::new();
    }
    let asked = rows.len();
    match send_twice(sender, CheckRequest::DaProofs { data_root, rows }).await {
        Ok(CheckResponse::DaProofs { proofs }) if proofs.len() == asked => {
            proofs.into_iter().map(|p| p.filter(|p| p.len() <= MAX_PROOF_BASE64).and_then(|p| BASE64.decode(p.as_bytes()).ok())).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::RemoteFailure;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn relay_answers_to_a_retrieve_are_outcomes() {
        assert_eq!(retrieve_outcome(Ok(CheckResponse::GrpcReply { reply: BASE64.encode([1, 2, 3]) })), RetrieveOutcome::Reply(vec![1, 2, 3]));
        assert!(matches!(retrieve_outcome(Ok(CheckResponse::GrpcReply { reply: "*".into() })), RetrieveOutcome::Transport { .. }));
        let huge = "A".repeat(MAX_REPLY_BYTES.div_ceil(3) * 4 + 4);
        assert!(matches!(retrieve_outcome(Ok(CheckResponse::GrpcReply { reply: huge })), RetrieveOutcome::Transport { .. }));
        assert_eq!(
            retrieve_outcome(Ok(CheckResponse::GrpcStatus { code: 13, message: "slice is missing".into() })),
            RetrieveOutcome::Status { code: 13, message: "slice is missing".into() }
        );
        let failure = CheckResponse::Failure(RemoteFailure { code: 502, message: "refused".into() });
        assert!(matches!(retrieve_outcome(Ok(failure)), RetrieveOutcome::Transport { .. }));
        assert!(matches!(retrieve_outcome(Ok(CheckResponse::Echo { data: String::new() })), RetrieveOutcome::Transport { .. }));
        assert!(matches!(retrieve_outcome(Err(TransportError::Timeout { ms: 5 })), RetrieveOutcome::Transport { .. }));
    }

    #[test]
    fn memory_keeps_a_few_quorums_for_a_while() {
        let view = |epoch| QuorumView { epoch, quorum_id: 0, slots: vec![], signers: vec![] };
        let mut memory = DaMemory::default();
        for e in 0..6 {
            memory.keep(view(e));
        }
        assert_eq!(memory.quorums.len(), MAX_QUORUMS_KEPT);
        assert!(memory.quorum(1, 0).is_none() && memory.quorum(5, 0).is_some());
        memory.passes += QUORUM_KEPT_PASSES;
        assert!(memory.quorum(5, 0).is_none(), "read again after a while");
    }
}
