#!/usr/bin/env node
// The verification cores in `make bench`: the same workloads (zg_align::benchmarks) natively
// (crate/examples/crypto_bench.rs, run by scripts/bench.sh) and in our wasm in a dedicated worker
// in headless Chromium, side by side in one table.
//
//   node bench/crypto.mjs NATIVE.json [--reps R]

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/lib/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const native = JSON.parse(await fs.readFile(process.argv[2], 'utf8'));
const repsAt = process.argv.indexOf('--reps');
const reps = repsAt > 0 ? Number(process.argv[repsAt + 1]) : 15;

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const served = {
  '/': path.join(here, 'index.html'),
  '/crypto-worker.js': path.join(here, 'crypto-worker.js'),
};
const server = http.createServer(async (req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const pkg = path.join(root, 'pkg');
  const file = served[url] ?? (url.startsWith('/pkg/') ? path.resolve(pkg, '.' + url.slice(4)) : null);
  try {
    if (!file || (url.startsWith('/pkg/') && !file.startsWith(pkg + path.sep))) throw new Error('not served');
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(await fs.readFile(file));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));

const browser = await launchChromium();
let wasm;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  wasm = await page.evaluate((reps) => new Promise((resolve, reject) => {
    const worker = new Worker('/crypto-worker.js', { type: 'module' });
    worker.onmessage = ({ data }) => (data.error ? reject(new Error(data.error)) : resolve(data.timings));
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage({ reps });
  }), reps);
} finally {
  await browser.close();
  server.close();
}

const byName = new Map(wasm.map((t) => [t.name, t]));
const rows = native.map((n) => ({ n, w: byName.get(n.name) }));
const width = Math.max(...rows.map((r) => r.n.name.length));
const ms = (x) => x.toFixed(2).padStart(9);
console.log(`verification cores, median ms (min) of ${reps} runs; wasm in a dedicated worker in headless Chromium`);
console.log(`${'workload'.padEnd(width)}  ${'native'.padStart(18)}  ${'wasm (worker)'.padStart(18)}  wasm / native`);
for (const { n, w } of rows) {
  if (!w) throw new Error(`the worker did not run ${n.name}`);
  console.log(`${n.name.padEnd(width)}  ${ms(n.medianMs)} (${ms(n.minMs)})  ${ms(w.medianMs)} (${ms(w.minMs)})  ${(w.medianMs / n.medianMs).toFixed(2)}x`);
}
