// The npm package as an app gets it: `scripts/package.sh` packs target/npm/zg-align-*.tgz, a copy of
// tests/consumer/ installs it, esbuild and Vite bundle the app, and headless Chromium runs each
// bundle against the devnet: two <zg-align-node> elements show storage verdicts side by side, and
// NodeClient's time-outs, worker death, throwing listeners and dispose behave; tsc checks a typed
// use of the API against the package's declarations. Needs `make wasm`
// and `make devnet` first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { launchChromium, knownUpstreamError } from './lib/browser.mjs';
import { repoRoot, startDevnet } from './lib/devnet.mjs';
import { assertStorageVerdicts } from './lib/verdicts.mjs';

let work;
let tarball;
let devnet;
let browser;
let manifest;
const servers = [];

before(async () => {
  const packed = execFileSync(path.join(repoRoot, 'scripts/package.sh'), { encoding: 'utf8' }).trim().split('\n');
  assert.equal(packed.length, 1, `one tarball: ${packed}`);
  tarball = packed[0];
  assert.deepEqual((await readdir(path.join(repoRoot, 'target/npm'))).filter((f) => f.endsWith('.tgz')), [path.basename(tarball)]);
  work = await mkdtemp(path.join(tmpdir(), 'zg-align-consumer-'));
  await cp(path.join(repoRoot, 'tests/consumer'), work, { recursive: true });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', tarball], { cwd: work, stdio: 'pipe' });
  devnet = await startDevnet(['--slow-ms', '8000', '--heights', '20'], { timeoutMs: 90000 });
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await devnet?.stop();
  for (const s of servers) s.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serves `dir` on a free loopback port; resolves to its URL. */
function serve(dir) {
  const server = createServer(async (req, res) => {
    const file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html'));
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

test('the tarball holds the package: exports, ES modules, types, the wasm', () => {
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  for (const f of ['package.json', 'index.js', 'index.d.ts', 'event-hub.js', 'shared-node.js', 'node-client.js', 'rtc-host.js', 'wallet.js', 'verdicts.js', 'element.js', 'element.d.ts', 'worker.js', 'worker.d.ts',
    'wasm/zg_align.js', 'wasm/zg_align.d.ts', 'wasm/zg_align_bg.wasm']) {
    assert.ok(files.includes(f), `${f} in ${files}`);
  }
  const pkg = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  assert.equal(pkg.name, 'zg-align');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(Object.keys(pkg.exports).filter((k) => !k.startsWith('./wasm') && k !== './package.json'), ['.', './element', './worker']);
  // The protocol's types are generated from the Rust enums into wasm-bindgen's declarations.
  const dts = execFileSync('tar', ['xzOf', tarball, 'package/wasm/zg_align.d.ts'], { encoding: 'utf8' });
  for (const name of ['Command', 'StartParams', 'Status', 'WorkerMessage', 'CheckKind', 'NodeEvent', 'Request']) {
    assert.match(dts, new RegExp(`export (type|interface) ${name}\\b`), `${name} declared`);
  }
  assert.match(dts, /method: "start"/);
});

test('TypeScript: an app type-checks against the package\'s declarations (tsc --strict)', () => {
  // lib esnext: wasm-bindgen's declarations use Symbol.dispose.
  const tsc = path.join(repoRoot, 'node_modules/.bin/tsc');
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'esnext', '--lib', 'esnext,dom,dom.iterable', 'src/typed.ts'];
  execFileSync(tsc, args, { cwd: work, encoding: 'utf8' });
});

async function buildWithEsbuild() {
  const out = path.join(work, 'dist-esbuild');
  // esbuild leaves `new URL('./worker.js', import.meta.url)` alone: the worker entry is built as
  // a second entry point beside the app, and its wasm copied beside it.
  await esbuild({
    absWorkingDir: work,
    entryPoints: { app: 'src/app.js', worker: 'zg-align/worker', 'dying-worker': 'src/dying-worker.js' },
    bundle: true, format: 'esm', target: 'esnext', outdir: out, logLevel: 'error',
  });
  await mkdir(path.join(out, 'wasm'), { recursive: true });
  await cp(path.join(work, 'node_modules/zg-align/wasm/zg_align_bg.wasm'), path.join(out, 'wasm/zg_align_bg.wasm'));
  const html = await readFile(path.join(work, 'index.html'), 'utf8');
  await writeFile(path.join(out, 'index.html'), html.replace('./src/app.js', './app.js'));
  return out;
}

async function buildWithVite() {
  await viteBuild({ root: work, configFile: path.join(work, 'vite.config.js'), logLevel: 'error' });
  return path.join(work, 'dist-vite');
}

/** Opens the built app and collects its page errors (a throwing listener's report is expected). */
async function openApp(dir) {
  const url = await serve(dir);
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/?manifest=${encodeURIComponent(`${devnet.url}/devnet.json`)}`);
  await page.waitForFunction(() => window.consumer, null, { timeout: 20000 });
  return { page, errors: () => errors.filter((m) => !knownUpstreamError.test(m) && !/listener threw on purpose/.test(m)) };
}

/** The verdict rows in an element's shadow root, as the page's rows read. */
function elementRows(page, id) {
  return page.evaluate((id) => [...document.getElementById(id).shadowRoot.querySelectorAll('#verdicts tr[data-kind]')].map((tr) => ({
    node: tr.dataset.node, kind: tr.dataset.kind, verdict: tr.dataset.verdict, round: Number(tr.dataset.round), evidence: tr.querySelector('.evidence').textContent,
  })), id);
}

async function elementsShowStorageVerdicts(page) {
  await page.evaluate(() => Promise.all([...document.querySelectorAll('zg-align-node')].map((n) => n.start())));
  const urls = manifest.storage.map((n) => n.rpc);
  for (const id of ['first', 'second']) {
    await page.waitForFunction(({ id, urls }) => urls.every((url) => document.getElementById(id).shadowRoot
      .querySelector(`#verdicts tr[data-kind="storage"][data-node="${CSS.escape(url)}"]`)), { id, urls }, { timeout: 90000 });
    const rows = await elementRows(page, id);
    // `trusted-relay` on the first: failed proofs are the owner's own observation (misbehaving);
    // the second does not trust the relay (unverifiable).
    assertStorageVerdicts(manifest, rows.filter((r) => r.kind === 'storage'), { trusted: id === 'first' });
  }
  // `kinds="storage"`: the first element's node reports no other kind.
  assert.deepEqual([...new Set((await elementRows(page, 'first')).map((r) => r.kind))], ['storage']);
  const seen = await page.evaluate(() => window.consumer.seen);
  assert.ok(seen.connections.some((c) => c.element === 'first' && c.state === 'connected'));
  assert.ok(seen.connections.some((c) => c.element === 'second' && c.state === 'connected'));
  assert.ok(seen.verdicts.some((v) => v.element === 'second' && v.kind === 'storage'), 'zg-verdict events from both elements');
  assert.ok(seen.verdicts.every((v) => v.element !== 'first' || v.kind === 'storage'));
  await page.waitForFunction(() => window.consumer.seen.reports.length > 0, null, { timeout: 60000 });
  // Two elements, two workers; themed from outside through a custom property.
  assert.equal(page.workers().length, 2);
  const healthy = manifest.storage.find((n) => n.fault === null).rpc;
  const color = await page.evaluate((url) => getComputedStyle(document.getElementById('second').shadowRoot
    .querySelector(`tr[data-node="${CSS.escape(url)}"] td.verdict`)).color, healthy);
  assert.equal(color, 'rgb(0, 128, 0)');
  // Taken off the page, an element ends its node and its worker.
  const worker = page.workers().at(-1);
  const closed = new Promise((resolve) => worker.once('close', resolve));
  await page.evaluate(() => document.getElementById('second').remove());
  await closed;
  assert.equal(page.workers().length, 1);
}

test('esbuild: the element shows storage verdicts, twice on one page', { timeout: 240000 }, async () => {
  const { page, errors } = await openApp(await buildWithEsbuild());
  await elementsShowStorageVerdicts(page);
  await clientBehaviours(page);
  assert.deepEqual(errors(), []);
  await page.close();
});

test('Vite: the element shows storage verdicts, twice on one page', { timeout: 240000 }, async () => {
  const { page, errors } = await openApp(await buildWithVite());
  await elementsShowStorageVerdicts(page);
  await clientBehaviours(page);
  assert.deepEqual(errors(), []);
  await page.close();
});

const TYPED_DATA = JSON.stringify({
  types: { EIP712Domain: [{ name: 'name', type: 'string' }], Ping: [{ name: 'n', type: 'uint256' }] },
  primaryType: 'Ping', domain: { name: 'zg-align test' }, message: { n: '1' },
});
const ACCOUNT = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

/** NodeClient in the bundled app: time-outs, a dying worker, a throwing listener, dispose. */
async function clientBehaviours(page) {
  const workersBefore = page.workers().length;
  const result = await page.evaluate(async ([typedData, account]) => {
    const { NodeClient, spawnDying, manifest } = window.consumer;
    const outcome = (p) => p.then((value) => ({ value }), (e) => ({ name: e.name, reason: e.reason, message: e.message }));
    const client = await NodeClient.spawn();
    // A wallet that never answers: the request times out on the page's side.
    client.signer = () => new Promise(() => {});
    const timedOut = await outcome(client.request('signTypedData', { typedData, account }, { timeoutMs: 300 }));
    // One throwing listener, then others of every kind: all of them get the events.
    const got = { listener: 0, dom: 0, iterated: [] };
    await client.subscribe(() => { throw new Error('listener threw on purpose'); });
    await client.subscribe((e) => { if (e.type === 'connection') got.listener += 1; });
    client.addEventListener('connection', () => { throw new Error('listener threw on purpose'); });
    client.addEventListener('connection', () => { got.dom += 1; });
    const iterating = (async () => {
      for await (const event of client.events()) {
        got.iterated.push(event.type);
        if (event.type === 'connection' && event.state === 'connected') break;
      }
    })();
    await client.start({ manifestUrl: manifest, kinds: ['storage'], roundIntervalMs: 500 });
    await iterating;
    const misspelt = await outcome(client.start({ manifestURL: manifest }));
    const channelsBefore = client.rtc.connections.size;
    // dispose: a pending call rejects, the iterator ends, channels close, later calls reject.
    const pending = outcome(client.request('signTypedData', { typedData, account }));
    const ended = (async () => { for await (const _ of client.events()) { /* until the client closes */ } return true; })();
    client.dispose();
    const disposed = { pending: await pending, ended: await ended, channels: client.rtc.connections.size, later: await outcome(client.status()) };
    // A worker that dies: its pending call rejects at once, later ones too.
    const dying = await spawnDying();
    dying.signer = () => new Promise(() => {});
    const waiting = outcome(dying.request('signTypedData', { typedData, account }));
    const status = await dying.status();
    dying.worker.postMessage({ die: true });
    const died = { waiting: await waiting, later: await outcome(dying.status()), disposed: dying.disposed, scope: status.scope };
    // A worker that cannot load: spawn rejects, nothing is left running.
    const missing = await outcome(NodeClient.spawn({ workerUrl: new URL('./no-such-worker.js', location.href) }));
    return { timedOut, got, misspelt, channelsBefore, disposed, died, missing };
  }, [TYPED_DATA, ACCOUNT]);
  assert.deepEqual({ name: result.timedOut.name, reason: result.timedOut.reason }, { name: 'NodeClientError', reason: 'timeout' });
  assert.match(result.timedOut.message, /signTypedData got no answer within 300 ms/);
  assert.ok(result.got.listener >= 2, `the listener after the throwing one got connecting and connected: ${JSON.stringify(result.got)}`);
  assert.ok(result.got.dom >= 2, 'so did the DOM listener after a throwing one');
  assert.deepEqual(result.got.iterated.slice(0, 1), ['connection']);
  assert.match(result.misspelt.message, /^start: unknown field `manifestURL`/);
  assert.ok(result.channelsBefore >= 1, 'a WebRTC connection to the relay');
  assert.equal(result.disposed.pending.reason, 'disposed');
  assert.equal(result.disposed.ended, true);
  assert.equal(result.disposed.channels, 0);
  assert.equal(result.disposed.later.reason, 'disposed');
  assert.equal(result.died.scope, 'DedicatedWorkerGlobalScope');
  assert.equal(result.died.waiting.reason, 'workerDied');
  assert.match(result.died.waiting.message, /the node's worker died: .*crashed on purpose/);
  assert.equal(result.died.later.reason, 'workerDied');
  assert.equal(result.died.disposed, true);
  assert.equal(result.missing.reason, 'workerDied');
  assert.match(result.missing.message, /the node's worker failed to start/);
  // Both clients' workers are gone (the element's own worker stays).
  for (let i = 0; i < 50 && page.workers().length > workersBefore; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(page.workers().length, workersBefore, 'dispose and death leave no worker behind');
}
