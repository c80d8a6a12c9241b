//! The relay's libp2p side: a webrtc-direct listener serving the check protocol to any number of
//! tabs, each within its request rate and in-flight caps. Requests are served on their own tasks:
//! a slow upstream never holds the swarm, nor other tabs.

use crate::identity::Identity;
use crate::service::{failure, Service};
use futures::StreamExt;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::Transport;
use libp2p::multiaddr::Protocol;
use libp2p::request_response::{self, ProtocolSupport, ResponseChannel};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, PeerId, StreamProtocol};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use zg_align::p2p::CheckSwarm;
use zg_align::protocol::{CheckCodec, CheckResponse, PROTOCOL_NAME};

#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error("cannot listen on udp {addr}: {message}")]
    Listen { addr: SocketAddr, message: String },
    #[error("libp2p: {0}")]
    Swarm(String),
}

/// How long a WebRTC handshake (ICE, DTLS, SCTP, Noise) may take. libp2p's default of 10 s is
/// too short on a loaded two-core machine, where webrtc-rs's handshake has been seen to run past it.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// A tokio swarm with the native webrtc-direct transport and the check-protocol behaviour: the
/// relay's listener and the native test and benchmark clients alike.
pub fn webrtc_swarm(identity: Identity, support: ProtocolSupport, request_timeout: Duration) -> Result<CheckSwarm, String> {
    let Identity { keypair, certificate } = identity;
    Ok(libp2p::SwarmBuilder::with_existing_identity(keypair)
        .with_tokio()
        .with_other_transport(|keys| {
            libp2p_webrtc::tokio::Transport::new(keys.clone(), certificate).map(|(peer, connection), _| (peer, StreamMuxerBox::new(connection)))
        })
        .map_err(|e| e.to_string())?
        .with_behaviour(|_| {
            request_response::Behaviour::<CheckCodec>::new(
                [(StreamProtocol::new(PROTOCOL_NAME), support)],
                request_response::Config::default().with_request_timeout(request_timeout),
            )
        })
        .map_err(|e| e.to_string())?
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(300)))
        .with_connection_timeout(HANDSHAKE_TIMEOUT)
        .build())
}

/// One tab's request budget: a token bucket and a count of requests being served.
struct Tab {
    tokens: f64,
    refilled: Instant,
    in_flight: usize,
    connections: usize,
}

/// Starts listening on `addr` (UDP; port 0 picks one) and returns the full dial address
/// (`/ip4/../udp/../webrtc-direct/certhash/../p2p/..`) and the swarm's task.
pub async fn start(service: Arc<Service>, identity: Identity, addr: SocketAddr) -> Result<(Multiaddr, tokio::task::JoinHandle<()>), ListenError> {
    let mut swarm = webrtc_swarm(identity, ProtocolSupport::Inbound, Duration::from_secs(60)).map_err(ListenError::Swarm)?;
    let listen = Multiaddr::from(addr.ip()).with(Protocol::Udp(addr.port())).with(Protocol::WebRTCDirect);
    let listen_error = |message: String| ListenError::Listen { addr, message };
    swarm.listen_on(listen).map_err(|e| listen_error(e.to_string()))?;
    let address = loop {
        match swarm.select_next_some().await {
            SwarmEvent::NewListenAddr { address, .. } => break address.with(Protocol::P2p(*swarm.local_peer_id())),
            SwarmEvent::ListenerClosed { reason: Err(e), .. } | SwarmEvent::ListenerError { error: e, .. } => {
                return Err(listen_error(port_in_use(&e)));
            }
            SwarmEvent::ListenerClosed { .. } => return Err(listen_error("listener closed".into())),
            _ => {}
        }
    };
    let task = tokio::spawn(serve(swarm, service));
    Ok((address, task))
}

fn port_in_use(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::AddrInUse || e.to_string().contains("in use") {
        "the port is in use (is another relay running?)".into()
    } else {
        e.to_string()
    }
}

