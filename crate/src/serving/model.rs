//! A small real language model with fixed weights, run bit for bit the same natively and in wasm:
//! a character-level MLP over the last 4 characters (embedding, one ReLU layer, output logits)
//! in integer arithmetic only, so no float rounding can differ between machines. Greedy decoding
//! takes the highest logit (the lowest index on a tie). Weights come from a seed through ChaCha20
//! and are named by the keccak of their serialised form, the hash a provider declares.
//!
//! Hand-written: a few dozen integer multiply-adds; no inference crate gives bit-exact integer
//! inference in wasm at this size.

use crate::hash::{keccak256, Hash32};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// The characters the model reads and writes; anything else in a prompt reads as a space.
pub const VOCAB: &[u8; 32] = b" abcdefghijklmnopqrstuvwxyz.,?!'";
pub const CONTEXT: usize = 4;
pub const EMBED: usize = 8;
pub const HIDDEN: usize = 32;
/// Logits per unit of temperature when sampling: temperature 1 divides logits by this.
pub const LOGIT_SCALE: f64 = 16384.0;
/// Longest answer a request may ask for.
pub const MAX_TOKENS: u32 = 256;

#[derive(Clone, PartialEq, Eq)]
pub struct TinyModel {
    embed: Vec<i8>,
    w1: Vec<i8>,
    b1: Vec<i16>,
    w2: Vec<i8>,
}

impl std::fmt::Debug for TinyModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TinyModel({})", self.weights_hash())
    }
}

fn token(c: u8) -> u8 {
    let c = c.to_ascii_lowercase();
    VOCAB.iter().position(|&v| v == c).unwrap_or(0) as u8
}

impl TinyModel {
    /// Weights from `seed`: every weight a uniform i8, biases uniform in ±2048.
    pub fn from_seed(seed: &str) -> Self {
        let mut rng = ChaCha20Rng::from_seed(keccak256(seed.as_bytes()).0);
        let mut bytes = |n: usize| {
            let mut v = vec![0u8; n];
            rng.fill_bytes(&mut v);
            v.into_iter().map(|b| b as i8).collect::<Vec<i8>>()
        };
        let embed = bytes(VOCAB.len() * EMBED);
        let w1 = bytes(CONTEXT * EMBED * HIDDEN);
        let w2 = bytes(HIDDEN * VOCAB.len());
        let b1 = (0..HIDDEN).map(|_| rng.random_range(-2048i16..=2048)).collect();
        TinyModel { embed, w1, b1, w2 }
    }

    /// `"zg-tiny-lm/1"`, the four dimensions as u32 big-endian, then embed, w1, b1 (i16 BE), w2.
    pub fn serialise(&self) -> Vec<u8> {
        let mut out = b"zg-tiny-lm/1".to_vec();
        for d in [VOCAB.len(), CONTEXT, EMBED, HIDDEN] {
            out.extend_from_slice(&(d as u32).to_be_bytes());
        }
        out.extend(self.embed.iter().map(|&w| w as u8));
        out.extend(self.w1.iter().map(|&w| w as u8));
        for b in &self.b1 {
            out.extend_from_slice(&b.to_be_bytes());
        }
        out.extend(self.w2.iter().map(|&w| w as u8));
        out
    }

    pub fn weights_hash(&self) -> Hash32 {
        keccak256(&self.serialise())
    }

    /// Integer logits for the next character after `context` (token ids).
    pub fn logits(&self, context: &[u8; CONTEXT]) -> [i32; VOCAB.len()] {
        let mut hidden = [0i32; HIDDEN];
        for (j, h) in hidden.iter_mut().enumerate() {
            let mut acc = self.b1[j] as i32;
            for (p, &t) in context.iter().enumerate() {
                for e in 0..EMBED {
                    let x = self.embed[t as usize * EMBED + e] as i32;
                    acc += x * self.w1[(p * EMBED + e) * HIDDEN + j] as i32;
                }
            }
            // ReLU, then back to 7 bits: |acc| ≤ 2048 + 32·128·128, so no overflow anywhere.
            *h = (acc.max(0) >> 8).min(127);
        }
        let mut logits = [0i32; VOCAB.len()];
        for (k, l) in logits.iter_mut().enumerate() {
            *l = hidden.iter().enumerate().map(|(j, &h)| h * self.w2[j * VOCAB.len() + k] as i32).sum();
        }
        logits
    }

    fn start(prompt: &str) -> [u8; CONTEXT] {
        let mut context = [0u8; CONTEXT];
        for c in prompt.bytes() {
            context.rotate_left(1);
            context[CONTEXT - 1] = token(c);
        }
        context
    }

    /// Greedy decoding: `max_tokens` characters, each the highest logit (lowest index on a tie).
    pub fn generate(&self, prompt: &str, max_tokens: u32) -> String {
        let mut context = Self::start(prompt);
        let mut out = String::with_capacity(max_tokens as usize);
        for _ in 0..max_tokens.min(MAX_TOKENS) {
            let logits = self.logits(&context);
            let next = (0..VOCAB.len()).fold(0, |best, k| if logits[k] > logits[best] { k } else { best });
            out.push(VOCAB[next] as char);
            context.rotate_left(1);
            context[CONTEXT - 1] = next as u8;
        }
        out
    }

    /// [`TinyModel::sample`] with ChaCha20 seeded by `seed`.
    pub fn sample_seeded(&self, prompt: &str, max_tokens: u32, temperature: f64, seed: [u8; 32]) -> String {
        self.sample(prompt, max_tokens, temperature, &mut ChaCha20Rng::from_seed(seed))
    }

    /// Sampling at `temperature` (> 0) with the provider's randomness: not re-runnable by anyone
    /// else, which is why such answers are watched for drift instead of re-run.
    pub fn sample<R: RngCore>(&self, prompt: &str, max_tokens: u32, temperature: f64, rng: &mut R) -> String {
        let mut context = Self::start(prompt);
        let mut out = String::new();
        for _ in 0..max_tokens.min(MAX_TOKENS) {
            let logits = self.logits(&context);
            let top = *logits.iter().max().expect("vocabulary is not empty") as f64;
            let weights: Vec<f64> = logits.iter().map(|&l| ((l as f64 - top) / (temperature * LOGIT_SCALE)).exp()).collect();
            let mut pick = rng.random::<f64>() * weights.iter().sum::<f64>();
            let mut next = VOCAB.len() - 1;
            for (k, w) in weights.iter().enumerate() {
                if pick < *w {
                    next = k;
                    break;
                }
                pick -= w;
            }
            out.push(VOCAB[next] as char);
            context.rotate_left(1);
            context[CONTEXT - 1] = next as u8;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn same_seed_same_weights_and_answers() {
        let a = TinyModel::from_seed("zg-tiny-lm-1");
        assert_eq!(a, TinyModel::from_seed("zg-tiny-lm-1"));
        assert_ne!(a.weights_hash(), TinyModel::from_seed("zg-tiny-lm-2").weights_hash());
        assert_eq!(a.generate("hello", 20).len(), 20);
        assert_eq!(a.generate("hello", 20), a.generate("HELLO", 20), "case folds");
    }
}
