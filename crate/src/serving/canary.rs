//! The canary set: versioned prompts with fixed settings, the chat request bytes the node sends
//! for them, and reading the answer out of a provider's response. Requests and responses are
//! OpenAI-style chat completions, as 0G providers serve them.

use serde::{Deserialize, Serialize};

/// A canary: greedy canaries are re-run by the node; sampled ones feed the drift test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canary {
    pub prompt: &'static str,
    pub max_tokens: u32,
}

/// Version 1 of the set. A new version adds a new constant: a map names the version it uses,
/// and an old version's prompts never change (answers across rounds stay comparable).
pub const CANARY_VERSION: u32 = 1;
pub const CANARIES_V1: &[Canary] = &[
    Canary { prompt: "the quick brown fox", max_tokens: 24 },
    Canary { prompt: "what is the capital of france?", max_tokens: 24 },
    Canary { prompt: "once upon a time", max_tokens: 32 },
    Canary { prompt: "2 + 2 =", max_tokens: 8 },
    Canary { prompt: "translate to french: good morning", max_tokens: 24 },
    Canary { prompt: "list three primary colours.", max_tokens: 24 },
    Canary { prompt: "why is the sky blue?", max_tokens: 32 },
    Canary { prompt: "complete: to be or not to", max_tokens: 16 },
];
/// The drift prompt of version 1: sampled at temperature 1, one character, whose class is the
/// drift test's category.
pub const DRIFT_PROMPT_V1: &str = "answer with one letter:";
pub const DRIFT_TEMPERATURE: f64 = 1.0;

/// The canaries of `version`, if this node knows it.
pub fn canaries(version: u32) -> Option<&'static [Canary]> {
    (version == 1).then_some(CANARIES_V1)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: String,
    pub content: String,
}

/// The request body, fields in this order (the bytes are what is hashed and signed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<ChatMessage>,
    pub max_tokens: u32,
    /// 0 is greedy decoding.
    pub temperature: f64,
}

impl ChatRequest {
    pub fn new(model: &str, prompt: &str, max_tokens: u32, temperature: f64) -> Self {
        ChatRequest { model: model.into(), messages: vec![ChatMessage { role: "user".into(), content: prompt.into() }], max_tokens, temperature }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a chat request serialises")
    }

    /// The prompt: the last user message.
    pub fn prompt(&self) -> Option<&str> {
        self.messages.iter().rev().find(|m| m.role == "user").map(|m| m.content.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    pub id: String,
    pub object: String,
    pub model: String,
    pub choices: Vec<ChatChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatChoice {
    pub index: u32,
    pub message: ChatMessage,
    pub finish_reason: String,
}

impl ChatResponse {
    pub fn new(id: String, model: &str, content: String) -> Self {
        ChatResponse {
            id,
            object: "chat.completion".into(),
            model: model.into(),
            choices: vec![ChatChoice { index: 0, message: ChatMessage { role: "assistant".into(), content }, finish_reason: "length".into() }],
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a chat response serialises")
    }

    /// The first choice's text, from untrusted bytes.
    pub fn content_of(bytes: &[u8]) -> Result<String, String> {
        let response: ChatResponse = crate::bounded_json::from_bytes(bytes).map_err(|e| e.to_string())?;
        response.choices.into_iter().next().map(|c| c.message.content).ok_or_else(|| "no choices".into())
    }
}
