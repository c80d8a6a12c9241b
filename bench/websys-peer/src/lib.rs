//! The comparison peer of `make bench`: our check-protocol client (the same codec and swarm
//! driver as the node) over rust-libp2p's own browser transport, `libp2p-webrtc-websys`, which
//! must run in the page (it needs `window`). The node runs the same requests from its worker.

use futures::StreamExt;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::Transport;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, StreamProtocol};
use std::time::Duration;
use wasm_bindgen::prelude::*;
use zg_align::p2p::CheckClient;
use zg_align::protocol::{CheckCodec, CheckRequest, CheckResponse, CheckSender, PROTOCOL_NAME};

#[wasm_bindgen]
pub struct WebsysPeer {
    client: CheckClient,
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

#[wasm_bindgen]
impl WebsysPeer {
    /// Dials a full webrtc-direct address and waits for the connection.
    pub async fn connect(address: String) -> Result<WebsysPeer, JsError> {
        let address: Multiaddr = address.parse().map_err(|e| JsError::new(&format!("{e}")))?;
        let Some(libp2p::multiaddr::Protocol::P2p(peer)) = address.iter().last() else {
            return Err(JsError::new("address has no /p2p/"));
        };
        let mut swarm = libp2p::SwarmBuilder::with_new_identity()
            .with_wasm_bindgen()
            .with_other_transport(|keys| {
                libp2p_webrtc_websys::Transport::new(libp2p_webrtc_websys::Config::new(keys))
                    .map(|(peer, connection), _| (peer, StreamMuxerBox::new(connection)))
            })
            .map_err(|e| JsError::new(&e.to_string()))?
            .with_behaviour(|_| {
                request_response::Behaviour::<CheckCodec>::new(
                    [(StreamProtocol::new(PROTOCOL_NAME), ProtocolSupport::Outbound)],
                    request_response::Config::default().with_request_timeout(Duration::from_secs(10)),
                )
            })
            .map_err(|e| JsError::new(&e.to_string()))?
            .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(3600)))
            .build();
        swarm.dial(address).map_err(|e| JsError::new(&e.to_string()))?;
        loop {
            match swarm.select_next_some().await {
                SwarmEvent::ConnectionEstablished { peer_id, .. } if peer_id == peer => break,
                SwarmEvent::OutgoingConnectionError { error, .. } => return Err(JsError::new(&error.to_string())),
                _ => {}
            }
        }
        let (client, driver) = CheckClient::new(swarm, peer, 10_000);
        wasm_bindgen_futures::spawn_local(async move {
            driver.await;
        });
        Ok(WebsysPeer { client })
    }

    /// Round-trip times in ms of `count` sequential requests for `len` bytes.
    pub async fn echo(&self, len: u32, count: u32) -> Result<Vec<f64>, JsError> {
        let mut times = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let start = now();
            match self.client.send(CheckRequest::Echo { len }).await {
                Ok(CheckResponse::Echo { data }) if data.len() == len as usize => times.push(now() - start),
                Ok(_) => return Err(JsError::new("unexpected answer")),
                Err(e) => return Err(JsError::new(&e.to_string())),
            }
        }
        Ok(times)
    }
}
