// End to end in a real headless Chromium: the tab starts the node's dedicated worker, the worker
// connects to the devnet's relay over libp2p webrtc-direct (the tab owns only the
// RTCPeerConnection), runs the checks through it against the devnet's 0G endpoints (storage nodes
// found through the indexer, files from the chain's Submit logs, each node sampled in its shard),
// and the page shows each verdict with its evidence. Then the devnet goes away and comes back: the
// page shows the loss and the node reconnects. Storage rows are keyed by the node's URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevnet } from './lib/devnet.mjs';
import { launchChromium, knownUpstreamError } from './lib/browser.mjs';
import { assertStorageVerdicts, honestIds, storageRows, waitForStorageRound, waitForStorageVerdictsAfter } from './lib/verdicts.mjs';

// The slow node answers after 8 s; the page waits 3 s per request: a wide margin on a loaded machine.
// A 20-height CometBFT chain keeps the validator faults the page must show (offline, slow,
// equivocations at 5 and 15 shown in blocks 7 and 17, a forged signature at 17); the weak commit
// at 42 and the set changes are checked natively (devnet/tests). The restart test gives the
// validator pass a budget that verifies every height in its first round (19 commits of 100
// validators in the worker); the node's default budget would sample a height or two a round.
const SLOW = ['--slow-ms', '8000', '--heights', '20'];
const QUERY = 'autostart=1&requestTimeoutMs=3000';
const WHOLE_CHAIN = 'validatorBudgetMs=60000';

// DA: the manifest's fault names and the verdict each must get. Rows of a signer are not signed:
// one that does not prove against its blob's root could be the relay's doing, so it accuses nobody.
const expectedDa = { null: 'healthy', 'forged-signature': 'misbehaving', 'below-quorum': 'misbehaving', withhold: 'unreachable', 'bad-row': 'unreachable' };

/** Waits for a DA row per blob (by data root) and signer (by account), then checks each verdict
 * and its evidence. */
async function assertDaVerdicts(page, manifest) {
  const entities = [...manifest.da.blobs, ...manifest.da.signers];
  await page.waitForFunction((count) => document.querySelectorAll('#verdicts tr[data-kind="da"]').length === count, entities.length, { timeout: 60000 });
  const got = await page.$$eval('#verdicts tr[data-kind="da"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, verdict: tr.dataset.verdict, evidence: tr.querySelector('.evidence').textContent,
  })));
  for (const e of entities) {
    const row = got.find((r) => r.node === e.node);
    assert.ok(row, `row for ${e.id} (${e.node})`);
    assert.equal(row.verdict, expectedDa[e.fault], `${e.id} (${e.fault}): ${row.evidence}`);
  }
  const byFault = (fault) => got.find((r) => r.node === entities.find((e) => e.fault === fault).node).evidence;
  assert.match(byFault('forged-signature'), /badSignature/);
  assert.match(byFault('below-quorum'), /belowQuorum/);
  assert.match(byFault('bad-row'), /badRow .*localRoot/);
  assert.match(byFault('withhold'), /lost .*slice is missing/);
  const honestSigner = got.find((r) => r.node === manifest.da.signers.find((s) => s.fault === null).node).evidence;
  assert.match(honestSigner, /^\d+ sampled row\(s\) served, \d+ proven against their blob's data root$/);
}

// Validators: the manifest's fault names and the verdict each must get.
const expectedValidator = { offline: 'unreachable', slow: 'unreachable', equivocating: 'misbehaving' };

/** Waits for each faulty validator's verdict (rows are keyed by CometBFT address); no honest
 * validator may be accused or unreachable. */
