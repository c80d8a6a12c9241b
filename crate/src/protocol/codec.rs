//! The libp2p request-response codec of `/zg-align/check/2`: framing from [`super::wire`], with the
//! caps enforced before a payload is read.

#[cfg(any(not(target_arch = "wasm32"), feature = "serve"))]
use super::wire::{encode_response, MAX_REQUEST_BYTES};
use super::wire::{decode_payload, encode_request, payload_len, CheckRequest, CheckResponse, FRAME_HEADER_BYTES, MAX_RESPONSE_BYTES};
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::StreamProtocol;
use std::io;

/// Largest piece written to a substream at once: 8 KiB less room for libp2p's WebRTC envelope.
pub const MAX_FRAME_BYTES: usize = 8 * 1024 - 64;

#[derive(Debug, Clone, Copy, Default)]
pub struct CheckCodec;

async fn read_message<T, M>(io: &mut T, limit: usize) -> io::Result<M>
where
    T: AsyncRead + Unpin + Send,
    M: for<'de> serde::Deserialize<'de>,
{
    let mut header = [0u8; FRAME_HEADER_BYTES];
    io.read_exact(&mut header).await?;
    let len = payload_len(&header, limit).map_err(invalid)?;
    let mut payload = vec![0u8; len];
    io.read_exact(&mut payload).await?;
    decode_payload(&payload).map_err(invalid)
}

/// Writes in frames of at most [`MAX_FRAME_BYTES`], each flushed on its own: a native
/// webrtc-rs peer cannot receive a data channel message over 8 KiB (webrtc-data 0.17 resets its
/// read buffer to 8 KiB), and libp2p's WebRTC framing would otherwise batch up to 16 KiB.
async fn write_message<T: AsyncWrite + Unpin + Send>(io: &mut T, bytes: Vec<u8>) -> io::Result<()> {
    for frame in bytes.chunks(MAX_FRAME_BYTES) {
        io.write_all(frame).await?;
        io.flush().await?;
    }
    io.close().await
}

/// The shipped worker only asks (its behaviour never accepts an inbound check): the relay's half of
/// the codec, and its JSON code, is left out of the module.
#[cfg(not(any(not(target_arch = "wasm32"), feature = "serve")))]
fn not_served() -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, "this node does not serve checks")
}

fn invalid(e: super::WireError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl libp2p::request_response::Codec for CheckCodec {
    type Protocol = StreamProtocol;
    type Request = CheckRequest;
    type Response = CheckResponse;

    async fn read_request<T: AsyncRead + Unpin + Send>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<CheckRequest> {
        #[cfg(any(not(target_arch = "wasm32"), feature = "serve"))]
        return read_message(io, MAX_REQUEST_BYTES).await;
        #[cfg(not(any(not(target_arch = "wasm32"), feature = "serve")))]
        {
            let _ = io;
            Err(not_served())
        }
    }

    async fn read_response<T: AsyncRead + Unpin + Send>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<CheckResponse> {
        read_message(io, MAX_RESPONSE_BYTES).await
    }

    async fn write_request<T: AsyncWrite + Unpin + Send>(&mut self, _: &StreamProtocol, io: &mut T, req: CheckRequest) -> io::Result<()> {
        write_message(io, encode_request(&req)).await
    }

    async fn write_response<T: AsyncWrite + Unpin + Send>(&mut self, _: &StreamProtocol, io: &mut T, res: CheckResponse) -> io::Result<()> {
        #[cfg(any(not(target_arch = "wasm32"), feature = "serve"))]
        return write_message(io, encode_response(&res)).await;
        #[cfg(not(any(not(target_arch = "wasm32"), feature = "serve")))]
        {
            let _ = (io, res);
            Err(not_served())
        }
    }
}
