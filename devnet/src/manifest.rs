//! `GET /devnet.json`: what the devnet plays. Tests and tools rely on these names: keep them stable.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub chain_id: u64,
    /// The relay's full libp2p webrtc-direct address (with certhash and peer id): what a tab dials.
    /// The first of `relays`.
    pub relay: Option<String>,
    /// Every relay in front of the network (`serve --relays N`), the first the primary.
    pub relays: Vec<String>,
    /// The storage indexer's JSON-RPC URL.
    pub indexer: String,
    /// The chain's EVM JSON-RPC URL (licenses, the Flow contract's logs).
    pub evm: String,
    /// The Flow contract whose Submit events name the files.
    pub flow: zg_align::storage::FlowSource,
    /// How long the `slow` storage node waits before it answers, in ms.
    pub slow_ms: u64,
    /// The files of the flow, as the chain recorded them.
    pub files: Vec<ManifestFile>,
    pub storage: Vec<StorageEntry>,
    /// DA signers and blobs, each with its fault (`null` when honest).
    pub da: crate::da::DaManifest,
    /// License NFTs and delegations the devnet's EVM endpoint serves.
    pub licenses: crate::licenses::LicensesManifest,
    /// The chain's CometBFT RPC and what it plays: validators (id, address, key, fault), spoiled
    /// commits and equivocations, and a trust anchor (the devnet page's own configuration).
    pub cometbft: CometManifest,
    /// Serving providers, each with its model, TEE signer and fault (`null` when honest).
    pub serving: crate::serving::ServingManifest,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestFile {
    pub name: String,
    #[serde(flatten)]
    pub flow: zg_align::storage::FlowFile,
}

#[derive(Debug, Clone, Serialize)]
pub struct StorageEntry {
    pub id: String,
    /// The node's zgs JSON-RPC endpoint (HTTP POST): also its id in the node's verdicts.
    pub rpc: String,
    /// The segments it keeps.
    pub shard: zg_align::storage::ShardConfig,
    /// `null` for an honest node, else the fault's short name.
    pub fault: Option<&'static str>,
}

/// The devnet chain's CometBFT side.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CometManifest {
    /// The RPC's URL (`GET /status`, `/commit?height=`, ...): what the relay's profile names.
    pub rpc: String,
    #[serde(flatten)]
    pub chain: crate::cometbft::ChainManifest,
}
