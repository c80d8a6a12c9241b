//! DA checks against the devnet's signers and blobs: each fault gets its verdict and only its
//! verdict, over many rounds (no honest signer or blob is ever accused), and the same through the relay over
//! a real webrtc-direct connection.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;
use zg_align::da::{run_da_round, DaVerdict, RowsUnavailable, DaMap};
use zg_align::protocol::{fetch_da_rows, CheckRequest, CheckResponse, CheckSender};
use zg_align_devnet::da::DaNetwork;
use zg_align_devnet::server::DevnetConfig;
use zg_align_relay::client;

fn verdict_name(v: &DaVerdict) -> String {
    serde_json::to_value(v).unwrap()["verdict"].as_str().unwrap().to_owned()
}

/// What the manifest's faults say each entity's verdict must be.
fn expected(da: &DaNetwork) -> BTreeMap<String, &'static str> {
    let manifest = da.manifest();
    let mut out = BTreeMap::new();
    for b in manifest.blobs {
        out.insert(b.id, if b.fault.is_some() { "misbehaving" } else { "healthy" });
    }
    for s in manifest.signers {
        let v = match s.fault.as_deref() {
            None => "healthy",
            Some("withhold") => "unreachable",
            Some("bad-row") => "misbehaving",
            Some(other) => panic!("unknown fault {other}"),
        };
        out.insert(s.id, v);
    }
    out
}

async fn round_direct(da: &DaNetwork, seed: [u8; 32]) -> Vec<(String, DaVerdict)> {
    run_da_round(&da.map, seed, 8, |signer, root, rows| {
        let answer = da.rows(&signer, &root, &rows).map_err(|(code, message)| {
            if code == 404 { RowsUnavailable::Withheld { message } } else { RowsUnavailable::Timeout { message } }
        });
        async move { answer }
    })
    .await
}

#[tokio::test]
async fn every_fault_gets_its_verdict_and_nobody_else_is_accused_over_many_rounds() {
    let da = DaNetwork::generate();
    let want = expected(&da);
    for round in 0..20u8 {
        let got = round_direct(&da, [round; 32]).await;
        assert_eq!(got.len(), want.len(), "one verdict per blob and signer");
        for (id, verdict) in &got {
            assert_eq!(verdict_name(verdict), want[id], "round {round}: {id}: {}", serde_json::to_string(verdict).unwrap());
        }
    }
    let got = round_direct(&da, [99; 32]).await;
    let evidence = |id: &str| serde_json::to_string(&got.iter().find(|(i, _)| i == id).unwrap().1).unwrap();
    assert!(evidence("da-blob-2").contains("badSignature"), "{}", evidence("da-blob-2"));
    assert!(evidence("da-blob-3").contains("belowQuorum"), "{}", evidence("da-blob-3"));
    assert!(evidence("da-signer-7").contains("leafMismatch"), "{}", evidence("da-signer-7"));
    assert!(evidence("da-signer-6").contains("withheld"), "{}", evidence("da-signer-6"));
}

#[tokio::test]
async fn a_map_with_a_broken_key_or_missing_quorum_is_unchecked_not_accused() {
    let da = DaNetwork::generate();
    let mut broken_key: DaMap = da.map.clone();
    broken_key.signers[0].pk_g1[5] ^= 1;
    let mut no_quorum: DaMap = da.map.clone();
    no_quorum.quorums[0].quorum_id = 9;
    for map in [broken_key, no_quorum] {
        let got = run_da_round(&map, [1; 32], 8, |_, _, _| async { Ok(vec![]) }).await;
        for (id, v) in &got {
            let want = if id.starts_with("da-blob") { "unchecked" } else { "healthy" };
            assert_eq!(verdict_name(v), want, "{id}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn da_checks_through_the_relay_match_the_faults() {
    let config = DevnetConfig::new(zg_align_devnet::files::generated(), Duration::from_millis(6000), "www".into(), "pkg".into());
    let ip: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let devnet = zg_align_devnet::Devnet::start(config.clone(), ip).await.expect("devnet");
    let client = client::connect(devnet.relay.address.clone(), Duration::from_millis(5000)).await.expect("dial");
    let CheckResponse::Network(map) = client.send(CheckRequest::Network).await.unwrap() else { panic!("network map") };
    assert_eq!(map.da, config.da.map);
    let want = expected(&config.da);
    let got = run_da_round(&map.da, [7; 32], 8, |signer, root, rows| fetch_da_rows(&client, signer, root, rows)).await;
    for (id, verdict) in &got {
        assert_eq!(verdict_name(verdict), want[id], "{id}: {}", serde_json::to_string(verdict).unwrap());
    }
    // Asking for too many rows is refused, not served.
    let CheckResponse::Failure(f) = client.send(CheckRequest::DaRows { signer: "da-signer-0".into(), data_root: map.da.blobs[0].cert.data_root, rows: (0..40).collect() }).await.unwrap() else { panic!("refusal") };
    assert_eq!(f.code, 413);
}
