//! Two or more relays at once: each is a path to the network, and what one path shows of a node
//! can be asked again through another (docs/trust.md, "Two relays"). [`decide`] is the rule,
//! [`storage`], [`da`], [`serving`] and [`validator`] apply it to their verdicts; the worker (crate/src/wasm/) only runs the
//! second check.

pub mod da;
pub mod decide;
pub mod serving;
pub mod storage;
pub mod validator;

pub use decide::{decide, Decision, PathSight, RelayFaultKind, Shown, Sight, VerdictName};
pub use da::{da_verdict, DaPath};
pub use serving::{serving_verdict, ServingPath};
pub use storage::{storage_verdict, SecondStoragePath, StoragePath};
pub use validator::{validator_verdict, SecondVotesPath, ValidatorPath};

use crate::hash::Hash32;
use serde::Serialize;

/// One relay of the configured list: its place in it (0 is the primary), its peer id and address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayRef {
    pub index: usize,
    pub peer: String,
    pub address: String,
}

/// What one path saw of the node, as the verdict shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathSeen {
    pub relay: RelayRef,
    pub trusted: bool,
    /// The verdict this path alone allowed.
    pub verdict: VerdictName,
    /// Why, in words: the reason it gave nothing, or the fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// keccak256 of the node's answer that failed its check, as it came through this path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_keccak: Option<Hash32>,
}

/// The first relay's fault, shown by the second path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelayFault {
    pub relay: RelayRef,
    pub kind: RelayFaultKind,
}

/// A verdict (its own fields, flattened) and, when a second path was asked, what each path saw.
/// With one path it serialises exactly as the verdict alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rechecked<V> {
    #[serde(flatten)]
    pub verdict: V,
    /// The first path, then the second; empty when no second path was asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathSeen>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_fault: Option<RelayFault>,
    /// The same fault was seen through two independent relays: that is what makes it misbehaving.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub confirmed: bool,
}

impl<V> Rechecked<V> {
    /// A verdict seen through one path only.
    pub fn alone(verdict: V) -> Rechecked<V> {
        Rechecked { verdict, paths: Vec::new(), relay_fault: None, confirmed: false }
    }

    /// The verdict `decision` allowed, with what each path saw, and the fault of `first` (the
    /// first path's relay) when the decision names one.
    fn decided(verdict: V, paths: Vec<PathSeen>, first: &RelayRef, decision: &Decision) -> Rechecked<V> {
        let relay_fault = decision.relay_fault.map(|kind| RelayFault { relay: first.clone(), kind });
        Rechecked { verdict, paths, relay_fault, confirmed: decision.confirmed }
    }
}

/// Relay `index` of a test's list.
#[cfg(test)]
fn test_relay(index: usize) -> RelayRef {
    RelayRef { index, peer: format!("peer{index}"), address: format!("/relay/{index}") }
}
