//! Signed alignment reports: a round's verdicts as EIP-712 typed data that the license owner signs
//! with their wallet, and the checks every receiver makes before it believes one.
//!
//! Types, domain and rules are written down in docs/reports.md. Hashing and ABI encoding come from
//! alloy (`sol!` structs), recovery from k256 through alloy; this module only adds the JSON forms a
//! wallet and a page exchange, and the rules (low s, owner, chain, replay).

mod draft;
mod evidence;
mod json;
mod ledger;
mod round_log;
mod signature;
mod typed;

pub use draft::{report_from_round, report_from_verdicts, LicenseRef};
pub use round_log::{RoundLog, RoundLogError, RoundLogFootprint, RoundState, MAX_LOG_BYTES, ROUNDS_KEPT};
pub use evidence::{evidence_hash, EvidenceError};
pub use json::{DomainJson, ReportJson, SignedReportJson, VerdictJson};
pub use ledger::{Accepted, LicenseRecord, LicenseRegistry, Rejection, ReportLedger};
pub use signature::{recover_signer, SignatureError};
pub use typed::{
    AlignmentReport, NodeVerdict, ReportDomain, ReportError, SignedReport, DOMAIN_NAME, DOMAIN_VERSION, PRIMARY_TYPE,
};
