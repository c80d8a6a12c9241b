//! The dedicated worker's entry and its one message protocol with the tab.
//!
//! Tab to worker: `{id, method, params}` with `method` one of `start`, `stop`, `status` (running,
//! connection, verdict count, wasm memory bytes),
//! `subscribe`, `echo`, `signTypedData`, `reportRound`, `publishReport`, `relayInfo` (the
//! relay's network profile, `null` before it said hello), `evmCall` (`{chain: "zg" | "licenses",
//! call}`: one EVM JSON-RPC call through the relay, its answer as text), and the license helpers
//! `licenseCallData`, `licenseDecode`, `rewardsPanel` (ABI work off the page's thread). Worker to tab: `{id, result}` or `{id, error}` where
//! `error` is a real `Error` (structured clone keeps its class and message); `{event}` for
//! subscribers; `{type: "ready"}` once. `{rtc: ..}` messages in both directions belong to the RTC bridge (see `rtc`);
//! `{type: "request" | "response"}` ones carry the worker's own requests to the tab, for wallet
//! signatures (see `signing`).

use super::node::{self, NodeConfig, NodeEvent};
use super::rtc;
use super::signing;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

#[derive(Default)]
struct WorkerState {
    stop: Option<Rc<Cell<bool>>>,
    subscribed: bool,
    connection: Option<JsValue>,
    verdicts: u64,
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

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// Installs the message handler and tells the tab the worker is ready.
#[wasm_bindgen(js_name = runWorker)]
pub fn run_worker() -> Result<(), JsError> {
    let scope: DedicatedWorkerGlobalScope =
        js_sys::global().dyn_into().map_err(|_| JsError::new("runWorker must run in a dedicated worker"))?;
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| handle(e.data()));
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    scope.post_message(&object(&[("type", "ready".into())])).map_err(|_| JsError::new("postMessage failed"))?;
    Ok(())
}

/// One message from the tab: RTC bridge traffic, or a request answered through the outbox.
pub fn handle(data: JsValue) {
    if rtc::on_tab_message(&data) || signing::on_tab_message(&data) {
        return;
    }
    let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let id = get("id");
    if id.as_f64().is_none() {
        return; // Nothing to answer to: not ours.
    }
    let result = match get("method").as_string().as_deref() {
        Some("start") => start(get("params")),
        Some("stop") => Ok(stop()),
        Some("status") => Ok(status()),
        Some("echo") => {
            let len = js_sys::Reflect::get(&get("params"), &"len".into()).ok().and_then(|v| v.as_f64());
            let count = js_sys::Reflect::get(&get("params"), &"count".into()).ok().and_then(|v| v.as_f64());
            match (len, count) {
                (Some(len), Some(count)) if (0.0..=512.0 * 1024.0).contains(&len) && (1.0..=1000.0).contains(&count) => {
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = node::echo(len as u32, count as u32).await.map(|t| to_js(&t));
                        reply(id, result);
                    });
                    return;
                }
                _ => Err("echo needs {len: 0..=524288, count: 1..=1000}".into()),
            }
        }
        Some("publishReport") => {
            let report = js_sys::Reflect::get(&get("params"), &"report".into()).unwrap_or(JsValue::UNDEFINED);
            match serde_wasm_bindgen::from_value::<crate::report::SignedReportJson>(report) {
                Ok(report) => {
                    wasm_bindgen_futures::spawn_local(async move {
                        let result = super::report::publish(report).await.map(|answer| to_js(&answer));
                        reply(id, result);
                    });
                    return;
                }
                Err(e) => Err(format!("publishReport needs {{report: {{domain, report, signature}}}}: {e}")),
            }
        }
        Some("reportRound") => {
            match serde_wasm_bindgen::from_value::<super::report_flow::ReportRoundParams>(get("params")) {
                Ok(params) => {
                    wasm_bindgen_futures::spawn_local(async move {
                        match super::report_flow::report_round(params).await {
                            Ok(signed) => {
                                let result = serde_json::json!({"report": signed.report, "digest": signed.digest});
                                reply(id, Ok(to_js(&result)));
                            }
                            Err(e) => post(object(&[
                                ("id", id),
                                ("error", js_sys::Error::new(&e.to_string()).into()),
                                ("reason", e.reason().into()),
                            ])),
                        }
                    });
                    return;
                }
                Err(e) => Err(format!("reportRound needs {{round, license: {{tokenId, owner, operator}}, chainId, verifyingContract}}: {e}")),
            }
        }
        Some("licenseCallData") => {
            let method = js_sys::Reflect::get(&get("params"), &"method".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            let args = js_sys::Reflect::get(&get("params"), &"args".into()).unwrap_or(JsValue::UNDEFINED);
            let args: Vec<String> = serde_wasm_bindgen::from_value(args).unwrap_or_default();
            super::report::license_call_data(&method, args).map(JsValue::from).map_err(js_error_message)
        }
        Some("licenseDecode") => {
            let field = |k: &str| js_sys::Reflect::get(&get("params"), &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            super::report::license_decode(&field("method"), &field("data"))
                .and_then(|json| js_sys::JSON::parse(&json).map_err(|_| JsError::new("decoded JSON")))
                .map_err(js_error_message)
        }
        Some("rewardsPanel") => {
            let n = |k: &str| js_sys::Reflect::get(&get("params"), &k.into()).ok().and_then(|v| v.as_f64()).unwrap_or(-1.0);
            let day = |k: &str| Some(n(k)).filter(|v| v.fract() == 0.0 && (0.0..=1e6).contains(v)).map(|v| v as u32);
            match (day("daysSinceTge"), day("daysSelfRun"), day("daysDelegated"), day("commissionBps").and_then(|v| u16::try_from(v).ok())) {
                (Some(tge), Some(own), Some(delegated), Some(bps)) => super::report::rewards_panel(tge, own, delegated, bps)
                    .and_then(|json| js_sys::JSON::parse(&json).map_err(|_| JsError::new("panel JSON")))
                    .map_err(js_error_message),
                _ => Err("rewardsPanel needs whole numbers {daysSinceTge, daysSelfRun, daysDelegated, commissionBps}".into()),
            }
        }
        Some("relayInfo") => Ok(node::current_relay().map_or(JsValue::NULL, |info| to_js(&info))),
        Some("evmCall") => {
            #[derive(serde::Deserialize)]
            struct EvmCall {
                #[serde(default)]
                chain: crate::protocol::EvmChain,
                call: String,
            }
            match serde_wasm_bindgen::from_value::<EvmCall>(get("params")) {
                Ok(EvmCall { chain, call }) => {
                    wasm_bindgen_futures::spawn_local(async move {
                        reply(id, node::evm_call(chain, call).await.map(JsValue::from));
                    });
                    return;
                }
                Err(e) => Err(format!("evmCall needs {{chain: \"zg\" | \"licenses\", call: JSON-RPC request text}}: {e}")),
            }
        }
        Some("signTypedData") => {
            signing::handle_request(id, get("params"));
            return;
        }
        Some("subscribe") => {
            STATE.with_borrow_mut(|s| s.subscribed = true);
            Ok(JsValue::TRUE)
        }
        Some(other) => Err(format!("unknown method {other:?}")),
        None => Err("a request needs a method".into()),
    };
    reply(id, result);
}

