//! Certified blobs from the chain, sans-IO: 0G's `DAEntrance` (0g-da-contract
//! `IDAEntrance.sol`) emits `ErasureCommitmentVerified(bytes32 dataRoot, uint epoch, uint
//! quorumId)` (nothing indexed) for each certificate it accepts, from inside
//! `submitVerifiedCommitRoots(CommitRootSubmission[])`; the certificate itself is that call's
//! calldata. So: `eth_getLogs` for the event, then `eth_getTransactionByHash` for each log's
//! transaction, whose hash is recomputed from its fields ([`super::tx_hash`]) before its input is
//! read. Anything that does not fit is a typed [`EntranceError`]: the blob goes unchecked, it is
//! never evidence against anyone.

use super::quorum::QuorumCert;
use super::retrieve_round::CertifiedBlob;
use super::tx_hash::{TxError, TxFields, MAX_INPUT_BYTES};
use crate::bounded_json::AtMost;
use crate::evm::{MAX_LOGS, MAX_LOGS_RESPONSE_BYTES};
use crate::hash::Hash32;
use crate::storage::rpc::{parse_response, request_body, RpcError};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolEvent};

sol! {
    /// What the light node reads of `DAEntrance`; points in the EVM order (EIP-197) the contract
    /// takes them in.
    interface IDAEntrance {
        struct G1Point { uint256 X; uint256 Y; }
        struct G2Point { uint256[2] X; uint256[2] Y; }
        struct CommitRootSubmission {
            bytes32 dataRoot;
            uint256 epoch;
            uint256 quorumId;
            G1Point erasureCommitment;
            bytes quorumBitmap;
            G2Point aggPkG2;
            G1Point signature;
        }

        event ErasureCommitmentVerified(bytes32 dataRoot, uint256 epoch, uint256 quorumId);

        function submitVerifiedCommitRoots(CommitRootSubmission[] _submissions) external;
    }
}

