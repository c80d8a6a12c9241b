//! The EVM JSON-RPC calls a light node makes (`eth_blockNumber`, `eth_call`, `eth_getLogs`), as
//! request bodies and strict readers of untrusted answers. Sans-IO: the bytes travel through a
//! [`crate::storage::JsonRpcTransport`] (the relay's EVM pass-through, or `fetch`).

use crate::bounded_json::AtMost;
use crate::storage::rpc::{parse_response, request_body, RpcError};
use alloy_primitives::{Address, Bytes, B256};
use serde::Deserialize;
use serde_json::json;

/// Largest `eth_getLogs` answer read: the relay caps what it forwards at 1 MiB too.
pub const MAX_LOGS_RESPONSE_BYTES: usize = 1024 * 1024;
/// Largest `eth_call` / `eth_blockNumber` answer read.
pub const MAX_CALL_RESPONSE_BYTES: usize = 256 * 1024;
/// Most logs one answer may carry.
pub const MAX_LOGS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvmError {
    #[error(transparent)]
    Rpc(#[from] RpcError),
    #[error("{what} is not a valid {expected}: {value}")]
    Field { what: &'static str, expected: &'static str, value: String },
    #[error("{count} logs in one answer, over the cap of {MAX_LOGS}")]
    TooManyLogs { count: usize },
}

/// `eth_blockNumber`.
pub fn block_number_body(id: u64) -> Vec<u8> {
    request_body(id, "eth_blockNumber", json!([]))
}

pub fn parse_block_number(body: &[u8], id: u64) -> Result<u64, EvmError> {
    let value: Option<String> = parse_response(body, id, MAX_CALL_RESPONSE_BYTES)?;
    let value = value.ok_or(EvmError::Field { what: "block number", expected: "quantity", value: "null".into() })?;
    quantity(&value).ok_or(EvmError::Field { what: "block number", expected: "quantity", value })
}

/// `eth_chainId`.
pub fn chain_id_body(id: u64) -> Vec<u8> {
    request_body(id, "eth_chainId", json!([]))
}

pub fn parse_chain_id(body: &[u8], id: u64) -> Result<u64, EvmError> {
    parse_block_number(body, id).map_err(|e| match e {
        EvmError::Field { value, .. } => EvmError::Field { what: "chain id", expected: "quantity", value },
        other => other,
    })
}

/// `eth_call({to, data}, "latest")`.
pub fn call_body(id: u64, to: Address, data: &[u8]) -> Vec<u8> {
    request_body(id, "eth_call", json!([{"to": to.to_string(), "data": Bytes::copy_from_slice(data).to_string()}, "latest"]))
}

/// The return data of an `eth_call` (a revert is the node's error object).
pub fn parse_call(body: &[u8], id: u64) -> Result<Vec<u8>, EvmError> {
    let value: Option<String> = parse_response(body, id, MAX_CALL_RESPONSE_BYTES)?;
    let value = value.ok_or(EvmError::Field { what: "call result", expected: "hex data", value: "null".into() })?;
    let bytes: Bytes = value.parse().map_err(|_| EvmError::Field { what: "call result", expected: "hex data", value: truncate(&value) })?;
    Ok(bytes.to_vec())
}

/// `eth_getLogs` of `address` in blocks `from..=to` whose topics start with `topics` (`None` is
/// a wildcard position).
pub fn get_logs_body(id: u64, address: Address, from: u64, to: u64, topics: &[Option<B256>]) -> Vec<u8> {
    let topics: Vec<serde_json::Value> = topics.iter().map(|t| t.map_or(serde_json::Value::Null, |t| json!(t.to_string()))).collect();
    request_body(
        id,
        "eth_getLogs",
        json!([{"address": address.to_string(), "fromBlock": format!("{from:#x}"), "toBlock": format!("{to:#x}"), "topics": topics}]),
    )
}

/// One log as a node answers it, fields checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Log {
    pub address: Address,
    pub topics: Vec<B256>,
    pub data: Vec<u8>,
    pub block_number: u64,
    pub removed: bool,
}

/// A log as `eth_getLogs` writes it; the fields a pending log lacks are optional here, and each
/// reader says which it needs ([`parse_logs`], `da::entrance`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LogWire {
    pub(crate) address: Address,
    pub(crate) topics: Vec<B256>,
    pub(crate) data: Bytes,
    pub(crate) block_number: Option<String>,
    pub(crate) transaction_hash: Option<B256>,
    pub(crate) log_index: Option<String>,
    #[serde(default)]
    pub(crate) removed: bool,
}

