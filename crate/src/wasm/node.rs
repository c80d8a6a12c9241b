//! The node in the worker: connect to the relay over webrtc-direct, run rounds of checks through
//! it, reconnect with exponential backoff and jitter when it goes away. Relays after the first
//! are second paths (`second_paths`): what the first could not settle is looked at again through
//! one of them.

use super::fetch::FetchTransport;
use super::first_verdict::FirstVerdict;
use super::rtc::WorkerRtcTransport;
use super::second_paths::{da_second_look, keep_second_paths, pass_config, serving_second_look, storage_second_look, RelayState, SecondMemory, SecondPaths, MAX_SECOND_LOOKS};
use super::validators::{validator_pass, ManifestChain, ValidatorMemory, ValidatorRow};
use crate::cometbft::TrustConfig;
use crate::da::DaVerdict;
use crate::hash::Hash32;
use crate::p2p::{CheckClient, ClientEnd};
use crate::paths::{da_verdict, serving_verdict, storage_verdict, DaPath, Rechecked, RelayRef, SecondStoragePath, ServingPath, StoragePath};
use crate::protocol::{
    run_da_pass_each, run_serving_pass_each, CheckRequest, CheckResponse, CheckSender, DaMemory, EvmChain, InFlightLimit, Limited, RelayInfo, RelayUpstreams, PROTOCOL_NAME,
};
use crate::serving::{ServingState, ServingVerdict};
use crate::storage::{
    discover, run_storage_pass, FlowSource, JsonRpcTransport, PassConfig, RoundFile, StorageUpstreams, StorageVerdict,
};
use futures::future::LocalBoxFuture;
use futures::{FutureExt, StreamExt};
use gloo_timers::future::TimeoutFuture;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::Transport;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, StreamProtocol};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// One relay of the configured list: its full multiaddr, or the multiaddr and whether the owner
/// runs it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged, expecting = "a relay's multiaddr, or {address, trusted}")]
pub enum RelayEntry {
    Address(String),
    Entry(RelayEntryFields),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayEntryFields {
    pub address: String,
    #[serde(default)]
    pub trusted: bool,
}

impl RelayEntry {
    pub fn address(&self) -> &str {
        match self {
            RelayEntry::Address(address) | RelayEntry::Entry(RelayEntryFields { address, .. }) => address,
        }
    }
}

/// What the tab asks the node to do.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NodeConfig {
    /// The relays' full multiaddrs (`/ip4/../udp/../webrtc-direct/certhash/../p2p/..`), the first
    /// the primary (every round goes through it), the others second paths (docs/trust.md).
    pub relays: Vec<RelayEntry>,
    /// Where a devnet publishes its relays' addresses (`relays` in its `/devnet.json`), read again
    /// at each reconnect: a restarted devnet's relay has a new certificate. Used when `relays` is empty.
    pub manifest_url: Option<String>,
    /// `libp2p` (default): everything through the relay over one webrtc-direct connection;
    /// `http`: the storage side straight from the manifest's indexer and EVM URLs with `fetch`.
    pub transport: String,
    /// File roots the owner wants checked besides the chain's recent submissions.
    pub owner_roots: Vec<Hash32>,
    /// How many of the chain's most recent submissions each round checks.
    pub recent_files: usize,
    /// Per request to the peer, in ms.
    pub request_timeout_ms: u32,
    /// Per check of one file on one node (all its requests), in ms.
    pub check_timeout_ms: u32,
    /// Pause between rounds, in ms. The default (20 s, a round every 30 s or so) keeps the node
    /// under 10% of one core (BENCHMARKS.md, "Rounds").
    pub round_interval_ms: u32,
    /// File checks running at once.
    pub concurrency: usize,
    /// Requests a round keeps in flight over the relay connection, all kinds together: what bounds
    /// the answers held at once (each up to 1 MiB), whatever counts the peers claim.
    pub max_in_flight: usize,
    /// Requests one file check keeps in flight.
    pub pipeline: usize,
    pub dial_timeout_ms: u32,
    /// First reconnect delay; it doubles per failed attempt up to `max_backoff_ms`, with jitter.
    pub min_backoff_ms: u32,
    pub max_backoff_ms: u32,
    /// The first round's number: the tab continues its own numbering across reloads, so a
    /// (license, round) pair it reports is never reused.
    pub first_round: u64,
    /// The validator check's trust anchor: 0G Chain's chain id and a height and header hash the
    /// owner trusts (weak subjectivity). Without it a devnet's manifest gives one; never the relay.
    pub trust: Option<TrustConfig>,
    /// Milliseconds of validator signature checking per round (0: no validator check). The
    /// first light block of a round always runs; see docs/validators.md. Unless set, a share of
    /// the pause between rounds ([`NodeConfig::validator_budget_for`]).
    pub validator_budget_ms: u32,
    /// The owner runs the first relay (or trusts whoever does): unsigned evidence it relays (a
    /// storage node's segment that fails its proof) is then the owner's own observation and
    /// reported as misbehaving; otherwise it is `unverifiable` (docs/trust.md). Other relays are
    /// trusted by their own entry's `trusted`.
    pub trusted_relay: bool,
    /// Which kinds to check (`None`: all).
    pub kinds: Option<Vec<super::worker::CheckKind>>,
}

