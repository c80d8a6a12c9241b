//! The dedicated worker's entry and its one message protocol with the tab.
//!
//! Tab to worker: a [`Request`], `{id, method, params}` with `method` and `params` one of the
//! [`Command`]s. Worker to tab: a [`WorkerMessage`]: `{id, result}`, or `{id, error, reason?}`
//! where `error` is a real `Error` (structured clone keeps its class and message); `{event}` for
//! subscribers; `{type: "ready"}` once. Both derive their TypeScript declarations (tsify), which
//! wasm-bindgen writes into the package's `.d.ts`: the npm package's types are these types.
//! `{rtc: ..}` messages in both directions belong to the RTC bridge (see `rtc`); `{type: "request" |
//! "response"}` ones carry the worker's own requests to the tab, for wallet signatures (see `signing`).

use super::node::{self, NodeConfig, NodeEvent};
use super::second_paths::MAX_RELAYS;
use super::rtc;
use super::signing;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use tsify_next::Tsify;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// TypeScript for what tsify cannot derive here: the request envelope, and the node's events,
/// whose types live with the checks (their verdicts are typed loosely: each kind's own fields).
#[wasm_bindgen(typescript_custom_section)]
const PROTOCOL_TS: &str = r#"
/** What the tab sends: `{id, method, params}`; the id comes back in the answer. */
export type Request = { id: number } & Command;
export interface ConnectionEvent {
    type: "connection";
    state: "connecting" | "connected" | "reconnecting" | "stopped" | string;
    transport: string;
    peer?: string;
    relay?: RelayInfo;
    error?: string;
    retryInMs?: number;
}
/** The relay's network profile (it says hello first). */
export interface RelayInfo { network: string; chainId: number; [field: string]: unknown }
export interface RoundEvent { type: "round"; round: number; state: "started" | "finished" | string; nodes: number }
export interface FilesEvent { type: "files"; round: number; files: { root: string; source: string; flow?: { size: number; [field: string]: unknown } | null }[] }
/** One node's verdict of one kind: `verdict.verdict` is `healthy`, `misbehaving`, `unreachable`, `unchecked`, ... with the kind's own fields;
 * when a second relay was asked (any kind), `verdict.paths` says what each relay saw, `verdict.relayFault` what the first relay hid or forged,
 * `verdict.confirmed` that the same fault came through both. */
export interface VerdictEvent { type: "verdict"; round: number; node: string; kind: CheckKind; verdict: { verdict: string; [field: string]: unknown } }
/** A kind could not be checked this round (its upstream did not answer): nobody is judged. */
export interface ProblemEvent { type: "problem"; round: number; kind: CheckKind; message: string }
/** A relay after the first (a second path, docs/trust.md): `refused` when its hello names another chain than the first relay's, or it is another relay's peer again (it is then not used). */
export interface RelayEvent {
    type: "relay";
    index: number;
    state: "connecting" | "connected" | "reconnecting" | "refused" | "stopped" | string;
    address?: string;
    peer?: string;
    chainId?: number;
    trusted?: boolean;
    error?: string;
    retryInMs?: number;
}
export type NodeEvent = ConnectionEvent | RoundEvent | FilesEvent | VerdictEvent | ProblemEvent | RelayEvent;
/** An alignment report signed by a license owner (EIP-712). */
export interface SignedReport { domain: Record<string, unknown>; report: Record<string, unknown>; signature: string }
"#;

