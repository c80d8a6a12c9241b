//! Serving requests: a chat request to a registered provider with the relay's session, and the
//! signature record after it, both answered as received on the wire.

use crate::service::{failure, Service};
use alloy_primitives::Address;
use zg_align::protocol::CheckResponse;

impl Service {
    pub(crate) async fn chat(&self, _provider: Address, _body: String) -> CheckResponse {
        failure(501, "chat requests are not built yet".into())
    }

    pub(crate) async fn chat_signature(&self, _provider: Address, _path: String) -> CheckResponse {
        failure(501, "signature records are not built yet".into())
    }
}
