//! The serving core natively and in headless Chromium: the model's answers are the same bit for
//! bit on both (pinned here), and the drift test's error rates over a long simulated run stay
//! within the bounds docs/serving.md states.

use zg_align::serving::canary::CANARIES_V1;
use zg_align::serving::drift::DRIFT_PARAMS;
use zg_align::serving::simulate::measure;
use zg_align::serving::TinyModel;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[test]
fn the_tiny_model_and_its_answers_are_pinned() {
    let model = TinyModel::from_seed("zg-tiny-lm-1");
    let answers: Vec<String> = CANARIES_V1.iter().map(|c| model.generate(c.prompt, c.max_tokens)).collect();
    let digest = zg_align::hash::keccak256(answers.join("\n").as_bytes());
    assert_eq!(model.weights_hash().to_hex(), PINNED_WEIGHTS, "weights");
    assert_eq!(digest.to_hex(), PINNED_ANSWERS, "answers: {answers:?}");
}

const PINNED_WEIGHTS: &str = "0xb0debc1fb2bca04b24e842a98ab451d58b48fec04b7a9fd972277e1080c7ed9b";
const PINNED_ANSWERS: &str = "0x8a855ef1bd4e0b612d85b786c78a47bfd8e6c20b19c2317e0e45e11446abfa0b";

#[test]
fn drift_test_error_rates_over_a_long_run() {
    // 4 runs of 2,500 rounds each way (10,000 rounds of an unchanged model); examples/drift_rates
    // prints the long measurement of docs/serving.md.
    let rates = measure(DRIFT_PARAMS, 4, 2_500, 150, 100, 11);
    assert_eq!(rates.false_alarms, 0, "{rates:?}");
    assert_eq!(rates.missed, 0, "{rates:?}");
    assert!(rates.delays.iter().all(|&d| d <= 150), "{rates:?}");
}