/// The validator check's default budget is one fortieth of the pause between rounds (500 ms at
/// the default 20 s): a round starts at most once per pause, so the check's signature work is at
/// most 2.5% of a core on average whatever the pause, and a shorter pause samples less per round
/// rather than costing more. A fixed 1 s was 3.2% of a core at the default pause.
const VALIDATOR_BUDGET_SHARE_OF_PAUSE: u32 = 40;
const DEFAULT_ROUND_INTERVAL_MS: u32 = 20_000;
/// How long storage and DA wait at most for serving's first verdict in a round (see `full_round`).
const SERVING_HEAD_START_MS: u32 = 200;

impl NodeConfig {
    /// The validator check's default budget for a pause between rounds of `round_interval_ms`.
    pub fn validator_budget_for(round_interval_ms: u32) -> u32 {
        round_interval_ms / VALIDATOR_BUDGET_SHARE_OF_PAUSE
    }

    fn checks(&self, kind: super::worker::CheckKind) -> bool {
        self.kinds.as_ref().is_none_or(|kinds| kinds.contains(&kind))
    }

    /// Whether the owner trusts relay `index` (see [`NodeConfig::trusted_relay`]).
    pub(super) fn relay_trusted(&self, index: usize) -> bool {
        (index == 0 && self.trusted_relay) || matches!(self.relays.get(index), Some(RelayEntry::Entry(RelayEntryFields { trusted: true, .. })))
    }
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            relays: Vec::new(),
            manifest_url: None,
            transport: "libp2p".into(),
            owner_roots: Vec::new(),
            recent_files: PassConfig::default().recent_files,
            request_timeout_ms: 5_000,
            check_timeout_ms: 30_000,
            round_interval_ms: DEFAULT_ROUND_INTERVAL_MS,
            concurrency: 6,
            max_in_flight: 8,
            pipeline: 1,
            dial_timeout_ms: 10_000,
            min_backoff_ms: 250,
            max_backoff_ms: 8_000,
            first_round: 1,
            trust: None,
            validator_budget_ms: Self::validator_budget_for(DEFAULT_ROUND_INTERVAL_MS),
            trusted_relay: false,
            kinds: None,
        }
    }
}

/// Events the node reports to its subscribers.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum NodeEvent {
    Connection(ConnectionState),
    Round { round: u64, state: &'static str, nodes: usize },
    /// The files a round checks, and where each came from.
    Files { round: u64, files: Vec<RoundFile> },
    Verdict { round: u64, node: String, kind: &'static str, verdict: Verdict },
    /// A kind could not be checked this round (its upstream did not answer): nobody is judged.
    Problem { round: u64, kind: &'static str, message: String },
    /// A relay after the first: connected, refused, lost.
    Relay(RelayState),
}

/// A verdict of any kind; each serialises with its own `verdict` field (storage and DA with what
/// each path saw, when a second path was asked).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Verdict {
    Storage(Rechecked<StorageVerdict>),
    Da(Rechecked<DaVerdict>),
    Validator(ValidatorRow),
    Serving(Rechecked<ServingVerdict>),
}

/// What the checks remember from round to round: the chain as verified so far, the DA quorums
/// read, and each serving provider's drift test. It outlives connections: trust is in what we
/// checked, not in the peer.
#[derive(Default)]
pub(super) struct Memory {
    pub(super) validators: ValidatorMemory,
    da: DaMemory,
    serving: ServingState,
    /// The chain the first relay said it stands in front of: a relay that later names another is
    /// refused (what was checked so far was checked against this one), other relays too.
    pub(super) chain_id: Option<u64>,
    /// What each second path's own looks keep, by relay index.
    pub(super) second: std::collections::HashMap<usize, SecondMemory>,
}

/// What the node holds across rounds, by count, as of the end of the last round: each is under
/// a stated bound (docs/trust.md), and `bench/memory.mjs` prints them by round.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryFootprint {
    pub round: u64,
    /// Heap bytes live at the end of the round (the counting allocator's).
    pub heap_bytes: usize,
    pub validators: Option<crate::cometbft::FollowerFootprint>,
    pub da_quorums: usize,
    pub da_quorum_signers: usize,
    pub serving_monitors: usize,
    /// Validator slots the second paths showed, kept for the next rounds.
    pub second_votes: usize,
    /// The rounds kept for reports.
    pub report: crate::report::RoundLogFootprint,
    pub rtc_connections: usize,
    pub rtc_pending_streams: usize,
}

impl Memory {
    fn footprint(&self, round: u64) -> MemoryFootprint {
        // The second paths' memories (one per relay) count with the first's.
        let (da_quorums, da_quorum_signers) = self.second.values().map(|m| m.da.footprint()).fold(self.da.footprint(), |(q, s), (q2, s2)| (q + q2, s + s2));
        let report = super::report_flow::footprint();
        let (rtc_connections, rtc_pending_streams) = super::rtc::footprint();
        MemoryFootprint {
            round,
            heap_bytes: crate::counting_alloc::live_bytes(),
            validators: self.validators.footprint(),
            da_quorums,
            da_quorum_signers,
            serving_monitors: self.serving.monitors() + self.second.values().map(|m| m.serving.monitors()).sum::<usize>(),
            second_votes: self.second.values().map(|m| m.votes.kept()).sum(),
            report,
            rtc_connections,
            rtc_pending_streams,
        }
    }
}

