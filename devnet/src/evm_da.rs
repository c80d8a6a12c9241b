//! The DASigners precompile (`0x…1000`) as the devnet's EVM endpoint answers `eth_call`s to it:
//! `epochNumber`, `quorumCount`, `getQuorum` and `getSigner` over the devnet's DA network, keys in
//! the chain's order (G2 real parts first), sockets once the gRPC servers listen. Calls are
//! decoded and answers encoded with the core's `sol!` interface.

use crate::da::{DaNetwork, EPOCH, QUORUM_ID};
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolError, SolInterface};
use zg_align::da::signers::IDASigners::{self, IDASignersCalls};
use zg_align::da::signers::DA_SIGNERS;

/// Where the devnet's DAEntrance lives (the fourth contract a fresh anvil deployer makes).
pub const DA_ENTRANCE: Address = address!("Cf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9");

/// The answer to an `eth_call` of `data` to `to`: `None` when `to` is not the precompile,
/// `Some(Err(revert data))` for a call that reverts (geth's precompiles revert with an
/// `Error(string)`).
pub fn answer_call(da: &DaNetwork, to: Address, data: &[u8]) -> Option<Result<Vec<u8>, Vec<u8>>> {
    (to == DA_SIGNERS).then(|| answer(da, data).map_err(|reason| alloy_sol_types::Revert::from(reason).abi_encode()))
}

fn answer(da: &DaNetwork, data: &[u8]) -> Result<Vec<u8>, String> {
    let call = IDASignersCalls::abi_decode(data).map_err(|e| format!("not a DASigners call: {e}"))?;
    let this_epoch = |e: &U256| *e == U256::from(EPOCH);
    Ok(match call {
        IDASignersCalls::epochNumber(_) => IDASigners::epochNumberCall::abi_encode_returns(&U256::from(EPOCH)),
        IDASignersCalls::quorumCount(c) => IDASigners::quorumCountCall::abi_encode_returns(&U256::from(this_epoch(&c._epoch) as u64)),
        IDASignersCalls::getQuorum(c) => {
            if !this_epoch(&c._epoch) || c._quorumId != U256::from(QUORUM_ID) {
                return Err("quorum not found".into());
            }
            IDASigners::getQuorumCall::abi_encode_returns(&da.quorum_rows())
        }
        IDASignersCalls::getSigner(c) => {
            let sockets = da.sockets.get().ok_or("the signers are not serving yet")?;
            let details = c
                ._account
                .iter()
                .map(|a| {
                    let i = da.signers.iter().position(|s| s.address == *a).ok_or_else(|| format!("signer {a} not found"))?;
                    let info = &da.map.signers[i];
                    let w = |b: &[u8]| U256::from_be_slice(b);
                    let (g1, g2) = (&info.pk_g1, &info.pk_g2);
                    Ok(IDASigners::SignerDetail {
                        signer: *a,
                        socket: sockets[i].to_string(),
                        pkG1: IDASigners::G1Point { X: w(&g1[..32]), Y: w(&g1[32..]) },
                        // EVM order is x1, x0, y1, y0; the chain keeps [x0, x1], [y0, y1].
                        pkG2: IDASigners::G2Point { X: [w(&g2[32..64]), w(&g2[..32])], Y: [w(&g2[96..]), w(&g2[64..96])] },
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            IDASigners::getSignerCall::abi_encode_returns(&details)
        }
    })
}
