//! Shared by the channel tests (worker_transport.rs, direct_channel.rs): reading a channel that a
//! hostile peer filled must end in a refusal, not a hang and not more than the read buffer.
#![cfg(target_arch = "wasm32")]

use futures::AsyncReadExt;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use zg_align::wasm::rtc::{DataChannel, MAX_READ_BUFFER};

/// Counts the messages a channel's far end (a data channel, a port) delivers, so a test can start
/// reading only once a whole flood is in: a reader keeping up would drain it. Counted, not timed:
/// a loaded machine delivers megabytes of loopback SCTP in seconds.
pub struct Arrivals {
    target: web_sys::EventTarget,
    count: Rc<Cell<u32>>,
    listener: Closure<dyn FnMut(JsValue)>,
}

impl Arrivals {
    /// Starts counting; call before anything is sent.
    pub fn count_on(target: &web_sys::EventTarget) -> Arrivals {
        let count = Rc::new(Cell::new(0));
        let listener = Closure::<dyn FnMut(JsValue)>::new({
            let count = count.clone();
            move |_| count.set(count.get() + 1)
        });
        target.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref()).unwrap();
        Arrivals { target: target.clone(), count, listener }
    }

    /// Waits until `expected` messages arrived; fails the test after 60 s.
    pub async fn wait_for(&self, expected: u32, case: &str) {
        let mut waited_ms = 0;
        while self.count.get() < expected {
            assert!(waited_ms < 60_000, "{case}: {} of {expected} messages arrived in 60 s", self.count.get());
            gloo_timers::future::TimeoutFuture::new(10).await;
            waited_ms += 10;
        }
    }
}

impl Drop for Arrivals {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback("message", self.listener.as_ref().unchecked_ref());
    }
}

/// Reads `channel` until it fails; the failure must be `InvalidData` after at most the read buffer.
pub async fn read_until_refused(channel: &mut DataChannel, case: &str) {
    let mut buf = vec![0u8; 64 << 10];
    let mut read = 0;
    let err = loop {
        match channel.read(&mut buf).await {
            Ok(0) => panic!("{case}: the stream ended without an error"),
            Ok(n) => read += n,
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{case}: {err}");
    assert!(read <= MAX_READ_BUFFER, "{case}: {read} bytes read");
}
