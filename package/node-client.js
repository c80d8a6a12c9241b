// The tab's handle on the node in its dedicated worker: requests with ids and time-outs, answers
// or real Error objects, and the node's events for listeners, async iterators and DOM listeners.
// The worker also asks the tab for WebRTC work (the channel host), and for wallet signatures
// ({type: "request"}), which the tab answers with the page's signer: the wallet lives in the
// page, its keys in the wallet, neither in the worker. The message types are the worker's own
// (crate/src/wasm/worker.rs), declared in wasm/zg_align.d.ts.

import { NodeCalls } from './node-calls.js';
import { RtcHost } from './rtc-host.js';

/** How long a request may wait for its answer unless the call says otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Calls that wait for a person (the wallet) or a whole round trip through the network. */
const SLOW_METHODS = new Set(['signTypedData', 'reportRound']);
/** How long the owner may take in the wallet: the worker's own limit (signing.rs) and a little. */
const SIGNING_TIMEOUT_MS = 5 * 60 * 1000 + 5_000;

/** Why a call failed on this side of the worker: `reason` is `timeout`, `workerDied` or `disposed`. */
export class NodeClientError extends Error {
  constructor(message, reason) {
    super(message);
    this.name = 'NodeClientError';
    this.reason = reason;
  }
}

export class NodeClient extends NodeCalls {
  /**
   * Starts the worker and resolves once it is ready and sends its events.
   * `workerUrl` replaces the package's worker (for a bundler that moved it); `started` adopts a
   * worker the page already started on the package's worker entry, `{worker, early}`, `early`
   * the events it fired until now (a page's head can start it before the page's script loads);
   * `relay` forces relayed data channels; `timeoutMs` is every request's default time-out.
   */
  static async spawn({ relay = false, workerUrl = null, started = null, timeoutMs = DEFAULT_TIMEOUT_MS, readyTimeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const worker = started?.worker ?? (workerUrl
      ? new Worker(workerUrl, { type: 'module' })
      : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
    const client = new NodeClient(worker, { relay, timeoutMs });
    for (const event of started?.early ?? []) worker[`on${event.type}`]?.(event);
    try {
      await withTimeout(client.ready, readyTimeoutMs, () => new NodeClientError(`the worker was not ready within ${readyTimeoutMs} ms`, 'timeout'));
      await client.askForEvents();
    } catch (e) {
      client.dispose();
      throw e;
    }
    return client;
  }

  /** Wraps a worker that runs the package's worker entry; prefer `NodeClient.spawn`. */
  constructor(worker, { relay = false, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    super();
    this.worker = worker;
    this.rtc = new RtcHost(worker, { relay });
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
    this.pending = new Map();
    /** `(account, typedDataJson) => Promise<signature>`, set by the page (the wallet). */
    this.signer = null;
    /** Set once the worker died or the client was disposed: every later call rejects with it. */
    this.closed = null;
    /** Whether the worker said it is ready. */
    this.started = false;
    /** The worker's answer to `subscribe` (it sends events from then on), once asked. */
    this.eventsAsked = null;
    this.ready = new Promise((resolve, reject) => {
      this.onReady = () => { this.started = true; resolve(); };
      this.onStartFailed = reject;
    });
    this.ready.catch(() => {}); // Observed by spawn; a bare client may never be awaited.
    worker.onmessage = ({ data }) => this.dispatch(data);
    worker.onerror = (e) => {
      e.preventDefault?.();
      const what = this.started ? "the node's worker died" : "the node's worker failed to start";
      this.close(new NodeClientError(`${what}: ${e.message ?? 'error'}`, 'workerDied'));
    };
    worker.onmessageerror = () => this.close(new NodeClientError('the worker sent a message the page cannot read', 'workerDied'));
  }

  dispatch(data) {
    if (this.closed) return;
    if (this.rtc.handle(data)) return;
    if (data?.type === 'ready') return this.onReady();
    if (data?.type === 'request') return this.answer(data);
    if (data?.event) return this.emit(data.event);
    const pending = this.pending.get(data?.id);
    if (!pending) return;
    this.pending.delete(data.id);
    clearTimeout(pending.timer);
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
    if (!this.closed) this.worker.postMessage({ type: 'response', id, ...reply });
  }

  /**
   * Sends command `method` with `params`; resolves with its answer, rejects with the worker's Error
   * (its `reason` set where the worker gave one) or a NodeClientError (`timeout`, `workerDied`, `disposed`).
   */
  request(method, params, { timeoutMs } = {}) {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const limit = timeoutMs ?? (SLOW_METHODS.has(method) ? Math.max(this.timeoutMs, SIGNING_TIMEOUT_MS) : this.timeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new NodeClientError(`${method} got no answer within ${limit} ms`, 'timeout'));
      }, limit);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage(params === undefined ? { id, method } : { id, method, params });
    });
  }

  /** Calls `listener(event)` for every node event; resolves to a function that unsubscribes. */
  async subscribe(listener) {
    const unsubscribe = this.listen(listener);
    await this.askForEvents();
    return unsubscribe;
  }

  /** Asks the worker to send its events, once (`spawn` did already): a round trip less at start. */
  askForEvents() {
    this.eventsAsked ??= this.request('subscribe').catch((e) => {
      this.eventsAsked = null;
      throw e;
    });
    return this.eventsAsked;
  }

  /** Stops the node, ends the worker and its channels; pending and later calls reject (`disposed`). */
  dispose() {
    if (this.closed) return;
    this.close(new NodeClientError('the node client was disposed', 'disposed'));
  }

  /** Whether `dispose()` ran or the worker died. */
  get disposed() {
    return this.closed !== null;
  }

  close(error) {
    if (this.closed) return;
    this.closed = error;
    this.onStartFailed(error);
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
    this.closeHub();
    this.rtc.dispose();
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    this.dispatchEvent(new CustomEvent('close', { detail: { reason: error.reason, message: error.message } }));
  }
}

function withTimeout(promise, ms, error) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(error()), ms); })]).finally(() => clearTimeout(timer));
}
