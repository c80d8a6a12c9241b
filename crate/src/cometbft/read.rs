//! One read of a CometBFT RPC the light node makes: a route (`status`, `commit`, `validators`,
//! `block`) and its numeric parameters. The same value travels in the check protocol (the relay
//! turns it into `GET /route?...` on its configured RPC) and names the size cap of the answer.
//! Strict on both sides: only those routes, only the parameters each route takes, heights and
//! pages from 1, `per_page` within CometBFT's 1..=100.

use super::rpc::{MAX_BLOCK_BYTES, MAX_COMMIT_BYTES, MAX_PER_PAGE, MAX_STATUS_BYTES, MAX_VALIDATORS, MAX_VALIDATORS_PAGE_BYTES};
use serde::{Deserialize, Serialize};

/// The routes the light node reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RpcRoute {
    /// `/status`: the chain id and the latest height and hash.
    Status,
    /// `/commit?height=`: the signed header of a height.
    Commit,
    /// `/validators?height=&page=&per_page=`: one page of a height's validator set.
    Validators,
    /// `/block?height=`: the block, for its evidence.
    Block,
}

impl RpcRoute {
    pub fn name(&self) -> &'static str {
        match self {
            RpcRoute::Status => "status",
            RpcRoute::Commit => "commit",
            RpcRoute::Validators => "validators",
            RpcRoute::Block => "block",
        }
    }

    /// Largest answer the node reads for this route (see [`super::rpc`]).
    pub fn max_bytes(&self) -> usize {
        match self {
            RpcRoute::Status => MAX_STATUS_BYTES,
            RpcRoute::Commit => MAX_COMMIT_BYTES,
            RpcRoute::Validators => MAX_VALIDATORS_PAGE_BYTES,
            RpcRoute::Block => MAX_BLOCK_BYTES,
        }
    }
}

/// The parameters, as CometBFT names them; absent ones take CometBFT's defaults (the latest
/// height, page 1, 30 per page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RpcQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
}

/// One read: `{"route": "validators", "query": {"height": 5, "page": 1, "per_page": 100}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RpcRead {
    pub route: RpcRoute,
    #[serde(default)]
    pub query: RpcQuery,
}

/// A read the relay refuses to make.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("/{route} takes no {param} parameter")]
    Unexpected { route: &'static str, param: &'static str },
    #[error("{param} must be within 1..={max}, got {got}")]
    OutOfRange { param: &'static str, got: u64, max: u64 },
}

impl RpcRead {
    pub fn status() -> Self {
        RpcRead { route: RpcRoute::Status, query: RpcQuery::default() }
    }

    pub fn commit(height: u64) -> Self {
        RpcRead { route: RpcRoute::Commit, query: RpcQuery { height: Some(height), ..RpcQuery::default() } }
    }

    /// Page `page` of the set at `height`, [`MAX_PER_PAGE`] to a page (what [`super::SetCollector`]
    /// counts with).
    pub fn validators(height: u64, page: u32) -> Self {
        RpcRead { route: RpcRoute::Validators, query: RpcQuery { height: Some(height), page: Some(page), per_page: Some(MAX_PER_PAGE as u32) } }
    }

    pub fn block(height: u64) -> Self {
        RpcRead { route: RpcRoute::Block, query: RpcQuery { height: Some(height), ..RpcQuery::default() } }
    }

    /// Whether the route takes these parameters and each is in range.
    pub fn validate(&self) -> Result<(), ReadError> {
        let q = &self.query;
        let route = self.route.name();
        let unexpected = |param| Err(ReadError::Unexpected { route, param });
        match self.route {
            RpcRoute::Status if q.height.is_some() => return unexpected("height"),
            RpcRoute::Status | RpcRoute::Commit | RpcRoute::Block if q.page.is_some() => return unexpected("page"),
            RpcRoute::Status | RpcRoute::Commit | RpcRoute::Block if q.per_page.is_some() => return unexpected("per_page"),
            _ => {}
        }
        let in_range = |param, value: Option<u64>, max: u64| match value {
            Some(got) if got == 0 || got > max => Err(ReadError::OutOfRange { param, got, max }),
            _ => Ok(()),
        };
        in_range("height", q.height, i64::MAX as u64)?;
        in_range("page", q.page.map(u64::from), MAX_VALIDATORS as u64)?;
        in_range("per_page", q.per_page.map(u64::from), MAX_PER_PAGE as u64)
    }

    /// The path and query of the GET, relative to the RPC's base URL: `validators?height=5&page=1&per_page=100`.
    pub fn path_and_query(&self) -> String {
        let q = &self.query;
        let params: Vec<String> = [("height", q.height), ("page", q.page.map(u64::from)), ("per_page", q.per_page.map(u64::from))]
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| format!("{name}={v}")))
            .collect();
        if params.is_empty() {
            self.route.name().to_string()
        } else {
            format!("{}?{}", self.route.name(), params.join("&"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn reads_are_strict() {
        assert_eq!(RpcRead::validators(5, 2).path_and_query(), "validators?height=5&page=2&per_page=100");
        assert_eq!(RpcRead::status().path_and_query(), "status");
        assert_eq!(RpcRead::commit(7).path_and_query(), "commit?height=7");
        for read in [RpcRead::status(), RpcRead::commit(1), RpcRead::validators(1, 1), RpcRead::block(i64::MAX as u64)] {
            assert_eq!(read.validate(), Ok(()), "{read:?}");
        }
        let with = |route, height, page, per_page| RpcRead { route, query: RpcQuery { height, page, per_page } };
        assert!(matches!(with(RpcRoute::Status, Some(1), None, None).validate(), Err(ReadError::Unexpected { param: "height", .. })));
        assert!(matches!(with(RpcRoute::Commit, Some(1), Some(1), None).validate(), Err(ReadError::Unexpected { param: "page", .. })));
        assert!(matches!(with(RpcRoute::Block, None, None, Some(1)).validate(), Err(ReadError::Unexpected { param: "per_page", .. })));
        assert!(matches!(with(RpcRoute::Commit, Some(0), None, None).validate(), Err(ReadError::OutOfRange { param: "height", .. })));
        assert!(matches!(with(RpcRoute::Commit, Some(u64::MAX), None, None).validate(), Err(ReadError::OutOfRange { .. })));
        assert!(matches!(with(RpcRoute::Validators, None, Some(0), None).validate(), Err(ReadError::OutOfRange { param: "page", .. })));
        assert!(matches!(with(RpcRoute::Validators, None, None, Some(101)).validate(), Err(ReadError::OutOfRange { param: "per_page", .. })));
        assert_eq!(with(RpcRoute::Validators, None, None, None).validate(), Ok(()));
        // Only numbers, only these names, only these routes.
        let parse = |s: &str| serde_json::from_str::<RpcRead>(s);
        assert_eq!(parse(r#"{"route":"commit","query":{"height":3}}"#).unwrap(), RpcRead::commit(3));
        assert_eq!(parse(r#"{"route":"status"}"#).unwrap(), RpcRead::status());
        for bad in [
            r#"{"route":"commit","query":{"height":"3"}}"#,
            r#"{"route":"commit","query":{"height":-3}}"#,
            r#"{"route":"commit","query":{"height":3.5}}"#,
            r#"{"route":"commit","query":{"height":3,"prove":true}}"#,
            r#"{"route":"broadcast_tx_sync","query":{}}"#,
            r#"{"route":"../status"}"#,
            r#"{"route":"status","path":"/x"}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
