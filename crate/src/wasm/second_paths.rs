//! The relays after the first (docs/trust.md, "Two relays"): each its own connection, kept up
//! beside the primary's session, refused when its hello names another chain than the primary's
//! or when it is the same peer as another relay. A round asks the first connected one to look
//! again at what the primary's path could not settle; the verdict the two paths allow is
//! [`crate::paths`]'s to decide, not this file's.

use super::node::{backoff, connect, fetch_manifest, relay_address, Memory, NodeConfig, NodeEvent};
use crate::p2p::{CheckClient, ClientEnd};
use crate::paths::RelayRef;
use crate::cometbft::SecondVotes;
use crate::protocol::{run_da_pass, run_serving_pass_for, DaMemory, CheckRequest, CheckResponse, CheckSender, InFlightLimit, Limited, RelayInfo, RelayUpstreams};
use crate::da::DaVerdict;
use crate::serving::{ServingState, ServingVerdict};
use crate::storage::{second_look, PassConfig, SecondLook, SecondSight, StorageVerdict};
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// Relays a node uses at most (the first and up to seven others).
pub const MAX_RELAYS: usize = 8;
/// Storage nodes (or serving providers) held for a second look per round, at most: each holds its
/// first path's verdict (with the node's answer, up to 1 MiB) until the pass ends. Past it, the
/// first path's word stands.
pub const MAX_SECOND_LOOKS: usize = 16;

/// What a second path's own looks keep across rounds: its DA pass's quorums, its serving drift
/// tests, and the validators' votes it showed ([`SecondVotes`]).
#[derive(Default)]
pub(super) struct SecondMemory {
    pub(super) da: DaMemory,
    pub(super) serving: ServingState,
    pub(super) votes: SecondVotes,
}

/// A relay that said hello in front of the primary's chain: a second path.
#[derive(Clone)]
pub(super) struct SecondPath {
    pub relay: RelayRef,
    pub trusted: bool,
    client: CheckClient,
    info: RelayInfo,
}

/// The second paths connected now, and the primary relay's peer (a relay that is the same peer is
/// no second path).
#[derive(Default)]
pub(super) struct SecondPaths {
    connected: RefCell<Vec<SecondPath>>,
    pub(super) primary_peer: RefCell<Option<String>>,
}

impl SecondPath {
    /// Its connection, when its relay reaches a CometBFT RPC (for the validators' second look).
    pub(super) fn comet(&self) -> Option<&CheckClient> {
        self.info.upstreams.cometbft.then_some(&self.client)
    }
}

impl SecondPaths {
    /// The connected second path with the lowest index, for this round's second looks.
    pub(super) fn first(&self) -> Option<SecondPath> {
        self.connected.borrow().iter().min_by_key(|p| p.relay.index).cloned()
    }

    fn remove(&self, index: usize) {
        self.connected.borrow_mut().retain(|p| p.relay.index != index);
    }
}

/// A relay's connection, as `relay` events report it (the primary's is the `connection` event).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayState {
    /// Its place in the configured list (1 is the first after the primary).
    pub index: usize,
    /// `connecting`, `connected`, `reconnecting`, `refused` (its hello names another chain, or it
    /// is another relay's peer again: it is not used) or `stopped`.
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// The chain it said it is in front of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_in_ms: Option<u32>,
}

impl RelayState {
    pub(super) fn new(index: usize, state: &'static str) -> RelayState {
        RelayState { index, state, address: None, peer: None, chain_id: None, trusted: None, error: None, retry_in_ms: None }
    }
}

/// Why a second path's session ended.
enum PathEnd {
    /// A fresh connection is due (its data channels freed).
    Done,
    Lost(String),
    /// Not a path to use: the message says why.
    Refused(String),
}

