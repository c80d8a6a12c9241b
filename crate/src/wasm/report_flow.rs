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
use crate::report::{report_from_round, LicenseRef, Rejection, ReportDomain, ReportError, SignedReport, SignedReportJson};
use serde::Deserialize;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Rounds kept for reports: enough for an owner who answers the wallet a few rounds late.
const ROUNDS_KEPT: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
enum RoundState {
    Running,
    Finished,
    Interrupted,
}

#[derive(Debug)]
struct RoundLog {
    state: RoundState,
    /// `(node, kind, verdict JSON)` in arrival order.
    verdicts: Vec<(String, String, Value)>,
}

thread_local! {
    static ROUNDS: RefCell<BTreeMap<u64, RoundLog>> = const { RefCell::new(BTreeMap::new()) };
}

/// Why a round gave no signed report. Everything here stays in the tab: nothing is published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportFlowError {
    #[error("round {0} is not known to this node (too old, or not run)")]
    UnknownRound(u64),
    #[error("round {0} did not finish: a report covers finished rounds only")]
    RoundNotFinished(u64),
    #[error("round {0} has no verdicts to report")]
    EmptyRound(u64),
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
            ReportFlowError::UnknownRound(_) => "unknownRound",
            ReportFlowError::RoundNotFinished(_) => "roundNotFinished",
            ReportFlowError::EmptyRound(_) => "emptyRound",
            ReportFlowError::BadRequest(_) | ReportFlowError::Report(_) => "badRequest",
            ReportFlowError::Sign(e) => e.reason(),
            ReportFlowError::NotOwner(Rejection::WrongSigner { .. }) => "wrongSigner",
            ReportFlowError::NotOwner(_) => "badSignature",
        }
    }
}

/// Keeps what a report needs from the node's events (called for every event the node emits).
pub fn observe(event: &NodeEvent) {
    ROUNDS.with_borrow_mut(|rounds| match event {
        NodeEvent::Round { round, state, .. } => {
            let state = match *state {
                "started" => RoundState::Running,
                "finished" => RoundState::Finished,
                _ => RoundState::Interrupted,
            };
            let log = rounds.entry(*round).or_insert_with(|| RoundLog { state: RoundState::Running, verdicts: Vec::new() });
            if state == RoundState::Running {
                log.verdicts.clear();
            }
            log.state = state;
            while rounds.len() > ROUNDS_KEPT {
                rounds.pop_first();
            }
        }
        NodeEvent::Verdict { round, node, kind, verdict } => {
            if let (Some(log), Ok(value)) = (rounds.get_mut(round), serde_json::to_value(verdict)) {
                log.verdicts.push((node.clone(), kind.to_string(), value));
            }
        }
        NodeEvent::Connection(_) | NodeEvent::Files { .. } | NodeEvent::Problem { .. } | NodeEvent::Relay(_) => {}
    });
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
    let verdicts = ROUNDS.with_borrow(|rounds| match rounds.get(&round) {
        None => Err(ReportFlowError::UnknownRound(round)),
        Some(log) if log.state != RoundState::Finished => Err(ReportFlowError::RoundNotFinished(round)),
        Some(log) if log.verdicts.is_empty() => Err(ReportFlowError::EmptyRound(round)),
        Some(log) => Ok(log.verdicts.clone()),
    })?;
    let report = report_from_round(&license, round, params.chain_id, &verdicts, env!("CARGO_PKG_VERSION"))?;
    let typed = report.typed_data_json(&domain).to_string();
    let owner = license.owner.to_checksum(None);
    let signature = signing::request_signature(&typed, &owner).await?;
    let bytes = hex::decode(&signature[2..]).map_err(|e| SignError::BadAnswer(e.to_string()))?;
    let signature: [u8; 65] = bytes.try_into().map_err(|_| SignError::BadAnswer("not 65 bytes".into()))?;
    let signed = SignedReport { domain, report, signature };
    signed.require_signed_by_owner().map_err(ReportFlowError::NotOwner)?;
    Ok(Signed { report: SignedReportJson::from(&signed), digest: format!("{:#x}", signed.digest()) })
}
