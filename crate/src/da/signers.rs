//! The DASigners precompile (`0x…1000`, 0g-geth core/vm/dasigners.go, ABI IDASigners.sol): the
//! current epoch, the quorums of an epoch, the signer behind each row of a quorum, and each
//! signer's socket and BN254 keys. Calls are encoded and answers decoded with alloy's `sol!`,
//! strictly (validated, and the canonical encoding of what they decode to), after a byte cap;
//! every answer is then held to what the chain can say.
//!
//! Key order: the chain keeps `pkG1` as `(X, Y)` and `pkG2` as `X = [x0, x1], Y = [y0, y1]`, the
//! real part first (the DA node writes arkworks' `c0, c1`; geth reads `A0, A1`), the reverse of
//! the EVM pairing precompile's order that [`super::bn254`] decodes. [`RegisteredSigner`] holds
//! both keys in the EVM order.

use super::bn254::{decode_g1, decode_g2, PointError, G1_BYTES, G2_BYTES};
use super::quorum::{SignerInfo, QUORUM_ROWS};
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{sol, SolCall};
use serde::Serialize;

sol! {
    /// What the light node calls on the DASigners precompile.
    interface IDASigners {
        struct G1Point { uint256 X; uint256 Y; }
        struct G2Point { uint256[2] X; uint256[2] Y; }
        struct SignerDetail { address signer; string socket; G1Point pkG1; G2Point pkG2; }

        function epochNumber() external view returns (uint256);
        function quorumCount(uint256 _epoch) external view returns (uint256);
        function getQuorum(uint256 _epoch, uint256 _quorumId) external view returns (address[] memory);
        function getSigner(address[] memory _account) external view returns (SignerDetail[] memory);
    }
}

