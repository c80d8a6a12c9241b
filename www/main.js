// The tab: starts the node in its worker, shows the connection and the verdicts.
// Query options: relay=<multiaddr> is the relay to dial, repeated for several (the first is the
// primary, the others second paths: docs/trust.md; else the devnet's manifest names them all);
// autostart=1 starts without a click; channels=relayed (or the older relay=1) forces the relayed
// data channels; transport=http checks the storage side straight over HTTP (the devnet's indexer,
// EVM RPC and nodes) instead of through the relay; roots=0x..,0x.. adds file roots to check;
// trustRelay=1: the owner runs the first relay; trust=<chain id> <height> <header hash> is the
// validator check's trust anchor (else the devnet's manifest gives one);
// consent=each preselects signing each report (the wallet still asks the owner for every one);
// tgeDays=N fills in the rewards panel's days since TGE; shared=1 shares one node between this
// page's tabs (SharedNode: the leading tab's worker runs it, the others show its events);
// historyMaxRecords=N bounds the verdict history (else DEFAULT_MAX_RECORDS).

// The page is built on the npm package's sources (package/, served at /package/), as an embedder's would be.
import {
  NodeClient, SharedNode, WalletManager, expectedChain, VerdictBoard, VerdictHistory, BOARD_STYLE, DEFAULT_ROUND_INTERVAL_MS, DEFAULT_RETENTION_DAYS, DEFAULT_MAX_RECORDS,
  parseTrustAnchor,
} from '/package/index.js';
import { WalletView } from './wallet-view.js';
import { LicensePanel } from './licenses.js';
import { ReportFlow } from './reports.js';
import { ReportStore } from './report-store.js';
import { HistoryView, savedRetentionDays } from './history-view.js';

const params = new URLSearchParams(location.search);
const startButton = document.getElementById('start');
const stopButton = document.getElementById('stop');
const connectionEl = document.getElementById('connection');
const roundEl = document.getElementById('round');
const memoryEl = document.getElementById('memory');
const filesEl = document.getElementById('files');
/** `relay=` is a multiaddr, repeated for several relays; `relay=1` is the older switch for relayed channels. */
const relayParams = params.getAll('relay');
const relayAddresses = relayParams.filter((r) => r.startsWith('/'));
const relayedChannels = params.get('channels') === 'relayed' || relayParams.includes('1');
const relaysEl = document.getElementById('relays');
// The verdict board (package/verdict-board.js, as in the element), styled by the package's sheet.
document.head.append(Object.assign(document.createElement('style'), { textContent: BOARD_STYLE }));
const board = new VerdictBoard(document.getElementById('board'), { roundIntervalMs: Number(params.get('roundIntervalMs')) || DEFAULT_ROUND_INTERVAL_MS });
let client = null;
let spawning = null;
const wallet = new WalletManager();
// The worker starts with the page, not at the first Start: its wasm downloads and compiles while
// the page sets itself up and the owner reads it. A failure here is shown by Start, which tries again.
getClient().catch(() => {});
/** Scriptable, for kiosks, tests and benchmarks: the node's client and when things happened. */
window.zgAlign = { client: null, wallet, board, getClient, relayInfo: null, workerReadyMs: null, connectedMs: null, firstVerdictMs: null, firstHealthyMs: null, firstRoundMs: null };
new WalletView(document.getElementById('wallet'), wallet);
wallet.discover();
expectedChain().then((chain) => wallet.expect(chain));
/** The devnet's manifest (its relay, license holders), or null when not served by a devnet. */
const manifest = fetch(new URL('/devnet.json', location.href), { cache: 'no-store' })
  .then((r) => (r.ok ? r.json() : null)).catch(() => null);
/** The relay's network profile, from the node's first connection (it says hello first). */
let gotRelayInfo;
const relayInfo = new Promise((resolve) => { gotRelayInfo = resolve; });
const licenses = new LicensePanel(document.getElementById('licenses'), { wallet, getClient, relayInfo, manifest, daysSinceTge: Number(params.get('tgeDays')) || 0 });
const store = ReportStore.open();
const reportsReady = store.then(async (s) => {
  const flow = new ReportFlow({
    table: document.getElementById('reports'), consentRoot: document.getElementById('consent'),
    message: document.getElementById('reports-message'), wallet, licenses, getClient, store: s, relayInfo,
    consent: params.get('consent') === 'each' ? 'each' : 'none',
  });
  await flow.load();
  window.zgAlign.reports = flow;
  return flow;
});
window.zgAlign.licenses = licenses;
/** Each node's verdicts over time (IndexedDB), drawn in the history panel. */
const historyReady = VerdictHistory.open({
  retentionDays: savedRetentionDays(DEFAULT_RETENTION_DAYS),
  maxRecords: Number(params.get('historyMaxRecords')) || DEFAULT_MAX_RECORDS,
}).then(async (history) => {
  const view = new HistoryView(document.getElementById('history'), { history, reportStore: await store.catch(() => null) });
  board.addEventListener('select', (e) => view.choose(e.detail.kind, e.detail.node));
  await history.prune();
  await view.refresh();
  Object.assign(window.zgAlign, { history, historyView: view });
  return view;
});
historyReady.catch((e) => { document.getElementById('history-status').textContent = `No history in this browser: ${e.message}`; });
/** This round's verdicts, kept in the history when it ends; the history is pruned every 20 rounds. */
let roundVerdicts = [];
let roundsKept = 0;

