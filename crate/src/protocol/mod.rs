//! `/zg-align/check/2`: the request-response protocol between the light node and its relay, the
//! native peer that speaks 0G's node protocols and forwards their answers verbatim. One request
//! and one response per libp2p substream. The schema is written down in docs/check-protocol.md.

mod codec;
mod comet;
mod da_pass;
mod in_flight;
mod serving_pass;
mod wire;
mod relayed;

pub use codec::{CheckCodec, MAX_FRAME_BYTES};
pub use comet::RelayedComet;
pub use da_pass::{run_da_pass, run_da_pass_each, DaMemory, DaPassError, MAX_QUORUMS_KEPT};
pub use in_flight::{InFlightLimit, InFlightPermit, Limited};
pub use serving_pass::{run_serving_pass, run_serving_pass_each, run_serving_pass_for, ServingPassError, MAX_PASS_SERVICES};
pub use relayed::{CheckSender, RelayUpstreams, Relayed, Upstream};
#[cfg(any(not(target_arch = "wasm32"), feature = "serve"))]
pub use wire::{decode_request, encode_response};
pub use wire::{
    decode_payload, decode_response, encode_request, payload_len, CheckRequest, CheckResponse, EvmChain,
    DaSource, LicenseContracts, RelayInfo, ServingSource, RemoteFailure, Upstreams, WireError, FRAME_HEADER_BYTES, MAX_REQUEST_BYTES,
    MAX_RESPONSE_BYTES, WIRE_VERSION,
};

/// The protocol name negotiated by multistream-select.
pub const PROTOCOL_NAME: &str = "/zg-align/check/2";
