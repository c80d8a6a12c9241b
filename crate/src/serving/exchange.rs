//! One chat exchange with a provider as the relay saw it on the wire, and what the node reads from
//! it: the response body exactly as received (before any `Content-Encoding` is undone: that is
//! what the provider's broker hashes and signs, `decodeAndProcess` in 0g-serving-broker), the
//! decoded body for the answer's text, the chat ID under which the signature record is served,
//! and the record itself (`GET {url}/v1/proxy/signature/{chatID}?model={model}`).

use super::signature::SignatureRecord;
use serde::Serialize;
use std::io::Read;

/// Largest raw response the node takes (a canary answer is a few hundred bytes).
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;
/// Largest decoded response: a compressed body may not expand past this.
pub const MAX_DECODED_BYTES: usize = 1024 * 1024;
/// Largest signature record (three short strings and `signing_algo`).
pub const MAX_RECORD_BYTES: usize = 4096;
/// Longest chat ID the node uses in a path.
pub const MAX_CHAT_ID: usize = 128;
/// Most JSON values in a completion read (one of a few hundred tokens has a few dozen): as
/// `serde_json::Value`s, ~1.3 MB at most, where a 1 MiB body of `[0,0,...]` would be 16 MB or more.
pub const MAX_COMPLETION_VALUES: usize = 16_384;

/// What the relay forwards for the chat request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatExchange {
    pub status: u16,
    /// `Content-Encoding` of the response, if any.
    pub content_encoding: Option<String>,
    /// `ZG-Res-Key`, the chat ID newer brokers return in a header.
    pub res_key: Option<String>,
    /// The body as received, not decoded.
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ExchangeError {
    #[error("HTTP status {status}")]
    Status { status: u16 },
    #[error("response of {bytes} bytes, more than {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("Content-Encoding {encoding:?} is not one the node reads")]
    Encoding { encoding: String },
    #[error("the {encoding} body does not decode: {message}")]
    Decode { encoding: String, message: String },
    #[error("the response is not a chat completion: {message}")]
    NotCompletion { message: String },
    #[error("no chat ID: no ZG-Res-Key header and no id in the body")]
    NoChatId,
    #[error("chat ID {id:?} is not a short token of letters, digits, '-', '_', '.' or ':'")]
    BadChatId { id: String },
    #[error("signature record: {message}")]
    Record { message: String },
}

/// The body with its `Content-Encoding` undone (identity, gzip or deflate), at most
/// [`MAX_DECODED_BYTES`]. Brotli, which 0G's broker also reads, is refused here.
pub fn decoded_body(exchange: &ChatExchange) -> Result<Vec<u8>, ExchangeError> {
    if exchange.body.len() > MAX_RESPONSE_BYTES {
        return Err(ExchangeError::TooLarge { bytes: exchange.body.len(), max: MAX_RESPONSE_BYTES });
    }
    let encoding = exchange.content_encoding.as_deref().map(|e| e.trim().to_ascii_lowercase()).unwrap_or_default();
    let mut out = Vec::new();
    let limit = MAX_DECODED_BYTES as u64 + 1;
    let read = match encoding.as_str() {
        "" | "identity" => return Ok(exchange.body.clone()),
        "gzip" | "x-gzip" => flate2::read::GzDecoder::new(&exchange.body[..]).take(limit).read_to_end(&mut out),
        // HTTP's "deflate" is zlib-wrapped (RFC 9110); Go's broker reads it as raw deflate: both.
        "deflate" => flate2::read::ZlibDecoder::new(&exchange.body[..]).take(limit).read_to_end(&mut out).or_else(|_| {
            out.clear();
            flate2::read::DeflateDecoder::new(&exchange.body[..]).take(limit).read_to_end(&mut out)
        }),
        other => return Err(ExchangeError::Encoding { encoding: other.into() }),
    };
    read.map_err(|e| ExchangeError::Decode { encoding: encoding.clone(), message: e.to_string() })?;
    if out.len() > MAX_DECODED_BYTES {
        return Err(ExchangeError::TooLarge { bytes: out.len(), max: MAX_DECODED_BYTES });
    }
    Ok(out)
}

