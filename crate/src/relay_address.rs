//! A relay's address as the node reads it: the one multiaddr form a browser dials,
//! `/ip4|ip6/<ip>/udp/<port>/webrtc-direct/certhash/<multibase multihash>/p2p/<peer id>`.
//!
//! Read by hand because `Multiaddr::from_str` reads every protocol and every multibase for its
//! certhash: that was 73 KB of the wasm module (BENCHMARKS.md, "Module size"), for one address
//! per relay. The certhash is read in base64url (`u`), the base libp2p's implementations write.
//! What this accepts, `Multiaddr::from_str` reads the same (tests below).

use base64::Engine;
use libp2p::multiaddr::multihash::Multihash;
use libp2p::multiaddr::{Multiaddr, Protocol};
use libp2p::PeerId;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RelayAddressError {
    #[error("not /ip4|ip6/…/udp/…/webrtc-direct/certhash/…/p2p/…, the relay address a browser can dial")]
    Shape,
    #[error("{part} {value:?} is not valid")]
    Part { part: &'static str, value: String },
    #[error("the certhash is not in base64url (multibase `u`), the only base read")]
    CerthashBase,
}

/// The multiaddr `text` names, when it is a webrtc-direct address with its certhash and peer id.
pub fn parse_relay_address(text: &str) -> Result<Multiaddr, RelayAddressError> {
    let parts: Vec<&str> = text.split('/').collect();
    let ["", ip_kind, ip, "udp", port, "webrtc-direct", "certhash", certhash, "p2p", peer] = parts[..] else {
        return Err(RelayAddressError::Shape);
    };
    let bad = |part: &'static str, value: &str| RelayAddressError::Part { part, value: value.into() };
    let ip = match ip_kind {
        "ip4" => Protocol::Ip4(ip.parse().map_err(|_| bad("ip4", ip))?),
        "ip6" => Protocol::Ip6(ip.parse().map_err(|_| bad("ip6", ip))?),
        _ => return Err(RelayAddressError::Shape),
    };
    let port = port.parse().map_err(|_| bad("udp port", port))?;
    let hash = certhash.strip_prefix('u').ok_or(RelayAddressError::CerthashBase)?;
    let hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(hash).map_err(|_| bad("certhash", certhash))?;
    let hash = Multihash::from_bytes(&hash).map_err(|_| bad("certhash", certhash))?;
    let peer: PeerId = peer.parse().map_err(|_| bad("peer id", peer))?;
    Ok(Multiaddr::empty().with(ip).with(Protocol::Udp(port)).with(Protocol::WebRTCDirect).with(Protocol::Certhash(hash)).with(Protocol::P2p(peer)))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// An ed25519 peer id and a SHA-256 certificate fingerprint as a base64url multihash, as a
    /// relay prints them.
    fn peer_and_certhash() -> (String, String) {
        let peer = libp2p::identity::Keypair::ed25519_from_bytes([7; 32]).unwrap().public().to_peer_id();
        let hash = Multihash::<64>::wrap(0x12, &[0xc3; 32]).unwrap();
        (peer.to_string(), format!("u{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(hash.to_bytes())))
    }

    #[test]
    fn reads_what_multiaddr_reads() {
        let (peer, certhash) = peer_and_certhash();
        for text in [
            format!("/ip4/127.0.0.1/udp/40123/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
            format!("/ip4/203.0.113.7/udp/1/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
            format!("/ip6/::1/udp/65535/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
            format!("/ip6/2001:db8::8a2e:370:7334/udp/443/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
        ] {
            let reference: Multiaddr = text.parse().unwrap();
            assert_eq!(parse_relay_address(&text).unwrap(), reference, "{text}");
            assert_eq!(parse_relay_address(&text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn refuses_other_forms_with_the_reason() {
        let (peer, certhash) = peer_and_certhash();
        let (peer, certhash) = (peer.as_str(), certhash.as_str());
        let good = |ip: &str, port: &str, hash: &str, peer: &str| format!("/{ip}/udp/{port}/webrtc-direct/certhash/{hash}/p2p/{peer}");
        let part = |part: &'static str, value: &str| Err(RelayAddressError::Part { part, value: value.into() });
        for shape in [
            String::new(),
            "/ip4/127.0.0.1/udp/1/webrtc-direct".into(),
            format!("/dns4/relay.example/udp/1/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
            format!("/ip4/127.0.0.1/tcp/1/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
            format!("/ip4/127.0.0.1/udp/1/webrtc/certhash/{certhash}/p2p/{peer}"),
            format!("/ip4/127.0.0.1/udp/1/webrtc-direct/certhash/{certhash}"),
            format!("/ip4/127.0.0.1/udp/1/webrtc-direct/certhash/{certhash}/certhash/{certhash}/p2p/{peer}"),
            format!("{}/", good("ip4/127.0.0.1", "1", certhash, peer)),
            format!("ip4/127.0.0.1/udp/1/webrtc-direct/certhash/{certhash}/p2p/{peer}"),
        ] {
            assert_eq!(parse_relay_address(&shape), Err(RelayAddressError::Shape), "{shape}");
        }
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.256", "1", certhash, peer)), part("ip4", "127.0.0.256"));
        assert_eq!(parse_relay_address(&good("ip6/127.0.0.1", "1", certhash, peer)), part("ip6", "127.0.0.1"));
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.1", "65536", certhash, peer)), part("udp port", "65536"));
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.1", "-1", certhash, peer)), part("udp port", "-1"));
        // The same hash in base58btc (`z`): a valid multibase, not read here.
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.1", "1", "zQmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", peer)), Err(RelayAddressError::CerthashBase));
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.1", "1", "u!!", peer)), part("certhash", "u!!"));
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.1", "1", "uEiDD", peer)), part("certhash", "uEiDD"));
        assert_eq!(parse_relay_address(&good("ip4/127.0.0.1", "1", certhash, "12D3Koo")), part("peer id", "12D3Koo"));
    }
}
