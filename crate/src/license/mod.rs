//! License NFTs and delegation: the contract calls a light node makes (eth_call data built and
//! answers decoded as pure functions, so the worker and the devnet share them) and the rewards
//! schedule. See docs/licenses.md.

mod abi;
mod rewards;

pub use abi::{
    balance_of_call, decode_balance_of, decode_delegator_info, decode_owner_of, decode_supports_interface,
    decode_token_of_owner_by_index, delegator_info_call, owner_of_call, supports_interface_call, token_of_owner_by_index_call,
    AbiError, IERC721Enumerable, INodeDelegation, ERC165_ID, ERC721_ENUMERABLE_ID, ERC721_ID,
};
pub use rewards::{
    early_claim_penalty_pct, rewards, LicenseActivity, RewardsError, RewardsPanel, RewardsPart1, RewardsPart2, LICENSES_TOTAL, PART2_DAYS,
    POOL_WEI, WEI_PER_TOKEN,
};
