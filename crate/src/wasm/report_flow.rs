//! From a finished round to a signed report, in the worker: the worker keeps each recent round's
//! verdicts (whatever their kind), builds the AlignmentReport for the license the tab names,
//! computes its typed data itself, asks the owner's wallet to sign (through the tab), and checks
//! that the signature recovers to the owner before handing the signed report back. The tab then
//! stores it (IndexedDB) before it asks the worker to publish it (`publishReport`): a reload in
//! between loses nothing.
//!
//! Worker method `reportRound` `{round, license: {tokenId, owner, operator}, chainId,
//! verifyingContract}` answers `{report: {domain, report, signature}, digest}` or an error with
//! `reason` ([`ReportFlowError::reason`]).

use super::node::NodeEvent;
use super::signing::{self, SignError};
use crate::report::{
    report_from_verdicts, LicenseRef, Rejection, ReportDomain, ReportError, RoundLog, RoundLogError, RoundLogFootprint, SignedReport, SignedReportJson,
};
use serde::Deserialize;
use std::cell::RefCell;

thread_local! {
    static ROUNDS: RefCell<RoundLog> = RefCell::new(RoundLog::default());
}

/// Why a round gave no signed report. Everything here stays in the tab: nothing is published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportFlowError {
    #[error(transparent)]
    Round(#[from] RoundLogError),
    #[error("not a report request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The wallet's signature does not recover to the license's owner (or not at all).
    #[error("not published: {0}")]
    NotOwner(Rejection),
}

impl ReportFlowError {
    /// A short name the tab shows and acts on; the wallet's reasons (`refused`, ...) pass through.
    pub fn reason(&self) -> &'static str {
        match self {
            ReportFlowError::Round(RoundLogError::UnknownRound(_)) => "unknownRound",
            ReportFlowError::Round(RoundLogError::NotFinished(_)) => "roundNotFinished",
            ReportFlowError::Round(RoundLogError::Empty(_)) => "emptyRound",
            ReportFlowError::Round(RoundLogError::TooLarge { .. }) => "roundTooLarge",
            ReportFlowError::Round(RoundLogError::Verdict(_)) | ReportFlowError::BadRequest(_) | ReportFlowError::Report(_) => "badRequest",
            ReportFlowError::Sign(e) => e.reason(),
            ReportFlowError::NotOwner(Rejection::WrongSigner { .. }) => "wrongSigner",
            ReportFlowError::NotOwner(_) => "badSignature",
        }
    }
}

/// Keeps what a report needs from the node's events (called for every event the node emits,
/// with its JSON text: a verdict's evidence is the verdict as the tab receives it).
pub fn observe(event: &NodeEvent, text: Result<&str, &str>) {
    ROUNDS.with_borrow_mut(|rounds| match event {
        NodeEvent::Round { round, state: "started", .. } => rounds.started(*round),
        NodeEvent::Round { round, state, .. } => rounds.ended(*round, *state == "finished"),
        NodeEvent::Verdict { round, node, kind, .. } => {
            let verdict = text.map_err(str::to_owned).and_then(|text| serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string()));
            rounds.verdict(*round, node, kind, verdict.map(|mut event| event["verdict"].take()))
        }
        NodeEvent::Connection(_) | NodeEvent::Files { .. } | NodeEvent::Problem { .. } | NodeEvent::Relay(_) => {}
    });
}

/// Rounds kept for reports, their verdicts and the bytes those hold.
pub fn footprint() -> RoundLogFootprint {
    ROUNDS.with_borrow(RoundLog::footprint)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LicenseParams {
    token_id: String,
    owner: String,
    #[serde(default)]
    operator: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportRoundParams {
    round: u64,
    license: LicenseParams,
    chain_id: u64,
    verifying_contract: String,
}

/// A signed report, checked to be signed by its owner, and its EIP-712 digest.
pub struct Signed {
    pub report: SignedReportJson,
    pub digest: String,
}

/// Builds, signs (through the tab and the wallet) and checks the report of `params.round`.
pub async fn report_round(params: ReportRoundParams) -> Result<Signed, ReportFlowError> {
    let license = LicenseRef::parse(&params.license.token_id, &params.license.owner, params.license.operator.as_deref())?;
    let verifying_contract = params
        .verifying_contract
        .parse()
        .map_err(|_| ReportFlowError::BadRequest(format!("verifyingContract {:?} is not an address", params.verifying_contract)))?;
    let domain = ReportDomain { chain_id: params.chain_id, verifying_contract };
    let round = params.round;
    let verdicts = ROUNDS.with_borrow(|rounds| rounds.verdicts(round).map(<[_]>::to_vec))?;
    let report = report_from_verdicts(&license, round, params.chain_id, verdicts, env!("CARGO_PKG_VERSION"));
    let typed = report.typed_data_json(&domain).to_string();
    let owner = license.owner.to_checksum(None);
    let signature = signing::request_signature(&typed, &owner).await?;
    let bytes = hex::decode(&signature[2..]).map_err(|e| SignError::BadAnswer(e.to_string()))?;
    let signature: [u8; 65] = bytes.try_into().map_err(|_| SignError::BadAnswer("not 65 bytes".into()))?;
    let signed = SignedReport { domain, report, signature };
    signed.require_signed_by_owner().map_err(ReportFlowError::NotOwner)?;
    Ok(Signed { report: SignedReportJson::from(&signed), digest: format!("{:#x}", signed.digest()) })
}
