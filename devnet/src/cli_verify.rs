//! `zg-align-devnet verify bls --pk HEX --msg HEX --sig HEX`: an operator's hand check of one
//! signature, and the way other implementations are held against ours. One line on stdout says
//! which verdict and why; the exit code is 0 valid, 1 invalid, 2 malformed input (bad hex, wrong
//! length, or bytes that are no key or signature: flags, field, curve, subgroup, identity key).
//!
//! `verify header FILE.json` and `verify commit --commit FILE.json --validators FILE.json` do the
//! same for CometBFT RPC answers (saved `/commit` and `/validators` answers, JSON-RPC envelope or
//! bare result), with the core's CometBFT code.

use clap::{Args, Subcommand};
use rand_chacha::rand_core::SeedableRng;
use std::path::{Path, PathBuf};
use zg_align::bls::{self, PublicKey, Signature};
use zg_align::cometbft::{self, ChainProfile, SlotStatus, ValidatorSet};

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
    /// A CometBFT `/commit` answer (JSON-RPC envelope or bare result): the header's hash must be
    /// the block id the commit signs. Prints the hash.
    Header {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
    },
    /// A CometBFT `/commit` answer against the `/validators` answer(s) of its height: every
    /// signature over its own sign bytes, more than 2/3 of the power for the block. Prints the
    /// signed power, the total and each invalid validator's address.
    Commit(CommitArgs),
    /// An accusation from its own evidence: a verdict event as the node emits it (`{kind, node,
    /// verdict}`), or a bare verdict with `--kind`. Exits 0 when the accusation holds, 1 when it
    /// does not, 2 for a file that is no accusation (docs/trust.md).
    Evidence {
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// The verdict's kind when the file holds a bare verdict (`storage`, `serving`, `validator`, `da`).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
    },
}

#[derive(Args)]
pub struct CommitArgs {
    /// A saved `/commit?height=H` answer.
    #[arg(long, value_name = "FILE.json")]
    commit: PathBuf,
    /// Saved `/validators?height=H` answers, one per page, in page order (repeat the option).
    #[arg(long = "validators", value_name = "FILE.json", required = true)]
    validators: Vec<PathBuf>,
    /// The chain's BLS rules: `0g` (0G Chain's pinned CometBFT: SHA-256 of messages over 32
    /// bytes, PoP DST, 48-byte keys) or `cometbft-v1` (upstream: raw bytes, NUL DST, 96-byte keys).
    #[arg(long, value_name = "PROFILE", default_value = "0g")]
    profile: String,
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
    /// A verdict with its own reason (the CometBFT checks).
    Checked { valid: bool, why: String },
}

impl Verdict {
    pub fn exit_code(&self) -> i32 {
        match self {
            Verdict::Valid | Verdict::Checked { valid: true, .. } => 0,
            Verdict::Invalid | Verdict::Checked { valid: false, .. } => 1,
            Verdict::Malformed(_) => 2,
        }
    }