/// Largest `eth_getTransactionByHash` answer read: the input in hex, and the other fields.
pub const MAX_TX_RESPONSE_BYTES: usize = 2 * MAX_INPUT_BYTES + 4096;
/// Most JSON values in that answer: a transaction has a few dozen (an access list of storage keys
/// filling the whole answer would have ~7,600). As `serde_json::Value`s, ~0.6 MB at most.
pub const MAX_TX_JSON_VALUES: usize = 8192;
/// Longest quorum bitmap read (384 bytes for 3072 rows; a few times that for other parameters).
const MAX_BITMAP_BYTES: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntranceError {
    #[error("{call}: no answer: {message}")]
    NoAnswer { call: &'static str, message: String },
    #[error("{call}: {source}")]
    Rpc { call: &'static str, source: RpcError },
    #[error("{call}: {count} logs, more than {max}")]
    TooManyLogs { call: &'static str, count: usize, max: usize },
    #[error("log: {message}")]
    Log { message: String },
    #[error("the chain has no transaction {hash}")]
    TxNotFound { hash: B256 },
    #[error("transaction {hash}: {field} is {received}, the log says {expected}")]
    TxDisagrees { hash: B256, field: &'static str, expected: String, received: String },
    #[error("transaction {hash}: {source}")]
    Tx { hash: B256, source: TxError },
    #[error("transaction {expected}: its fields hash to {computed}")]
    TxHash { expected: B256, computed: B256 },
    #[error("transaction {hash} is sent to {to}, not to DAEntrance")]
    NotToEntrance { hash: B256, to: String },
    #[error("transaction {hash}: its input is not submitVerifiedCommitRoots: {message}")]
    Calldata { hash: B256, message: String },
    #[error("transaction {hash} submits no certificate for {data_root} (epoch {epoch}, quorum {quorum_id})")]
    NoSubmission { hash: B256, data_root: Hash32, epoch: u64, quorum_id: u64 },
}

/// One `ErasureCommitmentVerified` event: which certificate, and where its calldata is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertifiedLog {
    pub data_root: Hash32,
    pub epoch: u64,
    pub quorum_id: u64,
    pub tx_hash: B256,
    pub block_number: u64,
    pub log_index: u64,
}

/// The event's topic 0.
pub fn verified_topic() -> B256 {
    IDAEntrance::ErasureCommitmentVerified::SIGNATURE_HASH
}

/// `eth_getLogs` of `entrance`'s `ErasureCommitmentVerified` events in blocks `from..=to`.
pub fn get_logs_body(id: u64, entrance: Address, from: u64, to: u64) -> Vec<u8> {
    crate::evm::get_logs_body(id, entrance, from, to, &[Some(verified_topic())])
}

/// The event's data for a certificate (what the chain logs; the devnet writes it).
pub fn log_data(data_root: &Hash32, epoch: u64, quorum_id: u64) -> Vec<u8> {
    IDAEntrance::ErasureCommitmentVerified { dataRoot: B256::from(data_root.0), epoch: U256::from(epoch), quorumId: U256::from(quorum_id) }.encode_data()
}


fn word_u64(word: &[u8], what: &str) -> Result<u64, EntranceError> {
    if word[..24].iter().any(|&b| b != 0) {
        return Err(EntranceError::Log { message: format!("{what} does not fit 64 bits") });
    }
    Ok(u64::from_be_bytes(word[24..32].try_into().expect("8 bytes")))
}

fn decode_log(raw: &str, entrance: Address) -> Result<CertifiedLog, EntranceError> {
    let log = |message: String| EntranceError::Log { message };
    let wire: crate::evm::LogWire = serde_json::from_str(raw).map_err(|e| log(crate::bounded_json::short_error(&e)))?;
    if wire.removed {
        return Err(log("removed by a reorganisation".into()));
    }
    if wire.address != entrance {
        return Err(log(format!("emitted by {}, not DAEntrance", wire.address)));
    }
    if wire.topics != [verified_topic()] {
        return Err(log("topics are not ErasureCommitmentVerified's".into()));
    }
    // Three words, nothing indexed.
    if wire.data.len() != 96 {
        return Err(log(format!("data is {} bytes, the event's is 96", wire.data.len())));
    }
    let quantity = |field: &'static str, v: Option<String>| {
        let v = v.ok_or_else(|| log(format!("{field} is missing")))?;
        crate::evm::quantity(&v).ok_or_else(|| log(format!("{field} is not a quantity: {}", v.chars().take(80).collect::<String>())))
    };
    Ok(CertifiedLog {
        data_root: Hash32(wire.data[..32].try_into().expect("32 bytes")),
        epoch: word_u64(&wire.data[32..64], "epoch")?,
        quorum_id: word_u64(&wire.data[64..96], "quorum id")?,
        tx_hash: wire.transaction_hash.ok_or_else(|| log("transactionHash is missing".into()))?,
        block_number: quantity("blockNumber", wire.block_number)?,
        log_index: quantity("logIndex", wire.log_index)?,
    })
}

/// Reads an `eth_getLogs` answer: each `ErasureCommitmentVerified` log of `entrance`, with the
/// reason for each that is not one (another emitter or event, a removed log, bad fields).
pub fn decode_logs(body: &[u8], id: u64, entrance: Address) -> Result<Vec<Result<CertifiedLog, EntranceError>>, EntranceError> {
    let raw: Option<AtMost<Box<serde_json::value::RawValue>, MAX_LOGS>> =
        parse_response(body, id, MAX_LOGS_RESPONSE_BYTES).map_err(|source| EntranceError::Rpc { call: "eth_getLogs", source })?;
    let raw = raw.unwrap_or_default().within().map_err(|count| EntranceError::TooManyLogs { call: "eth_getLogs", count, max: MAX_LOGS })?;
    Ok(raw.iter().map(|r| decode_log(r.get(), entrance)).collect())
}

/// `eth_getTransactionByHash`.
pub fn get_transaction_body(id: u64, hash: B256) -> Vec<u8> {
    request_body(id, "eth_getTransactionByHash", serde_json::json!([hash.to_string()]))
}

/// The certificates of a `submitVerifiedCommitRoots` call, decoded strictly (validated, and the
/// canonical encoding of what they decode to).
pub fn decode_submissions(input: &[u8]) -> Result<Vec<IDAEntrance::CommitRootSubmission>, String> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(format!("{} bytes, more than {MAX_INPUT_BYTES}", input.len()));
    }
    let call = IDAEntrance::submitVerifiedCommitRootsCall::abi_decode_validate(input).map_err(|e| e.to_string())?;
    if call.abi_encode() != input {
        return Err("not the canonical encoding of its values".into());
    }
    Ok(call._submissions)
}

fn words(values: &[&U256]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_be_bytes::<32>()).collect()
}

/// A submission as the certificate the core checks (points kept in the EVM order they came in).
pub fn submission_cert(s: &IDAEntrance::CommitRootSubmission, epoch: u64, quorum_id: u64) -> QuorumCert {
    QuorumCert {
        data_root: Hash32(s.dataRoot.0),
        epoch,
        quorum_id,
        commitment: words(&[&s.erasureCommitment.X, &s.erasureCommitment.Y]),
        bitmap: s.quorumBitmap.to_vec(),
        agg_pk_g2: words(&[&s.aggPkG2.X[0], &s.aggPkG2.X[1], &s.aggPkG2.Y[0], &s.aggPkG2.Y[1]]),
        signature: words(&[&s.signature.X, &s.signature.Y]),
    }
}

