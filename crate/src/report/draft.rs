//! A round's verdicts, of any kind, as the AlignmentReport the owner signs. Each verdict arrives as
//! the JSON the core serialises it to (the same the page shows); that JSON is its evidence, so
//! its hash is `keccak256(JCS(verdict))` and anyone holding the JSON can check it again.

use super::json::parse_address;
use super::typed::{AlignmentReport, NodeVerdict, ReportError};
use alloy_primitives::{Address, B256, U256};
use serde_json::Value;

/// The license a report is for, as read from the chain: token id, owner, operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenseRef {
    pub token_id: U256,
    pub owner: Address,
    /// `None` when the owner runs the license itself (the report then names the zero address).
    pub operator: Option<Address>,
}

impl LicenseRef {
    /// From the page's strings: decimal token id, 0x addresses (checksummed when mixed case).
    pub fn parse(token_id: &str, owner: &str, operator: Option<&str>) -> Result<Self, ReportError> {
        Ok(LicenseRef {
            token_id: super::json::parse_uint("license.tokenId", token_id)?,
            owner: parse_address("license.owner", owner)?,
            operator: operator.map(|o| parse_address("license.operator", o)).transpose()?,
        })
    }
}

impl NodeVerdict {
    /// A verdict of any kind from its JSON form: `verdict` names it, the whole object is the evidence.
    pub fn from_json(node: &str, kind: &str, verdict: &Value) -> Result<Self, ReportError> {
        let evidence = |message: String| ReportError::Evidence { node: format!("{kind}:{node}"), message };
        let name = verdict.get("verdict").and_then(Value::as_str).ok_or_else(|| evidence("no verdict name".into()))?;
        let hash = super::evidence_hash(verdict).map_err(|e| evidence(e.to_string()))?;
        Ok(NodeVerdict { node: node.into(), kind: kind.into(), verdict: name.into(), evidenceHash: B256::from(hash.0) })
    }
}

/// The report of one round for one license: verdicts sorted by kind, then node, so the same round
/// gives the same report whatever order the checks finished in.
pub fn report_from_round(
    license: &LicenseRef,
    round: u64,
    chain_id: u64,
    verdicts: &[(String, String, Value)],
    node_version: &str,
) -> Result<AlignmentReport, ReportError> {
    let verdicts = verdicts
        .iter()
        .map(|(node, kind, v)| NodeVerdict::from_json(node, kind, v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(report_from_verdicts(license, round, chain_id, verdicts, node_version))
}

/// The report of one round from verdicts already hashed (as [`super::RoundLog`] keeps them).
pub fn report_from_verdicts(license: &LicenseRef, round: u64, chain_id: u64, mut verdicts: Vec<NodeVerdict>, node_version: &str) -> AlignmentReport {
    verdicts.sort_by(|a, b| (&a.kind, &a.node).cmp(&(&b.kind, &b.node)));
    AlignmentReport {
        licenseTokenId: license.token_id,
        owner: license.owner,
        operator: license.operator.unwrap_or(Address::ZERO),
        round,
        chainId: U256::from(chain_id),
        verdicts,
        nodeVersion: node_version.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::Hash32;
    use crate::storage::{StorageVerdict, UnreachableReason};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn license() -> LicenseRef {
        LicenseRef::parse("2", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", Some("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")).unwrap()
    }

    #[test]
    fn json_verdicts_hash_as_the_storage_ones() {
        let v = StorageVerdict::Unreachable { root: Hash32([7; 32]), reason: UnreachableReason::Deadline { ms: 30 } };
        let from_json = NodeVerdict::from_json("storage-1", "storage", &serde_json::to_value(&v).unwrap()).unwrap();
        assert_eq!(from_json, NodeVerdict::from_storage("storage-1", &v).unwrap());
        assert_eq!(from_json.verdict, "unreachable");
    }

    #[test]
    fn any_kind_sorted_and_bound_to_the_license() {
        let verdicts = vec![
            ("storage-2".into(), "storage".into(), serde_json::json!({"verdict": "healthy", "samples": 3})),
            ("blob-1".into(), "da".into(), serde_json::json!({"verdict": "misbehaving", "evidence": {"x": 1}})),
            ("v-0".into(), "validator".into(), serde_json::json!({"verdict": "healthy"})),
            ("storage-0".into(), "storage".into(), serde_json::json!({"verdict": "healthy", "samples": 3})),
        ];
        let r = report_from_round(&license(), 9, 31337, &verdicts, "0.1.0").unwrap();
        let order: Vec<_> = r.verdicts.iter().map(|v| format!("{}:{}", v.kind, v.node)).collect();
        assert_eq!(order, ["da:blob-1", "storage:storage-0", "storage:storage-2", "validator:v-0"]);
        assert_eq!(r.operator, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC".parse::<Address>().unwrap());
        assert_eq!((r.round, r.chainId, r.licenseTokenId), (9, U256::from(31337), U256::from(2)));
        let mut shuffled = verdicts.clone();
        shuffled.reverse();
        assert_eq!(report_from_round(&license(), 9, 31337, &shuffled, "0.1.0").unwrap(), r);
    }

    #[test]
    fn undelegated_names_zero_and_nameless_verdicts_are_errors() {
        let own = LicenseRef { operator: None, ..license() };
        assert_eq!(report_from_round(&own, 1, 1, &[], "x").unwrap().operator, Address::ZERO);
        let bad = [("n".to_string(), "da".to_string(), serde_json::json!({"samples": 1}))];
        assert!(matches!(report_from_round(&own, 1, 1, &bad, "x"), Err(ReportError::Evidence { .. })));
        assert!(LicenseRef::parse("01", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", None).is_err());
        assert!(LicenseRef::parse("1", "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266", None).is_err());
    }
}
