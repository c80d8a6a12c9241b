//! A data channel as the worker sees it: `AsyncRead + AsyncWrite` over either an `RTCDataChannel`
//! the tab transferred to the worker, or, where a browser cannot transfer channels, a
//! `MessagePort` through which the tab relays the channel's bytes with credit-based back-pressure.

use futures::{AsyncRead, AsyncWrite};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, MessagePort, RtcDataChannel, RtcDataChannelState};

/// Largest message sent on a data channel: native webrtc-rs peers drop bigger ones.
pub const MAX_SEND_BYTES: usize = 8 * 1024;
/// Bytes the worker lets pile up unread before it resets the stream.
pub const MAX_READ_BUFFER: usize = 2 * 1024 * 1024;
/// Bytes queued in the browser before a writer waits.
pub const WRITE_HIGH_WATER: usize = 256 * 1024;
/// Relay credit: bytes one side may have in flight to the other over the MessagePort.
pub const RELAY_WINDOW: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Connecting,
    Open,
    Closed,
}

#[derive(Default)]
struct Wakers {
    read: Option<Waker>,
    write: Option<Waker>,
}

/// State shared by the event handlers and the pollers (one thread: `Rc`, `RefCell`).
struct Shared {
    state: Cell<State>,
    read: RefCell<VecDeque<u8>>,
    overloaded: Cell<bool>,
    /// Relayed channels only: bytes the worker may still send before the tab grants more.
    send_credit: Cell<usize>,
    /// Relayed channels only: bytes read since the last credit granted back to the tab.
    consumed: Cell<usize>,
    wakers: RefCell<Wakers>,
}

impl Shared {
    fn wake_all(&self) {
        let mut w = self.wakers.borrow_mut();
        if let Some(a) = w.read.take() { Waker::wake(a) }
        if let Some(a) = w.write.take() { Waker::wake(a) }
    }

    /// Takes one message's bytes; anything but binary data (a text frame, or a relayed message
    /// whose `bytes` is not an `ArrayBuffer`) is a peer breaking the protocol: the stream fails
    /// without anything being allocated for it. (`new Uint8Array("1e9")` would allocate a
    /// gigabyte: a string's length is never taken as a byte count.)
    fn push_message(&self, data: &JsValue) {
        let bytes = match (data.dyn_ref::<js_sys::ArrayBuffer>(), data.dyn_ref::<js_sys::Uint8Array>()) {
            (Some(buffer), _) => Some(js_sys::Uint8Array::new(buffer)),
            (None, Some(view)) => Some(view.clone()),
            (None, None) => None,
        };
        match bytes {
            Some(bytes) if bytes.length() as usize <= MAX_READ_BUFFER => self.push(&bytes.to_vec()),
            _ => {
                self.overloaded.set(true);
                self.wake_all();
            }
        }
    }

    fn push(&self, bytes: &[u8]) {
        let mut read = self.read.borrow_mut();
        if read.len() + bytes.len() > MAX_READ_BUFFER {
            self.overloaded.set(true);
        } else {
            read.extend(bytes);
        }
        drop(read);
        self.wake_all();
    }
}

enum Backend {
    Direct(RtcDataChannel),
    Relayed(MessagePort),
}

/// Keeps the JS callbacks alive as long as any clone of the channel lives.
///
/// Dropping the last handle never closes the data channel: closing frees its id, the browser gives
/// that id to the next outbound channel at once, and the native peer, which has not let go of the
/// old channel yet, delivers the new stream's bytes to the old one (seen as streams that end early,
/// and for the handshake channel 0 as streams that never open). libp2p's own FIN and RESET flags
/// end the substream; the channels go when the connection does, and the node recycles a
/// connection after [`super::MAX_STREAMS_PER_CONNECTION`] streams.
struct Handlers {
    backend: Backend,
    _callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Drop for Handlers {
    fn drop(&mut self) {
        match &self.backend {
            Backend::Direct(dc) => {
                dc.set_onopen(None);
                dc.set_onmessage(None);
                dc.set_onclose(None);
                dc.set_onerror(None);
                dc.set_onbufferedamountlow(None);
            }
            Backend::Relayed(port) => {
                port.set_onmessage(None);
                port.close();
            }
        }
    }
}

#[derive(Clone)]
pub struct DataChannel {
    shared: Rc<Shared>,
    handlers: Rc<Handlers>,
}

fn message(kind: &str, payload: Option<(&str, JsValue)>) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"type".into(), &kind.into());
    if let Some((key, value)) = payload {
        let _ = js_sys::Reflect::set(&object, &key.into(), &value);
    }
    object.into()
}

