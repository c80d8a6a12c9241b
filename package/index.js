// zg-align: the 0G alignment light node for a page. The node runs in a dedicated worker
// (`NodeClient.spawn`); the page supplies WebRTC (the channel host) and, for signed reports, the
// owner's wallet (EIP-1193, see `WalletManager`). docs/api.md describes every call.

export { NodeClient, NodeClientError, DEFAULT_TIMEOUT_MS } from './node-client.js';
export { RtcHost } from './rtc-host.js';
export { WalletManager, expectedChain, MAINNET, CODES } from './wallet.js';
export { describeVerdict, isProblem, shortId, CHECK_KINDS, VERDICT_ORDER } from './verdicts.js';
export { VerdictBoard, showVerdict, DEFAULT_ROUND_INTERVAL_MS } from './verdict-board.js';
export { BOARD_STYLE } from './board-style.js';
export { VerdictHistory, RETENTION_DAYS, DEFAULT_RETENTION_DAYS, DEFAULT_MAX_RECORDS } from './verdict-history.js';
export { verdictChart, stretches, shares, VERDICT_COLORS } from './verdict-chart.js';
export { downloadJson } from './download.js';
export { SharedNode } from './shared-node.js';
export { EventHub } from './event-hub.js';
export { NodeCalls } from './node-calls.js';
export { parseTrustAnchor } from './trust-anchor.js';
