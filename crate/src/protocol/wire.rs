//! Messages of `/zg-align/check/2` and their framing, as pure functions over bytes.
//!
//! A message is `version (1 byte) || length (u32, big-endian) || JSON payload of that length`.
//! JSON keeps the upstreams' JSON-RPC answers byte for byte as the node wrote them, so the same
//! verification code reads them whether they came over HTTP or through the relay.

use crate::hash::Hash32;
use crate::report::{Rejection, SignedReportJson};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

pub const WIRE_VERSION: u8 = 2;
/// Version byte plus big-endian u32 length.
pub const FRAME_HEADER_BYTES: usize = 5;
/// Largest request payload a peer accepts.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Largest response payload a peer accepts: a segment answer (512 KiB) with room to spare.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;
/// Most proofs a `daProofs` answer may list (a blob has 3,072 rows; a request asks for far fewer).
pub const MAX_DA_PROOFS: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WireError {
    #[error("message is {received} bytes, shorter than its {expected}-byte header and payload")]
    Truncated { expected: usize, received: usize },
    #[error("protocol version {received}, this node speaks {expected}")]
    Version { expected: u8, received: u8 },
    #[error("message payload is {received} bytes, over the {limit}-byte cap")]
    TooLarge { limit: usize, received: usize },
    #[error("{trailing} bytes after the message")]
    Trailing { trailing: usize },
    #[error("message is not valid: {message}")]
    Malformed { message: String },
}

/// What the light node asks the relay. Adjacently tagged (`{"type": .., "body": ..}`) so that raw
/// JSON can pass through without being buffered: a sender must write `type` first. Read by the
/// relay only: the shipped wasm has no decoder for it (the `serve` feature puts one in, for tests).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(any(not(target_arch = "wasm32"), feature = "serve"), derive(Deserialize))]
#[serde(tag = "type", content = "body", rename_all = "camelCase")]
pub enum CheckRequest {
    /// What the relay stands in front of: its network profile ([`RelayInfo`]).
    Hello,
    /// One JSON-RPC request for the storage indexer; the answer is the indexer's, verbatim.
    Indexer { call: Box<RawValue> },
    /// One zgs JSON-RPC request for the storage node at URL `node` (one the indexer listed); the
    /// answer is that node's JSON-RPC answer, verbatim.
    Zgs { node: String, call: Box<RawValue> },
    /// One EVM JSON-RPC request (`eth_call`, `eth_chainId`, `eth_blockNumber`, `eth_getLogs`) for
    /// the 0G chain or the license chain; the answer is the RPC's, verbatim.
    Evm {
        #[serde(default)]
        chain: EvmChain,
        call: Box<RawValue>,
    },
    /// Returns `len` bytes: for measuring the connection itself.
    Echo { len: u32 },
    /// A round's alignment report, signed by the license owner (docs/reports.md), for the relay's
    /// report sink.
    PublishReport { report: SignedReportJson },
    /// One `Signer.BatchRetrieve` (gRPC) to the DA signer registered as `signer` (its socket from
    /// the DASigners precompile, looked up by the relay on its own EVM RPC): one `RetrieveRequest`
    /// for `rows` of the blob `data_root`. The answer is the reply message's bytes
    /// ([`CheckResponse::GrpcReply`]) or the gRPC status ([`CheckResponse::GrpcStatus`]).
    #[serde(rename_all = "camelCase")]
    DaRetrieve { signer: alloy_primitives::Address, epoch: u64, quorum_id: u64, data_root: Hash32, rows: Vec<u16> },
    /// Serialized `EncodedSliceMerkle` proofs of `rows` of the blob `data_root`, from the relay's
    /// row-proof source (not a 0G interface: 0G serves none; the devnet plays its disperser).
    #[serde(rename_all = "camelCase")]
    DaProofs { data_root: Hash32, rows: Vec<u16> },
    /// One chat request to the serving provider registered as `provider` (its URL from the
    /// InferenceServing contract, looked up by the relay): `body` is POSTed verbatim to
    /// `{url}/v1/proxy/chat/completions` with the session headers of the relay's funded account;
    /// the answer is [`CheckResponse::Http`], the body as received on the wire.
    Chat { provider: alloy_primitives::Address, body: String },
    /// `GET {url}{path}` of the provider registered as `provider`, where `path` is
    /// `/v1/proxy/signature/{chatID}?model=...`; the answer is [`CheckResponse::Http`].
    ChatSignature { provider: alloy_primitives::Address, path: String },
    /// One read of 0G Chain's CometBFT RPC (`status`, `commit`, `validators`, `block` with numeric
    /// parameters only): `GET` on the relay's configured RPC; a 200 answer comes back as
    /// [`CheckResponse::Rpc`], verbatim, anything else as a failure carrying the HTTP status and
    /// the RPC's body (docs/check-protocol.md).
    Comet(crate::cometbft::RpcRead),
}

