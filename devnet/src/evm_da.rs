//! The DA contracts as the devnet's EVM endpoint answers them. The DASigners precompile
//! (`0x…1000`) for `eth_call`: `epochNumber`, `quorumCount`, `getQuorum` and `getSigner` over the
//! devnet's DA network, keys in the chain's order (G2 real parts first), sockets once the gRPC
//! servers listen. DAEntrance's history: one `ErasureCommitmentVerified` log per devnet blob and
//! the signed transaction that submitted its certificate (`eth_getLogs`,
//! `eth_getTransactionByHash`). Calls are decoded and answers encoded with the core's `sol!`
//! interfaces.

use crate::da::{DaNetwork, EPOCH, QUORUM_ID};
use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolInterface};
use serde_json::{json, Value};
use zg_align::da::entrance;
use zg_align::da::signers::IDASigners::{self, IDASignersCalls};
use zg_align::da::signers::DA_SIGNERS;
use zg_align::da::tx_hash::TxFields;

/// Where the devnet's DAEntrance lives (the fourth contract a fresh anvil deployer makes).
pub const DA_ENTRANCE: Address = address!("Cf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9");

/// The answer to an `eth_call` of `data` to `to`: `None` when `to` is not the precompile,
/// `Some(Err(revert data))` for a call that reverts (geth's precompiles revert with an
/// `Error(string)`).
pub fn answer_call(da: &DaNetwork, to: Address, data: &[u8]) -> Option<Result<Vec<u8>, Vec<u8>>> {
    (to == DA_SIGNERS).then(|| answer(da, data).map_err(|reason| alloy_sol_types::Revert::from(reason).abi_encode()))
}

