//! One round of storage checks against a real 0G network: which files (the Flow contract's recent
//! `Submit` events, plus the owner's own roots), which nodes (the indexer), what each node must
//! hold (its shard), and a verdict per node. No transport here: the three upstreams come through
//! [`StorageUpstreams`] (the relay's pass-through in the worker, HTTP in native tests).
//!
//! What can only come from the chain comes from the chain: a file's root, size and place in the
//! flow (its `Submit` event). What a node says about itself (status, shard, file info) decides only
//! what to ask it and whether it can be checked yet, never an accusation.

use super::check::{StorageCheck, StorageVerdict, UncheckedReason, UnreachableReason};
use super::flow::{decode_submit, identity, submit_topic, FlowFile};
use super::indexer::{parse_sharded_nodes, sharded_nodes_body, ShardedNode, MAX_INDEXER_RESPONSE_BYTES};
use super::round::{FileTask, StorageRound};
use super::rpc::{parse_response, request_body, FileInfo, RpcError, ShardConfig, Status, MAX_SMALL_RESPONSE_BYTES};
use super::sampling::SamplingPolicy;
use super::transport::{run_storage_check_pipelined, JsonRpcTransport, TransportError};
use crate::evm::{self, EvmError, MAX_LOGS_RESPONSE_BYTES};
use crate::hash::Hash32;
use alloy_primitives::{Address, B256};
use futures::future::{LocalBoxFuture, Shared};
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};
use serde::Serialize;
use serde_json::json;
use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;

/// Where a storage pass reads from.
pub trait StorageUpstreams {
    /// The storage indexer's JSON-RPC.
    fn indexer(&self) -> impl JsonRpcTransport + '_;
    /// The EVM chain's JSON-RPC (the Flow contract's logs).
    fn evm(&self) -> impl JsonRpcTransport + '_;
    /// A storage node's zgs JSON-RPC, by the URL the indexer gave.
    fn node(&self, url: &str) -> impl JsonRpcTransport + '_;
}

/// Where the chain keeps the files: the Flow contract and the block it was deployed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowSource {
    pub flow: Address,
    #[serde(default)]
    pub deploy_block: u64,
}

#[derive(Debug, Clone)]
pub struct PassConfig {
    pub policy: SamplingPolicy,
    /// The most recent submissions checked per round (besides the owner's roots).
    pub recent_files: usize,
    /// How far back (in blocks) recent submissions are looked for.
    pub lookback_blocks: u64,
    /// Checks running at once.
    pub concurrency: usize,
    /// Requests one file check keeps in flight.
    pub pipeline: usize,
    /// Per check of one file on one node, everything included.
    pub check_timeout: Duration,
}

impl Default for PassConfig {
    fn default() -> Self {
        PassConfig {
            policy: SamplingPolicy::default(),
            recent_files: 8,
            lookback_blocks: 10_000,
            concurrency: 3,
            pipeline: 1,
            check_timeout: Duration::from_secs(30),
        }
    }
}

/// Why a pass could not start: no verdict on any node comes of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    #[error("chain: {0}")]
    Chain(String),
    #[error("indexer: {0}")]
    Indexer(String),
}

/// One file of the round and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundFile {
    pub root: Hash32,
    /// `recent` (a recent Submit event) or `owner` (a root the owner added).
    pub source: &'static str,
    /// The chain's record of it; `None` when no Submit event was found for an owner's root.
    pub flow: Option<FlowFile>,
}

/// The indexer's nodes and the round's files ([`discover_nodes`], [`discover_files`]), the nodes
/// and the chain's recent files asked at once: a round trip to the relay less than one after the
/// other. When both fail, the indexer's error is the one reported, as if they had been asked in turn.
pub async fn discover<U: StorageUpstreams>(upstreams: &U, source: &FlowSource, owner_roots: &[Hash32], config: &PassConfig) -> Result<(Vec<ShardedNode>, Vec<RoundFile>), PassError> {
    let (nodes, recent) = futures::join!(discover_nodes(upstreams), recent_files(upstreams, source, config));
    let nodes = nodes?;
    let (head, mut files) = recent?;
    add_owner_files(upstreams, source, &nodes, owner_roots, head, &mut files).await;
    Ok((nodes, files))
}

