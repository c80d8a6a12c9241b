//! The node's busy time in the worker: the wall time spent polling its future (every check, the
//! libp2p connection's driver, the crypto), summed. Waiting for the network is not polling, so
//! this is the node's own CPU as the page can see it (`status().busyMs`); the JS glue around it
//! (message passing with the page's WebRTC host) is not counted here.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use wasm_bindgen::JsCast;

thread_local! {
    static BUSY_MS: Cell<f64> = const { Cell::new(0.0) };
    static PERFORMANCE: Option<web_sys::Performance> =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok().and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
}

fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or_else(js_sys::Date::now, |p| p.now()))
}

/// Milliseconds spent polling [`Timed`] futures since the worker started.
pub fn busy_ms() -> f64 {
    BUSY_MS.get()
}

/// A future whose polls count as busy time.
pub struct Timed<F>(Pin<Box<F>>);

impl<F: Future> Timed<F> {
    pub fn new(future: F) -> Self {
        Timed(Box::pin(future))
    }
}

impl<F: Future> Future for Timed<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let start = now_ms();
        let result = self.0.as_mut().poll(cx);
        BUSY_MS.set(BUSY_MS.get() + (now_ms() - start));
        result
    }
}
