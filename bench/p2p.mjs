#!/usr/bin/env node
// The connection part of `make bench`, in one run against one devnet:
// - time from page load to the first verdict (navigation start to the first verdict row, median
//   of 5 cold loads, each in a fresh browser context: no cache, a new worker, a new connection),
//   on loopback and again over an emulated link (Chromium's network emulation, LINK_LATENCY_MS:
//   each HTTP request waits that long for its answer, and a round trip of the WebRTC
//   connection's packets takes twice that, as a packet capture showed), where round trips, not
//   the CPU, set the time;
// - round trips of requests for 1 KiB and 256 KiB (`echo`) over the node's worker-owned
//   connection, timed in the worker, against the same requests over rust-libp2p's
//   libp2p-webrtc-websys in the page (bench/websys-peer, the same codec and swarm driver).
//
//   node bench/p2p.mjs WEBSYS_PKG_DIR   (prints a table; exits non-zero when a run fails)

import path from 'node:path';
import fs from 'node:fs/promises';
import { startQuietDevnet } from '../tests/lib/devnet.mjs';
import { launchChromium } from '../tests/lib/browser.mjs';

const websysDir = path.resolve(process.argv[2] ?? 'target/websys-peer-pkg');
const COLD_LOADS = 5;
/** The emulated link's delay (a continental round trip to a relay, 50 ms, over WebRTC). */
const LINK_LATENCY_MS = 25;
const SIZES = [{ len: 1024, count: 50 }, { len: 256 * 1024, count: 15 }];
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

const devnet = await startQuietDevnet();
const browser = await launchChromium();
try {
  const manifest = await (await fetch(`${devnet.url}/devnet.json`)).json();

  /** The page's timings of COLD_LOADS cold loads, each waiting for its first round to end. */
  const coldLoads = async (latencyMs) => {
    const loads = [];
    for (let i = 0; i < COLD_LOADS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (latencyMs) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 });
      }
      await page.goto(`${devnet.url}/?autostart=1`);
      await page.waitForFunction(() => window.zgAlign?.firstRoundMs != null, null, { timeout: 60000 });
      loads.push(await page.evaluate(() => window.zgAlign));
      await context.close();
    }
    return loads;
  };
  const phases = await coldLoads(0);
  const firstVerdict = phases.map((t) => t.firstVerdictMs);
  const linkPhases = await coldLoads(LINK_LATENCY_MS);

  const context = await browser.newContext();
  const page = await context.newPage();
  // The comparison peer's module, served on the page's own origin.
  await page.route('**/bench-websys/**', async (route) => {
    const file = path.join(websysDir, path.basename(new URL(route.request().url()).pathname));
    route.fulfill({ body: await fs.readFile(file), contentType: types[path.extname(file)] ?? 'application/octet-stream' });
  });
  await page.goto(`${devnet.url}/?autostart=1&roundIntervalMs=600000`);
  // Let the first round end, so that checks do not share the connection with the measurements.
  await page.waitForSelector('#round[data-state="finished"]', { timeout: 60000 });
  const worker = {};
  for (const { len, count } of SIZES) {
    worker[len] = await page.evaluate(({ len, count }) => window.zgAlign.client.request('echo', { len, count }), { len, count });
  }
  const websys = await page.evaluate(async ({ address, sizes }) => {
    const module = await import('/bench-websys/websys_peer.js');
    await module.default();
    const peer = await module.WebsysPeer.connect(address);
    // libp2p-webrtc-websys can fail a run ("remote overloaded us with messages" when its reader
    // falls behind on a loaded machine): report it for that size instead of losing the table.
    const out = {};
    for (const { len, count } of sizes) {
      try { out[len] = Array.from(await peer.echo(len, count)); } catch (e) { out[len] = { error: String(e?.message ?? e) }; }
    }
    return out;
  }, { address: manifest.relay, sizes: SIZES });
  await context.close();

  const fmt = (x) => x.toFixed(1).padStart(8);
  console.log(`webrtc-direct to the devnet's relay on loopback, ${(await browser.version())}`);
  console.log(`time from page load to first verdict, ${COLD_LOADS} cold loads: median ${median(firstVerdict).toFixed(0)} ms ` +
    `(all: ${firstVerdict.map((x) => x.toFixed(0)).join(', ')} ms; target < 1000 ms: ${median(firstVerdict) < 1000 ? 'met' : 'NOT met'})`);
  const phase = (key, loads = phases) => median(loads.map((t) => t[key])).toFixed(0);
  console.log(`  of which (medians): worker ready with wasm ${phase('workerReadyMs')} ms, connected ${phase('connectedMs')} ms, first verdict ${phase('firstVerdictMs')} ms`);
  console.log(`  and later (medians): first healthy verdict ${phase('firstHealthyMs')} ms, first round finished ${phase('firstRoundMs')} ms`);
  console.log(`the same over an emulated link (${LINK_LATENCY_MS} ms a HTTP request, ${2 * LINK_LATENCY_MS} ms a WebRTC round trip), ${COLD_LOADS} cold loads: ` +
    `first verdict median ${phase('firstVerdictMs', linkPhases)} ms (all: ${linkPhases.map((t) => t.firstVerdictMs.toFixed(0)).join(', ')} ms)`);
  console.log(`  of which (medians): worker ready with wasm ${phase('workerReadyMs', linkPhases)} ms, connected ${phase('connectedMs', linkPhases)} ms, ` +
    `first healthy verdict ${phase('firstHealthyMs', linkPhases)} ms`);
  console.log('round trip, median ms (min)          worker-owned connection   libp2p-webrtc-websys in page   worker / websys');
  for (const { len, count } of SIZES) {
    const w = median(worker[len]);
    if (websys[len].error) {
      console.log(`  request for ${String(len / 1024).padStart(3)} KiB, ${String(count).padStart(2)} runs     ${fmt(w)} (${Math.min(...worker[len]).toFixed(1)})            websys failed: ${websys[len].error.split('\n')[0]}`);
      continue;
    }
    const s = median(websys[len]);
    console.log(`  request for ${String(len / 1024).padStart(3)} KiB, ${String(count).padStart(2)} runs     ${fmt(w)} (${Math.min(...worker[len]).toFixed(1)})` +
      `            ${fmt(s)} (${Math.min(...websys[len]).toFixed(1)})            ${(w / s).toFixed(2)} ${w <= s * 1.05 ? '(no slower: met)' : '(slower: NOT met)'}`);
  }
} finally {
  await browser.close();
  await devnet.stop();
}
