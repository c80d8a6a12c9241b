//! Official test vectors for zg-align's tests, embedded at build time from the registry packages
//! that ship them (see build.rs), so they need no file system: the same bytes run natively and in
//! headless Chromium. Nothing is copied into this repository.
//!
//! - [`ETHEREUM_BLS`]: the Ethereum consensus BLS tests, release v0.1.2 of ethereum/bls12-381-tests
//!   (98 files: sign, verify, aggregate, aggregate_verify, fast_aggregate_verify, batch_verify,
//!   hash_to_G2, deserialization_G1, deserialization_G2), as shipped in the `tests/` folder of
//!   the crate `bls_on_arkworks` 0.3.0.
//! - [`RFC9380_G2`]: the RFC 9380 hash-to-curve vectors for `BLS12381G2_XMD:SHA-256_SSWU_RO_`
//!   (appendix J.10.1), as shipped by the crate `ark-bls12-381` 0.5.0.
//! - [`TENDERMINT_RPC`]: real CometBFT chains' RPC answers (a kvstore chain under CometBFT 0.34,
//!   0.37 and 0.38, a gaia chain), as shipped in `tests/` of the crate `tendermint-rpc` 0.41.0.
//! - [`TENDERMINT_LIGHT_CLIENT`]: the light client's model-based single-step cases,
//!   `tests/support/model_based/single_step/` of `tendermint-light-client` 0.41.0.
//! - [`TENDERMINT_HEADER`]: a header with its known hash, from `tendermint` 0.41.0.

/// One vector file: its path inside its package's vector folder and its JSON text.
#[derive(Clone, Copy, Debug)]
pub struct VectorFile {
    pub path: &'static str,
    pub json: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/vectors.rs"));

/// The Ethereum files of one suite (`verify`, `hash_to_G2`, ...), by folder.
pub fn ethereum_bls(suite: &str) -> impl Iterator<Item = &'static VectorFile> + '_ {
    ETHEREUM_BLS.iter().filter(move |f| f.path.split('/').next() == Some(suite))
}

/// A file of [`TENDERMINT_RPC`] by its path under `tests/` (e.g.
/// `kvstore_fixtures/v0_38/incoming/commit_at_height_10.json`).
pub fn tendermint_rpc(path: &str) -> &'static VectorFile {
    TENDERMINT_RPC.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no tendermint-rpc fixture {path}"))
}

/// The files of [`TENDERMINT_LIGHT_CLIENT`] under `folder` (`model_based/single_step`).
pub fn tendermint_light_client(folder: &str) -> impl Iterator<Item = &'static VectorFile> + '_ {
    TENDERMINT_LIGHT_CLIENT.iter().filter(move |f| f.path.starts_with(folder))
}
