#!/usr/bin/env node
// Browser half of `make bench`: serves pkg/ (our wasm) and the 0G TS SDK's browser bundle on a
// random loopback port, opens bench/index.html in headless Chromium (playwright-core, Debian
// /usr/bin/chromium) and prints the page's timings as one JSON object on stdout.
//
//   node bench/run.mjs [--seed N] [--size BYTES] [--wasm-runs R] [--sdk-runs R]
//
// The page generates its input with the same mulberry32 stream as
// crate/examples/root_throughput.rs; scripts/bench.sh passes the native run's seed and byte count.

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const pkgDir = path.join(root, 'pkg');
const sdkBundle = path.join(root, 'node_modules/@0gfoundation/0g-ts-sdk/dist/zgstorage.esm.js');

const args = { seed: 1, size: 16 << 20, wasmRuns: 15, sdkRuns: 3 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const key = { '--seed': 'seed', '--size': 'size', '--wasm-runs': 'wasmRuns', '--sdk-runs': 'sdkRuns' }[argv[i]];
  const value = Number(argv[i + 1]);
  if (!key || !Number.isSafeInteger(value) || value < 0) {
    console.error(`usage: node bench/run.mjs [--seed N] [--size BYTES] [--wasm-runs R] [--sdk-runs R] (bad: ${argv[i]} ${argv[i + 1] ?? ''})`);
    process.exit(2);
  }
  args[key] = value;
  i++;
}
if (args.size < 1 || args.seed > 0xffffffff || args.wasmRuns < 1 || args.sdkRuns < 1) {
  console.error('bench: size, wasm-runs and sdk-runs must be at least 1; seed is a u32');
  process.exit(2);
}

const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** Maps a URL path to a file we are willing to serve, or null. */
function resolve(urlPath) {
  if (urlPath === '/' || urlPath === '/index.html') return path.join(here, 'index.html');
  if (urlPath === '/page.mjs') return path.join(here, 'page.mjs');
  if (urlPath === '/sdk/zgstorage.esm.js') return sdkBundle;
  if (urlPath.startsWith('/pkg/')) {
    const file = path.resolve(pkgDir, '.' + urlPath.slice('/pkg'.length));
    return file.startsWith(pkgDir + path.sep) ? file : null;
  }
  return null;
}

const server = http.createServer(async (req, res) => {
  const file = resolve(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try {
    if (!file) throw new Error('not served');
    const body = await fs.readFile(file);
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
});

await fs.access(path.join(pkgDir, 'zg_align_bg.wasm')).catch(() => {
  console.error(`bench: ${pkgDir}/zg_align_bg.wasm is missing: run \`make wasm\` first`);
  process.exit(2);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const url = `http://127.0.0.1:${server.address().port}/`;

// launch() gives Chromium a fresh temporary --user-data-dir and removes it on close.
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: false, // --headless=new below; playwright's own headless flag would pick the old mode
  args: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
});
let exitCode = 0;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady || window.benchError, null, { timeout: 30000 });
  const failed = await page.evaluate(() => window.benchError);
  if (failed) throw new Error(`wasm did not load: ${failed}; ${errors.join('; ')}`);
  console.error(`bench: ${url} in Chromium ${browser.version()}, ${args.size} bytes, seed ${args.seed}`);
  const out = await page.evaluate((a) => window.runBench(a), args);
  console.log(JSON.stringify({ chromium: browser.version(), url, ...out }));
} catch (e) {
  console.error(`bench: ${e.stack ?? e}`);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
