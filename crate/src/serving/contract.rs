//! The InferenceServing contract's service list (0g-serving-contract, `InferenceServing.sol` and
//! `InferenceService.sol`): `getAllServices(offset, limit)` pages of at most 50 services, and
//! `getService(provider)`. Calls are encoded and answers decoded with alloy's `sol!`, strictly
//! (validated, and the canonical encoding of what they decode to), after a byte cap; each service's strings are held to caps before the node uses them.

use crate::da::signers::strict_returns;
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall};
use serde::Serialize;

sol! {
    /// What the light node calls on InferenceServing.
    interface IInferenceServing {
        struct Service {
            address provider;
            string serviceType;
            string url;
            uint256 inputPrice;
            uint256 outputPrice;
            uint256 updatedAt;
            string model;
            string verifiability;
            string additionalInfo;
            address teeSignerAddress;
            bool teeSignerAcknowledged;
        }

        function getAllServices(uint256 offset, uint256 limit) external view returns (Service[] memory services, uint256 total);
        function getService(address provider) external view returns (Service memory service);

        /// `getAllServices` with a limit over 50.
        error LimitTooLarge(uint256 limit, uint256 max);
        error ServiceNotExist(address provider);
    }
}

/// The contract's page size cap (`LimitTooLarge` above it; 0 means 50).
pub const MAX_PAGE: u64 = 50;
/// The contract's cap on `additionalInfo` (`MAX_ADDITIONAL_INFO_LENGTH`).
pub const MAX_ADDITIONAL_INFO: usize = 4096;
/// Our caps on the other strings: no URL, model or type name is longer in practice.
pub const MAX_URL: usize = 2048;
pub const MAX_SHORT: usize = 256;
/// Most services the node reads in all (pages of 50).
pub const MAX_SERVICES: u64 = 5000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ContractError {
    #[error("{call}: answer of {bytes} bytes, more than {max}")]
    TooLarge { call: &'static str, bytes: usize, max: usize },
    #[error("{call}: answer does not decode: {message}")]
    Decode { call: &'static str, message: String },
    #[error("getAllServices: {received} services in a page of {limit}")]
    PageSize { limit: u64, received: usize },
    #[error("getAllServices: total {total} is out of range (at most {max})")]
    Total { total: String, max: u64 },
    #[error("service of {provider}: {field} is {bytes} bytes, more than {max}")]
    Field { provider: String, field: &'static str, bytes: usize, max: usize },
    #[error("service of {provider}: url {url} is not http(s)")]
    Url { provider: String, url: String },
}

/// A service as the contract lists it, strings capped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntry {
    pub provider: Address,
    pub service_type: String,
    /// The provider broker's base URL (the SDK calls `{url}/v1/proxy/...`).
    pub url: String,
    pub input_price: U256,
    pub output_price: U256,
    pub updated_at: U256,
    pub model: String,
    /// `TeeML`, `OpML` or `ZKML` for a verifiable service.
    pub verifiability: String,
    /// JSON: `TargetSeparated`, `TargetTeeAddress`, `ProviderType`, ...
    pub additional_info: String,
    pub tee_signer_address: Address,
    pub tee_signer_acknowledged: bool,
}

impl ServiceEntry {
    fn from_abi(s: IInferenceServing::Service) -> Result<Self, ContractError> {
        let provider = s.provider.to_checksum(None);
        let cap = |field: &'static str, value: &str, max: usize| {
            if value.len() > max {
                Err(ContractError::Field { provider: provider.clone(), field, bytes: value.len(), max })
            } else {
                Ok(())
            }
        };
        cap("serviceType", &s.serviceType, MAX_SHORT)?;
        cap("url", &s.url, MAX_URL)?;
        cap("model", &s.model, MAX_SHORT)?;
        cap("verifiability", &s.verifiability, MAX_SHORT)?;
        cap("additionalInfo", &s.additionalInfo, MAX_ADDITIONAL_INFO)?;
        let lower = s.url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) || s.url.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(ContractError::Url { provider, url: s.url.chars().take(80).collect() });
        }
        Ok(ServiceEntry {
            provider: s.provider,
            service_type: s.serviceType,
            url: s.url.trim_end_matches('/').to_owned(),
            input_price: s.inputPrice,
            output_price: s.outputPrice,
            updated_at: s.updatedAt,
            model: s.model,
            verifiability: s.verifiability,
            additional_info: s.additionalInfo,
            tee_signer_address: s.teeSignerAddress,
            tee_signer_acknowledged: s.teeSignerAcknowledged,
        })
    }

    /// The contract's struct (the devnet answers with it).
    pub fn to_abi(&self) -> IInferenceServing::Service {
        IInferenceServing::Service {
            provider: self.provider,
            serviceType: self.service_type.clone(),
            url: self.url.clone(),
            inputPrice: self.input_price,
            outputPrice: self.output_price,
            updatedAt: self.updated_at,
            model: self.model.clone(),
            verifiability: self.verifiability.clone(),
            additionalInfo: self.additional_info.clone(),
            teeSignerAddress: self.tee_signer_address,
            teeSignerAcknowledged: self.tee_signer_acknowledged,
        }
    }
}

