//! The JSON forms of reports: what the page builds, the wallet signs, and peers send. Integers of
//! the message are decimal strings, addresses 0x-hex (mixed case must be a valid EIP-55 checksum),
//! hashes and signatures 0x-hex. Parsing is strict: unknown fields, bad digits and bad lengths are
//! typed errors.

use super::typed::{AlignmentReport, NodeVerdict, ReportDomain, ReportError, SignedReport, DOMAIN_NAME, DOMAIN_VERSION};
use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};

/// The domain as `eth_signTypedData_v4` takes it (chain id as a JSON number, as wallets compare it
/// with the connected chain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DomainJson {
    pub name: String,
    pub version: String,
    pub chain_id: u64,
    pub verifying_contract: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerdictJson {
    pub node: String,
    pub kind: String,
    pub verdict: String,
    pub evidence_hash: String,
}

/// The message of the typed data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportJson {
    pub license_token_id: String,
    pub owner: String,
    pub operator: String,
    pub round: String,
    pub chain_id: String,
    pub verdicts: Vec<VerdictJson>,
    pub node_version: String,
}

/// A signed report as it travels (HTTP, libp2p, files): `{domain, report, signature}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedReportJson {
    pub domain: DomainJson,
    pub report: ReportJson,
    /// 65 bytes `r || s || v` as 0x-hex, as `eth_signTypedData_v4` returns it.
    pub signature: String,
}

impl From<&ReportDomain> for DomainJson {
    fn from(d: &ReportDomain) -> Self {
        DomainJson {
            name: DOMAIN_NAME.into(),
            version: DOMAIN_VERSION.into(),
            chain_id: d.chain_id,
            verifying_contract: d.verifying_contract.to_checksum(None),
        }
    }
}

impl From<&AlignmentReport> for ReportJson {
    fn from(r: &AlignmentReport) -> Self {
        ReportJson {
            license_token_id: r.licenseTokenId.to_string(),
            owner: r.owner.to_checksum(None),
            operator: r.operator.to_checksum(None),
            round: r.round.to_string(),
            chain_id: r.chainId.to_string(),
            verdicts: r
                .verdicts
                .iter()
                .map(|v| VerdictJson {
                    node: v.node.clone(),
                    kind: v.kind.clone(),
                    verdict: v.verdict.clone(),
                    evidence_hash: format!("{:#x}", v.evidenceHash),
                })
                .collect(),
            node_version: r.nodeVersion.clone(),
        }
    }
}

impl From<&SignedReport> for SignedReportJson {
    fn from(s: &SignedReport) -> Self {
        SignedReportJson {
            domain: DomainJson::from(&s.domain),
            report: ReportJson::from(&s.report),
            signature: format!("0x{}", hex::encode(s.signature)),
        }
    }
}

impl DomainJson {
    /// The domain, if its name and version are ours. (Whether its chain and contract are the
    /// expected ones is the receiver's question.)
    pub fn parse(&self) -> Result<ReportDomain, ReportError> {
        if self.name != DOMAIN_NAME {
            return Err(ReportError::field("domain.name", format!("{:?}, expected {DOMAIN_NAME:?}", self.name)));
        }
        if self.version != DOMAIN_VERSION {
            return Err(ReportError::field("domain.version", format!("{:?}, expected {DOMAIN_VERSION:?}", self.version)));
        }
        Ok(ReportDomain {
            chain_id: self.chain_id,
            verifying_contract: parse_address("domain.verifyingContract", &self.verifying_contract)?,
        })
    }
}

impl ReportJson {
    pub fn parse(&self) -> Result<AlignmentReport, ReportError> {
        let round = parse_uint("report.round", &self.round)?;
        let round = u64::try_from(round).map_err(|_| ReportError::field("report.round", "over 2^64 - 1"))?;
        let verdicts = self
            .verdicts
            .iter()
            .enumerate()
            .map(|(i, v)| {
                Ok(NodeVerdict {
                    node: v.node.clone(),
                    kind: v.kind.clone(),
                    verdict: v.verdict.clone(),
                    evidenceHash: parse_b256(&format!("report.verdicts[{i}].evidenceHash"), &v.evidence_hash)?,
                })
            })
            .collect::<Result<_, ReportError>>()?;
        Ok(AlignmentReport {
            licenseTokenId: parse_uint("report.licenseTokenId", &self.license_token_id)?,
            owner: parse_address("report.owner", &self.owner)?,
            operator: parse_address("report.operator", &self.operator)?,
            round,
            chainId: parse_uint("report.chainId", &self.chain_id)?,
            verdicts,
            nodeVersion: self.node_version.clone(),
        })
    }
}