/** A round's verdicts into the history (a follower tab's leader keeps them), then the chart again. */
async function keepHistory() {
  const events = roundVerdicts;
  roundVerdicts = [];
  if (!events.length || client?.role === 'follower') return;
  const view = await historyReady;
  await view.history.add(events);
  roundsKept += 1;
  if (roundsKept % 20 === 0) await view.history.prune();
  await view.refresh();
}

/** The node's worker, started once; its signature requests go to the owner's wallet. */
function getClient() {
  // The worker's entry by name: this script runs as a bundle in /pkg/tab/ (scripts/bundle-tab.mjs).
  // The worker the page's head started (index.html), adopted once; a later try starts its own.
  const spawn = { relay: relayedChannels, workerUrl: new URL('/package/worker.js', location.href), started: window.zgAlignStarted };
  window.zgAlignStarted = null;
  spawning ??= (params.get('shared') === '1' ? SharedNode.join({ name: 'page', spawn }) : NodeClient.spawn(spawn)).then((c) => {
    c.signer = (account, typedData) => wallet.signTypedData(account, typedData);
    client = window.zgAlign.client = c;
    window.zgAlign.workerReadyMs ??= performance.now();
    return c;
  }, (e) => { spawning = null; throw e; });
  return spawning;
}

function showConnection(c) {
  if (c.state === 'connected') window.zgAlign.connectedMs ??= performance.now();
  if (c.relay) {
    window.zgAlign.relayInfo = c.relay;
    gotRelayInfo(c.relay);
  }
  connectionEl.dataset.connection = c.state;
  connectionEl.dataset.transport = c.transport ?? '';
  connectionEl.dataset.channels = client?.rtc?.channels ?? '';
  const relay = c.relay ? ` to the ${c.relay.network} relay` : '';
  const via = c.state === 'connected' ? `${relay} over ${c.transport}${client?.rtc?.channels ? ` (channels ${client.rtc.channels})` : ''}` : '';
  const why = c.error ? `: ${c.error}` : '';
  const retry = c.retryInMs != null ? `, retry in ${(c.retryInMs / 1000).toFixed(1)} s` : '';
  connectionEl.textContent = `${c.state}${via}${why}${retry}`;
}

/** The relays after the first (second paths): one line each, marked with its state. */
function showRelay(r) {
  let li = relaysEl.querySelector(`li[data-index="${Number(r.index)}"]`);
  if (!li) {
    li = document.createElement('li');
    li.dataset.index = r.index;
    relaysEl.append(li);
    relaysEl.hidden = false;
  }
  li.dataset.state = r.state;
  const peer = r.peer ? ` (${r.peer.slice(0, 12)}…${r.trusted ? ', trusted' : ''})` : '';
  const why = r.error ? `: ${r.error}` : '';
  const retry = r.retryInMs != null ? `, retry in ${(r.retryInMs / 1000).toFixed(1)} s` : '';
  li.textContent = `relay ${r.index}${peer}: ${r.state}${r.state === 'connected' ? ', a second path' : ''}${why}${retry}`;
}

function onVerdict(event) {
  window.zgAlign.firstVerdictMs ??= performance.now();
  if (event.verdict.verdict === 'healthy') window.zgAlign.firstHealthyMs ??= performance.now();
  board.onEvent(event);
  roundVerdicts.push(event);
}

/** The files a round checks: the chain's recent submissions and the owner's roots. */
function showFiles({ round, files }) {
  filesEl.dataset.round = round;
  filesEl.dataset.count = files.length;
  filesEl.textContent = files.length
    ? `round ${round} checks ${files.length} file(s): ${files.map((f) => `${f.root.slice(0, 10)}… (${f.source}${f.flow ? `, ${f.flow.size} bytes` : ', not found on chain'})`).join(', ')}`
    : `round ${round}: no file to check`;
}

