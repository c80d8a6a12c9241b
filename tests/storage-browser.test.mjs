// The storage check in a real headless Chromium: the tab starts a dedicated worker, the worker
// runs our wasm core with `fetch` against the devnet's zgs endpoints, and the page shows verdicts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDevnet } from './lib/devnet.mjs';
import { launchChromium } from './lib/browser.mjs';

test('the tab shows the right verdict for every devnet storage node', { timeout: 120000 }, async () => {
  const devnet = await startDevnet(['--slow-ms', '4000']);
  const browser = await launchChromium();
  try {
    const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${devnet.url}/?autostart=1`);
    await page.waitForSelector('#state[data-state="done"]', { timeout: 60000 });

    assert.ok(workers.some((u) => u.endsWith('/worker.js')), `checks ran in a dedicated worker: ${workers}`);
    const rows = await page.$$eval('#verdicts tr[data-node]', (trs) => trs.map((tr) => ({
      node: tr.dataset.node, kind: tr.dataset.kind, verdict: tr.dataset.verdict,
      evidence: tr.querySelector('.evidence').textContent,
    })));
    assert.equal(rows.length, manifest.storage.length);
    const expected = { null: 'healthy', corrupt: 'misbehaving', 'wrong-index': 'misbehaving', withhold: 'unreachable', slow: 'unreachable' };
    for (const node of manifest.storage) {
      const row = rows.find((r) => r.node === node.id);
      assert.ok(row, `row for ${node.id}`);
      assert.equal(row.kind, 'storage');
      assert.equal(row.verdict, expected[node.fault], `${node.id} (${node.fault}): ${row.evidence}`);
    }
    assert.match(rows.find((r) => r.node === manifest.storage.find((n) => n.fault === 'corrupt').id).evidence, /leafMismatch/);
    assert.match(rows.find((r) => r.node === manifest.storage.find((n) => n.fault === 'slow').id).evidence, /timeout/);
    assert.match(rows.find((r) => r.node === manifest.storage.find((n) => n.fault === 'withhold').id).evidence, /withheld/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await devnet.stop();
  }
});