/// Which EVM chain an [`CheckRequest::Evm`] call is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EvmChain {
    /// 0G's chain: the Flow contract, DA signers, serving contract.
    #[default]
    Zg,
    /// The chain of the license NFT (Arbitrum One for 0G's licenses; the devnet's own chain there).
    Licenses,
}

/// What the relay answers. Written by the relay only: the shipped wasm has no encoder for it (the
/// `serve` feature puts one in, for tests).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(any(not(target_arch = "wasm32"), feature = "serve"), derive(Serialize))]
#[serde(tag = "type", content = "body", rename_all = "camelCase")]
pub enum CheckResponse {
    Hello(RelayInfo),
    /// An upstream's JSON-RPC answer, verbatim.
    Rpc { answer: Box<RawValue> },
    Echo { data: String },
    /// The request could not be served (unknown upstream, bad request, upstream down or over a
    /// cap): never a verdict on a node.
    Failure(RemoteFailure),
    /// The report was checked and stored by the report sink.
    #[serde(rename_all = "camelCase")]
    ReportAccepted { signer: String, license_token_id: String, round: u64, digest: String },
    /// The report was refused; `message` is the reason in words for the page.
    ReportRejected {
        /// A few fields: read as text first, so its `kind` can come last at no cost (`bounded_json::few_values`).
        #[serde(deserialize_with = "crate::bounded_json::few_values::<_, _, 64>")]
        reason: Rejection,
        message: String,
    },
    /// A gRPC reply message, as protobuf bytes (base64).
    GrpcReply { reply: String },
    /// A gRPC status instead of a reply.
    GrpcStatus { code: i32, message: String },
    /// One proof per row asked, in order (base64 of a serialized `EncodedSliceMerkle`), `None`
    /// where the source has none.
    DaProofs {
        #[serde(deserialize_with = "crate::bounded_json::at_most::<_, _, MAX_DA_PROOFS>")]
        proofs: Vec<Option<String>>,
    },
    /// An HTTP answer as received on the wire: status, the headers the checks read, and the body
    /// (base64) before any `Content-Encoding` is undone.
    #[serde(rename_all = "camelCase")]
    Http {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        content_encoding: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        res_key: Option<String>,
        body: String,
    },
}

