//! The devnet chain's EVM JSON-RPC: the subset a light node needs, over the devnet's state:
//! `eth_chainId`, `net_version`, `eth_blockNumber`, `eth_call` for the license NFT's and the
//! manager's views and the DA and serving contracts, `eth_getLogs` for the Flow contract's `Submit`
//! and DAEntrance's `ErasureCommitmentVerified` events, and `eth_getTransactionByHash` for the
//! transactions behind the latter. Calls are decoded and answers encoded with the core's ABI
//! (alloy `sol!`). Batches and JSON-RPC 2.0 errors as the specification has them.

use crate::flow::{Flow, FLOW_CONTRACT};
use crate::licenses::{LicenseState, DELEGATION_MANAGER, LICENSE_CONTRACT};
use alloy_primitives::{Address, Bytes, B256};
use alloy_sol_types::{SolCall, SolError, SolInterface, SolValue};
use serde_json::{json, Value};
use zg_align::license::{IERC721Enumerable, INodeDelegation};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
/// What geth and anvil answer for a reverted eth_call, with the revert data in `data`.
pub const EXECUTION_REVERTED: i64 = 3;

/// The chain as the EVM endpoint reports it.
#[derive(Debug, Clone, Copy)]
pub struct Chain {
    pub chain_id: u64,
    pub block_number: u64,
}

/// The contracts' state the EVM endpoint reads.
#[derive(Debug, Clone)]
pub struct EvmState {
    pub licenses: LicenseState,
    pub flow: std::sync::Arc<Flow>,
    /// The DA signers behind the DASigners precompile.
    pub da: std::sync::Arc<crate::da::DaNetwork>,
    /// The providers behind the InferenceServing contract.
    pub serving: std::sync::Arc<crate::serving::ServingNetwork>,
}

/// Most logs one `eth_getLogs` answers, as public RPCs cap them.
const MAX_LOGS: usize = 10_000;

/// Answers a request body: one request, a batch, or an error for a body that is neither. `None`
/// when there is nothing to answer (notifications only).
pub fn handle_body(state: &EvmState, chain: Chain, body: &[u8]) -> Option<Value> {
    let request: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Some(error(Value::Null, PARSE_ERROR, format!("Parse error: {e}"), None)),
    };
    match request {
        Value::Array(batch) if batch.is_empty() => Some(error(Value::Null, INVALID_REQUEST, "empty batch".into(), None)),
        Value::Array(batch) => {
            let answers: Vec<Value> = batch.into_iter().filter_map(|r| handle(state, chain, r)).collect();
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        single => handle(state, chain, single),
    }
}

/// One request object.
pub fn handle(state: &EvmState, chain: Chain, request: Value) -> Option<Value> {
    let Value::Object(request) = request else {
        return Some(error(Value::Null, INVALID_REQUEST, "a request is an object".into(), None));
    };
    let id = request.get("id").cloned();
    let reply_id = id.clone().unwrap_or(Value::Null);
    if request.get("jsonrpc") != Some(&json!("2.0")) {
        return Some(error(reply_id, INVALID_REQUEST, "jsonrpc must be \"2.0\"".into(), None));
    }
    let Some(method) = request.get("method").and_then(Value::as_str) else {
        return Some(error(reply_id, INVALID_REQUEST, "method must be a string".into(), None));
    };
    let params = request.get("params").cloned().unwrap_or(Value::Array(vec![]));
    let result = match method {
        "eth_chainId" => Ok(json!(format!("{:#x}", chain.chain_id))),
        "net_version" => Ok(json!(chain.chain_id.to_string())),
        "eth_blockNumber" => Ok(json!(format!("{:#x}", chain.block_number))),
        "eth_call" => eth_call(state, &params),
        "eth_getLogs" => get_logs(state, chain, &params),
        "eth_getTransactionByHash" => get_transaction(state, &params),
        _ => Err((METHOD_NOT_FOUND, format!("the method {method} does not exist/is not available"), None)),
    };
    // A request without id is a notification: no answer.
    id.as_ref()?;
    Some(match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": reply_id, "result": result}),
        Err((code, message, data)) => error(reply_id, code, message, data),
    })
}

type RpcResult = Result<Value, (i64, String, Option<Value>)>;