/// Reads an `eth_getLogs` answer: at most [`MAX_LOGS`] logs, each with at most 4 topics.
pub fn parse_logs(body: &[u8], id: u64) -> Result<Vec<Log>, EvmError> {
    // The count is checked on the raw array first: no typed logs are built for an oversized answer,
    // and no more than MAX_LOGS raw ones however many it holds.
    let raw: Option<AtMost<Box<serde_json::value::RawValue>, MAX_LOGS>> = parse_response(body, id, MAX_LOGS_RESPONSE_BYTES)?;
    let raw = raw.unwrap_or_default().within().map_err(|count| EvmError::TooManyLogs { count })?;
    raw.iter()
        .map(|r| {
            let wire: LogWire =
                serde_json::from_str(r.get()).map_err(|e| RpcError::Malformed { message: format!("log: {}", crate::bounded_json::short_error(&e)) })?;
            if wire.topics.len() > 4 {
                return Err(EvmError::Field { what: "log", expected: "log of at most 4 topics", value: wire.topics.len().to_string() });
            }
            let number = wire.block_number.unwrap_or_default();
            let block_number = quantity(&number).ok_or_else(|| EvmError::Field { what: "log block number", expected: "quantity", value: truncate(&number) })?;
            Ok(Log { address: wire.address, topics: wire.topics, data: wire.data.to_vec(), block_number, removed: wire.removed })
        })
        .collect()
}

/// A JSON-RPC quantity: `0x` and hex digits without leading zeros, fitting a u64.
pub fn quantity(text: &str) -> Option<u64> {
    let digits = text.strip_prefix("0x")?;
    if digits.is_empty() || digits.len() > 16 || (digits.len() > 1 && digits.starts_with('0')) {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn answer(id: u64, result: &str) -> Vec<u8> {
        format!(r#"{{"jsonrpc":"2.0","id":{id},"result":{result}}}"#).into_bytes()
    }

    #[test]
    fn quantities() {
        assert_eq!(quantity("0x0"), Some(0));
        assert_eq!(quantity("0x1f"), Some(31));
        assert_eq!(quantity("0x01"), None);
        assert_eq!(quantity("0x"), None);
        assert_eq!(quantity("1f"), None);
        assert_eq!(quantity("0x10000000000000000"), None);
        assert_eq!(parse_block_number(&answer(3, r#""0x2a""#), 3), Ok(42));
        assert!(parse_block_number(&answer(3, "null"), 3).is_err());
        assert!(parse_block_number(&answer(4, r#""0x2a""#), 3).is_err());
    }

    #[test]
    fn logs_are_read_strictly() {
        let log = r#"{"address":"0x22e03a6a89b950f1c82ec5e74f8eca321a105296","topics":["0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555"],"data":"0x0102","blockNumber":"0x10","transactionHash":"0x9d3b0f7c1e3a4b8e2f6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a392817","logIndex":"0x0","removed":false}"#;
        let logs = parse_logs(&answer(1, &format!("[{log}]")), 1).unwrap();
        assert_eq!(logs.len(), 1);
        assert_eq!((logs[0].block_number, logs[0].data.clone()), (16, vec![1, 2]));
        assert_eq!(parse_logs(&answer(1, "null"), 1).unwrap(), vec![]);
        let five = log.replace(r#"["0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555"]"#, &format!("[{}]", [r#""0x167ce04d2aa1981994d3a31695da0d785373335b1078cec239a1a3a2c7675555""#; 5].join(",")));
        assert!(matches!(parse_logs(&answer(1, &format!("[{five}]")), 1), Err(EvmError::Field { .. })));
        let many = format!("[{}]", vec!["1"; MAX_LOGS + 1].join(","));
        assert_eq!(parse_logs(&answer(1, &many), 1), Err(EvmError::TooManyLogs { count: MAX_LOGS + 1 }));
        assert!(matches!(parse_logs(&answer(1, r#"[{"address":"0x1"}]"#), 1), Err(EvmError::Rpc(_))));
        let body = get_logs_body(9, Address::ZERO, 1, 255, &[Some(B256::ZERO), None]);
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains(r#""fromBlock":"0x1""#) && text.contains(r#""toBlock":"0xff""#) && text.contains("null"), "{text}");
    }
}
