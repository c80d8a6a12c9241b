// Signed reports kept in the tab (IndexedDB) from the moment the wallet signs until the network
// acknowledges them, so a reload loses none and the page sends none twice; and the last round
// number used, so a reload continues the numbering and never signs a round again. Acknowledged
// reports move to `archive` (the newest ARCHIVE_MAX), for the owner's export.
//
// A few lines over the IndexedDB API rather than a package: the shell is served as plain modules
// without a bundler, and this needs four requests.

const DB = 'zg-align';
const VERSION = 2;
const ARCHIVE_MAX = 1000;

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class ReportStore {
  /** Opens (and on first use creates) the database: `reports` by round, `meta` by key. */
  static async open(name = DB) {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('reports')) db.createObjectStore('reports', { keyPath: 'round' });
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      if (!db.objectStoreNames.contains('archive')) db.createObjectStore('archive', { keyPath: 'round' });
    };
    return new ReportStore(await done(request));
  }

  constructor(db) {
    this.db = db;
  }

  async run(store, mode, fn) {
    const tx = this.db.transaction(store, mode);
    // Writes resolve once the transaction commits: then a reload sees them.
    const committed = new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error); });
    const result = await done(fn(tx.objectStore(store)));
    if (mode === 'readwrite') await committed;
    else committed.catch(() => {});
    return result;
  }

  /** `{round, licenseTokenId, report, digest, state: "pending" | "rejected", reason?, message?}` */
  put(record) { return this.run('reports', 'readwrite', (s) => s.put(record)); }
  delete(round) { return this.run('reports', 'readwrite', (s) => s.delete(round)); }
  get(round) { return this.run('reports', 'readonly', (s) => s.get(round)); }
  all() { return this.run('reports', 'readonly', (s) => s.getAll()); }
  archived() { return this.run('archive', 'readonly', (s) => s.getAll()); }

  /** Moves an acknowledged report to the archive (dropping the oldest over ARCHIVE_MAX). */
  async archive(record) {
    await this.run('archive', 'readwrite', (s) => s.put(record));
    const rounds = await this.run('archive', 'readonly', (s) => s.getAllKeys());
    if (rounds.length > ARCHIVE_MAX) await this.run('archive', 'readwrite', (s) => s.delete(IDBKeyRange.upperBound(rounds[rounds.length - ARCHIVE_MAX - 1])));
    await this.delete(record.round);
  }

  /** Allocates the first round of a run: one past the highest used, recorded at once, so two
   * tabs starting together never get the same number (one transaction: read and write). */
  firstRound() {
    return this.rounds('readwrite', (last) => last + 1);
  }

  /** Records that `round` started (never moves the number back). */
  noteRound(round) {
    return this.rounds('readwrite', (last) => Math.max(last, round));
  }

  /** Reads the highest round used (`meta.lastRound` or the newest report kept, whichever is
   * higher) and, in the same transaction, stores `next(last)` as the new highest when writing;
   * resolves with it once committed. */
  rounds(mode, next) {
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(['meta', 'reports'], mode);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
      const meta = tx.objectStore('meta');
      const stored = meta.get('lastRound');
      const newest = tx.objectStore('reports').openCursor(null, 'prev');
      newest.onsuccess = () => {
        const last = Math.max(Number.isSafeInteger(stored.result) ? stored.result : 0, newest.result?.value.round ?? 0);
        result = next(last);
        if (mode === 'readwrite' && result > last) meta.put(result, 'lastRound');
      };
    });
  }
}
