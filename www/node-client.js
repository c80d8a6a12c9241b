// The tab's handle on the node in its dedicated worker: requests with ids, answers or real
// Error objects, and events for subscribers. The worker also asks the tab for WebRTC work.

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
    this.ready = new Promise((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(`worker failed to start: ${e.message}`));
      this.onReady = resolve;
    });
    worker.onmessage = ({ data }) => this.dispatch(data);
  }

  dispatch(data) {
    if (this.rtc.handle(data)) return;
    if (data?.type === 'ready') return this.onReady();
    if (data?.event) return this.listeners.forEach((listener) => listener(data.event));
    const pending = this.pending.get(data?.id);
    if (!pending) return;
    this.pending.delete(data.id);
    if ('error' in data) pending.reject(data.error instanceof Error ? data.error : new Error(String(data.error)));
    else pending.resolve(data.result);
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
}
