// Each node's verdicts over time, kept in the tab (IndexedDB) across reloads, bounded by age (the
// owner's retention setting) and by count. A node's verdict is written when it changes, and again
// at least every `heartbeatMs` while it holds, so a long steady run costs a few records an hour
// and pruning old records never leaves a node without its state; `seen` remembers when each node
// was last judged, where its last stretch ends.

const DB = 'zg-align-history';
const VERSION = 1;
const DAY_MS = 86400000;

/** Retention choices offered to the owner, in days. */
export const RETENTION_DAYS = Object.freeze([1, 7, 30, 90]);
export const DEFAULT_RETENTION_DAYS = 7;
/** At most this many records, whatever the retention: the oldest go first. */
export const DEFAULT_MAX_RECORDS = 200000;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx) {
  return new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error); });
}

const keyOf = (kind, node) => `${kind} ${node}`;

export class VerdictHistory {
  /** Opens (and on first use creates) the history: `records` ({at, round, kind, node, verdict}), `seen` (latest per node). */
  static async open({ name = DB, retentionDays = DEFAULT_RETENTION_DAYS, maxRecords = DEFAULT_MAX_RECORDS, heartbeatMs = 600000 } = {}) {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const records = db.createObjectStore('records', { autoIncrement: true });
      records.createIndex('node', ['kind', 'node', 'at']);
      records.createIndex('at', 'at');
      db.createObjectStore('seen', { keyPath: 'key' });
    };
    const history = new VerdictHistory(await done(request), { retentionDays, maxRecords, heartbeatMs });
    for (const s of await history.latest()) history.seen.set(s.key, s);
    return history;
  }

  constructor(db, { retentionDays, maxRecords, heartbeatMs }) {
    this.db = db;
    this.retentionDays = retentionDays;
    this.maxRecords = maxRecords;
    this.heartbeatMs = heartbeatMs;
    /** key → {key, kind, node, verdict, round, at (of its last record), seenAt} */
    this.seen = new Map();
  }

  /** Keeps a round's verdict events (one transaction); `at` is when they were judged. */
  async add(events, at = Date.now()) {
    const tx = this.db.transaction(['records', 'seen'], 'readwrite');
    const records = tx.objectStore('records');
    const seen = tx.objectStore('seen');
    for (const { kind, node, round, verdict } of events) {
      const key = keyOf(kind, node);
      const last = this.seen.get(key);
      const name = verdict.verdict;
      const write = !last || last.verdict !== name || at - last.at >= this.heartbeatMs;
      if (write) records.add({ at, round, kind, node, verdict: name });
      const next = { key, kind, node, verdict: name, round, at: write ? at : last.at, seenAt: at };
      this.seen.set(key, next);
      seen.put(next);
    }
    await committed(tx);
  }

  /** A node's records, oldest first, and when it was last judged. */
  async of(kind, node) {
    const range = IDBKeyRange.bound([kind, node, -Infinity], [kind, node, Infinity]);
    const tx = this.db.transaction('records', 'readonly');
    const records = await done(tx.objectStore('records').index('node').getAll(range));
    return { records, seenAt: this.seen.get(keyOf(kind, node))?.seenAt ?? null };
  }

  /** The latest verdict of every node in the history. */
  latest() {
    return done(this.db.transaction('seen', 'readonly').objectStore('seen').getAll());
  }

  count() {
    return done(this.db.transaction('records', 'readonly').objectStore('records').count());
  }

  /** Every record, oldest first (for export). */
  all() {
    return done(this.db.transaction('records', 'readonly').objectStore('records').index('at').getAll());
  }

  /** Drops records older than the retention, then the oldest over the count, and nodes no longer seen. */
  async prune(now = Date.now()) {
    const cutoff = now - this.retentionDays * DAY_MS;
    const tx = this.db.transaction(['records', 'seen'], 'readwrite');
    const records = tx.objectStore('records');
    const total = await done(records.count());
    const old = await done(records.index('at').count(IDBKeyRange.upperBound(cutoff, true)));
    let excess = Math.max(old, total - this.maxRecords);
    if (excess > 0) {
      await new Promise((resolve, reject) => {
        const cursor = records.index('at').openCursor();
        cursor.onerror = () => reject(cursor.error);
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c || excess <= 0) return resolve();
          c.delete();
          excess -= 1;
          c.continue();
        };
      });
    }
    const seen = tx.objectStore('seen');
    for (const [key, s] of this.seen) {
      if (s.seenAt < cutoff) {
        seen.delete(key);
        this.seen.delete(key);
      }
    }
    await committed(tx);
  }

  /** The owner's retention, in days: applied now. */
  async setRetention(days) {
    this.retentionDays = days;
    await this.prune();
  }
}
