//! `zg-align-relay` as an owner runs it: what it prints on start (its address, the tab's URL, each
//! upstream and whether it answers; an upstream that does not is reported and the relay keeps
//! running), and a clear one-line error for a bad profile, an unknown network and a port in use.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RELAY: &str = env!("CARGO_BIN_EXE_zg-align-relay");

fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn profile(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("relay.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs the relay to its exit; (status code, stderr).
fn fails(args: &[&str]) -> (i32, String) {
    let out = Command::new(RELAY).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bad_profiles_and_networks_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = fails(&["--network", "devnet", "--ephemeral"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("zg-align-relay: no built-in network \"devnet\""), "{err}");
    let bad = profile(dir.path(), "extends = \"mainnet\"\nindexr = \"http://x\"\n");
    let (code, err) = fails(&["--network", &bad, "--ephemeral"]);
    assert_eq!(code, 1);
    assert!(err.contains("relay.toml") && err.contains("unknown field `indexr`"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, err) = fails(&["--network", "/nonexistent/relay.toml", "--ephemeral"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read /nonexistent/relay.toml"), "{err}");
}

#[test]
fn a_port_in_use_is_said_so() {
    let taken = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let p = profile(dir.path(), &format!("extends = \"mainnet\"\nevm_rpc = \"http://127.0.0.1:{}\"\nindexer = \"http://127.0.0.1:{}\"\n", dead_port(), dead_port()));
    let (code, err) = fails(&["--network", &p, "--listen", &addr, "--ephemeral"]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("cannot listen on udp {addr}")), "{err}");
}

#[test]
fn on_start_it_prints_its_address_and_keeps_running_with_upstreams_down() {
    let dir = tempfile::tempdir().unwrap();
    let (evm, indexer) = (dead_port(), dead_port());
    let p = profile(dir.path(), &format!("extends = \"testnet\"\nname = \"down\"\nevm_rpc = \"http://127.0.0.1:{evm}\"\nindexer = \"http://127.0.0.1:{indexer}\"\n[limits]\nupstream_timeout_ms = 2000\n"));
    let identity = dir.path().join("id");
    let start = |identity: &std::path::Path| {
        let mut child = Command::new(RELAY)
            .args(["--network", &p, "--listen", "127.0.0.1:0", "--identity", identity.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut out = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let Some(Ok(line)) = lines.next() else { break };
            let done = line.contains("Ctrl-C");
            out.push(line);
            if done {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(500));
        assert!(child.try_wait().unwrap().is_none(), "still running: {out:?}");
        child.kill().unwrap();
        let _ = child.wait();
        out
    };
    let out = start(&identity);
    let text = out.join("\n");
    let address = out[0].strip_prefix("zg-align relay for down: ").expect("the address line first");
    assert!(address.starts_with("/ip4/127.0.0.1/udp/") && address.contains("/webrtc-direct/certhash/") && address.contains("/p2p/"), "{text}");
    assert!(text.contains("?relay=%2Fip4%2F127.0.0.1%2Fudp%2F"), "{text}");
    assert!(text.contains(&format!("evm http://127.0.0.1:{evm}/: unreachable")), "{text}");
    assert!(text.contains(&format!("indexer http://127.0.0.1:{indexer}/: unreachable")), "{text}");
    // The same identity next time: the peer id and certificate (so the address but its port) stay.
    let again = start(&identity);
    let id = |line: &str| line.split("/webrtc-direct/").nth(1).unwrap().to_string();
    assert_eq!(id(&out[0]), id(&again[0]));
}
