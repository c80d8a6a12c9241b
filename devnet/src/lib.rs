//! zg-align-devnet: one native process that plays a local 0G network for zg-align, honest and
//! faulty nodes alike, on 0G's own interfaces, with a zg-align relay in front of it configured as
//! it would be for 0G (it reaches the network only over its URLs), so the light node can be run
//! and tested with no outside network.

pub mod cometbft;
pub mod da;
pub mod da_encode;
pub mod da_grpc;
pub mod evm;
pub mod evm_da;
pub mod evm_serving;
pub mod files;
pub mod json_mutation;
pub mod flow;
pub mod licenses;
pub mod lying_relay;
pub mod manifest;
pub mod network;
pub mod reports;
pub mod rpc_client;
pub mod server;
pub mod serving;
pub mod serving_http;
pub mod storage_node;

use manifest::Manifest;
use network::Network;
use server::DevnetConfig;
use std::net::SocketAddr;
use zg_align_relay::{Identity, Profile, Relay};

/// A running devnet: its network, its relays, and its own HTTP server's address.
pub struct Devnet {
    pub network: Network,
    /// The first relay (the page's primary).
    pub relay: Relay,
    /// Relays 1.. of `DevnetConfig::relays`, in front of the same network.
    pub more_relays: Vec<Relay>,
    pub manifest: Manifest,
    /// The devnet's own HTTP server (manifest, tab, report sink).
    pub url: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Devnet {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Devnet {
    /// Starts the network on `http`'s IP, its HTTP server on `http` (port 0 picks one) and
    /// `config.relays` relays in front of it (at least one), each its own peer on a free UDP port;
    /// relay `config.lying_relay` tells `config.relay_lies`.
    pub async fn start(config: DevnetConfig, http: SocketAddr) -> Result<Devnet, String> {
        let (listener, local) = server::bind(http).await.map_err(|e| format!("cannot listen on {http}: {e}"))?;
        let url = format!("http://{local}");
        let network = Network::start(&config, http.ip()).await.map_err(|e| format!("network: {e}"))?;
        let mut relays = Vec::new();
        for index in 0..config.relays.max(1) {
            let profile = relay_profile(&network, &url).map_err(|e| format!("relay profile: {e}"))?;
            let mut service = zg_align_relay::Service::new(profile);
            if index == config.lying_relay {
                if let Some(rewrite) = lying_relay::rewrite(&config.relay_lies, config.cometbft.stripped_validator().to_hex()) {
                    service = service.with_rewrite(rewrite);
                }
            }
            let relay = Relay::start_service(service, Identity::ephemeral(), SocketAddr::new(http.ip(), 0)).await.map_err(|e| format!("relay {index}: {e}"))?;
            relays.push(relay);
        }
        let addresses = relays.iter().map(|r| r.address.to_string()).collect();
        let manifest = server::manifest(&config, &network, addresses);
        let app = server::app(&config, manifest.clone());
        let server = tokio::spawn(zg_align_relay::http_server::serve(listener, app));
        let relay = relays.remove(0);
        Ok(Devnet { network, relay, more_relays: relays, manifest, url, server })
    }
}

/// The relay's profile for this devnet, written as an owner would write one for 0G.
pub fn relay_profile(network: &Network, devnet_url: &str) -> Result<Profile, zg_align_relay::profile::ProfileError> {
    let mut profile = Profile::from_toml(&relay_profile_toml(network, devnet_url), "devnet")?;
    // The account the devnet's providers take as funded (an owner's key file in a real profile).
    profile.serving_account = Some(zg_align_relay::profile::ServingAccount(serving::devnet_account()));
    Ok(profile)
}

/// The profile's TOML text: what `zg-align-relay --network FILE.toml` reads for this devnet.
pub fn relay_profile_toml(network: &Network, devnet_url: &str) -> String {
    format!(
        r#"name = "devnet"
chain_id = {chain_id}
evm_rpc = "{evm}"
indexer = "{indexer}"
report_sink = "{devnet_url}/reports"
cometbft = "{cometbft}"

[contracts]
inference_serving = "{inference_serving}"

[da]
entrance = "{da_entrance}"
row_proofs = "{devnet_url}/da-proofs/"

[flow]
address = "{flow}"
deploy_block = 0

[licenses]
chain_id = {chain_id}
rpc = "{evm}"
nft = "{nft}"
manager = "{manager}"
"#,
        chain_id = storage_node::DEVNET_CHAIN_ID,
        evm = network.evm,
        indexer = network.indexer,
        cometbft = network.cometbft,
        flow = flow::FLOW_CONTRACT,
        inference_serving = evm_serving::INFERENCE_SERVING,
        da_entrance = evm_da::DA_ENTRANCE,
        nft = licenses::LICENSE_CONTRACT,
        manager = licenses::DELEGATION_MANAGER,
    )
}
