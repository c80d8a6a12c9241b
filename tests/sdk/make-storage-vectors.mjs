#!/usr/bin/env node
// Storage vectors from the official 0G TypeScript SDK (@0glabs/0g-ts-sdk 0.3.3): for files of
// many sizes made by a shared generator (xorshift32; the Rust tests regenerate the same bytes),
// the SDK's file root and its proof of every segment (a spread for large files). Also checks that
// the newer scope @0gfoundation/0g-ts-sdk gives the same roots.
//
//   node tests/sdk/make-storage-vectors.mjs > tests/vectors/storage-sdk.json

import { MemData } from '@0glabs/0g-ts-sdk';
import { createRequire } from 'node:module';

const CHUNK = 256;
const SEGMENT = 256 * 1024;

/** xorshift32 bytes: x ^= x << 13; x ^= x >>> 17; x ^= x << 5; byte = x & 0xff. */
export function xorshiftBytes(len, seed) {
  const out = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export const SIZES = [
  1, 255, 256, 257, 1000,
  SEGMENT - 1, SEGMENT, SEGMENT + 1,
  // chunk counts on both sides of the padding rule, with and without a partial last chunk
  ...[16, 17, 31, 32, 33, 1023, 1024, 1025, 2047, 2048, 2049].flatMap((c) => [c * CHUNK, c * CHUNK - 100]),
  16 * SEGMENT + CHUNK, // 17 data segments, 18 in the padded tree: rear padding
  17 * SEGMENT,
  33 * SEGMENT + 5 * CHUNK + 7,
  4 * 1024 * 1024 + 1,
  9 * 1024 * 1024 - 7,
];

async function sdkRoot(Mem, bytes) {
  const [tree, err] = await new Mem(bytes).merkleTree();
  if (err) throw err;
  return tree;
}

export async function makeVectors() {
  const require = createRequire(import.meta.url);
  const newer = require('@0gfoundation/0g-ts-sdk');
  const files = [];
  for (const [i, size] of SIZES.entries()) {
    const seed = 1000 + i;
    const bytes = xorshiftBytes(size, seed);
    const tree = await sdkRoot(MemData, bytes);
    const other = await sdkRoot(newer.MemData, bytes);
    if (other.rootHash() !== tree.rootHash()) throw new Error(`SDK versions disagree for size ${size}`);
    const leaves = tree.leaves.length;
    const indices = leaves <= 40 ? [...Array(leaves).keys()] : [0, 1, 2, leaves >> 1, leaves - 3, leaves - 2, leaves - 1];
    const proofs = indices.map((index) => {
      const p = tree.proofAt(index);
      return { index, lemma: p.lemma, path: p.path };
    });
    files.push({ size, seed, root: tree.rootHash(), segments: leaves, proofs });
  }
  return { source: '@0glabs/0g-ts-sdk 0.3.3 (roots also checked against @0gfoundation/0g-ts-sdk 1.2.8)', generator: 'xorshift32', files };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await makeVectors(), null, 1)}\n`);
}
