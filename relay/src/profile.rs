//! What the relay knows of a network: endpoints, contract addresses and limits, from a built-in
//! profile (`mainnet`, `testnet`) or a TOML file, which may `extends` a built-in and override any
//! field. Nothing else tells the relay where 0G's nodes are.

use alloy_primitives::Address;
use serde::Deserialize;
use std::path::Path;
use std::time::Duration;
use url::Url;

const MAINNET: &str = include_str!("../profiles/mainnet.toml");
const TESTNET: &str = include_str!("../profiles/testnet.toml");

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("no built-in network {0:?}: use mainnet, testnet or a .toml file")]
    UnknownNetwork(String),
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// A network as the relay reaches it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    /// The 0G EVM chain id; the relay checks the EVM RPC's `eth_chainId` against it.
    pub chain_id: u64,
    pub evm_rpc: Url,
    /// The storage indexer (`indexer_getShardedNodes`, `indexer_getFileLocations`).
    #[serde(default)]
    pub indexer: Option<Url>,
    /// Storage nodes reachable besides those the indexer lists.
    #[serde(default)]
    pub storage_nodes: Vec<Url>,
    #[serde(default)]
    pub flow: Option<FlowConfig>,
    #[serde(default)]
    pub contracts: Contracts,
    #[serde(default)]
    pub licenses: Option<LicensesConfig>,
    /// Where signed alignment reports go (`POST` of the report JSON; docs/reports.md says what a
    /// sink must check). 0G publishes none.
    #[serde(default)]
    pub report_sink: Option<Url>,
    /// The DA side: where certificates are, and a row-proof source if the owner has one.
    #[serde(default)]
    pub da: Option<DaConfig>,
    /// The key of the account the relay's chat requests draw on (funded on 0G's ledger): from
    /// `serving_account_key_file` or `ZG_ALIGN_RELAY_SERVING_KEY`, never from the tab. Without
    /// it providers refuse chat requests and the relay says so (`upstreams.chat`).
    #[serde(default)]
    pub serving_account_key_file: Option<std::path::PathBuf>,
    #[serde(skip)]
    pub serving_account: Option<ServingAccount>,
    /// A CometBFT RPC of 0G Chain (a node's `http://HOST:26657`), for the validator check. 0G
    /// publishes none, so the built-in profiles have none: the owner names one (their own node,
    /// or one they trust to answer; the tab verifies every answer from its own trust anchor).
    #[serde(default)]
    pub cometbft: Option<Url>,
    #[serde(default)]
    pub limits: Limits,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowConfig {
    pub address: Address,
    #[serde(default)]
    pub deploy_block: u64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contracts {
    pub alignment_manager: Option<Address>,
    pub da_signers: Option<Address>,
    pub inference_serving: Option<Address>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaConfig {
    /// `DAEntrance`, whose `ErasureCommitmentVerified` events name the certified blobs.
    pub entrance: Address,
    #[serde(default)]
    pub deploy_block: u64,
    /// A source of rows' Merkle proofs (`GET {row_proofs}{dataRoot}?rows=1,2`); 0G serves none,
    /// the devnet plays a disperser that does.
    #[serde(default)]
    pub row_proofs: Option<Url>,
}

/// Why the serving account's key cannot be used. Never carries the key or the file's text.
#[derive(Debug, thiserror::Error)]
pub enum ServingKeyError {
    #[error("cannot read the serving account key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the serving account key from {origin} is not a secp256k1 private key (64 hex digits, 0x optional)")]
    Malformed { origin: String },
}

/// The serving account's key (secp256k1), kept out of `Debug` output.
#[derive(Clone)]
pub struct ServingAccount(pub k256::ecdsa::SigningKey);

impl std::fmt::Debug for ServingAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServingAccount(..)")
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicensesConfig {
    pub chain_id: u64,
    pub rpc: Url,
    pub nft: Address,
    pub manager: Address,
}

/// What one tab may ask of the relay, and what the relay asks of upstreams.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Requests per second one tab may send (a token bucket of `burst`).
    pub requests_per_second: u32,
    pub burst: u32,
    /// Requests of one tab being served at once.
    pub in_flight_per_tab: usize,
    /// Tabs connected at once.
    pub max_tabs: usize,
    /// Requests in flight to one upstream endpoint at once (one slow node stalls only itself).
    pub in_flight_per_upstream: usize,
    pub upstream_timeout_ms: u64,
    /// Largest upstream answer forwarded (the check protocol carries 1 MiB).
    pub max_response_bytes: usize,
    /// Widest `eth_getLogs` block range forwarded.
    pub max_log_range: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            requests_per_second: 100,
            burst: 200,
            in_flight_per_tab: 32,
            max_tabs: 256,
            in_flight_per_upstream: 16,
            upstream_timeout_ms: 10_000,
            max_response_bytes: 1000 * 1024,
            max_log_range: 10_000,
        }
    }
}

impl Limits {
    pub fn upstream_timeout(&self) -> Duration {
        Duration::from_millis(self.upstream_timeout_ms)
    }
}

