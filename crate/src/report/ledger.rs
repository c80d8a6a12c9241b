//! `ReportLedger`: the receiver's rules for signed reports, sans-IO. The devnet keeps one behind
//! both its HTTP and libp2p doors; `zg-align-devnet verify report` runs the same checks on a file.
//!
//! Order of checks: shape, domain, chain, signature, signer = claimed owner, signer owns the
//! license, operator is the license's operator, round not yet stored. The replay check comes last
//! so a forged copy of a stored report is refused for its signature, not its round.

use super::json::SignedReportJson;
use super::typed::{ReportDomain, SignedReport};
use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the ledger needs to know about a license: who owns it and whom it is delegated to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseRecord {
    pub owner: Address,
    /// `None` when the license is not delegated (the owner runs it).
    pub operator: Option<Address>,
}

/// The license state a ledger checks against (the devnet's contract state, or a chain view).
pub trait LicenseRegistry {
    fn license(&self, token_id: U256) -> Option<LicenseRecord>;
}

/// Why a signed report was refused. The page shows the message; `kind` is stable for code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Rejection {
    #[error("malformed report: {message}")]
    Malformed { message: String },
    #[error("wrong domain: verifying contract {got}, this network's license contract is {expected}")]
    WrongDomain { expected: String, got: String },
    #[error("wrong chain: signed for chain {got}, this network is chain {expected}")]
    #[serde(rename_all = "camelCase")]
    WrongChain { expected: u64, got: String },
    #[error("bad signature: {message}")]
    BadSignature { message: String },
    #[error("wrong signer: signed by {signer}, but the report names {owner} as owner")]
    WrongSigner { signer: String, owner: String },
    #[error("license {token_id} is not owned by {signer}{}", owner.as_ref().map(|o| format!(" (owner: {o})")).unwrap_or_else(|| " (no such license)".into()))]
    #[serde(rename_all = "camelCase")]
    LicenseNotOwned { token_id: String, signer: String, owner: Option<String> },
    #[error("wrong operator: the report names {claimed}, license {token_id} is delegated to {actual}")]
    #[serde(rename_all = "camelCase")]
    WrongOperator { token_id: String, claimed: String, actual: String },
    #[error("replayed round: license {token_id} already has a report for round {round} (digest {stored_digest})")]
    #[serde(rename_all = "camelCase")]
    ReplayedRound {
        token_id: String,
        round: u64,
        /// The digest of the report stored for that round: the same as the sender's when its own
        /// report got there before the answer was lost, another when a different one did.
        #[serde(default)]
        stored_digest: String,
    },
}

/// A stored report and who signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    pub signer: String,
    pub license_token_id: String,
    pub round: u64,
    /// The EIP-712 digest that was signed, 0x-hex.
    pub digest: String,
    pub report: SignedReportJson,
}

/// Signed reports accepted so far, one per (license, round).
#[derive(Debug, Clone)]
pub struct ReportLedger {
    domain: ReportDomain,
    stored: BTreeMap<(U256, u64), Accepted>,
}

impl ReportLedger {
    /// A ledger for one network: its chain id and its license contract (the verifying contract).
    pub fn new(domain: ReportDomain) -> Self {
        ReportLedger { domain, stored: BTreeMap::new() }
    }

    pub fn domain(&self) -> ReportDomain {
        self.domain
    }

    /// Every check but the replay one; returns the parsed report and its signer.
    pub fn check(&self, json: &SignedReportJson, licenses: &impl LicenseRegistry) -> Result<(SignedReport, Address), Rejection> {
        let signed = json.parse().map_err(|e| Rejection::Malformed { message: e.to_string() })?;
        let (domain, report) = (&signed.domain, &signed.report);
        if domain.chain_id != self.domain.chain_id {
            return Err(Rejection::WrongChain { expected: self.domain.chain_id, got: domain.chain_id.to_string() });
        }
        if report.chainId != U256::from(self.domain.chain_id) {
            return Err(Rejection::WrongChain { expected: self.domain.chain_id, got: report.chainId.to_string() });
        }
        if domain.verifying_contract != self.domain.verifying_contract {
            return Err(Rejection::WrongDomain {
                expected: self.domain.verifying_contract.to_checksum(None),
                got: domain.verifying_contract.to_checksum(None),
            });
        }
        let signer = signed.require_signed_by_owner()?;
        let token_id = report.licenseTokenId;
        let license = licenses.license(token_id);
        match license {
            Some(l) if l.owner == signer => {}
            _ => {
                return Err(Rejection::LicenseNotOwned {
                    token_id: token_id.to_string(),
                    signer: signer.to_checksum(None),
                    owner: license.map(|l| l.owner.to_checksum(None)),
                })
            }
        }
        let actual = license.and_then(|l| l.operator).unwrap_or(Address::ZERO);
        if report.operator != actual {
            return Err(Rejection::WrongOperator {
                token_id: token_id.to_string(),
                claimed: report.operator.to_checksum(None),
                actual: actual.to_checksum(None),
            });
        }
        Ok((signed, signer))
    }