/// The tab's commands, one per `method`; `params` as each names them.
#[derive(Debug, Deserialize, Tsify)]
#[serde(tag = "method", content = "params", rename_all = "camelCase")]
pub enum Command {
    /// Starts the node; answers `null`, or fails when it already runs. Its parameters are read
    /// as JSON, where serde refuses unknown names (serde-wasm-bindgen reads only the known ones).
    #[serde(with = "serde_wasm_bindgen::preserve")]
    Start(#[tsify(type = "StartParams | null")] JsValue),
    /// Stops the node; answers whether one was running.
    Stop,
    /// Answers a [`Status`].
    Status,
    /// Sends the node's events to the tab from now on; answers `true`.
    Subscribe,
    /// Round trips over the relay connection: `count` messages of `len` bytes; answers each one's ms.
    Echo { len: f64, count: f64 },
    /// Signs EIP-712 typed data with the owner's wallet (through the tab); answers the signature.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    SignTypedData(#[tsify(type = "{ typedData: string | object; account: string }")] JsValue),
    /// Builds, signs and checks the report of a finished round; answers `{report, digest}`.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    ReportRound(
        #[tsify(type = "{ round: number; license: { tokenId: string; owner: string; operator?: string | null }; chainId: number; verifyingContract: string }")]
        JsValue,
    ),
    /// Sends a signed report over the connection; answers the network's `{accepted, ...}`.
    PublishReport {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[tsify(type = "SignedReport")]
        report: JsValue,
    },
    /// The relay's network profile, `null` before it said hello.
    RelayInfo,
    /// One EVM JSON-RPC call (its request as JSON text) through the relay; answers the RPC's answer text.
    EvmCall {
        #[serde(default)]
        #[tsify(optional, type = "\"zg\" | \"licenses\"")]
        chain: crate::protocol::EvmChain,
        call: String,
    },
    /// ABI-encodes a call to the license contract; answers its `0x` call data.
    LicenseCallData {
        method: String,
        #[serde(default)]
        #[tsify(optional)]
        args: Vec<String>,
    },
    /// Decodes a license contract call's answer; answers it as JSON.
    LicenseDecode { method: String, data: String },
    /// The rewards panel of a license for the days given (whole numbers); answers it as JSON.
    #[serde(rename_all = "camelCase")]
    RewardsPanel { days_since_tge: f64, days_self_run: f64, days_delegated: f64, commission_bps: f64 },
}

impl Command {
    /// What the parameters of `method` look like, for an error message.
    fn needs(method: &str) -> &'static str {
        match method {
            "echo" => "{len: 0..=524288, count: 1..=1000}",
            "publishReport" => "{report: {domain, report, signature}}",
            "reportRound" => "{round, license: {tokenId, owner, operator}, chainId, verifyingContract}",
            "evmCall" => "{chain: \"zg\" | \"licenses\", call: JSON-RPC request text}",
            "licenseCallData" => "{method, args: [string]}",
            "licenseDecode" => "{method, data}",
            "rewardsPanel" => "whole numbers {daysSinceTge, daysSelfRun, daysDelegated, commissionBps}",
            "signTypedData" => "{typedData, account}",
            _ => "no parameters",
        }
    }
}

/// The kinds of check a node runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub enum CheckKind {
    Storage,
    Da,
    Validator,
    Serving,
}

impl CheckKind {
    fn name(self) -> &'static str {
        match self {
            CheckKind::Storage => "storage",
            CheckKind::Da => "da",
            CheckKind::Validator => "validator",
            CheckKind::Serving => "serving",
        }
    }
}

