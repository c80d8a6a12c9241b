//! The relay's libp2p identity and WebRTC certificate, kept on disk so that its address (peer id
//! and certhash) stays the same across restarts: a tab configured with it keeps working.

use libp2p::identity::Keypair;
use libp2p_webrtc::tokio::Certificate;
use std::path::Path;
use std::time::{Duration, SystemTime};

const KEY_FILE: &str = "identity.key";
const CERT_FILE: &str = "certificate.pem";
/// webrtc-rs certificates expire after a month: renew one older than this (the certhash changes).
const CERT_MAX_AGE: Duration = Duration::from_secs(25 * 24 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

#[derive(Debug)]
pub struct Identity {
    pub keypair: Keypair,
    pub certificate: Certificate,
}

impl Identity {
    /// A fresh identity (nothing kept).
    pub fn ephemeral() -> Identity {
        Identity { keypair: Keypair::generate_ed25519(), certificate: new_certificate() }
    }

    /// The identity kept in `dir`, made there the first time.
    pub fn load_or_create(dir: &Path) -> Result<Identity, IdentityError> {
        let err = |path: &Path, message: String| IdentityError::File { path: path.display().to_string(), message };
        std::fs::create_dir_all(dir).map_err(|e| err(dir, e.to_string()))?;
        let key_path = dir.join(KEY_FILE);
        let keypair = match std::fs::read(&key_path) {
            Ok(bytes) => Keypair::from_protobuf_encoding(&bytes).map_err(|e| err(&key_path, format!("not a libp2p key: {e}")))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let keypair = Keypair::generate_ed25519();
                write_private(&key_path, &keypair.to_protobuf_encoding().expect("ed25519 encodes")).map_err(|e| err(&key_path, e.to_string()))?;
                keypair
            }
            Err(e) => return Err(err(&key_path, e.to_string())),
        };
        let cert_path = dir.join(CERT_FILE);
        let fresh = std::fs::metadata(&cert_path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age < CERT_MAX_AGE);
        let certificate = match std::fs::read_to_string(&cert_path) {
            Ok(pem) if fresh => Certificate::from_pem(&pem).map_err(|e| err(&cert_path, format!("not a certificate: {e}")))?,
            Ok(_) | Err(_) => {
                let certificate = new_certificate();
                write_private(&cert_path, certificate.serialize_pem().as_bytes()).map_err(|e| err(&cert_path, e.to_string()))?;
                certificate
            }
        };
        Ok(Identity { keypair, certificate })
    }
}

fn new_certificate() -> Certificate {
    Certificate::generate(&mut rand::rng()).expect("certificate generation does not fail")
}

/// Writes a file only its owner can read (it holds a private key).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
        file.write_all(bytes)
    }
    #[cfg(not(unix))]
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identity_is_kept_across_loads() {
        let dir = tempfile::tempdir().unwrap();
        let a = Identity::load_or_create(dir.path()).unwrap();
        let b = Identity::load_or_create(dir.path()).unwrap();
        assert_eq!(a.keypair.public().to_peer_id(), b.keypair.public().to_peer_id());
        assert_eq!(a.certificate.fingerprint(), b.certificate.fingerprint());
        std::fs::write(dir.path().join(KEY_FILE), b"garbage").unwrap();
        assert!(Identity::load_or_create(dir.path()).unwrap_err().to_string().contains("not a libp2p key"));
    }
}
