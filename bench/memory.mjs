#!/usr/bin/env node
// The memory part of `make bench`: the node running against the devnet for a while, round after
// round, in headless Chromium, against the license's hardware floor of 64 MB. Sampled every few
// seconds:
// - the worker's wasm linear memory (the Rust heap's high-water mark, from the node's `status`);
// - the worker's JS heap and the page's JS heap (V8's used size, over the DevTools protocol: a
//   worker has no `performance.memory`).
// It prints the peaks, and the first and last thirds of the run side by side, so growth over
// rounds (a leak) shows. Not counted: Chromium's own process memory (WebRTC, compositor), which
// any tab pays.
//
//   node bench/memory.mjs [--seconds S] [--interval-ms MS]   (defaults 120 s, rounds every 3 s)

import { startDevnet } from '../tests/lib/devnet.mjs';
import { launchChromium } from '../tests/lib/browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const seconds = arg('--seconds', 120);
const roundIntervalMs = arg('--interval-ms', 3000);
const SAMPLE_MS = 2000;
const FLOOR = 64e6;
const mb = (b) => (b / 1e6).toFixed(1);

/** `Runtime.getHeapUsage` of one target (the worker), through a browser-level DevTools session. */
async function heapProbe(browser, type) {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === type);
  if (!target) throw new Error(`no ${type} target`);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let next = 1;
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    waiting.get(m.id)?.(m);
    waiting.delete(m.id);
  });
  return async () => {
    const id = next++;
    const reply = new Promise((ok) => waiting.set(id, ok));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    const m = await reply;
    if (m.error) throw new Error(m.error.message);
    return m.result.usedSize;
  };
}

const devnet = await startDevnet();
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const pageCdp = await page.context().newCDPSession(page);
  await page.goto(`${devnet.url}/?autostart=1&roundIntervalMs=${roundIntervalMs}`);
  await page.waitForSelector('#round[data-state="finished"]', { timeout: 120000 });
  const workerHeap = await heapProbe(browser, 'worker');
  const samples = [];
  const start = Date.now();
  while (Date.now() - start < seconds * 1000) {
    const { round, wasm } = await page.evaluate(async () => ({
      round: Number(document.getElementById('round').dataset.round),
      wasm: (await window.zgAlign.client.status()).wasmMemoryBytes,
    }));
    samples.push({
      round,
      wasm,
      worker: await workerHeap(),
      page: (await pageCdp.send('Runtime.getHeapUsage')).usedSize,
    });
    await new Promise((ok) => setTimeout(ok, SAMPLE_MS));
  }
  const total = (s) => s.wasm + s.worker + s.page;
  const peak = (key) => Math.max(...samples.map(key));
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs, key) => xs.reduce((a, s) => a + key(s), 0) / xs.length;
  const [first, last] = [samples.slice(0, third), samples.slice(-third)];
  const rows = [['wasm memory (worker)', (s) => s.wasm], ['JS heap, worker', (s) => s.worker], ['JS heap, page', (s) => s.page], ['total', total]];
  console.log(`node memory over ${seconds} s against the devnet (rounds every ${roundIntervalMs} ms, rounds ${samples[0].round}-${samples.at(-1).round}), ${samples.length} samples, ${await browser.version()}`);
  console.log(`${'MB (10^6 bytes)'.padEnd(22)}${'peak'.padStart(8)}${'first third'.padStart(13)}${'last third'.padStart(12)}`);
  for (const [name, key] of rows) {
    console.log(`${name.padEnd(22)}${mb(peak(key)).padStart(8)}${mb(mean(first, key)).padStart(13)}${mb(mean(last, key)).padStart(12)}`);
  }
  // The wasm memory only grows (its high-water mark): by round, a leak is a line that keeps rising.
  const byRound = new Map();
  for (const x of samples) byRound.set(x.round, Math.max(byRound.get(x.round) ?? 0, x.wasm));
  console.log(`wasm memory by round (MB): ${[...byRound].map(([r, b]) => `${r}:${mb(b)}`).join(' ')}`);
  console.log(`target: the node within 64 MB (license floor): peak ${mb(peak(total))} MB, ${peak(total) <= FLOOR ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  await devnet.stop();
}
