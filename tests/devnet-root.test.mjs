// `zg-align-devnet root FILE` against the official 0G TypeScript SDK on the same bytes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MemData } from '@0glabs/0g-ts-sdk';
import { devnetBinary } from './lib/devnet.mjs';

const SEGMENT = 256 * 1024;
const sizes = [1, 255, 256, 257, 4096 + 3, SEGMENT - 1, SEGMENT, SEGMENT + 1, 17 * 256, 1025 * 256 + 1, 16 * SEGMENT + 256, 5 * 1024 * 1024 + 77];

test('root FILE prints the SDK root and nothing else', { timeout: 120000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zg-root-'));
  try {
    for (const size of sizes) {
      const bytes = randomBytes(size);
      const file = path.join(dir, `f${size}`);
      writeFileSync(file, bytes);
      const [tree, err] = await new MemData(bytes).merkleTree();
      assert.equal(err, null);
      const out = execFileSync(devnetBinary, ['root', file], { encoding: 'utf8' });
      assert.match(out, /^0x[0-9a-f]{64}\n$/, `size ${size}`);
      assert.equal(out.trim(), tree.rootHash(), `size ${size}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('root of an empty or missing file fails with a message', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zg-root-'));
  try {
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    for (const file of [empty, path.join(dir, 'missing')]) {
      const r = spawnSync(devnetBinary, ['root', file], { encoding: 'utf8' });
      assert.notEqual(r.status, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /zg-align-devnet: /);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
