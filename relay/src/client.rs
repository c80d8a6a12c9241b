//! Dials a relay natively over webrtc-direct and returns a [`CheckClient`]: how tests and
//! benchmarks talk to a relay the way the tab's worker does.

use crate::identity::Identity;
use crate::listener::webrtc_swarm;
use futures::StreamExt;
use libp2p::request_response::ProtocolSupport;
use libp2p::swarm::SwarmEvent;
use libp2p::Multiaddr;
use std::time::Duration;
use zg_align::p2p::CheckClient;

/// How many times [`connect`] dials before it gives up.
const DIAL_ATTEMPTS: usize = 3;

/// Dials `address` (a full `/webrtc-direct/certhash/../p2p/..` address); the swarm runs on a
/// tokio task until the connection closes. A failed handshake is tried again, up to
/// [`DIAL_ATTEMPTS`] times: webrtc-rs gives a data channel 10 s to open (not configurable from
/// libp2p-webrtc), which a busy two-core machine (devnets encoding blobs beside) can run past.
pub async fn connect(address: Multiaddr, timeout: Duration) -> Result<CheckClient, String> {
    let mut failure = String::new();
    for attempt in 1..=DIAL_ATTEMPTS {
        match dial(address.clone(), timeout).await {
            Ok(client) => return Ok(client),
            Err(e) => {
                tracing::warn!(attempt, "dial failed: {e}");
                failure = e;
            }
        }
    }
    Err(failure)
}

async fn dial(address: Multiaddr, timeout: Duration) -> Result<CheckClient, String> {
    let Some(libp2p::multiaddr::Protocol::P2p(peer)) = address.iter().last() else {
        return Err("address has no /p2p/ peer id".into());
    };
    let mut swarm = webrtc_swarm(Identity::ephemeral(), ProtocolSupport::Outbound, timeout)?;
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
    let (client, driver) = CheckClient::new(swarm, peer, timeout.as_millis() as u64);
    tokio::spawn(driver);
    Ok(client)
}
