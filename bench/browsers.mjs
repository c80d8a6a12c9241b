#!/usr/bin/env node
// The connection in each browser, side by side, in one run against one devnet on loopback:
// headless Chromium (playwright-core) and headless Firefox (puppeteer-core, tests/lib/firefox.mjs).
// - page load to worker ready, connected and first verdict: medians of 5 cold loads, each in a
//   fresh browser context (no cache, a new worker, a new connection), each closed once its first
//   round has ended, so that the next starts with the relay and the devnet idle;
// - page load to worker ready on a warm HTTP cache: 5 reloads in one context (the wasm is
//   revalidated, compiled as it streams, and may come from the browser's compiled-code cache);
// - round trips of requests for 1 KiB and 256 KiB (`echo`) over the worker-owned connection, timed
//   in the worker, with the data channels transferred to the worker and relayed by the tab;
// - the worker's wasm memory after the first round.
//
//   node bench/browsers.mjs   (prints a table; exits non-zero when a run fails)

import { startQuietDevnet } from '../tests/lib/devnet.mjs';
import { launchChromium } from '../tests/lib/browser.mjs';
import { launchFirefox } from '../tests/lib/firefox.mjs';

const COLD_LOADS = 5;
const WARM_LOADS = 5;
const SIZES = [{ len: 1024, count: 50 }, { len: 256 * 1024, count: 15 }];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/**
 * A fresh page in a fresh context of each browser. Firefox gets a whole new browser (and profile)
 * per context: its profile's camera grant, which lets ICE use loopback (tests/lib/firefox.mjs),
 * does not reach the separate cookie jar of a new browser context.
 */
const browsers = [
  {
    name: 'Chromium',
    async fresh() {
      const browser = await launchChromium();
      return { version: browser.version(), fresh: async () => { const ctx = await browser.newContext(); return { page: await ctx.newPage(), close: () => ctx.close() }; }, close: () => browser.close() };
    },
  },
  {
    name: 'Firefox',
    async fresh(url) {
      const first = await launchFirefox({ origins: [url] });
      const version = await first.version();
      await first.close();
      return { version, fresh: async () => { const b = await launchFirefox({ origins: [url] }); return { page: await b.newPage(), close: () => b.close() }; }, close: async () => {} };
    },
  },
];

/** Polls `fn` in the page until it returns something truthy (the drivers' waitForFunction differ). */
async function until(page, fn, timeoutMs = 180000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await page.evaluate(fn);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function measure(driver, url) {
  const browser = await driver.fresh(url);
  try {
    const loads = [];
    process.stderr.write(`bench: ${driver.name}, ${COLD_LOADS} cold loads\n`);
    for (let i = 0; i < COLD_LOADS; i++) {
      const { page, close } = await browser.fresh();
      await page.goto(`${url}/?autostart=1`);
      loads.push(await until(page, () => {
        const { workerReadyMs, connectedMs, firstVerdictMs } = window.zgAlign ?? {};
        return firstVerdictMs != null && { workerReadyMs, connectedMs, firstVerdictMs };
      }));
      await until(page, () => window.zgAlign?.firstRoundMs != null);
      await close();
    }
    process.stderr.write(`bench: ${driver.name}, ${WARM_LOADS} warm loads\n`);
    const warm = [];
    {
      const { page, close } = await browser.fresh();
      for (let i = 0; i <= WARM_LOADS; i++) {
        await page.goto(`${url}/?autostart=1`);
        const ready = await until(page, () => window.zgAlign?.workerReadyMs);
        if (i > 0) warm.push(ready); // the first load fills the cache
      }
      await close();
    }
    const trips = {};
    for (const mode of ['transferred', 'relayed']) {
      const { page, close } = await browser.fresh();
      await page.goto(`${url}/?autostart=1&roundIntervalMs=600000${mode === 'relayed' ? '&channels=relayed' : ''}`);
      // Let the first round end, so that checks do not share the connection with the measurements.
      process.stderr.write(`bench: ${driver.name}, ${mode} channels, waiting for the first round\n`);
      await until(page, () => window.zgAlign?.firstRoundMs != null).catch(async (e) => {
        const state = await page.evaluate(() => JSON.stringify({ round: document.querySelector('#round')?.dataset, connection: document.querySelector('#connection')?.dataset }));
        throw new Error(`${driver.name}, ${mode} channels: ${e.message}; page: ${state}`);
      });
      const channels = await page.$eval('#connection', (e) => e.dataset.channels);
      if (channels !== mode) throw new Error(`asked for ${mode} channels, got ${channels}`);
      trips[mode] = {};
      for (const { len, count } of SIZES) {
        trips[mode][len] = await page.evaluate((a) => window.zgAlign.client.request('echo', a), { len, count });
      }
      if (mode === 'transferred') trips.wasmMemoryBytes = (await page.evaluate(() => window.zgAlign.client.status())).wasmMemoryBytes;
      await close();
    }
    return { version: await browser.version, loads, warm, trips };
  } finally {
    await browser.close();
  }
}

// A 60-height chain as in the page tests: the first round ends within seconds.
const devnet = await startQuietDevnet(['--slow-ms', '8000', '--heights', '60']);
try {
  const results = [];
  for (const b of browsers) results.push({ name: b.name, ...(await measure(b, devnet.url)) });
  const col = (s) => String(s).padStart(22);
  console.log(`webrtc-direct to the devnet on loopback: ${results.map((r) => `${r.name} ${r.version}`).join(', ')}`);
  console.log(`${'median ms (min)'.padEnd(40)}${results.map((r) => col(r.name)).join('')}`);
  for (const [key, label] of [['workerReadyMs', 'page load to worker ready with wasm'], ['connectedMs', 'page load to connected'], ['firstVerdictMs', 'page load to first verdict']]) {
    console.log(`${`${label}, ${COLD_LOADS} cold loads`.padEnd(40)}${results.map((r) => col(`${median(r.loads.map((l) => l[key])).toFixed(0)} (${Math.min(...r.loads.map((l) => l[key])).toFixed(0)})`)).join('')}`);
  }
  console.log(`${`page load to worker ready, ${WARM_LOADS} warm loads`.padEnd(40)}${results.map((r) => col(`${median(r.warm).toFixed(0)} (${Math.min(...r.warm).toFixed(0)})`)).join('')}`);
  for (const mode of ['transferred', 'relayed']) {
    for (const { len, count } of SIZES) {
      const label = `round trip ${len / 1024} KiB x ${count}, ${mode}`;
      console.log(`${label.padEnd(40)}${results.map((r) => col(`${median(r.trips[mode][len]).toFixed(1)} (${Math.min(...r.trips[mode][len]).toFixed(1)})`)).join('')}`);
    }
  }
  console.log(`${'wasm memory after the first round, MB'.padEnd(40)}${results.map((r) => col((r.trips.wasmMemoryBytes / 1e6).toFixed(1))).join('')}`);
} finally {
  await devnet.stop();
}