fn word(bytes: &[u8], i: usize) -> U256 {
    bytes.get(i * 32..(i + 1) * 32).map_or(U256::ZERO, U256::from_be_slice)
}

/// The calldata that submits `certs` (what a disperser sends; the devnet writes it).
pub fn submit_call(certs: &[QuorumCert]) -> Vec<u8> {
    let submissions = certs
        .iter()
        .map(|c| IDAEntrance::CommitRootSubmission {
            dataRoot: B256::from(c.data_root.0),
            epoch: U256::from(c.epoch),
            quorumId: U256::from(c.quorum_id),
            erasureCommitment: IDAEntrance::G1Point { X: word(&c.commitment, 0), Y: word(&c.commitment, 1) },
            quorumBitmap: c.bitmap.clone().into(),
            aggPkG2: IDAEntrance::G2Point { X: [word(&c.agg_pk_g2, 0), word(&c.agg_pk_g2, 1)], Y: [word(&c.agg_pk_g2, 2), word(&c.agg_pk_g2, 3)] },
            signature: IDAEntrance::G1Point { X: word(&c.signature, 0), Y: word(&c.signature, 1) },
        })
        .collect();
    IDAEntrance::submitVerifiedCommitRootsCall { _submissions: submissions }.abi_encode()
}

/// Reads the answer to [`get_transaction_body`] for `log`'s transaction and finds the certificate
/// the log names in it: the transaction must be the one the log names (its fields hash to the
/// log's `transactionHash`, mined in the log's block), sent to `entrance`, its input
/// `submitVerifiedCommitRoots`; the certificate is the first submission for the log's data root,
/// epoch and quorum (the contract skips later ones for a root it already has).
pub fn decode_transaction(body: &[u8], id: u64, log: &CertifiedLog, entrance: Address) -> Result<CertifiedBlob, EntranceError> {
    let hash = log.tx_hash;
    // A transaction is a few dozen values (an access list a few hundred): no more are built.
    if !crate::bounded_json::values_within(body, MAX_TX_JSON_VALUES) {
        let source = RpcError::Malformed { message: format!("more than {MAX_TX_JSON_VALUES} JSON values in a transaction") };
        return Err(EntranceError::Rpc { call: "eth_getTransactionByHash", source });
    }
    let tx: Option<serde_json::Value> =
        parse_response(body, id, MAX_TX_RESPONSE_BYTES).map_err(|source| EntranceError::Rpc { call: "eth_getTransactionByHash", source })?;
    let tx = tx.filter(|t| !t.is_null()).ok_or(EntranceError::TxNotFound { hash })?;
    let disagrees = |field, expected: String, received: &serde_json::Value| EntranceError::TxDisagrees {
        hash,
        field,
        expected,
        received: received.to_string().chars().take(80).collect(),
    };
    if tx.get("hash").and_then(|h| h.as_str()).and_then(|h| h.parse::<B256>().ok()) != Some(hash) {
        return Err(disagrees("hash", hash.to_string(), &tx["hash"]));
    }
    if tx.get("blockNumber").and_then(|b| b.as_str()).and_then(crate::evm::quantity) != Some(log.block_number) {
        return Err(disagrees("blockNumber", format!("{:#x}", log.block_number), &tx["blockNumber"]));
    }
    let fields = TxFields::from_json(&tx).map_err(|source| EntranceError::Tx { hash, source })?;
    let computed = fields.hash();
    if computed != hash {
        return Err(EntranceError::TxHash { expected: hash, computed });
    }
    if fields.to != Some(entrance) {
        return Err(EntranceError::NotToEntrance { hash, to: fields.to.map_or("nobody (a contract creation)".into(), |a| a.to_string()) });
    }
    let submissions = decode_submissions(&fields.input).map_err(|message| EntranceError::Calldata { hash, message })?;
    let (epoch, quorum_id) = (U256::from(log.epoch), U256::from(log.quorum_id));
    let submission = submissions
        .iter()
        .find(|s| s.dataRoot.0 == log.data_root.0 && s.epoch == epoch && s.quorumId == quorum_id)
        .ok_or(EntranceError::NoSubmission { hash, data_root: log.data_root, epoch: log.epoch, quorum_id: log.quorum_id })?;
    if submission.quorumBitmap.len() > MAX_BITMAP_BYTES {
        return Err(EntranceError::Calldata { hash, message: format!("a bitmap of {} bytes", submission.quorumBitmap.len()) });
    }
    Ok(CertifiedBlob { id: log.data_root.to_string(), cert: submission_cert(submission, log.epoch, log.quorum_id), transaction: Some(hash) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Bytes;
    use crate::da::bn254::{encode_g1, encode_g2, public_keys};
    use ark_bn254::Fr;
    use serde_json::{json, Value};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const ENTRANCE: Address = alloy_primitives::address!("E75A073dA5bb7b0eC622170Fd268f35E675a957B");

    fn cert(seed: u8) -> QuorumCert {
        let (g1, g2) = public_keys(&Fr::from(seed as u64 + 7));
        QuorumCert {
            data_root: Hash32([seed; 32]),
            epoch: 3,
            quorum_id: 1,
            commitment: encode_g1(&g1).to_vec(),
            bitmap: vec![0xff; 384],
            agg_pk_g2: encode_g2(&g2).to_vec(),
            signature: encode_g1(&public_keys(&Fr::from(99u64)).0).to_vec(),
        }
    }

    /// A signed-looking type-2 transaction to `to` with `input`, as an RPC answers it, and its hash.
    fn transaction(to: Address, input: &[u8], block: u64) -> (Value, B256) {
        let mut tx = json!({
            "type": "0x2", "chainId": "0x4115", "nonce": "0x7", "maxPriorityFeePerGas": "0x3b9aca00", "maxFeePerGas": "0x77359400",
            "gasPrice": "0x77359400", "gas": "0x30d40", "to": to.to_string(), "value": "0x0", "input": Bytes::copy_from_slice(input).to_string(),
            "accessList": [], "v": "0x1", "yParity": "0x1", "r": format!("0x{}", "11".repeat(32)), "s": format!("0x{}", "22".repeat(32)),
            "from": "0x0000000000000000000000000000000000000abc", "blockNumber": format!("{block:#x}"), "blockHash": format!("0x{}", "33".repeat(32)),
            "transactionIndex": "0x0",
        });
        let hash = TxFields::from_json(&tx).unwrap().hash();
        tx["hash"] = json!(hash.to_string());
        (tx, hash)
    }

    fn rpc(result: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": 1, "result": result})).unwrap()
    }

    fn log_json(c: &QuorumCert, tx: B256, block: u64) -> Value {
        json!({
            "address": ENTRANCE.to_string(), "topics": [verified_topic().to_string()],
            "data": Bytes::from(log_data(&c.data_root, c.epoch, c.quorum_id)).to_string(),
            "blockNumber": format!("{block:#x}"), "transactionHash": tx.to_string(), "logIndex": "0x3", "removed": false,
            "blockHash": format!("0x{}", "33".repeat(32)), "transactionIndex": "0x0",
        })
    }

    #[test]
    fn the_event_and_call_have_the_contracts_signatures() {
        let topic = crate::hash::keccak256(b"ErasureCommitmentVerified(bytes32,uint256,uint256)");
        assert_eq!(verified_topic().0, topic.0);
        let selector =
            crate::hash::keccak256(b"submitVerifiedCommitRoots((bytes32,uint256,uint256,(uint256,uint256),bytes,(uint256[2],uint256[2]),(uint256,uint256))[])");
        assert_eq!(&submit_call(&[])[..4], &selector.0[..4]);
    }

    #[test]
    fn a_certificate_comes_from_the_transaction_the_log_names() {
        let certs = [cert(1), cert(2)];
        let (tx, hash) = transaction(ENTRANCE, &submit_call(&certs), 90);
        let logs = decode_logs(&rpc(json!([log_json(&certs[1], hash, 90)])), 1, ENTRANCE).unwrap();
        let log = logs[0].clone().unwrap();
        assert_eq!((log.data_root, log.epoch, log.quorum_id, log.tx_hash, log.block_number, log.log_index), (certs[1].data_root, 3, 1, hash, 90, 3));
        let blob = decode_transaction(&rpc(tx.clone()), 1, &log, ENTRANCE).unwrap();
        assert_eq!(blob.cert, certs[1]);
        assert_eq!(blob.id, format!("0x{}", "02".repeat(32)));
        // The first submission for a root counts: the contract skips a later one.
        let mut later = cert(2);
        later.bitmap[0] = 1;
        let (tx, hash) = transaction(ENTRANCE, &submit_call(&[certs[1].clone(), later]), 90);
        let log = CertifiedLog { tx_hash: hash, ..log };
        assert_eq!(decode_transaction(&rpc(tx), 1, &log, ENTRANCE).unwrap().cert, certs[1]);
    }

    #[test]
    fn anything_else_is_a_typed_error() {
        let certs = [cert(1)];
        let input = submit_call(&certs);
        let (tx, hash) = transaction(ENTRANCE, &input, 90);
        let log = decode_logs(&rpc(json!([log_json(&certs[0], hash, 90)])), 1, ENTRANCE).unwrap()[0].clone().unwrap();
        let read = |tx: Value| decode_transaction(&rpc(tx), 1, &log, ENTRANCE);
        assert_eq!(read(Value::Null), Err(EntranceError::TxNotFound { hash }));
        // A changed input byte (a bitmap bit, say): the fields no longer hash to the log's hash.
        let mut flipped = input.clone();
        flipped[4 + 32 * 16] ^= 1;
        let mut changed = tx.clone();
        changed["input"] = json!(Bytes::from(flipped).to_string());
        assert!(matches!(read(changed), Err(EntranceError::TxHash { .. })));
        let mut pending = tx.clone();
        pending["blockNumber"] = Value::Null;
        assert!(matches!(read(pending), Err(EntranceError::TxDisagrees { field: "blockNumber", .. })));
        let mut other = tx.clone();
        other["hash"] = json!(B256::repeat_byte(9).to_string());
        assert!(matches!(read(other), Err(EntranceError::TxDisagrees { field: "hash", .. })));
        let mut blob = tx.clone();
        blob["type"] = json!("0x3");
        assert!(matches!(read(blob), Err(EntranceError::Tx { source: TxError::UnsupportedType { tx_type: 3 }, .. })));
        // Consistent transactions that are not a certificate for this log.
        let elsewhere = |to: Address, input: &[u8]| {
            let (tx, hash) = transaction(to, input, 90);
            decode_transaction(&rpc(tx), 1, &CertifiedLog { tx_hash: hash, ..log.clone() }, ENTRANCE)
        };
        assert!(matches!(elsewhere(Address::repeat_byte(1), &input), Err(EntranceError::NotToEntrance { .. })));
        assert!(matches!(elsewhere(ENTRANCE, &input[..input.len() - 1]), Err(EntranceError::Calldata { .. })));
        assert!(matches!(elsewhere(ENTRANCE, &[input.clone(), vec![0; 32]].concat()), Err(EntranceError::Calldata { .. })));
        assert!(matches!(elsewhere(ENTRANCE, &[1, 2, 3]), Err(EntranceError::Calldata { .. })));
        assert!(matches!(elsewhere(ENTRANCE, &submit_call(&[cert(5)])), Err(EntranceError::NoSubmission { .. })));
        // A huge claimed array length fails before anything is allocated for it.
        let mut huge = input.clone();
        huge[4 + 32 + 24..4 + 64].copy_from_slice(&u64::MAX.to_be_bytes());
        assert!(matches!(elsewhere(ENTRANCE, &huge), Err(EntranceError::Calldata { .. })));
        // Logs: other emitters, topics, removed ones and bad words are each set aside with a reason.
        let good = log_json(&certs[0], hash, 90);
        let with = |k: &str, v: Value| {
            let mut l = good.clone();
            l[k] = v;
            l
        };
        let mut wide = log_data(&certs[0].data_root, 3, 1);
        wide[32] = 1;
        let answers = decode_logs(
            &rpc(json!([
                with("address", json!(Address::repeat_byte(1).to_string())),
                with("topics", json!([B256::ZERO.to_string()])),
                with("removed", json!(true)),
                with("data", json!("0x00")),
                with("data", json!(Bytes::from(wide).to_string())),
                with("transactionHash", Value::Null),
                with("blockNumber", json!("0x05a")),
                good.clone(),
            ])),
            1,
            ENTRANCE,
        )
        .unwrap();
        assert!(answers[..7].iter().all(|a| matches!(a, Err(EntranceError::Log { .. }))), "{answers:?}");
        assert!(answers[7].is_ok());
        assert!(matches!(decode_logs(b"{", 1, ENTRANCE), Err(EntranceError::Rpc { .. })));
        assert!(matches!(decode_logs(&rpc(json!(vec![1; MAX_LOGS + 1])), 1, ENTRANCE), Err(EntranceError::TooManyLogs { .. })));
        assert_eq!(decode_logs(&rpc(Value::Null), 1, ENTRANCE).unwrap(), vec![]);
    }
}
