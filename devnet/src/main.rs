//! `zg-align-devnet`: `root FILE` prints a file's 0G root; `serve` plays a local 0G network; `verify bls`
//! checks one validator signature by hand.

mod cli_report;
mod cli_serving;
mod cli_verify;

use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use zg_align::storage::FileHasher;
use zg_align_devnet::files;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::Devnet;

#[derive(Parser)]
#[command(name = "zg-align-devnet", version, about = "A local 0G network for zg-align: honest and faulty nodes")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print FILE's 0G storage Merkle root as 0x + 64 lowercase hex digits.
    Root { file: PathBuf },
    /// Serve the devnet: its 0G network (storage nodes, indexer, EVM chain), a relay in front of it,
    /// the manifest at /devnet.json and the tab.
    Serve {
        /// Files the storage nodes hold (every non-empty regular file in DIR); generated if absent.
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        http: SocketAddr,
        /// How long the slow storage node waits before each answer.
        #[arg(long, value_name = "MS", default_value_t = 10000)]
        slow_ms: u64,
        /// The tab's static files.
        #[arg(long, value_name = "DIR", default_value = "www")]
        www: PathBuf,
        /// wasm-pack output.
        #[arg(long, value_name = "DIR", default_value = "pkg")]
        pkg: PathBuf,
        /// Height of the validator chain's head (its CometBFT RPC serves heights 1..=N, the last
        /// block made now).
        #[arg(long, value_name = "N", default_value_t = zg_align_devnet::cometbft::DEFAULT_HEAD)]
        heights: u64,
        /// Make a relay lie (tests of the node's trust rules, docs/trust.md): one or several of
        /// forge, replay, swap-map, truncate, flood (taken in turn answer by answer), hide (every
        /// other node gets failures), strip-votes (one honest validator's votes dropped from every
        /// commit), other-chain (hello names another chain).
        #[arg(long, value_name = "LIE", value_delimiter = ',')]
        relay_lie: Vec<zg_align_devnet::lying_relay::RelayLie>,
        /// Relays in front of the same network, each its own peer; the manifest lists them all
        /// (`relays`), the first is `relay`.
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=8))]
        relays: u16,
        /// Which relay tells the `--relay-lie` lies (0: the first); the others are honest.
        #[arg(long, value_name = "INDEX", default_value_t = 0)]
        lying_relay: usize,
    },
    /// Check one signature by hand: prints one line, exits 0 valid, 1 invalid, 2 malformed input.
    Verify {
        #[command(subcommand)]
        scheme: cli_verify::Scheme,
    },
    /// Alignment report tools.
    Report {
        #[command(subcommand)]
        command: cli_report::ReportCommand,
    },
}

fn main() -> ExitCode {
    // RUST_LOG=libp2p_webrtc=debug and the like; quiet by default.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .try_init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("zg-align-devnet: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Verify { scheme } => std::process::exit(cli_verify::run(scheme)),
        Command::Report { command } => cli_report::run(command),
        Command::Root { file } => {
            println!("{}", stream_root(&file)?);
            Ok(())
        }
        Command::Serve { files, http, slow_ms, www, pkg, heights, relay_lie, relays, lying_relay } => {
            if lying_relay >= relays as usize {
                return Err(format!("--lying-relay {lying_relay}: there are {relays} relay(s), numbered from 0"));
            }
            let files = match files {
                Some(dir) => files::load_dir(&dir).map_err(|e| e.to_string())?,
                None => files::generated(),
            };
            let mut config = DevnetConfig::new(files, Duration::from_millis(slow_ms), www, pkg).with_heights(heights.max(1));
            config.relay_lies = relay_lie;
            config.relays = relays as usize;
            config.lying_relay = lying_relay;
            // Commits are signed on first request; a thread of its own signs them all ahead, and
            // says when it is done (the benchmarks wait for that line: tests/lib/devnet.mjs).
            let signing = config.cometbft.precompute_in_background();
            std::thread::spawn(move || {
                if let Ok(took) = signing.join() {
                    println!("zg-align devnet: every commit signed ({heights} heights, {:.1} s)", took.as_secs_f64());
                }
            });
            let config_lies = config.relay_lies.clone();
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let devnet = Devnet::start(config, http).await?;
                let m = &devnet.manifest;
                println!("zg-align devnet: open {}/ (manifest {}/devnet.json)", devnet.url, devnet.url);
                for (index, relay) in std::iter::once(&devnet.relay).chain(&devnet.more_relays).enumerate() {
                    let lies = if index == lying_relay && !config_lies.is_empty() { format!(": it LIES ({config_lies:?}), for tests of the node's trust rules") } else { String::new() };
                    println!("  relay {index} (libp2p webrtc-direct): {}{lies}", relay.address);
                }
                println!("  indexer {}, evm {}, cometbft {}", m.indexer, m.evm, m.cometbft.rpc);
                println!(
                    "  {} files, {} storage nodes, {} validators over {} heights; Ctrl-C stops it",
                    m.files.len(),
                    m.storage.len(),
                    m.cometbft.chain.validators.len(),
                    heights
                );
                tokio::signal::ctrl_c().await.map_err(|e| e.to_string())
            })
        }
    }
}

/// Streams the file in 1 MiB reads: memory stays small whatever its size.
fn stream_root(path: &PathBuf) -> Result<String, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut hasher = FileHasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| format!("{}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    hasher.finalize().map(|r| r.to_hex()).map_err(|e| format!("{}: {e}", path.display()))
}
