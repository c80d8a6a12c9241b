//! Reports, license calls and rewards, exported to JavaScript: the page builds the typed data the
//! wallet signs from these, and checks the signature before the worker publishes it.
//! Everything takes and returns JSON strings or 0x-hex; errors are `Error`s with the reason.

use crate::license;
use crate::protocol::{CheckRequest, CheckResponse, CheckSender};
use crate::report::{evidence_hash, ReportDomain, ReportJson, SignedReportJson};
use alloy_primitives::{Address, U256};
use wasm_bindgen::prelude::*;

fn domain_for(report: &crate::report::AlignmentReport, verifying_contract: &str) -> Result<ReportDomain, JsError> {
    let chain_id = u64::try_from(report.chainId).map_err(|_| JsError::new("chainId is over 2^64 - 1"))?;
    let verifying_contract: Address =
        verifying_contract.parse().map_err(|_| JsError::new("verifyingContract is not an address"))?;
    Ok(ReportDomain { chain_id, verifying_contract })
}

fn draft(draft_json: &str) -> Result<crate::report::AlignmentReport, JsError> {
    let json: ReportJson = serde_json::from_str(draft_json).map_err(|e| JsError::new(&format!("draft: {e}")))?;
    json.parse().map_err(|e| JsError::new(&e.to_string()))
}

/// The `eth_signTypedData_v4` JSON for a draft report (the message), its domain taking the draft's
/// chain id and `verifyingContract` (the license contract).
#[wasm_bindgen(js_name = reportTypedData)]
pub fn report_typed_data(draft_json: &str, verifying_contract: &str) -> Result<String, JsError> {
    let report = draft(draft_json)?;
    Ok(report.typed_data_json(&domain_for(&report, verifying_contract)?).to_string())
}

/// The EIP-712 digest of a draft report, 0x-hex.
#[wasm_bindgen(js_name = reportDigest)]
pub fn report_digest(draft_json: &str, verifying_contract: &str) -> Result<String, JsError> {
    let report = draft(draft_json)?;
    Ok(format!("{:#x}", report.digest(&domain_for(&report, verifying_contract)?)))
}

/// The signer of a signed report (`{domain, report, signature}`), required to be its owner:
/// what the light node checks before it publishes. Throws with the reason otherwise.
#[wasm_bindgen(js_name = reportSigner)]
pub fn report_signer(signed_json: &str) -> Result<String, JsError> {
    let signed = SignedReportJson::from_json(signed_json)
        .and_then(|s| s.parse())
        .map_err(|e| JsError::new(&format!("malformed report: {e}")))?;
    let signer = signed.require_signed_by_owner().map_err(|e| JsError::new(&e.to_string()))?;
    Ok(signer.to_checksum(None))
}

/// keccak256 of the RFC 8785 canonical form of `evidence_json`, 0x-hex.
#[wasm_bindgen(js_name = evidenceHash)]
pub fn evidence_hash_js(evidence_json: &str) -> Result<String, JsError> {
    let value: serde_json::Value = serde_json::from_str(evidence_json).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(evidence_hash(&value).map_err(|e| JsError::new(&e.to_string()))?.to_hex())
}

fn address(s: &str) -> Result<Address, JsError> {
    s.parse().map_err(|_| JsError::new(&format!("{s:?} is not an address")))
}

fn uint(s: &str) -> Result<U256, JsError> {
    s.parse().map_err(|_| JsError::new(&format!("{s:?} is not a uint256")))
}

fn hex_data(s: &str) -> Result<Vec<u8>, JsError> {
    let digits = s.strip_prefix("0x").ok_or_else(|| JsError::new("data must start with 0x"))?;
    hex::decode(digits).map_err(|e| JsError::new(&e.to_string()))
}

