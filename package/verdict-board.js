// The verdicts at a glance, for the page and the <zg-align-node> element alike: a headline (is the
// network healthy?), a card per kind (counts by verdict, last round, time to the next), then a
// group per kind that folds, problems first, with each accusation's evidence in words and its raw
// JSON to copy or download. Validators, a hundred or more, are a grid of tiles.
//
// Every verdict is one table row keyed and marked by data attributes (`data-node`, `data-kind`,
// `data-verdict`, `data-round`) under `#verdicts`, folded or not: scripts and tests read them.

import { CHECK_KINDS, VERDICT_ORDER, describeVerdict, isProblem, shortId } from './verdicts.js';
import { downloadJson } from './download.js';

/** The node's own round interval when the start config names none (crate/src/wasm/node.rs). */
export const DEFAULT_ROUND_INTERVAL_MS = 20000;

const KIND_TITLES = { storage: 'Storage nodes', da: 'Data availability', validator: 'Validators', serving: 'Serving providers' };
const rank = (verdict) => { const i = VERDICT_ORDER.indexOf(verdict); return i < 0 ? VERDICT_ORDER.length : i; };

/** Writes `text` into `e` only when it differs: a rewrite of the same words still costs the page
 * a style, layout and paint pass, and the board rewrites most of its words every round and every second. */
function setText(e, text) {
  const t = String(text);
  if (e.textContent !== t) e.textContent = t;
}

/** Sets an element's data attribute only when it differs (attribute selectors restyle on every write). */
function setData(e, name, value) {
  const v = String(value);
  if (e.dataset[name] !== v) e.dataset[name] = v;
}

/** An element with a class (and text). */
function el(doc, tag, className, text) {
  const e = doc.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}

/** The raw JSON of a verdict, filled in when opened: copy it or save it as a file. */
function rawEvidence(doc, event) {
  const details = el(doc, 'details', 'zg-raw');
  details.append(el(doc, 'summary', null, 'raw JSON'));
  const pre = el(doc, 'pre');
  const copy = el(doc, 'button', null, 'Copy');
  const save = el(doc, 'button', null, 'Download');
  copy.type = save.type = 'button';
  const body = el(doc, 'div', 'zg-raw-body');
  const bar = el(doc, 'div', 'zg-raw-actions');
  bar.append(copy, save);
  body.append(bar, pre);
  details.append(body);
  details.event = event;
  const json = () => JSON.stringify({ kind: details.event.kind, node: details.event.node, round: details.event.round, verdict: details.event.verdict }, null, 2);
  details.addEventListener('toggle', () => { if (details.open) pre.textContent = json(); });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(json());
      copy.textContent = 'Copied';
    } catch {
      // No clipboard (an insecure origin): the text is selected for a manual copy.
      doc.getSelection()?.selectAllChildren(pre);
      copy.textContent = 'Selected';
    }
    setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
  });
  save.addEventListener('click', () => {
    const e = details.event;
    downloadJson(`zg-align-${e.kind}-${String(e.node).replace(/[^\w.-]+/g, '_').slice(0, 48)}-round-${e.round}.json`, JSON.parse(json()));
  });
  return details;
}