impl DataChannel {
    fn shared(state: State) -> Rc<Shared> {
        Rc::new(Shared {
            state: Cell::new(state),
            read: RefCell::new(VecDeque::new()),
            overloaded: Cell::new(false),
            send_credit: Cell::new(0),
            consumed: Cell::new(0),
            wakers: RefCell::new(Wakers::default()),
        })
    }

    /// Takes over a channel transferred from the tab.
    pub fn direct(dc: RtcDataChannel) -> Self {
        dc.set_binary_type(web_sys::RtcDataChannelType::Arraybuffer);
        let state = match dc.ready_state() {
            RtcDataChannelState::Open => State::Open,
            RtcDataChannelState::Connecting => State::Connecting,
            _ => State::Closed,
        };
        let shared = Self::shared(state);
        let on = |f: Box<dyn FnMut(JsValue)>| Closure::wrap(f);
        let s = shared.clone();
        let onopen = on(Box::new(move |_| {
            s.state.set(State::Open);
            s.wake_all();
        }));
        let s = shared.clone();
        let onclose = on(Box::new(move |_| {
            s.state.set(State::Closed);
            s.wake_all();
        }));
        let s = shared.clone();
        let onmessage = on(Box::new(move |event: JsValue| {
            s.push_message(&event.unchecked_into::<MessageEvent>().data());
        }));
        let s = shared.clone();
        let onlow = on(Box::new(move |_| s.wake_all()));
        dc.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        dc.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        dc.set_onerror(Some(onclose.as_ref().unchecked_ref()));
        dc.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        dc.set_buffered_amount_low_threshold((WRITE_HIGH_WATER / 2) as u32);
        dc.set_onbufferedamountlow(Some(onlow.as_ref().unchecked_ref()));
        let handlers = Handlers { backend: Backend::Direct(dc), _callbacks: vec![onopen, onclose, onmessage, onlow] };
        DataChannel { shared, handlers: Rc::new(handlers) }
    }

