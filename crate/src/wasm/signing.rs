//! Signatures from the owner's wallet. Wallets inject their provider into the page, never into
//! workers, and no private key may enter the page or the worker: so the worker asks the tab,
//! the tab asks the wallet (EIP-1193 `eth_signTypedData_v4`), and the answer comes back here.
//!
//! Worker to tab: `{type: "request", id, method: "signTypedData", params: {typedData, account}}`
//! (`typedData` is the EIP-712 JSON text). Tab to worker: `{type: "response", id, result}` with
//! the `0x` signature, or `{type: "response", id, error: {code, message, reason}}` where `code` is
//! the wallet's EIP-1193 code (4001: the owner refused) and `reason: "noWallet"` says no wallet is
//! connected. These ids are the worker's own, apart from the tab's request ids.

use futures::channel::oneshot;
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

/// How long the owner may take to answer in the wallet before the request is dropped.
pub const SIGN_TIMEOUT_MS: u32 = 5 * 60 * 1000;

/// EIP-1193: the user rejected the request.
const USER_REJECTED: i64 = 4001;

/// Why no signature came back. Every field comes from the tab or the wallet: untrusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("the owner declined to sign in the wallet")]
    Refused,
    #[error("no wallet is connected: connect a wallet in the tab, then try again")]
    NoWallet,
    #[error("the wallet gave no answer within {} s", .0 / 1000)]
    Timeout(u32),
    #[error("the wallet failed: {message}{}", code_suffix(*.code))]
    Wallet { code: Option<i64>, message: String },
    #[error("not a request to sign: {0}")]
    BadRequest(String),
    #[error("the tab's answer is not a signature: {0}")]
    BadAnswer(String),
}

impl SignError {
    /// A short name the tab can act on (`refused`, `noWallet`, ...).
    pub fn reason(&self) -> &'static str {
        match self {
            SignError::Refused => "refused",
            SignError::NoWallet => "noWallet",
            SignError::Timeout(_) => "timeout",
            SignError::Wallet { .. } => "wallet",
            SignError::BadRequest(_) => "badRequest",
            SignError::BadAnswer(_) => "badAnswer",
        }
    }
}

fn code_suffix(code: Option<i64>) -> String {
    code.map(|c| format!(" (code {c})")).unwrap_or_default()
}

type Answer = Result<String, SignError>;

#[derive(Default)]
struct Pending {
    next_id: u32,
    waiting: HashMap<u32, oneshot::Sender<Answer>>,
}

thread_local! {
    static PENDING: RefCell<Pending> = RefCell::new(Pending::default());
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Checks that `typed_data_json` is EIP-712 typed data as `eth_signTypedData_v4` takes it and
/// that `account` is an address, before anything goes to the wallet.
pub fn check_request(typed_data_json: &str, account: &str) -> Result<(), SignError> {
    let is_address = account.len() == 42 && account.starts_with("0x") && account[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !is_address {
        return Err(SignError::BadRequest(format!("account {account:?} is not a 0x address of 20 bytes")));
    }
    let value: serde_json::Value =
        serde_json::from_str(typed_data_json).map_err(|e| SignError::BadRequest(format!("typed data is not JSON: {e}")))?;
    let missing: Vec<&str> = ["types", "primaryType", "domain", "message"].into_iter().filter(|k| value.get(k).is_none()).collect();
    if !value.is_object() || !missing.is_empty() {
        return Err(SignError::BadRequest(format!("typed data lacks {}", missing.join(", "))));
    }
    Ok(())
}

/// Checks a signature's shape: `0x` and 65 bytes (r, s, v). Whether it recovers to the account
/// is for whoever uses it to check, with the typed data's hash.
pub fn check_signature(signature: &str) -> Result<(), SignError> {
    let ok = signature.len() == 132 && signature.starts_with("0x") && signature[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        let shown: String = signature.chars().take(140).collect();
        Err(SignError::BadAnswer(format!("expected 0x and 65 bytes in hex, got {shown:?}")))
    }
}

/// Asks the tab to have the wallet sign `typed_data_json` (EIP-712) with `account`, waiting at
/// most [`SIGN_TIMEOUT_MS`]. `post` sends the request to the tab (the worker's outbox).
pub async fn request_signature_via(post: impl Fn(JsValue), typed_data_json: &str, account: &str, timeout_ms: u32) -> Answer {
    check_request(typed_data_json, account)?;
    let (tx, rx) = oneshot::channel();
    let id = PENDING.with_borrow_mut(|p| {
        p.next_id = p.next_id.wrapping_add(1);
        p.waiting.insert(p.next_id, tx);
        p.next_id
    });
    let params = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&params, &"typedData".into(), &typed_data_json.into());
    let _ = js_sys::Reflect::set(&params, &"account".into(), &account.into());
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"request".into());
    let _ = js_sys::Reflect::set(&message, &"id".into(), &id.into());
    let _ = js_sys::Reflect::set(&message, &"method".into(), &"signTypedData".into());
    let _ = js_sys::Reflect::set(&message, &"params".into(), &params);
    post(message.into());
    let answer = futures::select! {
        answer = rx.fuse() => answer.unwrap_or(Err(SignError::NoWallet)),
        () = TimeoutFuture::new(timeout_ms).fuse() => Err(SignError::Timeout(timeout_ms)),
    };
    PENDING.with_borrow_mut(|p| p.waiting.remove(&id));
    answer
}

