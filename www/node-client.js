// The tab's handle on the node in its dedicated worker: requests with ids, answers or real
// Error objects, and events for subscribers. The worker also asks the tab for WebRTC work, and
// for wallet signatures ({type: "request"}), which the tab answers with the page's signer:
// the wallet lives in the page, its keys in the wallet, neither in the worker.

import { RtcHost } from './rtc-host.js';

export class NodeClient {
  /** Starts the worker and resolves once it is ready. */
  static async spawn({ relay = false } = {}) {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const client = new NodeClient(worker, new RtcHost(worker, { relay }));
    await client.ready;
    return client;
  }

  constructor(worker, rtc) {
    this.worker = worker;
    this.rtc = rtc;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    /** `(account, typedDataJson) => Promise<signature>`, set by the page (the wallet). */
    this.signer = null;
    this.ready = new Promise((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(`worker failed to start: ${e.message}`));
      this.onReady = resolve;
    });
    worker.onmessage = ({ data }) => this.dispatch(data);
  }

  dispatch(data) {
    if (this.rtc.handle(data)) return;
    if (data?.type === 'ready') return this.onReady();
    if (data?.type === 'request') return this.answer(data);
    if (data?.event) return this.listeners.forEach((listener) => listener(data.event));
    const pending = this.pending.get(data?.id);
    if (!pending) return;
    this.pending.delete(data.id);
    if ('error' in data) {
      const error = data.error instanceof Error ? data.error : new Error(String(data.error));
      if (data.reason) error.reason = data.reason;
      pending.reject(error);
    } else pending.resolve(data.result);
  }

  /** Answers the worker's own request (a signature) with `{type: "response", id, result | error}`. */
  async answer({ id, method, params }) {
    let reply;
    try {
      if (method !== 'signTypedData') throw Object.assign(new Error(`unknown method ${JSON.stringify(method)}`), { code: -32601 });
      if (!this.signer) throw Object.assign(new Error('no wallet is connected'), { reason: 'noWallet' });
      reply = { result: await this.signer(params?.account, params?.typedData) };
    } catch (e) {
      // Only plain fields: structured clone drops an Error's own properties such as `code`.
      reply = { error: { code: typeof e?.code === 'number' ? e.code : null, message: String(e?.message ?? e), reason: e?.reason ?? null } };
    }
    this.worker.postMessage({ type: 'response', id, ...reply });
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, params });
    });
  }

  /** Calls `listener(event)` for every node event; returns a function that unsubscribes. */
  async subscribe(listener) {
    this.listeners.add(listener);
    await this.request('subscribe');
    return () => this.listeners.delete(listener);
  }

  start(config) { return this.request('start', config); }
  stop() { return this.request('stop'); }
  status() { return this.request('status'); }
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