impl Profile {
    /// `mainnet`, `testnet`, or a path to a `.toml` profile.
    pub fn load(network: &str) -> Result<Profile, ProfileError> {
        if network.ends_with(".toml") || network.contains('/') {
            let path = Path::new(network);
            let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read { path: network.into(), source })?;
            Profile::from_toml(&text, network)
        } else {
            let text = builtin(network).ok_or_else(|| ProfileError::UnknownNetwork(network.into()))?;
            Profile::from_toml(text, network)
        }
    }

    /// Parses a profile; `extends = "mainnet"` (or `testnet`) starts from that built-in and
    /// overrides what the text sets, table by table.
    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        let invalid = |message: String| ProfileError::Invalid { path: origin.into(), message };
        let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| invalid(e.to_string()))?;
        if let Some(base) = table.remove("extends") {
            let base = base.as_str().ok_or_else(|| invalid("extends must be a string".into()))?;
            let text = builtin(base).ok_or_else(|| invalid(format!("extends {base:?}: no such built-in network")))?;
            let mut merged: toml::Table = text.parse().expect("built-in profiles parse");
            merge(&mut merged, table);
            table = merged;
        }
        let profile: Profile = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| invalid(e.message().to_string()))?;
        profile.validate().map_err(invalid)?;
        Ok(profile)
    }

    fn validate(&self) -> Result<(), String> {
        let urls = [Some(&self.evm_rpc), self.indexer.as_ref(), self.report_sink.as_ref(), self.da.as_ref().and_then(|d| d.row_proofs.as_ref()), self.cometbft.as_ref(), self.licenses.as_ref().map(|l| &l.rpc)];
        for url in urls.into_iter().flatten().chain(&self.storage_nodes) {
            if !matches!(url.scheme(), "http" | "https") {
                return Err(format!("{url}: only http and https upstreams"));
            }
        }
        let l = &self.limits;
        if l.requests_per_second == 0 || l.burst == 0 || l.in_flight_per_tab == 0 || l.max_tabs == 0 || l.in_flight_per_upstream == 0 {
            return Err("limits must be positive".into());
        }
        if l.max_response_bytes > zg_align::protocol::MAX_RESPONSE_BYTES - 1024 {
            return Err(format!("limits.max_response_bytes is over what the check protocol carries ({})", zg_align::protocol::MAX_RESPONSE_BYTES - 1024));
        }
        Ok(())
    }
}

impl Profile {
    /// Sets [`Profile::serving_account`] from `env_key` (the value of
    /// `ZG_ALIGN_RELAY_SERVING_KEY`, hex) when given, else from `serving_account_key_file` (hex,
    /// relative paths from the working directory) when the profile names one; neither leaves it
    /// as it is. Returns the account's address, to print (the key itself is never shown).
    pub fn load_serving_account(&mut self, env_key: Option<&str>) -> Result<Option<Address>, ServingKeyError> {
        let (text, origin) = match (env_key, &self.serving_account_key_file) {
            (Some(key), _) => (key.to_owned(), "ZG_ALIGN_RELAY_SERVING_KEY".to_owned()),
            (None, Some(path)) => {
                let shown = path.display().to_string();
                let text = std::fs::read_to_string(path).map_err(|source| ServingKeyError::Read { path: shown.clone(), source })?;
                (text, shown)
            }
            (None, None) => return Ok(self.serving_account.as_ref().map(|a| Address::from_private_key(&a.0))),
        };
        let malformed = || ServingKeyError::Malformed { origin: origin.clone() };
        let hex_digits = text.trim();
        let hex_digits = hex_digits.strip_prefix("0x").unwrap_or(hex_digits);
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_digits, &mut bytes).map_err(|_| malformed())?;
        let key = k256::ecdsa::SigningKey::from_slice(&bytes).map_err(|_| malformed())?;
        bytes.fill(0);
        let address = Address::from_private_key(&key);
        self.serving_account = Some(ServingAccount(key));
        Ok(Some(address))
    }
}

fn builtin(name: &str) -> Option<&'static str> {
    match name {
        "mainnet" => Some(MAINNET),
        "testnet" => Some(TESTNET),
        _ => None,
    }
}

