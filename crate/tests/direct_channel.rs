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
use refused_channel::{read_until_refused, Arrivals};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export async function loopback_channel() {
  const near = new RTCPeerConnection(), far = new RTCPeerConnection();
  near.onicecandidate = (e) => e.candidate && far.addIceCandidate(e.candidate);
  far.onicecandidate = (e) => e.candidate && near.addIceCandidate(e.candidate);
  const channel = near.createDataChannel('hostile');
  const remote = new Promise((resolve) => { far.ondatachannel = (e) => resolve(e.channel); });
  await near.setLocalDescription(); await far.setRemoteDescription(near.localDescription);
  await far.setLocalDescription(); await near.setRemoteDescription(far.localDescription);
  const sender = await remote;
  // Both ends open before anything is sent: a message reaching a channel still connecting is
  // lost (seen under load).
  for (const end of [sender, channel]) {
    if (end.readyState !== 'open') await new Promise((resolve) => end.addEventListener('open', resolve, { once: true }));
  }
  return { channel, sender, close: () => { near.close(); far.close(); } };
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
        let near: web_sys::RtcDataChannel = field(&pair, "channel").unchecked_into();
        let mut channel = DataChannel::direct(near.clone());
        let arrivals = Arrivals::count_on(&near);
        send_all(&field(&pair, "sender"), &messages);
        arrivals.wait_for(messages.length(), case).await;
        read_until_refused(&mut channel, case).await;
        drop(channel);
        js_sys::Function::from(field(&pair, "close")).call0(&JsValue::NULL).unwrap();
        let heap = zg_align::counting_alloc::live_bytes();
        assert!(heap <= heap_before + (256 << 10), "{case}: the heap went from {heap_before} to {heap} bytes");
    }
}
