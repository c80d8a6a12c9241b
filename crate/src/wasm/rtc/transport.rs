//! The libp2p `Transport` of the worker: dials webrtc-direct addresses through the tab.

use super::bridge;
use super::connection::{Connection, RtcStream};
use crate::webrtc_sdp::{munge_offer, sdp_fingerprint, server_answer};
use futures::future::BoxFuture;
use futures::FutureExt;
use libp2p::core::transport::{DialOpts, ListenerId, TransportError, TransportEvent};
use libp2p::identity::Keypair;
use libp2p::{Multiaddr, PeerId};
use send_wrapper::SendWrapper;
use std::pin::Pin;
use std::task::{Context, Poll};

#[derive(Debug, Clone, thiserror::Error)]
pub enum RtcError {
    #[error("the tab could not set up the peer connection: {0}")]
    Tab(String),
    #[error("the local description has no sha-256 fingerprint")]
    NoFingerprint,
    #[error("Noise handshake failed: {0}")]
    Noise(String),
    #[error("the peer connection closed")]
    Closed,
}

pub struct WorkerRtcTransport {
    keys: Keypair,
    /// The relay its connections are to (its place in the node's list): the tag of their channels.
    relay: usize,
}

impl WorkerRtcTransport {
    pub fn new(keys: Keypair) -> Self {
        Self::for_relay(keys, 0)
    }

    /// A transport whose connections are to relay `relay` of the node's list.
    pub fn for_relay(keys: Keypair, relay: usize) -> Self {
        WorkerRtcTransport { keys, relay }
    }
}

async fn dial(addr: Multiaddr, keys: Keypair, relay: usize) -> Result<(PeerId, Connection), RtcError> {
    let (socket, remote) = libp2p_webrtc_utils::parse_webrtc_dial_addr(&addr).ok_or(RtcError::Closed)?;
    let (conn, wait) = bridge::create(relay, &remote.algorithm());
    let result = async {
        let tab = |e: futures::channel::oneshot::Canceled| RtcError::Tab(e.to_string());
        let offer = wait.offer.await.map_err(tab)?.map_err(RtcError::Tab)?;
        let ufrag = libp2p_webrtc_utils::sdp::random_ufrag();
        let answer = server_answer(socket, remote, &ufrag);
        bridge::describe(conn, &munge_offer(&offer, &ufrag), &answer);
        let local_sdp = wait.described.await.map_err(tab)?.map_err(RtcError::Tab)?;
        let local = sdp_fingerprint(&local_sdp).ok_or(RtcError::NoFingerprint)?;
        let handshake = wait.handshake.await.map_err(tab)?;
        let (stream, _listener) = RtcStream::new(handshake);
        let peer = libp2p_webrtc_utils::noise::outbound(keys, stream, remote, local)
            .await
            .map_err(|e| RtcError::Noise(e.to_string()))?;
        Ok(peer)
    }
    .await;
    match result {
        Ok(peer) => Ok((peer, Connection::new(conn, wait.inbound))),
        Err(e) => {
            bridge::close(conn);
            Err(e)
        }
    }
}

impl libp2p::core::Transport for WorkerRtcTransport {
    type Output = (PeerId, Connection);
    type Error = RtcError;
    type ListenerUpgrade = futures::future::Pending<Result<Self::Output, RtcError>>;
    type Dial = BoxFuture<'static, Result<Self::Output, RtcError>>;

    fn listen_on(&mut self, _: ListenerId, addr: Multiaddr) -> Result<(), TransportError<RtcError>> {
        Err(TransportError::MultiaddrNotSupported(addr))
    }

    fn remove_listener(&mut self, _: ListenerId) -> bool {
        false
    }

    fn dial(&mut self, addr: Multiaddr, _: DialOpts) -> Result<Self::Dial, TransportError<RtcError>> {
        if libp2p_webrtc_utils::parse_webrtc_dial_addr(&addr).is_none() {
            return Err(TransportError::MultiaddrNotSupported(addr));
        }
        Ok(SendWrapper::new(dial(addr, self.keys.clone(), self.relay)).boxed())
    }

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<TransportEvent<Self::ListenerUpgrade, RtcError>> {
        Poll::Pending
    }
}
