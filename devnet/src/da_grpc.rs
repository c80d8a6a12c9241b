//! The devnet's DA signers as 0G's: one tonic gRPC server per signer on loopback, service
//! `signer.Signer` (zg-align-proto). `BatchRetrieve` answers as 0G's DA node
//! ([`DaNetwork::batch_retrieve`]); `GetStatus` says 200; `BatchSign` is `Unimplemented`: the
//! devnet's blobs are encoded and certified when it starts, nobody disperses to it.

use crate::da::{DaNetwork, RetrieveRefusal};
use std::net::SocketAddr;
use std::sync::Arc;
use tonic::{Request, Response, Status};
use zg_align_proto::signer::signer_server::{Signer, SignerServer};
use zg_align_proto::signer::{BatchRetrieveReply, BatchRetrieveRequest, BatchSignReply, BatchSignRequest, Empty, Slices, StatusReply};

/// Largest request a signer reads (0G's retriever allows 1 GiB; a light node asks 16 rows).
const MAX_REQUEST_BYTES: usize = 64 * 1024;

struct SignerService {
    da: Arc<DaNetwork>,
    index: usize,
}

#[tonic::async_trait]
impl Signer for SignerService {
    async fn batch_sign(&self, _request: Request<BatchSignRequest>) -> Result<Response<BatchSignReply>, Status> {
        Err(Status::unimplemented("the devnet's blobs are dispersed and signed when it starts"))
    }

    async fn batch_retrieve(&self, request: Request<BatchRetrieveRequest>) -> Result<Response<BatchRetrieveReply>, Status> {
        let mut reply = BatchRetrieveReply { encoded_slice: vec![] };
        for req in &request.get_ref().requests {
            let rows = self.da.batch_retrieve(self.index, req.epoch, req.quorum_id, &req.storage_root, &req.row_indexes).map_err(|r| match r {
                RetrieveRefusal::InvalidArgument(m) => Status::invalid_argument(m),
                RetrieveRefusal::Internal(m) => Status::internal(m),
            })?;
            reply.encoded_slice.push(Slices { encoded_slice: rows });
        }
        Ok(Response::new(reply))
    }

    async fn get_status(&self, _request: Request<Empty>) -> Result<Response<StatusReply>, Status> {
        Ok(Response::new(StatusReply { status_code: 200, entrance_contract: String::new() }))
    }
}

/// Starts one gRPC server per signer on 127.0.0.1 (a free port each), records the sockets in
/// `da.sockets` (what the DASigners precompile then answers), and returns `(id, socket)` per
/// signer in the network's order. The servers run until the runtime stops.
pub async fn serve_signers(da: Arc<DaNetwork>) -> std::io::Result<Vec<(String, SocketAddr)>> {
    let mut out = Vec::with_capacity(da.signers.len());
    for (index, signer) in da.signers.iter().enumerate() {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let service = SignerServer::new(SignerService { da: da.clone(), index }).max_decoding_message_size(MAX_REQUEST_BYTES);
        tokio::spawn(async move {
            // TCP_NODELAY, as zg_align_relay::http_server explains (tonic's own `serve` sets it).
            let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
            if let Err(e) = tonic::transport::Server::builder().add_service(service).serve_with_incoming(incoming).await {
                eprintln!("DA signer gRPC server stopped: {e}");
            }
        });
        out.push((signer.id.clone(), addr));
    }
    // The first call wins: a network serves its signers once.
    let _ = da.sockets.set(out.iter().map(|(_, a)| *a).collect());
    Ok(out)
}
