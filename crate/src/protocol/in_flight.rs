//! One limit on the requests a round keeps in flight over the relay connection, across every kind
//! of check. Each kind also bounds how many nodes it asks at once, but the kinds run side by side
//! and untrusted peers decide the counts (signers in a quorum, providers in a contract, nodes in
//! an indexer): this limit is what keeps the answers held at once, and so the node's memory,
//! bounded whatever they claim. A request's own time-out starts once it is sent, not while it
//! waits here, so waiting never turns into an "unreachable" verdict by the sender's time-out.

use super::relayed::CheckSender;
use super::wire::{CheckRequest, CheckResponse};
use crate::storage::TransportError;
use futures::channel::mpsc;
use futures::lock::Mutex;
use futures::StreamExt;

/// A counting semaphore built from a channel of tokens: `limit` tokens, one taken per request
/// and given back when its permit drops. Waiting requests queue on the receiver's lock (fair
/// enough: first come, first served) and a request given up while it waits takes no token.
pub struct InFlightLimit {
    tokens: Mutex<mpsc::UnboundedReceiver<()>>,
    give_back: mpsc::UnboundedSender<()>,
    limit: usize,
}

/// One request's place under the limit; dropping it lets the next one go.
pub struct InFlightPermit<'a> {
    limit: &'a InFlightLimit,
}

impl InFlightLimit {
    /// At most `limit` (at least 1) requests at once.
    pub fn new(limit: usize) -> Self {
        let limit = limit.max(1);
        let (give_back, tokens) = mpsc::unbounded();
        for _ in 0..limit {
            // The receiver is held just below: a send cannot fail.
            let _ = give_back.unbounded_send(());
        }
        InFlightLimit { tokens: Mutex::new(tokens), give_back, limit }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Waits for a free place.
    pub async fn acquire(&self) -> InFlightPermit<'_> {
        let mut tokens = self.tokens.lock().await;
        // `None` would need every sender dropped, and `self` holds one.
        let _ = tokens.next().await;
        InFlightPermit { limit: self }
    }
}

impl Drop for InFlightPermit<'_> {
    fn drop(&mut self) {
        let _ = self.limit.give_back.unbounded_send(());
    }
}

/// A sender whose requests wait for a place under `limit` before they go out.
pub struct Limited<'a, S> {
    pub sender: &'a S,
    pub limit: &'a InFlightLimit,
}

impl<S: CheckSender> CheckSender for Limited<'_, S> {
    async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError> {
        let _permit = self.limit.acquire().await;
        self.sender.send(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use std::cell::Cell;
    use std::future::Future;
    use std::rc::Rc;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Answers each request after its turn of the pool, counting how many are open at once.
    struct Counting {
        open: Cell<usize>,
        most: Cell<usize>,
        done: Cell<usize>,
    }

    impl CheckSender for Counting {
        async fn send(&self, _: CheckRequest) -> Result<CheckResponse, TransportError> {
            self.open.set(self.open.get() + 1);
            self.most.set(self.most.get().max(self.open.get()));
            for _ in 0..3 {
                futures::pending!(); // Woken below by the yield helper: stays open a few polls.
            }
            self.open.set(self.open.get() - 1);
            self.done.set(self.done.get() + 1);
            Ok(CheckResponse::Echo { data: String::new() })
        }
    }

    #[test]
    fn never_more_than_the_limit_in_flight_and_every_request_goes_out() {
        let sender = Rc::new(Counting { open: Cell::new(0), most: Cell::new(0), done: Cell::new(0) });
        let limit = Rc::new(InFlightLimit::new(3));
        let mut pool = LocalPool::new();
        for _ in 0..20 {
            let (sender, limit) = (sender.clone(), limit.clone());
            pool.spawner()
                .spawn_local(async move {
                    let limited = Limited { sender: &*sender, limit: &limit };
                    // `pending!` does not wake the task: poll it along from here.
                    let mut send = Box::pin(limited.send(CheckRequest::Echo { len: 0 }));
                    futures::future::poll_fn(|cx| {
                        cx.waker().wake_by_ref();
                        send.as_mut().poll(cx)
                    })
                    .await
                    .unwrap();
                })
                .unwrap();
        }
        pool.run();
        assert_eq!(sender.done.get(), 20);
        assert_eq!(sender.most.get(), 3);
        assert_eq!(sender.open.get(), 0);
    }

    #[test]
    fn a_waiter_given_up_takes_no_place() {
        let limit = InFlightLimit::new(1);
        futures::executor::block_on(async {
            let first = limit.acquire().await;
            {
                let waiting = limit.acquire();
                futures::pin_mut!(waiting);
                assert!(futures::poll!(waiting.as_mut()).is_pending());
            } // Dropped while it waited.
            drop(first);
            let _second = limit.acquire().await;
            assert_eq!(limit.limit(), 1);
        });
    }
}
