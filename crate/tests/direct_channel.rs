//! The transferred-channel path (`DataChannel::direct`) on a real `RTCDataChannel` in headless
//! Chromium: two peer connections joined in one page over loopback, the far side sending what a
//! lying relay could put on a data channel (text frames, a flood). libp2p-webrtc's streams write
//! binary messages only, so the devnet's lying relay cannot send these; the browser can. Runs on
//! the page's main thread: Chromium's workers have no `RTCPeerConnection` (the worker takes over
//! a channel the tab transferred, the same object).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use zg_align::wasm::rtc::{DataChannel, MAX_READ_BUFFER};

mod refused_channel;
use refused_channel::read_until_refused;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export async function loopback_channel() {
  const near = new RTCPeerConnection(), far = new RTCPeerConnection();
  near.onicecandidate = (e) => e.candidate && far.addIceCandidate(e.candidate);
  far.onicecandidate = (e) => e.candidate && near.addIceCandidate(e.candidate);
  const channel = near.createDataChannel('hostile');
  let received = 0;
  channel.addEventListener('message', () => { received += 1; });
  const remote = new Promise((resolve) => { far.ondatachannel = (e) => resolve(e.channel); });
  await near.setLocalDescription(); await far.setRemoteDescription(near.localDescription);
  await far.setLocalDescription(); await near.setRemoteDescription(far.localDescription);
  const sender = await remote;
  if (sender.readyState !== 'open') await new Promise((resolve) => { sender.onopen = resolve; });
  return { channel, sender, received: () => received, close: () => { near.close(); far.close(); } };
}
export function send_all(sender, messages) { for (const m of messages) sender.send(m); }
export function is_firefox() { return navigator.userAgent.includes('Firefox'); }
"#)]
extern "C" {
    fn loopback_channel() -> js_sys::Promise;
    fn send_all(sender: &JsValue, messages: &js_sys::Array);
    fn is_firefox() -> bool;
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &name.into()).unwrap()
}

/// What one case sends: text frames (one whose text is a number: `new Uint8Array("1e9")` would be
/// a gigabyte), a long text frame, a flood of binary messages past the read buffer. Each fails the
/// stream with `InvalidData` before more than the read buffer is read, and the heap comes back
/// once the channel is gone.
#[wasm_bindgen_test]
async fn text_frames_and_a_flood_on_a_real_data_channel_fail_the_stream() {
    if is_firefox() {
        // Two peer connections in one page of headless Firefox never connect here, with loopback
        // ICE on and a camera grant alike (docs/browsers.md); the channel code is the same.
        console_log!("skipped in Firefox: no loopback peer connection pair (docs/browsers.md)");
        return;
    }
    // Chromium's largest SCTP message is 256 KiB.
    let chunk = js_sys::Uint8Array::new_with_length(256 << 10);
    let cases: Vec<(&str, js_sys::Array)> = vec![
        ("a text frame claiming a gigabyte", js_sys::Array::of1(&"1e9".into())),
        ("a long text frame", js_sys::Array::of1(&js_sys::JsString::from("x").repeat(200 << 10).into())),
        ("binary, then text", js_sys::Array::of2(&js_sys::Uint8Array::from(&b"hello"[..]).buffer().into(), &"1".into())),
        ("a flood past the read buffer", (0..(MAX_READ_BUFFER / (256 << 10) + 2)).map(|_| JsValue::from(chunk.buffer())).collect()),
    ];
    let heap_before = zg_align::counting_alloc::live_bytes();
    for (case, messages) in cases {
        let pair = wasm_bindgen_futures::JsFuture::from(loopback_channel()).await.unwrap();
        let mut channel = DataChannel::direct(field(&pair, "channel").unchecked_into());
        send_all(&field(&pair, "sender"), &messages);
        // Every message delivered before the first read: a reader keeping up would drain a flood.
        // Counted, not timed: a loaded machine delivers 2.5 MB of loopback SCTP in seconds.
        let received = js_sys::Function::from(field(&pair, "received"));
        let mut waited_ms = 0;
        while received.call0(&JsValue::NULL).unwrap().as_f64() != Some(messages.length() as f64) {
            assert!(waited_ms < 60_000, "{case}: {:?} of {} messages arrived in 60 s", received.call0(&JsValue::NULL), messages.length());
            gloo_timers::future::TimeoutFuture::new(20).await;
            waited_ms += 20;
        }
        read_until_refused(&mut channel, case).await;
        drop(channel);
        js_sys::Function::from(field(&pair, "close")).call0(&JsValue::NULL).unwrap();
        let heap = zg_align::counting_alloc::live_bytes();
        assert!(heap <= heap_before + (256 << 10), "{case}: the heap went from {heap_before} to {heap} bytes");
    }
}
