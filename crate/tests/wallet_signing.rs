//! The worker's signature requests to the tab (crate/src/wasm/signing.rs), in a real dedicated
//! worker of headless Chromium: the request it posts, each kind of answer the tab can give (and
//! malformed ones), late answers and the time-out. The tab's side is played here through the
//! worker's own message handler; with a page and the test wallet: tests/wallet.test.mjs.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use zg_align::wasm::signing::{check_signature, request_signature_via, SignError};
use zg_align::wasm::worker;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const ACCOUNT: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const TYPED: &str = r#"{"types":{"EIP712Domain":[]},"primaryType":"EIP712Domain","domain":{},"message":{}}"#;
const SIGNATURE: &str = "0x956d6130d180a301260c2c1b6cdc9a6d55f6bc0d92bd1ac0787c4d86f1c7516d5663d7182c67994fd5cf9931fcf8d7d7bebca338ee89057dbed117e4f2d7adbb1c";

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

/// Asks for a signature; the "tab" answers the posted request with `answer(id)` (JSON text, or
/// nothing), through the worker's message handler as the real tab's answer arrives.
async fn ask(answer: impl Fn(f64) -> Option<String> + 'static, timeout_ms: u32) -> (Result<String, SignError>, JsValue) {
    let posted = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let seen = posted.clone();
    let post = move |m: JsValue| {
        *seen.borrow_mut() = m.clone();
        if let Some(text) = answer(get(&m, "id").as_f64().unwrap()) {
            // Answered in a later task, as postMessage would.
            wasm_bindgen_futures::spawn_local(async move { worker::handle(json(&text)) });
        }
    };
    let result = request_signature_via(post, TYPED, ACCOUNT, timeout_ms).await;
    let request = posted.borrow().clone();
    (result, request)
}

#[wasm_bindgen_test]
async fn the_request_and_a_signature() {
    let (result, request) = ask(|id| Some(format!(r#"{{"type":"response","id":{id},"result":"{SIGNATURE}"}}"#)), 5_000).await;
    assert_eq!(result.unwrap(), SIGNATURE);
    assert_eq!(get(&request, "type").as_string().as_deref(), Some("request"));
    assert_eq!(get(&request, "method").as_string().as_deref(), Some("signTypedData"));
    let params = get(&request, "params");
    assert_eq!(get(&params, "typedData").as_string().as_deref(), Some(TYPED));
    assert_eq!(get(&params, "account").as_string().as_deref(), Some(ACCOUNT));
}

#[wasm_bindgen_test]
async fn each_kind_of_refusal() {
    let cases: [(&str, SignError); 5] = [
        (r#"{"code":4001,"message":"User rejected the request."}"#, SignError::Refused),
        (r#"{"code":null,"message":"no wallet is connected","reason":"noWallet"}"#, SignError::NoWallet),
        (r#"{"code":-32002,"message":"already pending"}"#, SignError::Wallet { code: Some(-32002), message: "already pending".into() }),
        (r#"{"code":4100.5,"message":"odd"}"#, SignError::Wallet { code: None, message: "odd".into() }),
        (r#"{}"#, SignError::Wallet { code: None, message: "no message".into() }),
    ];
    for (error, want) in cases {
        let error = error.to_string();
        let (result, _) = ask(move |id| Some(format!(r#"{{"type":"response","id":{id},"error":{error}}}"#)), 5_000).await;
        assert_eq!(result.unwrap_err(), want);
    }
    assert_eq!(SignError::Refused.to_string(), "the owner declined to sign in the wallet");
    assert_eq!(
        SignError::Wallet { code: Some(-32002), message: "already pending".into() }.to_string(),
        "the wallet failed: already pending (code -32002)"
    );
}

#[wasm_bindgen_test]
async fn answers_that_are_not_signatures() {
    for result in [r#""0x12""#, r#"42"#, r#""0xzz6d6130d180a301260c2c1b6cdc9a6d55f6bc0d92bd1ac0787c4d86f1c7516d5663d7182c67994fd5cf9931fcf8d7d7bebca338ee89057dbed117e4f2d7adbb1c""#] {
        let (got, _) = ask(move |id| Some(format!(r#"{{"type":"response","id":{id},"result":{result}}}"#)), 5_000).await;
        assert_eq!(got.unwrap_err().reason(), "badAnswer", "{result}");
    }
    assert!(check_signature(SIGNATURE).is_ok());
}

#[wasm_bindgen_test]
async fn bad_requests_never_reach_the_tab() {
    let posted = Rc::new(RefCell::new(0));
    let count = posted.clone();
    let post = move |_: JsValue| *count.borrow_mut() += 1;
    for (typed, account) in [(TYPED, "0x1234"), (TYPED, "f39Fd6e51aad88F6F4ce6aB8827279cffFb922660x"), ("{", ACCOUNT), (r#"{"types":{}}"#, ACCOUNT), ("[]", ACCOUNT)] {
        let got = request_signature_via(&post, typed, account, 1_000).await;
        assert_eq!(got.unwrap_err().reason(), "badRequest", "{typed} {account}");
    }
    assert_eq!(*posted.borrow(), 0);
}

#[wasm_bindgen_test]
async fn no_answer_times_out_and_a_late_one_is_dropped() {
    let ids = Rc::new(RefCell::new(Vec::new()));
    let seen = ids.clone();
    let (result, _) = ask(move |id| { seen.borrow_mut().push(id); None }, 200).await;
    assert_eq!(result.unwrap_err(), SignError::Timeout(200));
    assert_eq!(SignError::Timeout(300_000).to_string(), "the wallet gave no answer within 300 s");
    // The late answer and answers to nothing asked are taken and dropped without a reply.
    let late = ids.borrow()[0];
    worker::set_outbox(Rc::new(|m| panic!("nothing to reply to: {m:?}")));
    worker::handle(json(&format!(r#"{{"type":"response","id":{late},"result":"{SIGNATURE}"}}"#)));
    worker::handle(json(r#"{"type":"response","id":-1}"#));
    worker::handle(json(r#"{"type":"response"}"#));
    // The next request still gets its own answer.
    let (result, _) = ask(|id| Some(format!(r#"{{"type":"response","id":{id},"result":"{SIGNATURE}"}}"#)), 5_000).await;
    assert_eq!(result.unwrap(), SIGNATURE);
}