async function assertValidatorVerdicts(page, manifest) {
  const chain = manifest.cometbft;
  const faulty = chain.validators.filter((v) => v.fault !== null);
  await page.waitForFunction((want) => want.every(([address, verdict]) =>
    document.querySelector(`#verdicts tr[data-kind="validator"][data-node="${address}"]`)?.dataset.verdict === verdict),
  faulty.map((v) => [v.address, expectedValidator[v.fault]]), { timeout: 90000 });
  const got = await page.$$eval('#verdicts tr[data-kind="validator"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, verdict: tr.dataset.verdict, evidence: tr.querySelector('.evidence').textContent,
  })));
  const honest = new Set(chain.validators.filter((v) => v.fault === null).map((v) => v.address));
  const wrong = got.filter((r) => honest.has(r.node) && !['healthy', 'pending'].includes(r.verdict));
  assert.deepEqual(wrong, [], 'honest validators are healthy (or not yet judged)');
  assert.ok(got.filter((r) => r.verdict === 'healthy').length >= 50, 'most validators are judged healthy');
  const byFault = (fault) => got.find((r) => r.node === faulty.find((v) => v.fault === fault).address).evidence;
  assert.match(byFault('equivocating'), /^equivocation at height \d*5 round \d+: signed precommits for [0-9A-F]{64} and [0-9A-F]{64} \(DuplicateVoteEvidence in block \d*7;/);
  assert.match(byFault('offline'), /^offline: voted at none; signed 0, nil 0, missed \d+/);
  assert.match(byFault('slow'), /^lagging: missed too many; /);
  // The forged signature at one height is counted in its slot, against nobody: its owner (the
  // victim the manifest names) stays healthy.
  const forged = chain.faults.find((f) => f.fault === 'forged-signature');
  const victim = chain.validators.find((v) => v.id === forged.validator);
  const row = got.find((r) => r.node === victim.address);
  assert.equal(row?.verdict, 'healthy', `the forged slot's owner: ${row?.evidence}`);
  assert.match(row.evidence, /1 invalid signature\(s\) in its slot, counted against nobody/);
  assert.deepEqual(got.filter((r) => /invalid signature/.test(r.evidence)).map((r) => r.node), [victim.address], 'only that slot');
}

// Serving: the manifest's fault names and the verdict each must get (the model swap starts only
// after 150 rounds: healthy here). A record by another key, or over other bytes, could be the
// relay's doing: unreachable, with the fault named; a wrong canary answer under the provider's own
// signature is its own word: misbehaving.
const expectedServing = {
  null: 'healthy', 'unregistered-key': 'unreachable', 'tampered-response': 'unreachable', 'model-swap': 'healthy', timeout: 'unreachable', 'wrong-answer': 'misbehaving',
};

async function assertServingVerdicts(page, manifest) {
  const providers = manifest.serving.providers;
  await page.waitForFunction((count) => document.querySelectorAll('#verdicts tr[data-kind="serving"]').length === count, providers.length, { timeout: 60000 });
  const got = await page.$$eval('#verdicts tr[data-kind="serving"]', (trs) => trs.map((tr) => ({
    node: tr.dataset.node, verdict: tr.dataset.verdict, evidence: tr.querySelector('.evidence').textContent,
  })));
  for (const p of providers) {
    const row = got.find((r) => r.node === p.node);
    assert.ok(row, `row for ${p.id} (${p.node})`);
    assert.equal(row.verdict, expectedServing[p.fault], `${p.id} (${p.fault}): ${row.evidence}`);
  }
  const byFault = (fault) => got.find((r) => r.node === providers.find((p) => p.fault === fault).node).evidence;
  assert.match(byFault('unregistered-key'), /^unattributed: .*unregisteredSigner/);
  assert.match(byFault('tampered-response'), /^unattributed: .*responseMismatch/);
  assert.match(byFault('wrong-answer'), /^canaryMismatch: /);
  assert.match(byFault(null), /canary re-run, bit for bit|drift/);
}

/** Waits until a round later than the one shown now has started. */
async function nextRoundStarted(page) {
  const now = await page.$eval('#round', (e) => Number(e.dataset.round));
  await page.waitForFunction((r) => {
    const e = document.querySelector('#round');
    return Number(e.dataset.round) > r && e.dataset.state === 'started';
  }, now, { timeout: 60000 });
}

async function openNode(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(url);
  return { page, errors, workers };
}