thread_local! {
    static FOOTPRINT: RefCell<MemoryFootprint> = RefCell::new(MemoryFootprint::default());
}

/// The footprint as of the end of the last round.
pub fn footprint() -> MemoryFootprint {
    FOOTPRINT.with_borrow(Clone::clone)
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionState {
    state: &'static str,
    transport: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    peer: Option<String>,
    /// The relay's network profile, once it said hello.
    #[serde(skip_serializing_if = "Option::is_none")]
    relay: Option<RelayInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_in_ms: Option<u32>,
}

fn connection(state: &'static str) -> ConnectionState {
    ConnectionState { state, transport: "webrtc-direct", peer: None, relay: None, error: None, retry_in_ms: None }
}

/// Runs until `halted` fires (a stop), reporting through `emit`; relays after the first are kept
/// connected beside the primary's sessions. A stop ends the node where it stands: the round in
/// progress is dropped with its connections, so nothing of it is reported after the stop, and a
/// node started next does not overlap this one. Nothing else ends it: its loops run until dropped.
pub async fn run(config: NodeConfig, halted: futures::channel::oneshot::Receiver<()>, emit: Rc<dyn Fn(NodeEvent)>) {
    // The relays after the first whose last state was not `stopped`: a stop says they are.
    let open_relays: Rc<RefCell<Vec<usize>>> = Rc::default();
    let emit: Rc<dyn Fn(NodeEvent)> = {
        let open = open_relays.clone();
        Rc::new(move |event| {
            if let NodeEvent::Relay(relay) = &event {
                let mut open = open.borrow_mut();
                open.retain(|&index| index != relay.index);
                if relay.state != "stopped" {
                    open.push(relay.index);
                }
            }
            emit(event)
        })
    };
    let memory = RefCell::new(Memory::default());
    let paths = SecondPaths::default();
    let primary = async {
        let mut attempt = 0u32;
        let mut round = config.first_round.saturating_sub(1);
        loop {
            emit(NodeEvent::Connection(connection(if attempt == 0 { "connecting" } else { "reconnecting" })));
            let mut session = Session { config: &config, emit: &emit, round: &mut round, attempt: &mut attempt, memory: &memory, paths: &paths };
            let session = if config.transport == "http" { session.over_http().await } else { session.over_libp2p().await };
            let Err(error) = session else { continue };
            let delay = backoff(&config, attempt);
            attempt = attempt.saturating_add(1);
            emit(NodeEvent::Connection(ConnectionState { error: Some(error), retry_in_ms: Some(delay), ..connection("reconnecting") }));
            TimeoutFuture::new(delay).await;
        }
    };
    let body = async {
        futures::join!(primary, keep_second_paths(&config, &emit, &memory, &paths));
    };
    futures::select_biased! {
        _ = halted.fuse() => {
            emit(NodeEvent::Connection(connection("stopped")));
            for index in open_relays.take() {
                emit(NodeEvent::Relay(RelayState::new(index, "stopped")));
            }
        }
        () = body.fuse() => {}
    }
}

/// What one session (a connection, or a run of HTTP rounds) works with.
struct Session<'a> {
    config: &'a NodeConfig,
    emit: &'a Rc<dyn Fn(NodeEvent)>,
    round: &'a mut u64,
    /// Failed attempts in a row; a session that connects sets it back to 0.
    attempt: &'a mut u32,
    memory: &'a RefCell<Memory>,
    paths: &'a SecondPaths,
}

