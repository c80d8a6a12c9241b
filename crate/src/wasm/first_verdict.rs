//! When a pass of a round has reported its first verdict, or ended without one: what the passes
//! that start after it wait for (`full_round`). A pass whose first verdict is out has sent its
//! first burst of requests and checked their answers; what it has left mostly waits on slower
//! nodes, which must not hold the next pass back.

use super::node::NodeEvent;
use futures::channel::oneshot;
use futures::future::{LocalBoxFuture, Shared};
use futures::FutureExt;
use std::cell::Cell;
use std::rc::Rc;

#[derive(Clone)]
pub(super) struct FirstVerdict {
    /// Taken (sent or dropped) at the first verdict or the pass's end, whichever comes first.
    sender: Rc<Cell<Option<oneshot::Sender<()>>>>,
    heard: Shared<LocalBoxFuture<'static, ()>>,
}

impl FirstVerdict {
    pub(super) fn new() -> FirstVerdict {
        let (sender, receiver) = oneshot::channel::<()>();
        // A dropped sender (the pass ended) resolves the receiver too.
        FirstVerdict { sender: Rc::new(Cell::new(Some(sender))), heard: receiver.map(|_| ()).boxed_local().shared() }
    }

    /// The first verdict is out, or the pass ended without one: whoever waits goes now.
    pub(super) fn release(&self) {
        if let Some(sender) = self.sender.take() {
            let _ = sender.send(());
        }
    }

    /// `emit`, telling this the first time a verdict goes through it.
    pub(super) fn watching(&self, emit: &Rc<dyn Fn(NodeEvent)>) -> Rc<dyn Fn(NodeEvent)> {
        let (emit, first) = (emit.clone(), self.clone());
        Rc::new(move |event| {
            if matches!(event, NodeEvent::Verdict { .. }) {
                first.release();
            }
            emit(event)
        })
    }

    /// Resolves at the first verdict or the pass's end.
    pub(super) fn heard(&self) -> Shared<LocalBoxFuture<'static, ()>> {
        self.heard.clone()
    }
}
