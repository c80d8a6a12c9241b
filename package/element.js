// <zg-align-node>: the node as an element a page drops in. Each element runs its own node in its
// own worker and renders in its own shadow root, so two on one page do not clash. Themed through
// CSS custom properties (--zg-*) and ::part(); its events bubble out of the shadow root.

import { NodeClient } from './node-client.js';
import { SharedNode } from './shared-node.js';
import { CHECK_KINDS } from './verdicts.js';
import { VerdictBoard, DEFAULT_ROUND_INTERVAL_MS } from './verdict-board.js';
import { BOARD_STYLE } from './board-style.js';
import { parseTrustAnchor } from './trust-anchor.js';

/**
 * Panels an element can show, in the order shown; `licenses` and `reports` hold what the page
 * slots into them. `licenses` (where a page puts what the owner acts on) comes first: the status
 * lines and the verdicts grow while rounds run, and it stays where it is under the owner's pointer.
 */
export const PANELS = Object.freeze(['licenses', 'status', 'verdicts', 'reports']);
const DEFAULT_PANELS = ['status', 'verdicts'];

const STYLE = `
:host { display: block; font: var(--zg-font, 14px/1.4 system-ui, sans-serif); color: var(--zg-fg, #1b1f24);
  background: var(--zg-bg, transparent); border: var(--zg-border, none); padding: var(--zg-padding, 0); }
:host([hidden]) { display: none; }
section[hidden] { display: none; }
h2 { font-size: var(--zg-heading-size, 1.05em); margin: 0.6em 0 0.3em; }
.status p { margin: 0.2em 0; }
button { font: inherit; color: var(--zg-button-fg, inherit); background: var(--zg-button-bg, #eef1f4);
  border: 1px solid var(--zg-rule, #c9d1d9); border-radius: 4px; padding: 0.2em 0.8em; }
#connection[data-connection="connected"] { color: var(--zg-healthy, #1a7f37); }
#connection[data-connection="reconnecting"], #connection[data-connection="error"] { color: var(--zg-unreachable, #9a6700); }
${BOARD_STYLE}`;

const TEMPLATE = `
<style>${STYLE}</style>
<section part="licenses" data-panel="licenses"><slot name="licenses"></slot></section>
<section class="status" part="status" data-panel="status">
  <p><button id="start" type="button" part="button start">Start</button> <button id="stop" type="button" part="button stop" disabled>Stop</button></p>
  <p id="connection" data-connection="idle">idle</p>
  <p id="round"></p>
  <p id="files"></p>
</section>
<section class="verdicts" part="verdicts" data-panel="verdicts"></section>
<section part="reports" data-panel="reports"><slot name="reports"></slot></section>
`;

export class ZgAlignNode extends HTMLElement {
  static observedAttributes = ['panels'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = TEMPLATE;
    const $ = (id) => this.shadowRoot.getElementById(id);
    this.parts = { start: $('start'), stop: $('stop'), connection: $('connection'), round: $('round'), files: $('files') };
    /** The verdicts at a glance (verdict-board.js, as on the demo page). */
    this.board = new VerdictBoard(this.shadowRoot.querySelector('section.verdicts'));
    this.parts.start.addEventListener('click', () => this.start().catch(() => {}));
    this.parts.stop.addEventListener('click', () => this.stop().catch(() => {}));
    /** The node's client once started; `null` before and after. */
    this.client = null;
    /** `(account, typedDataJson) => Promise<signature>` for reports: the page's wallet. */
    this.signer = null;
    this.spawning = null;
    this.roundVerdicts = new Map();
    this.showPanels();
  }

  connectedCallback() {
    if (this.hasAttribute('autostart') && !this.client && !this.spawning) this.start().catch(() => {});
  }

  disconnectedCallback() {
    // A move within the page disconnects and connects again in one task: only a real removal ends the node.
    queueMicrotask(() => { if (!this.isConnected) this.dispose(); });
  }

  attributeChangedCallback(name) {
    if (name === 'panels') this.showPanels();
  }

  /** The panels named by the `panels` attribute (space-separated), else status and verdicts. */
  get panels() {
    const named = (this.getAttribute('panels') ?? '').split(/[\s,]+/).filter((p) => PANELS.includes(p));
    return named.length ? named : DEFAULT_PANELS;
  }

  showPanels() {
    const shown = this.panels;
    for (const section of this.shadowRoot.querySelectorAll('section[data-panel]')) section.hidden = !shown.includes(section.dataset.panel);
  }

  /** The start config from the attributes: `relay` (one multiaddr, or several separated by spaces: the first is the primary) or `manifest-url`, `kinds`, `round-interval-ms`, `transport`, `trusted-relay`, `trust`. */
  configFromAttributes() {
    const config = {};
    const relays = (this.getAttribute('relay') ?? '').split(/\s+/).filter(Boolean);
    const manifestUrl = this.getAttribute('manifest-url');
    if (relays.length > 1) config.relays = relays;
    else if (relays.length) config.relay = relays[0];
    else if (manifestUrl) config.manifestUrl = new URL(manifestUrl, document.baseURI).href;
    const kinds = (this.getAttribute('kinds') ?? '').split(/[\s,]+/).filter(Boolean);
    if (kinds.length) config.kinds = kinds.filter((k) => CHECK_KINDS.includes(k));
    for (const [attribute, key] of [['round-interval-ms', 'roundIntervalMs'], ['request-timeout-ms', 'requestTimeoutMs'], ['validator-budget-ms', 'validatorBudgetMs']]) {
      const value = Number(this.getAttribute(attribute));
      if (this.hasAttribute(attribute) && Number.isSafeInteger(value) && value >= 0) config[key] = value;
    }
    const transport = this.getAttribute('transport');
    if (transport === 'http' || transport === 'libp2p') config.transport = transport;
    // `trusted-relay`: the owner runs this relay (docs/trust.md).
    if (this.hasAttribute('trusted-relay')) config.trustedRelay = true;
    // `trust`: the validator check's anchor, "<chain id> <height> <header hash>".
    if (this.hasAttribute('trust')) config.trust = parseTrustAnchor(this.getAttribute('trust'));
    return config;
  }