/// Bytes one encoded service may take at most: 11 head words, an offset, and each string's
/// length word and padded content.
fn max_service_bytes() -> usize {
    let padded = |n: usize| 32 + n.div_ceil(32) * 32;
    32 * 12 + padded(MAX_SHORT) * 3 + padded(MAX_URL) + padded(MAX_ADDITIONAL_INFO)
}

/// The length an ABI-encoded dynamic array claims, its head at byte `head` of `data` (an offset
/// to the length word): `None` when the words are not there (the decoder then refuses the data).
fn claimed_length(data: &[u8], head: usize) -> Option<U256> {
    let word = |at: usize| data.get(at..at.checked_add(32)?).map(U256::from_be_slice);
    let offset = usize::try_from(word(head)?).ok()?;
    word(offset)
}

pub fn get_all_services_call(offset: u64, limit: u64) -> Vec<u8> {
    IInferenceServing::getAllServicesCall { offset: U256::from(offset), limit: U256::from(limit) }.abi_encode()
}

/// A service the contract lists that the node cannot use (a string over its cap, a URL that is
/// not http(s)): its provider is `unchecked`, the page's other services are asked as usual. A
/// provider registers its own service, so one bad entry must not blind the node to the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub provider: Address,
    pub error: ContractError,
}

/// One page asked with `limit` (1..=50): its services in order (each usable or set aside) and the
/// contract's total. `Err` when the page itself cannot be read.
pub fn decode_get_all_services(data: &[u8], limit: u64) -> Result<(Vec<Result<ServiceEntry, SetAside>>, u64), ContractError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let max = 32 * 4 + limit as usize * max_service_bytes();
    if data.len() > max {
        return Err(ContractError::TooLarge { call: "getAllServices", bytes: data.len(), max });
    }
    // The list's length word first: decoding would set aside a Service (~1 KB) for each entry it
    // claims, and an entry's head is one 32-byte word.
    if let Some(claimed) = claimed_length(data, 0).filter(|&n| n > U256::from(limit)) {
        return Err(ContractError::PageSize { limit, received: usize::try_from(claimed).unwrap_or(usize::MAX) });
    }
    let page = strict_returns::<IInferenceServing::getAllServicesCall>(data).map_err(|message| ContractError::Decode { call: "getAllServices", message })?;
    if page.services.len() as u64 > limit {
        return Err(ContractError::PageSize { limit, received: page.services.len() });
    }
    let total = u64::try_from(page.total).ok().filter(|t| *t <= MAX_SERVICES).ok_or(ContractError::Total { total: page.total.to_string(), max: MAX_SERVICES })?;
    let services = page
        .services
        .into_iter()
        .map(|s| {
            let provider = s.provider;
            ServiceEntry::from_abi(s).map_err(|error| SetAside { provider, error })
        })
        .collect();
    Ok((services, total))
}

pub fn get_service_call(provider: Address) -> Vec<u8> {
    IInferenceServing::getServiceCall { provider }.abi_encode()
}

