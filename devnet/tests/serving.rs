//! Serving checks against the devnet's providers: each fault gets its verdict and only its verdict,
//! honest providers are never accused over hundreds of rounds, the gradual model swap is flagged
//! by the drift test within a bounded number of rounds, and the same through the relay over
//! webrtc-direct.

use std::net::SocketAddr;
use std::time::Duration;
use zg_align::protocol::{fetch_served, CheckRequest, CheckResponse, CheckSender};
use zg_align::serving::{run_serving_round, ServeUnavailable, Served, ServingMap, ServingState, ServingVerdict};
use zg_align_devnet::server::DevnetConfig;
use zg_align_relay::client;
use zg_align_devnet::serving::{ServingNetwork, SWAP_RAMP};

async fn round_direct(net: &ServingNetwork, map: &ServingMap, state: &mut ServingState, round: u64, deadline: Duration) -> Vec<(String, ServingVerdict)> {
    run_serving_round(map, state, round, |provider, request| async move {
        match tokio::time::timeout(deadline, net.serve(&provider, &request)).await {
            Err(_) => Err(ServeUnavailable::Timeout { message: format!("no answer within {deadline:?}") }),
            Ok(Err((code, message))) => Err(ServeUnavailable::Refused { message: format!("{code}: {message}") }),
            Ok(Ok((response, record))) => Ok(Served { response, record }),
        }
    })
    .await
}

#[tokio::test]
async fn every_fault_gets_its_verdict_and_honest_providers_are_never_accused_over_600_rounds() {
    let swap_after = 150;
    let net = ServingNetwork::generate(Duration::from_secs(60), swap_after);
    // The timeout provider has its own test: here every round would wait for its deadline.
    let mut map = net.map.clone();
    map.providers.retain(|p| p.id != "serving-5");
    let mut state = ServingState::default();
    let mut alarm = None;
    for round in 0..600u64 {
        let got = round_direct(&net, &map, &mut state, round, Duration::from_secs(10)).await;
        assert_eq!(got.len(), 5);
        for (id, verdict) in &got {
            let name = verdict.name();
            match id.as_str() {
                "serving-0" | "serving-1" => assert_eq!(name, "healthy", "round {round}: {id} {verdict:?}"),
                "serving-2" | "serving-3" => assert_eq!(name, "misbehaving", "round {round}: {id}"),
                "serving-4" if round < swap_after => assert_eq!(name, "healthy", "round {round}: swap before it starts"),
                "serving-4" if name == "drifting" => {
                    alarm.get_or_insert(round);
                }
                "serving-4" => assert!(alarm.is_none(), "round {round}: a raised alarm stays raised"),
                other => panic!("{other}"),
            }
        }
        if round == 0 {
            let evidence = |id: &str| serde_json::to_string(&got.iter().find(|(i, _)| i == id).unwrap().1).unwrap();
            assert!(evidence("serving-2").contains("unregisteredSigner"), "{}", evidence("serving-2"));
            assert!(evidence("serving-3").contains("responseMismatch"), "{}", evidence("serving-3"));
        }
    }
    let alarm = alarm.expect("the model swap is flagged");
    // Measured: 38-70 rounds after the swap starts (docs/serving.md); the bound leaves room.
    assert!(alarm >= swap_after && alarm < swap_after + SWAP_RAMP + 50, "alarm at round {alarm}");
}

#[tokio::test]
async fn a_provider_that_does_not_answer_in_time_is_unreachable_not_misbehaving() {
    let net = ServingNetwork::generate(Duration::from_secs(30), 150);
    let mut map = net.map.clone();
    map.providers.retain(|p| p.id == "serving-5" || p.id == "serving-0");
    let mut state = ServingState::default();
    for round in 0..2 {
        let got = round_direct(&net, &map, &mut state, round, Duration::from_millis(300)).await;
        assert_eq!(got[0].1.name(), "healthy");
        assert_eq!(got[1].1.name(), "unreachable", "{:?}", got[1].1);
    }
}

#[tokio::test]
async fn an_unknown_canary_version_or_a_bad_signer_address_is_unchecked() {
    let net = ServingNetwork::generate(Duration::from_secs(30), 150);
    let mut map = net.map.clone();
    map.providers.truncate(2);
    map.providers[1].tee_signer = "0xnot-an-address".into();
    let got = round_direct(&net, &map, &mut ServingState::default(), 0, Duration::from_secs(5)).await;
    assert_eq!(got[0].1.name(), "healthy");
    assert_eq!(got[1].1.name(), "unchecked");
    map.canary_version = 99;
    let got = round_direct(&net, &map, &mut ServingState::default(), 0, Duration::from_secs(5)).await;
    assert!(got.iter().all(|(_, v)| v.name() == "unchecked"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serving_checks_through_the_relay_match_the_faults() {
    let config = DevnetConfig::new(zg_align_devnet::files::generated(), Duration::from_millis(6000), "www".into(), "pkg".into());
    let ip: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let devnet = zg_align_devnet::Devnet::start(config.clone(), ip).await.expect("devnet");
    let client = client::connect(devnet.relay.address.clone(), Duration::from_millis(3000)).await.expect("dial");
    let CheckResponse::Network(map) = client.send(CheckRequest::Network).await.unwrap() else { panic!("network map") };
    assert_eq!(map.serving, config.serving.map);
    let mut state = ServingState::default();
    for round in 0..2 {
        let got = run_serving_round(&map.serving, &mut state, round, |provider, request| fetch_served(&client, provider, request)).await;
        let names: Vec<(&str, &str)> = got.iter().map(|(id, v)| (id.as_str(), v.name())).collect();
        assert_eq!(
            names,
            [
                ("serving-0", "healthy"),
                ("serving-1", "healthy"),
                ("serving-2", "misbehaving"),
                ("serving-3", "misbehaving"),
                ("serving-4", "healthy"),
                ("serving-5", "unreachable")
            ],
            "round {round}"
        );
    }
    // An unknown provider is refused, never judged.
    let CheckResponse::Failure(f) = client.send(CheckRequest::Serve { provider: "serving-9".into(), request: "{}".into() }).await.unwrap() else { panic!("refusal") };
    assert_eq!(f.code, 404);
}