fn error(id: Value, code: i64, message: String, data: Option<Value>) -> Value {
    let mut error = json!({"code": code, "message": message});
    if let Some(data) = data {
        error["data"] = data;
    }
    json!({"jsonrpc": "2.0", "id": id, "error": error})
}

fn invalid(message: impl Into<String>) -> (i64, String, Option<Value>) {
    (INVALID_PARAMS, message.into(), None)
}

fn reverted(data: Vec<u8>) -> (i64, String, Option<Value>) {
    (EXECUTION_REVERTED, "execution reverted".into(), Some(json!(Bytes::from(data).to_string())))
}

fn returned(data: Vec<u8>) -> RpcResult {
    Ok(json!(Bytes::from(data).to_string()))
}

/// `eth_call [{to, data | input, ..}, block?]`: any block tag reads the one state there is.
fn eth_call(state: &EvmState, params: &Value) -> RpcResult {
    let call = params.get(0).and_then(Value::as_object).ok_or_else(|| invalid("params[0] must be a call object"))?;
    let to: Address = call
        .get("to")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("call.to is missing"))?
        .parse()
        .map_err(|_| invalid("call.to is not an address"))?;
    let data = call.get("input").or_else(|| call.get("data")).and_then(Value::as_str).unwrap_or("0x");
    let data: Bytes = data.parse().map_err(|_| invalid("call data is not 0x-hex"))?;
    let contract = crate::evm_da::answer_call(&state.da, to, &data).or_else(|| crate::evm_serving::answer_call(&state.serving, to, &data));
    if let Some(answer) = contract {
        answer.map_or_else(|revert| Err(reverted(revert)), returned)
    } else if to == LICENSE_CONTRACT {
        license_call(&state.licenses, &data)
    } else if to == DELEGATION_MANAGER {
        match INodeDelegation::INodeDelegationCalls::abi_decode(&data) {
            Ok(INodeDelegation::INodeDelegationCalls::getDelegatorInfo(c)) => {
                returned(INodeDelegation::getDelegatorInfoCall::abi_encode_returns(&state.licenses.delegated(c.delegator, c.operator)))
            }
            Err(_) => Err(reverted(vec![])),
        }
    } else {
        // An account without code: the call succeeds and returns nothing, as on a chain.
        returned(vec![])
    }
}

/// `eth_getTransactionByHash [hash]`: DAEntrance's certificate submissions; `null` for any other
/// hash, as a node answers for a transaction it does not have.
fn get_transaction(state: &EvmState, params: &Value) -> RpcResult {
    let hash: B256 = params
        .get(0)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("params[0] must be a hash"))?
        .parse()
        .map_err(|_| invalid("params[0] is not a 32-byte hash"))?;
    Ok(crate::evm_da::transaction(&state.da, hash))
}

