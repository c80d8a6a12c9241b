//! The light node's libp2p side of the check protocol: a handle that sends requests, and the
//! future that drives the swarm. The same code runs in the worker (over its own WebRTC transport)
//! and natively (the relay's test and benchmark clients, tokio). Kept out of [`crate::protocol`]:
//! the wire types and codec know no swarm.

use crate::protocol::{CheckCodec, CheckRequest, CheckResponse, CheckSender};
use crate::storage::TransportError;
use futures::channel::{mpsc, oneshot};
use futures::{FutureExt, StreamExt};
use libp2p::request_response::{self, OutboundFailure, OutboundRequestId};
use libp2p::swarm::SwarmEvent;
use libp2p::{PeerId, Swarm};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

pub type CheckSwarm = Swarm<request_response::Behaviour<CheckCodec>>;
type Reply = oneshot::Sender<Result<CheckResponse, TransportError>>;

/// Sends requests to the connected network peer. Cheap to clone.
#[derive(Clone)]
pub struct CheckClient {
    requests: mpsc::UnboundedSender<(CheckRequest, Reply)>,
    timeout_ms: u64,
}

/// Why the driver stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEnd {
    /// The connection to the peer closed (the peer went away or the transport failed).
    Disconnected(String),
    /// Every [`CheckClient`] was dropped.
    Dropped,
}

impl CheckClient {
    /// Takes a swarm already connected to `peer` whose request time-out is `timeout_ms`, and
    /// returns the handle and the future to spawn. Pending requests fail when the driver ends.
    pub fn new(mut swarm: CheckSwarm, peer: PeerId, timeout_ms: u64) -> (Self, impl Future<Output = ClientEnd>) {
        let (requests, mut incoming) = mpsc::unbounded::<(CheckRequest, Reply)>();
        let driver = async move {
            let mut pending: HashMap<OutboundRequestId, Reply> = HashMap::new();
            let end = loop {
                futures::select! {
                    next = incoming.next() => match next {
                        Some((request, reply)) => {
                            let id = swarm.behaviour_mut().send_request(&peer, request);
                            pending.insert(id, reply);
                        }
                        None => break ClientEnd::Dropped,
                    },
                    event = swarm.select_next_some().fuse() => {
                        if let Some(end) = on_event(event, &mut pending, peer, timeout_ms) {
                            break end;
                        }
                    }
                }
            };
            let reason = match &end {
                ClientEnd::Disconnected(r) => r.clone(),
                ClientEnd::Dropped => "client dropped".into(),
            };
            for (_, reply) in pending.drain() {
                let _ = reply.send(Err(TransportError::Connect { message: reason.clone() }));
            }
            end
        };
        (CheckClient { requests, timeout_ms }, driver)
    }

    pub fn timeout_ms(&self) -> u64 {
        self.timeout_ms
    }
}

fn on_event(
    event: SwarmEvent<request_response::Event<CheckRequest, CheckResponse>>,
    pending: &mut HashMap<OutboundRequestId, Reply>,
    peer: PeerId,
    timeout_ms: u64,
) -> Option<ClientEnd> {
    let (id, result) = match event {
        SwarmEvent::Behaviour(request_response::Event::Message {
            message: request_response::Message::Response { request_id, response },
            ..
        }) => (request_id, Ok(response)),
        SwarmEvent::Behaviour(request_response::Event::OutboundFailure { request_id, error, .. }) => {
            let error = match error {
                OutboundFailure::Timeout => TransportError::Timeout { ms: timeout_ms },
                other => TransportError::Connect { message: other.to_string() },
            };
            (request_id, Err(error))
        }
        SwarmEvent::ConnectionClosed { peer_id, num_established: 0, cause, .. } if peer_id == peer => {
            let reason = cause.map_or_else(|| "connection closed".to_string(), |c| c.to_string());
            return Some(ClientEnd::Disconnected(reason));
        }
        _ => return None,
    };
    if let Some(reply) = pending.remove(&id) {
        let _ = reply.send(result);
    }
    None
}

impl CheckSender for CheckClient {
    /// Answers within `timeout_ms` or fails with a time-out. libp2p's request time-out starts only
    /// once the substream is open, and opening one waits up to 10 s on a silent peer: the
    /// deadline here covers the whole request.
    async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError> {
        let (reply, answer) = oneshot::channel();
        let gone = || TransportError::Connect { message: "not connected".into() };
        self.requests.unbounded_send((request, reply)).map_err(|_| gone())?;
        let deadline = futures_timer::Delay::new(Duration::from_millis(self.timeout_ms));
        futures::select! {
            answer = answer.fuse() => answer.map_err(|_| gone())?,
            () = deadline.fuse() => Err(TransportError::Timeout { ms: self.timeout_ms }),
        }
    }
}
