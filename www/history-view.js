// The history panel: a chart of one node's verdicts over time (picked from the list, or by
// clicking its row or tile on the board), the retention setting, and the export of the history
// with the signed reports as one JSON file.
//
// Scriptable: `#history[data-records="N"]`, `#history-chart[data-kind][data-node][data-records]`,
// `#history-retention` (days), `#export`.

import { RETENTION_DAYS, verdictChart, shares, downloadJson, VERDICT_ORDER } from '/package/index.js';

const RETENTION_KEY = 'zg-align.historyRetentionDays';

/** The owner's retention setting (days), kept for the next visit. */
export function savedRetentionDays(fallback) {
  try {
    const days = Number(localStorage.getItem(RETENTION_KEY));
    return RETENTION_DAYS.includes(days) ? days : fallback;
  } catch {
    return fallback;
  }
}

export class HistoryView {
  constructor(root, { history, reportStore }) {
    this.root = root;
    this.history = history;
    this.reportStore = reportStore;
    this.select = root.querySelector('#history-node');
    this.chart = root.querySelector('#history-chart');
    this.status = root.querySelector('#history-status');
    this.retention = root.querySelector('#history-retention');
    this.retention.replaceChildren(...RETENTION_DAYS.map((d) => new Option(d === 1 ? '1 day' : `${d} days`, String(d))));
    this.retention.value = String(history.retentionDays);
    this.retention.addEventListener('change', async () => {
      const days = Number(this.retention.value);
      try { localStorage.setItem(RETENTION_KEY, String(days)); } catch { /* private mode */ }
      await history.setRetention(days);
      await this.refresh();
    });
    this.select.addEventListener('change', () => this.show());
    root.querySelector('#export').addEventListener('click', () => this.export());
    /** The node chosen by the owner; until then the most serious one. */
    this.chosen = null;
  }

  /** Shows `kind` `node`'s chart (a click on the board). */
  choose(kind, node) {
    this.chosen = `${kind} ${node}`;
    this.refresh();
  }

  /** The node list and the chart, again (after a round, a retention change, a choice). */
  async refresh() {
    const latest = await this.history.latest();
    const rank = (v) => VERDICT_ORDER.indexOf(v);
    latest.sort((a, b) => rank(a.verdict) - rank(b.verdict) || a.key.localeCompare(b.key));
    const keys = latest.map((s) => s.key);
    if (keys.join('\n') !== [...this.select.options].map((o) => o.value).join('\n')) {
      this.select.replaceChildren(...latest.map((s) => new Option(`${s.kind} · ${s.node} (${s.verdict})`, s.key)));
    }
    for (const [i, s] of latest.entries()) this.select.options[i].textContent = `${s.kind} · ${s.node} (${s.verdict})`;
    if (this.chosen && keys.includes(this.chosen)) this.select.value = this.chosen;
    const count = await this.history.count();
    this.root.dataset.records = count;
    this.status.textContent = count ? `${count} record(s) of ${latest.length} node(s), kept ${this.history.retentionDays} day(s) and at most ${this.history.maxRecords}.` : 'No verdicts yet.';
    await this.show();
  }

  async show() {
    const key = this.select.value;
    const seen = this.history.seen.get(key);
    if (!seen) return this.chart.replaceChildren();
    const { records, seenAt } = await this.history.of(seen.kind, seen.node);
    this.chart.dataset.kind = seen.kind;
    this.chart.dataset.node = seen.node;
    this.chart.dataset.records = records.length;
    const share = shares(records, seenAt);
    const said = VERDICT_ORDER.filter((v) => share[v]).map((v) => `${v} ${(share[v] * 100).toFixed(share[v] < 0.995 && share[v] > 0.005 ? 1 : 0)}%`).join(', ');
    const caption = document.createElement('p');
    caption.textContent = records.length ? `Since ${new Date(records[0].at).toLocaleString()}: ${said} of the time.` : '';
    this.chart.replaceChildren(verdictChart(document, { records, seenAt, title: `${seen.kind} ${seen.node}` }), caption);
  }

  /** The history and the signed reports (pending, rejected and acknowledged) as one file. */
  async export() {
    const [records, latest, pending, archived] = await Promise.all([
      this.history.all(), this.history.latest(), this.reportStore?.all() ?? [], this.reportStore?.archived() ?? [],
    ]);
    const now = new Date();
    const value = {
      format: 'zg-align-export/1',
      exportedAt: now.toISOString(),
      history: { retentionDays: this.history.retentionDays, maxRecords: this.history.maxRecords, latest, records },
      reports: [...archived, ...pending].sort((a, b) => a.round - b.round),
    };
    this.lastExport = value;
    downloadJson(`zg-align-export-${now.toISOString().replace(/[:.]/g, '-')}.json`, value);
    return value;
  }
}