/// The precompile's address on every 0G chain.
pub const DA_SIGNERS: Address = address!("0000000000000000000000000000000000001000");
/// Longest socket accepted (`IP:PORT` or a host name and port).
pub const MAX_SOCKET_BYTES: usize = 256;
/// Most quorums an epoch may have for this node.
pub const MAX_QUORUMS: u64 = 1 << 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SignersError {
    #[error("{call}: answer of {bytes} bytes, more than {max}")]
    TooLarge { call: &'static str, bytes: usize, max: usize },
    #[error("{call}: answer does not decode: {message}")]
    Decode { call: &'static str, message: String },
    #[error("{call}: {value} is out of range (at most {max})")]
    Range { call: &'static str, value: String, max: u64 },
    #[error("getQuorum: {received} rows, a quorum has {expected}")]
    QuorumSize { expected: usize, received: usize },
    #[error("getQuorum: row {row} is held by the zero address")]
    ZeroSigner { row: usize },
    #[error("getSigner: {received} details for {expected} signers asked")]
    SignerCount { expected: usize, received: usize },
    #[error("getSigner: detail {index} is for {received}, {expected} was asked")]
    SignerMismatch { index: usize, expected: String, received: String },
    #[error("signer {signer}: socket {message}")]
    Socket { signer: String, message: String },
    #[error("signer {signer}: {source}")]
    Key { signer: String, source: PointError },
}

fn capped(call: &'static str, data: &[u8], max: usize) -> Result<(), SignersError> {
    if data.len() > max {
        return Err(SignersError::TooLarge { call, bytes: data.len(), max });
    }
    Ok(())
}

/// Decodes `data` as `C`'s answer, strictly: it must also be exactly the canonical encoding of
/// what it decodes to (no trailing or missing padding, no shared or out-of-order tails).
pub(crate) fn strict_returns<C: SolCall>(data: &[u8]) -> Result<C::Return, String> {
    let decoded = C::abi_decode_returns_validate(data).map_err(|e| e.to_string())?;
    if C::abi_encode_returns(&decoded) != data {
        return Err("not the canonical encoding of its values".into());
    }
    Ok(decoded)
}

fn decoded<C: SolCall>(call: &'static str, data: &[u8]) -> Result<C::Return, SignersError> {
    strict_returns::<C>(data).map_err(|message| SignersError::Decode { call, message })
}

fn small(call: &'static str, value: U256, max: u64) -> Result<u64, SignersError> {
    u64::try_from(value).ok().filter(|v| *v <= max).ok_or(SignersError::Range { call, value: value.to_string(), max })
}

pub fn epoch_number_call() -> Vec<u8> {
    IDASigners::epochNumberCall {}.abi_encode()
}

/// The current epoch (a block-derived counter; held below 2^48).
pub fn decode_epoch_number(data: &[u8]) -> Result<u64, SignersError> {
    capped("epochNumber", data, 32)?;
    small("epochNumber", decoded::<IDASigners::epochNumberCall>("epochNumber", data)?, 1 << 48)
}

pub fn quorum_count_call(epoch: u64) -> Vec<u8> {
    IDASigners::quorumCountCall { _epoch: U256::from(epoch) }.abi_encode()
}

pub fn decode_quorum_count(data: &[u8]) -> Result<u64, SignersError> {
    capped("quorumCount", data, 32)?;
    small("quorumCount", decoded::<IDASigners::quorumCountCall>("quorumCount", data)?, MAX_QUORUMS)
}

pub fn get_quorum_call(epoch: u64, quorum_id: u64) -> Vec<u8> {
    IDASigners::getQuorumCall { _epoch: U256::from(epoch), _quorumId: U256::from(quorum_id) }.abi_encode()
}

/// The signer of each of the quorum's 3072 rows.
pub fn decode_get_quorum(data: &[u8]) -> Result<Vec<Address>, SignersError> {
    capped("getQuorum", data, 64 + 32 * QUORUM_ROWS)?;
    let rows = decoded::<IDASigners::getQuorumCall>("getQuorum", data)?;
    if rows.len() != QUORUM_ROWS {
        return Err(SignersError::QuorumSize { expected: QUORUM_ROWS, received: rows.len() });
    }
    if let Some(row) = rows.iter().position(|a| a.is_zero()) {
        return Err(SignersError::ZeroSigner { row });
    }
    Ok(rows)
}

pub fn get_signer_call(signers: &[Address]) -> Vec<u8> {
    IDASigners::getSignerCall { _account: signers.to_vec() }.abi_encode()
}

/// A signer as registered: socket, and keys in the EVM encoding ([`super::bn254`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredSigner {
    pub address: Address,
    /// Where its gRPC service listens, as registered (`IP:PORT`; 0G's retriever prefixes
    /// `http://` when no scheme is given).
    pub socket: String,
    #[serde(with = "crate::da::signers::hex_array")]
    pub pk_g1: [u8; G1_BYTES],
    #[serde(with = "crate::da::signers::hex_array")]
    pub pk_g2: [u8; G2_BYTES],
}

impl RegisteredSigner {
    /// As the certificate check names a signer: its checksummed address.
    pub fn info(&self) -> SignerInfo {
        SignerInfo { id: self.address.to_checksum(None), pk_g1: self.pk_g1.to_vec(), pk_g2: self.pk_g2.to_vec() }
    }
}

fn word(v: &U256) -> [u8; 32] {
    v.to_be_bytes()
}

fn check_socket(socket: &str, signer: &str) -> Result<(), SignersError> {
    let err = |message: &str| SignersError::Socket { signer: signer.into(), message: message.into() };
    if socket.is_empty() {
        return Err(err("is empty"));
    }
    if socket.len() > MAX_SOCKET_BYTES {
        return Err(err(&format!("is {} bytes, more than {MAX_SOCKET_BYTES}", socket.len())));
    }
    if !socket.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(err("has a space, a control or a non-ASCII character"));
    }
    Ok(())
}

/// The details of `asked`, in that order: each for the signer asked, with a usable socket and keys
/// that decode (G1 on the curve, G2 in the subgroup, neither at infinity).
pub fn decode_get_signer(data: &[u8], asked: &[Address]) -> Result<Vec<RegisteredSigner>, SignersError> {
    // Per signer: its offset, 8 head words (signer, socket offset, pkG1, pkG2), the socket's length
    // word and up to 8 words of it.
    capped("getSigner", data, 64 + asked.len() * 32 * (1 + 8 + 1 + MAX_SOCKET_BYTES / 32))?;
    let details = decoded::<IDASigners::getSignerCall>("getSigner", data)?;
    if details.len() != asked.len() {
        return Err(SignersError::SignerCount { expected: asked.len(), received: details.len() });
    }
    details
        .into_iter()
        .zip(asked)
        .enumerate()
        .map(|(index, (d, &expected))| {
            let signer = expected.to_checksum(None);
            if d.signer != expected {
                return Err(SignersError::SignerMismatch { index, expected: signer, received: d.signer.to_checksum(None) });
            }
            check_socket(&d.socket, &signer)?;
            let mut pk_g1 = [0u8; G1_BYTES];
            pk_g1[..32].copy_from_slice(&word(&d.pkG1.X));
            pk_g1[32..].copy_from_slice(&word(&d.pkG1.Y));
            // Chain order [x0, x1], [y0, y1] to the EVM's x1, x0, y1, y0.
            let mut pk_g2 = [0u8; G2_BYTES];
            for (i, v) in [&d.pkG2.X[1], &d.pkG2.X[0], &d.pkG2.Y[1], &d.pkG2.Y[0]].into_iter().enumerate() {
                pk_g2[i * 32..(i + 1) * 32].copy_from_slice(&word(v));
            }
            let key = |source| SignersError::Key { signer: signer.clone(), source };
            // Decoded to check them; kept in their EVM bytes.
            let _ = (decode_g1(&pk_g1, "signer G1 key").map_err(key)?, decode_g2(&pk_g2, "signer G2 key").map_err(key)?);
            Ok(RegisteredSigner { address: expected, socket: d.socket, pk_g1, pk_g2 })
        })
        .collect()
}

/// The distinct signers of a quorum's rows, in the order of their first row (what to ask
/// `getSigner` for).
pub fn distinct_signers(rows: &[Address]) -> Vec<Address> {
    let mut seen = std::collections::BTreeSet::new();
    rows.iter().filter(|a| seen.insert(**a)).copied().collect()
}

/// One quorum of one epoch as the chain has it: who holds each row, and their registrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuorumView {
    pub epoch: u64,
    pub quorum_id: u64,
    /// `slots[row]` indexes [`QuorumView::signers`].
    pub slots: Vec<usize>,
    pub signers: Vec<RegisteredSigner>,
}

