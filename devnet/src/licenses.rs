//! The license contract state the devnet holds: a few license NFTs owned by anvil's well-known
//! test accounts, one delegated to an operator. Served as EVM views at `/evm` (evm.rs), listed in
//! the manifest under `licenses`, and the registry the report ledger checks owners against.

use serde::Serialize;
use std::collections::BTreeMap;
use zg_align::license::{ERC165_ID, ERC721_ENUMERABLE_ID, ERC721_ID};
use zg_align::report::{LicenseRecord, LicenseRegistry};
use alloy_primitives::{address, Address, U256};

/// Where anvil puts the first two contracts account 0 deploys: the license NFT and the manager.
pub const LICENSE_CONTRACT: Address = address!("5FbDB2315678afecb367f032d93F642f64180aa3");
pub const DELEGATION_MANAGER: Address = address!("e7f1725E7734CE288F8367e1Bb143E90bb3F0512");
/// anvil accounts 0, 1 and 2 (keys from the "test test ... junk" mnemonic, public knowledge).
pub const OWNER_A: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
pub const OWNER_B: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
pub const OPERATOR: Address = address!("3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
/// The operator's commission, fixed at its registration: 10%.
pub const OPERATOR_COMMISSION_BPS: u16 = 1_000;

#[derive(Debug, Clone)]
pub struct LicenseState {
    tokens: BTreeMap<U256, LicenseRecord>,
}

impl Default for LicenseState {
    /// Licenses 1 and 2 of owner A (2 delegated to the operator), 3 and 4 of owner B.
    fn default() -> Self {
        let mut tokens = BTreeMap::new();
        let mut add = |id: u64, owner, operator| tokens.insert(U256::from(id), LicenseRecord { owner, operator });
        add(1, OWNER_A, None);
        add(2, OWNER_A, Some(OPERATOR));
        add(3, OWNER_B, None);
        add(4, OWNER_B, None);
        LicenseState { tokens }
    }
}

impl LicenseRegistry for LicenseState {
    fn license(&self, token_id: U256) -> Option<LicenseRecord> {
        self.tokens.get(&token_id).copied()
    }
}

impl LicenseState {
    pub fn total_supply(&self) -> U256 {
        U256::from(self.tokens.len())
    }

    pub fn balance_of(&self, owner: Address) -> U256 {
        U256::from(self.owned(owner).count())
    }

    pub fn owner_of(&self, token_id: U256) -> Option<Address> {
        self.tokens.get(&token_id).map(|l| l.owner)
    }

    /// The owner's `index`-th token, in token id order.
    pub fn token_of_owner_by_index(&self, owner: Address, index: U256) -> Option<U256> {
        let index = usize::try_from(index).ok()?;
        self.owned(owner).nth(index)
    }

    pub fn token_by_index(&self, index: U256) -> Option<U256> {
        self.tokens.keys().nth(usize::try_from(index).ok()?).copied()
    }

    pub fn supports_interface(&self, id: [u8; 4]) -> bool {
        [ERC165_ID, ERC721_ID, ERC721_ENUMERABLE_ID].contains(&id)
    }

    /// Token ids `delegator` has delegated to `operator` (the manager's `getDelegatorInfo`).
    pub fn delegated(&self, delegator: Address, operator: Address) -> Vec<U256> {
        self.tokens
            .iter()
            .filter(|(_, l)| l.owner == delegator && l.operator == Some(operator))
            .map(|(id, _)| *id)
            .collect()
    }

    fn owned(&self, owner: Address) -> impl Iterator<Item = U256> + '_ {
        self.tokens.iter().filter(move |(_, l)| l.owner == owner).map(|(id, _)| *id)
    }

    /// The manifest's `licenses` entry.
    pub fn manifest(&self, evm: String) -> LicensesManifest {
        LicensesManifest {
            contract: LICENSE_CONTRACT.to_checksum(None),
            manager: DELEGATION_MANAGER.to_checksum(None),
            evm,
            tokens: self
                .tokens
                .iter()
                .map(|(id, l)| LicenseEntry {
                    token_id: id.to_string(),
                    owner: l.owner.to_checksum(None),
                    operator: l.operator.map(|o| o.to_checksum(None)),
                    commission_bps: l.operator.map(|_| OPERATOR_COMMISSION_BPS),
                })
                .collect(),
        }
    }
}

/// `licenses` in /devnet.json.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LicensesManifest {
    /// The license NFT (ERC-721), also the reports' EIP-712 verifying contract.
    pub contract: String,
    /// The delegation manager (`getDelegatorInfo`).
    pub manager: String,
    /// The EVM JSON-RPC endpoint serving both contracts' views.
    pub evm: String,
    pub tokens: Vec<LicenseEntry>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseEntry {
    /// Decimal string.
    pub token_id: String,
    pub owner: String,
    /// `null` when the owner runs the license itself.
    pub operator: Option<String>,
    pub commission_bps: Option<u16>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views() {
        let s = LicenseState::default();
        assert_eq!(s.balance_of(OWNER_A), U256::from(2));
        assert_eq!(s.balance_of(OPERATOR), U256::ZERO);
        assert_eq!(s.owner_of(U256::from(3)), Some(OWNER_B));
        assert_eq!(s.owner_of(U256::from(9)), None);
        assert_eq!(s.token_of_owner_by_index(OWNER_B, U256::from(1)), Some(U256::from(4)));
        assert_eq!(s.token_of_owner_by_index(OWNER_B, U256::from(2)), None);
        assert_eq!(s.token_of_owner_by_index(OWNER_B, U256::MAX), None);
        assert_eq!(s.delegated(OWNER_A, OPERATOR), vec![U256::from(2)]);
        assert!(s.delegated(OWNER_B, OPERATOR).is_empty());
    }
}