/// The message of a `JsError` from the exported helpers, for a reply.
fn js_error_message(e: JsError) -> String {
    let value = JsValue::from(e);
    value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| format!("{value:?}"))
}

fn reply(id: JsValue, result: Result<JsValue, String>) {
    let reply = match result {
        Ok(result) => object(&[("id", id), ("result", result)]),
        Err(message) => object(&[("id", id), ("error", js_sys::Error::new(&message).into())]),
    };
    post(reply);
}

fn start(params: JsValue) -> Result<JsValue, String> {
    let config: NodeConfig = if params.is_undefined() || params.is_null() {
        NodeConfig::default()
    } else {
        serde_wasm_bindgen::from_value(params).map_err(|e| format!("start: {e}"))?
    };
    let stop = Rc::new(Cell::new(false));
    let already = STATE.with_borrow_mut(|s| {
        if s.stop.is_some() {
            return true;
        }
        s.stop = Some(stop.clone());
        false
    });
    if already {
        return Err("the node is already running".into());
    }
    let emit: Rc<dyn Fn(NodeEvent)> = Rc::new(emit);
    wasm_bindgen_futures::spawn_local(node::run(config, stop, emit));
    Ok(JsValue::NULL)
}

fn stop() -> JsValue {
    let stop = STATE.with_borrow_mut(|s| s.stop.take());
    if let Some(stop) = &stop {
        stop.set(true);
    }
    JsValue::from_bool(stop.is_some())
}

fn status() -> JsValue {
    STATE.with_borrow(|s| {
        object(&[
            ("running", JsValue::from_bool(s.stop.is_some())),
            ("connection", s.connection.clone().unwrap_or(JsValue::NULL)),
            ("verdicts", (s.verdicts as f64).into()),
            // The wasm linear memory never shrinks: this is the Rust heap's high-water mark, the
            // part of the node the license's 64 MB floor is about (with the worker's JS heap).
            ("wasmMemoryBytes", wasm_memory_bytes().into()),
            ("scope", js_sys::Reflect::get(&js_sys::global(), &"constructor".into())
                .and_then(|c| js_sys::Reflect::get(&c, &"name".into()))
                .unwrap_or(JsValue::NULL)),
        ])
    })
}

fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

fn emit(event: NodeEvent) {
    super::report_flow::observe(&event);
    let value = to_js(&event);
    let subscribed = STATE.with_borrow_mut(|s| {
        match &event {
            NodeEvent::Connection(_) => s.connection = Some(value.clone()),
            NodeEvent::Verdict { .. } => s.verdicts += 1,
            NodeEvent::Round { .. } | NodeEvent::Files { .. } | NodeEvent::Problem { .. } => {}
        }
        s.subscribed
    });
    if subscribed {
        post(object(&[("event", value)]));
    }
}