impl QuorumView {
    /// From `getQuorum`'s rows and `getSigner`'s answer for [`distinct_signers`] of them.
    pub fn new(epoch: u64, quorum_id: u64, rows: &[Address], signers: Vec<RegisteredSigner>) -> Result<Self, SignersError> {
        let order = distinct_signers(rows);
        if order.len() != signers.len() || order.iter().zip(&signers).any(|(a, s)| *a != s.address) {
            return Err(SignersError::SignerCount { expected: order.len(), received: signers.len() });
        }
        let index: std::collections::BTreeMap<Address, usize> = order.iter().enumerate().map(|(i, a)| (*a, i)).collect();
        let slots = rows.iter().map(|a| index[a]).collect();
        Ok(QuorumView { epoch, quorum_id, slots, signers })
    }

    pub fn infos(&self) -> Vec<SignerInfo> {
        self.signers.iter().map(RegisteredSigner::info).collect()
    }
}

/// Keys as `0x` hex in JSON.
pub(crate) mod hex_array {
    use serde::Serializer;

    pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("0x{}", hex::encode(bytes)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use crate::da::bn254::{encode_g1, encode_g2, keys_match, public_keys};
    use alloy_sol_types::SolValue;
    use ark_bn254::Fr;

    /// A signer's detail as the chain stores it: G2 real parts first.
    fn detail(i: u64, socket: &str) -> IDASigners::SignerDetail {
        let (g1, g2) = public_keys(&Fr::from(1000 + i));
        let (e1, e2) = (encode_g1(&g1), encode_g2(&g2));
        let w = |b: &[u8]| U256::from_be_slice(b);
        IDASigners::SignerDetail {
            signer: Address::with_last_byte(i as u8 + 1),
            socket: socket.into(),
            pkG1: IDASigners::G1Point { X: w(&e1[..32]), Y: w(&e1[32..]) },
            pkG2: IDASigners::G2Point { X: [w(&e2[32..64]), w(&e2[..32])], Y: [w(&e2[96..]), w(&e2[64..96])] },
        }
    }

    fn answer(details: Vec<IDASigners::SignerDetail>) -> Vec<u8> {
        IDASigners::getSignerCall::abi_encode_returns(&details)
    }

    #[test]
    fn calls_have_the_precompiles_selectors() {
        // keccak of the Solidity signatures, as in IDASigners.json.
        assert_eq!(&epoch_number_call()[..], &crate::hash::keccak256(b"epochNumber()").0[..4]);
        assert_eq!(&get_quorum_call(1, 0)[..4], &crate::hash::keccak256(b"getQuorum(uint256,uint256)").0[..4]);
        assert_eq!(&get_signer_call(&[])[..4], &crate::hash::keccak256(b"getSigner(address[])").0[..4]);
        assert_eq!(&quorum_count_call(1)[..4], &crate::hash::keccak256(b"quorumCount(uint256)").0[..4]);
    }

    #[test]
    fn decodes_signers_in_the_chains_key_order() {
        let details = vec![detail(0, "127.0.0.1:34000"), detail(1, "10.0.0.2:34000")];
        let asked: Vec<Address> = details.iter().map(|d| d.signer).collect();
        let signers = decode_get_signer(&answer(details.clone()), &asked).unwrap();
        for (i, s) in signers.iter().enumerate() {
            let (g1, g2) = public_keys(&Fr::from(1000 + i as u64));
            assert_eq!(s.pk_g1, encode_g1(&g1));
            assert_eq!(s.pk_g2, encode_g2(&g2));
            assert!(keys_match(&decode_g1(&s.pk_g1, "").unwrap(), &decode_g2(&s.pk_g2, "").unwrap()));
        }
        // The same key in the EVM order (imaginary part first) is not a valid G2 point.
        let mut evm_order = details.clone();
        evm_order[1].pkG2.X.swap(0, 1);
        evm_order[1].pkG2.Y.swap(0, 1);
        assert!(matches!(decode_get_signer(&answer(evm_order), &asked), Err(SignersError::Key { .. })));
    }

    #[test]
    fn hostile_answers_are_typed_errors() {
        let details = vec![detail(0, "127.0.0.1:34000"), detail(1, "10.0.0.2:34000")];
        let asked: Vec<Address> = details.iter().map(|d| d.signer).collect();
        let good = answer(details.clone());
        assert!(matches!(decode_get_signer(&good[..good.len() - 1], &asked), Err(SignersError::Decode { .. })));
        assert!(matches!(decode_get_signer(&good, &asked[..1]), Err(SignersError::TooLarge { .. }) | Err(SignersError::SignerCount { .. })));
        let swapped = [asked[1], asked[0]];
        assert!(matches!(decode_get_signer(&good, &swapped), Err(SignersError::SignerMismatch { index: 0, .. })));
        for socket in ["", "a b:1", "ünï:1"] {
            let bad = answer(vec![detail(0, socket), detail(1, "x:1")]);
            assert!(matches!(decode_get_signer(&bad, &asked), Err(SignersError::Socket { .. })), "{socket:?}");
        }
        // The longest socket accepted, and one byte more.
        let widest = answer(vec![detail(0, &"a".repeat(MAX_SOCKET_BYTES)), detail(1, &"b".repeat(MAX_SOCKET_BYTES))]);
        assert_eq!(decode_get_signer(&widest, &asked).unwrap()[1].socket.len(), MAX_SOCKET_BYTES);
        let long = answer(vec![detail(0, &"a".repeat(MAX_SOCKET_BYTES + 1)), detail(1, "x:1")]);
        assert!(matches!(decode_get_signer(&long, &asked), Err(SignersError::TooLarge { .. }) | Err(SignersError::Socket { .. })));
        let mut off_curve = details.clone();
        off_curve[0].pkG1.Y += U256::from(1);
        assert!(matches!(decode_get_signer(&answer(off_curve), &asked), Err(SignersError::Key { .. })));
        // An array length claiming 2^60 entries.
        let mut huge = good.clone();
        huge[32..64].copy_from_slice(&U256::from(1u64 << 60).to_be_bytes::<32>());
        assert!(decode_get_signer(&huge, &asked).is_err());
        // getQuorum: exactly 3072 non-zero rows.
        let rows: Vec<Address> = (0..QUORUM_ROWS).map(|i| Address::with_last_byte((i % 5) as u8 + 1)).collect();
        let encoded = rows.abi_encode();
        assert_eq!(decode_get_quorum(&encoded).unwrap(), rows);
        assert!(matches!(decode_get_quorum(&rows[..100].to_vec().abi_encode()), Err(SignersError::QuorumSize { .. })));
        let mut zero = rows.clone();
        zero[7] = Address::ZERO;
        assert_eq!(decode_get_quorum(&zero.abi_encode()), Err(SignersError::ZeroSigner { row: 7 }));
        let mut too_many = rows.clone();
        too_many.push(rows[0]);
        assert!(matches!(decode_get_quorum(&too_many.abi_encode()), Err(SignersError::TooLarge { .. })));
        assert!(matches!(decode_epoch_number(&U256::MAX.abi_encode()), Err(SignersError::Range { .. })));
        assert_eq!(decode_epoch_number(&U256::from(9).abi_encode()), Ok(9));
        assert!(matches!(decode_quorum_count(&[0u8; 31]), Err(SignersError::Decode { .. })));
        // A quorum view needs a registration for each distinct signer, in first-row order.
        let order = distinct_signers(&rows);
        assert_eq!(order.len(), 5);
        let regs: Vec<RegisteredSigner> = order.iter().map(|&a| RegisteredSigner { address: a, socket: "h:1".into(), pk_g1: [0; 64], pk_g2: [0; 128] }).collect();
        let view = QuorumView::new(3, 0, &rows, regs.clone()).unwrap();
        assert_eq!(&view.slots[..6], &[0, 1, 2, 3, 4, 0]);
        assert!(QuorumView::new(3, 0, &rows, regs[..4].to_vec()).is_err());
    }
}
