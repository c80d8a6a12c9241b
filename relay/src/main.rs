//! `zg-align-relay --network mainnet|testnet|PATH.toml`: the WebRTC peer a zg-align tab dials.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use zg_align_relay::{Identity, Profile, Relay};

#[derive(Parser)]
#[command(name = "zg-align-relay", version, about = "The WebRTC peer in front of 0G's nodes: zg-align tabs dial it, it forwards the nodes' own answers verbatim")]
struct Cli {
    /// `mainnet`, `testnet`, or a profile file (TOML; `extends = "mainnet"` overrides fields of a built-in).
    #[arg(long, value_name = "NETWORK", default_value = "mainnet")]
    network: String,
    /// UDP address for webrtc-direct (port 0 picks one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9090")]
    listen: SocketAddr,
    /// Where the relay keeps its identity and certificate, so its address survives restarts.
    #[arg(long, value_name = "DIR")]
    identity: Option<PathBuf>,
    /// A fresh identity every start (the address changes each time).
    #[arg(long, conflicts_with = "identity")]
    ephemeral: bool,
    /// Also serve the tab (www/ and pkg/ of a zg-align checkout) over HTTP here, e.g. 127.0.0.1:8090.
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    #[arg(long, value_name = "DIR", default_value = "www")]
    www: PathBuf,
    #[arg(long, value_name = "DIR", default_value = "pkg")]
    pkg: PathBuf,
}

fn main() -> ExitCode {
    // RUST_LOG=zg_align_relay=debug,libp2p_webrtc=debug and the like; relay info by default.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "zg_align_relay=info".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("zg-align-relay: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let mut profile = Profile::load(&cli.network).map_err(|e| e.to_string())?;
    let env_key = std::env::var("ZG_ALIGN_RELAY_SERVING_KEY").ok();
    let account = profile.load_serving_account(env_key.as_deref()).map_err(|e| e.to_string())?;
    drop(env_key);
    let identity = if cli.ephemeral {
        Identity::ephemeral()
    } else {
        let dir = cli.identity.unwrap_or_else(|| default_identity_dir(&profile.name));
        Identity::load_or_create(&dir).map_err(|e| e.to_string())?
    };
    let relay = Relay::start(profile, identity, cli.listen).await.map_err(|e| e.to_string())?;
    let address = relay.address.to_string();
    println!("zg-align relay for {}: {address}", relay.service.profile.name);
    let _http = match cli.http {
        Some(addr) => {
            let (local, server) = zg_align_relay::tab::serve(addr, &cli.www, &cli.pkg).await.map_err(|e| format!("cannot serve the tab on {addr}: {e}"))?;
            println!("  open http://{local}/?relay={}", urlencode(&address));
            Some(tokio::spawn(server))
        }
        None => {
            println!("  open a zg-align tab with ?relay={}", urlencode(&address));
            None
        }
    };
    match account {
        Some(address) => println!("  serving account {address}: chat requests to providers draw on it"),
        None => println!("  no serving account (ZG_ALIGN_RELAY_SERVING_KEY or serving_account_key_file): providers are not asked"),
    }
    for line in relay.probe_upstreams().await {
        println!("  {line}");
    }
    println!("  Ctrl-C stops it");
    tokio::signal::ctrl_c().await.map_err(|e| e.to_string())
}

fn default_identity_dir(network: &str) -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    base.unwrap_or_else(|| PathBuf::from(".")).join("zg-align-relay").join(network)
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