/// Keeps relays 1.. connected until the node is dropped; the count is the configured list's, else
/// the manifest's (read until it answers). Nothing to do over `transport=http`.
pub(super) async fn keep_second_paths(config: &NodeConfig, emit: &Rc<dyn Fn(NodeEvent)>, memory: &RefCell<Memory>, paths: &SecondPaths) {
    if config.transport == "http" {
        return;
    }
    let count = loop {
        if !config.relays.is_empty() || config.manifest_url.is_none() {
            break config.relays.len();
        }
        match fetch_manifest(config).await {
            Ok(manifest) => break manifest.relays.len(),
            Err(_) => TimeoutFuture::new(config.max_backoff_ms).await,
        }
    };
    futures::future::join_all((1..count.min(MAX_RELAYS)).map(|index| keep_second_path(index, config, emit, memory, paths))).await;
}

async fn keep_second_path(index: usize, config: &NodeConfig, emit: &Rc<dyn Fn(NodeEvent)>, memory: &RefCell<Memory>, paths: &SecondPaths) {
    let mut attempt = 0u32;
    loop {
        emit(NodeEvent::Relay(RelayState::new(index, if attempt == 0 { "connecting" } else { "reconnecting" })));
        let end = second_session(index, config, emit, memory, paths, &mut attempt).await;
        paths.remove(index);
        let (state, error, delay) = match end {
            PathEnd::Done => continue,
            PathEnd::Lost(error) => ("reconnecting", error, backoff(config, attempt)),
            PathEnd::Refused(error) => ("refused", error, config.max_backoff_ms),
        };
        attempt = attempt.saturating_add(1);
        emit(NodeEvent::Relay(RelayState { error: Some(error), retry_in_ms: Some(delay), ..RelayState::new(index, state) }));
        TimeoutFuture::new(delay).await;
    }
}

/// One connection to relay `index`: hello, the chain and peer checks, then kept until it ends.
async fn second_session(
    index: usize,
    config: &NodeConfig,
    emit: &Rc<dyn Fn(NodeEvent)>,
    memory: &RefCell<Memory>,
    paths: &SecondPaths,
    attempt: &mut u32,
) -> PathEnd {
    let address = match relay_address(config, index).await {
        Ok(address) => address,
        Err(e) => return PathEnd::Lost(e),
    };
    let (client, peer, driver) = match connect(config, index, address.clone()).await {
        Ok(connected) => connected,
        Err(e) => return PathEnd::Lost(e),
    };
    futures::pin_mut!(driver);
    let lost = |end: ClientEnd, what: &str| match end {
        ClientEnd::Disconnected(reason) => PathEnd::Lost(reason),
        ClientEnd::Dropped => PathEnd::Lost(format!("the relay went away {what}")),
    };
    let hello = async {
        match client.send(CheckRequest::Hello).await {
            Ok(CheckResponse::Hello(info)) => Ok(info),
            Ok(other) => Err(format!("relay {index} answered hello with {}", other.kind())),
            Err(e) => Err(format!("relay {index} did not say hello: {e}")),
        }
    };
    let info = futures::select! {
        info = hello.fuse() => match info { Ok(info) => info, Err(e) => return PathEnd::Lost(e) },
        end = driver.as_mut().fuse() => return lost(end, "before it said hello"),
    };
    // The primary's chain decides: a relay in front of another is refused, never mixed in.
    let pinned = async {
        loop {
            if let Some(chain) = memory.borrow().chain_id {
                return chain;
            }
            TimeoutFuture::new(100).await;
        }
    };
    let pinned = futures::select! {
        chain = pinned.fuse() => chain,
        end = driver.as_mut().fuse() => return lost(end, "while the first relay had not said hello yet"),
    };
    if info.chain_id != pinned {
        return PathEnd::Refused(format!(
            "relay {index} ({address}) says it is in front of chain {}, the first relay of this run is in front of chain {pinned}: not used",
            info.chain_id
        ));
    }
    let same = paths.primary_peer.borrow().as_ref().is_some_and(|p| *p == peer).then_some(0).or_else(|| paths.connected.borrow().iter().find(|p| p.relay.peer == peer).map(|p| p.relay.index));
    if let Some(other) = same {
        return PathEnd::Refused(format!("relay {index} is peer {peer}, as relay {other} is: two paths through one relay are not independent; not used"));
    }
    *attempt = 0;
    let relay = RelayRef { index, peer: peer.clone(), address: address.to_string() };
    let trusted = config.relay_trusted(index);
    paths.connected.borrow_mut().push(SecondPath { relay, trusted, client, info: info.clone() });
    emit(NodeEvent::Relay(RelayState {
        address: Some(address.to_string()),
        peer: Some(peer),
        chain_id: Some(info.chain_id),
        trusted: Some(trusted),
        ..RelayState::new(index, "connected")
    }));
    let first_stream = super::rtc::streams_opened();
    let watch = async {
        while super::rtc::streams_opened().wrapping_sub(first_stream) <= super::rtc::MAX_STREAMS_PER_CONNECTION {
            TimeoutFuture::new(200).await;
        }
    };
    futures::select! {
        end = driver.fuse() => lost(end, "after it connected"),
        () = watch.fuse() => PathEnd::Done,
    }
}

