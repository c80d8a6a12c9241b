//! The devnet's libp2p side: a webrtc-direct listener that serves `/zg-align/check/1`, playing the
//! 0G network to the light node in the browser.

use crate::da::DaNetwork;
use crate::reports::Reports;
use crate::storage_node::StorageNode;
use crate::validators::ValidatorChain;
use base64::Engine;
use futures::StreamExt;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::Transport;
use libp2p::multiaddr::Protocol;
use libp2p::request_response::{self, ProtocolSupport, ResponseChannel};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, StreamProtocol};
use serde_json::value::RawValue;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use zg_align::protocol::{CheckCodec, CheckRequest, CheckResponse, CheckSwarm, NetworkMap, RemoteFailure, PROTOCOL_NAME};

/// Largest echo the devnet sends back.
const MAX_ECHO_BYTES: u32 = 512 * 1024;

/// What the libp2p side serves.
pub struct Network {
    pub map: NetworkMap,
    pub storage: Vec<StorageNode>,
    pub da: Arc<DaNetwork>,
    /// The report ledger, shared with the HTTP side.
    pub reports: Arc<Reports>,
    pub validators: Arc<ValidatorChain>,
    pub serving: Arc<crate::serving::ServingNetwork>,
}

impl Network {
    /// Everything the devnet plays, as the libp2p side serves it.
    pub fn new(config: &crate::server::DevnetConfig, storage: Vec<StorageNode>) -> Self {
        Network {
            map: crate::server::network_map(config, &storage),
            storage,
            da: config.da.clone(),
            reports: config.reports.clone(),
            validators: config.validators.clone(),
            serving: config.serving.clone(),
        }
    }
}

/// A tokio swarm with the native webrtc-direct transport (a fresh identity and certificate) and
/// the `/zg-align/check/1` behaviour: the devnet's listener and the native test client alike.
pub fn webrtc_swarm(support: ProtocolSupport, request_timeout: Duration) -> Result<CheckSwarm, String> {
    Ok(libp2p::SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_other_transport(|keys| {
            let certificate = libp2p_webrtc::tokio::Certificate::generate(&mut rand::rng())?;
            Ok(libp2p_webrtc::tokio::Transport::new(keys.clone(), certificate)
                .map(|(peer, connection), _| (peer, StreamMuxerBox::new(connection))))
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
        .build())
}

/// Starts listening on `ip` (a free UDP port) and returns the full dial address
/// (`/ip4/../udp/../webrtc-direct/certhash/../p2p/..`) and the swarm's task.
pub async fn start(network: Arc<Network>, ip: IpAddr) -> Result<(Multiaddr, tokio::task::JoinHandle<()>), String> {
    let mut swarm = webrtc_swarm(ProtocolSupport::Inbound, Duration::from_secs(30))?;
    let listen = Multiaddr::from(ip).with(Protocol::Udp(0)).with(Protocol::WebRTCDirect);
    swarm.listen_on(listen).map_err(|e| e.to_string())?;
    let address = loop {
        if let SwarmEvent::NewListenAddr { address, .. } = swarm.select_next_some().await {
            break address.with(Protocol::P2p(*swarm.local_peer_id()));
        }
    };

    let (answers, mut answered) = mpsc::unbounded_channel::<(ResponseChannel<CheckResponse>, CheckResponse)>();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                event = swarm.select_next_some() => {
                    if let SwarmEvent::Behaviour(request_response::Event::Message {
                        message: request_response::Message::Request { request, channel, .. }, ..
                    }) = event {
                        let network = network.clone();
                        let answers = answers.clone();
                        tokio::spawn(async move {
                            let response = serve(&network, request).await;
                            let _ = answers.send((channel, response));
                        });
                    }
                }
                Some((channel, response)) = answered.recv() => {
                    // The peer may have gone: nothing to do then.
                    let _ = swarm.behaviour_mut().send_response(channel, response);
                }
            }
        }
    });
    Ok((address, task))
}

async fn serve(network: &Network, request: CheckRequest) -> CheckResponse {
    match request {
        CheckRequest::Network => CheckResponse::Network(network.map.clone()),
        CheckRequest::Zgs { node, call } => {
            let Some(node) = network.storage.iter().find(|n| n.id == node) else {
                return failure(404, format!("no storage node {node}"));
            };
            let call = match serde_json::from_str(call.get()) {
                Ok(call) => call,
                Err(e) => return failure(400, format!("call is not JSON: {e}")),
            };
            let answer = node.handle(call).await;
            let answer = RawValue::from_string(answer.to_string()).expect("a JSON value is valid JSON");
            CheckResponse::Zgs { answer }
        }
        CheckRequest::Echo { len } if len <= MAX_ECHO_BYTES => CheckResponse::Echo { data: "e".repeat(len as usize) },
        CheckRequest::Echo { len } => failure(413, format!("echo of {len} bytes is over {MAX_ECHO_BYTES}")),
        CheckRequest::DaRows { signer, data_root, rows } => match network.da.rows(&signer, &data_root, &rows) {
            Ok(rows) => CheckResponse::DaRows { rows },
            Err((code, message)) => failure(code, message),
        },
        CheckRequest::PublishReport { report } => match network.reports.submit(&report) {
            Ok(a) => CheckResponse::ReportAccepted { signer: a.signer, license_token_id: a.license_token_id, round: a.round, digest: a.digest },
            Err(reason) => CheckResponse::ReportRejected { message: reason.to_string(), reason },
        },
        CheckRequest::Commits { from, count } => {
            let chain = network.validators.clone();
            // Signing a page the first time takes a while: off the async threads.
            match tokio::task::spawn_blocking(move || chain.page(from, count)).await {
                Ok(page) => CheckResponse::Commits(page),
                Err(e) => failure(500, format!("commits: {e}")),
            }
        }
        CheckRequest::Serve { provider, request } => match network.serving.serve(&provider, &request).await {
            Ok((response, signature)) => CheckResponse::Served { response: base64::engine::general_purpose::STANDARD.encode(response), signature },
            Err((code, message)) => failure(code, message),
        },
    }
}

fn failure(code: u16, message: String) -> CheckResponse {
    CheckResponse::Failure(RemoteFailure { code, message })
}