fn answer(da: &DaNetwork, data: &[u8]) -> Result<Vec<u8>, String> {
    let call = IDASignersCalls::abi_decode(data).map_err(|e| format!("not a DASigners call: {e}"))?;
    let this_epoch = |e: &U256| *e == U256::from(EPOCH);
    Ok(match call {
        IDASignersCalls::epochNumber(_) => IDASigners::epochNumberCall::abi_encode_returns(&U256::from(EPOCH)),
        IDASignersCalls::quorumCount(c) => IDASigners::quorumCountCall::abi_encode_returns(&U256::from(this_epoch(&c._epoch) as u64)),
        IDASignersCalls::getQuorum(c) => {
            if !this_epoch(&c._epoch) || c._quorumId != U256::from(QUORUM_ID) {
                return Err("quorum not found".into());
            }
            IDASigners::getQuorumCall::abi_encode_returns(&da.quorum_rows())
        }
        IDASignersCalls::getSigner(c) => {
            let sockets = da.sockets.get().ok_or("the signers are not serving yet")?;
            let details = c
                ._account
                .iter()
                .map(|a| {
                    let i = da.signers.iter().position(|s| s.address == *a).ok_or_else(|| format!("signer {a} not found"))?;
                    let info = &da.map.signers[i];
                    let w = |b: &[u8]| U256::from_be_slice(b);
                    let (g1, g2) = (&info.pk_g1, &info.pk_g2);
                    Ok(IDASigners::SignerDetail {
                        signer: *a,
                        socket: sockets[i].to_string(),
                        pkG1: IDASigners::G1Point { X: w(&g1[..32]), Y: w(&g1[32..]) },
                        // EVM order is x1, x0, y1, y0; the chain keeps [x0, x1], [y0, y1].
                        pkG2: IDASigners::G2Point { X: [w(&g2[32..64]), w(&g2[..32])], Y: [w(&g2[96..]), w(&g2[64..96])] },
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            IDASigners::getSignerCall::abi_encode_returns(&details)
        }
    })
}

/// The block the devnet's certificates were accepted in (before the chain's genesis height, so
/// every scan from the head finds them).
pub const CERTIFIED_BLOCK: u64 = 90;
/// The devnet's chain id, which its transactions are signed for.
const CHAIN_ID: u64 = crate::storage_node::DEVNET_CHAIN_ID;

/// The account that submitted the devnet's certificates (a disperser's).
fn submitter() -> k256::ecdsa::SigningKey {
    k256::ecdsa::SigningKey::from_slice(&zg_align::hash::keccak256(b"zg-align devnet da submitter").0).expect("a keccak digest is a valid secp256k1 key")
}

/// Blob `i`'s certificate submission as a geth node answers `eth_getTransactionByHash`: an
/// EIP-1559 transaction to DAEntrance calling `submitVerifiedCommitRoots([its submission])`,
/// signed by the submitter, mined in [`CERTIFIED_BLOCK`]; and its hash.
fn submission_tx(da: &DaNetwork, i: usize) -> (B256, Value) {
    let key = submitter();
    let mut fields = TxFields {
        tx_type: 2,
        chain_id: U256::from(CHAIN_ID),
        nonce: U256::from(i),
        gas_price: U256::ZERO,
        max_priority_fee_per_gas: U256::from(1_000_000_000u64),
        max_fee_per_gas: U256::from(2_000_000_000u64),
        gas: U256::from(500_000u64),
        to: Some(DA_ENTRANCE),
        value: U256::ZERO,
        input: entrance::submit_call(&[da.blobs[i].blob.cert.clone()]),
        access_list: vec![],
        v: U256::ZERO,
        r: U256::ZERO,
        s: U256::ZERO,
    };
    let (sig, recid) = key.sign_prehash_recoverable(fields.signing_hash(None).as_slice()).expect("signing a digest does not fail");
    let bytes = sig.to_bytes();
    (fields.v, fields.r, fields.s) = (U256::from(recid.to_byte() & 1), U256::from_be_slice(&bytes[..32]), U256::from_be_slice(&bytes[32..]));
    let hash = fields.hash();
    let q = |v: &U256| format!("{v:#x}");
    let tx = json!({
        "type": "0x2",
        "chainId": q(&fields.chain_id),
        "nonce": q(&fields.nonce),
        "blockHash": block_hash(CERTIFIED_BLOCK).to_string(),
        "blockNumber": format!("{CERTIFIED_BLOCK:#x}"),
        "transactionIndex": format!("{i:#x}"),
        "from": Address::from_private_key(&key).to_checksum(None).to_lowercase(),
        "to": DA_ENTRANCE.to_string().to_lowercase(),
        "value": "0x0",
        "gas": q(&fields.gas),
        "gasPrice": q(&fields.max_fee_per_gas),
        "maxFeePerGas": q(&fields.max_fee_per_gas),
        "maxPriorityFeePerGas": q(&fields.max_priority_fee_per_gas),
        "input": Bytes::from(fields.input.clone()).to_string(),
        "accessList": [],
        "v": q(&fields.v),
        "yParity": q(&fields.v),
        "r": format!("0x{:064x}", fields.r),
        "s": format!("0x{:064x}", fields.s),
        "hash": hash.to_string(),
    });
    (hash, tx)
}

fn block_hash(block: u64) -> B256 {
    B256::from(zg_align::hash::keccak256(&block.to_be_bytes()).0)
}

/// DAEntrance's `ErasureCommitmentVerified` logs in `from..=to` whose topics start with `topics`:
/// one per devnet blob, all in [`CERTIFIED_BLOCK`], each from its own transaction.
pub fn entrance_logs(da: &DaNetwork, from: u64, to: u64, topics: &[Option<B256>]) -> Vec<Value> {
    let topic = entrance::verified_topic();
    let wanted = topics.iter().enumerate().all(|(i, t)| t.is_none_or(|t| i == 0 && t == topic));
    if !(from..=to).contains(&CERTIFIED_BLOCK) || !wanted {
        return vec![];
    }
    (0..da.blobs.len())
        .map(|i| {
            let cert = &da.blobs[i].blob.cert;
            json!({
                "address": DA_ENTRANCE.to_string().to_lowercase(),
                "topics": [topic.to_string()],
                "data": Bytes::from(entrance::log_data(&cert.data_root, cert.epoch, cert.quorum_id)).to_string(),
                "blockNumber": format!("{CERTIFIED_BLOCK:#x}"),
                "transactionHash": submission_tx(da, i).0.to_string(),
                "transactionIndex": format!("{i:#x}"),
                "blockHash": block_hash(CERTIFIED_BLOCK).to_string(),
                "logIndex": format!("{i:#x}"),
                "removed": false,
            })
        })
        .collect()
}

/// `eth_getTransactionByHash`: a certificate's transaction, or `null` for any other hash.
pub fn transaction(da: &DaNetwork, hash: B256) -> Value {
    (0..da.blobs.len()).map(|i| submission_tx(da, i)).find(|(h, _)| *h == hash).map_or(Value::Null, |(_, tx)| tx)
}
