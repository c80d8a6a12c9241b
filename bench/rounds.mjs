#!/usr/bin/env node
// The rounds part of `make bench`: the node against the devnet (its 10 s-slow storage node and its
// time-out provider included) in headless Chromium, at the node's default round interval.
// Prints:
// - from page load: the first verdict, the first healthy verdict (the page's own hooks);
// - each round's duration, started to finished (the median of the rounds after the first: the
//   first also pays for discovery that later rounds remember);
// - CPU over BENCH_ROUNDS_SECONDS (default 120; 3600 for the hour): the worker's busy time (the
//   node's own count of time spent polling its future, `status().busyMs`) and Chromium's
//   processes' CPU time (DevTools' SystemInfo.getProcessInfo), each as a share of one core.
//
//   node bench/rounds.mjs [--seconds S] [--rounds N]   (env BENCH_ROUNDS_SECONDS, BENCH_ROUNDS)

import { startQuietDevnet } from '../tests/lib/devnet.mjs';
import { launchChromium } from '../tests/lib/browser.mjs';

const arg = (name, env, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : Number(process.env[env] ?? fallback);
};
const seconds = arg('--seconds', 'BENCH_ROUNDS_SECONDS', 120);
const rounds = arg('--rounds', 'BENCH_ROUNDS', 4);
// More of the page's query (e.g. `validatorBudgetMs=300`), to try a setting.
const query = process.env.BENCH_ROUNDS_QUERY ? `&${process.env.BENCH_ROUNDS_QUERY}` : '';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const s = (ms) => (ms / 1000).toFixed(2);

/** Every node event's time (ms since page load), from a listener beside the page's own. */
async function watchEvents(page) {
  await page.waitForFunction(() => window.zgAlign?.client, null, { polling: 5, timeout: 60000 });
  await page.evaluate(() => {
    window.benchEvents = [];
    window.zgAlign.client.listen((e) => {
      if (e.type === 'round') window.benchEvents.push({ type: e.type, round: e.round, state: e.state, at: performance.now() });
      else if (e.type === 'verdict' || e.type === 'problem') window.benchEvents.push({ type: e.type, round: e.round, kind: e.kind, at: performance.now() });
    });
  });
}

/** When each kind's first verdict came, from page load. */
function firstByKind(events) {
  const first = new Map();
  for (const e of events) if (e.type === 'verdict' && !first.has(e.kind)) first.set(e.kind, e.at);
  return [...first].map(([k, ms]) => `${k} ${s(ms)} s`).join(', ');
}

/** When each kind's last verdict or problem came, from its round's start: where a round's time goes. */
function byKind(events, round) {
  const start = events.find((e) => e.type === 'round' && e.round === round && e.state === 'started')?.at;
  const last = new Map();
  for (const e of events) if (e.round === round && e.kind) last.set(e.kind, e.at - start);
  return [...last].map(([k, ms]) => `${k} ${s(ms)} s`).join(', ');
}

/** Rounds that started and ended, with their durations. */
function durations(events) {
  const started = new Map();
  const done = [];
  for (const e of events.filter((x) => x.type === 'round')) {
    if (e.state === 'started') started.set(e.round, e.at);
    else if (started.has(e.round) && (e.state === 'finished' || e.state === 'interrupted')) {
      done.push({ round: e.round, state: e.state, ms: e.at - started.get(e.round) });
      started.delete(e.round);
    }
  }
  return done;
}

/** Chromium's processes' CPU time in seconds, summed (browser, renderer, GPU, utility, network). */
async function chromiumCpu(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  return { total: processInfo.reduce((a, p) => a + p.cpuTime, 0), byType: processInfo.map((p) => `${p.type} ${p.cpuTime.toFixed(1)} s`).join(', ') };
}

const devnet = await startQuietDevnet();
const browser = await launchChromium();
try {
  const cdp = await browser.newBrowserCDPSession();
  const page = await browser.newPage();
  await page.goto(`${devnet.url}/?autostart=1${query}`);
  await watchEvents(page);
  const roundTimeout = 180000;
  await page.waitForFunction((n) => window.benchEvents.filter((e) => e.type === 'round' && e.state !== 'started').length >= n, rounds, { timeout: roundTimeout * rounds, polling: 200 });
  const hooks = await page.evaluate(() => ({ ...window.zgAlign, client: undefined, wallet: undefined, getClient: undefined }));
  const events = await page.evaluate(() => window.benchEvents);
  const done = durations(events);
  const later = done.slice(1).map((r) => r.ms);
  console.log(`rounds against the devnet, default round interval${query ? ` (${query.slice(1)})` : ''}, ${await browser.version()}`);
  console.log(`  from page load: worker ready ${s(hooks.workerReadyMs)} s, connected ${s(hooks.connectedMs)} s, first verdict ${s(hooks.firstVerdictMs)} s (target < 0.5 s),`
    + ` first healthy verdict ${s(hooks.firstHealthyMs)} s (target < 1 s)`);
  console.log(`  first verdict of each kind, from page load: ${firstByKind(events)}`);
  console.log(`  round durations: ${done.map((r) => `${r.round}: ${s(r.ms)} s${r.state === 'finished' ? '' : ` (${r.state})`}`).join(', ')}`);
  console.log(`  last verdict of each kind, from its round's start: ${done.map((r) => `round ${r.round}: ${byKind(events, r.round)}`).join('; ')}`);
  console.log(`  whole round: median of rounds after the first ${s(median(later))} s, first ${s(done[0].ms)} s (target < 12 s)`);

  // CPU over a window of rounds: the worker's own count and Chromium's processes' from outside.
  const busy = () => page.evaluate(async () => (await window.zgAlign.client.status()).busyMs);
  const [busy0, cpu0, t0] = [await busy(), await chromiumCpu(cdp), Date.now()];
  const roundsBefore = await page.evaluate(() => window.benchEvents.length);
  await new Promise((ok) => setTimeout(ok, seconds * 1000));
  const [busy1, cpu1, t1] = [await busy(), await chromiumCpu(cdp), Date.now()];
  const window_ = durations((await page.evaluate(() => window.benchEvents)).slice(roundsBefore));
  const wall = (t1 - t0) / 1000;
  const pct = (x) => `${((100 * x) / wall).toFixed(1)}%`;
  const worker = Number.isFinite(busy0) && Number.isFinite(busy1) ? pct((busy1 - busy0) / 1000) : 'n/a (this module has no busyMs)';
  console.log(`  CPU over ${wall.toFixed(0)} s (${window_.length} rounds, median ${s(median(window_.map((r) => r.ms)))} s): worker busy ${worker} of one core,`
    + ` Chromium's processes ${pct(cpu1.total - cpu0.total)} of one core (target < 10%)`);
  console.log(`  Chromium's processes at the end: ${cpu1.byType}`);
} finally {
  await browser.close();
  await devnet.stop();
}
