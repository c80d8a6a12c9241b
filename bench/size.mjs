#!/usr/bin/env node
// The node's wasm module as it ships (pkg/, `make wasm`): its size raw, gzipped and brotli'd, then
// what is big in it, by crate and by function, from twiggy over the same build before wasm-bindgen
// and wasm-opt (that one still has its function names).
//
//   node bench/size.mjs PKG_WASM NAMED_WASM   (prints a table)

import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';

const [shipped, named] = process.argv.slice(2);
if (!shipped || !named) {
  console.error('usage: node bench/size.mjs PKG_WASM NAMED_WASM');
  process.exit(2);
}
const bytes = await fs.readFile(shipped);
const gzip = zlib.gzipSync(bytes, { level: 9 }).length;
const brotli = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const mb = (n) => (n / 1e6).toFixed(2);
console.log(`wasm module: ${mb(bytes.length)} MB, gzip -9 ${mb(gzip)} MB, brotli 11 ${mb(brotli)} MB (target: under 0.5 MB gzipped)`);

// twiggy's rows: each function or data segment with its own (shallow) size.
const rows = JSON.parse(execFileSync('twiggy', ['top', '-n', '1000000', '-f', 'json', named], { maxBuffer: 1 << 28 }).toString())
  .filter((r) => !/names" subsection|^custom section/.test(r.name));
const total = rows.reduce((s, r) => s + r.shallow_size, 0);

// A function's crate: the type a trait is implemented for (`<crate::T as ...>`), else the first path
// segment. Generic code is counted where it is defined, whatever it was instantiated for.
const crateOf = (name) => name.match(/^(?:<|&|mut )*([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/)?.[1] ?? (name.startsWith('data') ? 'data' : 'other');
const byCrate = new Map();
for (const r of rows) byCrate.set(crateOf(r.name), (byCrate.get(crateOf(r.name)) ?? 0) + r.shallow_size);
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`.padStart(6);
console.log(`\nby crate (code and data before wasm-opt, ${mb(total)} MB):`);
for (const [name, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${String(size).padStart(8)} ${pct(size)}  ${name}`);
console.log('\nbiggest items:');
for (const r of rows.sort((a, b) => b.shallow_size - a.shallow_size).slice(0, 15)) {
  console.log(`  ${String(r.shallow_size).padStart(8)} ${pct(r.shallow_size)}  ${r.name.replace(/::h[0-9a-f]{16}$/, '').slice(0, 110)}`);
}
