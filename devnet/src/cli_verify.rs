//! `zg-align-devnet verify bls --pk HEX --msg HEX --sig HEX`: an operator's hand check of one
//! signature, and the way other implementations are held against ours. One line on stdout says
//! which verdict and why; the exit code is 0 valid, 1 invalid, 2 malformed input (bad hex, wrong
//! length, or bytes that are no key or signature: flags, field, curve, subgroup, identity key).

use clap::{Args, Subcommand};
use zg_align::bls::{self, PublicKey, Signature};

#[derive(Subcommand)]
pub enum Scheme {
    /// A BLS12-381 signature as validators make it (public key in G1, signature in G2, RFC 9380
    /// hash to G2 with the proof-of-possession DST).
    Bls(BlsArgs),
    /// A signed alignment report (`{domain, report, signature}` JSON), checked as the devnet checks
    /// one it is sent, against the devnet's licenses (no replay check: a file has no history).
    /// Prints the signer's address and exits 0, or the reason and exits 1 (2 for a file that is
    /// no report).
    Report {
        #[arg(value_name = "FILE.json")]
        file: std::path::PathBuf,
    },
    /// A serving provider's EIP-191 (`personal_sign`) response signature: prints the signer.
    Serving(crate::cli_serving::ServingArgs),
}

#[derive(Args)]
pub struct BlsArgs {
    /// Compressed public key, 48 bytes as hex (optional 0x).
    #[arg(long, value_name = "HEX")]
    pk: String,
    /// The signed message as hex (optional 0x; empty is allowed).
    #[arg(long, value_name = "HEX")]
    msg: String,
    /// Compressed signature, 96 bytes as hex (optional 0x).
    #[arg(long, value_name = "HEX")]
    sig: String,
}

/// What the check found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid,
    Malformed(String),
}

impl Verdict {
    pub fn exit_code(&self) -> i32 {
        match self {
            Verdict::Valid => 0,
            Verdict::Invalid => 1,
            Verdict::Malformed(_) => 2,
        }
    }

    pub fn line(&self) -> String {
        match self {
            Verdict::Valid => "valid: the signature verifies for this public key and message".into(),
            Verdict::Invalid => "invalid: the signature does not verify for this public key and message".into(),
            Verdict::Malformed(why) => format!("malformed: {why}"),
        }
    }
}

/// Prints the verdict's line and returns its exit code.
pub fn run(scheme: Scheme) -> i32 {
    let verdict = match scheme {
        Scheme::Bls(args) => check_bls(&args.pk, &args.msg, &args.sig),
        Scheme::Serving(args) => {
            let (line, code) = crate::cli_serving::check(&args);
            println!("{line}");
            return code;
        }
        Scheme::Report { file } => {
            let (line, code) = crate::cli_report::verify_file(&file);
            println!("{line}");
            return code;
        }
    };
    println!("{}", verdict.line());
    verdict.exit_code()
}

pub fn check_bls(pk: &str, msg: &str, sig: &str) -> Verdict {
    let decoded = (|| {
        let pk = PublicKey::from_bytes(&hex_arg("--pk", pk)?).map_err(|e| e.to_string())?;
        let msg = hex_arg("--msg", msg)?;
        let sig = Signature::from_bytes(&hex_arg("--sig", sig)?).map_err(|e| e.to_string())?;
        Ok::<_, String>((pk, msg, sig))
    })();
    match decoded {
        Err(why) => Verdict::Malformed(why),
        Ok((pk, msg, sig)) if bls::verify(&pk, &msg, &sig) => Verdict::Valid,
        Ok(_) => Verdict::Invalid,
    }
}

fn hex_arg(name: &str, value: &str) -> Result<Vec<u8>, String> {
    let digits = value.trim();
    let digits = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")).unwrap_or(digits);
    hex::decode(digits).map_err(|e| format!("{name} is not hex: {e}"))
}