    pub fn line(&self) -> String {
        match self {
            Verdict::Valid => "valid: the signature verifies for this public key and message".into(),
            Verdict::Invalid => "invalid: the signature does not verify for this public key and message".into(),
            Verdict::Malformed(why) => format!("malformed: {why}"),
            Verdict::Checked { valid: true, why } => format!("valid: {why}"),
            Verdict::Checked { valid: false, why } => format!("invalid: {why}"),
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
        Scheme::Header { file } => check_header(&file),
        Scheme::Commit(args) => check_commit(&args),
        Scheme::Evidence { file, kind } => check_evidence(&file, kind.as_deref()),
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

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_commit(path: &Path) -> Result<cometbft::SignedHeader, String> {
    let body = read(path)?;
    cometbft::decode_commit(&body).map(|c| c.signed_header).map_err(|e| format!("{}: {e}", path.display()))
}

/// An accusation checked again from the evidence in its verdict ([`zg_align::evidence`]).
pub fn check_evidence(path: &Path, kind: Option<&str>) -> Verdict {
    let value = match read(path).and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).map_err(|e| format!("{}: {e}", path.display()))) {
        Ok(v) => v,
        Err(why) => return Verdict::Malformed(why),
    };
    // `{kind, node, verdict: {...}}` as the node emits it, or the verdict itself with --kind.
    let (kind, verdict) = match (value.get("verdict"), kind) {
        (Some(inner @ serde_json::Value::Object(_)), _) => (value.get("kind").and_then(|k| k.as_str()).unwrap_or_default().to_owned(), inner.clone()),
        (_, Some(kind)) => (kind.to_owned(), value),
        (_, None) => return Verdict::Malformed("a bare verdict needs --kind".into()),
    };
    match zg_align::evidence::recheck(&kind, &verdict) {
        Ok(again) => Verdict::Checked { valid: again.holds, why: again.why },
        Err(e) => Verdict::Malformed(e.to_string()),
    }
}

/// The header's hash against the block id its commit signs.
pub fn check_header(path: &Path) -> Verdict {
    let sh = match read_commit(path) {
        Ok(sh) => sh,
        Err(why) => return Verdict::Malformed(why),
    };
    let hash = cometbft::header_hash(&sh.header);
    let hex = hex::encode_upper(hash.0);
    let (height, chain) = (sh.header.height, &sh.header.chain_id);
    if sh.commit.height != height {
        return Verdict::Checked { valid: false, why: format!("the header is for height {height}, the commit for {}", sh.commit.height) };
    }
    if sh.commit.block_id.hash32() == Some(hash) {
        Verdict::Checked { valid: true, why: format!("header {hex} of {chain} at height {height} is the block the commit signs") }
    } else {
        Verdict::Checked { valid: false, why: format!("header of {chain} at height {height} hashes to {hex}, the commit signs {}", sh.commit.block_id.hash_hex()) }
    }
}

/// Every signature of the commit against the validators, and the power for the block.
pub fn check_commit(args: &CommitArgs) -> Verdict {
    let Some(profile) = ChainProfile::by_name(&args.profile) else {
        return Verdict::Malformed(format!("--profile must be 0g or cometbft-v1, got {:?}", args.profile));
    };
    let decoded = (|| {
        let sh = read_commit(&args.commit)?;
        let mut pages = Vec::new();
        for path in &args.validators {
            pages.push(cometbft::decode_validators(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        let set = ValidatorSet::from_pages(pages, profile).map_err(|e| format!("validators: {e}"))?;
        Ok::<_, String>((sh, set))
    })();
    let (sh, set) = match decoded {
        Ok(v) => v,
        Err(why) => return Verdict::Malformed(why),
    };
    let (header, commit) = (&sh.header, &sh.commit);
    let hash = cometbft::header_hash(header);
    if commit.height != header.height || commit.block_id.hash32() != Some(hash) {
        return Verdict::Checked { valid: false, why: format!("the commit does not sign this header (it hashes to {})", hex::encode_upper(hash.0)) };
    }
    if set.hash().0.as_slice() != header.validators_hash.as_slice() {
        return Verdict::Checked {
            valid: false,
            why: format!(
                "the validators hash to {} under profile {profile}, the header names {}",
                hex::encode_upper(set.hash().0),
                hex::encode_upper(&header.validators_hash)
            ),
        };
    }
    // Batch weights the signers cannot predict.
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(rand::random());
    let check = match cometbft::verify_commit(&header.chain_id, &set, commit, &mut rng) {
        Ok(check) => check,
        Err(e) => return Verdict::Malformed(e.to_string()),
    };
    let invalid: Vec<String> = check.invalid().map(|(slot, _)| set.validators()[slot].address.to_hex()).collect();
    let nil = check.count(|s| *s == SlotStatus::Nil);
    let absent = check.count(|s| *s == SlotStatus::Absent);
    let power = format!(
        "{} of {} voting power signed block {} at height {} ({nil} nil, {absent} absent)",
        check.signed_power,
        check.total_power,
        commit.block_id.hash_hex(),
        commit.height
    );
    match (check.has_quorum(), invalid.is_empty()) {
        (true, true) => Verdict::Checked { valid: true, why: format!("{power}, more than 2/3; every signature verifies") },
        (quorum, _) => {
            let mut why = power;
            if !quorum {
                why.push_str(", not more than 2/3");
            }
            if !invalid.is_empty() {
                why.push_str(&format!("; invalid signatures from {}", invalid.join(", ")));
            }
            Verdict::Checked { valid: false, why }
        }
    }
}
