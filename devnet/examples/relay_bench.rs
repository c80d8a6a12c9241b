//! `make bench`: the relay's cost. (1) One storage node's segment check straight over HTTP and
//! through the relay over webrtc-direct, side by side on the same node, file and samples. (2) The
//! relay as its own process (`zg-align-relay --network devnet.toml`) serving N native clients at
//! once, each running whole storage passes: the relay's resident memory and CPU, read from /proc.
//!
//! `cargo run --release -p zg-align-devnet --example relay_bench -- [--checks N] [--clients N] [--seconds S] [--relay PATH]`
//! prints one JSON object.

use serde_json::json;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::AsyncBufReadExt;
use zg_align::p2p::CheckClient;
use zg_align::protocol::{CheckRequest, CheckResponse, CheckSender, RelayUpstreams, Relayed, Upstream};
use zg_align::storage::{discover_files, discover_nodes, run_storage_check, run_storage_pass, JsonRpcTransport, PassConfig, SamplingPolicy, StorageCheck};
use zg_align_devnet::rpc_client::HttpTransport;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, relay_profile_toml, Devnet};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// (resident bytes, user + system CPU seconds) of process `pid`.
fn usage(pid: u32) -> (u64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rss_kb: u64 = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0);
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|u| u.parse::<f64>().ok()).unwrap_or(0.0) + fields.get(12).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    (rss_kb * 1024, ticks / 100.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let checks = arg("--checks", 20) as usize;
    let clients = arg("--clients", 50) as usize;
    let seconds = arg("--seconds", 30);
    let config = DevnetConfig::new(files::generated(), Duration::from_secs(10), "www".into(), "pkg".into());
    let devnet = Devnet::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("devnet");
    let m = &devnet.manifest;

    // (1) The same check, direct and relayed: an honest node, the largest file, every segment its
    // shard keeps.
    let node = m.storage.iter().find(|n| n.fault.is_none()).unwrap();
    let file = m.files.iter().max_by_key(|f| f.flow.size).unwrap();
    let f = &file.flow;
    let every = SamplingPolicy { lost_fraction: 1.0 / 1024.0, detection: 0.999_999 };
    let new_check = |i: usize| StorageCheck::in_shard(f.root, f.size, node.shard, f.start_entry_index, &every, [i as u8; 32]).unwrap();
    let segments = new_check(0).plan().len();
    let client = zg_align_relay::client::connect(devnet.relay.address.clone(), Duration::from_secs(10)).await.expect("dial");
    let _ = client.send(CheckRequest::Indexer { call: serde_json::value::RawValue::from_string(String::from_utf8(zg_align::storage::indexer::sharded_nodes_body(1)).unwrap()).unwrap() }).await;
    let direct = HttpTransport::new(node.rpc.clone(), Duration::from_secs(10));
    let relayed = Relayed { sender: &client, upstream: Upstream::Zgs(node.rpc.clone()) };
    let time = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let (mut http_ms, mut relay_ms) = (Vec::new(), Vec::new());
    for i in 0..checks {
        let t = Instant::now();
        assert_eq!(run_storage_check(new_check(i), &direct).await.name(), "healthy");
        http_ms.push(time(t));
        let t = Instant::now();
        assert_eq!(run_storage_check(new_check(i), &relayed).await.name(), "healthy");
        relay_ms.push(time(t));
    }
    let body = || zg_align::storage::rpc::request_body(1, "zgs_downloadSegmentWithProof", json!([f.root, new_check(0).plan()[0]]));
    let (mut http_seg, mut relay_seg) = (Vec::new(), Vec::new());
    for _ in 0..checks * 5 {
        let t = Instant::now();
        direct.post(body(), 1 << 20).await.unwrap();
        http_seg.push(time(t));
        let t = Instant::now();
        relayed.post(body(), 1 << 20).await.unwrap();
        relay_seg.push(time(t));
    }
    drop(client);

    // (2) The relay as its own process, N clients at once.
    let dir = std::env::temp_dir().join(format!("zg-align-relay-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("devnet.toml");
    std::fs::write(&profile, relay_profile_toml(&devnet.network, &devnet.url)).unwrap();
    let exe = std::env::args().collect::<Vec<_>>().iter().position(|a| a == "--relay").and_then(|i| std::env::args().nth(i + 1)).expect("--relay PATH");
    let mut child = tokio::process::Command::new(exe)
        .args(["--network", profile.to_str().unwrap(), "--listen", "127.0.0.1:0", "--ephemeral"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("relay starts");
    let pid = child.id().unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines.next_line().await.unwrap().expect("the relay prints its address");
        if let Some(addr) = line.split(": ").nth(1).filter(|a| a.starts_with("/ip4/")) {
            break addr.parse::<zg_align_relay::Multiaddr>().unwrap();
        }
    };
    let (idle_rss, cpu0) = usage(pid);
    // A client that cannot connect is counted, not fatal: how many a relay takes is a result.
    let mut connected: Vec<CheckClient> = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    for _ in 0..clients {
        match zg_align_relay::client::connect(address.clone(), Duration::from_secs(20)).await {
            Ok(client) => connected.push(client),
            Err(e) => refused.push(e),
        }
    }
    let (connected_rss, _) = usage(pid);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let pass = PassConfig { check_timeout: Duration::from_secs(5), ..PassConfig::default() };
    let mut peak_rss = connected_rss;
    let sampler = async {
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            peak_rss = peak_rss.max(usage(pid).0);
            if Instant::now() > deadline {
                break;
            }
        }
    };
    let work = futures::future::join_all(connected.iter().enumerate().map(|(i, c)| {
        let pass = &pass;
        async move {
            let mut verdicts = 0usize;
            let mut n = i as u64 * 1_000_000;
            let up = RelayUpstreams(c);
            let Ok(CheckResponse::Hello(info)) = c.send(CheckRequest::Hello).await else { return 0 };
            while Instant::now() < deadline {
                let Ok(nodes) = discover_nodes(&up).await else { continue };
                let Ok(files) = discover_files(&up, info.flow.as_ref().unwrap(), &nodes, &[], pass).await else { continue };
                run_storage_pass(&up, &files, &nodes, pass, || { n += 1; let mut s = [0u8; 32]; s[..8].copy_from_slice(&n.to_le_bytes()); Some(s) }, || async { true }, |_, _| verdicts += 1).await;
            }
            verdicts
        }
    }));
    let (verdicts, ()) = tokio::join!(work, sampler);
    let elapsed = start.elapsed().as_secs_f64();
    let (end_rss, cpu1) = usage(pid);
    let _ = child.kill().await;
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "{}",
        json!({
            "segmentCheck": {
                "node": node.id, "shard": node.shard, "file": file.name, "segments": segments, "checks": checks,
                "httpMedianMs": median(http_ms), "relayMedianMs": median(relay_ms),
                "segmentHttpMedianMs": median(http_seg), "segmentRelayMedianMs": median(relay_seg),
            },
            "relayUnderLoad": {
                "clients": clients, "connected": connected.len(), "connectErrors": refused.len(), "firstConnectError": refused.first(),
                "seconds": elapsed, "verdicts": verdicts.iter().sum::<usize>(),
                "idleRssBytes": idle_rss, "connectedRssBytes": connected_rss, "peakRssBytes": peak_rss, "endRssBytes": end_rss,
                "cpuSeconds": cpu1 - cpu0, "cpuShareOfOneCore": (cpu1 - cpu0) / elapsed,
            }
        })
    );
}