    /// Talks to a channel the tab keeps, through `port`. The tab sends `{type: "open"}`,
    /// `{type: "data", bytes}`, `{type: "credit", bytes: n}` and `{type: "close"}`; the worker
    /// sends `data`, `credit` and `close` the same way. Each side sends at most the credit the
    /// other granted (a window of [`RELAY_WINDOW`] bytes to start).
    pub fn relayed(port: MessagePort, open: bool) -> Self {
        let shared = Self::shared(if open { State::Open } else { State::Connecting });
        shared.send_credit.set(RELAY_WINDOW);
        let s = shared.clone();
        let onmessage = Closure::wrap(Box::new(move |event: JsValue| {
            let data = event.unchecked_into::<MessageEvent>().data();
            let kind = js_sys::Reflect::get(&data, &"type".into()).ok().and_then(|k| k.as_string());
            let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).unwrap_or(JsValue::UNDEFINED);
            match kind.as_deref() {
                Some("open") => {
                    s.state.set(State::Open);
                    s.wake_all();
                }
                Some("data") => s.push_message(&field("bytes")),
                Some("credit") => {
                    let n = field("bytes").as_f64().unwrap_or(0.0).clamp(0.0, RELAY_WINDOW as f64) as usize;
                    s.send_credit.set((s.send_credit.get() + n).min(RELAY_WINDOW));
                    s.wake_all();
                }
                Some("close") => {
                    s.state.set(State::Closed);
                    s.wake_all();
                }
                // A page that sends anything else is broken: treat it as the channel closing.
                _ => {
                    s.state.set(State::Closed);
                    s.wake_all();
                }
            }
        }) as Box<dyn FnMut(JsValue)>);
        port.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        let handlers = Handlers { backend: Backend::Relayed(port), _callbacks: vec![onmessage] };
        DataChannel { shared, handlers: Rc::new(handlers) }
    }

    fn poll_open(&self, cx: &mut Context<'_>, write: bool) -> Poll<io::Result<()>> {
        if self.shared.overloaded.get() {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, "peer sent more than the read buffer holds, or a message that is not binary")));
        }
        match self.shared.state.get() {
            State::Open => Poll::Ready(Ok(())),
            State::Closed => Poll::Ready(Err(io::ErrorKind::BrokenPipe.into())),
            State::Connecting => {
                let mut w = self.shared.wakers.borrow_mut();
                let slot = if write { &mut w.write } else { &mut w.read };
                *slot = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// Bytes the worker may still hand over: what the browser buffer has room for, or the relay's credit.
    fn write_room(&self) -> usize {
        match &self.handlers.backend {
            Backend::Direct(dc) => WRITE_HIGH_WATER.saturating_sub(dc.buffered_amount() as usize),
            Backend::Relayed(_) => self.shared.send_credit.get(),
        }
    }

    fn send(&self, bytes: &[u8]) -> io::Result<()> {
        let sent = match &self.handlers.backend {
            Backend::Direct(dc) => dc.send_with_u8_array(bytes),
            Backend::Relayed(port) => {
                self.shared.send_credit.set(self.shared.send_credit.get() - bytes.len());
                let array = js_sys::Uint8Array::from(bytes);
                port.post_message_with_transferable(&message("data", Some(("bytes", array.clone().into()))), &js_sys::Array::of1(&array.buffer()))
            }
        };
        sent.map_err(|_| io::ErrorKind::BrokenPipe.into())
    }

    /// Relayed channels give the tab back credit for what the worker read.
    fn grant(&self, read: usize) {
        if let Backend::Relayed(port) = &self.handlers.backend {
            let consumed = self.shared.consumed.get() + read;
            if consumed >= RELAY_WINDOW / 4 {
                let _ = port.post_message(&message("credit", Some(("bytes", (consumed as f64).into()))));
                self.shared.consumed.set(0);
            } else {
                self.shared.consumed.set(consumed);
            }
        }
    }
}

impl AsyncRead for DataChannel {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let mut read = this.shared.read.borrow_mut();
        if read.is_empty() {
            drop(read);
            match this.poll_open(cx, false) {
                Poll::Ready(Ok(())) => {}
                // A closed channel with nothing left to read is the end of the stream.
                Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::BrokenPipe => return Poll::Ready(Ok(0)),
                other => return other.map(|r| r.map(|()| 0)),
            }
            this.shared.wakers.borrow_mut().read = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = buf.len().min(read.len());
        for (dst, src) in buf.iter_mut().zip(read.drain(..n)) {
            *dst = src;
        }
        drop(read);
        this.grant(n);
        Poll::Ready(Ok(n))
    }
}

impl AsyncWrite for DataChannel {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        futures::ready!(this.poll_open(cx, true))?;
        let room = this.write_room();
        if room == 0 {
            this.shared.wakers.borrow_mut().write = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = buf.len().min(MAX_SEND_BYTES).min(room);
        this.send(&buf[..n])?;
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        // What `send` accepted, the browser delivers in order; a close waits for it.
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &self.handlers.backend {
            Backend::Direct(dc) => dc.close(),
            Backend::Relayed(port) => {
                let _ = port.post_message(&message("close", None));
            }
        }
        self.shared.state.set(State::Closed);
        Poll::Ready(Ok(()))
    }
}
