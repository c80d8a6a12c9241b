// A relay that lies (`zg-align-devnet serve --relay-lie ...`: unsigned bytes changed, old answers
// replayed, what the chain and indexer hold swapped, answers cut, lists flooded, a validator's votes
// dropped from commits), and a page that
// does not trust it: over several rounds no honest node of any kind is ever reported misbehaving,
// the worker's memory stays small and the page keeps working (docs/trust.md).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevnet } from './lib/devnet.mjs';
import { launchChromium, knownUpstreamError } from './lib/browser.mjs';
import { honestIds } from './lib/verdicts.mjs';

const LIES = 'forge,replay,swap-map,truncate,flood,strip-votes';
const ROUNDS = 6;
/** The worker's wasm memory may grow to this at most (the license's floor is 64 MB for all). */
const MAX_WASM_BYTES = 32 * 2 ** 20;

test(`no honest node is accused through a lying relay (${LIES})`, { timeout: 300000 }, async () => {
  const devnet = await startDevnet(['--slow-ms', '8000', '--heights', '20', '--relay-lie', LIES]);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => { if (!knownUpstreamError.test(e.message)) errors.push(e.message); });
    await page.goto(`${devnet.url}/?autostart=1&requestTimeoutMs=3000&roundIntervalMs=500&validatorBudgetMs=60000`);
    await page.waitForSelector('#connection[data-connection="connected"]', { timeout: 20000 });
    await page.evaluate(() => {
      window.seenVerdicts = [];
      return window.zgAlign.client.subscribe((e) => { if (e.type === 'verdict') window.seenVerdicts.push([`${e.kind}:${e.node}`, e.verdict.verdict]); });
    });
    await page.waitForFunction((n) => Number(document.querySelector('#round').dataset.round) > n, ROUNDS, { timeout: 240000 });
    const seen = await page.evaluate(() => window.seenVerdicts);
    // Which kinds get judged depends on where the lies land (a lie in a chain read leaves that
    // kind's round a problem, judging nobody): at least one kind must be judged.
    const kinds = new Set(seen.map(([node]) => node.split(':')[0]));
    assert.ok(kinds.size > 0, 'nodes were judged through the lies');
    const honest = honestIds(manifest);
    const accused = seen.filter(([node, v]) => honest.has(node) && v === 'misbehaving');
    assert.deepEqual(accused, [], 'no honest node is ever reported misbehaving through a lying relay');
    const storageAccused = seen.filter(([node, v]) => node.startsWith('storage:') && v === 'misbehaving');
    assert.deepEqual(storageAccused, [], 'unsigned storage evidence through an untrusted relay accuses nobody');
    const { wasmMemoryBytes } = await page.evaluate(() => window.zgAlign.client.status());
    assert.ok(wasmMemoryBytes <= MAX_WASM_BYTES, `wasm memory ${wasmMemoryBytes} bytes`);
    assert.equal(await page.$eval('#connection', (e) => e.dataset.connection), 'connected', 'the page keeps working');
    console.log(`lying relay: ${seen.length} verdicts over ${ROUNDS} rounds, ${new Set(seen.map(([n]) => n)).size} nodes of ${[...kinds].join(', ')}, wasm memory ${(wasmMemoryBytes / 2 ** 20).toFixed(1)} MB`);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});
