//! Signed alignment reports on the devnet: one ledger behind `POST /reports`, `GET /reports` and
//! the libp2p `publishReport` request, checked against the devnet's license state.

use crate::licenses::{LicenseState, LICENSE_CONTRACT};
use crate::storage_node::DEVNET_CHAIN_ID;
use std::sync::Mutex;
use zg_align::report::{Accepted, Rejection, ReportDomain, ReportLedger, SignedReportJson};

/// The reports' EIP-712 domain on the devnet: its chain and its license contract.
pub const DEVNET_REPORT_DOMAIN: ReportDomain = ReportDomain { chain_id: DEVNET_CHAIN_ID, verifying_contract: LICENSE_CONTRACT };

#[derive(Debug)]
pub struct Reports {
    pub licenses: LicenseState,
    ledger: Mutex<ReportLedger>,
}

impl Default for Reports {
    fn default() -> Self {
        Reports::new(LicenseState::default())
    }
}

impl Reports {
    pub fn new(licenses: LicenseState) -> Self {
        Reports { licenses, ledger: Mutex::new(ReportLedger::new(DEVNET_REPORT_DOMAIN)) }
    }

    pub fn submit(&self, report: &SignedReportJson) -> Result<Accepted, Rejection> {
        self.ledger.lock().expect("ledger lock").submit(report, &self.licenses)
    }

    /// Every check the ledger makes except the replay one (for `verify report`).
    pub fn check(&self, report: &SignedReportJson) -> Result<String, Rejection> {
        let ledger = self.ledger.lock().expect("ledger lock");
        ledger.check(report, &self.licenses).map(|(_, signer)| signer.to_checksum(None))
    }

    pub fn stored(&self) -> Vec<Accepted> {
        self.ledger.lock().expect("ledger lock").reports().cloned().collect()
    }
}
