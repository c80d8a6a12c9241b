//! Compiles proto/signer.proto with protox (a protobuf compiler in Rust, no protoc binary) and
//! generates prost messages, plus tonic client and server when the `grpc` feature is on.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/signer.proto");
    let descriptors = protox::compile(["signer.proto"], ["proto"])?;
    let grpc = std::env::var_os("CARGO_FEATURE_GRPC").is_some();
    tonic_prost_build::configure().build_client(grpc).build_server(grpc).compile_fds(descriptors)?;
    Ok(())
}
