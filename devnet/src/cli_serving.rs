//! `zg-align-devnet verify serving --text T --signature S [--signer ADDR]`: recovers the signer of a
//! provider's `personal_sign` signature over `text`, as the light node does (low `s` only, `v` 27/28
//! or 0/1). Prints the address; exits 0 valid (and, with `--signer`, that signer), 1 another
//! signer or no key, 2 malformed input.

use clap::Args;
use zg_align::serving::signature::{parse_signature, recover_personal};

#[derive(Args)]
pub struct ServingArgs {
    /// The signed text, usually `hex(sha256(request)):hex(sha256(response))`.
    #[arg(long)]
    text: String,
    /// `0x` + 65 bytes `r || s || v`.
    #[arg(long)]
    signature: String,
    /// The registered TEE signer to compare with.
    #[arg(long)]
    signer: Option<String>,
}

/// The line to print and the exit code.
pub fn check(args: &ServingArgs) -> (String, i32) {
    let signature = match parse_signature(&args.signature) {
        Ok(s) => s,
        Err(e) => return (format!("malformed: {e}"), 2),
    };
    let expected = match args.signer.as_deref().map(str::parse::<alloy_primitives::Address>) {
        Some(Err(e)) => return (format!("malformed: --signer: {e}"), 2),
        Some(Ok(a)) => Some(a),
        None => None,
    };
    match recover_personal(&args.text, &signature) {
        Err(e) => (format!("invalid: {e}"), 1),
        Ok(recovered) if expected.is_some_and(|e| e != recovered) => {
            (format!("invalid: signed by {}, not {}", recovered.to_checksum(None), expected.unwrap().to_checksum(None)), 1)
        }
        Ok(recovered) => (format!("valid: {}", recovered.to_checksum(None)), 0),
    }
}
