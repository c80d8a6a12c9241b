#!/usr/bin/env node
// Storage vectors from the official 0G TypeScript SDK (@0glabs/0g-ts-sdk 0.3.3): for files of
// many sizes made by a shared generator (xorshift32; crate/tests/sdk_reference.rs regenerates the
// same bytes), the SDK's file root (`new MemData(bytes).merkleTree()`, `rootHash()`), its number
// of leaves (segments of the padded file) and its proof of every leaf (`proofAt(i)`; a spread of
// leaves for files of more than 40). Asserts that the newer scope @0gfoundation/0g-ts-sdk 1.2.8
// gives the same roots and proofs.
//
//   node tests/sdk/make-storage-vectors.mjs > tests/vectors/storage-sdk.json
//   node tests/sdk/make-storage-vectors.mjs tests/vectors/storage-sdk.json

import { MemData } from '@0glabs/0g-ts-sdk';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CHUNK = 256;
const SEGMENT = 256 * 1024;
const MIB = 1024 * 1024;

/** xorshift32 bytes from a non-zero u32 seed: x ^= x << 13; x ^= x >>> 17; x ^= x << 5; byte = x & 0xff. */
export function xorshiftBytes(len, seed) {
  const out = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export const SIZES = [
  1, 255, 256, 257, 1000,
  SEGMENT - 1, SEGMENT, SEGMENT + 1,
  // Chunk counts on both sides of the padding rule, each with and without a partial last chunk.
  ...[16, 17, 31, 32, 33, 1023, 1024, 1025, 2047, 2048, 2049].flatMap((c) => [c * CHUNK, c * CHUNK - 100]),
  16 * SEGMENT + CHUNK, // 17 data segments, 18 leaves: one rear padding segment
  17 * SEGMENT,
  33 * SEGMENT + 5 * CHUNK + 7, // 34 data segments, 36 leaves: two rear padding segments
  4 * MIB + 1,
  9 * MIB - 7,
];

/** Leaves whose proofs are recorded: all of them for small trees, else both ends and the middle. */
function proofIndices(leaves) {
  if (leaves <= 40) return [...Array(leaves).keys()];
  const picks = [0, 1, 2, leaves >> 1, leaves - 3, leaves - 2, leaves - 1];
  return [...new Set(picks)].sort((a, b) => a - b);
}

async function sdkTree(Mem, bytes) {
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
    const tree = await sdkTree(MemData, bytes);
    const other = await sdkTree(newer.MemData, bytes);
    if (other.rootHash() !== tree.rootHash()) throw new Error(`the two SDKs disagree on the root of ${size} bytes`);
    const leaves = tree.leaves.length;
    if (other.leaves.length !== leaves) throw new Error(`the two SDKs disagree on the leaves of ${size} bytes`);
    const proofs = proofIndices(leaves).map((index) => {
      const p = tree.proofAt(index);
      const q = other.proofAt(index);
      if (JSON.stringify([p.lemma, p.path]) !== JSON.stringify([q.lemma, q.path])) {
        throw new Error(`the two SDKs disagree on proof ${index} of ${size} bytes`);
      }
      return { index, lemma: p.lemma, path: p.path };
    });
    files.push({ size, seed, root: tree.rootHash(), segments: leaves, proofs });
  }
  return {
    source: '@0glabs/0g-ts-sdk 0.3.3 (roots and proofs also checked against @0gfoundation/0g-ts-sdk 1.2.8)',
    generator: 'xorshift32',
    files,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const json = `${JSON.stringify(await makeVectors(), null, 1)}\n`;
  if (process.argv[2]) writeFileSync(process.argv[2], json);
  else process.stdout.write(json);
}