/// A decoded chat completion's `id` and the text of its first choice.
pub fn completion(decoded: &[u8]) -> Result<(Option<String>, String), ExchangeError> {
    let not = |message: String| ExchangeError::NotCompletion { message };
    if !crate::bounded_json::values_within(decoded, MAX_COMPLETION_VALUES) {
        return Err(not(format!("more than {MAX_COMPLETION_VALUES} JSON values")));
    }
    let value: serde_json::Value = crate::bounded_json::from_bytes(decoded).map_err(|e| not(crate::bounded_json::short_error(&e)))?;
    let id = value.get("id").and_then(|v| v.as_str()).map(str::to_owned);
    let content = value
        .get("choices")
        .and_then(|c| c.get(0))
        .and_then(|c| c.get("message"))
        .and_then(|m| m.get("content"))
        .and_then(|t| t.as_str())
        .ok_or_else(|| not("no choices[0].message.content".into()))?;
    Ok((id, content.to_owned()))
}

fn valid_chat_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_CHAT_ID && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// The chat ID as the SDK takes it: `ZG-Res-Key`, else the completion's `id`.
pub fn chat_id(exchange: &ChatExchange, body_id: Option<&str>) -> Result<String, ExchangeError> {
    let id = exchange.res_key.as_deref().filter(|k| !k.is_empty()).or(body_id).ok_or(ExchangeError::NoChatId)?;
    if !valid_chat_id(id) {
        return Err(ExchangeError::BadChatId { id: id.chars().take(MAX_CHAT_ID).collect() });
    }
    Ok(id.to_owned())
}

/// Path and query of the signature record, as the SDK asks (`model` percent-encoded here).
pub fn signature_path(chat_id: &str, model: &str) -> String {
    let mut query = String::new();
    for b in model.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            query.push(b as char);
        } else {
            query.push_str(&format!("%{b:02X}"));
        }
    }
    format!("/v1/proxy/signature/{chat_id}?model={query}")
}

/// The chat ID and model of a path [`signature_path`] made, and nothing else (the relay's check
/// of what a tab asks it to get): `None` for any other path, a non-canonical encoding included.
pub fn parse_signature_path(path: &str) -> Option<(String, String)> {
    const MAX_MODEL: usize = 256;
    let rest = path.strip_prefix("/v1/proxy/signature/")?;
    let (id, query) = rest.split_once("?model=")?;
    if !valid_chat_id(id) || query.len() > MAX_MODEL * 3 {
        return None;
    }
    let mut model = Vec::with_capacity(query.len());
    let mut bytes = query.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            model.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            model.push(b);
        }
    }
    let model = String::from_utf8(model).ok()?;
    (signature_path(id, &model) == path).then(|| (id.to_owned(), model))
}