/// `start`'s parameters: each unset one keeps the node's default (see `NodeConfig`). Unknown
/// names are refused, so a misspelt option is an error, not a silent default.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartParams {
    /// The relay's full multiaddr (`/ip4/../udp/../webrtc-direct/certhash/../p2p/..`): one relay,
    /// as `relays: [relay]`.
    #[tsify(optional)]
    pub relay: Option<String>,
    /// Relays, the first the primary, the others second paths (docs/trust.md): each a multiaddr or
    /// `{address, trusted}`. At most 8, each a distinct relay.
    #[tsify(optional, type = "(string | { address: string; trusted?: boolean })[]")]
    pub relays: Option<Vec<node::RelayEntry>>,
    /// A manifest (`/devnet.json`) naming the relays, read again at each reconnect; used when `relay` and `relays` are unset.
    #[tsify(optional)]
    pub manifest_url: Option<String>,
    /// `libp2p` (default: everything through the relay) or `http` (storage straight from the manifest's URLs).
    #[tsify(optional, type = "\"libp2p\" | \"http\"")]
    pub transport: Option<String>,
    /// Which kinds of verdict the node reports (default: all). Validator checking is skipped without `validator`.
    #[tsify(optional)]
    pub kinds: Option<Vec<CheckKind>>,
    /// File roots (`0x` and 64 hex digits) checked besides the chain's recent submissions.
    #[tsify(optional, type = "string[]")]
    pub owner_roots: Option<Vec<crate::hash::Hash32>>,
    #[tsify(optional)]
    pub recent_files: Option<usize>,
    #[tsify(optional)]
    pub request_timeout_ms: Option<u32>,
    #[tsify(optional)]
    pub check_timeout_ms: Option<u32>,
    /// Pause between rounds.
    #[tsify(optional)]
    pub round_interval_ms: Option<u32>,
    #[tsify(optional)]
    pub concurrency: Option<usize>,
    #[tsify(optional)]
    pub pipeline: Option<usize>,
    #[tsify(optional)]
    pub dial_timeout_ms: Option<u32>,
    #[tsify(optional)]
    pub min_backoff_ms: Option<u32>,
    #[tsify(optional)]
    pub max_backoff_ms: Option<u32>,
    /// The first round's number: continue the page's own numbering, so a (license, round) is never reported twice.
    #[tsify(optional)]
    pub first_round: Option<u64>,
    /// The validator check's trust anchor (weak subjectivity): chain id, a trusted height and its header hash.
    #[tsify(optional, type = "{ chainId: string; height: number; hash: string; profile?: string; trustingPeriodSeconds?: number }")]
    pub trust: Option<crate::cometbft::TrustConfig>,
    /// Milliseconds of validator signature checking per round (0: none). Default: a fortieth of
    /// the pause between rounds (500 ms at the default 20 s).
    #[tsify(optional)]
    pub validator_budget_ms: Option<u32>,
    /// The owner runs the (first) relay: unsigned evidence it relays counts as the owner's own
    /// observation (docs/trust.md). Default false.
    #[tsify(optional)]
    pub trusted_relay: Option<bool>,
}

impl StartParams {
    /// `start`'s parameters from the tab: none (`null`, `undefined`) or an object of known names.
    fn from_js(params: &JsValue) -> Result<StartParams, String> {
        if params.is_null() || params.is_undefined() {
            return Ok(StartParams::default());
        }
        let json = js_sys::JSON::stringify(params).ok().and_then(|s| s.as_string()).ok_or("start: parameters that are no JSON")?;
        let params: StartParams = serde_json::from_str(&json).map_err(|e| format!("start: {e}"))?;
        params.relay_list().map(|_| params)
    }

    /// The relays, `relay` or `relays`: a distinct address each, at most [`MAX_RELAYS`].
    fn relay_list(&self) -> Result<Vec<node::RelayEntry>, String> {
        let relays = match (&self.relay, &self.relays) {
            (Some(_), Some(_)) => return Err("start: give `relay` or `relays`, not both".into()),
            (Some(relay), None) => vec![node::RelayEntry::Address(relay.clone())],
            (None, relays) => relays.clone().unwrap_or_default(),
        };
        if relays.len() > MAX_RELAYS {
            return Err(format!("start: {} relays, at most {MAX_RELAYS}", relays.len()));
        }
        for (i, relay) in relays.iter().enumerate() {
            if let Some(j) = relays[..i].iter().position(|r| r.address() == relay.address()) {
                return Err(format!("start: relay {i} is relay {j} again: two paths through one relay are not independent"));
            }
        }
        Ok(relays)
    }

