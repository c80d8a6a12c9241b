//! `verify report FILE.json` and `report typed-data DRAFT.json`: a signed report checked as the
//! devnet checks it, and the typed data a wallet signs for a draft report.

use clap::Subcommand;
use std::path::{Path, PathBuf};
use zg_align::report::{Rejection, ReportDomain, ReportJson, SignedReportJson};
use zg_align_devnet::reports::{Reports, DEVNET_REPORT_DOMAIN};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Print the `eth_signTypedData_v4` JSON for DRAFT.json (the report's message: licenseTokenId,
    /// owner, operator, round, chainId, verdicts, nodeVersion). The domain takes the report's chain
    /// id and the devnet's license contract unless --verifying-contract names another.
    TypedData {
        #[arg(value_name = "DRAFT.json")]
        draft: PathBuf,
        #[arg(long, value_name = "ADDRESS")]
        verifying_contract: Option<String>,
    },
}

/// The line to print and the exit code: 0 and the signer, 1 and the reason, 2 and why the file is
/// no report.
pub fn verify_file(file: &Path) -> (String, i32) {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return (format!("malformed: {}: {e}", file.display()), 2),
    };
    let report = match SignedReportJson::from_json(&text) {
        Ok(r) => r,
        Err(e) => return (format!("malformed: {e}"), 2),
    };
    match Reports::default().check(&report) {
        Ok(signer) => (signer, 0),
        Err(reason @ Rejection::Malformed { .. }) => (format!("malformed: {reason}"), 2),
        Err(reason) => (format!("invalid: {reason}"), 1),
    }
}

pub fn run(command: ReportCommand) -> Result<(), String> {
    match command {
        ReportCommand::TypedData { draft, verifying_contract } => {
            let text = std::fs::read_to_string(&draft).map_err(|e| format!("{}: {e}", draft.display()))?;
            let json: ReportJson = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", draft.display()))?;
            let report = json.parse().map_err(|e| format!("{}: {e}", draft.display()))?;
            let chain_id = u64::try_from(report.chainId).map_err(|_| "chainId is over 2^64 - 1".to_string())?;
            let verifying_contract = match verifying_contract {
                Some(a) => a.parse().map_err(|_| format!("--verifying-contract {a:?} is not an address"))?,
                None => DEVNET_REPORT_DOMAIN.verifying_contract,
            };
            let typed = report.typed_data_json(&ReportDomain { chain_id, verifying_contract });
            println!("{}", serde_json::to_string_pretty(&typed).expect("JSON values serialise"));
            Ok(())
        }
    }
}
