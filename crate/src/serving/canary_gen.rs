//! Canaries a provider cannot tell from other traffic: each round's requests are drawn fresh by
//! a generator the worker seeds from its own randomness, so no prompt, length or byte layout
//! repeats in a way a provider could learn. Prompts are built from templates and word lists;
//! `max_tokens` varies; the body is written as one of the clients people use writes it (key
//! order, whitespace, an optional system message and `stream: false`).
//!
//! Canaries are greedy (`temperature` 0, written `0` or `0.0`), so the worker re-runs them. Drift
//! requests keep the drift test's fixed prompt (its measured error rates are for that prompt:
//! docs/serving.md) at temperature 1, with the same varied lengths and layouts; the drift test
//! reads only the answer's first character, which does not depend on `max_tokens`.

use super::canary::{DRIFT_PROMPT_V1, DRIFT_TEMPERATURE};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// Shortest and longest canary answers asked for.
pub const CANARY_TOKENS: (u32, u32) = (8, 48);
/// Drift answers: the test reads one character; the length only hides the request.
pub const DRIFT_TOKENS: (u32, u32) = (1, 16);

const SUBJECTS: &[&str] = &[
    "the river", "my neighbour", "a small robot", "the old library", "our team", "the city at night", "a quiet garden", "the ocean",
    "an apple tree", "the first train", "a lost key", "the mountain road", "her notebook", "the winter market", "a paper boat", "the last page",
];
const TOPICS: &[&str] = &[
    "photosynthesis", "the water cycle", "compound interest", "how bridges stand", "why leaves change colour", "the moon's phases",
    "how bread rises", "what a prime number is", "how a compass works", "why the sea is salty", "how vaccines work", "what gravity does",
];
const LANGUAGES: &[&str] = &["french", "spanish", "german", "italian", "portuguese"];
const PHRASES: &[&str] = &["good morning", "thank you very much", "where is the station?", "i like this book", "see you tomorrow", "the weather is nice"];
const ITEMS: &[&str] = &["fruits", "colours", "planets", "rivers", "birds", "tools", "capital cities", "board games"];
const SYSTEM: &[&str] = &["You are a helpful assistant.", "You are a concise assistant.", "Answer briefly."];

/// One request as the node sends it, and what the node needs to judge the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedRequest {
    /// The exact body bytes: hashed by the node and signed by the provider.
    pub body: Vec<u8>,
    /// The last user message (what the model answers).
    pub prompt: String,
    pub max_tokens: u32,
    pub temperature: f64,
}

/// The generator; seed it from the worker's `crypto.getRandomValues` every round.
pub struct CanaryGenerator {
    rng: ChaCha20Rng,
}

impl CanaryGenerator {
    pub fn from_seed(seed: [u8; 32]) -> Self {
        CanaryGenerator { rng: ChaCha20Rng::from_seed(seed) }
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }

    fn prompt(&mut self) -> String {
        match self.rng.random_range(0..8) {
            0 => format!("tell me a short story about {}.", self.pick(SUBJECTS)),
            1 => format!("explain {} in one sentence.", self.pick(TOPICS)),
            2 => format!("translate to {}: {}", self.pick(LANGUAGES), self.pick(PHRASES)),
            3 => format!("list {} {}.", self.rng.random_range(2..6), self.pick(ITEMS)),
            4 => format!("what is {} plus {}?", self.rng.random_range(2..100), self.rng.random_range(2..100)),
            5 => format!("complete the sentence: {} was", self.pick(SUBJECTS)),
            6 => format!("write a title for a blog post about {}.", self.pick(TOPICS)),
            _ => format!("describe {} in three words.", self.pick(SUBJECTS)),
        }
    }

    /// A greedy canary for `model`.
    pub fn canary(&mut self, model: &str) -> GeneratedRequest {
        let prompt = self.prompt();
        let max_tokens = self.rng.random_range(CANARY_TOKENS.0..=CANARY_TOKENS.1);
        self.request(model, prompt, max_tokens, 0.0)
    }

    /// A drift request for `model`: the drift prompt, sampled.
    pub fn drift(&mut self, model: &str) -> GeneratedRequest {
        let max_tokens = self.rng.random_range(DRIFT_TOKENS.0..=DRIFT_TOKENS.1);
        self.request(model, DRIFT_PROMPT_V1.to_owned(), max_tokens, DRIFT_TEMPERATURE)
    }

