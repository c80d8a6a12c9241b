//! `/zg-align/check/1`: the request-response protocol between the light node and the network
//! (today the devnet). One request and one response per libp2p substream. The schema is written
//! down in docs/check-protocol.md.

mod client;
mod codec;
mod da_rows;
mod serve;
mod wire;
mod zgs;

pub use client::{CheckClient, CheckSwarm, ClientEnd};
pub use codec::{CheckCodec, MAX_FRAME_BYTES};
pub use da_rows::fetch_da_rows;
pub use serve::fetch_served;
pub use zgs::{CheckSender, RelayedZgs};
pub use wire::{
    decode_payload, decode_request, decode_response, payload_len, encode_request, encode_response, CheckRequest, CheckResponse, NetworkMap,
    RemoteFailure, StorageNodeEntry, WireError, FileEntry, FRAME_HEADER_BYTES, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES,
    WIRE_VERSION,
};

/// The protocol name negotiated by multistream-select.
pub const PROTOCOL_NAME: &str = "/zg-align/check/1";