/// eth_call data for a license view: `balanceOf [owner]`, `ownerOf [tokenId]`,
/// `tokenOfOwnerByIndex [owner, index]`, `supportsInterface [0x-bytes4]`,
/// `getDelegatorInfo [delegator, operator]` (on the manager). Returns 0x-hex.
#[wasm_bindgen(js_name = licenseCallData)]
pub fn license_call_data(method: &str, args: Vec<String>) -> Result<String, JsError> {
    let arg = |i: usize| args.get(i).map(String::as_str).ok_or_else(|| JsError::new(&format!("{method}: argument {i} missing")));
    let data = match method {
        "balanceOf" => license::balance_of_call(address(arg(0)?)?),
        "ownerOf" => license::owner_of_call(uint(arg(0)?)?),
        "tokenOfOwnerByIndex" => license::token_of_owner_by_index_call(address(arg(0)?)?, uint(arg(1)?)?),
        "supportsInterface" => {
            let id: [u8; 4] = hex_data(arg(0)?)?.try_into().map_err(|_| JsError::new("an interface id is 4 bytes"))?;
            license::supports_interface_call(id)
        }
        "getDelegatorInfo" => license::delegator_info_call(address(arg(0)?)?, address(arg(1)?)?),
        other => return Err(JsError::new(&format!("no license view {other:?}"))),
    };
    Ok(format!("0x{}", hex::encode(data)))
}

/// Decodes an eth_call answer of a license view as JSON: a decimal string, a checksummed address,
/// a bool, or an array of decimal strings.
#[wasm_bindgen(js_name = licenseDecode)]
pub fn license_decode(method: &str, data: &str) -> Result<String, JsError> {
    let bytes = hex_data(data)?;
    let err = |e: license::AbiError| JsError::new(&e.to_string());
    let value = match method {
        "balanceOf" => serde_json::json!(license::decode_balance_of(&bytes).map_err(err)?.to_string()),
        "ownerOf" => serde_json::json!(license::decode_owner_of(&bytes).map_err(err)?.to_checksum(None)),
        "tokenOfOwnerByIndex" => serde_json::json!(license::decode_token_of_owner_by_index(&bytes).map_err(err)?.to_string()),
        "supportsInterface" => serde_json::json!(license::decode_supports_interface(&bytes).map_err(err)?),
        "getDelegatorInfo" => serde_json::json!(license::decode_delegator_info(&bytes)
            .map_err(err)?
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()),
        other => return Err(JsError::new(&format!("no license view {other:?}"))),
    };
    Ok(value.to_string())
}

/// One license's rewards panel (docs/licenses.md), amounts in wei as decimal strings.
#[wasm_bindgen(js_name = rewardsPanel)]
pub fn rewards_panel(days_since_tge: u32, days_self_run: u32, days_delegated: u32, commission_bps: u16) -> Result<String, JsError> {
    let panel = license::rewards(&license::LicenseActivity { days_since_tge, days_self_run, days_delegated, commission_bps })
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(serde_json::to_string(&panel).expect("panels serialise"))
}

/// The worker's `publishReport` method: checks the wallet's signature is the owner's, then sends
/// the report over the current connection. The answer is shaped as the devnet's `POST /reports`:
/// `{accepted: true, signer, licenseTokenId, round, digest}` or `{accepted: false, reason, message}`.
pub async fn publish(report: SignedReportJson) -> Result<serde_json::Value, String> {
    let signed = report.parse().map_err(|e| format!("malformed report: {e}"))?;
    signed.require_signed_by_owner().map_err(|e| e.to_string())?;
    let client = super::node::current_client().ok_or("not connected to a relay")?;
    match client.send(CheckRequest::PublishReport { report }).await.map_err(|e| e.to_string())? {
        CheckResponse::ReportAccepted { signer, license_token_id, round, digest } => Ok(serde_json::json!({
            "accepted": true, "signer": signer, "licenseTokenId": license_token_id, "round": round, "digest": digest,
        })),
        CheckResponse::ReportRejected { reason, message } => {
            Ok(serde_json::json!({"accepted": false, "reason": reason, "message": message}))
        }
        CheckResponse::Failure(f) => Err(format!("the network refused the request ({}): {}", f.code, f.message)),
        _ => Err("unexpected answer to publishReport".into()),
    }
}