/// The files of this round: the `recent_files` newest valid submissions in the lookback window,
/// then each owner root, found by its submission's `identity` topic (the root itself is not
/// indexed): the identity needs the submission's node roots, which a storage node's file info
/// gives; they are believed only once they fold back to the root.
pub async fn discover_files<U: StorageUpstreams>(upstreams: &U, source: &FlowSource, nodes: &[ShardedNode], owner_roots: &[Hash32], config: &PassConfig) -> Result<Vec<RoundFile>, PassError> {
    let (head, mut files) = recent_files(upstreams, source, config).await?;
    add_owner_files(upstreams, source, nodes, owner_roots, head, &mut files).await;
    Ok(files)
}

/// The chain's head and the `recent_files` newest valid submissions in the lookback window.
async fn recent_files<U: StorageUpstreams>(upstreams: &U, source: &FlowSource, config: &PassConfig) -> Result<(u64, Vec<RoundFile>), PassError> {
    let evm_rpc = upstreams.evm();
    let chain = PassError::Chain;
    let head = evm::parse_block_number(&post(&evm_rpc, evm::block_number_body(1), 4096).await.map_err(chain)?, 1).map_err(|e| chain(e.to_string()))?;
    let from = head.saturating_sub(config.lookback_blocks).max(source.deploy_block);
    let mut recent = submits(&evm_rpc, source, from, head, None).await.map_err(chain)?;
    recent.sort_by_key(|f| (f.block_number, f.tx_seq));
    let files = recent
        .into_iter()
        .rev()
        .take(config.recent_files)
        .map(|flow| RoundFile { root: flow.root, source: "recent", flow: Some(flow) })
        .collect();
    Ok((head, files))
}

/// Each owner root not among `files` yet, with its submission up to `head` when one is found.
async fn add_owner_files<U: StorageUpstreams>(upstreams: &U, source: &FlowSource, nodes: &[ShardedNode], owner_roots: &[Hash32], head: u64, files: &mut Vec<RoundFile>) {
    let evm_rpc = upstreams.evm();
    for &root in owner_roots.iter().take(MAX_OWNER_ROOTS) {
        if files.iter().any(|f| f.root == root) {
            continue;
        }
        let flow = match owner_identity(upstreams, nodes, root).await {
            Some(identity) => submits(&evm_rpc, source, source.deploy_block, head, Some(identity)).await.ok().and_then(|f| f.into_iter().find(|f| f.root == root)),
            None => None,
        };
        files.push(RoundFile { root, source: "owner", flow });
    }
}

/// Owner roots checked per round, at most.
pub const MAX_OWNER_ROOTS: usize = 16;
/// Nodes asked for an owner root's submission nodes, at most.
const IDENTITY_SOURCES: usize = 3;

/// Valid `Submit` events of `source.flow` in `from..=to`; logs that do not decode are skipped.
async fn submits<E: JsonRpcTransport>(evm_rpc: &E, source: &FlowSource, from: u64, to: u64, identity: Option<B256>) -> Result<Vec<FlowFile>, String> {
    let body = evm::get_logs_body(1, source.flow, from, to, &[Some(submit_topic()), None, identity]);
    let answer = post(evm_rpc, body, MAX_LOGS_RESPONSE_BYTES).await?;
    let logs = evm::parse_logs(&answer, 1).map_err(|e: EvmError| e.to_string())?;
    Ok(logs.iter().filter_map(|log| decode_submit(log, source.flow).ok()).collect())
}

