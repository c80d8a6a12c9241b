//! zg-align-devnet: one native process that plays a local 0G network for zg-align, honest and
//! faulty nodes alike, so the light node can be run and tested with no outside network.

pub mod da;
pub mod da_encode;
pub mod da_grpc;
pub mod evm;
pub mod evm_da;
pub mod evm_serving;
pub mod files;
pub mod licenses;
pub mod manifest;
pub mod p2p;
pub mod p2p_client;
pub mod reports;
pub mod rpc_client;
pub mod server;
pub mod serving;
pub mod serving_http;
pub mod storage_node;
pub mod validators;