/// The record served for a chat ID: `{text, signature, signing_address[, signing_algo]}`.
pub fn parse_record(status: u16, body: &[u8]) -> Result<SignatureRecord, ExchangeError> {
    if status != 200 {
        return Err(ExchangeError::Status { status });
    }
    if body.len() > MAX_RECORD_BYTES {
        return Err(ExchangeError::TooLarge { bytes: body.len(), max: MAX_RECORD_BYTES });
    }
    #[derive(serde::Deserialize)]
    struct Record {
        text: String,
        signature: String,
        signing_address: String,
        #[serde(default)]
        signing_algo: Option<String>,
    }
    let r: Record = crate::bounded_json::from_bytes(body).map_err(|e| ExchangeError::Record { message: crate::bounded_json::short_error(&e) })?;
    if r.signing_algo.as_deref().is_some_and(|a| a != "ecdsa") {
        return Err(ExchangeError::Record { message: format!("signing_algo {:?} is not ecdsa", r.signing_algo) });
    }
    Ok(SignatureRecord { text: r.text, signature: r.signature, signing_address: r.signing_address })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn exchange(encoding: Option<&str>, body: Vec<u8>) -> ChatExchange {
        ChatExchange { status: 200, content_encoding: encoding.map(str::to_owned), res_key: None, body }
    }

    const BODY: &[u8] = br#"{"id":"chatcmpl-7","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"length"}]}"#;

    #[test]
    fn bodies_decode_and_bombs_do_not() {
        assert_eq!(decoded_body(&exchange(None, BODY.to_vec())).unwrap(), BODY);
        assert_eq!(decoded_body(&exchange(Some("gzip"), gzip(BODY))).unwrap(), BODY);
        assert_eq!(completion(BODY).unwrap(), (Some("chatcmpl-7".into()), "hi".into()));
        // 4 MiB of zeros in a few KiB of gzip.
        let bomb = gzip(&vec![0u8; 4 << 20]);
        assert!(bomb.len() < MAX_RESPONSE_BYTES);
        assert!(matches!(decoded_body(&exchange(Some("gzip"), bomb)), Err(ExchangeError::TooLarge { .. })));
        assert!(matches!(decoded_body(&exchange(Some("gzip"), BODY.to_vec())), Err(ExchangeError::Decode { .. })));
        assert!(matches!(decoded_body(&exchange(Some("br"), BODY.to_vec())), Err(ExchangeError::Encoding { .. })));
        assert!(matches!(completion(b"{\"error\":\"upstream\"}"), Err(ExchangeError::NotCompletion { .. })));
    }

    #[test]
    fn chat_ids_and_records() {
        let mut e = exchange(None, vec![]);
        assert_eq!(chat_id(&e, Some("chatcmpl-7")).unwrap(), "chatcmpl-7");
        e.res_key = Some("3f2a-key".into());
        assert_eq!(chat_id(&e, Some("chatcmpl-7")).unwrap(), "3f2a-key");
        e.res_key = Some("../../admin".into());
        assert!(matches!(chat_id(&e, None), Err(ExchangeError::BadChatId { .. })));
        assert_eq!(chat_id(&exchange(None, vec![]), None), Err(ExchangeError::NoChatId));
        assert_eq!(signature_path("abc", "meta/llama 3"), "/v1/proxy/signature/abc?model=meta%2Fllama%203");
        assert_eq!(parse_signature_path("/v1/proxy/signature/abc?model=meta%2Fllama%203"), Some(("abc".into(), "meta/llama 3".into())));
        assert_eq!(parse_signature_path(&signature_path("chatcmpl-7", "zg-tiny-lm-1")), Some(("chatcmpl-7".into(), "zg-tiny-lm-1".into())));
        for bad in [
            "/v1/proxy/signature/abc?model=meta%2fllama%203",
            "/v1/proxy/signature/abc?model=meta/llama",
            "/v1/proxy/signature/abc?model=a&x=1",
            "/v1/proxy/signature/../admin?model=a",
            "/v1/proxy/signature/abc?model=%2",
            "/v1/proxy/signature/abc?model=%FF",
            "/v1/proxy/signature/abc",
            "/v1/proxy/chat/completions?model=a",
            "//evil.example/v1/proxy/signature/abc?model=a",
            "/v1/proxy/signature/a%2Fb?model=a",
        ] {
            assert_eq!(parse_signature_path(bad), None, "{bad}");
        }
        let record = br#"{"text":"a:b","signature":"0x00","signing_address":"0x0000000000000000000000000000000000000001","signing_algo":"ecdsa"}"#;
        assert_eq!(parse_record(200, record).unwrap().text, "a:b");
        assert_eq!(parse_record(404, record), Err(ExchangeError::Status { status: 404 }));
        assert!(matches!(parse_record(200, b"{}"), Err(ExchangeError::Record { .. })));
        assert!(matches!(parse_record(200, &vec![b' '; MAX_RECORD_BYTES + 1]), Err(ExchangeError::TooLarge { .. })));
    }
}
