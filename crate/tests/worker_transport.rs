//! The worker's data channels and the check protocol over them, in a real dedicated worker of
//! headless Chromium. A `MessageChannel` joins two relayed channels back to back (the relay
//! protocol is symmetric), so these run without a peer connection: bytes both ways with
//! back-pressure, the codec over libp2p's WebRTC framing, bad frames, oversized messages and a
//! peer that vanishes mid-stream. The transferred-channel path is covered end to end by
//! tests/node-browser.test.mjs.
#![cfg(target_arch = "wasm32")]

use futures::{AsyncReadExt, AsyncWriteExt, FutureExt};
use libp2p::request_response::Codec;
use libp2p::StreamProtocol;
use wasm_bindgen_test::*;
use zg_align::protocol::{CheckCodec, CheckRequest, CheckResponse, RemoteFailure, PROTOCOL_NAME, WIRE_VERSION};
use zg_align::wasm::rtc::{DataChannel, RtcStream};

mod refused_channel;
use refused_channel::{read_until_refused, Arrivals};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn pair() -> (DataChannel, DataChannel) {
    let ports = web_sys::MessageChannel::new().unwrap();
    (DataChannel::relayed(ports.port1(), true), DataChannel::relayed(ports.port2(), true))
}

fn substreams() -> (RtcStream, RtcStream) {
    let (a, b) = pair();
    (RtcStream::new(a).0, RtcStream::new(b).0)
}

/// Larger than the relay window and than one WebRTC message: back-pressure and reassembly.
const RESPONSE_LEN: usize = 300_000;

fn protocol() -> StreamProtocol {
    StreamProtocol::new(PROTOCOL_NAME)
}

#[wasm_bindgen_test]
async fn bytes_cross_both_ways_and_a_writer_waits_for_credit() {
    let (mut a, mut b) = pair();
    let data: Vec<u8> = (0..1_200_000u32).map(|i| (i * 31) as u8).collect();
    // Nobody reads: the writer stops once the relay window is spent.
    let mut sent = 0;
    while let Some(n) = a.write(&data[sent..]).now_or_never() {
        sent += n.unwrap();
        assert!(sent <= zg_align::wasm::rtc::RELAY_WINDOW, "wrote {sent} bytes without credit");
    }
    let reader = async {
        let mut got = vec![0u8; data.len()];
        b.read_exact(&mut got).await.unwrap();
        got
    };
    let writer = async {
        a.write_all(&data[sent..]).await.unwrap();
    };
    let (got, ()) = futures::join!(reader, writer);
    assert_eq!(got, data);
    // And back the other way.
    b.write_all(b"pong").await.unwrap();
    let mut pong = [0u8; 4];
    a.read_exact(&mut pong).await.unwrap();
    assert_eq!(&pong, b"pong");
}

#[wasm_bindgen_test]
async fn a_request_and_a_large_response_cross_a_substream() {
    let (mut client, mut server) = substreams();
    let (mut writer, mut reader, p) = (CheckCodec, CheckCodec, protocol());
    let (sent, received) = futures::join!(
        writer.write_request(&p, &mut client, CheckRequest::Echo { len: 300_000 }),
        reader.read_request(&p, &mut server),
    );
    sent.unwrap();
    assert!(matches!(received.unwrap(), CheckRequest::Echo { len: 300_000 }));
    let big = CheckResponse::Echo { data: "e".repeat(RESPONSE_LEN) };
    let (sent, received) = futures::join!(
        writer.write_response(&p, &mut server, big),
        reader.read_response(&p, &mut client),
    );
    sent.unwrap();
    assert!(matches!(received.unwrap(), CheckResponse::Echo { data } if data.len() == RESPONSE_LEN));
}

#[wasm_bindgen_test]
async fn bad_frames_fail_the_substream_with_a_typed_error() {
    // A wrong version byte.
    let (mut client, mut server) = substreams();
    client.write_all(&[9, 0, 0, 0, 2, b'{', b'}']).await.unwrap();
    client.close().await.unwrap();
    let err = CheckCodec.read_request(&protocol(), &mut server).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("version 9"), "{err}");

    // A header announcing more than the cap: refused before any payload is read.
    let (mut client, mut server) = substreams();
    client.write_all(&[WIRE_VERSION, 0, 0x20, 0, 0]).await.unwrap();
    client.flush().await.unwrap();
    let err = CheckCodec.read_response(&protocol(), &mut server).await.unwrap_err();
    assert!(err.to_string().contains("over the"), "{err}");

    // A well-framed payload that is not a message.
    let (mut client, mut server) = substreams();
    client.write_all(&[WIRE_VERSION, 0, 0, 0, 15]).await.unwrap();
    client.write_all(br#"{"type":"nuke"}"#).await.unwrap();
    client.close().await.unwrap();
    let err = CheckCodec.read_request(&protocol(), &mut server).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
}

