// The calls a node answers, one method per worker command (crate/src/wasm/worker.rs), shared by
// NodeClient (this tab's worker) and SharedNode (the leading tab's): a subclass supplies `request`.

import { EventHub } from './event-hub.js';

export class NodeCalls extends EventHub {
  /** Starts the node with a config (see StartParams in the types); resolves once it runs. */
  start(config) { return this.request('start', config ?? null); }
  /** Stops the node: resolves to whether one was running. */
  stop() { return this.request('stop'); }
  /** `{running, connection, verdicts, wasmMemoryBytes, busyMs, scope}`. */
  status() { return this.request('status'); }
  /** `count` round trips of `len` bytes over the relay connection: each one's milliseconds. */
  echo(len, count) { return this.request('echo', { len, count }); }
  /** Signs EIP-712 typed data through the worker, the way the worker itself asks the wallet. */
  signTypedData(typedData, account) { return this.request('signTypedData', { typedData, account }); }
  /** Builds, signs (wallet) and checks the report of a finished round: `{report, digest}`. */
  reportRound(params) { return this.request('reportRound', params); }
  /** Sends a signed report over the connection: the network's `{accepted, ...}` answer. */
  publishReport(report) { return this.request('publishReport', { report }); }
  /** The relay's network profile (`{network, chainId, flow, licenses, upstreams, ...}`), or null before it said hello. */
  relayInfo() { return this.request('relayInfo'); }
  /** One EVM JSON-RPC call (a request object) through the relay, on `chain` (`zg` or `licenses`): the RPC's answer object. */
  async evmCall(chain, call) { return JSON.parse(await this.request('evmCall', { chain, call: JSON.stringify(call) })); }
  licenseCallData(method, args) { return this.request('licenseCallData', { method, args }); }
  licenseDecode(method, data) { return this.request('licenseDecode', { method, data }); }
  rewardsPanel(activity) { return this.request('rewardsPanel', activity); }
}
