//! zg-align-relay: the WebRTC peer in front of 0G's nodes. Tabs dial it over libp2p
//! webrtc-direct and speak the check protocol (docs/check-protocol.md); it calls 0G's nodes in
//! their own protocols (zgs and indexer JSON-RPC, EVM JSON-RPC) and forwards their answers
//! verbatim. It verifies nothing for the tab: the tab verifies everything itself, so a relay can
//! hide a node but cannot make an honest one look misbehaving.

pub mod chat;
pub mod client;
pub mod da;
pub mod http_server;
pub mod identity;
pub mod known_nodes;
pub mod listener;
pub mod profile;
pub mod registered_services;
pub mod service;
pub mod tab;
pub mod upstream;

pub use identity::Identity;
/// The address type of `client::connect` and of a relay's listener.
pub use libp2p::Multiaddr;
pub use profile::Profile;
pub use service::Service;

use std::net::SocketAddr;
use std::sync::Arc;

/// A running relay.
pub struct Relay {
    /// The full address a tab dials.
    pub address: Multiaddr,
    pub service: Arc<Service>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    /// Listens on `listen` (UDP) with `identity` and serves tabs until dropped.
    pub async fn start(profile: Profile, identity: Identity, listen: SocketAddr) -> Result<Relay, listener::ListenError> {
        Self::start_service(Service::new(profile), identity, listen).await
    }

    /// Listens with a service built by the caller (tests: [`Service::with_rewrite`]).
    pub async fn start_service(service: Service, identity: Identity, listen: SocketAddr) -> Result<Relay, listener::ListenError> {
        let service = Arc::new(service);
        let (address, task) = listener::start(service.clone(), identity, listen).await?;
        Ok(Relay { address, service, task })
    }

    /// Asks each configured upstream something trivial: one line each, saying whether it answers.
    /// An upstream that does not is reported, and the relay keeps running.
    pub async fn probe_upstreams(&self) -> Vec<String> {
        self.service.probe().await
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}
