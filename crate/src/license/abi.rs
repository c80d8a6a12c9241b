//! ABI of the calls a light node makes on the license NFT (ERC-721 with optional enumeration,
//! ERC-165) and on the delegation manager (`getDelegatorInfo`, community ABI). Encoding and
//! decoding come from alloy's `sol!`; answers are decoded with validation, since they are untrusted.

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall};

sol! {
    /// The license NFT: ERC-721, ERC-165 and (where the contract has it) ERC-721 enumeration.
    interface IERC721Enumerable {
        function balanceOf(address owner) external view returns (uint256);
        function ownerOf(uint256 tokenId) external view returns (address);
        function tokenOfOwnerByIndex(address owner, uint256 index) external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function tokenByIndex(uint256 index) external view returns (uint256);
        function supportsInterface(bytes4 interfaceId) external view returns (bool);

        /// OpenZeppelin 5's reverts for a missing token and an index past the owner's balance.
        error ERC721NonexistentToken(uint256 tokenId);
        error ERC721OutOfBoundsIndex(address owner, uint256 index);
    }

    /// The delegation manager (community ABI of the node-sale manager).
    interface INodeDelegation {
        function getDelegatorInfo(address delegator, address operator) external view returns (uint256[]);
    }
}

pub const ERC165_ID: [u8; 4] = [0x01, 0xff, 0xc9, 0xa7];
pub const ERC721_ID: [u8; 4] = [0x80, 0xac, 0x58, 0xcd];
pub const ERC721_ENUMERABLE_ID: [u8; 4] = [0x78, 0x0e, 0x9d, 0x63];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbiError {
    #[error("{call} answer does not decode: {message}")]
    Decode { call: &'static str, message: String },
}

fn decoded<T>(call: &'static str, r: alloy_sol_types::Result<T>) -> Result<T, AbiError> {
    r.map_err(|e| AbiError::Decode { call, message: e.to_string() })
}

pub fn balance_of_call(owner: Address) -> Vec<u8> {
    IERC721Enumerable::balanceOfCall { owner }.abi_encode()
}

pub fn decode_balance_of(data: &[u8]) -> Result<U256, AbiError> {
    decoded("balanceOf", IERC721Enumerable::balanceOfCall::abi_decode_returns_validate(data))
}

pub fn owner_of_call(token_id: U256) -> Vec<u8> {
    IERC721Enumerable::ownerOfCall { tokenId: token_id }.abi_encode()
}

pub fn decode_owner_of(data: &[u8]) -> Result<Address, AbiError> {
    decoded("ownerOf", IERC721Enumerable::ownerOfCall::abi_decode_returns_validate(data))
}

pub fn token_of_owner_by_index_call(owner: Address, index: U256) -> Vec<u8> {
    IERC721Enumerable::tokenOfOwnerByIndexCall { owner, index }.abi_encode()
}

pub fn decode_token_of_owner_by_index(data: &[u8]) -> Result<U256, AbiError> {
    decoded("tokenOfOwnerByIndex", IERC721Enumerable::tokenOfOwnerByIndexCall::abi_decode_returns_validate(data))
}

pub fn supports_interface_call(interface_id: [u8; 4]) -> Vec<u8> {
    IERC721Enumerable::supportsInterfaceCall { interfaceId: FixedBytes(interface_id) }.abi_encode()
}

pub fn decode_supports_interface(data: &[u8]) -> Result<bool, AbiError> {
    decoded("supportsInterface", IERC721Enumerable::supportsInterfaceCall::abi_decode_returns_validate(data))
}

pub fn delegator_info_call(delegator: Address, operator: Address) -> Vec<u8> {
    INodeDelegation::getDelegatorInfoCall { delegator, operator }.abi_encode()
}

/// The token ids `delegator` has delegated to `operator`.
pub fn decode_delegator_info(data: &[u8]) -> Result<Vec<U256>, AbiError> {
    decoded("getDelegatorInfo", INodeDelegation::getDelegatorInfoCall::abi_decode_returns_validate(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use alloy_sol_types::SolValue;

    #[test]
    fn selectors_are_the_standard_ones() {
        assert_eq!(IERC721Enumerable::balanceOfCall::SELECTOR, [0x70, 0xa0, 0x82, 0x31]);
        assert_eq!(IERC721Enumerable::ownerOfCall::SELECTOR, [0x63, 0x52, 0x21, 0x1e]);
        assert_eq!(IERC721Enumerable::tokenOfOwnerByIndexCall::SELECTOR, [0x2f, 0x74, 0x5c, 0x59]);
        assert_eq!(IERC721Enumerable::supportsInterfaceCall::SELECTOR, ERC165_ID);
        assert_eq!(IERC721Enumerable::tokenByIndexCall::SELECTOR, [0x4f, 0x6c, 0xcc, 0xe7]);
        // An interface id is the XOR of its functions' selectors.
        let xor = |sels: &[[u8; 4]]| sels.iter().fold([0u8; 4], |a, s| std::array::from_fn(|i| a[i] ^ s[i]));
        assert_eq!(
            xor(&[
                IERC721Enumerable::totalSupplyCall::SELECTOR,
                IERC721Enumerable::tokenOfOwnerByIndexCall::SELECTOR,
                IERC721Enumerable::tokenByIndexCall::SELECTOR,
            ]),
            ERC721_ENUMERABLE_ID
        );
        assert_eq!(&alloy_primitives::keccak256("getDelegatorInfo(address,address)")[..4], INodeDelegation::getDelegatorInfoCall::SELECTOR);
    }

    #[test]
    fn calls_and_answers_round_trip() {
        let owner: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().unwrap();
        let call = balance_of_call(owner);
        assert_eq!(hex::encode(&call), "70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
        assert_eq!(decode_balance_of(&U256::from(3).abi_encode()).unwrap(), U256::from(3));
        assert_eq!(decode_owner_of(&owner.abi_encode()).unwrap(), owner);
        assert!(decode_supports_interface(&true.abi_encode()).unwrap());
        let ids = vec![U256::from(2), U256::from(5)];
        assert_eq!(decode_delegator_info(&ids.abi_encode()).unwrap(), ids);
    }

    #[test]
    fn bad_answers_are_errors() {
        assert!(decode_balance_of(&[]).is_err());
        assert!(decode_balance_of(&[0u8; 31]).is_err());
        // An address word with dirty high bytes.
        assert!(decode_owner_of(&[0xffu8; 32]).is_err());
        // A bool that is 2.
        let mut two = [0u8; 32];
        two[31] = 2;
        assert!(decode_supports_interface(&two).is_err());
        // An array whose length runs past the data.
        let mut array = U256::from(32).to_be_bytes::<32>().to_vec();
        array.extend_from_slice(&U256::from(1000).to_be_bytes::<32>());
        assert!(decode_delegator_info(&array).is_err());
    }
}
