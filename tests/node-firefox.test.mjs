// End to end in headless Firefox (firefox-esr through puppeteer-core): the tab starts the node's
// dedicated worker, the worker connects to the devnet's relay over libp2p webrtc-direct through the
// tab's RTCPeerConnection, and every storage fault gets its verdict, with the data channels transferred
// to the worker (Firefox 144+) and relayed by the tab over MessagePorts, and again after the devnet
// restarts; DA blobs and signers, validators and serving providers get theirs in both channel modes;
// and a silent network peer accuses nobody. The same page and worker as in Chromium
// (node-browser.test.mjs); only the browser's profile differs (tests/lib/firefox.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startDevnet } from './lib/devnet.mjs';
import { launchFirefox } from './lib/firefox.mjs';
import { knownUpstreamError } from './lib/browser.mjs';
import { assertDaVerdicts, assertServingVerdicts, assertStorageVerdicts, assertValidatorVerdicts, honestIds, storageRows, waitForStorageRound, waitForStorageVerdictsAfter } from './lib/verdicts.mjs';

// As in node-browser.test.mjs: the slow node answers after 8 s, the page waits 3 s per request, and
// the validator pass reads the devnet's whole chain of 20 heights in one round.
const SLOW = ['--slow-ms', '8000', '--heights', '20'];
// The devnet's relay is the owner's own: what it relays is the page's own observation.
const QUERY = 'autostart=1&requestTimeoutMs=3000&trustRelay=1&validatorBudgetMs=60000';

/**
 * One round on a fresh devnet in a fresh Firefox, page opened with `query`. `http` is the devnet's
 * address (its webrtc-direct listener takes the same IP); `firefox` the launcher's options.
 * With `everyKind`, DA, validator and serving rows are checked too (storage always is).
 * With `restart`, the devnet then goes away and comes back on the same address (a new identity and
 * certificate): the page shows the loss, the node reconnects and a later round is right again.
 */
async function oneRound(query, channels, { http = '127.0.0.1:0', firefox = (url) => ({ origins: [url] }), everyKind = false, restart = false } = {}) {
  let devnet = await startDevnet(SLOW, { http });
  const browser = await launchFirefox(firefox(devnet.url));
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
    await page.goto(`${devnet.url}/?${QUERY}&${query}`);
    await page.waitForSelector('#connection[data-connection="connected"][data-transport="webrtc-direct"]', { timeout: 20000 });
    await waitForStorageRound(page, manifest, 1, 60000);
    assertStorageVerdicts(manifest, await storageRows(page));
    if (everyKind) {
      await assertDaVerdicts(page, manifest);
      await assertValidatorVerdicts(page, manifest);
      await assertServingVerdicts(page, manifest);
    }
    assert.equal(await page.$eval('#connection', (e) => e.dataset.channels), channels);
    const status = await page.evaluate(() => window.zgAlign.client.status());
    assert.equal(status.scope, 'DedicatedWorkerGlobalScope', 'the checks run in a dedicated worker');
    if (restart) {
      await devnet.stop();
      await page.waitForSelector('#connection[data-connection="reconnecting"]', { timeout: 40000 });
      const lastRound = Math.max(...(await storageRows(page)).map((r) => r.round));
      devnet = await startDevnet(SLOW, { http: new URL(devnet.url).host });
      const again = await (await fetch(`${devnet.url}/devnet.json`)).json();
      await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 40000 });
      // A first round on a just-started devnet may see a time-out; a later one must be right
      // (the restarted devnet's nodes have new ports: its manifest names them).
      await waitForStorageVerdictsAfter(page, again, lastRound, 120000);
      assertStorageVerdicts(again, await storageRows(page));
    }
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
}

test('Firefox: over webrtc-direct with channels transferred to the worker, through a devnet restart', { timeout: 300000 }, () => oneRound('', 'transferred', { everyKind: true, restart: true }));

test('Firefox: over webrtc-direct with channels relayed by the tab (forced fallback)', { timeout: 180000 }, () => oneRound('channels=relayed', 'relayed', { everyKind: true }));

// What a license owner's Firefox meets: a listener on a routable address. A stock profile (no
// loopback ICE, no grant) connects, as Firefox's default-route host candidate reaches it.
const routable = Object.values(os.networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal)?.address;

test('Firefox, stock profile: to a listener on a non-loopback address', { timeout: 180000, skip: !routable && 'no non-loopback IPv4 address' }, () =>
  oneRound('', 'transferred', { http: `${routable}:0`, firefox: () => ({ prefs: { 'media.peerconnection.ice.loopback': false } }) }));

test('Firefox: a silent network peer cuts the round and accuses nobody', { timeout: 180000 }, async () => {
  const devnet = await startDevnet(SLOW);
  const browser = await launchFirefox({ origins: [devnet.url] });
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    const honest = honestIds(manifest);
    const page = await browser.newPage();
    await page.goto(`${devnet.url}/?autostart=1&requestTimeoutMs=1000&roundIntervalMs=500`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 20000 });
    await page.evaluate(() => {
      window.seenVerdicts = [];
      window.peerFrozen = false;
      return window.zgAlign.client.subscribe((e) => { if (e.type === 'verdict') window.seenVerdicts.push([`${e.kind}:${e.node}`, e.verdict.verdict, window.peerFrozen]); });
    });
    // The network peer freezes (SIGSTOP) just after a round started: the node cannot tell silent
    // nodes from a silent link, finds the link silent too, and ends the round "interrupted".
    const now = await page.$eval('#round', (e) => Number(e.dataset.round));
    await page.waitForFunction((r) => {
      const e = document.querySelector('#round');
      return Number(e.dataset.round) > r && e.dataset.state === 'started';
    }, { timeout: 60000 }, now);
    await page.evaluate(() => { window.peerFrozen = true; });
    devnet.child.kill('SIGSTOP');
    await page.waitForSelector('#round[data-state="interrupted"]', { timeout: 30000 }).finally(() => devnet.child.kill('SIGCONT'));
    await page.evaluate(() => { window.peerFrozen = false; });
    // (`pending`: a validator seen at too few heights yet, a judgement not made, not a blame: the
    // same rule as the Chromium test's.)
    const blamed = (await page.evaluate(() => window.seenVerdicts)).filter(([node, v, frozen]) => honest.has(node) && !['healthy', 'pending'].includes(v) && frozen);
    assert.deepEqual(blamed, [], 'no honest node is reported for the silence of our own link');
    await page.waitForFunction(() => document.querySelector('#round').dataset.state === 'finished', { timeout: 60000 });
  } finally {
    await browser.close();
    await devnet.stop();
  }
});
