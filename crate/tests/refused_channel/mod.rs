//! Shared by the channel tests (worker_transport.rs, direct_channel.rs): reading a channel that a
//! hostile peer filled must end in a refusal, not a hang and not more than the read buffer.
#![cfg(target_arch = "wasm32")]

use futures::AsyncReadExt;
use zg_align::wasm::rtc::{DataChannel, MAX_READ_BUFFER};

/// Reads `channel` until it fails; the failure must be `InvalidData` after at most the read buffer.
pub async fn read_until_refused(channel: &mut DataChannel, case: &str) {
    let mut buf = vec![0u8; 64 << 10];
    let mut read = 0;
    let err = loop {
        match channel.read(&mut buf).await {
            Ok(0) => panic!("{case}: the stream ended without an error"),
            Ok(n) => read += n,
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData, "{case}: {err}");
    assert!(read <= MAX_READ_BUFFER, "{case}: {read} bytes read");
}