impl CheckResponse {
    /// The message type, for errors that name what came instead.
    pub fn kind(&self) -> &'static str {
        match self {
            CheckResponse::Hello(_) => "hello",
            CheckResponse::Rpc { .. } => "rpc",
            CheckResponse::Echo { .. } => "echo",
            CheckResponse::Failure(_) => "failure",
            CheckResponse::ReportAccepted { .. } => "reportAccepted",
            CheckResponse::ReportRejected { .. } => "reportRejected",
            CheckResponse::GrpcReply { .. } => "grpcReply",
            CheckResponse::GrpcStatus { .. } => "grpcStatus",
            CheckResponse::DaProofs { .. } => "daProofs",
            CheckResponse::Http { .. } => "http",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteFailure {
    pub code: u16,
    pub message: String,
}

/// The relay's network profile, as it tells the node: where the chain keeps what the checks need.
/// It says what the relay is configured with; the node still checks every answer it relays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayInfo {
    /// `mainnet`, `testnet`, `devnet` or a profile file's name.
    pub network: String,
    /// The 0G EVM chain id.
    pub chain_id: u64,
    /// The Flow contract whose `Submit` events name the files to check; absent: no storage checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<crate::storage::FlowSource>,
    /// The license NFT and its delegation manager, and their chain; absent: no license reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<LicenseContracts>,
    /// Where the chain keeps the DA side: certificates (`DAEntrance`) and whether the relay has a
    /// row-proof source; absent: no DA checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub da: Option<DaSource>,
    /// The serving contract whose providers the node asks; absent: no serving checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serving: Option<ServingSource>,
    /// Which upstreams the relay can reach for this profile.
    pub upstreams: Upstreams,
    /// The widest `eth_getLogs` block range the relay forwards.
    pub max_log_range: u64,
    /// The relay's version.
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseContracts {
    pub chain_id: u64,
    pub nft: alloy_primitives::Address,
    pub manager: alloy_primitives::Address,
}

/// The DA contracts of a network. Quorums and signers come from the DASigners precompile
/// ([`crate::da::DA_SIGNERS`]), the same on every 0G chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaSource {
    /// `DAEntrance`: its `ErasureCommitmentVerified` events name the certified blobs, and the
    /// transactions that emitted them carry the certificates.
    pub entrance: alloy_primitives::Address,
    /// The first block to look for its events in.
    #[serde(default)]
    pub deploy_block: u64,
    /// Whether the relay answers [`CheckRequest::DaProofs`].
    #[serde(default)]
    pub row_proofs: bool,
}

/// The serving side of a network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServingSource {
    /// The InferenceServing contract (`getAllServices`).
    pub contract: alloy_primitives::Address,
}

/// Upstreams configured in the relay's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Upstreams {
    pub indexer: bool,
    pub evm: bool,
    pub license_evm: bool,
    pub reports: bool,
    /// DA signers' gRPC ([`CheckRequest::DaRetrieve`]).
    pub da: bool,
    /// A funded serving account, so providers answer chat requests ([`CheckRequest::Chat`]).
    pub chat: bool,
    /// A CometBFT RPC of 0G Chain ([`CheckRequest::Comet`]).
    pub cometbft: bool,
}

fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    let payload = serde_json::to_vec(message).expect("messages serialise");
    let mut out = Vec::with_capacity(FRAME_HEADER_BYTES + payload.len());
    out.push(WIRE_VERSION);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Checks a frame header and returns the payload length it announces.
pub fn payload_len(header: &[u8; FRAME_HEADER_BYTES], limit: usize) -> Result<usize, WireError> {
    if header[0] != WIRE_VERSION {
        return Err(WireError::Version { expected: WIRE_VERSION, received: header[0] });
    }
    let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
    if len > limit {
        return Err(WireError::TooLarge { limit, received: len });
    }
    Ok(len)
}

fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8], limit: usize) -> Result<T, WireError> {
    let header: &[u8; FRAME_HEADER_BYTES] = bytes
        .get(..FRAME_HEADER_BYTES)
        .and_then(|h| h.try_into().ok())
        .ok_or(WireError::Truncated { expected: FRAME_HEADER_BYTES, received: bytes.len() })?;
    let len = payload_len(header, limit)?;
    let body = &bytes[FRAME_HEADER_BYTES..];
    if body.len() < len {
        return Err(WireError::Truncated { expected: FRAME_HEADER_BYTES + len, received: bytes.len() });
    }
    if body.len() > len {
        return Err(WireError::Trailing { trailing: body.len() - len });
    }
    decode_payload(body)
}