/// The identity topic of `root`'s submission, from the first node whose `tx.merkleNodes` fold
/// back to `root`.
async fn owner_identity<U: StorageUpstreams>(upstreams: &U, nodes: &[ShardedNode], root: Hash32) -> Option<B256> {
    for node in nodes.iter().take(IDENTITY_SOURCES) {
        let Ok(Some(info)) = small_call::<FileInfo, _>(&upstreams.node(&node.url), "zgs_getFileInfo", json!([root, false])).await else { continue };
        let roots: Vec<Hash32> = info.tx.merkle_nodes.iter().map(|(_, r)| *r).collect();
        if super::flow::fold_root(roots.iter().copied()) == Some(root) {
            return Some(B256::from(identity(roots.into_iter()).0));
        }
    }
    None
}

/// What a node says about itself before its files are checked.
#[derive(Debug, Clone)]
struct NodeState {
    shard: ShardConfig,
    synced_block: u64,
}

/// Runs one storage pass: `emit(node url, verdict)` as soon as each node is decided. When a check
/// gets no answer, `link_alive` asks whether our own link still works; when it does not, the pass
/// stops there and returns `false` (nothing more is reported: the fault may be ours).
///
/// Every (node, file) check is one task, `config.concurrency` at a time, taken in
/// [`StorageRound`]'s order. A node's status and shard (two small calls) are read once, by its
/// first task; its other tasks wait for that answer in the queue, not in a running place, so a
/// slow node holds one place at a time and never the others'. A node that does not say what it
/// holds is decided at once.
#[allow(clippy::too_many_arguments)]
pub async fn run_storage_pass<U, L, P>(
    upstreams: &U,
    files: &[RoundFile],
    nodes: &[ShardedNode],
    config: &PassConfig,
    mut seed: impl FnMut() -> Option<[u8; 32]>,
    link_alive: L,
    mut emit: impl FnMut(&str, StorageVerdict),
) -> bool
where
    U: StorageUpstreams,
    L: Fn() -> P,
    P: Future<Output = bool>,
{
    let checkable: Vec<&FlowFile> = files.iter().filter_map(|f| f.flow.as_ref()).collect();
    if checkable.is_empty() || nodes.is_empty() {
        return true;
    }
    let states: Vec<Shared<LocalBoxFuture<'_, Result<NodeState, UnreachableReason>>>> =
        nodes.iter().map(|n| node_state(upstreams, &n.url).boxed_local().shared()).collect();
    let sizes: Vec<u64> = checkable.iter().map(|f| f.size).collect();
    let (mut plan, tasks) = StorageRound::new(nodes.len(), &sizes);
    let mut queue: VecDeque<(FileTask, Option<[u8; 32]>)> = tasks.into_iter().map(|task| (task, seed())).collect();
    let check = |task: FileTask, seed| {
        let state = states[task.node].clone();
        let (file, url, first_root) = (checkable[task.file], nodes[task.node].url.as_str(), checkable[0].root);
        async move {
            match state.await {
                Ok(state) => (task, false, check_node_file(upstreams, url, &state, file, config, seed).await),
                Err(reason) => (task, true, StorageVerdict::Unreachable { root: first_root, reason }),
            }
        }
    };
    let mut running = FuturesUnordered::new();
    let mut running_per_node = vec![0usize; nodes.len()];
    loop {
        // Free places go to the first queued tasks that can start now: their node is undecided, and
        // it answered already or nothing of it runs (that task reads its status).
        queue.retain(|(task, _)| !plan.is_decided(task.node));
        while running.len() < config.concurrency.max(1) {
            let ready = |task: &FileTask| states[task.node].peek().is_some() || running_per_node[task.node] == 0;
            let Some((task, seed)) = queue.iter().position(|(task, _)| ready(task)).and_then(|i| queue.remove(i)) else { break };
            running_per_node[task.node] += 1;
            running.push(check(task, seed));
        }
        // Nothing running means nothing queued: a queued task waits only on a running one.
        let Some((task, node_info_failed, verdict)) = running.next().await else { break };
        running_per_node[task.node] -= 1;
        if matches!(verdict, StorageVerdict::Unreachable { .. }) && !link_alive().await {
            return false;
        }
        let decided = if node_info_failed { plan.decide(task.node, verdict) } else { plan.record(task, verdict) };
        if let Some(verdict) = decided {
            emit(&nodes[task.node].url, verdict);
        }
    }
    true
}