impl Session<'_> {
    /// One connection to the relay, with rounds through it until it ends (`Err` says why).
    async fn over_libp2p(&mut self) -> Result<(), String> {
        let address = relay_address(self.config, 0).await?;
        let (client, peer, driver) = connect(self.config, 0, address.clone()).await?;
        futures::pin_mut!(driver);
        let hello = async {
            match client.send(CheckRequest::Hello).await {
                Ok(CheckResponse::Hello(info)) => Ok(info),
                Ok(other) => Err(format!("the relay answered hello with {}", other.kind())),
                Err(e) => Err(format!("the relay did not say hello: {e}")),
            }
        };
        let info = futures::select! {
            info = hello.fuse() => info?,
            end = driver.as_mut().fuse() => return ended(end).and(Err("the relay went away before it said hello".into())),
        };
        let first = *self.memory.borrow_mut().chain_id.get_or_insert(info.chain_id);
        if first != info.chain_id {
            return Err(format!("the relay now says it is in front of chain {}, it said {first} before: refused (restart the node to change networks)", info.chain_id));
        }
        *self.attempt = 0;
        let _current = Current::set(client.clone(), info.clone());
        *self.paths.primary_peer.borrow_mut() = Some(peer.clone());
        let first = FirstPath { relay: RelayRef { index: 0, peer: peer.clone(), address: address.to_string() }, trusted: self.config.trusted_relay };
        (self.emit)(NodeEvent::Connection(ConnectionState { peer: Some(peer), relay: Some(info.clone()), ..connection("connected") }));
        let Session { config, emit, round, memory, paths, .. } = self;
        let first_stream = super::rtc::streams_opened();
        let rounds = async {
            loop {
                if super::rtc::streams_opened().wrapping_sub(first_stream) > super::rtc::MAX_STREAMS_PER_CONNECTION {
                    return; // A fresh connection frees the data channels this one holds.
                }
                **round += 1;
                let link_alive = || async { matches!(client.send(CheckRequest::Echo { len: 0 }).await, Ok(CheckResponse::Echo { .. })) };
                let through = Through { info: &info, client: &client, first: &first, paths };
                full_round(config, **round, &through, memory, emit, link_alive).await;
                let footprint = memory.borrow().footprint(**round);
                FOOTPRINT.with_borrow_mut(|f| *f = footprint);
                TimeoutFuture::new(config.round_interval_ms).await;
            }
        };
        futures::pin_mut!(rounds);
        futures::select! {
            end = driver.fuse() => ended(end),
            () = rounds.fuse() => Ok(()),
        }
    }

    /// Rounds straight over the storage side's HTTP endpoints (the manifest's indexer and EVM RPC);
    /// ends (`Err`) when the manifest fails.
    async fn over_http(&mut self) -> Result<(), String> {
        let mut connected = false;
        loop {
            let manifest = fetch_manifest(self.config).await?;
            let (Some(indexer), Some(evm), Some(flow)) = (manifest.indexer, manifest.evm, manifest.flow) else {
                return Err("the manifest names no indexer, EVM RPC and flow for transport=http".into());
            };
            if !connected {
                connected = true;
                *self.attempt = 0;
                (self.emit)(NodeEvent::Connection(ConnectionState { transport: "http", ..connection("connected") }));
            }
            *self.round += 1;
            let upstreams = FetchUpstreams { indexer, evm, timeout_ms: self.config.request_timeout_ms };
            let link_alive = || async { fetch_manifest(self.config).await.is_ok() };
            let round = *self.round;
            let emit = self.emit;
            emit(NodeEvent::Round { round, state: "started", nodes: 0 });
            // The tab's own fetches: the owner's own observation, and no second path.
            let own = FirstPath { relay: RelayRef { index: 0, peer: String::new(), address: String::new() }, trusted: true };
            let complete = storage_pass(self.config, round, &upstreams, &flow, &own, &SecondPaths::default(), emit, &link_alive).await;
            emit(NodeEvent::Round { round, state: if complete { "finished" } else { "interrupted" }, nodes: 0 });
            TimeoutFuture::new(self.config.round_interval_ms).await;
        }
    }
}

/// The session's end when the connection's driver stopped: `Err` with the reason when it was lost.
fn ended(end: ClientEnd) -> Result<(), String> {
    match end {
        ClientEnd::Disconnected(reason) => Err(reason),
        ClientEnd::Dropped => Ok(()),
    }
}

/// The storage side over plain HTTP: the indexer, the EVM RPC and each node, with `fetch`.
struct FetchUpstreams {
    indexer: String,
    evm: String,
    timeout_ms: u32,
}

impl StorageUpstreams for FetchUpstreams {
    fn indexer(&self) -> impl JsonRpcTransport + '_ {
        FetchTransport::new(self.indexer.clone(), self.timeout_ms)
    }

    fn evm(&self) -> impl JsonRpcTransport + '_ {
        FetchTransport::new(self.evm.clone(), self.timeout_ms)
    }

    fn node(&self, url: &str) -> impl JsonRpcTransport + '_ {
        FetchTransport::new(url.to_string(), self.timeout_ms)
    }
}

thread_local! {
    static CURRENT: std::cell::RefCell<Option<(CheckClient, RelayInfo)>> = const { std::cell::RefCell::new(None) };
}

/// The connection of the running session and what its relay said of itself, for requests from
/// outside the rounds (`echo`, `evmCall`, `publishReport`).
struct Current;

impl Current {
    fn set(client: CheckClient, info: RelayInfo) -> Current {
        CURRENT.with_borrow_mut(|c| *c = Some((client, info)));
        Current
    }
}

impl Drop for Current {
    fn drop(&mut self) {
        CURRENT.with_borrow_mut(|c| *c = None);
    }
}

/// Round-trip times in ms of `count` sequential requests for `len` bytes over the current
/// connection, timed inside the worker.
pub async fn echo(len: u32, count: u32) -> Result<Vec<f64>, String> {
    let client = current_client().ok_or("not connected to a relay")?;
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).map_err(|_| "no performance")?;
    let performance: web_sys::Performance = performance.dyn_into().map_err(|_| "no performance")?;
    let mut times = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let start = performance.now();
        match client.send(CheckRequest::Echo { len }).await {
            Ok(CheckResponse::Echo { data }) if data.len() == len as usize => times.push(performance.now() - start),
            Ok(_) => return Err("unexpected answer to echo".into()),
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(times)
}

