// One node for every tab of an origin. A Web Locks leader election picks the tab whose dedicated
// worker runs the node (data channels can only go to dedicated workers); the other tabs attach over
// a BroadcastChannel: they get its events, and their calls go to the leader, which answers them.
// When the leader tab closes, its lock goes to the next tab in line, which starts the node again
// with the shared config, numbering rounds on from the last one any tab saw; a report a leader
// signed is remembered by every tab, so no (license, round) is signed twice.

import { NodeCalls } from './node-calls.js';
import { NodeClient, NodeClientError, DEFAULT_TIMEOUT_MS } from './node-client.js';

/** Verdicts a leader keeps to show a tab that joins late (one per node and kind). */
const MAX_REPLAY = 2048;
/** Calls that wait for the owner in the wallet, and how long they may. */
const SLOW_METHODS = new Set(['signTypedData', 'reportRound']);
const SIGNING_TIMEOUT_MS = 5 * 60 * 1000 + 10_000;
/** How long a new tab waits for the leader to answer its hello before it asks again. */
const HELLO_RETRY_MS = 1000;

export class SharedNode extends NodeCalls {
  /**
   * Joins the node of every tab on this origin that joins `name`; resolves once this tab leads
   * or a leader answered. `spawn` holds NodeClient.spawn's options, for when this tab leads.
   */
  static async join({ name = 'default', spawn = {}, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    if (!navigator.locks || typeof BroadcastChannel !== 'function') throw new Error('this browser has no Web Locks or BroadcastChannel: use NodeClient.spawn');
    const node = new SharedNode(name, spawn, timeoutMs);
    node.elect();
    await node.joined;
    return node;
  }

  constructor(name, spawn, timeoutMs) {
    super();
    this.name = name;
    this.spawnOptions = spawn;
    this.timeoutMs = timeoutMs;
    this.tabId = crypto.randomUUID();
    /** `leader` or `follower`. */
    this.role = 'follower';
    this.leaderId = null;
    /** The leader's own NodeClient (null in a follower). */
    this.client = null;
    /** `(account, typedDataJson) => Promise<signature>`: this tab's wallet, used while it leads. */
    this.signer = null;
    /** The config the node runs with (null: stopped), the last round seen, the reports signed. */
    this.config = null;
    this.lastRound = 0;
    this.signed = new Set();
    this.signing = new Set();
    /** What a late tab is shown: the last connection and round events, the latest verdicts. */
    this.replay = { connection: null, round: null, verdicts: new Map() };
    this.nextId = 1;
    this.pending = new Map();
    this.closed = null;
    this.channel = new BroadcastChannel(`zg-align:${name}`);
    this.channel.onmessage = ({ data }) => this.onMessage(data);
    this.abort = new AbortController();
    this.joined = new Promise((resolve, reject) => { this.onJoined = resolve; this.onJoinFailed = reject; });
    this.joined.catch(() => {});
  }

  /** Queues for the lock; while a leader holds it, asks it to say who it is. */
  elect() {
    navigator.locks.request(`zg-align:${this.name}:leader`, { signal: this.abort.signal }, () => this.lead())
      .catch((e) => { if (!this.closed) this.onJoinFailed(e); });
    const hello = () => {
      if (this.closed || this.leaderId) return;
      this.post({ kind: 'hello', from: this.tabId });
      setTimeout(hello, HELLO_RETRY_MS);
    };
    hello();
  }

  /** Holds the lock: runs the node in this tab's worker until the tab closes or disposes. */
  async lead() {
    if (this.closed) return;
    this.role = 'leader';
    this.leaderId = this.tabId;
    try {
      const client = await NodeClient.spawn(this.spawnOptions);
      this.client = client;
      client.signer = (account, typedData) => {
        if (!this.signer) throw Object.assign(new Error('no wallet is connected in the leading tab'), { reason: 'noWallet' });
        return this.signer(account, typedData);
      };
      await client.subscribe((event) => this.onNodeEvent(event));
      if (this.config) await client.start({ ...this.config, firstRound: this.nextRound() });
    } catch (e) {
      this.client?.dispose();
      this.client = null;
      this.role = 'follower';
      this.leaderId = null;
      this.onJoinFailed(e);
      return; // Lets the lock go: another tab may do better.
    }
    this.announce();
    this.rejectPending('leaderChanged', 'another tab leads the node now');
    this.onJoined();
    this.dispatchEvent(new CustomEvent('role', { detail: { role: 'leader' } }));
    // Held until the worker dies or this tab disposes; a closed tab lets it go by itself.
    await new Promise((resolve) => {
      this.resign = resolve;
      this.client.addEventListener('close', resolve);
    });
    if (!this.closed) {
      // The worker died: step down, and queue again behind the others.
      this.role = 'follower';
      this.leaderId = null;
      this.client = null;
      queueMicrotask(() => this.elect());
    }
  }

  nextRound() {
    return Math.max(this.config?.firstRound ?? 1, this.lastRound + 1);
  }

  announce() {
    this.post({ kind: 'leader', from: this.tabId, config: this.config, lastRound: this.lastRound, signed: [...this.signed], replay: this.currentEvents() });
  }

  post(message) {
    if (!this.closed) this.channel.postMessage(message);
  }

  /** An event from the leader's worker: to this tab and to every other. */
  onNodeEvent(event) {
    this.track(event);
    this.emit(event);
    this.post({ kind: 'event', event });
  }

  track(event) {
    if (event?.type === 'round') {
      this.lastRound = Math.max(this.lastRound, Number(event.round) || 0);
      this.replay.round = event;
    } else if (event?.type === 'connection') this.replay.connection = event;
    else if (event?.type === 'verdict') {
      const key = `${event.kind}:${event.node}`;
      this.replay.verdicts.delete(key);
      this.replay.verdicts.set(key, event);
      if (this.replay.verdicts.size > MAX_REPLAY) this.replay.verdicts.delete(this.replay.verdicts.keys().next().value);
    }
  }

  /** Whether `event` says more than the state this tab already has. */
  isNews(event) {
    if (event?.type === 'round') {
      const last = this.replay.round;
      return !last || event.round > last.round || (event.round === last.round && event.state !== last.state);
    }
    if (event?.type === 'verdict') {
      const known = this.replay.verdicts.get(`${event.kind}:${event.node}`);
      return !known || event.round > known.round;
    }
    if (event?.type === 'connection') return JSON.stringify(event) !== JSON.stringify(this.replay.connection);
    return false;
  }

  onMessage(data) {
    if (this.closed || typeof data?.kind !== 'string') return;
    switch (data.kind) {
      case 'hello':
        if (this.role === 'leader') this.announce();
        break;
      case 'leader':
        if (data.from === this.tabId) break;
        if (this.leaderId !== data.from) {
          this.rejectPending('leaderChanged', 'another tab leads the node now');
          this.leaderId = data.from;
          // A new leader's state repeats much this tab saw from the last one: only what is news.
          for (const event of Array.isArray(data.replay) ? data.replay : []) {
            if (!this.isNews(event)) continue;
            this.track(event);
            this.emit(event);
          }
        }
        this.config = data.config ?? null;
        this.lastRound = Math.max(this.lastRound, Number(data.lastRound) || 0);
        for (const key of Array.isArray(data.signed) ? data.signed : []) this.signed.add(key);
        this.onJoined();
        break;
      case 'event':
        if (this.role === 'follower') {
          this.track(data.event);
          this.emit(data.event);
        }
        break;
      case 'config':
        this.config = data.config ?? null;
        break;
      case 'signed':
        this.signed.add(data.key);
        break;
      case 'request':
        if (this.role === 'leader') this.answerTab(data);
        break;
      case 'answer':
        if (data.to === this.tabId) this.settle(data);
        break;
      default:
    }
  }

  /** Runs another tab's call in this (leading) tab and answers it. */
  async answerTab({ from, id, method, params }) {
    let reply;
    try {
      reply = { result: await this.run(method, params) };
    } catch (e) {
      reply = { error: { message: String(e?.message ?? e), reason: e?.reason ?? null } };
    }
    this.post({ kind: 'answer', to: from, id, ...reply });
  }

  settle({ id, result, error }) {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(Object.assign(new Error(error.message), error.reason ? { reason: error.reason } : {}));
    else pending.resolve(result);
  }

  rejectPending(reason, message) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(new NodeClientError(message, reason));
    }
    this.pending.clear();
  }

  /** One command to the node, wherever it runs; the same calls as NodeClient's. */
  request(method, params, { timeoutMs } = {}) {
    if (this.closed) return Promise.reject(this.closed);
    if (this.role === 'leader') return this.run(method, params, timeoutMs);
    const id = this.nextId++;
    const limit = timeoutMs ?? (SLOW_METHODS.has(method) ? Math.max(this.timeoutMs, SIGNING_TIMEOUT_MS) : this.timeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new NodeClientError(`${method} got no answer from the leading tab within ${limit} ms`, 'timeout'));
      }, limit);
      this.pending.set(id, { resolve, reject, timer });
      this.post({ kind: 'request', from: this.tabId, id, method, params });
    });
  }

  /** A command in the leading tab: start, stop and reports keep the state every tab shares. */
  async run(method, params, timeoutMs) {
    const client = this.client;
    if (!client) throw new NodeClientError('this tab no longer leads the node', 'leaderChanged');
    if (method === 'start') {
      // Joining a node that runs is no error: the tabs share it.
      if (this.config && (await client.status()).running) return null;
      const config = { ...(params ?? {}) };
      config.firstRound = Math.max(config.firstRound ?? 1, this.lastRound + 1);
      const result = await client.request('start', config, { timeoutMs });
      this.config = config;
      this.post({ kind: 'config', config });
      return result;
    }
    if (method === 'stop') {
      this.config = null;
      this.post({ kind: 'config', config: null });
      return client.request('stop', undefined, { timeoutMs });
    }
    if (method === 'reportRound') {
      const key = `${params?.license?.tokenId}:${params?.round}`;
      if (this.signed.has(key) || this.signing.has(key)) {
        throw Object.assign(new Error(`round ${params?.round} of license ${params?.license?.tokenId} is already reported`), { reason: 'alreadyReported' });
      }
      this.signing.add(key);
      try {
        const result = await client.request('reportRound', params, { timeoutMs });
        this.signed.add(key);
        this.post({ kind: 'signed', key });
        return result;
      } finally {
        this.signing.delete(key);
      }
    }
    return client.request(method, params, { timeoutMs });
  }

  /** The node's state as events: the last connection and round, the latest verdict of each node. */
  currentEvents() {
    return [this.replay.connection, this.replay.round, ...this.replay.verdicts.values()].filter(Boolean);
  }

  /**
   * Calls `listener(event)` for the node's current state (`currentEvents()`), then for every
   * event; resolves to a function that unsubscribes.
   */
  async subscribe(listener) {
    for (const event of this.currentEvents()) {
      try {
        listener(event);
      } catch (e) {
        reportError(e);
      }
    }
    return this.listen(listener);
  }

  /** Leaves: a leading tab stops its worker and lets the next tab lead; pending calls reject. */
  dispose() {
    if (this.closed) return;
    this.closed = new NodeClientError('the shared node was disposed in this tab', 'disposed');
    this.onJoinFailed(this.closed);
    this.abort.abort();
    this.client?.dispose();
    this.client = null;
    this.resign?.();
    this.rejectPending('disposed', 'the shared node was disposed in this tab');
    this.channel.close();
    this.closeHub();
  }

  get disposed() {
    return this.closed !== null;
  }
}
