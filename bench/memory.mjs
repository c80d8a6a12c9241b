#!/usr/bin/env node
// The memory part of `make bench`: the node running against the devnet for a while, round after
// round, in headless Chromium, against the license's hardware floor of 64 MB. Sampled every few
// seconds:
// - the worker's wasm linear memory (the Rust heap's high-water mark, from the node's `status`);
// - the Rust heap live now and its peak (the node's counting allocator): a leak shows as live
//   bytes at the end of each round that keep rising, a transient peak only in the peak;
// - what the node keeps across rounds, by count (`status().memory`, as of the last round's end);
// - the worker's JS heap and the page's JS heap (V8's used size, over the DevTools protocol: a
//   worker has no `performance.memory`);
// - CPU over the run: the worker's busy time and Chromium's processes' CPU time, each as a share
//   of one core.
// It prints the peaks, the first and last thirds of the run side by side, and the figures by
// round, so growth over rounds shows. Not counted: Chromium's own process memory (WebRTC,
// compositor), which any tab pays.
//
//   node bench/memory.mjs [--seconds S] [--interval-ms MS] [--samples FILE]
//   (defaults: BENCH_MEMORY_SECONDS or 120 s, rounds every 3 s; FILE gets one JSON line a sample,
//   so a long run's figures survive it being cut short)

import { appendFileSync, writeFileSync } from 'node:fs';
import { startDevnet } from '../tests/lib/devnet.mjs';
import { launchChromium } from '../tests/lib/browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const seconds = Number(arg('--seconds', process.env.BENCH_MEMORY_SECONDS ?? 120));
const roundIntervalMs = Number(arg('--interval-ms', 3000));
const samplesFile = arg('--samples', process.env.BENCH_MEMORY_SAMPLES);
const SAMPLE_MS = 2000;
const PROGRESS_MS = 5 * 60 * 1000;
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

/** Chromium's processes' CPU time in seconds, summed (browser, renderer, GPU, utility, network). */
async function chromiumCpu(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return processInfo.reduce((a, p) => a + p.cpuTime, 0);
}

/** `a:b` runs of equal values shown once: `1:4.0 2:5.0 [3-9:5.4] ...`. */
function byRound(map, fmt) {
  const out = [];
  let run = null;
  for (const [r, v] of map) {
    const shown = fmt(v);
    if (run && run.shown === shown) run.last = r;
    else {
      if (run) out.push(run);
      run = { first: r, last: r, shown };
    }
  }
  if (run) out.push(run);
  return out.map((x) => `${x.first === x.last ? x.first : `${x.first}-${x.last}`}:${x.shown}`).join(' ');
}