/// The running session's connection, if it is through a relay.
pub fn current_client() -> Option<CheckClient> {
    CURRENT.with_borrow(|c| c.as_ref().map(|(client, _)| client.clone()))
}

/// What the current relay said of its network.
pub fn current_relay() -> Option<RelayInfo> {
    CURRENT.with_borrow(|c| c.as_ref().map(|(_, info)| info.clone()))
}

/// Largest EVM call the page may send through the relay.
const MAX_EVM_CALL_BYTES: usize = 16 * 1024;

/// One EVM JSON-RPC call through the relay (the licenses panel's reads): the RPC's answer, as text.
pub async fn evm_call(chain: EvmChain, call: String) -> Result<String, String> {
    if call.len() > MAX_EVM_CALL_BYTES {
        return Err(format!("the call is over {MAX_EVM_CALL_BYTES} bytes"));
    }
    let call = serde_json::value::RawValue::from_string(call).map_err(|e| format!("the call is not JSON: {e}"))?;
    let client = current_client().ok_or("not connected to a relay")?;
    match client.send(CheckRequest::Evm { chain, call }).await.map_err(|e| e.to_string())? {
        CheckResponse::Rpc { answer } => Ok(answer.get().to_string()),
        CheckResponse::Failure(f) => Err(format!("the relay refused the call ({}): {}", f.code, f.message)),
        other => Err(format!("unexpected answer {}", other.kind())),
    }
}

/// `min * 2^attempt`, capped, then a uniform jitter of +-50% so many tabs do not retry in step.
pub(super) fn backoff(config: &NodeConfig, attempt: u32) -> u32 {
    let base = (config.min_backoff_ms as u64 * (1u64 << attempt.min(20))).min(config.max_backoff_ms as u64) as f64;
    (base * (0.5 + js_sys::Math::random())) as u32
}

/// The parts of a devnet's manifest (`/devnet.json`) the node reads.
#[derive(Deserialize)]
pub(super) struct Manifest {
    relay: Option<String>,
    /// Every relay, the first the primary (older manifests name `relay` alone).
    #[serde(default)]
    pub(super) relays: Vec<String>,
    indexer: Option<String>,
    evm: Option<String>,
    flow: Option<FlowSource>,
    /// The chain's trust anchor, for a page whose configuration is the devnet's.
    pub(super) cometbft: Option<ManifestChain>,
}

/// The manifest as its server has it now. A server that does not answer within the request
/// time-out is an error too: a fetch has none of its own, and over HTTP a round asks this whether
/// its link still answers. As in [`FetchTransport`], the request is aborted then, so a silent
/// server holds no fetch open.
pub(super) async fn fetch_manifest(config: &NodeConfig) -> Result<Manifest, String> {
    let url = config.manifest_url.as_deref().ok_or("no manifest URL")?;
    let controller = web_sys::AbortController::new().map_err(|_| "manifest: no AbortController")?;
    let signal = controller.signal();
    let _timer = gloo_timers::callback::Timeout::new(config.request_timeout_ms, move || controller.abort());
    let read = async {
        let response = gloo_net::http::Request::get(url).abort_signal(Some(&signal)).send().await.map_err(|e| format!("manifest: {e}"))?;
        if !response.ok() {
            return Err(format!("manifest: HTTP {}", response.status()));
        }
        response.json().await.map_err(|e| format!("manifest: {e}"))
    };
    read.await.map_err(|e| if signal.aborted() { format!("manifest: no answer within {} ms", config.request_timeout_ms) } else { e })
}

/// Relay `index` to dial: the configured address, or the one the manifest names now.
pub(super) async fn relay_address(config: &NodeConfig, index: usize) -> Result<Multiaddr, String> {
    let address = match (config.relays.get(index), &config.manifest_url) {
        (Some(relay), _) => relay.address().to_string(),
        (None, Some(_)) if config.relays.is_empty() => {
            let manifest = fetch_manifest(config).await?;
            let named = if manifest.relays.is_empty() { manifest.relay.filter(|_| index == 0) } else { manifest.relays.get(index).cloned() };
            named.ok_or_else(|| format!("the manifest names no relay {index}"))?
        }
        _ if index > 0 => return Err(format!("no relay {index} configured")),
        _ => return Err("no relay configured: give `relay` or `relays` (multiaddrs) or `manifestUrl`".into()),
    };
    crate::relay_address::parse_relay_address(&address).map_err(|e| format!("relay address {address}: {e}"))
}

