//! The storage nodes a tab may ask the relay to call: those the indexer listed in an answer the
//! relay forwarded (remembered for a while), and those the profile names. Anything else is refused,
//! so a tab cannot use the relay to reach arbitrary hosts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use url::Url;

/// How long a node the indexer listed stays callable.
const TTL: Duration = Duration::from_secs(3600);
/// Most nodes remembered; the oldest go first.
const MAX_KNOWN: usize = 4096;

#[derive(Default)]
pub struct KnownNodes {
    fixed: Vec<String>,
    learnt: Mutex<HashMap<String, Instant>>,
}

impl KnownNodes {
    pub fn new(fixed: &[Url]) -> Self {
        KnownNodes { fixed: fixed.iter().map(normalise).collect(), learnt: Default::default() }
    }

    /// Remembers every `url` field of an indexer answer (`indexer_getShardedNodes`,
    /// `indexer_getFileLocations`): the answer is forwarded as it is; this only reads it.
    pub fn learn_from_indexer(&self, answer: &[u8]) {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(answer) else { return };
        let mut urls = Vec::new();
        collect_urls(&value["result"], &mut urls, 0);
        let now = Instant::now();
        let mut learnt = self.learnt.lock().expect("known nodes lock");
        learnt.retain(|_, seen| now.duration_since(*seen) < TTL);
        for url in urls {
            if learnt.len() >= MAX_KNOWN && !learnt.contains_key(&url) {
                let Some(oldest) = learnt.iter().min_by_key(|(_, t)| **t).map(|(u, _)| u.clone()) else { break };
                learnt.remove(&oldest);
            }
            learnt.insert(url, now);
        }
    }

    /// Whether `url` may be called, and the parsed URL.
    pub fn check(&self, url: &str) -> Option<Url> {
        let parsed = Url::parse(url).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
        let key = normalise(&parsed);
        if self.fixed.contains(&key) {
            return Some(parsed);
        }
        let learnt = self.learnt.lock().expect("known nodes lock");
        learnt.get(&key).filter(|seen| seen.elapsed() < TTL).map(|_| parsed)
    }
}

fn normalise(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_string()
}

/// `url` strings at any depth up to 4 (`{trusted: [{url}]}`, `[{url}]`).
fn collect_urls(value: &serde_json::Value, out: &mut Vec<String>, depth: usize) {
    if depth > 4 || out.len() >= MAX_KNOWN {
        return;
    }
    match value {
        serde_json::Value::Object(map) => {
            if let Some(url) = map.get("url").and_then(|u| u.as_str()).and_then(|u| Url::parse(u).ok()) {
                if matches!(url.scheme(), "http" | "https") {
                    out.push(normalise(&url));
                }
            }
            for v in map.values() {
                collect_urls(v, out, depth + 1);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_urls(v, out, depth + 1)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_nodes_are_callable() {
        let known = KnownNodes::new(&[Url::parse("http://10.0.0.9:5678").unwrap()]);
        assert!(known.check("http://10.0.0.9:5678/").is_some());
        assert!(known.check("http://10.0.0.1:5678").is_none());
        known.learn_from_indexer(br#"{"jsonrpc":"2.0","id":1,"result":{"trusted":[{"url":"http://10.0.0.1:5678","config":{"shardId":0,"numShard":1}}],"discovered":null}}"#);
        assert!(known.check("http://10.0.0.1:5678").is_some());
        known.learn_from_indexer(br#"{"jsonrpc":"2.0","id":1,"result":[{"url":"http://10.0.0.2:5678"},{"url":"file:///etc/passwd"}]}"#);
        assert!(known.check("http://10.0.0.2:5678").is_some());
        assert!(known.check("file:///etc/passwd").is_none());
        assert!(known.check("not a url").is_none());
        known.learn_from_indexer(b"garbage");
        assert!(known.check("http://10.0.0.3:5678").is_none());
    }
}