    /// The node's configuration: these parameters over its defaults.
    fn node_config(self) -> NodeConfig {
        let mut c = NodeConfig::default();
        c.relays = self.relay_list().unwrap_or_default();
        c.manifest_url = self.manifest_url.or(c.manifest_url);
        c.transport = self.transport.unwrap_or(c.transport);
        c.owner_roots = self.owner_roots.unwrap_or(c.owner_roots);
        c.recent_files = self.recent_files.unwrap_or(c.recent_files);
        c.request_timeout_ms = self.request_timeout_ms.unwrap_or(c.request_timeout_ms);
        c.check_timeout_ms = self.check_timeout_ms.unwrap_or(c.check_timeout_ms);
        c.round_interval_ms = self.round_interval_ms.unwrap_or(c.round_interval_ms);
        c.concurrency = self.concurrency.unwrap_or(c.concurrency);
        c.pipeline = self.pipeline.unwrap_or(c.pipeline);
        c.dial_timeout_ms = self.dial_timeout_ms.unwrap_or(c.dial_timeout_ms);
        c.min_backoff_ms = self.min_backoff_ms.unwrap_or(c.min_backoff_ms);
        c.max_backoff_ms = self.max_backoff_ms.unwrap_or(c.max_backoff_ms);
        c.first_round = self.first_round.unwrap_or(c.first_round);
        c.trust = self.trust.or(c.trust);
        c.validator_budget_ms = self.validator_budget_ms.unwrap_or(NodeConfig::validator_budget_for(c.round_interval_ms));
        c.trusted_relay = self.trusted_relay.unwrap_or(c.trusted_relay);
        c.kinds = self.kinds.clone();
        if self.kinds.as_ref().is_some_and(|k| !k.contains(&CheckKind::Validator)) {
            c.validator_budget_ms = 0;
        }
        c
    }
}

/// `status`'s answer.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub running: bool,
    /// The last connection event, `null` before the first.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "ConnectionEvent | null")]
    pub connection: JsValue,
    /// Verdicts reported since the worker started.
    pub verdicts: f64,
    /// The wasm linear memory: it never shrinks, so this is the Rust heap's high-water mark, the
    /// part of the node the license's 64 MB floor is about (with the worker's JS heap).
    pub wasm_memory_bytes: f64,
    /// Heap bytes the node holds now, and the most it held at once since the worker started (the
    /// counting allocator's): what the wasm memory is the high-water mark of.
    pub heap_bytes: f64,
    pub heap_peak_bytes: f64,
    /// What the node keeps across rounds, by count, as of the last round's end.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "Record<string, unknown>")]
    pub memory: JsValue,
    /// Milliseconds the worker spent running the node (polling its future) since it started: its
    /// CPU as seen from inside the page.
    pub busy_ms: f64,
    /// The global scope's class: `DedicatedWorkerGlobalScope` where the node belongs.
    pub scope: Option<String>,
}

/// `{type: "ready"}`'s tag.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub enum ReadyTag {
    Ready,
}

/// What the worker sends the tab (besides the RTC bridge's and the wallet's own messages).
#[derive(Debug, Serialize, Tsify)]
#[serde(untagged)]
pub enum WorkerMessage {
    /// Once, when the worker takes commands.
    Ready {
        #[serde(rename = "type")]
        kind: ReadyTag,
    },
    /// Command `id` succeeded.
    Answer {
        id: u32,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[tsify(type = "unknown")]
        result: JsValue,
    },
    /// Command `id` failed: `error` is an `Error`; `reason` a short name the tab can act on (`refused`, `noWallet`, ...).
    Failure {
        id: u32,
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[tsify(type = "Error")]
        error: JsValue,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[tsify(optional)]
        reason: Option<&'static str>,
    },
    /// A node event, for subscribers.
    Event {
        #[serde(with = "serde_wasm_bindgen::preserve")]
        #[tsify(type = "NodeEvent")]
        event: JsValue,
    },
}