/// The nodes the indexer lists (trusted first), capped.
pub async fn discover_nodes<U: StorageUpstreams>(upstreams: &U) -> Result<Vec<ShardedNode>, PassError> {
    let answer = post(&upstreams.indexer(), sharded_nodes_body(1), MAX_INDEXER_RESPONSE_BYTES).await.map_err(PassError::Indexer)?;
    parse_sharded_nodes(&answer, 1).map_err(|e| PassError::Indexer(e.to_string()))
}

/// The node's status and shard, asked at once (a round trip to the relay less than one after the
/// other); a failed status is reported before a failed shard, as if they had been asked in turn.
async fn node_state<U: StorageUpstreams>(upstreams: &U, url: &str) -> Result<NodeState, UnreachableReason> {
    let node = upstreams.node(url);
    let (status, shard) = futures::join!(
        small_call::<Status, _>(&node, "zgs_getStatus", json!([])),
        small_call::<ShardConfig, _>(&node, "zgs_getShardConfig", json!([])),
    );
    let status = status?.ok_or(bad("zgs_getStatus", "null status"))?;
    let shard = shard?.ok_or(bad("zgs_getShardConfig", "null shard config"))?;
    let shard = shard.validated().map_err(|e| bad("zgs_getShardConfig", &e.to_string()))?;
    Ok(NodeState { shard, synced_block: status.log_sync_height })
}

fn bad(call: &'static str, message: &str) -> UnreachableReason {
    UnreachableReason::NodeInfo { call, error: RpcError::Malformed { message: message.to_string() } }
}

async fn small_call<T: serde::de::DeserializeOwned, N: JsonRpcTransport>(node: &N, method: &'static str, params: serde_json::Value) -> Result<Option<T>, UnreachableReason> {
    let answer = node
        .post(request_body(1, method, params), MAX_SMALL_RESPONSE_BYTES)
        .await
        .map_err(|error| UnreachableReason::NodeCall { call: method, error })?;
    parse_response(&answer, 1, MAX_SMALL_RESPONSE_BYTES).map_err(|error| UnreachableReason::NodeInfo { call: method, error })
}

/// One file on one node, within the check's time-out: unchecked when the node cannot be expected
/// to hold it yet (not synced, not finalized, pruned, nothing in its shard), else sampled.
async fn check_node_file<U: StorageUpstreams>(upstreams: &U, url: &str, state: &NodeState, file: &FlowFile, config: &PassConfig, seed: Option<[u8; 32]>) -> StorageVerdict {
    let root = file.root;
    let unchecked = |reason| StorageVerdict::Unchecked { root, reason };
    if state.synced_block < file.block_number {
        return unchecked(UncheckedReason::NotSynced { synced: state.synced_block, submitted: file.block_number });
    }
    let Ok(layout) = super::layout::FileLayout::new(file.size) else {
        return unchecked(UncheckedReason::UnknownSize);
    };
    if state.shard.file_segments(file.start_entry_index, layout.data_segments()).count == 0 {
        return unchecked(UncheckedReason::NotInShard);
    }
    let timed_out = StorageVerdict::Unreachable { root, reason: UnreachableReason::Deadline { ms: config.check_timeout.as_millis() as u64 } };
    let Some(seed) = seed else { return timed_out };
    let check = async {
        let node = upstreams.node(url);
        let info: FileInfo = match small_call(&node, "zgs_getFileInfo", json!([root, true])).await {
            Ok(Some(info)) => info,
            Ok(None) => return StorageVerdict::Unreachable { root, reason: UnreachableReason::FileUnknown },
            Err(reason) => return StorageVerdict::Unreachable { root, reason },
        };
        if info.pruned {
            return unchecked(UncheckedReason::Pruned);
        }
        if !info.finalized {
            return unchecked(UncheckedReason::NotFinalized);
        }
        let Ok(check) = StorageCheck::in_shard(root, file.size, state.shard, file.start_entry_index, &config.policy, seed) else {
            return unchecked(UncheckedReason::UnknownSize);
        };
        run_storage_check_pipelined(check, &node, config.pipeline).await
    };
    futures::select! {
        verdict = check.fuse() => verdict,
        () = futures_timer::Delay::new(config.check_timeout).fuse() => timed_out,
    }
}

