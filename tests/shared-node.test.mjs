// One node across tabs (issue 16, part 3): three tabs of www/element.html?shared in one browser
// context run one node in one worker; every tab shows its verdicts; when the leading tab closes,
// another takes over within seconds and the round numbers go on; a round's report is signed once
// whichever tab asks. Needs `make wasm` and `make devnet`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Wallet } from 'ethers';
import { launchChromium, knownUpstreamError } from './lib/browser.mjs';
import { TEST_KEYS } from './lib/wallet.mjs';
import { startDevnet } from './lib/devnet.mjs';
import { assertStorageVerdicts } from './lib/verdicts.mjs';

let devnet;
let browser;
let manifest;

before(async () => {
  devnet = await startDevnet(['--slow-ms', '8000', '--heights', '20']);
  manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await devnet?.stop();
});

const errors = [];

async function openTab(context) {
  const page = await context.newPage();
  page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
  await page.goto(`${devnet.url}/element.html?shared&roundIntervalMs=500`);
  await page.waitForFunction(() => document.querySelector('zg-align-node')?.client, null, { timeout: 60000 });
  // Every round a tab sees start, in order, from whichever tab leads.
  await page.evaluate(() => {
    window.roundsStarted = [];
    window.roundLog = [];
    const node = document.querySelector('zg-align-node');
    return node.client.subscribe((e) => {
      if (e.type === 'round') window.roundLog.push(`${e.round}:${e.state}:${node.client.role}:${Math.round(performance.now())}`);
      if (e.type === 'round' && e.state === 'started') window.roundsStarted.push(e.round);
    });
  });
  return page;
}

const role = (page) => page.evaluate(() => document.querySelector('zg-align-node').client?.role ?? null);
const storageRows = (page) => page.evaluate(() => document.querySelector('zg-align-node').verdictRows.filter((r) => r.kind === 'storage')
  .map((r) => ({ ...r, evidence: document.querySelector('zg-align-node').shadowRoot.querySelector(`tr[data-kind="storage"][data-node="${CSS.escape(r.node)}"] .evidence`).textContent })));

/** Waits until the tab shows every storage node with a verdict from round `minRound` or later. */
function waitForStorageRound(page, minRound, timeout = 90000) {
  const urls = manifest.storage.map((n) => n.rpc);
  return page.waitForFunction(({ urls, minRound }) => {
    const rows = document.querySelector('zg-align-node').verdictRows;
    return urls.every((url) => rows.some((r) => r.kind === 'storage' && r.node === url && r.round >= minRound));
  }, { urls, minRound }, { timeout });
}

test('three tabs share one node; another tab takes over when the leader closes', { timeout: 300000 }, async () => {
  const context = await browser.newContext();
  const first = await openTab(context);
  assert.equal(await role(first), 'leader');
  await waitForStorageRound(first, 1);

  const second = await openTab(context);
  const third = await openTab(context);
  assert.equal(await role(second), 'follower');
  assert.equal(await role(third), 'follower');
  // Late tabs are shown the node's verdicts at once, then its next rounds.
  for (const page of [second, third]) {
    await waitForStorageRound(page, 1, 10000);
    assertStorageVerdicts(manifest, await storageRows(page), { trusted: false });
  }
  assert.deepEqual([first, second, third].map((p) => p.workers().length), [1, 0, 0], 'one worker runs the node');
  await second.waitForFunction(() => window.roundsStarted.length >= 2, null, { timeout: 60000 });

  const before = Math.max(...(await second.evaluate(() => window.roundsStarted)));
  await first.close();
  // Another tab leads within seconds, its worker runs the node, and rounds go on from the last one.
  const leaderStart = Date.now();
  await Promise.race([second, third].map((p) => p.waitForFunction(() => document.querySelector('zg-align-node').client.role === 'leader', null, { timeout: 15000 })));
  const tookOverMs = Date.now() - leaderStart;
  const roles = [await role(second), await role(third)];
  assert.deepEqual(roles.sort(), ['follower', 'leader']);
  assert.ok(tookOverMs < 15000, `took over in ${tookOverMs} ms`);
  const [leader, follower] = (await role(second)) === 'leader' ? [second, third] : [third, second];
  assert.equal(leader.workers().length, 1);
  assert.equal(follower.workers().length, 0);
  for (const page of [leader, follower]) {
    await waitForStorageRound(page, before + 1);
    assertStorageVerdicts(manifest, await storageRows(page), { trusted: false });
    const rounds = await page.evaluate(() => window.roundsStarted);
    assert.ok(rounds.every((r, i) => i === 0 || r > rounds[i - 1]), `round numbers only go up: ${rounds} (${await page.evaluate(() => window.roundLog.join(' '))})`);
    assert.ok(rounds.at(-1) > before, `rounds after the handover continue past ${before}: ${rounds}`);
  }
  // A round's report is signed once, whichever tab asks: the leading tab's wallet (ethers with an
  // anvil test key here) signs for the follower's call; asking again from any tab is refused.
  const [key, owner] = TEST_KEYS[0];
  const signed = [];
  await leader.exposeFunction('testSign', async (account, typedDataJson) => {
    const { domain, types, message } = JSON.parse(typedDataJson);
    const { EIP712Domain, ...rest } = types;
    signed.push(account);
    return new Wallet(key).signTypedData(domain, rest, message);
  });
  await leader.evaluate(() => { document.querySelector('zg-align-node').signer = (account, typedData) => window.testSign(account, typedData); });
  await leader.waitForFunction(() => window.roundLog.some((r) => /:finished:leader:/.test(r)), null, { timeout: 60000 });
  const round = await leader.evaluate(() => Number(window.roundLog.find((r) => /:finished:leader:/.test(r)).split(':')[0]));
  const params = { round, license: { tokenId: '1', owner }, chainId: manifest.chainId, verifyingContract: '0x000000000000000000000000000000000000a11e' };
  const ask = (page) => page.evaluate((p) => document.querySelector('zg-align-node').client.reportRound(p)
    .then((r) => ({ digest: r.digest, report: r.report }), (e) => ({ reason: e.reason, message: e.message })), params);
  const signedOnce = await ask(follower);
  assert.ok(signedOnce.digest, `signed: ${JSON.stringify(signedOnce)}`);
  const { domain, report, signature } = signedOnce.report;
  assert.ok(domain && report && signature);
  assert.deepEqual([await ask(leader), await ask(follower)].map((r) => r.reason), ['alreadyReported', 'alreadyReported']);
  assert.deepEqual(signed, [owner], 'the wallet was asked once');

  // A follower's calls reach the node in the leading tab.
  const status = await follower.evaluate(() => document.querySelector('zg-align-node').client.status());
  assert.equal(status.running, true);
  assert.equal(status.scope, 'DedicatedWorkerGlobalScope');
  assert.deepEqual(errors, []);
  await context.close();
});
