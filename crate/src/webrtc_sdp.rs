//! The SDP of webrtc-direct the browser side needs, as pure functions: the listener's answer the
//! browser is given as the remote description, the offer's ICE credentials replaced by the ufrag
//! that answer carries, and the local certificate fingerprint read back from the local description
//! (it goes into the Noise prologue).

use libp2p_webrtc_utils::Fingerprint;
use std::net::SocketAddr;

/// The answer a webrtc-direct listener at `addr` with certificate `fingerprint` gives, as
/// `libp2p_webrtc_utils::sdp::answer` writes it (a test holds the two equal), written with
/// `format!`: libp2p's renders it through tinytemplate, whose template compiler and JSON context
/// were the wasm module's only use of either (BENCHMARKS.md, "Module size").
pub fn server_answer(addr: SocketAddr, fingerprint: Fingerprint, ufrag: &str) -> String {
    let version = if addr.is_ipv4() { "IP4" } else { "IP6" };
    let (ip, port) = (addr.ip(), addr.port());
    let (algorithm, value) = (fingerprint.algorithm(), fingerprint.to_sdp_format());
    format!(
        "v=0\no=- 0 0 IN {version} {ip}\ns=-\nt=0 0\na=ice-lite\nm=application {port} UDP/DTLS/SCTP webrtc-datachannel\n\
         c=IN {version} {ip}\na=mid:0\na=ice-options:ice2\na=ice-ufrag:{ufrag}\na=ice-pwd:{ufrag}\n\
         a=fingerprint:{algorithm} {value}\na=setup:passive\na=sctp-port:5000\na=max-message-size:16384\n\
         a=candidate:1467250027 1 UDP 1467250027 {ip} {port} typ host\na=end-of-candidates\n"
    )
}

/// Replaces `a=ice-ufrag` and `a=ice-pwd` of `offer` with `ufrag` (webrtc-direct uses the same
/// string for both, so that the listener can tell its peers apart from the first STUN message).
pub fn munge_offer(offer: &str, ufrag: &str) -> String {
    let mut out = String::with_capacity(offer.len() + 64);
    for line in offer.split("\r\n").filter(|l| !l.is_empty()) {
        if line.starts_with("a=ice-ufrag:") {
            out.push_str(&format!("a=ice-ufrag:{ufrag}\r\n"));
        } else if line.starts_with("a=ice-pwd:") {
            out.push_str(&format!("a=ice-pwd:{ufrag}\r\n"));
        } else {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out
}

/// The SHA-256 certificate fingerprint of an SDP (`a=fingerprint:sha-256 AA:BB:..`).
pub fn sdp_fingerprint(sdp: &str) -> Option<Fingerprint> {
    let value = sdp.split("\r\n").find_map(|l| l.strip_prefix("a=fingerprint:sha-256 "))?;
    let bytes = hex::decode(value.trim().replace(':', "")).ok()?;
    Some(Fingerprint::raw(bytes.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=ice-ufrag:abcd\r\na=ice-pwd:secretsecret\r\na=fingerprint:sha-256 A8:17:77:1E:02:7E:D1:2B:53:92:70:A6:8E:F9:02:CC:21:72:3A:92:5D:F4:97:5F:27:C4:5E:75:D4:F4:31:89\r\n\r\n";

    #[test]
    fn munges_both_credentials() {
        let munged = munge_offer(OFFER, "libp2p+webrtc+v1/xyz");
        assert!(munged.contains("a=ice-ufrag:libp2p+webrtc+v1/xyz\r\n"));
        assert!(munged.contains("a=ice-pwd:libp2p+webrtc+v1/xyz\r\n"));
        assert!(!munged.contains("secretsecret"));
        assert!(!munged.contains("\r\n\r\n"));
    }

    #[test]
    fn answers_as_libp2p_does() {
        let fingerprint = sdp_fingerprint(OFFER).unwrap();
        for addr in ["127.0.0.1:9090", "203.0.113.7:1", "[::1]:4001", "[2001:db8::8a2e:370:7334]:65535"] {
            let addr: SocketAddr = addr.parse().unwrap();
            for ufrag in ["libp2p+webrtc+v1/abcXYZ0123", &libp2p_webrtc_utils::sdp::random_ufrag()] {
                assert_eq!(server_answer(addr, fingerprint, ufrag), libp2p_webrtc_utils::sdp::answer(addr, fingerprint, ufrag), "{addr} {ufrag}");
            }
        }
    }

    #[test]
    fn reads_the_fingerprint() {
        let fp = sdp_fingerprint(OFFER).unwrap();
        assert_eq!(fp.to_sdp_format(), "A8:17:77:1E:02:7E:D1:2B:53:92:70:A6:8E:F9:02:CC:21:72:3A:92:5D:F4:97:5F:27:C4:5E:75:D4:F4:31:89");
        assert_eq!(sdp_fingerprint("v=0\r\n"), None);
        assert_eq!(sdp_fingerprint("a=fingerprint:sha-256 ZZ\r\n"), None);
        assert_eq!(sdp_fingerprint("a=fingerprint:sha-256 AA:BB\r\n"), None);
    }
}