impl SignedReportJson {
    pub fn parse(&self) -> Result<SignedReport, ReportError> {
        let bytes = parse_hex("signature", &self.signature)?;
        let signature: [u8; 65] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| ReportError::field("signature", format!("{} bytes, expected 65", b.len())))?;
        Ok(SignedReport { domain: self.domain.parse()?, report: self.report.parse()?, signature })
    }

    pub fn from_json(text: &str) -> Result<Self, ReportError> {
        serde_json::from_str(text).map_err(|e| ReportError::Json(e.to_string()))
    }
}

/// A decimal string without sign, spaces or leading zeros (one spelling per number).
pub(crate) fn parse_uint(field: &str, s: &str) -> Result<U256, ReportError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0')) {
        return Err(ReportError::field(field, format!("{s:?} is not a decimal integer")));
    }
    U256::from_str_radix(s, 10).map_err(|_| ReportError::field(field, "over 2^256 - 1"))
}

fn strip_0x<'a>(field: &str, s: &'a str) -> Result<&'a str, ReportError> {
    s.strip_prefix("0x").ok_or_else(|| ReportError::field(field, format!("{s:?} does not start with 0x")))
}

fn parse_hex(field: &str, s: &str) -> Result<Vec<u8>, ReportError> {
    hex::decode(strip_0x(field, s)?).map_err(|e| ReportError::field(field, format!("not hex: {e}")))
}

fn parse_b256(field: &str, s: &str) -> Result<B256, ReportError> {
    let bytes = parse_hex(field, s)?;
    if bytes.len() != 32 {
        return Err(ReportError::field(field, format!("{} bytes, expected 32", bytes.len())));
    }
    Ok(B256::from_slice(&bytes))
}

/// 0x and 40 hex digits; all-lower or all-upper as is, mixed case only with a valid EIP-55 checksum.
pub(crate) fn parse_address(field: &str, s: &str) -> Result<Address, ReportError> {
    let digits = strip_0x(field, s)?;
    if digits.len() != 40 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ReportError::field(field, format!("{s:?} is not 0x and 40 hex digits")));
    }
    let mixed = digits.bytes().any(|b| b.is_ascii_lowercase()) && digits.bytes().any(|b| b.is_ascii_uppercase());
    if mixed {
        Address::parse_checksummed(s, None).map_err(|_| ReportError::field(field, format!("{s} has a wrong EIP-55 checksum")))
    } else {
        s.parse().map_err(|_| ReportError::field(field, format!("{s:?} is not an address")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn uints_have_one_spelling() {
        assert_eq!(parse_uint("x", "0").unwrap(), U256::ZERO);
        assert_eq!(parse_uint("x", "31337").unwrap(), U256::from(31337));
        for bad in ["", "01", "-1", "0x10", " 1", "1.0", "1e3"] {
            assert!(parse_uint("x", bad).is_err(), "{bad:?}");
        }
        let max = U256::MAX.to_string();
        assert_eq!(parse_uint("x", &max).unwrap(), U256::MAX);
        assert!(parse_uint("x", &format!("{max}0")).is_err());
    }

    #[test]
    fn addresses_check_their_checksum() {
        let good = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
        let a = parse_address("x", good).unwrap();
        assert_eq!(parse_address("x", &good.to_lowercase()).unwrap(), a);
        assert_eq!(parse_address("x", &format!("0x{}", good[2..].to_uppercase())).unwrap(), a);
        assert!(parse_address("x", "0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266").is_err());
        assert!(parse_address("x", "f39fd6e51aad88f6f4ce6ab8827279cfffb92266").is_err());
        assert!(parse_address("x", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb922").is_err());
    }
}