    fn request(&mut self, model: &str, prompt: String, max_tokens: u32, temperature: f64) -> GeneratedRequest {
        let js = |v: &str| serde_json::to_string(v).expect("strings serialise");
        let mut messages = Vec::new();
        if self.rng.random_bool(0.4) {
            messages.push(("system", self.pick(SYSTEM).to_owned()));
        }
        messages.push(("user", prompt.clone()));
        // Three clients' layouts: JSON.stringify (compact), Python's json.dumps (", " and ": "),
        // and a pretty-printed body (2 spaces), as curl users and JSON.stringify(x, null, 2) send.
        let layout = self.rng.random_range(0..3);
        let (comma, colon) = if layout == 1 { (", ", ": ") } else { (",", ":") };
        let python_float = layout == 1 && self.rng.random_bool(0.5);
        let temperature_text = match (temperature == 0.0, python_float) {
            (true, true) => "0.0".to_owned(),
            (true, false) => "0".to_owned(),
            (false, true) => format!("{temperature:.1}"),
            (false, false) => format!("{temperature}"),
        };
        let role_first = self.rng.random_bool(0.8);
        let message = |role: &str, content: &str| {
            let (a, b) = (format!("{}{colon}{}", js("role"), js(role)), format!("{}{colon}{}", js("content"), js(content)));
            if role_first { format!("{{{a}{comma}{b}}}") } else { format!("{{{b}{comma}{a}}}") }
        };
        let messages_text = format!("[{}]", messages.iter().map(|(r, c)| message(r, c)).collect::<Vec<_>>().join(comma));
        let mut fields = vec![
            ("model", js(model)),
            ("messages", messages_text),
            ("max_tokens", max_tokens.to_string()),
            ("temperature", temperature_text),
        ];
        if self.rng.random_bool(0.3) {
            fields.push(("stream", "false".into()));
        }
        // Key orders seen in practice: the SDK example's messages-first, model-first, and the rest shuffled.
        match self.rng.random_range(0..3) {
            0 => fields.swap(0, 1),
            1 => {}
            _ => {
                let tail = fields.split_off(2);
                let mut tail = tail;
                for i in (1..tail.len()).rev() {
                    tail.swap(i, self.rng.random_range(0..=i));
                }
                fields.extend(tail);
            }
        }
        let body = if layout == 2 {
            let inner: Vec<String> = fields.iter().map(|(k, v)| format!("  {}: {}", js(k), v)).collect();
            format!("{{\n{}\n}}", inner.join(",\n"))
        } else {
            format!("{{{}}}", fields.iter().map(|(k, v)| format!("{}{colon}{v}", js(k))).collect::<Vec<_>>().join(comma))
        };
        GeneratedRequest { body: body.into_bytes(), prompt, max_tokens, temperature }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use std::collections::BTreeSet;

    #[test]
    fn requests_are_valid_json_that_say_what_the_node_judges() {
        let mut g = CanaryGenerator::from_seed([7; 32]);
        for i in 0..300 {
            let r = if i % 3 == 0 { g.drift("zg-large-lm-1") } else { g.canary("zg-tiny-lm-1") };
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            let last = v["messages"].as_array().unwrap().last().unwrap();
            assert_eq!(last["role"], "user");
            assert_eq!(last["content"], r.prompt.as_str());
            assert_eq!(v["max_tokens"].as_u64(), Some(r.max_tokens as u64));
            assert_eq!(v["temperature"].as_f64(), Some(r.temperature));
        }
    }

    #[test]
    fn bodies_do_not_repeat_and_vary_in_layout() {
        let mut g = CanaryGenerator::from_seed([1; 32]);
        let bodies: Vec<Vec<u8>> = (0..200).map(|_| g.canary("zg-tiny-lm-1").body).collect();
        let distinct: BTreeSet<&Vec<u8>> = bodies.iter().collect();
        assert!(distinct.len() >= 190, "{} distinct of 200", distinct.len());
        let prompts: BTreeSet<String> = (0..200).map(|_| g.canary("m").prompt).collect();
        assert!(prompts.len() >= 100, "{} distinct prompts", prompts.len());
        let text: Vec<String> = bodies.iter().map(|b| String::from_utf8(b.clone()).unwrap()).collect();
        assert!(text.iter().any(|t| t.starts_with("{\"messages\":")));
        assert!(text.iter().any(|t| t.starts_with("{\"model\": ")));
        assert!(text.iter().any(|t| t.starts_with("{\n  ")));
        assert!(text.iter().any(|t| t.contains("\"stream\"")));
        assert!(text.iter().any(|t| t.contains("\"system\"")));
        // The same seed gives the same requests: the worker's seed alone decides.
        let mut a = CanaryGenerator::from_seed([9; 32]);
        let mut b = CanaryGenerator::from_seed([9; 32]);
        assert_eq!(a.canary("m"), b.canary("m"));
    }
}
