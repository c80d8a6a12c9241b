#!/usr/bin/env node
// Joins the native and browser results of `make bench` into one table.
//
//   node bench/report.mjs NATIVE.json PEAK.json BROWSER.json [NATIVE_AFTER.json]
//
// NATIVE.json and PEAK.json are the `--json` lines of crate/examples/root_throughput.rs
// (`throughput` and `peak`), BROWSER.json the output of bench/run.mjs. NATIVE_AFTER.json is an
// optional second native run made after the browser one: on a shared machine a load burst can
// slow either window, so the faster native median is the one compared against (this can only
// understate wasm). Exits 1 when the inputs differ in seed or size or when any two roots
// disagree; speed targets are reported, not enforced.

import fs from 'node:fs';

const [nativeFile, peakFile, browserFile, nativeAfterFile] = process.argv.slice(2);
if (!browserFile) {
  console.error('usage: node bench/report.mjs NATIVE.json PEAK.json BROWSER.json [NATIVE_AFTER.json]');
  process.exit(2);
}
const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).at(-1));
const natives = [readJson(nativeFile), ...(nativeAfterFile ? [readJson(nativeAfterFile)] : [])];
const native = natives.reduce((a, b) => (b.mb_per_s > a.mb_per_s ? b : a));
const peak = readJson(peakFile);
const browser = readJson(browserFile);

const nativeRows = natives.map((n, i) => ({ ...n, impl: `native file_root (Rust, release)${natives.length > 1 ? [' before', ' after'][i] : ''}` }));
const rows = [...nativeRows, ...browser.results.map((r) => ({
  ...r,
  impl: {
    'wasm fileRoot': 'wasm fileRoot (Chromium)',
    'wasm FileRootHasher': 'wasm FileRootHasher, 1 MiB pieces (Chromium)',
    'sdk MemData.merkleTree': '0G TS SDK new MemData(u8).merkleTree() (Chromium)',
    'sdk MemData.merkleTree (ArrayBuffer)': '0G TS SDK new MemData(buffer) (Chromium)',
  }[r.impl] ?? r.impl,
  key: r.impl,
}))];

const problems = [];
if (browser.seed !== native.seed) problems.push(`seed differs: native ${native.seed}, browser ${browser.seed}`);
for (const r of rows) {
  if (r.bytes !== native.bytes) problems.push(`${r.impl}: ${r.bytes} bytes, native hashed ${native.bytes}`);
  if (r.root !== native.root) problems.push(`${r.impl}: root ${r.root} != native ${native.root}`);
}

// Ratios are against the SDK's fastest call, so the comparison does not flatter our wasm.
const sdkRows = rows.filter((r) => r.key?.startsWith('sdk '));
const sdk = sdkRows.reduce((a, b) => (b.mb_per_s > a.mb_per_s ? b : a));
const sdkDocumented = rows.find((r) => r.key === 'sdk MemData.merkleTree');
const wasm = rows.find((r) => r.key === 'wasm fileRoot');
const fmt = (x, d = 1) => x.toFixed(d);
const mib = (b) => (b >= 2 ** 30 ? `${fmt(b / 2 ** 30, 2)} GiB` : `${fmt(b / 2 ** 20)} MiB`);

const header = ['implementation', 'MB/s', 'median ms', 'min ms', 'runs', 'x best SDK', 'x native'];
const table = rows.map((r) => [
  r.impl, fmt(r.mb_per_s), fmt(r.median_ms), fmt(r.min_ms), String(r.runs),
  fmt(r.mb_per_s / sdk.mb_per_s, 1), fmt(r.mb_per_s / native.mb_per_s, 2),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

console.log(`\nroot throughput on ${native.bytes} bytes (${mib(native.bytes)}), mulberry32 seed ${native.seed}; MB = 10^6 bytes, median of runs`);
console.log(`Chromium ${browser.chromium}`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
table.forEach((row) => console.log(line(row)));
if (natives.length > 1) console.log(`(native ran before and after the browser; ratios use the faster, ${fmt(native.mb_per_s)} MB/s)`);
console.log(`\nroot (all ${rows.length} agree: ${problems.length === 0 ? 'yes' : 'NO'}): ${native.root}`);
console.log(
  `native ${mib(peak.bytes)} streaming root (FileHasher, 1 MiB reads from a temp file): ${fmt(peak.secs, 2)} s, ` +
  `${fmt(peak.mb_per_s)} MB/s, peak RSS (VmHWM) ${mib(peak.vm_hwm)} (${mib(peak.vm_hwm_before)} before hashing)`,
);
console.log(`        root ${peak.root}`);

const xSdk = wasm.mb_per_s / sdk.mb_per_s;
const xNative = wasm.mb_per_s / native.mb_per_s;
console.log('\ntargets (reported, not enforced):');
const xDoc = wasm.mb_per_s / sdkDocumented.mb_per_s;
console.log(`  wasm >= 10x SDK:          ${fmt(xSdk)}x the SDK's fastest call  ${xSdk >= 10 ? 'met' : 'NOT met'}` +
  ` (${fmt(xDoc)}x its documented new MemData(u8))`);
console.log(`  wasm within 2x of native: ${fmt(xNative, 2)}x native  ${xNative >= 0.5 ? 'met' : 'NOT met'}`);

if (problems.length) {
  console.error('\nbench: the implementations did not hash the same input to the same root:');
  problems.forEach((p) => console.error(`  ${p}`));
  process.exit(1);
}
