//! A transaction's hash recomputed from the fields an EVM RPC answers for it
//! (`eth_getTransactionByHash`): legacy (type 0), EIP-2930 (1) and EIP-1559 (2) transactions,
//! RLP-encoded as the chain hashed them. When the recomputed hash is the one a log names, every
//! hashed field, the calldata above all, is the transaction's, whoever relayed it: a relay that
//! changes a byte of the input can no longer pass it off as the log's transaction.

use alloy_primitives::{Address, B256, U256};
use serde::Deserialize;

/// Largest calldata read (a certificate submission is under 1 KiB; a batch of a few hundred fits).
pub const MAX_INPUT_BYTES: usize = 256 * 1024;
/// Most access-list entries, and storage keys per entry, read.
const MAX_ACCESS_LIST: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TxError {
    #[error("transaction is not readable: {message}")]
    Malformed { message: String },
    #[error("transaction type {tx_type} is not one this node hashes (0, 1, 2)")]
    UnsupportedType { tx_type: u64 },
    #[error("transaction field {field} is missing")]
    Missing { field: &'static str },
    #[error("transaction field {field} is not a quantity: {value}")]
    Quantity { field: &'static str, value: String },
    #[error("transaction input is {bytes} bytes, more than {max}")]
    InputTooLarge { bytes: usize, max: usize },
    #[error("transaction v {v} and yParity {y_parity} disagree")]
    Parity { v: String, y_parity: String },
}

/// The fields of a transaction as an RPC writes them (`0x` quantities and data).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TxWire {
    #[serde(rename = "type", default)]
    tx_type: Option<String>,
    chain_id: Option<String>,
    nonce: Option<String>,
    gas_price: Option<String>,
    max_priority_fee_per_gas: Option<String>,
    max_fee_per_gas: Option<String>,
    gas: Option<String>,
    to: Option<Address>,
    value: Option<String>,
    input: Option<alloy_primitives::Bytes>,
    #[serde(default)]
    access_list: Option<Vec<AccessEntry>>,
    v: Option<String>,
    y_parity: Option<String>,
    r: Option<String>,
    s: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessEntry {
    address: Address,
    storage_keys: Vec<B256>,
}

/// A transaction's hashed fields, read from an RPC's JSON object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxFields {
    pub tx_type: u8,
    pub chain_id: U256,
    pub nonce: U256,
    /// Legacy and EIP-2930: `gasPrice`; EIP-1559: `(maxPriorityFeePerGas, maxFeePerGas)`.
    pub gas_price: U256,
    pub max_priority_fee_per_gas: U256,
    pub max_fee_per_gas: U256,
    pub gas: U256,
    /// `None` for a contract creation.
    pub to: Option<Address>,
    pub value: U256,
    pub input: Vec<u8>,
    pub access_list: Vec<(Address, Vec<B256>)>,
    /// Legacy: `v` as signed (27/28 or EIP-155's `35 + 2 * chainId + parity`); typed: the parity.
    pub v: U256,
    pub r: U256,
    pub s: U256,
}

/// A JSON-RPC quantity as a U256 (any `0x` hex of at most 64 digits).
fn quantity(field: &'static str, text: Option<&String>) -> Result<U256, TxError> {
    let text = text.ok_or(TxError::Missing { field })?;
    let bad = || TxError::Quantity { field, value: text.chars().take(80).collect() };
    let digits = text.strip_prefix("0x").ok_or_else(bad)?;
    if digits.is_empty() || digits.len() > 64 {
        return Err(bad());
    }
    U256::from_str_radix(digits, 16).map_err(|_| bad())
}

impl TxFields {
    /// Reads the hashed fields of `tx` (an `eth_getTransactionByHash` result).
    pub fn from_json(tx: &serde_json::Value) -> Result<TxFields, TxError> {
        let wire: TxWire = serde_json::from_value(tx.clone()).map_err(|e| TxError::Malformed { message: e.to_string() })?;
        let tx_type = match &wire.tx_type {
            None => 0,
            Some(t) => quantity("type", Some(t)).and_then(|t| u64::try_from(t).map_err(|_| TxError::UnsupportedType { tx_type: u64::MAX }))?,
        };
        if tx_type > 2 {
            return Err(TxError::UnsupportedType { tx_type });
        }
        let input = wire.input.ok_or(TxError::Missing { field: "input" })?.to_vec();
        if input.len() > MAX_INPUT_BYTES {
            return Err(TxError::InputTooLarge { bytes: input.len(), max: MAX_INPUT_BYTES });
        }
        let access_list = wire.access_list.unwrap_or_default();
        if access_list.len() > MAX_ACCESS_LIST || access_list.iter().any(|e| e.storage_keys.len() > MAX_ACCESS_LIST) {
            return Err(TxError::Malformed { message: "access list too long".into() });
        }
        let typed = tx_type != 0;
        let v = match (typed, &wire.v, &wire.y_parity) {
            (true, v, Some(y)) => {
                let parity = quantity("yParity", Some(y))?;
                if let Some(v) = v {
                    if quantity("v", Some(v))? != parity {
                        return Err(TxError::Parity { v: v.clone(), y_parity: y.clone() });
                    }
                }
                parity
            }
            (_, v, _) => quantity("v", v.as_ref())?,
        };
        let zero = U256::ZERO;
        let (gas_price, max_priority_fee_per_gas, max_fee_per_gas) = if tx_type == 2 {
            (zero, quantity("maxPriorityFeePerGas", wire.max_priority_fee_per_gas.as_ref())?, quantity("maxFeePerGas", wire.max_fee_per_gas.as_ref())?)
        } else {
            (quantity("gasPrice", wire.gas_price.as_ref())?, zero, zero)
        };
        Ok(TxFields {
            tx_type: tx_type as u8,
            chain_id: if typed { quantity("chainId", wire.chain_id.as_ref())? } else { zero },
            nonce: quantity("nonce", wire.nonce.as_ref())?,
            gas_price,
            max_priority_fee_per_gas,
            max_fee_per_gas,
            gas: quantity("gas", wire.gas.as_ref())?,
            to: wire.to,
            value: quantity("value", wire.value.as_ref())?,
            input,
            access_list: access_list.into_iter().map(|e| (e.address, e.storage_keys)).collect(),
            v,
            r: quantity("r", wire.r.as_ref())?,
            s: quantity("s", wire.s.as_ref())?,
        })
    }

    /// The fields before the signature, RLP items in the transaction type's order.
    fn unsigned_items(&self) -> Vec<Vec<u8>> {
        let to = self.to.map_or_else(|| rlp_bytes(&[]), |a| rlp_bytes(a.as_slice()));
        let access = rlp_list(
            &self
                .access_list
                .iter()
                .map(|(a, keys)| rlp_list(&[rlp_bytes(a.as_slice()), rlp_list(&keys.iter().map(|k| rlp_bytes(k.as_slice())).collect::<Vec<_>>())]))
                .collect::<Vec<_>>(),
        );
        let (n, g, value, input) = (rlp_uint(&self.nonce), rlp_uint(&self.gas), rlp_uint(&self.value), rlp_bytes(&self.input));
        match self.tx_type {
            0 => vec![n, rlp_uint(&self.gas_price), g, to, value, input],
            1 => vec![rlp_uint(&self.chain_id), n, rlp_uint(&self.gas_price), g, to, value, input, access],
            _ => vec![rlp_uint(&self.chain_id), n, rlp_uint(&self.max_priority_fee_per_gas), rlp_uint(&self.max_fee_per_gas), g, to, value, input, access],
        }
    }

    fn envelope(&self, items: &[Vec<u8>]) -> Vec<u8> {
        let list = rlp_list(items);
        if self.tx_type == 0 {
            list
        } else {
            [&[self.tx_type][..], &list].concat()
        }
    }

    /// What the sender signed: for typed transactions `type || rlp(unsigned fields)`; for legacy
    /// ones EIP-155's `rlp(fields, chainId, 0, 0)` (`chain_id` given) or the pre-155 fields.
    pub fn signing_hash(&self, legacy_chain_id: Option<u64>) -> B256 {
        let mut items = self.unsigned_items();
        if let (0, Some(id)) = (self.tx_type, legacy_chain_id) {
            items.extend([rlp_uint(&U256::from(id)), rlp_bytes(&[]), rlp_bytes(&[])]);
        }
        B256::from(crate::hash::keccak256(&self.envelope(&items)).0)
    }

    /// The transaction's hash: keccak of its signed encoding.
    pub fn hash(&self) -> B256 {
        let mut items = self.unsigned_items();
        items.extend([rlp_uint(&self.v), rlp_uint(&self.r), rlp_uint(&self.s)]);
        B256::from(crate::hash::keccak256(&self.envelope(&items)).0)
    }
}

fn rlp_length(len: usize, short: u8) -> Vec<u8> {
    if len < 56 {
        return vec![short + len as u8];
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    let mut out = vec![short + 55 + (bytes.len() - skip) as u8];
    out.extend_from_slice(&bytes[skip..]);
    out
}

/// An RLP string.
fn rlp_bytes(bytes: &[u8]) -> Vec<u8> {
    if bytes.len() == 1 && bytes[0] < 0x80 {
        return bytes.to_vec();
    }
    let mut out = rlp_length(bytes.len(), 0x80);
    out.extend_from_slice(bytes);
    out
}

/// An RLP integer: its big-endian bytes without leading zeros (zero is the empty string).
fn rlp_uint(value: &U256) -> Vec<u8> {
    let bytes = value.to_be_bytes::<32>();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    rlp_bytes(&bytes[skip..])
}

/// An RLP list of already encoded items.
fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
    let payload: Vec<u8> = items.concat();
    let mut out = rlp_length(payload.len(), 0xc0);
    out.extend_from_slice(&payload);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// EIP-155's own example: its signing data, and the signed transaction it gives.
    #[test]
    fn legacy_transactions_hash_as_eip155_writes_them() {
        let tx = json!({
            "nonce": "0x9", "gasPrice": "0x4a817c800", "gas": "0x5208", "to": "0x3535353535353535353535353535353535353535",
            "value": "0xde0b6b3a7640000", "input": "0x", "v": "0x25",
            "r": "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276",
            "s": "0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
        });
        let fields = TxFields::from_json(&tx).unwrap();
        let signing = hex::decode("ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080").unwrap();
        assert_eq!(fields.signing_hash(Some(1)).0, crate::hash::keccak256(&signing).0);
        assert_eq!(hex::encode(fields.signing_hash(Some(1))), "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
        let signed = hex::decode(concat!(
            "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63",
            "e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
        ))
        .unwrap();
        assert_eq!(fields.hash().0, crate::hash::keccak256(&signed).0);
    }

    /// An EIP-1559 transaction of Ethereum mainnet (block 19868015) as an RPC answers it: the
    /// recomputed hash is the one the chain gave it.
    #[test]
    fn a_mainnet_eip1559_transaction_hashes_to_its_hash() {
        let tx: serde_json::Value = serde_json::from_str(MAINNET_1559).unwrap();
        let fields = TxFields::from_json(&tx).unwrap();
        assert_eq!(fields.hash().to_string(), tx["hash"].as_str().unwrap());
        // One changed byte of input, or another type: another hash.
        let mut changed = fields.clone();
        changed.input[40] ^= 1;
        assert_ne!(changed.hash(), fields.hash());
        let mut typed = fields.clone();
        typed.tx_type = 1;
        assert_ne!(typed.hash(), fields.hash());
    }

    #[test]
    fn unreadable_fields_are_typed_errors() {
        let tx: serde_json::Value = serde_json::from_str(MAINNET_1559).unwrap();
        let with = |k: &str, v: serde_json::Value| {
            let mut t = tx.clone();
            t[k] = v;
            TxFields::from_json(&t)
        };
        assert_eq!(with("type", json!("0x3")), Err(TxError::UnsupportedType { tx_type: 3 }));
        assert_eq!(with("type", json!("0x7e")), Err(TxError::UnsupportedType { tx_type: 126 }));
        assert!(matches!(with("nonce", json!("12")), Err(TxError::Quantity { field: "nonce", .. })));
        assert!(matches!(with("nonce", json!(format!("0x{}", "f".repeat(65)))), Err(TxError::Quantity { .. })));
        assert!(matches!(with("r", serde_json::Value::Null), Err(TxError::Missing { field: "r" })));
        assert!(matches!(with("v", json!("0x1")), Err(TxError::Parity { .. })));
        assert!(matches!(with("input", json!("0x0")), Err(TxError::Malformed { .. })));
        assert!(matches!(with("input", json!(format!("0x{}", "00".repeat(MAX_INPUT_BYTES + 1)))), Err(TxError::InputTooLarge { .. })));
        assert!(matches!(TxFields::from_json(&json!([1, 2])), Err(TxError::Malformed { .. })));
    }

    const MAINNET_1559: &str = r#"{
        "hash": "0x353fdfc38a2f26115daadee9f5b8392ce62b84f410957967e2ed56b35338cdd0",
        "nonce": "0x357",
        "blockHash": "0xc350d807505fb835650f0013632c5515592987ba169bbc6626d9fc54d91f0f0b",
        "blockNumber": "0x12f296f",
        "transactionIndex": "0x2",
        "from": "0x814e5e0e31016b9a7f138c76b7e7b2bb5c1ab6a6",
        "to": "0x3fc91a3afd70395cd496c647d5a6cc9d4b2b7fad",
        "value": "0x9b6e64a8ec60000",
        "gas": "0x43f5d",
        "maxFeePerGas": "0x2ca6ae494",
        "maxPriorityFeePerGas": "0x41cc3c0",
        "input": "0x3593564c000000000000000000000000000000000000000000000000000000000000006000000000000000000000000000000000000000000000000000000000000000a0000000000000000000000000000000000000000000000000000000006643504700000000000000000000000000000000000000000000000000000000000000040b080604000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000000000000000000000000000000008000000000000000000000000000000000000000000000000000000000000000e0000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000002800000000000000000000000000000000000000000000000000000000000000040000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000009b6e64a8ec600000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000009b6e64a8ec60000000000000000000000000000000000000000000000000000019124bb5ae978c000000000000000000000000000000000000000000000000000000000000000a000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2000000000000000000000000c56c7a0eaa804f854b536a5f3d5f49d2ec4b12b80000000000000000000000000000000000000000000000000000000000000060000000000000000000000000c56c7a0eaa804f854b536a5f3d5f49d2ec4b12b8000000000000000000000000000000fee13a103a10d593b9ae06b3e05f2e7e1c00000000000000000000000000000000000000000000000000000000000000190000000000000000000000000000000000000000000000000000000000000060000000000000000000000000c56c7a0eaa804f854b536a5f3d5f49d2ec4b12b800000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000190240001b9872b",
        "r": "0x635dc2033e60185bb36709c29c75d64ea51dfbd91c32ef4be198e4ceb169fb4d",
        "s": "0x50c2667ac4c771072746acfdcf1f1483336dcca8bd2df47cd83175dbe60f0540",
        "yParity": "0x0",
        "v": "0x0",
        "chainId": "0x1",
        "accessList": [],
        "type": "0x2"
    }"#;
}