async fn serve(mut swarm: CheckSwarm, service: Arc<Service>) {
    let limits = service.profile.limits.clone();
    let (answers, mut answered) = mpsc::unbounded_channel::<(PeerId, ResponseChannel<CheckResponse>, CheckResponse)>();
    let mut tabs: HashMap<PeerId, Tab> = HashMap::new();
    loop {
        tokio::select! {
            event = swarm.select_next_some() => match event {
                SwarmEvent::ConnectionEstablished { peer_id, connection_id, .. } => {
                    if !tabs.contains_key(&peer_id) && tabs.len() >= limits.max_tabs {
                        tracing::warn!(%peer_id, "refused: {} tabs already connected", tabs.len());
                        swarm.close_connection(connection_id);
                        continue;
                    }
                    let tab = tabs.entry(peer_id).or_insert(Tab { tokens: limits.burst as f64, refilled: Instant::now(), in_flight: 0, connections: 0 });
                    tab.connections += 1;
                    tracing::info!(%peer_id, tabs = tabs.len(), "tab connected");
                }
                SwarmEvent::ConnectionClosed { peer_id, num_established: 0, .. } => {
                    if let Some(tab) = tabs.get_mut(&peer_id) {
                        tab.connections = 0;
                        if tab.in_flight == 0 {
                            tabs.remove(&peer_id);
                        }
                    }
                    tracing::info!(%peer_id, tabs = tabs.len(), "tab gone");
                }
                SwarmEvent::Behaviour(request_response::Event::Message {
                    peer, message: request_response::Message::Request { request, channel, .. }, ..
                }) => {
                    let Some(tab) = tabs.get_mut(&peer) else { continue };
                    if let Some(refusal) = admit(tab, &limits) {
                        let _ = swarm.behaviour_mut().send_response(channel, refusal);
                        continue;
                    }
                    tab.in_flight += 1;
                    let service = service.clone();
                    let answers = answers.clone();
                    tokio::spawn(async move {
                        let response = service.answer(request).await;
                        let _ = answers.send((peer, channel, response));
                    });
                }
                SwarmEvent::Behaviour(request_response::Event::InboundFailure { peer, error, .. }) => {
                    tracing::debug!(%peer, "inbound failure: {error}");
                }
                _ => {}
            },
            Some((peer, channel, response)) = answered.recv() => {
                if let Some(tab) = tabs.get_mut(&peer) {
                    tab.in_flight -= 1;
                    if tab.in_flight == 0 && tab.connections == 0 {
                        tabs.remove(&peer);
                    }
                }
                // The tab may have gone: nothing to do then.
                let _ = swarm.behaviour_mut().send_response(channel, response);
            }
        }
    }
}

/// `None` when the tab may send this request now, else the refusal to answer with.
fn admit(tab: &mut Tab, limits: &crate::profile::Limits) -> Option<CheckResponse> {
    let now = Instant::now();
    let refill = now.duration_since(tab.refilled).as_secs_f64() * limits.requests_per_second as f64;
    tab.tokens = (tab.tokens + refill).min(limits.burst as f64);
    tab.refilled = now;
    if tab.in_flight >= limits.in_flight_per_tab {
        return Some(failure(429, format!("over {} requests in flight", limits.in_flight_per_tab)));
    }
    if tab.tokens < 1.0 {
        return Some(failure(429, format!("over {} requests per second", limits.requests_per_second)));
    }
    tab.tokens -= 1.0;
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Limits;

    #[test]
    fn a_tab_is_held_to_its_rate_and_in_flight_caps() {
        let limits = Limits { requests_per_second: 10, burst: 3, in_flight_per_tab: 2, ..Limits::default() };
        let mut tab = Tab { tokens: 3.0, refilled: Instant::now(), in_flight: 0, connections: 1 };
        assert!(admit(&mut tab, &limits).is_none());
        tab.in_flight = 2;
        assert!(matches!(admit(&mut tab, &limits), Some(CheckResponse::Failure(f)) if f.code == 429 && f.message.contains("in flight")));
        tab.in_flight = 0;
        assert!(admit(&mut tab, &limits).is_none());
        assert!(admit(&mut tab, &limits).is_none());
        assert!(matches!(admit(&mut tab, &limits), Some(CheckResponse::Failure(f)) if f.message.contains("per second")));
        tab.refilled -= Duration::from_millis(200);
        assert!(admit(&mut tab, &limits).is_none(), "two tokens back after 200 ms at 10/s");
    }
}