#[derive(Default)]
struct WorkerState {
    /// The running node's halt: the signal that ends it where it stands.
    halt: Option<futures::channel::oneshot::Sender<()>>,
    subscribed: bool,
    connection: Option<JsValue>,
    verdicts: u64,
    /// The kinds whose verdicts and problems are reported; `None`: all.
    kinds: Option<Vec<CheckKind>>,
}

/// Where replies and events go.
type Outbox = Rc<dyn Fn(JsValue)>;

thread_local! {
    static STATE: RefCell<WorkerState> = RefCell::new(WorkerState::default());
    static OUTBOX: RefCell<Option<Outbox>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends replies and events to `outbox` instead of the tab: for tests of the protocol, which run
/// in a worker whose own `postMessage` belongs to the test runner.
pub fn set_outbox(outbox: Outbox) {
    OUTBOX.with_borrow_mut(|o| *o = Some(outbox));
}

pub(super) fn post(message: JsValue) {
    match OUTBOX.with_borrow(|o| o.clone()) {
        Some(outbox) => outbox(message),
        None => {
            let _ = scope().post_message(&message);
        }
    }
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn send(message: WorkerMessage) {
    post(to_js(&message));
}

/// Installs the message handler and tells the tab the worker is ready.
#[wasm_bindgen(js_name = runWorker)]
pub fn run_worker() -> Result<(), JsError> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().dyn_into().map_err(|_| JsError::new("runWorker must run in a dedicated worker"))?;
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| handle(e.data()));
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    scope.post_message(&to_js(&WorkerMessage::Ready { kind: ReadyTag::Ready })).map_err(|_| JsError::new("postMessage failed"))?;
    Ok(())
}

/// One message from the tab: RTC bridge traffic, or a request answered through the outbox.
pub fn handle(data: JsValue) {
    if rtc::on_tab_message(&data) || signing::on_tab_message(&data) {
        return;
    }
    let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let Some(id) = get("id").as_f64().filter(|id| id.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(id)).map(|id| id as u32) else {
        return; // Nothing to answer to: not ours.
    };
    let Some(method) = get("method").as_string() else {
        return reply(id, Err("a request needs a method".into()));
    };
    if get("params").is_undefined() {
        // An absent `params` is no parameters (serde reads a missing one as such, `undefined` not).
        let _ = js_sys::Reflect::delete_property(data.unchecked_ref(), &"params".into());
    }
    let command = match serde_wasm_bindgen::from_value::<Command>(data).map_err(|e| serde_message(&e)) {
        Ok(command) => command,
        Err(e) if e.starts_with("unknown variant") => return reply(id, Err(format!("unknown method {method:?}"))),
        Err(e) if method == "start" => return reply(id, Err(format!("start: {e}"))),
        Err(e) if method == "signTypedData" => return fail(id, &format!("not a request to sign: {e}"), Some("badRequest")),
        Err(e) => return reply(id, Err(format!("{method} needs {}: {e}", Command::needs(&method)))),
    };
    run(id, command);
}

/// A serde-wasm-bindgen error's message: its text is a JS `Error`'s, `Error: ` first.
fn serde_message(e: &serde_wasm_bindgen::Error) -> String {
    let text = e.to_string();
    text.strip_prefix("Error: ").map(str::to_owned).unwrap_or(text)
}