#[wasm_bindgen_test]
async fn a_peer_that_vanishes_mid_message_ends_the_read() {
    let (a, b) = pair();
    let vanishing = b.clone();
    let (mut client, mut server) = (RtcStream::new(a).0, RtcStream::new(b).0);
    let response = zg_align::protocol::encode_response(&CheckResponse::Failure(RemoteFailure { code: 404, message: "x".repeat(20_000) }));
    server.write_all(&response[..response.len() / 2]).await.unwrap();
    server.flush().await.unwrap();
    // The channel goes away under the stream, as when the remote closes it.
    let mut vanishing = vanishing;
    vanishing.close().await.unwrap();
    drop(server);
    let err = CheckCodec.read_response(&protocol(), &mut client).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "{err}");
}

#[wasm_bindgen_test]
async fn framed_bytes_cross_a_substream() {
    let (mut client, mut server) = substreams();
    let ((), r) = futures::join!(
        async { client.write_all(b"hello").await.unwrap(); client.flush().await.unwrap(); },
        async { let mut got = [0u8; 5]; server.read_exact(&mut got).await.unwrap(); got },
    );
    assert_eq!(&r, b"hello");
}

/// The wasm memory and the heap the node holds now.
fn memory() -> (f64, usize) {
    use wasm_bindgen::JsCast;
    let buffer = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer();
    (buffer.unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64, zg_align::counting_alloc::live_bytes())
}

/// What a hostile tab (or relay through it) can put on a channel: text frames whose text is a
/// number (`new Uint8Array("1e9")` would be a gigabyte), numbers, counts and credits that are not
/// numbers, a flood past the read buffer. Each fails the stream at once; the heap is back within
/// 256 KiB of where it was once the channel is gone, and the wasm memory grew by at most the read
/// buffer's cap twice over.
#[wasm_bindgen_test]
async fn text_frames_and_claimed_counts_cost_no_memory() {
    use wasm_bindgen::JsValue;
    let message = |kind: &str, bytes: JsValue| {
        let m = js_sys::Object::new();
        js_sys::Reflect::set(&m, &"type".into(), &kind.into()).unwrap();
        js_sys::Reflect::set(&m, &"bytes".into(), &bytes).unwrap();
        m
    };
    let mut one_mib = Vec::new();
    one_mib.resize(1 << 20, 7u8);
    type Messages<'a> = Box<dyn Fn() -> Vec<js_sys::Object> + 'a>;
    let hostile: Vec<(&str, Messages<'_>)> = vec![
        ("a text frame claiming a gigabyte", Box::new(|| vec![message("data", "1e9".into())])),
        ("a huge text frame", Box::new(|| vec![message("data", js_sys::JsString::from("x").repeat(4 << 20).into())])),
        ("a number as the bytes", Box::new(|| vec![message("data", JsValue::from_f64(1e9))])),
        ("an object as the bytes", Box::new(|| vec![message("data", js_sys::Object::new().into())])),
        ("credit that is not a number, then text", Box::new(|| vec![message("credit", "1e300".into()), message("credit", JsValue::from_f64(f64::NAN)), message("data", "y".into())])),
        ("a flood past the read buffer", Box::new(|| (0..4).map(|_| message("data", js_sys::Uint8Array::from(&one_mib[..]).buffer().into())).collect())),
    ];
    let (wasm_before, heap_before) = memory();
    for (case, messages) in hostile {
        let ports = web_sys::MessageChannel::new().unwrap();
        let mut channel = DataChannel::relayed(ports.port2(), true);
        let arrivals = Arrivals::count_on(&ports.port2());
        let messages = messages();
        for m in &messages {
            ports.port1().post_message(m).unwrap();
        }
        arrivals.wait_for(messages.len() as u32, case).await;
        read_until_refused(&mut channel, case).await;
        drop(arrivals);
        drop(channel);
        let (wasm, heap) = memory();
        assert!(heap <= heap_before + (256 << 10), "{case}: the heap went from {heap_before} to {heap} bytes");
        // The flood fills the read buffer (2 MiB) before it is refused, a message copied in beside.
        assert!(wasm <= wasm_before + f64::from(8u32 << 20), "{case}: the wasm memory went from {wasm_before} to {wasm} bytes");
    }
}