if (samplesFile) writeFileSync(samplesFile, '');
const devnet = await startDevnet();
const browser = await launchChromium();
try {
  const browserCdp = await browser.newBrowserCDPSession();
  const page = await browser.newPage();
  const pageCdp = await page.context().newCDPSession(page);
  await page.goto(`${devnet.url}/?autostart=1&roundIntervalMs=${roundIntervalMs}`);
  await page.waitForSelector('#round[data-state="finished"]', { timeout: 120000 });
  const workerHeap = await heapProbe(browser, 'worker');
  const status = () => page.evaluate(async () => {
    const s = await window.zgAlign.client.status();
    return { round: Number(document.getElementById('round').dataset.round), wasm: s.wasmMemoryBytes, heap: s.heapBytes, heapPeak: s.heapPeakBytes, busyMs: s.busyMs, memory: s.memory };
  });
  const [first0, cpu0] = [await status(), await chromiumCpu(browserCdp)];
  const samples = [];
  const start = Date.now();
  let progress = start;
  while (Date.now() - start < seconds * 1000) {
    const s = await status();
    const sample = { t: (Date.now() - start) / 1000, ...s, worker: await workerHeap(), page: (await pageCdp.send('Runtime.getHeapUsage')).usedSize };
    samples.push(sample);
    if (samplesFile) appendFileSync(samplesFile, `${JSON.stringify(sample)}\n`);
    if (Date.now() - progress >= PROGRESS_MS) {
      progress = Date.now();
      const m = sample.memory ?? {};
      console.error(`memory: ${sample.t.toFixed(0)} s, round ${sample.round}, wasm ${mb(sample.wasm)} MB, heap ${mb(sample.heap)} MB (peak ${mb(sample.heapPeak)}), `
        + `heap at the last round's end ${mb(m.heapBytes ?? 0)} MB, report log ${m.report?.rounds} rounds ${m.report?.verdicts} verdicts`);
    }
    await new Promise((ok) => setTimeout(ok, SAMPLE_MS));
  }
  const last = samples.at(-1);
  const cpu1 = await chromiumCpu(browserCdp);
  const wall = last.t;
  const total = (s) => s.wasm + s.worker + s.page;
  const peak = (key) => Math.max(...samples.map(key));
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs, key) => xs.reduce((a, s) => a + key(s), 0) / xs.length;
  const [first, lastThird] = [samples.slice(0, third), samples.slice(-third)];
  const rows = [
    ['wasm memory (worker)', (s) => s.wasm],
    ['  Rust heap live', (s) => s.heap],
    ['JS heap, worker', (s) => s.worker],
    ['JS heap, page', (s) => s.page],
    ['total', total],
  ];
  console.log(`node memory over ${seconds} s against the devnet (rounds every ${roundIntervalMs} ms, rounds ${samples[0].round}-${last.round}), ${samples.length} samples, ${await browser.version()}`);
  console.log(`${'MB (10^6 bytes)'.padEnd(22)}${'peak'.padStart(8)}${'first third'.padStart(13)}${'last third'.padStart(12)}`);
  for (const [name, key] of rows) {
    console.log(`${name.padEnd(22)}${mb(peak(key)).padStart(8)}${mb(mean(first, key)).padStart(13)}${mb(mean(lastThird, key)).padStart(12)}`);
  }
  console.log(`Rust heap's peak over the run (counting allocator): ${mb(last.heapPeak)} MB`);
  // The wasm memory only grows (its high-water mark): by round, a leak is a line that keeps rising;
  // the live heap at each round's end is what the node keeps (a leak rises there too).
  const wasmByRound = new Map();
  const keptByRound = new Map();
  for (const x of samples) {
    wasmByRound.set(x.round, Math.max(wasmByRound.get(x.round) ?? 0, x.wasm));
    if (x.memory?.round) keptByRound.set(x.memory.round, x.memory.heapBytes);
  }
  console.log(`wasm memory by round (MB): ${byRound(wasmByRound, mb)}`);
  console.log(`Rust heap at each round's end (MB): ${byRound(keptByRound, mb)}`);
  const kept = (m) => (m ? Object.entries(m).filter(([k]) => k !== 'round' && k !== 'heapBytes')
    .map(([k, v]) => (v && typeof v === 'object' ? Object.entries(v).map(([k2, v2]) => `${k}.${k2} ${v2}`).join(', ') : `${k} ${v}`)).join(', ') : 'none');
  console.log(`kept across rounds, round ${first0.memory?.round}: ${kept(first0.memory)}`);
  console.log(`kept across rounds, round ${last.memory?.round}: ${kept(last.memory)}`);
  const rounds = last.round - samples[0].round;
  console.log(`CPU over ${wall.toFixed(0)} s (${rounds} rounds): worker busy ${((100 * (last.busyMs - first0.busyMs)) / 1000 / wall).toFixed(1)}% of one core,`
    + ` Chromium's processes ${((100 * (cpu1 - cpu0)) / wall).toFixed(1)}% of one core`);
  console.log(`target: the node within 64 MB (license floor): peak ${mb(peak(total))} MB, ${peak(total) <= FLOOR ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  await devnet.stop();
}