/// Dials relay `index` at `address`: its own peer connection in the tab, its own swarm here.
pub(super) async fn connect(config: &NodeConfig, index: usize, address: Multiaddr) -> Result<(CheckClient, String, impl Future<Output = ClientEnd>), String> {
    let Some(libp2p::multiaddr::Protocol::P2p(peer)) = address.iter().last() else {
        return Err(format!("relay address {address} has no /p2p/ peer id"));
    };
    let timeout = Duration::from_millis(config.request_timeout_ms as u64);
    let mut swarm = libp2p::SwarmBuilder::with_new_identity()
        .with_wasm_bindgen()
        .with_other_transport(|keys| {
            WorkerRtcTransport::for_relay(keys.clone(), index).map(|(peer, connection), _| (peer, StreamMuxerBox::new(connection)))
        })
        .map_err(|e| e.to_string())?
        .with_behaviour(|_| {
            request_response::Behaviour::new(
                [(StreamProtocol::new(PROTOCOL_NAME), ProtocolSupport::Outbound)],
                request_response::Config::default().with_request_timeout(timeout),
            )
        })
        .map_err(|e| e.to_string())?
        // Every request opens its own substream on the one protocol the relay speaks: the protocol
        // is proposed together with the request instead of after a round trip of its own (a
        // refusal still fails the request, as the relay's answer).
        .with_swarm_config(|c| {
            c.with_idle_connection_timeout(Duration::from_secs(24 * 3600))
                .with_substream_upgrade_protocol_override(libp2p::core::upgrade::Version::V1Lazy)
        })
        .build();
    swarm.dial(address.clone()).map_err(|e| e.to_string())?;
    let established = async {
        loop {
            match swarm.select_next_some().await {
                SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == peer => return Ok(()),
                SwarmEvent::OutgoingConnectionError { error, .. } => return Err(error.to_string()),
                _ => {}
            }
        }
    };
    futures::select! {
        r = established.fuse() => r?,
        () = TimeoutFuture::new(config.dial_timeout_ms).fuse() => return Err(format!("dial timed out after {} ms", config.dial_timeout_ms)),
    }
    let (client, driver) = CheckClient::new(swarm, peer, config.request_timeout_ms as u64);
    Ok((client, peer.to_string(), driver))
}

/// One round through the relay: storage, DA, validators and serving side by side, each where the
/// relay's profile has it, their requests under one in-flight limit; the round lasts about as long
/// as its slowest kind, not their sum. When a check gets no answer, `link_alive` asks whether our
/// own link to the relay still works (it goes around the limit: it asks about our link, not a
/// node): when it does not, the fault may be ours, so that kind reports nothing more and the round
/// ends "interrupted".
async fn full_round<P>(config: &NodeConfig, round: u64, through: &Through<'_>, memory: &RefCell<Memory>, emit: &Rc<dyn Fn(NodeEvent)>, link_alive: impl Fn() -> P)
where
    P: Future<Output = bool>,
{
    let Through { info, client, first, paths } = *through;
    emit(NodeEvent::Round { round, state: "started", nodes: 0 });
    use super::worker::CheckKind;
    let limit = InFlightLimit::new(config.max_in_flight);
    let sender = Limited { sender: client, limit: &limit };
    // Serving's first verdict takes a listing and one provider's two answers; storage and DA send
    // dozens of requests at once and hash and pair the answers on this one thread. Started
    // together, they held a fresh tab's first verdict back by about 150 ms. So they wait for
    // serving's first verdict (or its end), at most `SERVING_HEAD_START_MS`.
    let (serving_first, da_first, storage_first) = (FirstVerdict::new(), FirstVerdict::new(), FirstVerdict::new());
    let head_start = {
        let (timeout, heard) = (TimeoutFuture::new(SERVING_HEAD_START_MS), serving_first.heard());
        async move {
            futures::select! {
                () = heard.fuse() => {},
                () = timeout.fuse() => {},
            }
        }
        .shared()
    };
    // A pass that found our own link down: the validators do not start after it (their reads
    // would only wait on the same silence, and the round must end "interrupted" before the
    // browser gives the connection up).
    let link_lost = Cell::new(false);
    let ended = |first: &FirstVerdict, complete: bool| {
        link_lost.set(link_lost.get() || !complete);
        first.release();
        complete
    };
    let emit_storage = storage_first.watching(emit);
    let storage = async {
        head_start.clone().await;
        let complete = match &info.flow {
            Some(flow) if info.upstreams.indexer && config.checks(CheckKind::Storage) => {
                storage_pass(config, round, &RelayUpstreams(&sender), flow, first, paths, &emit_storage, &link_alive).await
            }
            _ => true,
        };
        ended(&storage_first, complete)
    };
    let pass = RoundPass { config, round, first, paths, info, sender: &sender, memory, emit, link_alive: &link_alive };
    let emit_da = da_first.watching(emit);
    let da = async {
        head_start.clone().await;
        let complete = !config.checks(CheckKind::Da) || RoundPass { emit: &emit_da, ..pass }.da().await;
        ended(&da_first, complete)
    };
    let emit_serving = serving_first.watching(emit);
    let serving = async {
        let complete = !config.checks(CheckKind::Serving) || RoundPass { emit: &emit_serving, ..pass }.serving().await;
        ended(&serving_first, complete)
    };
    // The validator check is mostly signature checking on this thread (up to its CPU budget): it
    // starts once storage, DA and serving have each given their first verdict (or ended), so
    // their first answers are not queued behind it, and a node or provider that does not answer
    // holds back its own verdict only, not the validators'; not at all when one of them ended
    // finding our link down by then. (A pass is never dropped half-way: DA and serving keep state
    // across rounds.)
    let validators = async {
        futures::join!(storage_first.heard(), da_first.heard(), serving_first.heard());
        !link_lost.get() && validator_pass(config, round, info, &sender, first, paths, memory, emit, &link_alive).await
    };
    let (storage, da, serving, validators) = futures::join!(storage, da, serving, validators);
    let complete = storage && da && serving && validators;
    emit(NodeEvent::Round { round, state: if complete { "finished" } else { "interrupted" }, nodes: 0 });
}

/// The storage side of a round: the indexer's nodes, the chain's files, a verdict per node.
/// A node the first path could not settle (unreachable, or an unsigned fault through a relay the
/// owner does not trust) waits for a second path's look when one is connected, at the end of the
/// pass. `false` when our own link failed.
#[allow(clippy::too_many_arguments)]
async fn storage_pass<U, P>(
    config: &NodeConfig,
    round: u64,
    upstreams: &U,
    flow: &FlowSource,
    first: &FirstPath,
    paths: &SecondPaths,
    emit: &Rc<dyn Fn(NodeEvent)>,
    link_alive: &impl Fn() -> P,
) -> bool
where
    U: StorageUpstreams,
    P: Future<Output = bool>,
{
    let pass = pass_config(config);
    let (nodes, files) = match discover(upstreams, flow, &config.owner_roots, &pass).await {
        Ok(found) => found,
        Err(_) if !link_alive().await => return false,
        Err(e) => {
            emit(NodeEvent::Problem { round, kind: "storage", message: e.to_string() });
            return true;
        }
    };
    emit(NodeEvent::Files { round, files: files.clone() });
    let second = paths.first();
    let emit_storage = |node: String, verdict: Rechecked<StorageVerdict>| emit(NodeEvent::Verdict { round, node, kind: "storage", verdict: Verdict::Storage(verdict) });
    let mut held: Vec<(String, StoragePath)> = Vec::new();
    let complete = run_storage_pass(upstreams, &files, &nodes, &pass, super::random::seed, link_alive, |node, verdict| {
        let path = StoragePath { relay: first.relay.clone(), trusted: first.trusted, verdict };
        match &second {
            Some(_) if path.needs_second_path() && held.len() < MAX_SECOND_LOOKS => held.push((node.to_string(), path)),
            _ => emit_storage(node.to_string(), storage_verdict(path, None)),
        }
    })
    .await;
    let Some(second) = second.filter(|_| complete && !held.is_empty()) else { return complete };
    let asked: Vec<(String, StorageVerdict)> = held.iter().map(|(node, path)| (node.clone(), path.verdict.clone())).collect();
    let sights = storage_second_look(config, &second, &asked).await;
    for ((node, path), sight) in held.into_iter().zip(sights) {
        let seen = sight.map(|s| SecondStoragePath { relay: second.relay.clone(), trusted: second.trusted, segment: s.segment, whole: s.whole });
        emit_storage(node, storage_verdict(path, seen));
    }
    true
}

/// The primary relay's path: who it is, and whether the owner trusts it.
pub(super) struct FirstPath {
    pub relay: RelayRef,
    pub trusted: bool,
}

/// What a round over libp2p goes through: the primary's connection and profile, and the second paths.
#[derive(Clone, Copy)]
struct Through<'a> {
    info: &'a RelayInfo,
    client: &'a CheckClient,
    first: &'a FirstPath,
    paths: &'a SecondPaths,
}