async fn post<T: JsonRpcTransport>(transport: &T, body: Vec<u8>, max_bytes: usize) -> Result<Vec<u8>, String> {
    transport.post(body, max_bytes).await.map_err(|e: TransportError| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::channel::oneshot;
    use std::cell::{Cell, RefCell};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Nodes that say they have not synced the files yet (each check decides at once, with no
    /// request) and one `slow` node that answers nothing until every other node is decided.
    struct Nodes {
        slow_answers: RefCell<Option<oneshot::Receiver<()>>>,
        slow_calls: Cell<usize>,
    }

    struct Node<'a> {
        nodes: &'a Nodes,
        slow: bool,
    }

    impl JsonRpcTransport for Node<'_> {
        async fn post(&self, body: Vec<u8>, _: usize) -> Result<Vec<u8>, TransportError> {
            if self.slow {
                self.nodes.slow_calls.set(self.nodes.slow_calls.get() + 1);
                let waiting = self.nodes.slow_answers.borrow_mut().take();
                if let Some(waiting) = waiting {
                    let _ = waiting.await;
                }
                return Err(TransportError::Timeout { ms: 10_000 });
            }
            let method = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["method"].as_str().unwrap().to_string();
            let result = match method.as_str() {
                "zgs_getStatus" => json!({"connectedPeers": 1, "logSyncHeight": 0, "logSyncBlock": Hash32::default(), "nextTxSeq": 0,
                    "networkIdentity": {"chainId": 1, "flowAddress": "0x0000000000000000000000000000000000000000", "p2pProtocolVersion": {"major": 0, "minor": 0, "build": 0}}}),
                "zgs_getShardConfig" => json!({"shardId": 0, "numShard": 1}),
                other => panic!("{other} asked of a node that has not synced"),
            };
            Ok(serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "result": result})).unwrap())
        }
    }

    impl StorageUpstreams for Nodes {
        fn indexer(&self) -> impl JsonRpcTransport + '_ {
            Node { nodes: self, slow: true }
        }

        fn evm(&self) -> impl JsonRpcTransport + '_ {
            Node { nodes: self, slow: true }
        }

        fn node(&self, url: &str) -> impl JsonRpcTransport + '_ {
            Node { nodes: self, slow: url == "slow" }
        }
    }

    /// An indexer and an EVM RPC that answer after a turn of the executor (the indexer lists one
    /// node, the chain has no files), or fail, and that note whether the EVM RPC was asked while
    /// the indexer's answer was still on its way.
    struct Discovery {
        fail: bool,
        asked: RefCell<Vec<&'static str>>,
        overlapped: Cell<bool>,
    }

    struct Upstream<'a> {
        discovery: &'a Discovery,
        indexer: bool,
    }

    impl JsonRpcTransport for Upstream<'_> {
        async fn post(&self, body: Vec<u8>, _: usize) -> Result<Vec<u8>, TransportError> {
            let d = self.discovery;
            let method = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["method"].as_str().unwrap().to_string();
            d.asked.borrow_mut().push(if self.indexer { "indexer" } else { "evm" });
            let mut turned = false;
            futures::future::poll_fn(|cx| {
                if std::mem::replace(&mut turned, true) {
                    return std::task::Poll::Ready(());
                }
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            })
            .await;
            if self.indexer && d.asked.borrow().contains(&"evm") {
                d.overlapped.set(true);
            }
            if d.fail {
                return Err(TransportError::Timeout { ms: 1 });
            }
            let result = match method.as_str() {
                "indexer_getShardedNodes" => json!({"trusted": [{"url": "http://n1:5678", "config": {"shardId": 0, "numShard": 1}}]}),
                "eth_blockNumber" => json!("0x10"),
                "eth_getLogs" => json!([]),
                other => panic!("{other}"),
            };
            Ok(serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "result": result})).unwrap())
        }
    }

    impl StorageUpstreams for Discovery {
        fn indexer(&self) -> impl JsonRpcTransport + '_ {
            Upstream { discovery: self, indexer: true }
        }

        fn evm(&self) -> impl JsonRpcTransport + '_ {
            Upstream { discovery: self, indexer: false }
        }

        fn node(&self, _: &str) -> impl JsonRpcTransport + '_ {
            Upstream { discovery: self, indexer: false }
        }
    }

    #[test]
    fn nodes_and_files_are_asked_at_once_and_the_indexer_fails_first() {
        let source = FlowSource { flow: Address::ZERO, deploy_block: 0 };
        let config = PassConfig::default();
        let up = Discovery { fail: false, asked: RefCell::default(), overlapped: Cell::new(false) };
        let (nodes, files) = futures::executor::block_on(discover(&up, &source, &[], &config)).unwrap();
        assert_eq!(nodes.iter().map(|n| n.url.as_str()).collect::<Vec<_>>(), ["http://n1:5678"]);
        assert!(files.is_empty());
        assert!(up.overlapped.get(), "the chain was asked while the indexer's answer was on its way: {:?}", up.asked.borrow());
        let down = Discovery { fail: true, asked: RefCell::default(), overlapped: Cell::new(false) };
        assert!(matches!(futures::executor::block_on(discover(&down, &source, &[], &config)), Err(PassError::Indexer(_))));
    }

    #[test]
    fn a_node_that_does_not_answer_holds_one_place_not_the_others() {
        let (answer_slow, slow_answers) = oneshot::channel();
        let upstreams = Nodes { slow_answers: RefCell::new(Some(slow_answers)), slow_calls: Cell::new(0) };
        let node = |url: &str| ShardedNode { url: url.into(), config: ShardConfig { shard_id: 0, num_shard: 1 }, latency: 0, since: 0 };
        let nodes = [node("slow"), node("a"), node("b"), node("c")];
        let file = |i: u8| RoundFile {
            root: Hash32([i; 32]),
            source: "recent",
            flow: Some(FlowFile { root: Hash32([i; 32]), size: 1000 * i as u64, start_entry_index: 0, tx_seq: i as u64, block_number: 10 }),
        };
        let files = [file(1), file(2), file(3)];
        // Two places: the slow node's first check holds one; its other checks must not take the other.
        let config = PassConfig { concurrency: 2, ..PassConfig::default() };
        let answer_slow = RefCell::new(Some(answer_slow));
        let decided = RefCell::new(Vec::new());
        let emit = |url: &str, verdict: StorageVerdict| {
            decided.borrow_mut().push((url.to_string(), verdict.name()));
            if decided.borrow().len() == 3 {
                // Every other node is decided while the slow one still has not answered: now it fails.
                answer_slow.borrow_mut().take().unwrap().send(()).unwrap();
            }
        };
        let complete = futures::executor::block_on(run_storage_pass(&upstreams, &files, &nodes, &config, || Some([7; 32]), || async { true }, emit));
        assert!(complete);
        let decided = decided.into_inner();
        assert_eq!(decided.iter().map(|(url, _)| url.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "slow"]);
        assert!(decided[..3].iter().all(|(_, name)| *name == "unchecked"), "{decided:?}");
        assert_eq!(decided[3].1, "unreachable");
        assert_eq!(upstreams.slow_calls.get(), 2, "its status and shard are asked once each, its files never");
    }
}
