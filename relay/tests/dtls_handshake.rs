//! The DTLS server under the relay's webrtc-direct listener (dtls, patched: patches/dtls) answers
//! the dialer's first ClientHello with its ServerHello flight: no HelloVerifyRequest, so the
//! dialer sends one ClientHello, not two, and the handshake takes a round trip less. Two real DTLS
//! endpoints over an in-memory datagram pipe, the handshake messages read as they pass.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use dtls::config::{Config, ExtendedMasterSecretType};
use dtls::conn::DTLSConn;
use dtls::crypto::Certificate;
use webrtc_util::conn::conn_pipe::pipe;
use webrtc_util::conn::Conn;

const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
const HELLO_VERIFY_REQUEST: u8 = 3;

/// The client's end of the pipe, noting the type of every unencrypted handshake message that
/// passes: `(sent by the client, type)`.
struct Watched {
    conn: Arc<dyn Conn + Send + Sync>,
    seen: Arc<Mutex<Vec<(bool, u8)>>>,
}

impl Watched {
    /// Each record of `datagram`: content type 22 (handshake) in epoch 0 carries its message type
    /// in the first byte after the 13-byte record header.
    fn note(&self, datagram: &[u8], sent: bool) {
        let mut rest = datagram;
        while rest.len() >= 13 {
            let (content, epoch, len) = (rest[0], u16::from_be_bytes([rest[3], rest[4]]), u16::from_be_bytes([rest[11], rest[12]]) as usize);
            if content == 22 && epoch == 0 && rest.len() > 13 {
                self.seen.lock().unwrap().push((sent, rest[13]));
            }
            rest = &rest[(13 + len).min(rest.len())..];
        }
    }
}

#[async_trait]
impl Conn for Watched {
    async fn connect(&self, addr: std::net::SocketAddr) -> webrtc_util::Result<()> {
        self.conn.connect(addr).await
    }
    async fn recv(&self, buf: &mut [u8]) -> webrtc_util::Result<usize> {
        let n = self.conn.recv(buf).await?;
        self.note(&buf[..n], false);
        Ok(n)
    }
    async fn recv_from(&self, buf: &mut [u8]) -> webrtc_util::Result<(usize, std::net::SocketAddr)> {
        let (n, from) = self.conn.recv_from(buf).await?;
        self.note(&buf[..n], false);
        Ok((n, from))
    }
    async fn send(&self, buf: &[u8]) -> webrtc_util::Result<usize> {
        self.note(buf, true);
        self.conn.send(buf).await
    }
    async fn send_to(&self, buf: &[u8], target: std::net::SocketAddr) -> webrtc_util::Result<usize> {
        self.note(buf, true);
        self.conn.send_to(buf, target).await
    }
    fn local_addr(&self) -> webrtc_util::Result<std::net::SocketAddr> {
        self.conn.local_addr()
    }
    fn remote_addr(&self) -> Option<std::net::SocketAddr> {
        self.conn.remote_addr()
    }
    async fn close(&self) -> webrtc_util::Result<()> {
        self.conn.close().await
    }
    fn as_any(&self) -> &(dyn std::any::Any + Send + Sync) {
        self
    }
}

/// Self-signed, as both ends of a webrtc-direct connection are (fingerprints, not names, bind them).
fn config() -> Config {
    Config {
        certificates: vec![Certificate::generate_self_signed(vec!["zg-align".to_owned()]).unwrap()],
        insecure_skip_verify: true,
        extended_master_secret: ExtendedMasterSecretType::Require,
        ..Default::default()
    }
}

#[tokio::test]
async fn the_server_answers_the_first_client_hello() {
    let (client_end, server_end) = pipe();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client_end = Arc::new(Watched { conn: Arc::new(client_end), seen: seen.clone() });
    let handshakes = async {
        tokio::join!(DTLSConn::new(client_end, config(), true, None), DTLSConn::new(Arc::new(server_end), config(), false, None))
    };
    let (client, server) = tokio::time::timeout(std::time::Duration::from_secs(20), handshakes).await.expect("the handshake ends");
    let (client, server) = (client.expect("the client's handshake"), server.expect("the server's handshake"));

    let seen = seen.lock().unwrap().clone();
    let count = |sent: bool, kind: u8| seen.iter().filter(|&&s| s == (sent, kind)).count();
    assert_eq!(count(false, HELLO_VERIFY_REQUEST), 0, "no HelloVerifyRequest: {seen:?}");
    assert_eq!(count(true, CLIENT_HELLO), 1, "one ClientHello: {seen:?}");
    assert_eq!(count(false, SERVER_HELLO), 1, "{seen:?}");

    // The connection works both ways.
    client.write(b"ping", None).await.unwrap();
    let mut buf = [0u8; 16];
    let n = server.read(&mut buf, None).await.unwrap();
    assert_eq!(&buf[..n], b"ping");
    client.close().await.unwrap();
    server.close().await.unwrap();
}