    /// Checks and stores a report, or says why not.
    pub fn submit(&mut self, json: &SignedReportJson, licenses: &impl LicenseRegistry) -> Result<Accepted, Rejection> {
        let (signed, signer) = self.check(json, licenses)?;
        let key = (signed.report.licenseTokenId, signed.report.round);
        if let Some(stored) = self.stored.get(&key) {
            return Err(Rejection::ReplayedRound { token_id: key.0.to_string(), round: key.1, stored_digest: stored.digest.clone() });
        }
        let accepted = Accepted {
            signer: signer.to_checksum(None),
            license_token_id: key.0.to_string(),
            round: key.1,
            digest: format!("{:#x}", signed.digest()),
            report: SignedReportJson::from(&signed),
        };
        self.stored.insert(key, accepted.clone());
        Ok(accepted)
    }

    /// Stored reports, by license then round.
    pub fn reports(&self) -> impl Iterator<Item = &Accepted> {
        self.stored.values()
    }

    pub fn digest_of(&self, token_id: U256, round: u64) -> Option<B256> {
        self.stored.get(&(token_id, round)).and_then(|a| a.digest.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::super::typed::{AlignmentReport, NodeVerdict};
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use k256::ecdsa::SigningKey;
    use std::collections::HashMap;

    struct Licenses(HashMap<U256, LicenseRecord>);

    impl LicenseRegistry for Licenses {
        fn license(&self, token_id: U256) -> Option<LicenseRecord> {
            self.0.get(&token_id).copied()
        }
    }

    fn key(seed: &[u8]) -> SigningKey {
        SigningKey::from_slice(&crate::hash::keccak256(seed).0).unwrap()
    }

    const CONTRACT: Address = Address::repeat_byte(0x11);
    const DOMAIN: ReportDomain = ReportDomain { chain_id: 31337, verifying_contract: CONTRACT };

    fn setup() -> (ReportLedger, Licenses, SigningKey, SigningKey, Address) {
        let (alice, bob) = (key(b"alice"), key(b"bob"));
        let operator = Address::repeat_byte(0x42);
        let mut map = HashMap::new();
        map.insert(U256::from(1), LicenseRecord { owner: Address::from_private_key(&alice), operator: None });
        map.insert(U256::from(2), LicenseRecord { owner: Address::from_private_key(&alice), operator: Some(operator) });
        map.insert(U256::from(3), LicenseRecord { owner: Address::from_private_key(&bob), operator: None });
        (ReportLedger::new(DOMAIN), Licenses(map), alice, bob, operator)
    }

    fn report(token: u64, owner: Address, operator: Address, round: u64) -> AlignmentReport {
        AlignmentReport {
            licenseTokenId: U256::from(token),
            owner,
            operator,
            round,
            chainId: U256::from(31337),
            verdicts: vec![NodeVerdict {
                node: "storage-2".into(),
                kind: "storage".into(),
                verdict: "misbehaving".into(),
                evidenceHash: B256::repeat_byte(9),
            }],
            nodeVersion: "0.1.0".into(),
        }
    }

    fn sign(key: &SigningKey, domain: ReportDomain, report: AlignmentReport) -> SignedReportJson {
        let digest = report.digest(&domain);
        let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
        let mut signature = [0u8; 65];
        signature[..64].copy_from_slice(&sig.to_bytes());
        signature[64] = 27 + recid.to_byte();
        SignedReportJson::from(&SignedReport { domain, report, signature })
    }

    #[test]
    fn accepts_the_owners_report_once() {
        let (mut ledger, licenses, alice, _, operator) = setup();
        let a = Address::from_private_key(&alice);
        let signed = sign(&alice, DOMAIN, report(1, a, Address::ZERO, 5));
        let accepted = ledger.submit(&signed, &licenses).unwrap();
        assert_eq!(accepted.signer, a.to_checksum(None));
        assert_eq!((accepted.license_token_id.as_str(), accepted.round), ("1", 5));
        assert!(matches!(ledger.submit(&signed, &licenses), Err(Rejection::ReplayedRound { round: 5, .. })));
        // A fresh signature over the same round is still a replay of that round.
        let again = sign(&alice, DOMAIN, AlignmentReport { nodeVersion: "0.1.1".into(), ..report(1, a, Address::ZERO, 5) });
        assert!(matches!(ledger.submit(&again, &licenses), Err(Rejection::ReplayedRound { .. })));
        // Next round, and a delegated license naming its operator.
        ledger.submit(&sign(&alice, DOMAIN, report(1, a, Address::ZERO, 6)), &licenses).unwrap();
        ledger.submit(&sign(&alice, DOMAIN, report(2, a, operator, 5)), &licenses).unwrap();
        assert_eq!(ledger.reports().count(), 3);
    }

    #[test]
    fn rejections_by_kind() {
        let (mut ledger, licenses, alice, bob, operator) = setup();
        let (a, b) = (Address::from_private_key(&alice), Address::from_private_key(&bob));

        let other_chain = ReportDomain { chain_id: 16600, ..DOMAIN };
        let r = sign(&alice, other_chain, AlignmentReport { chainId: U256::from(16600), ..report(1, a, Address::ZERO, 1) });
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::WrongChain { expected: 31337, .. })));
        let r = sign(&alice, DOMAIN, AlignmentReport { chainId: U256::from(1), ..report(1, a, Address::ZERO, 1) });
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::WrongChain { .. })));

        let other_contract = ReportDomain { verifying_contract: Address::repeat_byte(0x22), ..DOMAIN };
        let r = sign(&alice, other_contract, report(1, a, Address::ZERO, 1));
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::WrongDomain { .. })));

        // Bob signs a report naming Alice as owner.
        let r = sign(&bob, DOMAIN, report(1, a, Address::ZERO, 1));
        assert_eq!(
            ledger.submit(&r, &licenses),
            Err(Rejection::WrongSigner { signer: b.to_checksum(None), owner: a.to_checksum(None) })
        );
        // Bob signs for Alice's license as himself.
        let r = sign(&bob, DOMAIN, report(1, b, Address::ZERO, 1));
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::LicenseNotOwned { owner: Some(_), .. })));
        let r = sign(&bob, DOMAIN, report(99, b, Address::ZERO, 1));
        let e = ledger.submit(&r, &licenses).unwrap_err();
        assert!(matches!(e, Rejection::LicenseNotOwned { owner: None, .. }));
        assert!(e.to_string().contains("no such license"), "{e}");

        let r = sign(&alice, DOMAIN, report(2, a, Address::ZERO, 1));
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::WrongOperator { .. })));
        let r = sign(&alice, DOMAIN, report(1, a, operator, 1));
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::WrongOperator { .. })));

        // Tampering after signing moves the signer to some other address.
        let mut r = sign(&alice, DOMAIN, report(1, a, Address::ZERO, 1));
        r.report.verdicts[0].verdict = "healthy".into();
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::WrongSigner { .. })));

        let mut r = sign(&alice, DOMAIN, report(1, a, Address::ZERO, 1));
        r.signature.truncate(130);
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::Malformed { .. })));
        let mut r = sign(&alice, DOMAIN, report(1, a, Address::ZERO, 1));
        r.signature.replace_range(130.., "1d");
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::BadSignature { .. })));
        let mut r = sign(&alice, DOMAIN, report(1, a, Address::ZERO, 1));
        r.domain.name = "other".into();
        assert!(matches!(ledger.submit(&r, &licenses), Err(Rejection::Malformed { .. })));

        assert_eq!(ledger.reports().count(), 0);
    }

    #[test]
    fn rejections_serialise_with_a_kind() {
        let r = Rejection::ReplayedRound { token_id: "1".into(), round: 3, stored_digest: "0x01".into() };
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "replayedRound", "tokenId": "1", "round": 3, "storedDigest": "0x01"}));
        assert_eq!(serde_json::from_value::<Rejection>(json).unwrap(), r);
    }
}
