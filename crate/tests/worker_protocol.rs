//! The tab <-> worker message protocol (crate/src/wasm/worker.rs), in a real dedicated worker of
//! headless Chromium: requests with ids, results, errors that arrive as real `Error` objects,
//! subscriptions and the node's connection events. Replies go to a collector instead of the tab
//! (the test worker's own `postMessage` belongs to the test runner). End to end with a page and a
//! devnet: tests/node-browser.test.mjs.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use zg_align::wasm::worker;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// Everything the worker sent, in order.
#[derive(Clone, Default)]
struct Collected(Rc<RefCell<Vec<JsValue>>>);

impl Collected {
    fn install() -> Collected {
        let collected = Collected::default();
        let sink = collected.0.clone();
        worker::set_outbox(Rc::new(move |m| sink.borrow_mut().push(m)));
        collected
    }

    fn reply_to(&self, id: f64) -> Option<JsValue> {
        self.0.borrow().iter().find(|m| get(m, "id").as_f64() == Some(id)).cloned()
    }

    fn events(&self) -> Vec<JsValue> {
        self.0.borrow().iter().map(|m| get(m, "event")).filter(|e| !e.is_undefined()).collect()
    }
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn request(id: f64, method: &str, params: JsValue) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"id".into(), &id.into()).unwrap();
    js_sys::Reflect::set(&o, &"method".into(), &method.into()).unwrap();
    js_sys::Reflect::set(&o, &"params".into(), &params).unwrap();
    o.into()
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// The message of the `Error` object in a reply; panics when the reply is not an error.
fn error_message(reply: &JsValue) -> String {
    let error = get(reply, "error");
    assert!(error.is_instance_of::<js_sys::Error>(), "error is a real Error object: {error:?}");
    error.unchecked_into::<js_sys::Error>().message().into()
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        TimeoutFuture::new(50).await;
    }
    panic!("timed out waiting for {what}");
}

// One test: the worker holds one node, and the steps depend on each other.
#[wasm_bindgen_test]
async fn requests_errors_and_events_over_the_worker_protocol() {
    let out = Collected::install();

    // Not ours (no id): ignored, nothing answered.
    worker::handle(json(r#"{"method":"status"}"#));
    worker::handle(JsValue::from_str("hello"));
    assert_eq!(out.0.borrow().len(), 0);

    // Unknown and missing methods, malformed parameters: Error objects with clear messages.
    worker::handle(request(1.0, "nope", JsValue::UNDEFINED));
    assert_eq!(error_message(&out.reply_to(1.0).unwrap()), r#"unknown method "nope""#);
    worker::handle(json(r#"{"id":2}"#));
    assert_eq!(error_message(&out.reply_to(2.0).unwrap()), "a request needs a method");
    worker::handle(request(3.0, "start", json(r#"{"requestTimeoutMs":"soon"}"#)));
    assert!(error_message(&out.reply_to(3.0).unwrap()).starts_with("start: "));
    // Relays: `relay` or `relays`, each a distinct relay, each a multiaddr or {address, trusted}.
    worker::handle(request(31.0, "start", json(r#"{"relay":"/ip4/127.0.0.1/udp/1/webrtc-direct","relays":["/ip4/127.0.0.1/udp/2/webrtc-direct"]}"#)));
    assert_eq!(error_message(&out.reply_to(31.0).unwrap()), "start: give `relay` or `relays`, not both");
    worker::handle(request(32.0, "start", json(r#"{"relays":["/ip4/127.0.0.1/udp/1/webrtc-direct",{"address":"/ip4/127.0.0.1/udp/1/webrtc-direct","trusted":true}]}"#)));
    assert_eq!(error_message(&out.reply_to(32.0).unwrap()), "start: relay 1 is relay 0 again: two paths through one relay are not independent");
    worker::handle(request(33.0, "start", json(r#"{"relays":[{"address":"/ip4/127.0.0.1/udp/1/webrtc-direct","trust":true}]}"#)));
    assert!(error_message(&out.reply_to(33.0).unwrap()).contains("a relay's multiaddr, or {address, trusted}"), "a misspelt field is refused");
    worker::handle(request(4.0, "echo", json(r#"{"len":-1,"count":1}"#)));
    assert!(error_message(&out.reply_to(4.0).unwrap()).starts_with("echo needs"));
    worker::handle(request(5.0, "echo", json(r#"{"len":16,"count":1}"#)));
    wait_for("the echo reply", || out.reply_to(5.0).is_some()).await;
    assert_eq!(error_message(&out.reply_to(5.0).unwrap()), "not connected to a relay");

    // Status from the dedicated worker, before anything runs.
    worker::handle(request(6.0, "status", JsValue::UNDEFINED));
    let status = get(&out.reply_to(6.0).unwrap(), "result");
    assert_eq!(get(&status, "scope").as_string().as_deref(), Some("DedicatedWorkerGlobalScope"));
    assert_eq!(get(&status, "running"), JsValue::FALSE);

    // Subscribe, then start a node whose manifest cannot be fetched: it reports the failure and
    // backs off; a second start is refused while it runs; stop ends it.
    worker::handle(request(7.0, "subscribe", JsValue::UNDEFINED));
    assert_eq!(get(&out.reply_to(7.0).unwrap(), "result"), JsValue::TRUE);
    let config = json(r#"{"manifestUrl":"http://127.0.0.1:9/devnet.json","minBackoffMs":50,"maxBackoffMs":100}"#);
    worker::handle(request(8.0, "start", config.clone()));
    assert_eq!(get(&out.reply_to(8.0).unwrap(), "result"), JsValue::NULL);
    worker::handle(request(9.0, "start", config));
    assert_eq!(error_message(&out.reply_to(9.0).unwrap()), "the node is already running");

    let state = |e: &JsValue| get(e, "state").as_string().unwrap_or_default();
    wait_for("a reconnecting event with the manifest's error", || {
        out.events().iter().any(|e| state(e) == "reconnecting" && get(e, "error").as_string().is_some_and(|m| m.starts_with("manifest")))
    })
    .await;
    let first = out.events()[0].clone();
    assert_eq!(get(&first, "type").as_string().as_deref(), Some("connection"));
    assert_eq!(state(&first), "connecting");
    let retry = out.events().iter().find_map(|e| get(e, "retryInMs").as_f64()).expect("a retry delay");
    assert!((25.0..=150.0).contains(&retry), "backoff with jitter within its bounds: {retry}");

    worker::handle(request(10.0, "status", JsValue::UNDEFINED));
    let status = get(&out.reply_to(10.0).unwrap(), "result");
    assert_eq!(get(&status, "running"), JsValue::TRUE);
    assert_eq!(state(&get(&status, "connection")), "reconnecting");

    worker::handle(request(11.0, "stop", JsValue::UNDEFINED));
    assert_eq!(get(&out.reply_to(11.0).unwrap(), "result"), JsValue::TRUE);
    wait_for("the stopped event", || out.events().iter().any(|e| state(e) == "stopped")).await;
    worker::handle(request(12.0, "stop", JsValue::UNDEFINED));
    assert_eq!(get(&out.reply_to(12.0).unwrap(), "result"), JsValue::FALSE, "nothing left to stop");
    assert!(out.events().iter().all(|e| get(e, "type").as_string().as_deref() == Some("connection")), "no verdict without a network");
}
