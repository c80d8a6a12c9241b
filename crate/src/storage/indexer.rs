//! The storage indexer's answers (0g-storage-client `indexer/types.go`, `common/shard`): which
//! storage nodes exist and which shard each keeps. Untrusted like everything relayed: the list is
//! capped, URLs are checked, and a node's own `zgs_getShardConfig` is what its check follows.

use super::rpc::{parse_response, request_body, RpcError};
use super::shard::ShardConfig;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Largest indexer answer read.
pub const MAX_INDEXER_RESPONSE_BYTES: usize = 256 * 1024;
/// Most storage nodes one round looks at (trusted first, then discovered).
pub const MAX_NODES: usize = 64;
/// Longest node URL kept.
pub const MAX_URL_LEN: usize = 256;

/// `shard.ShardedNode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardedNode {
    pub url: String,
    pub config: ShardConfig,
    /// RPC latency in ms, as the indexer measured it.
    #[serde(default)]
    pub latency: i64,
    /// When the indexer last updated the entry.
    #[serde(default)]
    pub since: i64,
}

/// `indexer.ShardedNodes`; a Go nil slice is JSON `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardedNodes {
    #[serde(default)]
    pub trusted: Option<Vec<ShardedNode>>,
    #[serde(default)]
    pub discovered: Option<Vec<ShardedNode>>,
}

/// `indexer_getShardedNodes()`.
pub fn sharded_nodes_body(id: u64) -> Vec<u8> {
    request_body(id, "indexer_getShardedNodes", json!([]))
}

/// `indexer_getFileLocations(root)`.
pub fn file_locations_body(id: u64, root: &crate::Hash32) -> Vec<u8> {
    request_body(id, "indexer_getFileLocations", json!([root]))
}

/// The nodes to check: trusted then discovered, each URL once, only `http(s)://` URLs of sane
/// length, at most [`MAX_NODES`].
pub fn parse_sharded_nodes(body: &[u8], id: u64) -> Result<Vec<ShardedNode>, RpcError> {
    let nodes: ShardedNodes = parse_response(body, id, MAX_INDEXER_RESPONSE_BYTES)?.unwrap_or_default();
    let mut seen = std::collections::BTreeSet::new();
    Ok(nodes
        .trusted
        .into_iter()
        .flatten()
        .chain(nodes.discovered.into_iter().flatten())
        .filter(|n| n.url.len() <= MAX_URL_LEN && (n.url.starts_with("http://") || n.url.starts_with("https://")))
        .filter(|n| seen.insert(n.url.clone()))
        .take(MAX_NODES)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn answer(result: &str) -> Vec<u8> {
        format!(r#"{{"jsonrpc":"2.0","id":1,"result":{result}}}"#).into_bytes()
    }

    #[test]
    fn the_real_shape_is_read() {
        let body = answer(
            r#"{"trusted":[{"url":"http://1.2.3.4:5678","config":{"shardId":0,"numShard":2},"latency":12,"since":1700000000}],
                "discovered":[{"url":"http://5.6.7.8:5678","config":{"shardId":1,"numShard":2},"latency":40,"since":1}, {"url":"http://1.2.3.4:5678","config":{"shardId":0,"numShard":2}}]}"#,
        );
        let nodes = parse_sharded_nodes(&body, 1).unwrap();
        assert_eq!(nodes.len(), 2, "a URL listed twice is one node");
        assert_eq!(nodes[0].config, ShardConfig { shard_id: 0, num_shard: 2 });
        assert_eq!(nodes[1].url, "http://5.6.7.8:5678");
        assert_eq!(parse_sharded_nodes(&answer(r#"{"trusted":null,"discovered":null}"#), 1).unwrap(), vec![]);
        assert_eq!(parse_sharded_nodes(&answer("null"), 1).unwrap(), vec![]);
    }

    #[test]
    fn hostile_lists_are_cut_down() {
        let node = |url: &str| format!(r#"{{"url":"{url}","config":{{"shardId":0,"numShard":1}}}}"#);
        let many: Vec<String> = (0..MAX_NODES + 10).map(|i| node(&format!("http://10.0.0.1:{i}"))).collect();
        let nodes = parse_sharded_nodes(&answer(&format!(r#"{{"trusted":[{}]}}"#, many.join(","))), 1).unwrap();
        assert_eq!(nodes.len(), MAX_NODES);
        let odd = [node("file:///etc/passwd"), node(&format!("http://{}", "a".repeat(MAX_URL_LEN))), node("ftp://x")];
        assert_eq!(parse_sharded_nodes(&answer(&format!(r#"{{"trusted":[{}]}}"#, odd.join(","))), 1).unwrap(), vec![]);
        assert!(parse_sharded_nodes(&answer(r#"{"trusted":[{"url":3}]}"#), 1).is_err());
        let huge = answer(&format!(r#"{{"trusted":[],"x":"{}"}}"#, "a".repeat(MAX_INDEXER_RESPONSE_BYTES)));
        assert!(matches!(parse_sharded_nodes(&huge, 1), Err(RpcError::TooLarge { .. })));
    }
}