/// Tables merge key by key; anything else in `over` replaces what `base` has.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_carry_the_published_endpoints() {
        let mainnet = Profile::load("mainnet").unwrap();
        assert_eq!(mainnet.chain_id, 16661);
        assert_eq!(mainnet.evm_rpc.as_str(), "https://evmrpc.0g.ai/");
        assert_eq!(mainnet.indexer.unwrap().as_str(), "https://indexer-storage-turbo.0g.ai/");
        let flow = mainnet.flow.unwrap();
        assert_eq!(flow.address.to_string(), "0x62D4144dB0F0a6fBBaeb6296c785C71B3D57C526");
        assert_eq!(flow.deploy_block, 2387557);
        assert_eq!(mainnet.licenses.unwrap().chain_id, 42161);
        assert!(mainnet.cometbft.is_none(), "0G publishes no CometBFT RPC");
        let testnet = Profile::load("testnet").unwrap();
        assert_eq!(testnet.chain_id, 16602);
        assert!(testnet.cometbft.is_none());
        assert_eq!(testnet.flow.unwrap().address.to_string(), "0x22E03a6A89B950F1c82ec5e74F8eCa321a105296");
    }

    #[test]
    fn a_file_extends_a_built_in() {
        let text = "extends = \"testnet\"\nname = \"mine\"\nindexer = \"http://127.0.0.1:6000\"\n[flow]\ndeploy_block = 5\n[limits]\nmax_tabs = 3\n";
        let p = Profile::from_toml(text, "mine.toml").unwrap();
        assert_eq!((p.name.as_str(), p.chain_id), ("mine", 16602));
        assert_eq!(p.indexer.unwrap().as_str(), "http://127.0.0.1:6000/");
        let flow = p.flow.unwrap();
        assert_eq!((flow.address.to_string().as_str(), flow.deploy_block), ("0x22E03a6A89B950F1c82ec5e74F8eCa321a105296", 5));
        assert_eq!((p.limits.max_tabs, p.limits.burst), (3, Limits::default().burst));
        let with_rpc = Profile::from_toml("extends = \"mainnet\"\ncometbft = \"http://10.0.0.5:26657\"\n", "mine.toml").unwrap();
        assert_eq!(with_rpc.cometbft.unwrap().as_str(), "http://10.0.0.5:26657/");
    }

    #[test]
    fn serving_account_keys_load_from_the_environment_or_a_file() {
        let key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
        let mut p = Profile::load("mainnet").unwrap();
        assert_eq!(p.load_serving_account(None).unwrap(), None);
        let address = p.load_serving_account(Some(&format!("0x{key}\n"))).unwrap().unwrap();
        assert_eq!(address, Address::from_private_key(&p.serving_account.as_ref().unwrap().0));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("serving.key");
        std::fs::write(&file, format!("{key}\n")).unwrap();
        let mut from_file = Profile::from_toml(&format!("extends = \"mainnet\"\nserving_account_key_file = {:?}\n", file.display().to_string()), "x.toml").unwrap();
        assert_eq!(from_file.load_serving_account(None).unwrap(), Some(address));
        for bad in ["", "0x12", &"zz".repeat(32), &"00".repeat(32), &"ff".repeat(32)] {
            let error = Profile::load("mainnet").unwrap().load_serving_account(Some(bad)).unwrap_err();
            assert!(matches!(&error, ServingKeyError::Malformed { origin } if origin == "ZG_ALIGN_RELAY_SERVING_KEY"), "{bad}");
        }
        let secret = format!("{}zz", &key[..62]);
        let error = Profile::load("mainnet").unwrap().load_serving_account(Some(&secret)).unwrap_err();
        assert!(!format!("{error} {error:?}").contains(&key[..20]), "the key never shows in an error");
        from_file.serving_account_key_file = Some(dir.path().join("missing.key"));
        assert!(matches!(from_file.load_serving_account(None), Err(ServingKeyError::Read { .. })));
        assert_eq!(format!("{:?}", from_file.serving_account), "Some(ServingAccount(..))");
    }

    #[test]
    fn bad_profiles_say_what_is_wrong() {
        let err = |text: &str| Profile::from_toml(text, "bad.toml").unwrap_err().to_string();
        assert!(matches!(Profile::load("devnet"), Err(ProfileError::UnknownNetwork(_))));
        assert!(matches!(Profile::load("/no/such/file.toml"), Err(ProfileError::Read { .. })));
        assert!(err("name = ").starts_with("bad.toml: "));
        assert!(err("name = \"x\"\nchain_id = 1\n").contains("evm_rpc"), "{}", err("name = \"x\"\nchain_id = 1\n"));
        assert!(err("extends = \"mainnet\"\nindexr = \"http://x\"").contains("unknown field"));
        assert!(err("extends = \"mainnet\"\nevm_rpc = \"not a url\"").contains("evm_rpc") || err("extends = \"mainnet\"\nevm_rpc = \"not a url\"").contains("relative URL"));
        assert!(err("extends = \"mainnet\"\nevm_rpc = \"ftp://x\"").contains("only http"));
        assert!(err("extends = \"mainnet\"\ncometbft = \"tcp://127.0.0.1:26657\"").contains("only http"));
        assert!(err("extends = \"mainnet\"\n[flow]\naddress = \"0x12\"").contains("address") || err("extends = \"mainnet\"\n[flow]\naddress = \"0x12\"").contains("invalid"));
        assert!(err("extends = \"nope\"").contains("no such built-in"));
        assert!(err("extends = \"mainnet\"\n[limits]\nburst = 0").contains("positive"));
        assert!(err("extends = \"mainnet\"\n[limits]\nmax_response_bytes = 99999999").contains("check protocol"));
    }
}
