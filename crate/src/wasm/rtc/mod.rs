//! webrtc-direct from a dedicated worker. Browsers give workers no `RTCPeerConnection`, so the tab
//! owns it and does the SDP calls; everything else is here: the SDP edits, every data channel
//! (transferred by the tab the moment it exists, or relayed by it), Noise over channel 0, the
//! libp2p framing of `libp2p-webrtc-utils`, and the stream muxer.

mod bridge;
mod channel;
mod connection;
mod transport;

pub use bridge::{footprint, on_tab_message, streams_opened};

/// Data channels stay open until their connection closes (see `channel`), so the node starts a
/// new connection, between rounds, once one has opened this many streams.
pub const MAX_STREAMS_PER_CONNECTION: u32 = 4096;
pub use channel::{DataChannel, MAX_READ_BUFFER, MAX_SEND_BYTES, RELAY_WINDOW};
pub use connection::{Connection, RtcStream};
pub use transport::{RtcError, WorkerRtcTransport};