test('over webrtc-direct with channels transferred to the worker, through a devnet restart', { timeout: 300000 }, async () => {
  let devnet = await startDevnet(SLOW);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    assert.match(manifest.relay, /^\/ip4\/127\.0\.0\.1\/udp\/\d+\/webrtc-direct\/certhash\/[\w-]+\/p2p\/\w+$/);
    // The devnet's relay is the owner's own (`trustRelay=1`): a segment it relays that fails its
    // proof is the page's own observation of the node.
    const { page, errors, workers } = await openNode(browser, `${devnet.url}/?${QUERY}&trustRelay=1&roundIntervalMs=500&${WHOLE_CHAIN}`);

    await page.waitForSelector('#connection[data-connection="connected"][data-transport="webrtc-direct"]', { timeout: 15000 });
    // Every verdict of the whole run, to check at the end that no honest node was ever accused,
    // each marked with whether the devnet was down (from its stop until the node reconnects).
    await page.evaluate(() => {
      window.seenVerdicts = [];
      window.devnetDown = false;
      return window.zgAlign.client.subscribe((e) => {
        if (e.type === 'connection' && e.state === 'connected') window.devnetDown = false;
        if (e.type === 'verdict') window.seenVerdicts.push([`${e.kind}:${e.node}`, e.verdict.verdict, window.devnetDown]);
      });
    });
    await waitForStorageRound(page, manifest, 1, 60000);
    assertStorageVerdicts(manifest, await storageRows(page));
    await assertDaVerdicts(page, manifest);
    await assertValidatorVerdicts(page, manifest);
    await assertServingVerdicts(page, manifest);
    assert.equal(await page.$eval('#connection', (e) => e.dataset.channels), 'transferred');
    assert.ok(workers.some((u) => u.endsWith('/worker.js')), `a dedicated worker ran: ${workers}`);
    const status = await page.evaluate(() => window.zgAlign.client.status());
    assert.equal(status.scope, 'DedicatedWorkerGlobalScope', 'the checks run in a dedicated worker');
    assert.ok(status.verdicts >= manifest.storage.length);
    // The worker protocol's errors reach the page as real Error objects.
    const refused = await page.evaluate(() => Promise.all([
      window.zgAlign.client.request('nope'),
      window.zgAlign.client.start({}),
      window.zgAlign.client.request('start', { requestTimeoutMs: 'soon' }),
    ].map((p) => p.then(() => null, (e) => ({ isError: e instanceof Error, message: e.message })))));
    assert.deepEqual(refused[0], { isError: true, message: 'unknown method "nope"' });
    assert.deepEqual(refused[1], { isError: true, message: 'the node is already running' });
    assert.equal(refused[2].isError, true);
    assert.match(refused[2].message, /^start: /);

    // The devnet goes away just after a round started: the page shows the loss.
    await nextRoundStarted(page);
    await page.evaluate(() => { window.devnetDown = true; });
    await devnet.stop();
    await page.waitForSelector('#connection[data-connection="reconnecting"]', { timeout: 40000 });

    // It comes back on the same address (a new relay identity and certificate, new node ports):
    // the node reads the manifest again, reconnects without a reload and the rounds go on.
    const lastRound = Math.max(...(await storageRows(page)).map((r) => r.round));
    devnet = await startDevnet(SLOW, { http: new URL(devnet.url).host });
    const again = await (await fetch(`${devnet.url}/devnet.json`)).json();
    assert.notEqual(again.relay, manifest.relay);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 40000 });
    // Rounds resume: every node gets its expected verdict again in a round after the restart.
    // (A first round on a just-started devnet may see a time-out; the next one must be right.)
    await waitForStorageVerdictsAfter(page, again, lastRound, 120000);
    assertStorageVerdicts(again, await storageRows(page));
    const honest = new Set([...honestIds(manifest), ...honestIds(again)]);
    const seen = await page.evaluate(() => window.seenVerdicts);
    const accused = seen.filter(([node, v]) => honest.has(node) && v === 'misbehaving');
    assert.deepEqual(accused, [], 'no honest node is ever reported misbehaving');
    const blamedForOurLoss = seen.filter(([node, v, down]) => honest.has(node) && v === 'unreachable' && down);
    assert.deepEqual(blamedForOurLoss, [], 'a round cut by our own link loss reports no honest node unreachable');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});

