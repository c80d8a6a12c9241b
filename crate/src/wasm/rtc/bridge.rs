//! The worker's half of the RTC conversation with the tab.
//!
//! Worker to tab (`{rtc: op, conn, ..}`): `create {hash}` makes a peer connection and its
//! negotiated channel 0; `describe {offer, answer}` sets both descriptions; `open {stream}` makes an
//! outbound data channel; `close` ends the connection.
//! Tab to worker: `offer {sdp}`, `described {sdp}` (the local description), `failed {message}`,
//! `channel {role: handshake | inbound | outbound, stream?, dc | port, open?}`, `state {state}`.

use super::channel::DataChannel;
use futures::channel::{mpsc, oneshot};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessagePort, RtcDataChannel};

/// What a dial waits for from the tab.
pub(super) struct DialWait {
    pub offer: oneshot::Receiver<Result<String, String>>,
    pub described: oneshot::Receiver<Result<String, String>>,
    pub handshake: oneshot::Receiver<DataChannel>,
    pub inbound: mpsc::UnboundedReceiver<DataChannel>,
}

struct Slot {
    offer: Option<oneshot::Sender<Result<String, String>>>,
    described: Option<oneshot::Sender<Result<String, String>>>,
    handshake: Option<oneshot::Sender<DataChannel>>,
    inbound: mpsc::UnboundedSender<DataChannel>,
    outbound: HashMap<u32, oneshot::Sender<DataChannel>>,
}

#[derive(Default)]
struct Bridge {
    next_conn: u32,
    next_stream: u32,
    slots: HashMap<u32, Slot>,
}

thread_local! {
    static BRIDGE: RefCell<Bridge> = RefCell::new(Bridge::default());
}

fn post(fields: &[(&str, JsValue)]) {
    let message = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&message, &(*key).into(), value);
    }
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&message);
}

/// Registers a new connection and asks the tab to create it.
pub(super) fn create(hash: &str) -> (u32, DialWait) {
    let (offer_tx, offer) = oneshot::channel();
    let (described_tx, described) = oneshot::channel();
    let (handshake_tx, handshake) = oneshot::channel();
    let (inbound_tx, inbound) = mpsc::unbounded();
    let conn = BRIDGE.with_borrow_mut(|b| {
        b.next_conn += 1;
        let conn = b.next_conn;
        b.slots.insert(
            conn,
            Slot {
                offer: Some(offer_tx),
                described: Some(described_tx),
                handshake: Some(handshake_tx),
                inbound: inbound_tx,
                outbound: HashMap::new(),
            },
        );
        conn
    });
    post(&[("rtc", "create".into()), ("conn", conn.into()), ("hash", hash.into())]);
    (conn, DialWait { offer, described, handshake, inbound })
}

pub(super) fn describe(conn: u32, offer: &str, answer: &str) {
    post(&[("rtc", "describe".into()), ("conn", conn.into()), ("offer", offer.into()), ("answer", answer.into())]);
}

/// Outbound streams opened on every connection so far.
pub fn streams_opened() -> u32 {
    BRIDGE.with_borrow(|b| b.next_stream)
}

/// Connections the bridge knows, and outbound streams asked for and not handed over yet.
pub fn footprint() -> (usize, usize) {
    BRIDGE.with_borrow(|b| (b.slots.len(), b.slots.values().map(|s| s.outbound.len()).sum()))
}

/// Asks the tab for an outbound channel; `None` once the connection is gone.
pub(super) fn open_stream(conn: u32) -> Option<oneshot::Receiver<DataChannel>> {
    let (tx, rx) = oneshot::channel();
    let stream = BRIDGE.with_borrow_mut(|b| {
        b.next_stream += 1;
        let stream = b.next_stream;
        b.slots.get_mut(&conn).map(|slot| {
            slot.outbound.insert(stream, tx);
            stream
        })
    })?;
    post(&[("rtc", "open".into()), ("conn", conn.into()), ("stream", stream.into())]);
    Some(rx)
}

/// Forgets the connection (its pending waits fail) and tells the tab to close it.
pub(super) fn close(conn: u32) {
    if BRIDGE.with_borrow_mut(|b| b.slots.remove(&conn)).is_some() {
        post(&[("rtc", "close".into()), ("conn", conn.into())]);
    }
}

fn get(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Handles one `{rtc: ..}` message from the tab. Returns false when it is not one.
/// Messages for connections the worker no longer knows are dropped (their channels closed).
pub fn on_tab_message(data: &JsValue) -> bool {
    let Some(op) = get(data, "rtc").as_string() else { return false };
    let Some(conn) = get(data, "conn").as_f64().map(|c| c as u32) else { return true };
    let text = |key| get(data, key).as_string().unwrap_or_default();
    BRIDGE.with_borrow_mut(|b| {
        let Some(slot) = b.slots.get_mut(&conn) else {
            // Not ours (any more): close what the tab handed over.
            if let Some(dc) = get(data, "dc").dyn_ref::<RtcDataChannel>() {
                dc.close();
            }
            return;
        };
        match op.as_str() {
            "offer" => {
                slot.offer.take().map(|tx| tx.send(Ok(text("sdp"))));
            }
            "described" => {
                slot.described.take().map(|tx| tx.send(Ok(text("sdp"))));
            }
            "failed" => {
                let message = text("message");
                slot.offer.take().map(|tx| tx.send(Err(message.clone())));
                slot.described.take().map(|tx| tx.send(Err(message)));
                b.slots.remove(&conn);
            }
            "state" => {
                if matches!(text("state").as_str(), "failed" | "closed" | "disconnected") {
                    b.slots.remove(&conn);
                }
            }
            "channel" => {
                let open = get(data, "open").as_bool().unwrap_or(false);
                let dc = get(data, "dc");
                let port = get(data, "port");
                let channel = if let Some(dc) = dc.dyn_ref::<RtcDataChannel>() {
                    DataChannel::direct(dc.clone())
                } else if let Some(port) = port.dyn_ref::<MessagePort>() {
                    DataChannel::relayed(port.clone(), open)
                } else {
                    return;
                };
                match text("role").as_str() {
                    "handshake" => {
                        slot.handshake.take().map(|tx| tx.send(channel));
                    }
                    "inbound" => {
                        let _ = slot.inbound.unbounded_send(channel);
                    }
                    "outbound" => {
                        let stream = get(data, "stream").as_f64().map(|s| s as u32).unwrap_or(0);
                        slot.outbound.remove(&stream).map(|tx| tx.send(channel));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    });
    true
}
