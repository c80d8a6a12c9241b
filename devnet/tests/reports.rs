//! Signed reports published over libp2p (`publishReport`) land in the same ledger as
//! `POST /reports`; replays and strangers are refused with their reason on either door.

use alloy_primitives::{Address, U256};
use k256::ecdsa::SigningKey;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use zg_align::protocol::{CheckRequest, CheckResponse, CheckSender};
use zg_align::report::{AlignmentReport, NodeVerdict, Rejection, SignedReport, SignedReportJson};
use zg_align::storage::StorageVerdict;
use zg_align_devnet::licenses::OWNER_A;
use zg_align_devnet::p2p::{self, Network};
use zg_align_devnet::reports::{Reports, DEVNET_REPORT_DOMAIN};
use zg_align_devnet::server::{bind, storage_nodes, DevnetConfig};
use zg_align_devnet::{files, p2p_client};

/// anvil account 0's key (public test mnemonic).
const KEY_A: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

fn sign(key: &SigningKey, report: AlignmentReport) -> SignedReportJson {
    let digest = report.digest(&DEVNET_REPORT_DOMAIN);
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut signature = [0u8; 65];
    signature[..64].copy_from_slice(&sig.to_bytes());
    signature[64] = 27 + recid.to_byte();
    SignedReportJson::from(&SignedReport { domain: DEVNET_REPORT_DOMAIN, report, signature })
}

fn report(owner: Address, round: u64) -> AlignmentReport {
    let healthy = StorageVerdict::Healthy { root: zg_align::Hash32([1; 32]), samples: 3 };
    AlignmentReport {
        licenseTokenId: U256::from(1),
        owner,
        operator: Address::ZERO,
        round,
        chainId: U256::from(DEVNET_REPORT_DOMAIN.chain_id),
        verdicts: vec![NodeVerdict::from_storage("storage-0", &healthy).unwrap()],
        nodeVersion: env!("CARGO_PKG_VERSION").into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_over_libp2p_and_http_share_one_ledger() {
    let reports = Arc::new(Reports::default());
    let config = DevnetConfig { reports: reports.clone(), ..DevnetConfig::new(files::generated(), Duration::from_millis(5000), "www".into(), "pkg".into()) };
    let nodes = storage_nodes(&config);
    let network = Arc::new(Network::new(&config, nodes.clone()));
    let ip: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (address, _task) = p2p::start(network, ip.ip()).await.expect("listen");
    let (_, http, server) = bind(&config, ip, nodes, None).await.expect("bind");
    tokio::spawn(server);
    let client = p2p_client::connect(address, Duration::from_secs(5)).await.expect("dial");

    let key = SigningKey::from_slice(&hex::decode(KEY_A).unwrap()).unwrap();
    assert_eq!(Address::from_private_key(&key), OWNER_A);
    let signed = sign(&key, report(OWNER_A, 1));
    match client.send(CheckRequest::PublishReport { report: signed.clone() }).await.unwrap() {
        CheckResponse::ReportAccepted { signer, license_token_id, round, digest } => {
            assert_eq!((signer, license_token_id.as_str(), round), (OWNER_A.to_checksum(None), "1", 1));
            assert_eq!(digest, format!("{:#x}", signed.parse().unwrap().digest()));
        }
        other => panic!("{other:?}"),
    }
    match client.send(CheckRequest::PublishReport { report: signed.clone() }).await.unwrap() {
        CheckResponse::ReportRejected { reason: Rejection::ReplayedRound { round: 1, .. }, message } => {
            assert!(message.contains("replayed round"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let stranger = SigningKey::from_slice(&[7u8; 32]).unwrap();
    let forged = sign(&stranger, report(OWNER_A, 2));
    assert!(matches!(
        client.send(CheckRequest::PublishReport { report: forged }).await.unwrap(),
        CheckResponse::ReportRejected { reason: Rejection::WrongSigner { .. }, .. }
    ));

    // The HTTP side sees the report libp2p stored, and refuses it as a replay too.
    let body = reqwest::get(format!("http://{http}/reports")).await.unwrap().text().await.unwrap();
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed["reports"].as_array().unwrap().len(), 1);
    assert_eq!(listed["reports"][0]["report"], serde_json::to_value(&signed).unwrap());
    let posted = reqwest::Client::new()
        .post(format!("http://{http}/reports"))
        .body(serde_json::to_vec(&signed).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 422);
    let answer: serde_json::Value = serde_json::from_str(&posted.text().await.unwrap()).unwrap();
    assert_eq!(answer["reason"]["kind"], "replayedRound");
}