/** Shows a verdict event in `rows` (a tbody): one row per node of each kind, updated in place. */
export function showVerdict(rows, event) {
  const { node, kind, verdict, round } = event;
  const doc = rows.ownerDocument;
  // One row per node of each kind: ids are only unique within a kind.
  let row = rows.querySelector(`tr[data-kind="${CSS.escape(kind)}"][data-node="${CSS.escape(node)}"]`);
  if (!row) {
    row = doc.createElement('tr');
    row.dataset.node = node;
    row.dataset.kind = kind;
    for (const cls of ['node', 'verdict', 'round', 'evidence', 'raw']) row.append(el(doc, 'td', cls));
    row.querySelector('.node').append(el(doc, 'code'));
    row.querySelector('.node').title = node;
    if (kind === 'validator') row.tabIndex = 0;
    rows.append(row);
  }
  const words = describeVerdict(kind, verdict);
  setData(row, 'verdict', verdict.verdict);
  setData(row, 'round', round);
  // What a second relay showed (crate/src/paths/): the first relay's fault, a fault seen through both.
  setData(row, 'relayFault', verdict.relayFault?.kind ?? '');
  setData(row, 'confirmed', verdict.confirmed ? 'true' : '');
  row.event = event;
  const id = row.querySelector('.node code');
  setText(id, kind === 'validator' ? node.slice(0, 4) : shortId(node.replace(/^https?:\/\//, '')));
  const title = `${node}: ${verdict.verdict} in round ${round}. ${words}`;
  if (row.title !== title) row.title = title;
  setText(row.querySelector('.verdict'), verdict.verdict);
  setText(row.querySelector('.round'), round);
  setText(row.querySelector('.evidence'), words);
  const raw = row.querySelector('.raw');
  if (verdict.verdict === 'healthy' && !verdict.relayFault) raw.firstChild?.remove();
  else if (raw.firstChild) {
    raw.firstChild.event = event;
    if (raw.firstChild.open) raw.firstChild.dispatchEvent(new Event('toggle'));
  } else raw.append(rawEvidence(doc, event));
  return row;
}

export class VerdictBoard extends EventTarget {
  /** Renders into `container` (a page's element or a shadow root's); `roundIntervalMs` times the next round. */
  constructor(container, { roundIntervalMs = DEFAULT_ROUND_INTERVAL_MS } = {}) {
    super();
    const doc = container.ownerDocument;
    this.doc = doc;
    this.roundIntervalMs = roundIntervalMs;
    this.headline = el(doc, 'p', 'zg-headline', 'Waiting for the first round.');
    this.headline.id = 'headline';
    this.headline.dataset.health = 'waiting';
    this.summary = el(doc, 'div', 'zg-summary');
    this.summary.id = 'summary';
    this.groupsEl = el(doc, 'div', 'zg-groups');
    this.groupsEl.id = 'verdicts';
    this.kinds = new Map();
    for (const kind of CHECK_KINDS) this.kinds.set(kind, this.makeKind(kind));
    container.append(this.headline, this.summary, this.groupsEl);
    /** The last round's state and when it changed, for "next round in". */
    this.round = null;
    /** The node's connection state, once told: no next round while it is not connected. */
    this.connection = null;
    this.timer = null;
    this.sortQueued = false;
  }

  makeKind(kind) {
    const doc = this.doc;
    const card = el(doc, 'button', 'zg-card');
    card.type = 'button';
    card.dataset.kind = kind;
    card.hidden = true;
    card.append(el(doc, 'strong', 'zg-card-title', KIND_TITLES[kind]), el(doc, 'span', 'zg-counts'), el(doc, 'span', 'zg-last'), el(doc, 'span', 'zg-next'), el(doc, 'span', 'zg-problem'));
    this.summary.append(card);
    const group = el(doc, 'details', 'zg-group');
    group.dataset.kind = kind;
    group.hidden = true;
    const head = el(doc, 'summary');
    head.append(el(doc, 'strong', null, KIND_TITLES[kind]), el(doc, 'span', 'zg-counts'));
    const table = el(doc, 'table', kind === 'validator' ? 'zg-table zg-grid' : 'zg-table');
    table.setAttribute('part', 'table');
    const thead = el(doc, 'thead');
    const tr = el(doc, 'tr');
    for (const h of ['Node', 'Verdict', 'Round', 'Why', '']) tr.append(el(doc, 'th', null, h));
    thead.append(tr);
    const rows = el(doc, 'tbody');
    table.append(thead, rows);
    group.append(head, table);
    const entry = { kind, card, group, rows, userFolded: false, lastRound: null, problem: null, detail: null, shownCounts: null };
    if (kind === 'validator') {
      // The grid shows a tile per validator; the chosen one's row, in words, below it.
      entry.detail = el(doc, 'div', 'zg-tile-detail');
      group.append(entry.detail);
      rows.addEventListener('click', (e) => { const row = e.target.closest('tr'); if (row) this.showTile(entry, row); });
      rows.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target.matches('tr')) this.showTile(entry, e.target); });
    }
    rows.addEventListener('click', (e) => {
      const row = e.target.closest('tr');
      if (row && !e.target.closest('.zg-raw')) this.dispatchEvent(new CustomEvent('select', { detail: { kind, node: row.dataset.node } }));
    });
    head.addEventListener('click', () => { entry.userFolded = true; });
    card.addEventListener('click', () => {
      group.open = true;
      entry.userFolded = true;
      group.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
    this.groupsEl.append(group);
    return entry;
  }

  /** The node's events: verdicts, rounds, problems and its connection. */
  onEvent(event) {
    if (event.type === 'connection') {
      this.connection = event.state;
      this.showNext();
    } else if (event.type === 'verdict') this.showVerdict(event);
    else if (event.type === 'round') this.showRound(event);
    else if (event.type === 'problem') this.showProblem(event);
  }

  showVerdict(event) {
    const entry = this.kinds.get(event.kind);
    if (!entry) return null;
    const row = showVerdict(entry.rows, event);
    row.seq ??= entry.rows.children.length;
    entry.lastRound = Math.max(entry.lastRound ?? 0, event.round);
    entry.card.hidden = entry.group.hidden = false;
    if (entry.detail && entry.detail.dataset.node === event.node) this.showTile(entry, row);
    this.queueSort();
    return row;
  }

  showProblem({ round, kind, message }) {
    const entry = this.kinds.get(kind);
    if (!entry) return;
    entry.problem = { round, message };
    entry.card.hidden = entry.group.hidden = false;
    this.queueSort();
  }

  showRound({ round, state }) {
    this.round = { round, state, at: Date.now() };
    // A kind's problem is said for its round and the next one only.
    for (const entry of this.kinds.values()) if (entry.problem && entry.problem.round < round - 1) entry.problem = null;
    if (state === 'finished' || state === 'interrupted') this.queueSort();
    this.timer ??= setInterval(() => this.showNext(), 1000);
    this.showNext();
  }

  /** The rows' order, counts, cards and headline, once per burst of events. */
  queueSort() {
    if (this.sortQueued) return;
    this.sortQueued = true;
    setTimeout(() => { this.sortQueued = false; this.refresh(); }, 0);
  }

  refresh() {
    let total = 0;
    const problems = {};
    for (const entry of this.kinds.values()) {
      const rows = [...entry.rows.children];
      const sorted = [...rows].sort((a, b) => rank(a.dataset.verdict) - rank(b.dataset.verdict) || a.seq - b.seq);
      if (sorted.some((r, i) => r !== rows[i])) entry.rows.append(...sorted);
      const counts = {};
      for (const r of rows) counts[r.dataset.verdict] = (counts[r.dataset.verdict] ?? 0) + 1;
      total += rows.length;
      for (const [v, n] of Object.entries(counts)) if (isProblem(v)) problems[v] = (problems[v] ?? 0) + n;
      this.showCounts(entry, counts);
      const worst = sorted[0]?.dataset.verdict ?? 'none';
      setData(entry.card, 'worst', worst);
      setData(entry.group, 'worst', worst);
      setData(entry.card, 'total', rows.length);
      setText(entry.card.querySelector('.zg-last'), entry.lastRound != null ? `last round ${entry.lastRound}` : '');
      setText(entry.card.querySelector('.zg-problem'), entry.problem ? `round ${entry.problem.round}: ${entry.problem.message}` : '');
      setData(entry.card, 'problem', entry.problem ? 'true' : 'false');
      // Folded when all is well, open when something is not, until the owner folds it themselves.
      const open = isProblem(worst) || entry.kind === 'validator';
      if (!entry.userFolded && entry.group.open !== open) entry.group.open = open;
      if (entry.detail && !entry.detail.dataset.node && sorted[0]) this.showTile(entry, sorted[0]);
    }
    // Kinds with problems first, then in their usual order.
    const entries = [...this.kinds.values()];
    const order = [...entries].sort((a, b) => rank(a.card.dataset.worst) - rank(b.card.dataset.worst) || entries.indexOf(a) - entries.indexOf(b));
    if (order.some((e, i) => e.card !== this.summary.children[i])) {
      this.summary.append(...order.map((e) => e.card));
      this.groupsEl.append(...order.map((e) => e.group));
    }
    const bad = Object.values(problems).reduce((a, b) => a + b, 0);
    setData(this.headline, 'health', total === 0 ? 'waiting' : bad ? 'problems' : 'healthy');
    setData(this.headline, 'problems', bad);
    setText(this.headline, total === 0 ? 'Waiting for the first round.'
      : bad ? `${bad} of ${total} nodes need attention: ${VERDICT_ORDER.filter((v) => problems[v]).map((v) => `${problems[v]} ${v}`).join(', ')}.`
        : `All ${total} nodes checked are well (healthy, or not yet judged).`);
  }

  showCounts(entry, counts) {
    const key = VERDICT_ORDER.map((v) => counts[v] ?? 0).join(',');
    if (entry.shownCounts === key) return;
    entry.shownCounts = key;
    for (const target of [entry.card, entry.group.querySelector('summary')]) {
      const box = target.querySelector('.zg-counts');
      box.replaceChildren(...VERDICT_ORDER.filter((v) => counts[v]).map((v) => {
        const chip = el(this.doc, 'span', 'zg-count', `${counts[v]} ${v}`);
        chip.dataset.verdict = v;
        chip.dataset.count = counts[v];
        return chip;
      }));
    }
    for (const v of VERDICT_ORDER) setData(entry.card, `count${v[0].toUpperCase()}${v.slice(1)}`, counts[v] ?? 0);
  }

  /** "next round in 3 s" on every card, from the last round's end and the interval. */
  showNext() {
    const r = this.round;
    let text = '';
    if (this.connection && this.connection !== 'connected') text = `node ${this.connection}`;
    else if (r?.state === 'started') text = `round ${r.round} running`;
    else if (r) {
      const left = Math.max(0, Math.ceil((r.at + this.roundIntervalMs - Date.now()) / 1000));
      text = left > 0 ? `next round in ${left} s` : 'next round starting';
    }
    for (const entry of this.kinds.values()) setText(entry.card.querySelector('.zg-next'), text);
  }

  /** The validator tile `row`, said in words under the grid. */
  showTile(entry, row) {
    const doc = this.doc;
    const e = row.event;
    if (entry.detail.event === e) return; // shown already
    entry.detail.event = e;
    entry.detail.dataset.node = e.node;
    entry.detail.dataset.verdict = e.verdict.verdict;
    for (const r of entry.rows.querySelectorAll('tr[aria-selected]')) r.removeAttribute('aria-selected');
    row.setAttribute('aria-selected', 'true');
    const head = el(doc, 'p');
    head.append(el(doc, 'code', null, e.node), ' ', el(doc, 'span', 'zg-verdict-name', e.verdict.verdict), ` in round ${e.round}`);
    const parts = [head, el(doc, 'p', 'zg-words', describeVerdict(e.kind, e.verdict))];
    if (e.verdict.verdict !== 'healthy') parts.push(rawEvidence(doc, e));
    entry.detail.replaceChildren(...parts);
  }

  /** Every verdict row, folded or not. */
  get rows() {
    return [...this.groupsEl.querySelectorAll('tbody tr')];
  }

  dispose() {
    clearInterval(this.timer);
    this.timer = null;
  }
}