/// The storage pass's configuration for `config` (the second look uses the same).
pub(super) fn pass_config(config: &NodeConfig) -> PassConfig {
    PassConfig {
        recent_files: config.recent_files,
        concurrency: config.concurrency.max(1),
        pipeline: config.pipeline.max(1),
        check_timeout: std::time::Duration::from_millis(config.check_timeout_ms as u64),
        ..PassConfig::default()
    }
}

/// What `second` sees of each held node (their first path's verdicts): in order, `None` where it
/// could not say (no storage through it, or it could not list nodes and files).
pub(super) async fn storage_second_look(config: &NodeConfig, second: &SecondPath, held: &[(String, StorageVerdict)]) -> Vec<Option<SecondSight>> {
    let nothing = || vec![None; held.len()];
    let Some(flow) = second.info.flow.filter(|_| second.info.upstreams.indexer) else { return nothing() };
    let limit = InFlightLimit::new(config.max_in_flight);
    let sender = Limited { sender: &second.client, limit: &limit };
    let asks: Vec<(String, SecondLook)> = held.iter().map(|(url, verdict)| (url.clone(), SecondLook::for_verdict(verdict).unwrap_or(SecondLook::Whole))).collect();
    match second_look(&RelayUpstreams(&sender), &flow, &config.owner_roots, &pass_config(config), super::random::seed, &asks).await {
        Ok(sights) => sights.into_iter().map(Some).collect(),
        Err(_) => nothing(),
    }
}

/// `second`'s own DA pass, by entity; empty when it has no DA side or its chain could not be read.
pub(super) async fn da_second_look(config: &NodeConfig, second: &SecondPath, memory: &RefCell<Memory>) -> Vec<(String, DaVerdict)> {
    let Some(source) = second.info.da.as_ref().filter(|_| second.info.upstreams.da) else { return Vec::new() };
    let Some(seed) = super::random::seed() else { return Vec::new() };
    let limit = InFlightLimit::new(config.max_in_flight);
    let sender = Limited { sender: &second.client, limit: &limit };
    let mut da = std::mem::take(&mut memory.borrow_mut().second.entry(second.relay.index).or_default().da);
    let verdicts = run_da_pass(&sender, source, second.info.max_log_range, &mut da, seed).await;
    memory.borrow_mut().second.entry(second.relay.index).or_default().da = da;
    verdicts.unwrap_or_default()
}

/// `second`'s own look at the serving `providers` the first path could not reach, by provider;
/// empty when it has no funded serving account or could not list the providers.
pub(super) async fn serving_second_look(config: &NodeConfig, second: &SecondPath, memory: &RefCell<Memory>, providers: &[String]) -> Vec<(String, ServingVerdict)> {
    let Some(source) = second.info.serving.as_ref().filter(|_| second.info.upstreams.chat) else { return Vec::new() };
    let Some(seed) = super::random::seed() else { return Vec::new() };
    let limit = InFlightLimit::new(config.max_in_flight);
    let sender = Limited { sender: &second.client, limit: &limit };
    let mut state = std::mem::take(&mut memory.borrow_mut().second.entry(second.relay.index).or_default().serving);
    let verdicts = run_serving_pass_for(&sender, source, &mut state, seed, providers).await;
    memory.borrow_mut().second.entry(second.relay.index).or_default().serving = state;
    verdicts.unwrap_or_default()
}
