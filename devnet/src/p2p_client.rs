//! A native client of `/zg-align/check/1` over webrtc-direct: how tests and benchmarks talk to a
//! devnet the way the browser node does, from outside the browser.

use futures::StreamExt;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::Transport;
use libp2p::request_response::{self, OutboundRequestId, ProtocolSupport};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, PeerId, StreamProtocol};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use zg_align::protocol::{CheckCodec, CheckRequest, CheckResponse, CheckSender, PROTOCOL_NAME};
use zg_align::storage::TransportError;

type Reply = oneshot::Sender<Result<CheckResponse, TransportError>>;

/// A connection to one devnet, driven by its own task.
pub struct P2pClient {
    requests: mpsc::UnboundedSender<(CheckRequest, Reply)>,
    timeout: Duration,
}

impl P2pClient {
    /// Dials `address` (a full `/webrtc-direct/certhash/../p2p/..` address).
    pub async fn connect(address: Multiaddr, timeout: Duration) -> Result<Self, String> {
        let Some(libp2p::multiaddr::Protocol::P2p(peer)) = address.iter().last() else {
            return Err("address has no /p2p/ peer id".into());
        };
        let mut swarm = libp2p::SwarmBuilder::with_new_identity()
            .with_tokio()
            .with_other_transport(|keys| {
                let certificate = libp2p_webrtc::tokio::Certificate::generate(&mut rand::rng())?;
                Ok(libp2p_webrtc::tokio::Transport::new(keys.clone(), certificate)
                    .map(|(peer, connection), _| (peer, StreamMuxerBox::new(connection))))
            })
            .map_err(|e| e.to_string())?
            .with_behaviour(|_| {
                request_response::Behaviour::<CheckCodec>::new(
                    [(StreamProtocol::new(PROTOCOL_NAME), ProtocolSupport::Outbound)],
                    request_response::Config::default().with_request_timeout(timeout),
                )
            })
            .map_err(|e| e.to_string())?
            .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(300)))
            .build();
        // The native webrtc transport dials from its listening UDP socket.
        let local: Multiaddr = "/ip4/127.0.0.1/udp/0/webrtc-direct".parse().expect("valid address");
        swarm.listen_on(local).map_err(|e| e.to_string())?;
        while !matches!(swarm.select_next_some().await, SwarmEvent::NewListenAddr { .. }) {}
        swarm.dial(address).map_err(|e| e.to_string())?;
        loop {
            match swarm.select_next_some().await {
                SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == peer => break,
                SwarmEvent::OutgoingConnectionError { error, .. } => return Err(error.to_string()),
                _ => {}
            }
        }
        let (requests, mut incoming) = mpsc::unbounded_channel::<(CheckRequest, Reply)>();
        tokio::spawn(async move {
            let mut pending: HashMap<OutboundRequestId, Reply> = HashMap::new();
            loop {
                tokio::select! {
                    next = incoming.recv() => match next {
                        Some((request, reply)) => {
                            let id = swarm.behaviour_mut().send_request(&peer, request);
                            pending.insert(id, reply);
                        }
                        None => break,
                    },
                    event = swarm.select_next_some() => handle(event, &mut pending, timeout, peer),
                }
            }
        });
        Ok(P2pClient { requests, timeout })
    }
}

fn handle(
    event: SwarmEvent<request_response::Event<CheckRequest, CheckResponse>>,
    pending: &mut HashMap<OutboundRequestId, Reply>,
    timeout: Duration,
    _peer: PeerId,
) {
    let (id, result) = match event {
        SwarmEvent::Behaviour(request_response::Event::Message {
            message: request_response::Message::Response { request_id, response },
            ..
        }) => (request_id, Ok(response)),
        SwarmEvent::Behaviour(request_response::Event::OutboundFailure { request_id, error, .. }) => {
            let error = match error {
                request_response::OutboundFailure::Timeout => TransportError::Timeout { ms: timeout.as_millis() as u64 },
                other => TransportError::Connect { message: other.to_string() },
            };
            (request_id, Err(error))
        }
        _ => return,
    };
    if let Some(reply) = pending.remove(&id) {
        let _ = reply.send(result);
    }
}

impl CheckSender for P2pClient {
    async fn send(&self, request: CheckRequest) -> Result<CheckResponse, TransportError> {
        let (reply, answer) = oneshot::channel();
        let gone = || TransportError::Connect { message: "connection task ended".into() };
        self.requests.send((request, reply)).map_err(|_| gone())?;
        match tokio::time::timeout(self.timeout, answer).await {
            Ok(answer) => answer.map_err(|_| gone())?,
            Err(_) => Err(TransportError::Timeout { ms: self.timeout.as_millis() as u64 }),
        }
    }
}
