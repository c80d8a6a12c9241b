#!/usr/bin/env node
// The node's wasm module as it ships (pkg/, `make wasm`): its size raw, gzipped and brotli'd, then
// what is big in it, by crate and by function, from twiggy over the same build before wasm-bindgen
// and wasm-opt (that one still has its function names); then that build through wasm-bindgen and
// wasm-opt as `make wasm` runs them, names kept, cut into parts (the crypto, libp2p's pieces, data,
// the node's own code) and each part gzipped alone: what a size target has to find room in.
//
//   node bench/size.mjs PKG_WASM NAMED_WASM   (prints a table)

import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
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

// The parts, each gzipped alone, of the named build after wasm-bindgen and wasm-opt (the flags of
// the `wasm` profile in crate/Cargo.toml). A function belongs to the crate crateOf names.
const cryptoCrates = /^(ark_\w+|zg_align_crypto|sha2|sha3|keccak|k256|ecdsa|elliptic_curve|primeorder|crypto_bigint|hmac|digest|rfc6979|subtle|ff|group)$/;
const transportCrates = /^(libp2p\w*|multiaddr|multihash|multibase|multistream_select|snow|curve25519_dalek|ed25519\w*|x25519_dalek|blake2|chacha20\w*|poly1305|aes\w*|ghash|cipher|ctr|universal_hash|aead|data_encoding|base_x|base256emoji|base45|bs58|send_wrapper|quick_protobuf\w*|asynchronous_codec|unsigned_varint|futures_timer|futures_bounded|rw_stream_sink|zeroize)$/;
const partOf = (name) => {
  const krate = crateOf(name);
  return cryptoCrates.test(krate) ? 'crypto' : transportCrates.test(krate) ? 'libp2p, noise and their codecs' : "the node's own code (serde, async, std, ...)";
};
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'zg-align-size-'));
try {
  const flags = (await fs.readFile('crate/Cargo.toml', 'utf8')).match(/\[package\.metadata\.wasm-pack\.profile\.wasm\]\s*wasm-opt = \[([^\]]*)\]/)[1].match(/"[^"]*"/g).map((f) => JSON.parse(f));
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', work, '--out-name', 'named', named]);
  execFileSync('wasm-opt', [...flags, '-g', path.join(work, 'named_bg.wasm'), '-o', path.join(work, 'opt.wasm')]);
  const { functions, data } = wasmParts(await fs.readFile(path.join(work, 'opt.wasm')));
  const parts = new Map();
  for (const { name, body } of functions) {
    const part = partOf(name);
    if (!parts.has(part)) parts.set(part, []);
    parts.get(part).push(body);
  }
  parts.set('data (strings, curve and hash tables)', [data]);
  const gz = (buffers) => zlib.gzipSync(Buffer.concat(buffers), { level: 9 }).length;
  const kb = (n) => `${(n / 1e3).toFixed(0)} KB`.padStart(8);
  console.log('\nparts after wasm-opt, each gzipped alone (raw, gzip -9):');
  for (const [part, buffers] of parts) console.log(`  ${kb(buffers.reduce((s, b) => s + b.length, 0))} ${kb(gz(buffers))}  ${part}`);
} finally {
  await fs.rm(work, { recursive: true, force: true });
}

/** A module's function bodies with their names (the name section), and its data section. */
function wasmParts(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  /** A length-prefixed run of bytes (a name, a body), stepped over. */
  const sized = () => {
    const len = leb();
    at += len;
    return bytes.subarray(at - len, at);
  };
  let imported = 0, data = Buffer.alloc(0);
  const bodies = [], names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = leb() + at;
    if (id === 2) { // imports: functions come first in the index space
      for (let n = leb(); n > 0; n--) {
        sized(); sized();
        const kind = bytes[at++];
        if (kind === 0) { leb(); imported++; }
        else if (kind === 1) { at++; if (bytes[at++] & 1) leb(); leb(); }
        else if (kind === 2) { if (bytes[at++] & 1) leb(); leb(); }
        else at += 2;
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) bodies.push(sized());
    } else if (id === 11) {
      data = bytes.subarray(at, end);
    } else if (id === 0) {
      const section = sized().toString();
      while (section === 'name' && at < end) {
        const sub = bytes[at++];
        const subEnd = leb() + at;
        if (sub === 1) for (let n = leb(); n > 0; n--) names.set(leb(), sized().toString());
        at = subEnd;
      }
    }
    at = end;
  }
  return { functions: bodies.map((body, i) => ({ name: names.get(i + imported) ?? '', body })), data };
}
