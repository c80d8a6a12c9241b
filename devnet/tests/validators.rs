//! The light verifier against the devnet's validator chain, fetched page by page over HTTP as a
//! tool would: every fault in the manifest gets its verdict, honest validators stay healthy,
//! and the spoiled commits are refused or flagged without accusing anyone.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::net::SocketAddr;
use std::time::Duration;
use zg_align::validator::{BlockRejected, CommitsPage, LightVerifier, LivenessPolicy, ValidatorStatus, MAX_BLOCKS_PER_PAGE};
use zg_align_devnet::files;
use zg_align_devnet::manifest::Manifest;
use zg_align_devnet::server::DevnetConfig;
use zg_align_devnet::validators::{DEFAULT_HEAD, FORGED_HEIGHT, WEAK_HEIGHT};

async fn start() -> (Manifest, zg_align_devnet::Devnet, DevnetConfig) {
    let config = DevnetConfig::new(files::generated(), Duration::from_millis(5000), "www".into(), "pkg".into());
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let devnet = zg_align_devnet::Devnet::start(config.clone(), addr).await.expect("devnet");
    (devnet.manifest.clone(), devnet, config)
}

async fn page(devnet: &zg_align_devnet::Devnet, from: u64, count: u32) -> CommitsPage {
    let url = format!("{}/legacy/commits?from={from}&count={count}", devnet.url);
    let body = reqwest::get(url).await.unwrap().error_for_status().unwrap().bytes().await.unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_devnet_chain_gives_each_validator_its_verdict() {
    let (manifest, devnet, config) = start().await;
    let info = config.network_map().validators.expect("the network map names the validators");
    assert_eq!(info.head, DEFAULT_HEAD);
    let mut verifier = LightVerifier::new(&info.chain_id, &info.anchor, LivenessPolicy::default()).unwrap();
    let mut rng = ChaCha20Rng::from_seed([5; 32]);

    let mut from = 1;
    let mut rejected = Vec::new();
    let mut invalid = Vec::new();
    let mut set_changes = 0;
    let mut equivocations = 0;
    while from <= info.head {
        let page = page(&devnet, from, 100).await;
        assert!(page.blocks.len() as u32 <= MAX_BLOCKS_PER_PAGE && !page.blocks.is_empty());
        from += page.blocks.len() as u64;
        let report = verifier.process_page(&page, &mut rng);
        rejected.extend(report.rejected);
        for block in &report.accepted {
            assert!((20..=150).contains(&(block.signed + block.absent + block.invalid.len())));
            set_changes += usize::from(block.next_set_changes);
            invalid.extend(block.invalid.iter().map(|k| (block.height, k.clone())));
        }
        equivocations += report.votes.iter().filter(|v| matches!(v, zg_align::validator::VoteOutcome::Equivocation)).count();
    }
    assert_eq!(verifier.trusted_height(), info.head);
    assert_eq!(set_changes, DEFAULT_HEAD as usize / 50, "the set changes after every 50 heights");

    // The weak commit is refused, the chain goes on past it, nobody is blamed for it.
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].0, WEAK_HEIGHT);
    assert!(matches!(rejected[0].1, BlockRejected::InsufficientPower { .. }));
    // The forged signature is that one signature, in the slot the manifest names.
    let forged = manifest.commit_faults.iter().find(|f| f.fault == "forged-signature").unwrap();
    let victim = manifest.validators.iter().find(|v| Some(&v.id) == forged.validator.as_ref()).unwrap();
    assert_eq!(invalid, vec![(FORGED_HEIGHT, victim.pub_key.clone())]);
    assert!(manifest.commit_faults.iter().any(|f| f.fault == "below-two-thirds" && f.height == WEAK_HEIGHT));
    assert!(equivocations > 0);
    assert!(verifier.evidence().iter().all(|e| e.check()));

    let rows = verifier.verdicts();
    assert_eq!(rows.len(), manifest.validators.len(), "every validator of the devnet was in some set of the window or has evidence");
    for row in &rows {
        let entry = manifest.validators.iter().find(|v| v.pub_key == row.validator).expect("a devnet validator");
        let expected = match entry.fault {
            None => "healthy",
            Some("equivocating") => "misbehaving",
            Some("offline") | Some("slow") => "unreachable",
            Some(other) => panic!("unknown fault {other}"),
        };
        // Validators outside the window's sets have no liveness data yet: pending, never accused.
        if row.signed + row.missed + row.invalid == 0 && entry.fault.is_none() {
            assert_eq!(row.status, ValidatorStatus::Pending, "{}", entry.id);
            continue;
        }
        assert_eq!(row.status.category(), expected, "{}: {row:?}", entry.id);
        assert_eq!(row.evidence.is_empty(), expected != "misbehaving", "{}", entry.id);
    }
    let status = |fault: &str| rows.iter().find(|r| manifest.validators.iter().any(|v| v.pub_key == r.validator && v.fault == Some(fault))).unwrap().status;
    assert_eq!(status("offline"), ValidatorStatus::Offline);
    assert_eq!(status("slow"), ValidatorStatus::Lagging);
    assert_eq!(status("equivocating"), ValidatorStatus::Misbehaving);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_capped_and_end_at_the_head() {
    let (_, devnet, _) = start().await;
    let last = page(&devnet, DEFAULT_HEAD - 2, 16).await;
    assert_eq!(last.blocks.iter().map(|b| b.header.height).collect::<Vec<_>>(), vec![DEFAULT_HEAD - 2, DEFAULT_HEAD - 1, DEFAULT_HEAD]);
    assert!(page(&devnet, DEFAULT_HEAD + 1, 5).await.blocks.is_empty());
    let bad = reqwest::get(format!("{}/legacy/commits?from=x", devnet.url)).await.unwrap();
    assert_eq!(bad.status(), 400);
}