/// `eth_getLogs [{address?, fromBlock?, toBlock?, topics?}]` over the Flow contract's and
/// DAEntrance's events.
fn get_logs(state: &EvmState, chain: Chain, params: &Value) -> RpcResult {
    let flow: &Flow = &state.flow;
    let filter = params.get(0).and_then(Value::as_object).ok_or_else(|| invalid("params[0] must be a filter object"))?;
    let block = |key: &str, default: u64| -> Result<u64, (i64, String, Option<Value>)> {
        match filter.get(key).and_then(Value::as_str) {
            None | Some("latest" | "safe" | "finalized" | "pending") => Ok(default),
            Some("earliest") => Ok(0),
            Some(q) => zg_align::evm::quantity(q).ok_or_else(|| invalid(format!("{key} is not a block number"))),
        }
    };
    let (from, to) = (block("fromBlock", chain.block_number)?, block("toBlock", chain.block_number)?.min(chain.block_number));
    let wanted = |contract: Address| -> Result<bool, (i64, String, Option<Value>)> {
        Ok(match filter.get("address") {
            None | Some(Value::Null) => true,
            Some(Value::String(a)) => a.parse::<Address>().map_err(|_| invalid("address is not an address"))? == contract,
            Some(Value::Array(list)) => list.iter().any(|a| a.as_str().and_then(|a| a.parse::<Address>().ok()) == Some(contract)),
            Some(_) => return Err(invalid("address must be an address or a list")),
        })
    };
    let (flow_wanted, da_wanted) = (wanted(FLOW_CONTRACT)?, wanted(crate::evm_da::DA_ENTRANCE)?);
    let topics: Vec<Option<B256>> = match filter.get("topics") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(list)) => list
            .iter()
            .map(|t| match t {
                Value::Null => Ok(None),
                Value::String(t) => t.parse().map(Some).map_err(|_| invalid("a topic is not 32 bytes of hex")),
                _ => Err(invalid("topic lists are not supported here")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(invalid("topics must be a list")),
    };
    let logs = if flow_wanted { flow.logs(from, to, &topics) } else { vec![] };
    let da_logs = if da_wanted { crate::evm_da::entrance_logs(&state.da, from, to, &topics) } else { vec![] };
    if logs.len() + da_logs.len() > MAX_LOGS {
        return Err((-32005, format!("query returned more than {MAX_LOGS} results"), None));
    }
    let flow_logs = logs.iter().enumerate().map(|(i, log)| {
        json!({
            "address": log.address.to_string(),
            "topics": log.topics.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            "data": Bytes::copy_from_slice(&log.data).to_string(),
            "blockNumber": format!("{:#x}", log.block_number),
            "blockHash": B256::from(zg_align::hash::keccak256(&log.block_number.to_be_bytes()).0).to_string(),
            "transactionHash": B256::from(zg_align::hash::keccak256(&log.data).0).to_string(),
            "transactionIndex": "0x0",
            "logIndex": format!("{i:#x}"),
            "removed": false,
        })
    });
    Ok(Value::Array(flow_logs.chain(da_logs).collect()))
}

fn license_call(state: &LicenseState, data: &[u8]) -> RpcResult {
    use IERC721Enumerable::IERC721EnumerableCalls as Call;
    let Ok(call) = Call::abi_decode(data) else { return Err(reverted(vec![])) };
    let word = match call {
        Call::balanceOf(c) => state.balance_of(c.owner).abi_encode(),
        Call::ownerOf(c) => match state.owner_of(c.tokenId) {
            Some(owner) => owner.abi_encode(),
            None => return Err(reverted(IERC721Enumerable::ERC721NonexistentToken { tokenId: c.tokenId }.abi_encode())),
        },
        Call::tokenOfOwnerByIndex(c) => match state.token_of_owner_by_index(c.owner, c.index) {
            Some(id) => id.abi_encode(),
            None => {
                return Err(reverted(
                    IERC721Enumerable::ERC721OutOfBoundsIndex { owner: c.owner, index: c.index }.abi_encode(),
                ))
            }
        },
        Call::tokenByIndex(c) => match state.token_by_index(c.index) {
            Some(id) => id.abi_encode(),
            None => {
                return Err(reverted(
                    IERC721Enumerable::ERC721OutOfBoundsIndex { owner: Address::ZERO, index: c.index }.abi_encode(),
                ))
            }
        },
        Call::totalSupply(_) => state.total_supply().abi_encode(),
        Call::supportsInterface(c) => state.supports_interface(c.interfaceId.0).abi_encode(),
    };
    returned(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licenses::{OPERATOR, OWNER_A, OWNER_B};
    use alloy_primitives::U256;
    use zg_align::license;

    const CHAIN: Chain = Chain { chain_id: 31337, block_number: 5 };

    fn state() -> EvmState {
        let serving = crate::serving::ServingNetwork::generate(std::time::Duration::ZERO, crate::serving::DEFAULT_SWAP_AFTER);
        EvmState {
            licenses: LicenseState::default(),
            flow: std::sync::Arc::new(Flow::new(&crate::files::generated())),
            da: std::sync::Arc::new(crate::da::DaNetwork::generate()),
            serving: std::sync::Arc::new(serving),
        }
    }

    fn call(to: Address, data: Vec<u8>) -> Value {
        let body = json!({"jsonrpc": "2.0", "id": 7, "method": "eth_call", "params": [{"to": to.to_string(), "data": Bytes::from(data).to_string()}, "latest"]});
        handle(&state(), CHAIN, body).unwrap()
    }

    fn result(answer: &Value) -> Vec<u8> {
        answer["result"].as_str().unwrap().parse::<Bytes>().unwrap().to_vec()
    }

    #[test]
    fn views_through_the_core_abi() {
        let a = call(LICENSE_CONTRACT, license::balance_of_call(OWNER_A));
        assert_eq!(a["id"], 7);
        assert_eq!(license::decode_balance_of(&result(&a)).unwrap(), U256::from(2));
        let a = call(LICENSE_CONTRACT, license::owner_of_call(U256::from(3)));
        assert_eq!(license::decode_owner_of(&result(&a)).unwrap(), OWNER_B);
        let a = call(LICENSE_CONTRACT, license::token_of_owner_by_index_call(OWNER_A, U256::from(1)));
        assert_eq!(license::decode_token_of_owner_by_index(&result(&a)).unwrap(), U256::from(2));
        let a = call(LICENSE_CONTRACT, license::supports_interface_call(license::ERC721_ENUMERABLE_ID));
        assert!(license::decode_supports_interface(&result(&a)).unwrap());
        let a = call(DELEGATION_MANAGER, license::delegator_info_call(OWNER_A, OPERATOR));
        assert_eq!(license::decode_delegator_info(&result(&a)).unwrap(), vec![U256::from(2)]);
    }

    /// The flow's events as the core reads them from this endpoint's answer, filtered as asked.
    #[test]
    fn submit_logs_through_the_core_reader() {
        let state = state();
        let chain = Chain { chain_id: 31337, block_number: 1_000 };
        let ask = |from: u64, to: u64, topics: &[Option<B256>]| {
            let body = zg_align::evm::get_logs_body(4, FLOW_CONTRACT, from, to, topics);
            let answer = handle_body(&state, chain, &body).unwrap();
            zg_align::evm::parse_logs(answer.to_string().as_bytes(), 4).unwrap()
        };
        let topic = zg_align::storage::flow::submit_topic();
        let all = ask(0, 1_000, &[Some(topic)]);
        assert_eq!(all.len(), state.flow.entries.len());
        for (log, entry) in all.iter().zip(&state.flow.entries) {
            assert_eq!(zg_align::storage::decode_submit(log, FLOW_CONTRACT).unwrap(), entry.flow);
        }
        assert_eq!(ask(0, crate::flow::FIRST_SUBMIT_BLOCK, &[Some(topic)]).len(), 1);
        assert_eq!(ask(0, 1_000, &[Some(B256::repeat_byte(1))]).len(), 0);
        assert_eq!(ask(0, 1_000, &[Some(topic), None, Some(all[1].topics[2])]), vec![all[1].clone()]);
    }

    #[test]
    fn reverts_and_errors() {
        let a = call(LICENSE_CONTRACT, license::owner_of_call(U256::from(99)));
        assert_eq!(a["error"]["code"], EXECUTION_REVERTED);
        let data: Bytes = a["error"]["data"].as_str().unwrap().parse().unwrap();
        assert_eq!(data[..4], IERC721Enumerable::ERC721NonexistentToken::SELECTOR);
        let a = call(LICENSE_CONTRACT, vec![1, 2, 3, 4]);
        assert_eq!((a["error"]["code"].clone(), a["error"]["data"].clone()), (json!(3), json!("0x")));
        assert_eq!(call(Address::repeat_byte(1), vec![1])["result"], "0x");

        let state = state();
        let one = |body: &str| handle_body(&state, CHAIN, body.as_bytes());
        assert_eq!(one("{").unwrap()["error"]["code"], PARSE_ERROR);
        assert_eq!(one("[]").unwrap()["error"]["code"], INVALID_REQUEST);
        assert_eq!(one("3").unwrap()["error"]["code"], INVALID_REQUEST);
        assert_eq!(one(r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendTransaction"}"#).unwrap()["error"]["code"], METHOD_NOT_FOUND);
        assert_eq!(one(r#"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[]}"#).unwrap()["error"]["code"], INVALID_PARAMS);
        assert_eq!(one(r#"{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}"#).unwrap()["error"]["code"], INVALID_REQUEST);
        assert_eq!(one(r#"{"jsonrpc":"2.0","method":"eth_chainId"}"#), None);
        assert_eq!(one(r#"{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1x"}]}"#).unwrap()["error"]["code"], INVALID_PARAMS);
        let batch = one(r#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"net_version"},{"jsonrpc":"2.0","id":3,"method":"eth_blockNumber"}]"#).unwrap();
        assert_eq!(batch, json!([
            {"jsonrpc": "2.0", "id": 1, "result": "0x7a69"},
            {"jsonrpc": "2.0", "id": 2, "result": "31337"},
            {"jsonrpc": "2.0", "id": 3, "result": "0x5"},
        ]));
    }
}