/// Reads a message. A message whose `body` comes before its `type` is put in order first: serde
/// would otherwise hold the whole body as generic values while it looks for the type (a 1 MiB
/// body of `[0,0,...]` took 12 MB), where in order the body is read straight into its type.
pub fn decode_payload<T: for<'de> Deserialize<'de>>(payload: &[u8]) -> Result<T, WireError> {
    let malformed = |e: serde_json::Error| WireError::Malformed { message: crate::bounded_json::short_error(&e) };
    let trimmed = payload.trim_ascii_start();
    if trimmed.starts_with(b"{") && !trimmed[1..].trim_ascii_start().starts_with(br#""type""#) {
        #[derive(Deserialize)]
        struct Tagged<'a> {
            #[serde(rename = "type", borrow)]
            kind: &'a RawValue,
            #[serde(default, borrow)]
            body: Option<&'a RawValue>,
        }
        if let Ok(tagged) = crate::bounded_json::from_bytes::<Tagged>(payload) {
            let ordered = match tagged.body {
                Some(body) => format!(r#"{{"type":{},"body":{}}}"#, tagged.kind.get(), body.get()),
                None => format!(r#"{{"type":{}}}"#, tagged.kind.get()),
            };
            return serde_json::from_str(&ordered).map_err(malformed);
        }
    }
    crate::bounded_json::from_bytes(payload).map_err(malformed)
}

pub fn encode_request(request: &CheckRequest) -> Vec<u8> {
    encode(request)
}

#[cfg(any(not(target_arch = "wasm32"), feature = "serve"))]
pub fn encode_response(response: &CheckResponse) -> Vec<u8> {
    encode(response)
}

#[cfg(any(not(target_arch = "wasm32"), feature = "serve"))]
pub fn decode_request(bytes: &[u8]) -> Result<CheckRequest, WireError> {
    decode(bytes, MAX_REQUEST_BYTES)
}

pub fn decode_response(bytes: &[u8]) -> Result<CheckResponse, WireError> {
    decode(bytes, MAX_RESPONSE_BYTES)
}

#[cfg(all(test, any(not(target_arch = "wasm32"), feature = "serve")))]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn round_trip() {
        let call = RawValue::from_string(r#"{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus","params":[]}"#.into()).unwrap();
        let request = CheckRequest::Zgs { node: "storage-0".into(), call };
        let bytes = encode_request(&request);
        assert_eq!(bytes[0], WIRE_VERSION);
        match decode_request(&bytes).unwrap() {
            CheckRequest::Zgs { node, call } => {
                assert_eq!(node, "storage-0");
                assert!(call.get().contains("zgs_getStatus"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn report_messages_round_trip() {
        let json = r#"{"type":"publishReport","body":{"report":{"domain":{"name":"zg-align","version":"1","chainId":31337,"verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},"report":{"licenseTokenId":"1","owner":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","operator":"0x0000000000000000000000000000000000000000","round":"1","chainId":"31337","verdicts":[],"nodeVersion":"0.1.0"},"signature":"0x00"}}}"#;
        let request: CheckRequest = decode_payload(json.as_bytes()).unwrap();
        let CheckRequest::PublishReport { report } = &request else { panic!("{request:?}") };
        assert_eq!(report.report.round, "1");
        assert_eq!(serde_json::to_string(&request).unwrap(), json);
        let rejected = CheckResponse::ReportRejected {
            reason: Rejection::ReplayedRound { token_id: "1".into(), round: 1, stored_digest: "0x02".into() },
            message: "replayed round".into(),
        };
        let bytes = encode_response(&rejected);
        let text = std::str::from_utf8(&bytes[FRAME_HEADER_BYTES..]).unwrap();
        assert_eq!(text, r#"{"type":"reportRejected","body":{"reason":{"kind":"replayedRound","tokenId":"1","round":1,"storedDigest":"0x02"},"message":"replayed round"}}"#);
        assert!(matches!(decode_response(&bytes).unwrap(), CheckResponse::ReportRejected { reason: Rejection::ReplayedRound { round: 1, .. }, .. }));
        let accepted = CheckResponse::ReportAccepted { signer: "0x".into(), license_token_id: "1".into(), round: 2, digest: "0x".into() };
        let text = serde_json::to_string(&accepted).unwrap();
        assert_eq!(text, r#"{"type":"reportAccepted","body":{"signer":"0x","licenseTokenId":"1","round":2,"digest":"0x"}}"#);
    }

    #[test]
    fn relay_messages_round_trip() {
        let call = RawValue::from_string(r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#.into()).unwrap();
        let text = serde_json::to_string(&CheckRequest::Evm { chain: EvmChain::Licenses, call }).unwrap();
        assert_eq!(text, r#"{"type":"evm","body":{"chain":"licenses","call":{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}}}"#);
        // The chain defaults to 0G's.
        let plain: CheckRequest = decode_payload(br#"{"type":"evm","body":{"call":{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}}}"#).unwrap();
        assert!(matches!(plain, CheckRequest::Evm { chain: EvmChain::Zg, .. }));
        let hello = br#"{"type":"hello","body":{"network":"mainnet","chainId":16661,"flow":{"flow":"0x62D4144dB0F0a6fBBaeb6296c785C71B3D57C526","deployBlock":2387557},"upstreams":{"indexer":true,"evm":true},"maxLogRange":10000,"version":"0.1.0"}}"#;
        let CheckResponse::Hello(info) = decode_payload::<CheckResponse>(hello).unwrap() else { panic!() };
        assert_eq!((info.chain_id, info.flow.unwrap().deploy_block, info.licenses, info.upstreams.reports), (16661, 2387557, None, false));
        let answer = br#"{"type":"rpc","body":{"answer":{"jsonrpc":"2.0","id":1, "result":  "0x1"}}}"#;
        let CheckResponse::Rpc { answer } = decode_payload::<CheckResponse>(answer).unwrap() else { panic!() };
        assert_eq!(answer.get(), r#"{"jsonrpc":"2.0","id":1, "result":  "0x1"}"#, "an upstream's answer is kept byte for byte");
        assert!(decode_payload::<CheckResponse>(br#"{"type":"hello","body":{"network":"x"}}"#).is_err());
    }

    #[test]
    fn bad_frames_are_typed_errors() {
        let good = encode_request(&CheckRequest::Hello);
        assert!(matches!(decode_request(&good[..3]), Err(WireError::Truncated { .. })));
        assert!(matches!(decode_request(&good[..good.len() - 1]), Err(WireError::Truncated { .. })));
        let mut trailing = good.clone();
        trailing.push(0);
        assert!(matches!(decode_request(&trailing), Err(WireError::Trailing { trailing: 1 })));
        let mut version = good.clone();
        version[0] = 1;
        assert!(matches!(decode_request(&version), Err(WireError::Version { received: 1, expected: 2 })), "a version-1 peer (the devnet before the relay) is told apart");
        let mut huge = vec![WIRE_VERSION];
        huge.extend_from_slice(&(MAX_REQUEST_BYTES as u32 + 1).to_be_bytes());
        assert!(matches!(decode_request(&huge), Err(WireError::TooLarge { .. })));
        let mut garbage = vec![WIRE_VERSION, 0, 0, 0, 3];
        garbage.extend_from_slice(b"{x}");
        assert!(matches!(decode_request(&garbage), Err(WireError::Malformed { .. })));
        let mut unknown = vec![WIRE_VERSION, 0, 0, 0, 15];
        unknown.extend_from_slice(br#"{"type":"nuke"}"#);
        assert!(matches!(decode_request(&unknown), Err(WireError::Malformed { .. })));
    }

    #[test]
    fn comet_reads_are_strict_on_the_wire() {
        use crate::cometbft::RpcRead;
        let bytes = encode_request(&CheckRequest::Comet(RpcRead::validators(7, 2)));
        let text = std::str::from_utf8(&bytes[FRAME_HEADER_BYTES..]).unwrap();
        assert_eq!(text, r#"{"type":"comet","body":{"route":"validators","query":{"height":7,"page":2,"per_page":100}}}"#);
        assert!(matches!(decode_request(&bytes).unwrap(), CheckRequest::Comet(read) if read == RpcRead::validators(7, 2)));
        let status = br#"{"type":"comet","body":{"route":"status"}}"#;
        assert!(matches!(decode_payload::<CheckRequest>(status).unwrap(), CheckRequest::Comet(read) if read == RpcRead::status()));
        for bad in [
            br#"{"type":"comet","body":{"route":"commit","query":{"height":"7"}}}"#.as_slice(),
            br#"{"type":"comet","body":{"route":"tx_search","query":{}}}"#,
            br#"{"type":"comet","body":{"route":"commit","query":{"height":7},"url":"http://x"}}"#,
            br#"{"type":"commits","body":{"from":1,"count":3}}"#,
        ] {
            assert!(matches!(decode_payload::<CheckRequest>(bad), Err(WireError::Malformed { .. })), "{}", String::from_utf8_lossy(bad));
        }
        // A relay from before `cometbft` existed says nothing of it: none.
        let old = br#"{"indexer":true,"evm":true}"#;
        assert!(!decode_payload::<Upstreams>(old).unwrap().cometbft);
    }
}