/// What the DA and serving passes of one round over libp2p work with.
struct RoundPass<'a, S, L> {
    config: &'a NodeConfig,
    round: u64,
    /// The primary relay, and whether the owner runs it ([`NodeConfig::trusted_relay`]).
    first: &'a FirstPath,
    /// Where what the primary's path could not settle is looked at again.
    paths: &'a SecondPaths,
    info: &'a RelayInfo,
    sender: &'a S,
    memory: &'a RefCell<Memory>,
    emit: &'a Rc<dyn Fn(NodeEvent)>,
    /// Whether our own link still answers: asked before anything is reported unreachable.
    link_alive: L,
}

impl<S, L, P> RoundPass<'_, S, L>
where
    S: CheckSender,
    L: Fn() -> P,
    P: Future<Output = bool>,
{
    /// Certificates from the chain, then rows sampled from each signer, each verdict reported as
    /// soon as it is decided; one the first path could not settle waits for a second path's own
    /// pass, when one is connected, at the end. `false` when our link failed.
    async fn da(&self) -> bool {
        let Some(source) = self.info.da.as_ref().filter(|_| self.info.upstreams.da) else { return true };
        let Some(seed) = super::random::seed() else {
            return true; // No randomness, no sample: nothing to report rather than a predictable one.
        };
        let mut memory = std::mem::take(&mut self.memory.borrow_mut().da);
        let second = self.paths.first();
        let held: RefCell<Vec<(String, DaPath)>> = RefCell::default();
        let (round, emit, link_alive, first, has_second, held_ref) = (self.round, self.emit, &self.link_alive, self.first, second.is_some(), &held);
        let mut each = |node: String, verdict: DaVerdict| -> LocalBoxFuture<'_, bool> {
            Box::pin(async move {
                let path = DaPath { relay: first.relay.clone(), trusted: first.trusted, verdict };
                // Not capped at `MAX_SECOND_LOOKS` as storage and serving are: a held DA verdict
                // keeps no node's answer (its reason at most a status message of 512 bytes), the
                // quorums bound how many (the signers of `MAX_BLOBS` blobs' quorums), and the
                // second look is one whole DA pass however many wait for it.
                if has_second && path.needs_second_path() {
                    held_ref.borrow_mut().push((node, path));
                    return true;
                }
                let verdict = da_verdict(path, None);
                if verdict.verdict.may_be_our_link() && !link_alive().await {
                    return false;
                }
                emit(NodeEvent::Verdict { round, node, kind: "da", verdict: Verdict::Da(verdict) });
                true
            })
        };
        let complete = run_da_pass_each(self.sender, source, self.info.max_log_range, &mut memory, seed, &mut each).await;
        self.memory.borrow_mut().da = memory;
        let complete = match complete {
            Ok(complete) => complete,
            Err(e) => return self.problem("da", e.to_string()).await,
        };
        let held = held.into_inner();
        let (true, Some(second)) = (complete && !held.is_empty(), second) else { return complete };
        let seconds = da_second_look(self.config, &second, self.memory).await;
        let verdicts: Vec<(String, Rechecked<DaVerdict>)> = held
            .into_iter()
            .map(|(node, path)| {
                let seen = seconds.iter().find(|(n, _)| *n == node).map(|(_, verdict)| DaPath { relay: second.relay.clone(), trusted: second.trusted, verdict: verdict.clone() });
                (node, da_verdict(path, seen))
            })
            .collect();
        let doubtful = verdicts.iter().any(|(_, v)| v.verdict.may_be_our_link());
        self.report("da", verdicts.into_iter().map(|(n, v)| (n, Verdict::Da(v))), doubtful).await
    }

    /// Asks every provider the serving contract lists (canaries it can re-run, drift prompts
    /// otherwise) and reports each as soon as it is decided; a provider the first path could not
    /// get a signed answer from waits for a second path's look, when one is connected, at the end
    /// of the pass. `false` when a provider was unreachable and our link is down (nothing more is
    /// reported).
    async fn serving(&self) -> bool {
        let Some(source) = &self.info.serving else { return true };
        if !self.info.upstreams.chat {
            (self.emit)(NodeEvent::Problem { round: self.round, kind: "serving", message: "the relay has no funded serving account: providers are not asked".into() });
            return true;
        }
        let Some(seed) = super::random::seed() else { return true };
        let mut state = std::mem::take(&mut self.memory.borrow_mut().serving);
        let second = self.paths.first();
        let held: RefCell<Vec<(String, ServingPath)>> = RefCell::default();
        let (round, emit, link_alive, first, has_second, held_ref) = (self.round, self.emit, &self.link_alive, self.first, second.is_some(), &held);
        let each = |node: String, verdict: ServingVerdict| async move {
            if matches!(verdict, ServingVerdict::Unreachable { .. }) && !link_alive().await {
                return false;
            }
            let path = ServingPath { relay: first.relay.clone(), trusted: first.trusted, verdict };
            if has_second && path.needs_second_path() && held_ref.borrow().len() < MAX_SECOND_LOOKS {
                held_ref.borrow_mut().push((node, path));
                return true;
            }
            emit(NodeEvent::Verdict { round, node, kind: "serving", verdict: Verdict::Serving(serving_verdict(path, None)) });
            true
        };
        let complete = run_serving_pass_each(self.sender, source, &mut state, seed, each).await;
        self.memory.borrow_mut().serving = state;
        let complete = match complete {
            Ok(complete) => complete,
            Err(e) => return self.problem("serving", e.to_string()).await,
        };
        let held = held.into_inner();
        if let (true, Some(second)) = (complete && !held.is_empty(), second) {
            let ids: Vec<String> = held.iter().map(|(node, _)| node.clone()).collect();
            let seconds = serving_second_look(self.config, &second, self.memory, &ids).await;
            for (node, path) in held {
                let seen = seconds.iter().find(|(n, _)| *n == node).map(|(_, verdict)| ServingPath { relay: second.relay.clone(), trusted: second.trusted, verdict: verdict.clone() });
                emit(NodeEvent::Verdict { round, node, kind: "serving", verdict: Verdict::Serving(serving_verdict(path, seen)) });
            }
        }
        complete
    }

    /// A pass that could not list what to check: nobody is judged. `false` when our link is down.
    async fn problem(&self, kind: &'static str, message: String) -> bool {
        if !(self.link_alive)().await {
            return false;
        }
        (self.emit)(NodeEvent::Problem { round: self.round, kind, message });
        true
    }

    /// Emits a pass's verdicts, unless one of them may be our link's doing (`doubtful`: an
    /// unreachable node, an unchecked one) and our own link turns out to be down: then nothing is
    /// reported and the round is cut (`false`).
    async fn report(&self, kind: &'static str, verdicts: impl Iterator<Item = (String, Verdict)>, doubtful: bool) -> bool {
        if doubtful && !(self.link_alive)().await {
            return false;
        }
        for (node, verdict) in verdicts {
            (self.emit)(NodeEvent::Verdict { round: self.round, node, kind, verdict });
        }
        true
    }
}
