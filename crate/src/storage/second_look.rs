//! A second path's look at the storage nodes the first path could not settle (docs/trust.md, "Two
//! relays"): everything it uses comes through it alone. Its own node list first (a relay forwards
//! only to nodes its indexer listed) and its own files (a root and size read from the chain through
//! the first relay are not the second path's word); then a node the first path found unreachable
//! is checked whole, as a pass would; a node the first path saw a fault in too, and the segment of
//! that fault is asked for again: the same segment of the same file, which must be the same file
//! (root and size) on this path's chain.
//! [`crate::paths::storage_verdict`] decides from both.

use super::check::{StorageCheck, StorageVerdict};
use super::pass::{discover, run_storage_pass, FlowSource, PassConfig, PassError, StorageUpstreams};
use super::transport::run_storage_check;
use crate::hash::Hash32;
use futures::FutureExt;
use std::cell::RefCell;

/// What a second path is asked about one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondLook {
    /// It was unreachable through the first path: a whole check, over this path's files.
    Whole,
    /// The first path saw segment `index` of file `(root, size)` fail: that segment again.
    Segment { root: Hash32, size: u64, index: u64 },
}

impl SecondLook {
    /// What to ask for a node the first path gave `verdict`; `None`: nothing a second path can add.
    pub fn for_verdict(verdict: &StorageVerdict) -> Option<SecondLook> {
        match verdict {
            StorageVerdict::Unreachable { .. } => Some(SecondLook::Whole),
            StorageVerdict::Misbehaving { evidence } | StorageVerdict::Unverifiable { evidence } => {
                Some(SecondLook::Segment { root: evidence.root, size: evidence.file_size, index: evidence.index })
            }
            StorageVerdict::Healthy { .. } | StorageVerdict::Unchecked { .. } => None,
        }
    }
}

/// What the second path saw of one node; `None` where it could not say (its indexer does not list
/// the node, its chain does not hold the file as the first path read it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecondSight {
    /// The segment asked for again ([`SecondLook::Segment`]).
    pub segment: Option<StorageVerdict>,
    /// The node's whole check through this path (for either look).
    pub whole: Option<StorageVerdict>,
}

/// Asks `upstreams` (the second path) about each `(node URL, look)`; answers what it saw of each,
/// in the order asked. `Err` when this path cannot list nodes or files at all.
pub async fn second_look<U: StorageUpstreams>(
    upstreams: &U,
    flow: &FlowSource,
    owner_roots: &[Hash32],
    config: &PassConfig,
    mut seed: impl FnMut() -> Option<[u8; 32]>,
    asks: &[(String, SecondLook)],
) -> Result<Vec<SecondSight>, PassError> {
    let (nodes, files) = discover(upstreams, flow, owner_roots, config).await?;
    let listed = |url: &str| nodes.iter().any(|n| n.url == url);
    let whole: Vec<_> = nodes.iter().filter(|n| asks.iter().any(|(url, _)| *url == n.url)).cloned().collect();
    let sights = RefCell::new(vec![SecondSight::default(); asks.len()]);
    let record = |url: &str, verdict: StorageVerdict| {
        for (i, _) in asks.iter().enumerate().filter(|(_, (u, _))| u == url) {
            sights.borrow_mut()[i].whole = Some(verdict.clone());
        }
    };
    // Whether this path's link is down is its own business: a look that gets nothing is unreachable.
    let wholes = run_storage_pass(upstreams, &files, &whole, config, &mut seed, || async { true }, record);
    let segments = asks.iter().enumerate().filter_map(|(i, (url, look))| {
        let SecondLook::Segment { root, size, index } = *look else { return None };
        let same_file = files.iter().filter_map(|f| f.flow.as_ref()).any(|f| f.root == root && f.size == size);
        if !same_file || !listed(url) {
            return None;
        }
        let check = StorageCheck::segment(root, size, index).ok()?;
        let timed_out = StorageVerdict::Unreachable { root, reason: super::check::UnreachableReason::Deadline { ms: config.check_timeout.as_millis() as u64 } };
        Some(async move {
            let node = upstreams.node(url);
            let verdict = futures::select! {
                verdict = run_storage_check(check, &node).fuse() => verdict,
                () = futures_timer::Delay::new(config.check_timeout).fuse() => timed_out,
            };
            (i, verdict)
        })
    });
    let (_, segments) = futures::join!(wholes, futures::future::join_all(segments));
    let mut sights = sights.into_inner();
    for (i, verdict) in segments {
        sights[i].segment = Some(verdict);
    }
    Ok(sights)
}
