//! The EIP-712 types of an alignment report, its domain, its digest and the typed-data JSON a
//! wallet signs (`eth_signTypedData_v4`).

use crate::hash::Hash32;
use crate::storage::StorageVerdict;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, Eip712Domain, SolStruct};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

pub const DOMAIN_NAME: &str = "zg-align";
pub const DOMAIN_VERSION: &str = "1";
pub const PRIMARY_TYPE: &str = "AlignmentReport";

sol! {
    /// One node's verdict in a round and the hash of the evidence behind it.
    #[derive(Debug, PartialEq, Eq)]
    struct NodeVerdict {
        string node;
        string kind;
        string verdict;
        bytes32 evidenceHash;
    }

    /// A round's verdicts, signed by the owner of the license the light node runs for.
    #[derive(Debug, PartialEq, Eq)]
    struct AlignmentReport {
        uint256 licenseTokenId;
        address owner;
        address operator;
        uint64 round;
        uint256 chainId;
        NodeVerdict[] verdicts;
        string nodeVersion;
    }
}

/// Why a report or its JSON form is not usable. Everything here is malformed input, not a verdict
/// on the signer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{field}: {message}")]
    Field { field: String, message: String },
    #[error("report is not valid JSON: {0}")]
    Json(String),
    #[error("evidence of {node}: {message}")]
    Evidence { node: String, message: String },
}

impl ReportError {
    pub(crate) fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ReportError::Field { field: field.into(), message: message.into() }
    }
}

/// The EIP-712 domain of reports: name and version are fixed, the chain id and the license contract
/// (the verifying contract) bind a signature to one network and one license collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportDomain {
    pub chain_id: u64,
    pub verifying_contract: Address,
}

impl ReportDomain {
    pub fn eip712(&self) -> Eip712Domain {
        Eip712Domain::new(
            Some(Cow::Borrowed(DOMAIN_NAME)),
            Some(Cow::Borrowed(DOMAIN_VERSION)),
            Some(U256::from(self.chain_id)),
            Some(self.verifying_contract),
            None,
        )
    }

    pub fn separator(&self) -> B256 {
        self.eip712().separator()
    }
}

impl NodeVerdict {
    /// A storage node's verdict; its evidence is the verdict as the core serialises it.
    pub fn from_storage(node: &str, verdict: &StorageVerdict) -> Result<Self, ReportError> {
        let hash = super::evidence_hash(verdict)
            .map_err(|e| ReportError::Evidence { node: node.into(), message: e.to_string() })?;
        Ok(NodeVerdict {
            node: node.into(),
            kind: "storage".into(),
            verdict: verdict.name().into(),
            evidenceHash: B256::from(hash.0),
        })
    }

    pub fn evidence(&self) -> Hash32 {
        Hash32(self.evidenceHash.0)
    }
}

impl AlignmentReport {
    /// The EIP-712 digest the wallet signs: keccak256(0x1901 || domainSeparator || hashStruct).
    pub fn digest(&self, domain: &ReportDomain) -> B256 {
        self.eip712_signing_hash(&domain.eip712())
    }

    /// The `eth_signTypedData_v4` argument: types (with `EIP712Domain`), primaryType, domain and
    /// message. Integers of the message are decimal strings, so no JSON reader rounds them.
    pub fn typed_data_json(&self, domain: &ReportDomain) -> Value {
        let mut types = Map::new();
        types.insert(
            "EIP712Domain".into(),
            json!([
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ]),
        );
        for (name, fields) in parse_encode_type(&Self::eip712_encode_type()) {
            let fields: Vec<Value> = fields.into_iter().map(|(ty, n)| json!({"name": n, "type": ty})).collect();
            types.insert(name, Value::Array(fields));
        }
        json!({
            "types": types,
            "primaryType": PRIMARY_TYPE,
            "domain": super::json::DomainJson::from(domain),
            "message": super::json::ReportJson::from(self),
        })
    }
}

