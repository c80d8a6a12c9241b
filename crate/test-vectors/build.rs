//! Finds the registry packages that ship official vectors through `cargo metadata`
//! (`packages[].manifest_path`) and writes `$OUT_DIR/vectors.rs`, which `include_str!`s each file:
//! the vectors end up inside the test binaries, so the wasm tests in headless Chromium (no file
//! system) read the very same bytes as the native ones.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ETHEREUM_PACKAGE: (&str, &str) = ("bls_on_arkworks", "0.3.0");
const RFC9380_PACKAGE: (&str, &str) = ("ark-bls12-381", "0.5.0");
const RFC9380_G2_FILE: &str = "src/curves/tests/BLS12381G2_XMD-SHA-256_SSWU_RO_.json";
const TENDERMINT_RPC_PACKAGE: (&str, &str) = ("tendermint-rpc", "0.41.0");
/// The RPC answers the CometBFT tests read (the rest of the folder is other endpoints).
const TENDERMINT_RPC_NAMES: [&str; 6] =
    ["commit_at_height_10.json", "status.json", "genesis.json", "block_at_height_10.json", "block_search_evidence.json", "block_at_height_1.json"];
const TENDERMINT_LIGHT_CLIENT_PACKAGE: (&str, &str) = ("tendermint-light-client", "0.41.0");
const TENDERMINT_PACKAGE: (&str, &str) = ("tendermint", "0.41.0");
const TENDERMINT_HEADER_FILE: &str = "tests/support/serialization/block/header_with_known_hash.json";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--manifest-path"])
        .arg(manifest_dir.join("Cargo.toml"))
        .output()
        .expect("run cargo metadata");
    if !output.status.success() {
        panic!("cargo metadata failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata JSON");
    if let Some(root) = metadata["workspace_root"].as_str() {
        println!("cargo:rerun-if-changed={}", Path::new(root).join("Cargo.lock").display());
    }

    let ethereum_dir = package_dir(&metadata, ETHEREUM_PACKAGE).join("tests");
    let rfc_file = package_dir(&metadata, RFC9380_PACKAGE).join(RFC9380_G2_FILE);

    let mut files = Vec::new();
    json_files(&ethereum_dir, &ethereum_dir, &mut files);
    files.sort();

    let mut out = String::new();
    writeln!(out, "/// `{} {}`, folder `tests/`.", ETHEREUM_PACKAGE.0, ETHEREUM_PACKAGE.1).unwrap();
    writeln!(out, "pub static ETHEREUM_BLS: &[VectorFile] = &[").unwrap();
    for (relative, absolute) in &files {
        writeln!(out, "    VectorFile {{ path: {relative:?}, json: include_str!({absolute:?}) }},").unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "/// `{} {}`, file `{}`.", RFC9380_PACKAGE.0, RFC9380_PACKAGE.1, RFC9380_G2_FILE).unwrap();
    writeln!(out, "pub static RFC9380_G2: VectorFile = VectorFile {{ path: {RFC9380_G2_FILE:?}, json: include_str!({:?}) }};", path_str(&rfc_file)).unwrap();
    writeln!(out, "pub const ETHEREUM_BLS_SOURCE: &str = \"{} {} tests/\";", ETHEREUM_PACKAGE.0, ETHEREUM_PACKAGE.1).unwrap();
    writeln!(out, "pub const RFC9380_G2_SOURCE: &str = \"{} {} {}\";", RFC9380_PACKAGE.0, RFC9380_PACKAGE.1, RFC9380_G2_FILE).unwrap();

    // tendermint-rs's fixtures (CometBFT chains' answers and light-client cases).
    let rpc_dir = package_dir(&metadata, TENDERMINT_RPC_PACKAGE).join("tests");
    let mut rpc_files = Vec::new();
    json_files(&rpc_dir, &rpc_dir, &mut rpc_files);
    rpc_files.retain(|(relative, _)| relative.contains("/incoming/") && TENDERMINT_RPC_NAMES.iter().any(|n| relative.ends_with(n)));
    rpc_files.sort();
    write_list(&mut out, "TENDERMINT_RPC", TENDERMINT_RPC_PACKAGE, "tests/", &rpc_files);
    let lc_dir = package_dir(&metadata, TENDERMINT_LIGHT_CLIENT_PACKAGE).join("tests/support");
    let mut lc_files = Vec::new();
    json_files(&lc_dir, &lc_dir.join("model_based/single_step"), &mut lc_files);
    lc_files.sort();
    write_list(&mut out, "TENDERMINT_LIGHT_CLIENT", TENDERMINT_LIGHT_CLIENT_PACKAGE, "tests/support/", &lc_files);
    let header_file = package_dir(&metadata, TENDERMINT_PACKAGE).join(TENDERMINT_HEADER_FILE);
    writeln!(out, "/// `{} {}`, file `{}`.", TENDERMINT_PACKAGE.0, TENDERMINT_PACKAGE.1, TENDERMINT_HEADER_FILE).unwrap();
    writeln!(out, "pub static TENDERMINT_HEADER: VectorFile = VectorFile {{ path: {TENDERMINT_HEADER_FILE:?}, json: include_str!({:?}) }};", path_str(&header_file)).unwrap();

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    fs::write(out_dir.join("vectors.rs"), out).expect("write vectors.rs");
}

/// Writes `pub static NAME: &[VectorFile]` for `files` of `package`, folder `folder`.
fn write_list(out: &mut String, name: &str, (package, version): (&str, &str), folder: &str, files: &[(String, String)]) {
    writeln!(out, "/// `{package} {version}`, folder `{folder}`.").unwrap();
    writeln!(out, "pub static {name}: &[VectorFile] = &[").unwrap();
    for (relative, absolute) in files {
        writeln!(out, "    VectorFile {{ path: {relative:?}, json: include_str!({absolute:?}) }},").unwrap();
    }
    writeln!(out, "];").unwrap();
}

/// The directory of the resolved package `name` at exactly `version`.
fn package_dir(metadata: &serde_json::Value, (name, version): (&str, &str)) -> PathBuf {
    let packages = metadata["packages"].as_array().expect("packages");
    let package = packages
        .iter()
        .find(|p| p["name"] == name && p["version"] == version)
        .unwrap_or_else(|| panic!("{name} {version} is not in `cargo metadata`: is it still a dev-dependency here?"));
    let manifest = PathBuf::from(package["manifest_path"].as_str().expect("manifest_path"));
    manifest.parent().expect("package dir").to_path_buf()
}

/// Every *.json under `dir`, as (path relative to `root` with '/', absolute path).
fn json_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            json_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let relative = path.strip_prefix(root).expect("under root");
            let relative: Vec<_> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push((relative.join("/"), path_str(&path)));
        }
    }
}

fn path_str(path: &Path) -> String {
    path.to_str().unwrap_or_else(|| panic!("not UTF-8: {}", path.display())).to_owned()
}