pub fn decode_get_service(data: &[u8]) -> Result<ServiceEntry, ContractError> {
    let max = 32 + max_service_bytes();
    if data.len() > max {
        return Err(ContractError::TooLarge { call: "getService", bytes: data.len(), max });
    }
    let service = strict_returns::<IInferenceServing::getServiceCall>(data).map_err(|message| ContractError::Decode { call: "getService", message })?;
    ServiceEntry::from_abi(service)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn service(i: u8, url: &str) -> IInferenceServing::Service {
        IInferenceServing::Service {
            provider: Address::with_last_byte(i),
            serviceType: "chatbot".into(),
            url: url.into(),
            inputPrice: U256::from(1),
            outputPrice: U256::from(2),
            updatedAt: U256::from(3),
            model: "zg-tiny-lm-1".into(),
            verifiability: "TeeML".into(),
            additionalInfo: "{}".into(),
            teeSignerAddress: Address::with_last_byte(100 + i),
            teeSignerAcknowledged: true,
        }
    }

    fn page(services: Vec<IInferenceServing::Service>, total: u64) -> Vec<u8> {
        IInferenceServing::getAllServicesCall::abi_encode_returns(&IInferenceServing::getAllServicesReturn { services, total: U256::from(total) })
    }

    #[test]
    fn selectors_and_pages() {
        assert_eq!(&get_all_services_call(0, 50)[..4], &crate::hash::keccak256(b"getAllServices(uint256,uint256)").0[..4]);
        assert_eq!(&get_service_call(Address::ZERO)[..4], &crate::hash::keccak256(b"getService(address)").0[..4]);
        let (services, total) = decode_get_all_services(&page(vec![service(1, "http://127.0.0.1:8080/"), service(2, "https://p.example")], 2), 50).unwrap();
        assert_eq!(total, 2);
        let services: Vec<ServiceEntry> = services.into_iter().map(Result::unwrap).collect();
        assert_eq!(services[0].url, "http://127.0.0.1:8080");
        assert_eq!(services[1].tee_signer_address, Address::with_last_byte(102));
        assert!(services[1].tee_signer_acknowledged);
        let one = IInferenceServing::getServiceCall::abi_encode_returns(&service(3, "http://h:1"));
        assert_eq!(decode_get_service(&one).unwrap().provider, Address::with_last_byte(3));
    }

    #[test]
    fn hostile_pages_are_typed_errors() {
        let good = page(vec![service(1, "http://a:1"), service(2, "http://b:2")], 2);
        assert!(matches!(decode_get_all_services(&good[..good.len() - 1], 50), Err(ContractError::Decode { .. })));
        assert!(matches!(decode_get_all_services(&good, 1), Err(ContractError::TooLarge { .. }) | Err(ContractError::PageSize { .. })));
        assert!(matches!(decode_get_all_services(&page(vec![], u64::MAX), 50), Err(ContractError::Total { .. })));
        // A bad service is set aside with its provider; the page's others stand.
        let set_aside = |bad: IInferenceServing::Service| {
            let (services, _) = decode_get_all_services(&page(vec![service(1, "http://a:1"), bad, service(3, "http://c:3")], 3), 50).unwrap();
            assert!(services[0].is_ok() && services[2].is_ok());
            let aside = services[1].clone().unwrap_err();
            assert_eq!(aside.provider, Address::with_last_byte(2));
            aside.error
        };
        let mut long = service(2, "http://a:1");
        long.additionalInfo = "x".repeat(MAX_ADDITIONAL_INFO + 1);
        assert!(matches!(set_aside(long), ContractError::Field { field: "additionalInfo", .. }));
        for url in ["ftp://a", "javascript:alert(1)", "http://a b", ""] {
            assert!(matches!(set_aside(service(2, url)), ContractError::Url { .. }), "{url}");
        }
        let mut huge = good.clone();
        // The services array's length word claims 2^40 entries.
        huge[64..96].copy_from_slice(&U256::from(1u64 << 40).to_be_bytes::<32>());
        assert!(decode_get_all_services(&huge, 50).is_err());
    }
}
