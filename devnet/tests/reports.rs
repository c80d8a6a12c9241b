//! Signed reports published through the relay (`publishReport`, forwarded to the devnet's report
//! sink) land in the same ledger as `POST /reports`; replays and strangers are refused with their
//! reason on either door; a relay restart loses no report (the sink keeps them, not the relay).

use alloy_primitives::{Address, U256};
use k256::ecdsa::SigningKey;
use std::net::SocketAddr;
use std::time::Duration;
use zg_align::protocol::{CheckRequest, CheckResponse, CheckSender};
use zg_align::report::{AlignmentReport, NodeVerdict, Rejection, SignedReport, SignedReportJson};
use zg_align::storage::StorageVerdict;
use zg_align_devnet::licenses::OWNER_A;
use zg_align_devnet::reports::DEVNET_REPORT_DOMAIN;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::{files, relay_profile, Devnet};
use zg_align_relay::{client, Identity, Relay};

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
async fn reports_through_the_relay_and_http_share_one_ledger() {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(5000), "www".into(), "pkg".into());
    let ip: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let devnet = Devnet::start(config, ip).await.expect("devnet");
    let http = devnet.url.trim_start_matches("http://").to_string();
    let client = client::connect(devnet.relay.address.clone(), Duration::from_secs(5)).await.expect("dial");

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

    // The relay restarts (a new process: a new identity and address, the same profile): the
    // reports it forwarded are where they were, and a new one goes through the new relay.
    drop(client);
    let profile = relay_profile(&devnet.network, &devnet.url).unwrap();
    let restarted = Relay::start(profile, Identity::ephemeral(), SocketAddr::new(ip.ip(), 0)).await.expect("relay restarts");
    let client = client::connect(restarted.address.clone(), Duration::from_secs(5)).await.expect("dial the new relay");
    let next = sign(&key, report(OWNER_A, 2));
    assert!(matches!(client.send(CheckRequest::PublishReport { report: next }).await.unwrap(), CheckResponse::ReportAccepted { round: 2, .. }));
    assert!(matches!(
        client.send(CheckRequest::PublishReport { report: signed }).await.unwrap(),
        CheckResponse::ReportRejected { reason: Rejection::ReplayedRound { round: 1, .. }, .. }
    ));
    let body = reqwest::get(format!("http://{http}/reports")).await.unwrap().text().await.unwrap();
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed["reports"].as_array().unwrap().len(), 2, "no report lost across the relay's restart");
}
