//! The ICE agent under the relay's webrtc-direct listener (webrtc-ice, patched:
//! patches/webrtc-ice) connects on the first candidate pair that answers its check, not when the
//! dialer nominates one on a later check. Two real agents over this machine's UDP, the listener
//! in the relay's place (controlled, learning the dialer only from its checks): the dialer here
//! would nominate after 60 s, and the listener must be connected long before, while the dialer's
//! own dial, which ends with its nomination, is still waiting.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use webrtc_ice::agent::agent_config::AgentConfig;
use webrtc_ice::agent::Agent;
use webrtc_ice::candidate::candidate_base::unmarshal_candidate;
use webrtc_ice::candidate::Candidate;
use webrtc_ice::mdns::MulticastDnsMode;
use webrtc_ice::network_type::NetworkType;

/// An agent on this machine's UDP (loopback included) whose nominations, if it controls, wait `nominate_after`.
async fn agent(nominate_after: Option<Duration>) -> Arc<Agent> {
    let config = AgentConfig {
        network_types: vec![NetworkType::Udp4],
        multicast_dns_mode: MulticastDnsMode::Disabled,
        include_loopback: true,
        host_acceptance_min_wait: nominate_after,
        prflx_acceptance_min_wait: nominate_after,
        ..Default::default()
    };
    Arc::new(Agent::new(config).await.expect("ICE agent"))
}

/// Gathers `agent`'s host candidates and waits until it has them all.
async fn gathered(agent: &Agent) {
    let (done, mut finished) = mpsc::channel::<()>(1);
    agent.on_candidate(Box::new(move |candidate: Option<Arc<dyn Candidate + Send + Sync>>| {
        let done = done.clone();
        Box::pin(async move {
            if candidate.is_none() {
                let _ = done.send(()).await;
            }
        })
    }));
    agent.gather_candidates().expect("gathering");
    finished.recv().await.expect("gathering ends");
}

#[tokio::test]
async fn the_listener_connects_on_a_working_pair_before_the_dialer_nominates_it() {
    let dialer = agent(Some(Duration::from_secs(60))).await;
    let listener = agent(None).await;
    gathered(&listener).await;
    gathered(&dialer).await;
    // As in webrtc-direct, only the dialer knows the other's candidates (the listener's address).
    for candidate in listener.get_local_candidates().await.expect("candidates") {
        let copy: Arc<dyn Candidate + Send + Sync> = Arc::new(unmarshal_candidate(&candidate.marshal()).expect("candidate"));
        dialer.add_remote_candidate(&copy).expect("remote candidate");
    }
    let (listener_ufrag, listener_pwd) = listener.get_local_user_credentials().await;
    let (dialer_ufrag, dialer_pwd) = dialer.get_local_user_credentials().await;

    let (_cancel_dial, dial_cancelled) = mpsc::channel(1);
    let dial = tokio::spawn({
        let dialer = Arc::clone(&dialer);
        async move { dialer.dial(dial_cancelled, listener_ufrag, listener_pwd).await.map(|_| ()) }
    });
    let (_cancel_accept, accept_cancelled) = mpsc::channel(1);
    let accepted = tokio::time::timeout(Duration::from_secs(20), listener.accept(accept_cancelled, dialer_ufrag, dialer_pwd)).await;
    assert!(matches!(accepted, Ok(Ok(_))), "the listener did not connect within 20 s: it waited for the nomination");
    assert!(!dial.is_finished(), "the dialer nominated (and connected) before 60 s: this test shows nothing");

    dial.abort();
    dialer.close().await.expect("close");
    listener.close().await.expect("close");
}