/// Carries out one command; the answer goes out now or, for those that wait on the network or
/// the wallet, when it comes.
fn run(id: u32, command: Command) {
    let result = match command {
        Command::Start(params) => StartParams::from_js(&params).and_then(start),
        Command::Stop => Ok(stop()),
        Command::Status => Ok(to_js(&status())),
        Command::Echo { len, count } => {
            if (0.0..=512.0 * 1024.0).contains(&len) && (1.0..=1000.0).contains(&count) && len.fract() == 0.0 && count.fract() == 0.0 {
                wasm_bindgen_futures::spawn_local(async move {
                    let result = node::echo(len as u32, count as u32).await.map(|t| to_js(&t));
                    reply(id, result);
                });
                return;
            }
            Err(format!("echo needs {}", Command::needs("echo")))
        }
        Command::PublishReport { report } => match serde_wasm_bindgen::from_value::<crate::report::SignedReportJson>(report) {
            Ok(report) => {
                wasm_bindgen_futures::spawn_local(async move {
                    let result = super::report::publish(report).await.map(|answer| to_js(&answer));
                    reply(id, result);
                });
                return;
            }
            Err(e) => Err(format!("publishReport needs {}: {}", Command::needs("publishReport"), serde_message(&e))),
        },
        Command::ReportRound(params) => match serde_wasm_bindgen::from_value::<super::report_flow::ReportRoundParams>(params) {
            Ok(params) => {
                wasm_bindgen_futures::spawn_local(async move {
                    match super::report_flow::report_round(params).await {
                        Ok(signed) => {
                            let result = serde_json::json!({"report": signed.report, "digest": signed.digest});
                            reply(id, Ok(to_js(&result)));
                        }
                        Err(e) => fail(id, &e.to_string(), Some(e.reason())),
                    }
                });
                return;
            }
            Err(e) => Err(format!("reportRound needs {}: {}", Command::needs("reportRound"), serde_message(&e))),
        },
        Command::LicenseCallData { method, args } => super::report::license_call_data(&method, args).map(JsValue::from).map_err(js_error_message),
        Command::LicenseDecode { method, data } => super::report::license_decode(&method, &data)
            .and_then(|json| js_sys::JSON::parse(&json).map_err(|_| JsError::new("decoded JSON")))
            .map_err(js_error_message),
        Command::RewardsPanel { days_since_tge, days_self_run, days_delegated, commission_bps } => {
            let day = |v: f64| Some(v).filter(|v| v.fract() == 0.0 && (0.0..=1e6).contains(v)).map(|v| v as u32);
            match (day(days_since_tge), day(days_self_run), day(days_delegated), day(commission_bps).and_then(|v| u16::try_from(v).ok())) {
                (Some(tge), Some(own), Some(delegated), Some(bps)) => super::report::rewards_panel(tge, own, delegated, bps)
                    .and_then(|json| js_sys::JSON::parse(&json).map_err(|_| JsError::new("panel JSON")))
                    .map_err(js_error_message),
                _ => Err(format!("rewardsPanel needs {}", Command::needs("rewardsPanel"))),
            }
        }
        Command::RelayInfo => Ok(node::current_relay().map_or(JsValue::NULL, |info| to_js(&info))),
        Command::EvmCall { chain, call } => {
            wasm_bindgen_futures::spawn_local(async move {
                reply(id, node::evm_call(chain, call).await.map(JsValue::from));
            });
            return;
        }
        Command::SignTypedData(params) => {
            signing::handle_request(id.into(), params);
            return;
        }
        Command::Subscribe => {
            STATE.with_borrow_mut(|s| s.subscribed = true);
            Ok(JsValue::TRUE)
        }
    };
    reply(id, result);
}

/// The message of a `JsError` from the exported helpers, for a reply.
fn js_error_message(e: JsError) -> String {
    let value = JsValue::from(e);
    value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{value:?}"))
}

fn reply(id: u32, result: Result<JsValue, String>) {
    match result {
        Ok(result) => send(WorkerMessage::Answer { id, result }),
        Err(message) => fail(id, &message, None),
    }
}

fn fail(id: u32, message: &str, reason: Option<&'static str>) {
    send(WorkerMessage::Failure { id, error: js_sys::Error::new(message).into(), reason });
}