  /** The element's node client, spawned once (its worker is this element's alone). */
  getClient() {
    const spawn = { relay: this.getAttribute('channels') === 'relayed' };
    // `shared` (or `shared="name"`): one node for every tab of this origin that names the same one.
    const shared = this.getAttribute('shared');
    this.spawning ??= (shared === null ? NodeClient.spawn(spawn) : SharedNode.join({ name: shared || 'default', spawn })).then((client) => {
      client.signer = (account, typedData) => {
        if (!this.signer) throw Object.assign(new Error('no wallet is connected'), { reason: 'noWallet' });
        return this.signer(account, typedData);
      };
      client.subscribe((event) => this.onEvent(event)).catch(() => {});
      client.addEventListener('close', () => { if (this.client === client) { this.client = null; this.spawning = null; } });
      this.client = client;
      return client;
    }, (e) => { this.spawning = null; throw e; });
    return this.spawning;
  }

  /** Starts the node: the attributes' config, with `config` over it. */
  async start(config = {}) {
    this.parts.start.disabled = true;
    try {
      const merged = { ...this.configFromAttributes(), ...config };
      if (!merged.relay && !merged.relays?.length && !merged.manifestUrl) throw new Error('no relay: set the relay or manifest-url attribute');
      const client = await this.getClient();
      this.board.roundIntervalMs = merged.roundIntervalMs || DEFAULT_ROUND_INTERVAL_MS;
      await client.start(merged);
      this.parts.stop.disabled = false;
    } catch (e) {
      this.showConnection({ type: 'connection', state: 'error', error: e.message });
      this.parts.start.disabled = false;
      throw e;
    }
  }

  /** Stops the node (its worker stays, ready for the next start). */
  async stop() {
    this.parts.stop.disabled = true;
    try {
      await this.client?.stop();
    } finally {
      this.parts.start.disabled = false;
    }
  }

  /** Ends the node and its worker. */
  dispose() {
    this.board.dispose();
    this.client?.dispose();
    this.client = null;
    this.spawning = null;
    this.parts.start.disabled = false;
    this.parts.stop.disabled = true;
  }

  onEvent(event) {
    if (event.type === 'connection') {
      this.showConnection(event);
      this.board.onEvent(event);
    }
    else if (event.type === 'verdict') this.showVerdict(event);
    else if (event.type === 'files') this.showFiles(event);
    else if (event.type === 'problem') this.board.onEvent(event);
    else if (event.type === 'round') this.showRound(event);
  }

  fire(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  showConnection(c) {
    const el = this.parts.connection;
    el.dataset.connection = c.state;
    el.dataset.transport = c.transport ?? '';
    const relay = c.relay ? ` to the ${c.relay.network} relay` : '';
    const via = c.state === 'connected' ? `${relay} over ${c.transport}` : '';
    const why = c.error ? `: ${c.error}` : '';
    const retry = c.retryInMs != null ? `, retry in ${(c.retryInMs / 1000).toFixed(1)} s` : '';
    el.textContent = `${c.state}${via}${why}${retry}`;
    this.fire('zg-connection', c);
  }

  showVerdict(event) {
    this.board.onEvent(event);
    if (!this.roundVerdicts.has(event.round)) this.roundVerdicts.set(event.round, []);
    this.roundVerdicts.get(event.round).push(event);
    this.fire('zg-verdict', event);
  }

  /** A finished round's report: its verdicts, what a license owner signs (`client.reportRound`). */
  showRound(event) {
    const { round, state } = event;
    this.board.onEvent(event);
    const el = this.parts.round;
    el.textContent = `round ${round} ${state}`;
    el.dataset.round = round;
    el.dataset.state = state;
    if (state !== 'finished') return;
    const verdicts = this.roundVerdicts.get(round) ?? [];
    for (const r of this.roundVerdicts.keys()) if (r <= round) this.roundVerdicts.delete(r);
    this.fire('zg-report', { round, verdicts });
  }

  showFiles({ round, files }) {
    const el = this.parts.files;
    el.dataset.round = round;
    el.dataset.count = files.length;
    el.textContent = files.length ? `round ${round} checks ${files.length} file(s)` : `round ${round}: no file to check`;
  }

  /** The verdict rows shown: `[{node, kind, verdict, round}]`, for pages and tests. */
  get verdictRows() {
    return this.board.rows.map((tr) => ({ ...tr.dataset, round: Number(tr.dataset.round) }));
  }
}

if (!customElements.get('zg-align-node')) customElements.define('zg-align-node', ZgAlignNode);
