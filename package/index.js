// zg-align: the 0G alignment light node for a page. The node runs in a dedicated worker
// (`NodeClient.spawn`); the page supplies WebRTC (the channel host) and, for signed reports, the
// owner's wallet (EIP-1193, see `WalletManager`). docs/api.md describes every call.

export { NodeClient, NodeClientError, DEFAULT_TIMEOUT_MS } from './node-client.js';
export { RtcHost } from './rtc-host.js';
export { WalletManager, expectedChain, MAINNET, CODES } from './wallet.js';
export { describeVerdict, showVerdict, CHECK_KINDS } from './verdicts.js';
export { SharedNode } from './shared-node.js';
export { EventHub } from './event-hub.js';