fn start(params: StartParams) -> Result<JsValue, String> {
    let kinds = params.kinds.clone();
    let config = params.node_config();
    let (halt, halted) = futures::channel::oneshot::channel();
    let already = STATE.with_borrow_mut(|s| {
        if s.halt.is_some() {
            return true;
        }
        s.halt = Some(halt);
        s.kinds = kinds;
        false
    });
    if already {
        return Err("the node is already running".into());
    }
    let emit: Rc<dyn Fn(NodeEvent)> = Rc::new(emit);
    wasm_bindgen_futures::spawn_local(super::busy::Timed::new(node::run(config, halted, emit)));
    Ok(JsValue::NULL)
}

fn stop() -> JsValue {
    let running = STATE.with_borrow_mut(|s| s.halt.take());
    let was_running = running.is_some();
    if let Some(halt) = running {
        let _ = halt.send(());
    }
    JsValue::from_bool(was_running)
}

fn status() -> Status {
    let scope =
        js_sys::Reflect::get(&js_sys::global(), &"constructor".into()).and_then(|c| js_sys::Reflect::get(&c, &"name".into())).ok().and_then(|n| n.as_string());
    STATE.with_borrow(|s| Status {
        running: s.halt.is_some(),
        connection: s.connection.clone().unwrap_or(JsValue::NULL),
        verdicts: s.verdicts as f64,
        wasm_memory_bytes: wasm_memory_bytes(),
        heap_bytes: crate::counting_alloc::live_bytes() as f64,
        heap_peak_bytes: crate::counting_alloc::peak_bytes() as f64,
        memory: to_js(&super::node::footprint()),
        busy_ms: super::busy::busy_ms(),
        scope,
    })
}

fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// Whether events of `kind` are reported under the kinds the node was started with.
fn reported(kinds: &Option<Vec<CheckKind>>, kind: &str) -> bool {
    kinds.as_ref().is_none_or(|kinds| kinds.iter().any(|k| k.name() == kind))
}

/// Reports an event to the round log and the tab. It is written once, as serde_json's text: the
/// tab gets the object `JSON.parse` makes of it, the round log its verdict as a
/// `serde_json::Value`, so every event type has one serializer in the module, not
/// serde-wasm-bindgen's and serde_json's `Value` one besides (BENCHMARKS.md, "Module size").
fn emit(event: NodeEvent) {
    let text = serde_json::to_string(&event).map_err(|e| e.to_string());
    super::report_flow::observe(&event, text.as_deref().map_err(String::as_str));
    let as_js = || text.as_deref().ok().and_then(|text| js_sys::JSON::parse(text).ok()).unwrap_or(JsValue::NULL);
    let subscribed = STATE.with_borrow_mut(|s| {
        match &event {
            NodeEvent::Connection(_) => s.connection = Some(as_js()),
            NodeEvent::Verdict { kind, .. } | NodeEvent::Problem { kind, .. } if !reported(&s.kinds, kind) => return false,
            NodeEvent::Verdict { .. } => s.verdicts += 1,
            NodeEvent::Round { .. } | NodeEvent::Files { .. } | NodeEvent::Problem { .. } | NodeEvent::Relay(_) => {}
        }
        s.subscribed
    });
    if subscribed {
        send(WorkerMessage::Event { event: as_js() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn config(params: &str) -> NodeConfig {
        StartParams::from_js(&js_sys::JSON::parse(params).unwrap()).unwrap().node_config()
    }

    #[test]
    fn the_validator_budget_follows_the_pause_unless_given() {
        assert_eq!(config("{}").validator_budget_ms, 500);
        assert_eq!(config(r#"{"roundIntervalMs": 4000}"#).validator_budget_ms, 100);
        assert_eq!(config(r#"{"roundIntervalMs": 4000, "validatorBudgetMs": 60000}"#).validator_budget_ms, 60_000);
        assert_eq!(config(r#"{"kinds": ["storage"], "validatorBudgetMs": 60000}"#).validator_budget_ms, 0);
    }
}