/// Splits an EIP-712 `encodeType` string (`A(uint256 x,B[] y)B(string z)`) into structs and their
/// `(type, name)` fields. The string comes from alloy's `sol!` output, so the JSON types can never
/// drift from the hashed ones.
fn parse_encode_type(encoded: &str) -> Vec<(String, Vec<(String, String)>)> {
    encoded
        .split_terminator(')')
        .filter_map(|part| {
            let (name, fields) = part.split_once('(')?;
            let fields = fields
                .split(',')
                .filter(|f| !f.is_empty())
                .filter_map(|f| f.split_once(' ').map(|(ty, n)| (ty.to_string(), n.to_string())))
                .collect();
            Some((name.to_string(), fields))
        })
        .collect()
}

/// A report with the domain it was signed under and its 65-byte signature, parsed and checked for
/// shape (not yet for who signed it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedReport {
    pub domain: ReportDomain,
    pub report: AlignmentReport,
    pub signature: [u8; 65],
}

impl SignedReport {
    pub fn digest(&self) -> B256 {
        self.report.digest(&self.domain)
    }

    /// The address whose key made the signature (low s, v in {0, 1, 27, 28}).
    pub fn signer(&self) -> Result<Address, super::SignatureError> {
        super::recover_signer(&self.digest(), &self.signature)
    }

    /// What a light node does before publishing: the wallet's signature must be the owner's.
    pub fn require_signed_by_owner(&self) -> Result<Address, super::Rejection> {
        let signer = self.signer().map_err(|e| super::Rejection::BadSignature { message: e.to_string() })?;
        if signer != self.report.owner {
            return Err(super::Rejection::WrongSigner {
                signer: signer.to_checksum(None),
                owner: self.report.owner.to_checksum(None),
            });
        }
        Ok(signer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    sol! {
        struct Person {
            string name;
            address wallet;
        }
        struct Mail {
            Person from;
            Person to;
            string contents;
        }
    }

    /// The EIP-712 specification's own example, as ethers, viem and eth-sig-util compute it.
    #[test]
    fn ether_mail_digest() {
        let domain = Eip712Domain::new(
            Some("Ether Mail".into()),
            Some("1".into()),
            Some(U256::from(1)),
            Some("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC".parse().unwrap()),
            None,
        );
        let mail = Mail {
            from: Person { name: "Cow".into(), wallet: "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826".parse().unwrap() },
            to: Person { name: "Bob".into(), wallet: "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB".parse().unwrap() },
            contents: "Hello, Bob!".into(),
        };
        assert_eq!(
            hex::encode(mail.eip712_signing_hash(&domain)),
            "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
        );
    }

    #[test]
    fn encode_type_and_json_types_agree() {
        assert_eq!(
            AlignmentReport::eip712_encode_type(),
            "AlignmentReport(uint256 licenseTokenId,address owner,address operator,uint64 round,uint256 chainId,NodeVerdict[] verdicts,string nodeVersion)NodeVerdict(string node,string kind,string verdict,bytes32 evidenceHash)"
        );
        let report = AlignmentReport {
            licenseTokenId: U256::from(7),
            owner: Address::ZERO,
            operator: Address::ZERO,
            round: 1,
            chainId: U256::from(31337),
            verdicts: vec![],
            nodeVersion: "0.1.0".into(),
        };
        let typed = report.typed_data_json(&ReportDomain { chain_id: 31337, verifying_contract: Address::ZERO });
        assert_eq!(typed["primaryType"], "AlignmentReport");
        assert_eq!(typed["types"]["NodeVerdict"][3], json!({"name": "evidenceHash", "type": "bytes32"}));
        assert_eq!(typed["types"]["AlignmentReport"][5], json!({"name": "verdicts", "type": "NodeVerdict[]"}));
        assert_eq!(typed["message"]["licenseTokenId"], "7");
        assert_eq!(typed["domain"]["chainId"], 31337);
    }
}
