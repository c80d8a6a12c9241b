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
import { assertDaVerdicts, assertServingVerdicts, assertStorageVerdicts, assertValidatorVerdicts, honestIds, storageRows, waitForStorageRound, waitForStorageVerdictsAfter } from './lib/verdicts.mjs';

// The slow node answers after 8 s; the page waits 3 s per request: a wide margin on a loaded machine.
// A 20-height CometBFT chain keeps the validator faults the page must show (offline, slow,
// equivocations at 5 and 15 shown in blocks 7 and 17, a forged signature at 17); the weak commit
// at 42 and the set changes are checked natively (devnet/tests). The restart test gives the
// validator pass a budget that verifies every height in its first round (19 commits of 100
// validators in the worker); the node's default budget would sample a height or two a round.
const SLOW = ['--slow-ms', '8000', '--heights', '20'];
const QUERY = 'autostart=1&requestTimeoutMs=3000';
const WHOLE_CHAIN = 'validatorBudgetMs=60000';

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
    // The relay answered every ICE check, the first included (patches/libp2p-webrtc: upstream drops
    // the first from a new address, and the dial waits for its retransmission). A consent check in
    // flight at one look is answered by the next; a dropped one never is.
    const iceChecks = () => page.evaluate(async () => {
      const [pc] = window.zgAlign.client.rtc.connections.values();
      return [...(await pc.getStats()).values()].filter((r) => r.type === 'candidate-pair' && r.nominated)
        .map(({ requestsSent, responsesReceived }) => ({ requestsSent, responsesReceived }));
    });
    const allAnswered = (checks) => checks.length > 0 && checks.every((c) => c.requestsSent === c.responsesReceived);
    let checks = await iceChecks();
    // Up to 10 s: on a loaded machine (the round's first checks beside the page's and the devnet's
    // start) an answer can take seconds; a dropped check stays unanswered for good.
    for (let look = 0; look < 100 && !allAnswered(checks); look++) {
      await page.waitForTimeout(100);
      checks = await iceChecks();
    }
    assert.ok(allAnswered(checks), `ICE checks unanswered: ${JSON.stringify(checks)}`);
    // Every verdict of the whole run, to check at the end that no honest node was ever accused,
    // each marked with whether the devnet was down (from its stop until the node reconnects).
    await page.evaluate(() => {
      window.seenVerdicts = [];
      window.devnetDown = false;
      return window.zgAlign.client.subscribe((e) => {
        if (e.type === 'connection' && e.state === 'connected') window.devnetDown = false;
        if (e.type === 'verdict') window.seenVerdicts.push([`${e.kind}:${e.node}`, e.verdict.verdict, window.devnetDown, e.round]);
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

    // A provider that never answers in time holds back its own verdict only: once the first round
    // has verified the whole chain, the next round's validator rows come before that provider's
    // (the validators start once storage, DA and serving have each given a first verdict, not when
    // the provider's time-out ends serving's pass).
    const timedOut = `serving:${manifest.serving.providers.find((p) => p.fault === 'timeout').node}`;
    const firstRound = Math.min(...(await page.evaluate(() => window.seenVerdicts)).map(([, , , round]) => round));
    await page.waitForFunction(([id, r]) => window.seenVerdicts.some(([node, , , round]) => node === id && round === r), [timedOut, firstRound + 1], { timeout: 60000 });
    const next = (await page.evaluate(() => window.seenVerdicts)).filter(([, , , round]) => round === firstRound + 1).map(([node]) => node);
    const firstValidator = next.findIndex((node) => node.startsWith('validator:'));
    assert.ok(firstValidator >= 0 && firstValidator < next.indexOf(timedOut), `round ${firstRound + 1}: the first validator verdict is number ${firstValidator}, the timed-out provider's ${next.indexOf(timedOut)}, of ${next.length}`);

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
    await check(page, manifest);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
}

// The relay named in the query (as for a shared relay in front of 0G's network, not trusted),
// channels relayed: segments that fail their proofs are unverifiable, nobody is accused. No
// manifest: the validator check's trust anchor is the one the query gives, as an owner would
// write it (the page's `trust` field); without it no validator is checked.
const trustAnchor = (m) => `${m.cometbft.chainId} ${m.cometbft.trustHeight} ${m.cometbft.trustHash}`;
test('over webrtc-direct to an untrusted relay the query names, with channels relayed by the tab (forced fallback)', { timeout: 180000 }, () => oneRound((m) => `channels=relayed&relay=${encodeURIComponent(m.relay)}&trust=${encodeURIComponent(trustAnchor(m))}`, async (page, manifest) => {
  const connection = await page.$eval('#connection', (e) => ({ ...e.dataset }));
  assert.equal(connection.transport, 'webrtc-direct');
  assert.equal(connection.channels, 'relayed');
  assert.equal(await page.$eval('#trust', (e) => e.value), trustAnchor(manifest));
  await page.waitForSelector('#verdicts tr[data-kind="validator"]', { state: 'attached', timeout: 60000 });
}));

test('straight to the storage nodes over HTTP with fetch', { timeout: 180000 }, () => oneRound('transport=http', async (page) => {
  assert.equal(await page.$eval('#connection', (e) => e.dataset.transport), 'http');
}));

// Stop ends the node where it stands: nothing of its round comes after Stop, and a node started
// at once runs alone (the stopped one, left to finish its round, went on reporting for seconds,
// said "stopped" over the new one's connection and took the page's calls' connection with it).
test('stopped mid-round and started again: the new node runs alone', { timeout: 180000 }, async () => {
  const devnet = await startDevnet(SLOW);
  const browser = await launchChromium();
  try {
    const { page, errors } = await openNode(browser, `${devnet.url}/?${QUERY}`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 15000 });
    // A round that lasts: the slow storage node holds it for 8 s.
    await nextRoundStarted(page);
    const stoppedRound = await page.$eval('#round', (e) => Number(e.dataset.round));
    await page.evaluate(() => {
      window.afterStop = [];
      window.stopped = false;
      return window.zgAlign.client.subscribe((e) => { if (window.stopped) window.afterStop.push(e.type === 'connection' ? `connection ${e.state}` : `${e.type} ${e.round}`); });
    });
    await page.click('#stop');
    await page.waitForSelector('#start:not([disabled])');
    await page.evaluate(() => { window.stopped = true; });
    await page.click('#start');
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 15000 });
    // Longer than the stopped round had left: the connection stays, and the page's calls go over it.
    for (let i = 0; i < 24; i++) {
      const times = await page.evaluate(() => window.zgAlign.client.echo(0, 1));
      assert.equal(times.length, 1);
      assert.equal(await page.$eval('#connection', (e) => e.dataset.connection), 'connected');
      await new Promise((r) => setTimeout(r, 500));
    }
    const late = (await page.evaluate(() => window.afterStop)).filter((e) => {
      const [type, round] = e.split(' ');
      return type !== 'connection' && Number(round) <= stoppedRound;
    });
    assert.deepEqual(late, [], `nothing of round ${stoppedRound} after Stop`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});

/** The network peer (the devnet, its relay and its page server) freezes mid-round: the round ends
 * "interrupted" and no honest node is blamed, over the relay or straight over HTTP (`query`). */
const silentPeer = (query) => async () => {
  const devnet = await startDevnet(SLOW);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    // Requests time out after 1 s, well before Chromium declares the connection lost (about 6 s).
    const { page, errors } = await openNode(browser, `${devnet.url}/?autostart=1&requestTimeoutMs=1000&roundIntervalMs=500${query}`);
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
};

test('a silent network peer cuts the round and accuses nobody', { timeout: 180000 }, silentPeer(''));

// Over HTTP the node asks the page's server (the manifest) whether its link answers: a server that
// stays silent is a link down too, not a round that waits for ever.
test('straight over HTTP, a silent network peer cuts the round and accuses nobody', { timeout: 180000 }, silentPeer('&transport=http'));

// The page's head starts the worker before the page's script has loaded (www/index.html); the
// client adopts it with what it said meanwhile. Here the worker has said it is ready before the
// client exists: without the replay, `spawn` would wait for a `ready` that already came.
test('a worker started before the client: the client adopts it and what it said meanwhile', { timeout: 120000 }, async () => {
  const devnet = await startDevnet(['--heights', '2']);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${devnet.url}/devnet.json`);
    const adopted = await page.evaluate(async () => {
      const worker = new Worker('/package/worker.js', { type: 'module' });
      const early = [];
      worker.onmessage = worker.onerror = worker.onmessageerror = (event) => early.push(event);
      while (!early.some((e) => e.data?.type === 'ready')) await new Promise((r) => setTimeout(r, 20));
      const { NodeClient } = await import('/package/node-client.js');
      const client = await NodeClient.spawn({ started: { worker, early }, readyTimeoutMs: 10000 });
      const status = await client.status();
      client.dispose();
      return { sameWorker: client.worker === worker, running: status.running };
    });
    assert.deepEqual(adopted, { sameWorker: true, running: false });
  } finally {
    await browser.close();
    await devnet.stop();
  }
});