/** One round on a fresh devnet and page opened with `query` (or `query(manifest)`); `check(page)` adds what differs. */
async function oneRound(query, check) {
  const devnet = await startDevnet(SLOW);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    const q = typeof query === 'function' ? query(manifest) : query;
    const { page, errors } = await openNode(browser, `${devnet.url}/?${QUERY}&${q}`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 15000 });
    await waitForStorageRound(page, manifest, 1, 60000);
    assertStorageVerdicts(manifest, await storageRows(page), { trusted: /trustRelay=1|transport=http/.test(q) });
    // After a round the page shows the node's memory: whole 64 KiB wasm pages, as `status` says.
    await page.waitForSelector('#round[data-state="finished"]', { timeout: 90000 });
    await page.waitForFunction(() => /^memory \d+\.\d MB$/.test(document.querySelector('#memory').textContent), null, { timeout: 10000 });
    const { wasmMemoryBytes } = await page.evaluate(() => window.zgAlign.client.status());
    assert.ok(wasmMemoryBytes >= 2 ** 20 && wasmMemoryBytes % 65536 === 0, `wasm memory ${wasmMemoryBytes}`);
    await check(page);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
}

// The relay named in the query (as for a shared relay in front of 0G's network, not trusted),
// channels relayed: segments that fail their proofs are unverifiable, nobody is accused.
test('over webrtc-direct to an untrusted relay the query names, with channels relayed by the tab (forced fallback)', { timeout: 180000 }, () => oneRound((m) => `channels=relayed&relay=${encodeURIComponent(m.relay)}`, async (page) => {
  const connection = await page.$eval('#connection', (e) => ({ ...e.dataset }));
  assert.equal(connection.transport, 'webrtc-direct');
  assert.equal(connection.channels, 'relayed');
}));

test('straight to the storage nodes over HTTP with fetch', { timeout: 180000 }, () => oneRound('transport=http', async (page) => {
  assert.equal(await page.$eval('#connection', (e) => e.dataset.transport), 'http');
}));

test('a silent network peer cuts the round and accuses nobody', { timeout: 180000 }, async () => {
  const devnet = await startDevnet(SLOW);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    // Requests time out after 1 s, well before Chromium declares the connection lost (about 6 s).
    const { page, errors } = await openNode(browser, `${devnet.url}/?autostart=1&requestTimeoutMs=1000&roundIntervalMs=500`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 15000 });
    await page.evaluate(() => {
      window.seenVerdicts = [];
      window.peerFrozen = false;
      return window.zgAlign.client.subscribe((e) => { if (e.type === 'verdict') window.seenVerdicts.push([`${e.kind}:${e.node}`, e.verdict.verdict, window.peerFrozen]); });
    });
    // The network peer freezes (SIGSTOP: no answer and no error, as when our own link silently
    // drops) just after a round started, while honest nodes' checks are in flight. The node cannot
    // tell silent nodes from a silent link: it asks whether the link still answers before it
    // reports a node unreachable, and as it does not, the round ends "interrupted".
    await nextRoundStarted(page);
    await page.evaluate(() => { window.peerFrozen = true; });
    devnet.child.kill('SIGSTOP');
    await page.waitForSelector('#round[data-state="interrupted"]', { timeout: 30000 }).finally(() => devnet.child.kill('SIGCONT'));
    await page.evaluate(() => { window.peerFrozen = false; });
    const honest = honestIds(manifest);
    // (`pending`: a validator seen at too few heights yet, a judgement not made, not a blame.)
    const blamed = (await page.evaluate(() => window.seenVerdicts)).filter(([node, v, frozen]) => honest.has(node) && !['healthy', 'pending'].includes(v) && frozen);
    assert.deepEqual(blamed, [], 'no honest node is reported for the silence of our own link');
    // The peer thaws: checks go on (over the same connection or a new one).
    await page.waitForFunction(() => document.querySelector('#round').dataset.state === 'finished', null, { timeout: 60000 });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});