/// [`request_signature_via`] through the worker's own channel to the tab.
pub async fn request_signature(typed_data_json: &str, account: &str) -> Answer {
    request_signature_via(super::worker::post, typed_data_json, account, SIGN_TIMEOUT_MS).await
}

/// Takes the tab's answer to one of our requests; false when `data` is not one.
pub fn on_tab_message(data: &JsValue) -> bool {
    if get(data, "type").as_string().as_deref() != Some("response") {
        return false;
    }
    let Some(id) = get(data, "id").as_f64().filter(|id| id.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(id)) else {
        return true; // Ours by its type, but answers nothing we asked.
    };
    let Some(waiter) = PENDING.with_borrow_mut(|p| p.waiting.remove(&(id as u32))) else {
        return true; // Late (timed out) or unknown: nobody waits for it.
    };
    let _ = waiter.send(parse_answer(data));
    true
}

fn parse_answer(data: &JsValue) -> Answer {
    let error = get(data, "error");
    if !error.is_undefined() && !error.is_null() {
        let code = get(&error, "code").as_f64().filter(|c| c.fract() == 0.0 && c.abs() < 1e15).map(|c| c as i64);
        if get(&error, "reason").as_string().as_deref() == Some("noWallet") {
            return Err(SignError::NoWallet);
        }
        if code == Some(USER_REJECTED) {
            return Err(SignError::Refused);
        }
        let message: String = get(&error, "message").as_string().unwrap_or_else(|| "no message".into()).chars().take(500).collect();
        return Err(SignError::Wallet { code, message });
    }
    let Some(signature) = get(data, "result").as_string() else {
        return Err(SignError::BadAnswer("no signature in the answer".into()));
    };
    check_signature(&signature)?;
    Ok(signature)
}

/// The worker method `signTypedData` (`{typedData, account}`, typed data as JSON text or object):
/// the whole path tab -> worker -> tab -> wallet -> worker -> tab, for tools and tests. The reply
/// is `{id, result: signature}` or `{id, error: Error, reason}` ([`SignError::reason`]).
pub fn handle_request(id: JsValue, params: JsValue) {
    let typed = get(&params, "typedData");
    let typed = typed.as_string().or_else(|| {
        if typed.is_object() { js_sys::JSON::stringify(&typed).ok().and_then(|s| s.as_string()) } else { None }
    });
    let account = get(&params, "account").as_string().unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = request_signature(typed.as_deref().unwrap_or(""), &account).await;
        let reply = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&reply, &"id".into(), &id);
        match answer {
            Ok(signature) => {
                let _ = js_sys::Reflect::set(&reply, &"result".into(), &signature.into());
            }
            Err(e) => {
                let _ = js_sys::Reflect::set(&reply, &"error".into(), &js_sys::Error::new(&e.to_string()).into());
                let _ = js_sys::Reflect::set(&reply, &"reason".into(), &e.reason().into());
            }
        }
        super::worker::post(reply.into());
    });
}
