//! The InferenceServing contract as the devnet's EVM endpoint answers `eth_call`s to it:
//! `getAllServices(offset, limit)` (pages of at most 50, `LimitTooLarge` above, 0 meaning 50, as
//! the contract) and `getService(provider)` (`ServiceNotExist` for an unknown one), over the
//! devnet's providers ([`ServingNetwork::services`]). Decoded and encoded with the core's `sol!`.

use crate::serving::ServingNetwork;
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolError, SolInterface};
use zg_align::serving::contract::IInferenceServing::{self, IInferenceServingCalls};

/// Where the devnet's InferenceServing lives (the third contract a fresh anvil deployer makes).
pub const INFERENCE_SERVING: Address = address!("9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0");

/// The answer to an `eth_call` of `data` to `to`: `None` when `to` is not the contract;
/// `Some(Err(revert data))` for a call that reverts, as the contract reverts.
pub fn answer_call(net: &ServingNetwork, to: Address, data: &[u8]) -> Option<Result<Vec<u8>, Vec<u8>>> {
    (to == INFERENCE_SERVING).then(|| answer(net, data))
}

fn answer(net: &ServingNetwork, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let call = IInferenceServingCalls::abi_decode(data).map_err(|_| Vec::new())?;
    let services = net.services();
    match call {
        IInferenceServingCalls::getAllServices(c) => {
            let max = U256::from(50);
            if c.limit > max {
                return Err(IInferenceServing::LimitTooLarge { limit: c.limit, max }.abi_encode());
            }
            let limit = if c.limit.is_zero() { 50 } else { c.limit.to::<usize>() };
            let total = services.len();
            let offset = usize::try_from(c.offset).unwrap_or(usize::MAX).min(total);
            let page = services[offset..(offset + limit).min(total)].iter().map(|s| s.to_abi()).collect();
            Ok(IInferenceServing::getAllServicesCall::abi_encode_returns(&IInferenceServing::getAllServicesReturn { services: page, total: U256::from(total) }))
        }
        IInferenceServingCalls::getService(c) => match services.iter().find(|s| s.provider == c.provider) {
            Some(s) => Ok(IInferenceServing::getServiceCall::abi_encode_returns(&s.to_abi())),
            None => Err(IInferenceServing::ServiceNotExist { provider: c.provider }.abi_encode()),
        },
    }
}