function onEvent(event) {
  reportsReady.then((flow) => flow.onEvent(event)).catch(() => {});
  if (event.type === 'connection') {
    showConnection(event);
    board.onEvent(event);
  }
  else if (event.type === 'verdict') onVerdict(event);
  else if (event.type === 'files') showFiles(event);
  else if (event.type === 'relay') showRelay(event);
  else if (event.type === 'problem') board.onEvent(event);
  else if (event.type === 'round') {
    board.onEvent(event);
    if (event.state !== 'started') keepHistory().catch(() => {});
    roundEl.textContent = `round ${event.round} ${event.state}`;
    roundEl.dataset.round = event.round;
    roundEl.dataset.state = event.state;
    if (event.state === 'finished') {
      window.zgAlign.firstRoundMs ??= performance.now();
      showMemory();
    }
  }
}

/** The node's memory after each round, so the owner sees it stay within the license's floor. */
async function showMemory() {
  const bytes = (await client?.status().catch(() => null))?.wasmMemoryBytes;
  if (Number.isFinite(bytes)) memoryEl.textContent = `memory ${(bytes / 1e6).toFixed(1)} MB`;
}

/** A setting the owner wrote on an earlier visit (none in private modes). */
function savedSetting(name) {
  try { return localStorage.getItem(`zg-align.${name}`); } catch { return null; }
}

function saveSetting(name, value) {
  try { localStorage.setItem(`zg-align.${name}`, value); } catch { /* private mode */ }
}

const rootsInput = document.getElementById('roots');
rootsInput.value = params.get('roots') ?? savedSetting('roots') ?? '';

/** The owner's file roots (kept for the next visit); anything that is not a root is left out and said. */
function ownerRoots() {
  const words = rootsInput.value.split(/[\s,]+/).filter(Boolean);
  const roots = words.filter((r) => /^0x[0-9a-fA-F]{64}$/.test(r));
  rootsInput.setCustomValidity(roots.length === words.length ? '' : `not a root: ${words.find((w) => !roots.includes(w))}`);
  saveSetting('roots', roots.join(','));
  return roots;
}

const trustInput = document.getElementById('trust');
trustInput.value = params.get('trust') ?? savedSetting('trust') ?? '';

/** The validator check's trust anchor the owner wrote (kept for the next visit), or null; a wrong one stops the start with its reason. */
function trustAnchor() {
  trustInput.setCustomValidity('');
  const text = trustInput.value.trim();
  saveSetting('trust', text);
  if (!text) return null;
  try {
    return parseTrustAnchor(text);
  } catch (e) {
    trustInput.setCustomValidity(e.message);
    throw new Error(`trust anchor: ${e.message}`);
  }
}

async function start() {
  startButton.disabled = true;
  try {
    await getClient();
    await client.subscribe(onEvent);
    // Rounds continue this tab's numbering: a report's (license, round) is never reused.
    // (Without IndexedDB, private modes: numbering starts at 1 and nothing is kept.)
    const firstRound = await store.then((s) => s.firstRound()).catch(() => 1);
    await reportsReady.catch(() => null);
    // The relays: those the page names, else the devnet's (read again at each reconnect).
    const config = relayAddresses.length ? { relays: relayAddresses, firstRound } : { manifestUrl: new URL('/devnet.json', location.href).href, firstRound };
    if (!relayAddresses.length && !(await manifest)?.relay) throw new Error('no relay: open this page with ?relay=<the relay\'s multiaddr>');
    if (params.get('transport') === 'http') config.transport = 'http';
    // The owner runs the first relay: unsigned evidence it relays counts as the owner's own (docs/trust.md).
    if (params.get('trustRelay') === '1') config.trustedRelay = true;
    const roots = ownerRoots();
    if (roots.length) config.ownerRoots = roots;
    const trust = trustAnchor();
    if (trust) config.trust = trust;
    for (const key of ['roundIntervalMs', 'requestTimeoutMs', 'validatorBudgetMs']) {
      if (params.has(key)) config[key] = Number(params.get(key));
    }
    await client.start(config);
    stopButton.disabled = false;
  } catch (e) {
    connectionEl.dataset.connection = 'error';
    connectionEl.textContent = `error: ${e.message}`;
    startButton.disabled = false;
  }
}

async function stop() {
  stopButton.disabled = true;
  await client?.stop();
  startButton.disabled = false;
}

startButton.addEventListener('click', start);
stopButton.addEventListener('click', stop);
if (params.get('autostart') === '1') start();
