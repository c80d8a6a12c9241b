//! The worker's half of the RTC conversation with the tab, typed both ways ([`ToTab`], [`FromTab`]).
//!
//! Worker to tab (`{rtc: op, conn, ..}`): `create {relay, hash}` makes a peer connection to relay
//! `relay` (its place in the node's list: each relay is its own peer connection) and its
//! negotiated channel 0; `describe {offer, answer}` sets both descriptions; `open {stream}` makes an
//! outbound data channel; `close` ends the connection.
//! Tab to worker: `offer {sdp}`, `described {sdp}` (the local description), `failed {message}`,
//! `channel {relay, role: handshake | inbound | outbound, stream?, dc | port, open?}` (tagged with
//! the relay of its connection: a channel tagged for another is closed), `state {state}`.

use super::channel::DataChannel;
use futures::channel::{mpsc, oneshot};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessagePort, RtcDataChannel};

/// What the worker asks of the tab.
#[derive(Debug, Serialize)]
#[serde(tag = "rtc", rename_all = "camelCase")]
enum ToTab<'a> {
    Create { conn: u32, relay: usize, hash: &'a str },
    Describe { conn: u32, offer: &'a str, answer: &'a str },
    Open { conn: u32, stream: u32 },
    Close { conn: u32 },
}

/// What the tab tells the worker, by its `rtc` tag. (Read variant by variant, not as a serde-tagged
/// enum: serde buffers a tagged enum's fields, which the transferred channel would not survive.)
#[derive(Debug)]
enum FromTab {
    Offer(Sdp),
    Described(Sdp),
    Failed(Failed),
    State(State),
    Channel(Channel),
}

#[derive(Debug, Deserialize)]
struct Sdp {
    conn: u32,
    sdp: String,
}

#[derive(Debug, Deserialize)]
struct Failed {
    conn: u32,
    message: String,
}

#[derive(Debug, Deserialize)]
struct State {
    conn: u32,
    state: String,
}

#[derive(Debug, Deserialize)]
struct Channel {
    conn: u32,
    relay: usize,
    role: ChannelRole,
    #[serde(default)]
    stream: Option<u32>,
    /// The channel itself, transferred.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    dc: JsValue,
    /// Or the port the tab relays it over.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    port: JsValue,
    #[serde(default)]
    open: bool,
}

impl FromTab {
    /// `None`: not a message of this protocol (an unknown tag, a field missing or of another type).
    fn read(data: &JsValue, op: &str) -> Option<FromTab> {
        Some(match op {
            "offer" => FromTab::Offer(serde_wasm_bindgen::from_value(data.clone()).ok()?),
            "described" => FromTab::Described(serde_wasm_bindgen::from_value(data.clone()).ok()?),
            "failed" => FromTab::Failed(serde_wasm_bindgen::from_value(data.clone()).ok()?),
            "state" => FromTab::State(serde_wasm_bindgen::from_value(data.clone()).ok()?),
            "channel" => FromTab::Channel(serde_wasm_bindgen::from_value(data.clone()).ok()?),
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
enum ChannelRole {
    Handshake,
    Inbound,
    Outbound,
}

/// What a dial waits for from the tab.
pub(super) struct DialWait {
    pub offer: oneshot::Receiver<Result<String, String>>,
    pub described: oneshot::Receiver<Result<String, String>>,
    pub handshake: oneshot::Receiver<DataChannel>,
    pub inbound: mpsc::UnboundedReceiver<DataChannel>,
}

struct Slot {
    /// The relay this connection is to.
    relay: usize,
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

fn post(message: ToTab) {
    let Ok(message) = serde_wasm_bindgen::to_value(&message) else { return };
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&message);
}

/// Registers a new connection to relay `relay` and asks the tab to create it.
pub(super) fn create(relay: usize, hash: &str) -> (u32, DialWait) {
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
                relay,
                offer: Some(offer_tx),
                described: Some(described_tx),
                handshake: Some(handshake_tx),
                inbound: inbound_tx,
                outbound: HashMap::new(),
            },
        );
        conn
    });
    post(ToTab::Create { conn, relay, hash });
    (conn, DialWait { offer, described, handshake, inbound })
}

pub(super) fn describe(conn: u32, offer: &str, answer: &str) {
    post(ToTab::Describe { conn, offer, answer });
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
    post(ToTab::Open { conn, stream });
    Some(rx)
}

/// Forgets the connection (its pending waits fail) and tells the tab to close it.
pub(super) fn close(conn: u32) {
    if BRIDGE.with_borrow_mut(|b| b.slots.remove(&conn)).is_some() {
        post(ToTab::Close { conn });
    }
}

fn get(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Closes a data channel the tab handed over that is not ours (any more), or that came in a
/// message that does not read.
fn refuse(dc: &JsValue) {
    if let Some(dc) = dc.dyn_ref::<RtcDataChannel>() {
        dc.close();
    }
}

/// Handles one `{rtc: ..}` message from the tab. Returns false when it is not one.
/// Messages for connections the worker no longer knows are dropped (their channels closed).
pub fn on_tab_message(data: &JsValue) -> bool {
    let Some(op) = get(data, "rtc").as_string() else { return false };
    let Some(message) = FromTab::read(data, &op) else {
        refuse(&get(data, "dc"));
        return true;
    };
    BRIDGE.with_borrow_mut(|b| match message {
        FromTab::Offer(Sdp { conn, sdp }) => {
            if let Some(tx) = b.slots.get_mut(&conn).and_then(|slot| slot.offer.take()) {
                let _ = tx.send(Ok(sdp));
            }
        }
        FromTab::Described(Sdp { conn, sdp }) => {
            if let Some(tx) = b.slots.get_mut(&conn).and_then(|slot| slot.described.take()) {
                let _ = tx.send(Ok(sdp));
            }
        }
        FromTab::Failed(Failed { conn, message }) => {
            if let Some(mut slot) = b.slots.remove(&conn) {
                slot.offer.take().map(|tx| tx.send(Err(message.clone())));
                slot.described.take().map(|tx| tx.send(Err(message)));
            }
        }
        FromTab::State(State { conn, state }) => {
            if matches!(state.as_str(), "failed" | "closed" | "disconnected") {
                b.slots.remove(&conn);
            }
        }
        FromTab::Channel(Channel { conn, relay, role, stream, dc, port, open }) => {
            let Some(slot) = b.slots.get_mut(&conn).filter(|slot| slot.relay == relay) else {
                // Not ours (any more), or tagged for another relay: close what the tab handed over.
                return refuse(&dc);
            };
            let channel = if let Some(dc) = dc.dyn_ref::<RtcDataChannel>() {
                DataChannel::direct(dc.clone())
            } else if let Some(port) = port.dyn_ref::<MessagePort>() {
                DataChannel::relayed(port.clone(), open)
            } else {
                return;
            };
            match role {
                ChannelRole::Handshake => {
                    slot.handshake.take().map(|tx| tx.send(channel));
                }
                ChannelRole::Inbound => {
                    let _ = slot.inbound.unbounded_send(channel);
                }
                ChannelRole::Outbound => {
                    slot.outbound.remove(&stream.unwrap_or(0)).map(|tx| tx.send(channel));
                }
            }
        }
    });
    true
}
